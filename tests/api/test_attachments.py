"""Files attached to a dossier over real HTTP: upload, list, download, and the form's
component fields that take their codes (engine/attachments.py)."""

from __future__ import annotations

import hashlib
import sys

import pytest

from tests.api.conftest import ADMIN_TOKEN, create_token, serve
from tests.helpers.gpxd import GPXD, declaration
from tests.helpers.people import CITIZEN_ID, local_connectors
from toantrinh.api.app import db
from toantrinh.engine.service import Engine
from toantrinh.engine.warehouse import store_result

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
DECLARATION = declaration()


@pytest.fixture
def gpxd(session, api_tables):
    Engine(session, connectors=local_connectors()).deploy_folder(GPXD)
    return "cap-giay-phep-xay-dung"


def _start(api, model: str) -> dict:
    started = api.post("/api/v1/dossiers", json={"model": model})
    assert started.status_code == 201, started.text
    return started.json()


def _declare_task(api, dossier_id: int) -> dict:
    tasks = api.get(f"/api/v1/dossiers/{dossier_id}/tasks")
    assert tasks.status_code == 200, tasks.text
    (task,) = [t for t in tasks.json() if t["bpmn_id"] == "Task_Declare"]
    return task


def _upload(
    api,
    dossier_id: int,
    content: bytes,
    name="ban-ve.pdf",
    component=None,
    declared="application/octet-stream",
):
    data = {"component": component} if component else {}
    return api.post(
        f"/api/v1/dossiers/{dossier_id}/attachments",
        files={"file": (name, content, declared)},
        data=data,
    )


