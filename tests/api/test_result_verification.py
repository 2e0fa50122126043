"""Public verification of e-results by result code, over real HTTP: what it tells, what
it keeps back, and a seal a verifier checks offline with the published key."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from tests.api.conftest import LLTP, serve
from tests.helpers.people import CITIZEN_ID, local_connectors
from tests.reliability.conftest import STEPS
from toantrinh.api.app import db
from toantrinh.cli.main import main
from toantrinh.engine import clock, seal
from toantrinh.engine.service import Engine
from toantrinh.engine.warehouse import store_result

OTHER_ID = "001090000099"


@pytest.fixture
def seal_key(tmp_path) -> str:
    path = tmp_path / "seal-key.pem"
    seal.generate(path)
    return str(path)


def _certificate(app) -> str:
    """The result code of a criminal record certificate issued through the engine."""
    with app.app_context():
        engine = Engine(db.session, connectors=local_connectors())
        engine.deploy_folder(LLTP)
        dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
        for bpmn_id, data in STEPS:
            (task,) = [t for t in engine.ready_tasks(dossier.id) if t["bpmn_id"] == bpmn_id]
            engine.complete_task(dossier.id, task["id"], data, actor="test")
        (stored,) = [e for e in engine.events(dossier.id) if e.kind == "result_stored"]
        return stored.detail["result_code"]


def test_anyone_verifies_a_result_and_checks_the_seal_offline(app_factory, seal_key):
    app = app_factory(TOANTRINH_SEAL_KEY=seal_key)
    code = _certificate(app)
    for live in serve(app):
        public = live.api()  # no token
        keys = public.get("/api/v1/results/keys")
        assert keys.status_code == 200
        (jwk,) = keys.json()["keys"]
        assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["alg"] == "EdDSA"

        answer = public.get(f"/api/v1/results/{code}")
        assert answer.status_code == 200, answer.text
        body = answer.json()
        statement, sealed = body["statement"], body["seal"]
        assert statement["result_code"] == code and statement["status"] == "valid"
        assert statement["document_type"] == "criminal_record_certificate"
        assert statement["title"].startswith("Phiếu lý lịch tư pháp")
        assert statement["digitized_copy"] is False and len(statement["content_hash"]) == 64
        assert "holder_matches" not in statement
        assert CITIZEN_ID not in answer.text  # nothing about the person
        assert sealed["kid"] == jwk["kid"] and seal.verify(jwk, statement, sealed["signature"])
        forged = {**statement, "valid_until": "2099-01-01T00:00:00+00:00"}
        assert not seal.verify(jwk, forged, sealed["signature"])

        mine = public.get(f"/api/v1/results/{code}", params={"identity_number": CITIZEN_ID})
        assert mine.json()["statement"]["holder_matches"] is True
        assert seal.verify(jwk, mine.json()["statement"], mine.json()["seal"]["signature"])
        other = public.get(f"/api/v1/results/{code}", params={"identity_number": OTHER_ID})
        assert other.json()["statement"]["holder_matches"] is False
        bad = public.get(f"/api/v1/results/{code}", params={"identity_number": "12ab"})
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "identity_number"
        unknown = public.get("/api/v1/results/KQ-20990101-00000000")
        assert unknown.status_code == 404
        assert unknown.headers["Content-Type"].startswith("application/problem+json")


def test_a_document_past_its_validity_is_said_to_be_expired(app_factory, seal_key, session):
    app = app_factory(TOANTRINH_SEAL_KEY=seal_key)
    doc = store_result(
        session,
        applicant_id=CITIZEN_ID,
        document_type="land_use_certificate",
        title="Giấy chứng nhận quyền sử dụng đất",
        issuer="Văn phòng đăng ký đất đai",
        data={"parcel": "12"},
        valid_until=clock.now() + timedelta(days=30),
    )
    session.commit()
    for live in serve(app):
        now = live.api().get(f"/api/v1/results/{doc.result_code}").json()["statement"]
        assert now["status"] == "valid" and now["issuer"] == "Văn phòng đăng ký đất đai"
        clock.advance(31 * 86400)
        later = live.api().get(f"/api/v1/results/{doc.result_code}").json()["statement"]
        assert later["status"] == "expired"


def test_without_a_key_the_answer_is_unsigned(app_factory, session):
    app = app_factory()
    doc = store_result(session, applicant_id=CITIZEN_ID, document_type="x", title="X", issuer="Y")
    session.commit()
    for live in serve(app):
        assert live.api().get("/api/v1/results/keys").json() == {"keys": []}
        answer = live.api().get(f"/api/v1/results/{doc.result_code}").json()
        assert answer["seal"] is None and answer["statement"]["status"] == "valid"


def test_result_lookups_have_the_per_address_budget_of_tracking(app_factory, session):
    app = app_factory(TOANTRINH_RATE_LIMIT_TRACKING="2 per minute")
    for live in serve(app):
        statuses = [
            live.api().get("/api/v1/results/KQ-20990101-0000000" + str(i)).status_code
            for i in range(3)
        ]
        assert statuses == [404, 404, 429]


def test_keys_are_made_once_and_a_bad_key_stops_the_app(app_factory, tmp_path):
    runner = CliRunner()
    path = tmp_path / "keys" / "seal.pem"
    made = runner.invoke(main, ["seal", "keygen", str(path)])
    assert made.exit_code == 0, made.output
    public = json.loads(made.output)["public_key"]
    assert (path.stat().st_mode & 0o777) == 0o600
    again = runner.invoke(main, ["seal", "keygen", str(path)])
    assert again.exit_code == 1 and "không ghi đè" in again.output
    shown = runner.invoke(main, ["seal", "show", str(path)])
    assert json.loads(shown.output)["public_key"] == public
    not_a_key = tmp_path / "not-a-key.pem"
    not_a_key.write_text("hello")
    with pytest.raises(seal.SealError, match="không phải khóa riêng PEM"):
        app_factory(TOANTRINH_SEAL_KEY=str(not_a_key))
