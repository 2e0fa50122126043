"""A file an officer has checked, kept in the applicant's e-data warehouse and used by the
applicant's next dossier by its result code instead of a new upload (once-only), over
real HTTP (Engine.keep_attachment, api/resources/attachments.py)."""

from __future__ import annotations

import hashlib

import pytest

from tests.api.conftest import create_token
from tests.helpers.gpxd import GPXD, declaration
from tests.helpers.people import CITIZEN_ID, local_connectors
from toantrinh.engine.service import Engine
from toantrinh.engine.warehouse import store_result

SCAN = b"\x89PNG\r\n\x1a\n" + b"gcn-quyen-su-dung-dat" * 8
DRAWINGS = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DECLARATION = declaration()
COMMUNE = "Ủy ban nhân dân cấp xã"  # the construction permit's agency (procedure.json)


@pytest.fixture
def gpxd(session, api_tables):
    Engine(session, connectors=local_connectors()).deploy_folder(GPXD)
    return "cap-giay-phep-xay-dung"


@pytest.fixture
def commune(live) -> str:
    return create_token(
        live.api(),
        name="Lê Tiếp Nhận",
        role="officer",
        agency=COMMUNE,
        lanes=["one_stop_desk", "specialist", "leader"],
    )


def _start(api, model: str) -> dict:
    started = api.post("/api/v1/dossiers", json={"model": model})
    assert started.status_code == 201, started.text
    return started.json()


def _upload(api, dossier_id: int, content: bytes, component: str | None, name: str) -> dict:
    data = {"component": component} if component else {}
    sent = api.post(
        f"/api/v1/dossiers/{dossier_id}/attachments",
        files={"file": (name, content, "application/octet-stream")},
        data=data,
    )
    assert sent.status_code == 201, sent.text
    return sent.json()


def _declare(api, dossier_id: int, data: dict):
    (task,) = [
        t
        for t in api.get(f"/api/v1/dossiers/{dossier_id}/tasks").json()
        if t["bpmn_id"] == "Task_Declare"
    ]
    return api.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data})


def test_a_checked_file_is_kept_once_and_the_next_dossier_names_it(live, tokens, commune, gpxd):
    citizen, officer = live.api(tokens["citizen"]), live.api(commune)
    first = _start(citizen, gpxd)
    scan = _upload(citizen, first["id"], SCAN, "land_certificate_copy", "Giấy chứng nhận.png")

    kept = officer.post(f"/api/v1/dossiers/{first['id']}/attachments/{scan['code']}/keep", json={})
    assert kept.status_code == 201, kept.text
    doc = kept.json()
    # the type of document the component is (its tt:component documentType), not its code
    assert doc["document_type"] == "land_use_certificate"
    assert doc["result_code"].startswith("KQ-") and doc["applicant_id"] == CITIZEN_ID
    assert doc["title"] == "Bản sao Giấy chứng nhận quyền sử dụng đất"  # the component's name
    assert doc["issuer"] == COMMUNE
    assert doc["content_hash"] == hashlib.sha256(SCAN).hexdigest()
    assert doc["file"] == {
        "filename": "Giấy chứng nhận.png",
        "media_type": "image/png",
        "size": len(SCAN),
    }
    assert doc["source_dossier_id"] == str(first["id"])
    assert doc["data"]["digitized"] is True and doc["data"]["receipt_code"] == first["receipt_code"]

    listed = officer.get(f"/api/v1/dossiers/{first['id']}/attachments").json()
    assert [(f["code"], f["kept_as"]) for f in listed] == [(scan["code"], doc["result_code"])]
    again = officer.post(f"/api/v1/dossiers/{first['id']}/attachments/{scan['code']}/keep")
    assert again.status_code == 200, again.text
    assert again.json()["result_code"] == doc["result_code"]
    events = officer.get(f"/api/v1/dossiers/{first['id']}/events").json()
    assert [e["detail"]["result_code"] for e in events if e["kind"] == "attachment_kept"] == [
        doc["result_code"]
    ]

    # the applicant's next dossier: the warehouse holds the land certificate; no upload
    second = _start(citizen, gpxd)
    components = {
        c["component"]: c for c in citizen.get(f"/api/v1/dossiers/{second['id']}/components").json()
    }
    land = components["land_certificate_copy"]
    assert land["document_type"] == "land_use_certificate"
    assert [h["result_code"] for h in land["held"]] == [doc["result_code"]]
    assert components["construction_drawings"]["held"] == []
    # only the applicant is shown what their warehouse holds
    seen_by_officer = officer.get(f"/api/v1/dossiers/{second['id']}/components").json()
    assert {c["held"] is None for c in seen_by_officer} == {True}

    drawings = _upload(citizen, second["id"], DRAWINGS, "construction_drawings", "ban-ve.pdf")
    done = _declare(
        citizen,
        second["id"],
        {
            **DECLARATION,
            "drawings_file": drawings["code"],
            "land_certificate_file": doc["result_code"],
        },
    )
    assert done.status_code == 200, done.text

    # the officer handling the second dossier opens the file it names
    got = officer.get(f"/api/v1/dossiers/{second['id']}/documents/{doc['result_code']}/file")
    assert got.status_code == 200, got.text
    assert got.content == SCAN and got.headers["Content-Type"] == "image/png"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    # …and the applicant from their own warehouse
    own = citizen.get(f"/api/v1/warehouse/{CITIZEN_ID}/documents/{doc['result_code']}/file")
    assert own.status_code == 200 and own.content == SCAN
    listed = citizen.get(
        f"/api/v1/warehouse/{CITIZEN_ID}/documents",
        params={"document_type": "land_use_certificate"},
    ).json()
    assert [d["result_code"] for d in listed] == [doc["result_code"]]
    assert listed[0]["file"]["media_type"] == "image/png"