def test_citizen_uploads_drawings_and_submits_their_code_in_the_form(live, tokens, gpxd):
    citizen = live.api(tokens["citizen"])
    admin = live.api(tokens["admin"])
    dossier = _start(citizen, gpxd)

    components = citizen.get(f"/api/v1/dossiers/{dossier['id']}/components")
    assert components.status_code == 200, components.text
    assert {c["component"]: c["fields"] for c in components.json()} == {
        "construction_drawings": ["gpxd-don.drawings_file"],
        "land_certificate_copy": ["gpxd-don.land_certificate_file"],
    }

    # the type comes from the bytes, not from what the client declares; the name loses its path
    uploaded = _upload(
        citizen,
        dossier["id"],
        PDF,
        name="../scans/Bản vẽ.pdf",
        component="construction_drawings",
        declared="text/plain",
    )
    assert uploaded.status_code == 201, uploaded.text
    file = uploaded.json()
    assert file["code"].startswith("TL-") and len(file["code"]) == 19
    assert file["media_type"] == "application/pdf" and file["filename"] == "Bản vẽ.pdf"
    assert file["size"] == len(PDF) and file["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert file["component"] == "construction_drawings"

    listed = citizen.get(f"/api/v1/dossiers/{dossier['id']}/attachments")
    assert [f["code"] for f in listed.json()] == [file["code"]]
    got = citizen.get(f"/api/v1/dossiers/{dossier['id']}/attachments/{file['code']}")
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["Content-Type"] == "application/pdf"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert "filename*=UTF-8''B%E1%BA%A3n%20v%E1%BA%BD.pdf" in got.headers["Content-Disposition"]
    components = citizen.get(f"/api/v1/dossiers/{dossier['id']}/components").json()
    assert [c["attachments"] for c in components] == [[file["code"]], []]

    task = _declare_task(citizen, dossier["id"])
    done = citizen.post(
        f"/api/v1/tasks/{task['id']}/complete",
        json={"data": {**DECLARATION, "drawings_file": file["code"]}},
    )
    assert done.status_code == 200, done.text
    assert done.json()["data"]["drawings_file"] == file["code"]

    events = admin.get(f"/api/v1/dossiers/{dossier['id']}/events").json()
    added = [e for e in events if e["kind"] == "attachment_added"]
    assert len(added) == 1 and added[0]["detail"]["code"] == file["code"]
    assert added[0]["detail"]["sha256"] == file["sha256"]


def test_the_form_refuses_codes_that_are_not_files_of_this_dossier(live, tokens, gpxd):
    citizen = live.api(tokens["citizen"])
    first, second = _start(citizen, gpxd), _start(citizen, gpxd)
    elsewhere = _upload(citizen, second["id"], PDF, component="construction_drawings").json()
    land = _upload(
        citizen, first["id"], PNG, name="gcn.png", component="land_certificate_copy"
    ).json()
    task = _declare_task(citizen, first["id"])

    for code, words in (
        (elsewhere["code"], "không có tệp"),
        ("TL-0000000000000000", "không có tệp"),
        (land["code"], "thuộc thành phần 'land_certificate_copy'"),
    ):
        refused = citizen.post(
            f"/api/v1/tasks/{task['id']}/complete",
            json={"data": {**DECLARATION, "drawings_file": code}},
        )
        assert refused.status_code == 422, refused.text
        (error,) = refused.json()["errors"]
        assert error["field"] == "drawings_file" and words in error["message"]

    # nothing moved: the same task is still waiting, and takes the right file
    assert _declare_task(citizen, first["id"])["id"] == task["id"]
    ok = citizen.post(
        f"/api/v1/tasks/{task['id']}/complete",
        json={"data": {**DECLARATION, "land_certificate_file": land["code"]}},
    )
    assert ok.status_code == 200, ok.text


def test_a_document_of_the_warehouse_stands_for_an_upload(live, tokens, gpxd, session):
    doc = store_result(
        session,
        applicant_id=CITIZEN_ID,
        document_type="land_use_certificate",
        title="Giấy chứng nhận quyền sử dụng đất",
        issuer="UBND",
        data={"number": "DA 123456"},
    )
    other = store_result(
        session,
        applicant_id="001099000001",
        document_type="land_use_certificate",
        title="Giấy chứng nhận của người khác",
        issuer="UBND",
        data={},
    )
    session.commit()
    citizen = live.api(tokens["citizen"])
    dossier = _start(citizen, gpxd)
    task = _declare_task(citizen, dossier["id"])
    refused = citizen.post(
        f"/api/v1/tasks/{task['id']}/complete",
        json={"data": {**DECLARATION, "land_certificate_file": other.result_code}},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "land_certificate_file"
    ok = citizen.post(
        f"/api/v1/tasks/{task['id']}/complete",
        json={"data": {**DECLARATION, "land_certificate_file": doc.result_code}},
    )
    assert ok.status_code == 200, ok.text


def test_uploads_are_refused_with_a_reason_and_nothing_kept(live, tokens, gpxd):
    citizen = live.api(tokens["citizen"])
    dossier = _start(citizen, gpxd)
    path = f"/api/v1/dossiers/{dossier['id']}/attachments"

    cases = [
        (_upload(citizen, dossier["id"], b"MZ\x90\x00 not a document"), 422, "file"),
        (_upload(citizen, dossier["id"], b""), 422, "file"),
        (_upload(citizen, dossier["id"], PDF, component="ho_chieu"), 422, "component"),
        (citizen.post(path, files={"tep": ("a.pdf", PDF)}), 422, "file"),
        (citizen.post(path, data={"component": "construction_drawings"}), 415, None),
        (citizen.post(path, json={"file": "JVBERi0="}), 415, None),
        (_upload(live.api(tokens["other_citizen"]), dossier["id"], PDF), 403, None),
        (_upload(live.api(tokens["other_agency"]), dossier["id"], PDF), 403, None),
        (_upload(citizen, 2147483000, PDF), 404, None),
    ]
    for response, status, field in cases:
        assert response.status_code == status, response.text
        assert response.headers["Content-Type"] == "application/problem+json"
        if field:
            assert [e["field"] for e in response.json()["errors"]] == [field]
    assert citizen.get(path).json() == []
    assert citizen.get(f"{path}/TL-0000000000000000").status_code == 404
    assert live.api(tokens["other_citizen"]).get(path).status_code == 403

    cancelled = live.api(tokens["admin"]).post(
        f"/api/v1/dossiers/{dossier['id']}/cancel", json={"reason": "thử"}
    )
    assert cancelled.status_code == 200, cancelled.text
    late = _upload(citizen, dossier["id"], PDF)
    assert late.status_code == 409 and "kết thúc" in late.json()["detail"]


def test_size_and_count_limits_come_from_the_configuration(app_factory, gpxd):
    app = app_factory(TOANTRINH_ATTACHMENT_MAX_BYTES=1024, TOANTRINH_ATTACHMENTS_PER_DOSSIER=2)
    for live in serve(app):
        citizen = live.api(
            create_token(
                live.api(), name="Nguyễn Văn An", role="citizen", identity_number=CITIZEN_ID
            )
        )
        dossier = _start(citizen, gpxd)
        too_big = _upload(citizen, dossier["id"], PDF + b"\x00" * 1024)
        assert too_big.status_code == 413, too_big.text
        assert "1.024" in too_big.json()["errors"][0]["message"]
        assert _upload(citizen, dossier["id"], PDF).status_code == 201
        assert _upload(citizen, dossier["id"], PNG, name="anh.png").status_code == 201
        third = _upload(citizen, dossier["id"], PDF)
        assert third.status_code == 409, third.text
        with app.app_context():
            assert len(Engine(db.session).attachments(dossier["id"])) == 2


def test_uploads_go_through_the_configured_malware_scanner(app_factory, gpxd, tmp_path):
    from tests.engine.test_attachments import FAKE_SCANNER

    script = tmp_path / "fake_clamdscan.py"
    script.write_text(FAKE_SCANNER, encoding="utf-8")
    app = app_factory(
        TOANTRINH_UPLOAD_SCAN=f"{sys.executable} {script}", TOANTRINH_UPLOAD_SCAN_SECONDS=5
    )
    for live in serve(app):
        citizen = live.api(
            create_token(
                live.api(), name="Nguyễn Văn An", role="citizen", identity_number=CITIZEN_ID
            )
        )
        dossier = _start(citizen, gpxd)
        infected = _upload(citizen, dossier["id"], PDF + b"INFECTED")
        assert infected.status_code == 422, infected.text
        assert infected.json()["errors"][0]["field"] == "file"
        assert "Win.Test.Marker-1" in infected.json()["errors"][0]["message"]
        down = _upload(citizen, dossier["id"], PDF + b"BROKEN")
        assert down.status_code == 503, down.text
        assert down.headers["Retry-After"] == "60"
        assert "gửi lại" in down.json()["detail"]
        clean = _upload(citizen, dossier["id"], PDF)
        assert clean.status_code == 201, clean.text
        listed = citizen.get(f"/api/v1/dossiers/{dossier['id']}/attachments").json()
        assert [f["code"] for f in listed] == [clean.json()["code"]]


def test_with_a_file_store_files_are_served_from_it_and_a_lost_one_is_said_so(
    app_factory, gpxd, tmp_path
):
    from toantrinh.engine.filestore import MARKER, DirectoryStore, FileStoreError

    files = tmp_path / "files"
    with pytest.raises(FileStoreError, match="files init"):  # an app refuses a store
        app_factory(TOANTRINH_FILE_STORE=str(files))  # that was never initialised
    DirectoryStore(files, create=True)  # toantrinh files init
    app = app_factory(TOANTRINH_FILE_STORE=str(files))
    for live in serve(app):
        citizen = live.api(
            create_token(
                live.api(), name="Nguyễn Văn An", role="citizen", identity_number=CITIZEN_ID
            )
        )
        admin = live.api(ADMIN_TOKEN)
        dossier = _start(citizen, gpxd)
        uploaded = _upload(citizen, dossier["id"], PDF, component="land_certificate_copy")
        assert uploaded.status_code == 201, uploaded.text
        code, sha = uploaded.json()["code"], hashlib.sha256(PDF).hexdigest()
        store = DirectoryStore(files)
        assert list(store.hashes()) == [sha] and store.get(sha) == PDF
        with app.app_context():
            row = Engine(db.session).attachment(dossier["id"], code, with_content=True)
            assert row.content is None  # the row holds the metadata, the store the bytes
        got = citizen.get(f"/api/v1/dossiers/{dossier['id']}/attachments/{code}")
        assert got.status_code == 200 and got.content == PDF
        assert got.headers["ETag"] == f'"{sha}"'
        kept = admin.post(f"/api/v1/dossiers/{dossier['id']}/attachments/{code}/keep", json={})
        assert kept.status_code == 201, kept.text
        result_code = kept.json()["result_code"]
        own = citizen.get(f"/api/v1/warehouse/{CITIZEN_ID}/documents/{result_code}/file")
        assert own.status_code == 200 and own.content == PDF
        assert list(store.hashes()) == [sha]  # the warehouse copy is the same file

        store.path(sha).unlink()  # one file lost (a bad restore)
        lost = citizen.get(f"/api/v1/dossiers/{dossier['id']}/attachments/{code}")
        assert lost.status_code == 500
        assert lost.headers["Content-Type"].startswith("application/problem+json")
        assert "kho tệp thiếu tệp" in lost.json()["detail"]
        assert live.api().get("/api/v1/health").json() == {"status": "ok"}

        (files / MARKER).rename(tmp_path / "marker")  # the volume went away
        health = live.api().get("/api/v1/health")
        assert health.status_code == 503 and health.json()["status"] == "unavailable"
        refused = _upload(citizen, dossier["id"], PNG, name="anh.png")
        assert refused.status_code == 503 and refused.headers["Retry-After"] == "60"
        assert refused.json()["type"].endswith("file-store")
        with app.app_context():
            assert len(Engine(db.session).attachments(dossier["id"])) == 1  # nothing kept

    blocked = tmp_path / "not-a-directory"
    blocked.write_text("x")
    with pytest.raises(FileStoreError, match="không tạo được kho tệp"):
        DirectoryStore(blocked / "files", create=True)


def test_an_s3_bucket_as_the_file_store_is_configured_by_its_url(app_factory, gpxd, bucket):
    from toantrinh.engine.filestore import S3Store

    app = app_factory(TOANTRINH_FILE_STORE=f"s3://{bucket}/toantrinh")
    store = app.extensions["toantrinh.files"]
    assert isinstance(store, S3Store) and store.bucket == bucket
    for live in serve(app):
        citizen = live.api(
            create_token(
                live.api(), name="Nguyễn Văn An", role="citizen", identity_number=CITIZEN_ID
            )
        )
        dossier = _start(citizen, gpxd)
        uploaded = _upload(citizen, dossier["id"], PNG, name="anh.png")
        assert uploaded.status_code == 201, uploaded.text
        assert list(store.hashes()) == [hashlib.sha256(PNG).hexdigest()]
        got = citizen.get(f"/api/v1/dossiers/{dossier['id']}/attachments/{uploaded.json()['code']}")
        assert got.status_code == 200 and got.content == PNG
