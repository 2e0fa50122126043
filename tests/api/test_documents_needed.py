"""One truth about documents (issue 26 item 6): the start page, the dossier page and the
form read the same engine computation; and what a dossier still lacks (item 5)."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import ADMIN_TOKEN, deploy_sample

ROOT = Path(__file__).resolve().parents[2]


def _deploy(live, slug: str) -> None:
    folder = ROOT / "process_models" / slug
    with (
        open(next(folder.glob("*.bpmn")), "rb") as bpmn,
        open(folder / "procedure.json", "rb") as card,
    ):
        answer = live.api(ADMIN_TOKEN).post(
            "/api/v1/models",
            files={
                "bpmn": ("m.bpmn", bpmn, "application/xml"),
                "procedure": ("procedure.json", card, "application/json"),
            },
        )
    assert answer.status_code == 201, answer.text


def test_birth_registration_lists_the_same_documents_before_and_after_starting(live, tokens):
    _deploy(live, "dang-ky-khai-sinh")
    citizen = live.api(tokens["citizen"])
    before = citizen.get("/api/v1/models/dang-ky-khai-sinh/versions/1/documents")
    assert before.status_code == 200, before.text
    status = {d["code"]: d["status"] for d in before.json()}
    # the declaration form asks for the birth notice and the identity card: to supply,
    # never "not needed" on the start page (the browser used to say so)
    assert status["birth_notice"] == "form" and status["identity_card_copy"] == "form"
    form = citizen.get("/api/v1/models/dang-ky-khai-sinh/versions/1/forms").json()["forms"]
    asked = {
        p["x-component"]
        for f in form.values()
        for p in f["properties"].values()
        if isinstance(p, dict) and p.get("x-component")
    }
    assert {c for c, s in status.items() if s == "form"} == asked

    dossier = citizen.post("/api/v1/dossiers", json={"model": "dang-ky-khai-sinh"}).json()
    after = citizen.get(f"/api/v1/dossiers/{dossier['id']}/documents").json()
    assert {d["code"]: d["status"] for d in after} == status
    missing = {d["code"] for d in after if d["missing"]}
    assert {"birth_notice", "identity_card_copy"} <= missing
    uploaded = citizen.post(
        f"/api/v1/dossiers/{dossier['id']}/attachments",
        files={"file": ("giay-chung-sinh.pdf", b"%PDF-1.4 chung sinh\n", "application/pdf")},
        data={"component": "birth_notice"},
    ).json()
    now = {d["code"]: d for d in citizen.get(f"/api/v1/dossiers/{dossier['id']}/documents").json()}
    assert now["birth_notice"]["given"] == [uploaded["code"]] and not now["birth_notice"]["missing"]
    assert now["identity_card_copy"]["missing"]


def test_a_component_no_form_asks_for_and_a_registry_holds_is_not_needed(live, tokens):
    assert deploy_sample(live.api(tokens["modeller"])).status_code == 201
    docs = {
        d["code"]: d
        for d in live.api(tokens["citizen"])
        .get("/api/v1/models/ly-lich-tu-phap/versions/1/documents")
        .json()
    }
    assert docs["declaration"]["status"] == "online_form"
    identity = docs["identity_card_copy"]
    assert identity["status"] == "not_needed" and identity["source"]["id"] == "population"
    assert identity["fields"] == []