def test_keeping_is_for_officers_of_the_dossier_and_files_of_a_component(
    live, tokens, commune, gpxd
):
    citizen, officer = live.api(tokens["citizen"]), live.api(commune)
    dossier = _start(citizen, gpxd)
    scan = _upload(citizen, dossier["id"], SCAN, "land_certificate_copy", "gcn.png")
    loose = _upload(citizen, dossier["id"], DRAWINGS, None, "khac.pdf")
    path = f"/api/v1/dossiers/{dossier['id']}/attachments"

    assert citizen.post(f"{path}/{scan['code']}/keep").status_code == 403
    assert live.api(tokens["other_agency"]).post(f"{path}/{scan['code']}/keep").status_code == 403
    assert officer.post(f"{path}/TL-0000000000000000/keep").status_code == 404
    unfiled = officer.post(f"{path}/{loose['code']}/keep")
    assert unfiled.status_code == 422, unfiled.text
    assert unfiled.json()["errors"][0]["field"] == "code"
    expired = officer.post(
        f"{path}/{scan['code']}/keep", json={"valid_until": "2001-01-01T00:00:00+07:00"}
    )
    assert expired.status_code == 422 and expired.json()["errors"][0]["field"] == "valid_until"
    assert (
        officer.post(
            f"{path}/{scan['code']}/keep", json={"valid_until": "không phải ngày"}
        ).status_code
        == 422
    )
    # nothing was kept by the refusals
    assert citizen.get(f"/api/v1/warehouse/{CITIZEN_ID}/documents").json() == []

    cancelled = live.api(tokens["admin"]).post(
        f"/api/v1/dossiers/{dossier['id']}/cancel", json={"reason": "thử"}
    )
    assert cancelled.status_code == 200, cancelled.text
    late = officer.post(f"{path}/{scan['code']}/keep")
    assert late.status_code == 409 and "hủy" in late.json()["detail"]


def test_a_warehouse_document_must_be_of_the_components_type(live, tokens, gpxd, session):
    record = store_result(
        session,
        applicant_id=CITIZEN_ID,
        document_type="criminal_record_certificate",
        title="Phiếu lý lịch tư pháp số 1",
        issuer="Sở Tư pháp",
        data={},
    )
    session.commit()
    citizen = live.api(tokens["citizen"])
    dossier = _start(citizen, gpxd)
    refused = _declare(
        citizen, dossier["id"], {**DECLARATION, "land_certificate_file": record.result_code}
    )
    assert refused.status_code == 422, refused.text
    (error,) = refused.json()["errors"]
    assert error["field"] == "land_certificate_file"
    assert "criminal_record_certificate" in error["message"]
    assert "land_use_certificate" in error["message"]


def test_files_of_the_warehouse_are_shown_only_to_whom_may_see_them(
    live, tokens, commune, gpxd, session
):
    citizen, officer = live.api(tokens["citizen"]), live.api(commune)
    dossier = _start(citizen, gpxd)
    scan = _upload(citizen, dossier["id"], SCAN, "land_certificate_copy", "gcn.png")
    code = officer.post(f"/api/v1/dossiers/{dossier['id']}/attachments/{scan['code']}/keep").json()[
        "result_code"
    ]
    # a document without a file (a result the engine kept) has nothing to download
    plain = store_result(
        session,
        applicant_id=CITIZEN_ID,
        document_type="land_use_certificate",
        title="GCN",
        issuer="UBND",
        data={},
    )
    session.commit()
    other_dossier = _start(citizen, gpxd)  # names neither document
    # a code typed into a field that is not a component's does not open the warehouse
    typed = _start(citizen, gpxd)
    sent = _declare(citizen, typed["id"], {**DECLARATION, "designer": code})
    assert sent.status_code == 200, sent.text
    assert officer.get(f"/api/v1/dossiers/{typed['id']}/documents/{code}/file").status_code == 404
    own_path = f"/api/v1/warehouse/{CITIZEN_ID}/documents"

    assert live.api(tokens["other_citizen"]).get(f"{own_path}/{code}/file").status_code == 403
    assert officer.get(f"{own_path}/{code}/file").status_code == 403  # no consent recorded
    assert citizen.get(f"{own_path}/{plain.result_code}/file").status_code == 404
    assert citizen.get(f"{own_path}/KQ-20000101-00000000/file").status_code == 404
    # through a dossier: only the one it was kept from, or one that names it
    assert officer.get(f"/api/v1/dossiers/{dossier['id']}/documents/{code}/file").status_code == 200
    assert (
        officer.get(f"/api/v1/dossiers/{other_dossier['id']}/documents/{code}/file").status_code
        == 404
    )
    assert (
        live.api(tokens["other_agency"])
        .get(f"/api/v1/dossiers/{dossier['id']}/documents/{code}/file")
        .status_code
        == 403
    )
