"""Resources one by one: models and versions, dossiers, tracking, registries, warehouse,
simplification."""

from __future__ import annotations

import io
import json

import pytest

from tests.api.conftest import ADMIN_TOKEN, AGENCY, LLTP
from tests.helpers.people import CITIZEN_ID, POPULATION, local_connectors, ltp_declaration
from toantrinh.api.app import db
from toantrinh.engine.connectors import ConnectorError, FunctionConnector
from toantrinh.engine.warehouse import store_result

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
BPMN = (LLTP / "ly-lich-tu-phap.bpmn").read_text(encoding="utf-8")
PROCEDURE = json.loads((LLTP / "procedure.json").read_text(encoding="utf-8"))


def _token(client, **spec) -> dict:
    made = client.post("/api/v1/auth/tokens", headers=ADMIN, json=spec)
    assert made.status_code == 201, made.get_data(as_text=True)
    return {"Authorization": f"Bearer {made.get_json()['token']}"}


@pytest.fixture
def deployed(client):
    response = client.post(
        "/api/v1/models", headers=ADMIN, json={"bpmn": BPMN, "procedure": PROCEDURE}
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return client


def test_models_list_get_versions_bpmn_and_forms(deployed):
    client = deployed
    reader = _token(client, name="Công dân", role="citizen", identity_number=CITIZEN_ID)
    (model,) = client.get("/api/v1/models", headers=reader).get_json()
    assert model["slug"] == "ly-lich-tu-phap" and model["latest_version"] == 1
    assert model["procedure"]["processing_time"]["days"] == 10

    changed = BPMN.replace("Nộp phí cấp Phiếu lý lịch tư pháp", "Nộp phí trực tuyến")
    second = client.post(
        "/api/v1/models",
        headers=ADMIN,
        content_type="multipart/form-data",
        data={"bpmn": (io.BytesIO(changed.encode()), "v2.bpmn"), "slug": "ly-lich-tu-phap"},
    )
    assert second.status_code == 201 and second.get_json()["version"] == 2

    detail = client.get("/api/v1/models/ly-lich-tu-phap", headers=reader).get_json()
    assert [v["number"] for v in detail["versions"]] == [1, 2]
    tasks = {t["bpmn_id"]: t for t in detail["versions"][0]["tasks"]}
    assert tasks["Task_Declare"]["lane"] == "citizen" and tasks["Task_Sign"]["lane"] == "leader"

    xml = client.get("/api/v1/models/ly-lich-tu-phap/versions/2/bpmn", headers=reader)
    assert xml.mimetype == "application/xml" and "Nộp phí trực tuyến" in xml.get_data(as_text=True)
    forms = client.get("/api/v1/models/ly-lich-tu-phap/versions/1/forms", headers=reader).get_json()
    assert forms["version"] == 1 and len(forms["forms"]["ltp-to-khai"]["properties"]) == 23
    assert (
        client.get("/api/v1/models/ly-lich-tu-phap/versions/9/forms", headers=reader).status_code
        == 404
    )


@pytest.mark.parametrize("ref", ["¹", "²", "①", "٣", "99999999999", "2147483648", "-1", "0"])
def test_a_model_ref_that_only_looks_like_a_number_is_not_found(deployed, ref):
    """``"¹".isdigit()`` is true but ``int("¹")`` fails, and a number past the INTEGER key
    is an error on PostgreSQL: such a ref names no model (404), never a 500 (issue 27.9)."""
    answer = deployed.get(f"/api/v1/models/{ref}", headers=ADMIN)
    assert answer.status_code == 404, answer.get_data(as_text=True)
    assert answer.get_json()["type"] == "urn:toantrinh:problem:not-found"
    model_id = deployed.get("/api/v1/models", headers=ADMIN).get_json()[0]["id"]
    assert (
        deployed.get(f"/api/v1/models/{model_id}", headers=ADMIN).get_json()["slug"]
        == "ly-lich-tu-phap"
    )


def test_validate_reports_a_good_model_without_storing_it(client):
    checked = client.post(
        "/api/v1/models/validate", headers=ADMIN, json={"bpmn": BPMN, "procedure": PROCEDURE}
    )
    body = checked.get_json()
    assert checked.status_code == 200 and body["valid"] is True and body["problems"] == []
    assert body["process_id"] == "ly_lich_tu_phap" and len(body["tasks"]) >= 9
    assert client.get("/api/v1/models", headers=ADMIN).get_json() == []


def test_validate_and_deploy_agree_on_a_broken_structure_and_force_deploys_it(client):
    """validate (what the modeller shows) and deploy refuse the same structural findings;
    ``force`` deploys it deliberately, with the findings as warnings (issue 27.3)."""
    from tests.engine.test_deploy_checks import unreachable_and_dead_end
    from tests.helpers.bpmn import TEST_FORMS

    body = {"bpmn": unreachable_and_dead_end(), "forms": TEST_FORMS, "slug": "co-cho-cut"}
    checked = client.post("/api/v1/models/validate", headers=ADMIN, json=body).get_json()
    assert checked["valid"] is False and checked["forceable"] is True
    refused = client.post("/api/v1/models", headers=ADMIN, json=body)
    problem = refused.get_json()
    assert refused.status_code == 422 and problem["type"] == "urn:toantrinh:problem:model-unsound"
    assert [e["message"] for e in problem["errors"]] == checked["problems"]
    assert "force" in problem["detail"]
    assert any("Orphan" in p for p in checked["problems"])
    forced = client.post("/api/v1/models", headers=ADMIN, json=body | {"force": True})
    assert forced.status_code == 201, forced.get_data(as_text=True)
    assert any("Orphan" in w for w in forced.get_json()["warnings"])
    raw = client.post(
        "/api/v1/models?slug=co-cho-cut-2&force=maybe",
        headers=ADMIN,
        data=body["bpmn"].encode(),
        content_type="application/xml",
    )
    assert raw.status_code == 422 and raw.get_json()["errors"][0]["field"] == "force"
    long_name = BPMN.replace(
        'name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"', 'name="' + "Cấp phiếu " * 60 + '"'
    )
    too_long = client.post("/api/v1/models", headers=ADMIN, json={"bpmn": long_name, "force": True})
    assert too_long.status_code == 422  # lengths are never forceable
    assert too_long.get_json()["type"] == "urn:toantrinh:problem:model-invalid"
    assert "tên quy trình" in too_long.get_json()["errors"][0]["message"]


def test_dossier_list_pages_and_filters(deployed):
    client = deployed
    for _ in range(3):
        client.post(
            "/api/v1/dossiers",
            headers=ADMIN,
            json={"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID},
        )
    first = client.get("/api/v1/dossiers?per_page=2", headers=ADMIN).get_json()
    assert first["total"] == 3 and len(first["items"]) == 2 and "data" not in first["items"][0]
    second = client.get("/api/v1/dossiers?per_page=2&page=2", headers=ADMIN).get_json()
    assert len(second["items"]) == 1
    assert client.get("/api/v1/dossiers?status=completed", headers=ADMIN).get_json()["total"] == 0
    assert client.get("/api/v1/dossiers?model=khac", headers=ADMIN).get_json()["total"] == 0


def test_completing_a_task_someone_has_just_completed_is_a_conflict(deployed):
    """The second of two completions finds the task gone from the inbox: a lost race, 409
    ``conflict`` like every other loser (it was a 404); a stranger still gets 404
    (issue 27.8)."""
    client = deployed
    citizen = _token(client, name="Hương", role="citizen", identity_number=CITIZEN_ID)
    dossier = client.post(
        "/api/v1/dossiers", headers=citizen, json={"model": "ly-lich-tu-phap"}
    ).get_json()
    task_id = dossier["current_tasks"][0]["id"]
    data = {"data": ltp_declaration()}
    first = client.post(f"/api/v1/tasks/{task_id}/complete", headers=citizen, json=data)
    assert first.status_code == 200, first.get_data(as_text=True)
    for call in ("complete", "claim"):
        again = client.post(f"/api/v1/tasks/{task_id}/{call}", headers=citizen, json=data)
        assert again.status_code == 409, again.get_data(as_text=True)
        assert again.get_json()["type"] == "urn:toantrinh:problem:conflict"
    other = _token(client, name="Lan", role="citizen", identity_number="001090099999")
    stranger = client.post(f"/api/v1/tasks/{task_id}/complete", headers=other, json=data)
    assert stranger.status_code == 404


def test_citizen_sees_history_without_officer_names_and_can_withdraw(deployed):
    client = deployed
    citizen = _token(client, name="Hương", role="citizen", identity_number=CITIZEN_ID)
    dossier = client.post(
        "/api/v1/dossiers", headers=citizen, json={"model": "ly-lich-tu-phap"}
    ).get_json()
    assert dossier["data"]["population"]["full_name"] == POPULATION[CITIZEN_ID]["full_name"]
    client.post(f"/api/v1/tasks/{dossier['current_tasks'][0]['id']}/claim", headers=ADMIN)
    events = client.get(f"/api/v1/dossiers/{dossier['id']}/events", headers=citizen).get_json()
    claimed = next(e for e in events if e["kind"] == "task_claimed")
    assert claimed["actor"] is None and claimed["detail"] == {}
    started = next(e for e in events if e["kind"] == "dossier_started")
    assert started["actor"] == f"citizen:{CITIZEN_ID}"
    assert (
        client.get(f"/api/v1/dossiers/{dossier['id']}/events", headers=ADMIN).get_json()[-1][
            "actor"
        ]
        == "admin:seed-admin"
    )

    tracking = client.get(f"/api/v1/tracking/{dossier['receipt_code']}").get_json()
    assert tracking["status"] == "in_progress" and tracking["status_label"] == "Đang giải quyết"
    assert tracking["current_steps"] == ["Kê khai Tờ khai và đính kèm giấy tờ"]

    withdrawn = client.post(
        f"/api/v1/dossiers/{dossier['id']}/cancel",
        headers=citizen,
        json={"reason": "Không cần nữa"},
    )
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "cancelled"
    assert withdrawn.get_json()["current_tasks"] == []
    again = client.post(f"/api/v1/dossiers/{dossier['id']}/cancel", headers=citizen, json={})
    assert again.status_code == 409
    tracking = client.get(f"/api/v1/tracking/{dossier['receipt_code']}").get_json()
    assert (
        tracking["status_label"] == "Đã rút hồ sơ"
        and tracking["history"][-1]["step"] == "Hủy hồ sơ"
    )
    assert "Không cần nữa" not in json.dumps(tracking, ensure_ascii=False)


def test_an_officer_retries_a_dossier_stopped_by_an_unreachable_registry(app_factory):
    calls = {"n": 0}

    def flaky_lookup(identity_number):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectorError("CSDL dân cư không trả lời", retryable=True)
        return dict(POPULATION[identity_number])

    app = app_factory(
        TOANTRINH_CONNECTORS=lambda: local_connectors(
            population=FunctionConnector("population", {"lookup": flaky_lookup})
        )
    )
    client = app.test_client()
    client.post("/api/v1/models", headers=ADMIN, json={"bpmn": BPMN, "procedure": PROCEDURE})
    dossier = client.post(
        "/api/v1/dossiers",
        headers=ADMIN,
        json={"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID},
    ).get_json()
    assert dossier["status"] == "error" and "không trả lời" in dossier["last_error"]
    assert (
        client.get(f"/api/v1/tracking/{dossier['receipt_code']}").get_json()["status"]
        == "in_progress"
    )
    officer = _token(
        client, name="Chuyên viên", role="officer", agency=AGENCY, lanes=["specialist"]
    )
    retried = client.post(f"/api/v1/dossiers/{dossier['id']}/retry", headers=officer)
    assert retried.status_code == 200 and retried.get_json()["status"] == "in_progress"
    assert (
        retried.get_json()["data"]["population"]["full_name"] == POPULATION[CITIZEN_ID]["full_name"]
    )
    assert (
        client.post(f"/api/v1/dossiers/{dossier['id']}/retry", headers=officer).status_code == 409
    )


def test_registry_catalogue_flags_and_warehouse_documents(app):
    client = app.test_client()
    citizen = _token(client, name="Hương", role="citizen", identity_number=CITIZEN_ID)
    registries = {r["id"]: r for r in client.get("/api/v1/registries", headers=citizen).get_json()}
    assert (
        registries["population"]["connected"] is True
        and registries["population"]["available"] is True
    )
    assert registries["land"]["connected"] is False and registries["land"]["available"] is False
    assert "full_name" in registries["population"]["fields"]
    assert (
        client.get(f"/api/v1/registries/land/records/{CITIZEN_ID}", headers=citizen).status_code
        == 404
    )
    assert (
        client.get(
            "/api/v1/registries/population/records/0010900123AB", headers=citizen
        ).status_code
        == 422
    )
    missing = client.get("/api/v1/registries/population/records/001099999999", headers=citizen)
    assert missing.status_code == 403  # not their own

    with app.app_context():
        store_result(
            db.session,
            applicant_id=CITIZEN_ID,
            document_type="criminal_record_certificate",
            title="Phiếu lý lịch tư pháp số 1",
            issuer="Sở Tư pháp Hà Nội",
            data={"so": "LLTP/1"},
        )
        store_result(
            db.session,
            applicant_id=CITIZEN_ID,
            document_type="birth_certificate",
            title="Giấy khai sinh",
            issuer="UBND phường Ô Chợ Dừa",
        )
        db.session.commit()
    docs = client.get(f"/api/v1/warehouse/{CITIZEN_ID}/documents", headers=citizen).get_json()
    assert {d["document_type"] for d in docs} == {
        "criminal_record_certificate",
        "birth_certificate",
    }
    only = client.get(
        f"/api/v1/warehouse/{CITIZEN_ID}/documents?document_type=birth_certificate", headers=citizen
    ).get_json()
    assert [d["title"] for d in only] == ["Giấy khai sinh"]


def test_simplification_report_catalogue_and_what_if(deployed):
    client = deployed
    reformer = _token(client, name="Cải cách", role="reformer")
    report = client.get("/api/v1/simplification/models/ly-lich-tu-phap", headers=reformer)
    assert report.status_code == 200, report.get_data(as_text=True)
    body = report.get_json()
    assert body["procedure"]["slug"] == "ly-lich-tu-phap" and body["findings"]
    assert body["after"]["steps"] <= body["before"]["steps"]

    none = client.get(
        "/api/v1/simplification/models/ly-lich-tu-phap?registries=judicial_records",
        headers=reformer,
    ).get_json()
    # without the population database the identity and residence papers stay in the dossier
    assert none["savings"]["components"] < body["savings"]["components"]

    markdown = client.get(
        "/api/v1/simplification/models/ly-lich-tu-phap?format=markdown", headers=reformer
    )
    assert markdown.mimetype == "text/markdown" and "Phiếu lý lịch tư pháp" in markdown.get_data(
        as_text=True
    )
    bad = client.get(
        "/api/v1/simplification/models/ly-lich-tu-phap?registries=population,khong-co",
        headers=reformer,
    )
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "registries"
    assert (
        client.get(
            "/api/v1/simplification/models/ly-lich-tu-phap?province=atlantis", headers=reformer
        ).status_code
        == 422
    )
    catalogue = client.get("/api/v1/simplification/catalogue", headers=reformer).get_json()
    assert catalogue["totals"]["procedures"] == 1
    assert catalogue["ranked_by_readiness"] == ["ly-lich-tu-phap"]


def test_simplification_what_if_connect_adds_to_the_connected_registries(deployed):
    """?connect=X means "what if X were connected too", never fewer connections."""
    client = deployed
    reformer = _token(client, name="Cải cách", role="reformer")
    base = client.get("/api/v1/simplification/models/ly-lich-tu-phap", headers=reformer).get_json()
    more = client.get(
        "/api/v1/simplification/models/ly-lich-tu-phap?connect=land,tax", headers=reformer
    )
    assert more.status_code == 200, more.get_data(as_text=True)
    assert more.get_json()["savings"]["components"] >= base["savings"]["components"]
    bad = client.get(
        "/api/v1/simplification/models/ly-lich-tu-phap?connect=khong-co", headers=reformer
    )
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "connect"
    catalogue = client.get(
        "/api/v1/simplification/catalogue?connect=land", headers=reformer
    ).get_json()
    assert catalogue["assumption"]["added"] == ["land"]
