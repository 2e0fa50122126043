"""Every endpoint × every role against the permission table of docs/authorization.md,
and each scope boundary (own, agency, lane, desk, consent, token validity)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.api.conftest import ADMIN_TOKEN, AGENCY, LLTP, ROOT
from tests.helpers.people import CITIZEN_ID, ltp_declaration
from toantrinh.engine import clock

DOC = ROOT / "docs" / "authorization.md"
ROLES = ("anonymous", "citizen", "officer", "modeller", "reformer", "admin")
OTHER_CITIZEN = "001099000001"
BPMN = (LLTP / "ly-lich-tu-phap.bpmn").read_bytes()
PROCEDURE = (LLTP / "procedure.json").read_bytes()
PDF = b"%PDF-1.4\n%%EOF\n"


def permission_table() -> dict[str, dict[str, str]]:
    """``{"GET /api/v1/…": {role: rule}}`` parsed from the Markdown table."""
    table: dict[str, dict[str, str]] = {}
    header = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == "endpoint":
            header = cells[1:]
            continue
        if header and len(cells) == len(header) + 1 and cells[0].startswith("`"):
            table[cells[0].strip("`")] = dict(zip(header, cells[1:], strict=True))
    assert header is not None and tuple(header) == ROLES
    return table


TABLE = permission_table()


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def test_the_table_lists_every_api_route_of_the_app_and_nothing_else(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue  # web pages (web/) are not API resources
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add(f"{method} {_openapi_path(rule.rule)}")
    assert routes == set(TABLE)
    assert {rule for row in TABLE.values() for rule in row.values()} <= {
        "yes",
        "no",
        "own",
        "agency",
        "lane",
        "desk",
        "desk/leader",
        "consent",
        "dev",
    }


@dataclass
class World:
    """A database with one of everything, and a token per role."""

    client: Any
    tokens: dict[str, str | None] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)

    def call(self, method: str, path: str, token: str | None, **kwargs) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def admin(self, method: str, path: str, **kwargs) -> Any:
        response = self.call(method, path, ADMIN_TOKEN, **kwargs)
        assert response.status_code < 300, response.get_data(as_text=True)
        return response.get_json()

    def token(self, **spec) -> str:
        return self.admin("POST", "/api/v1/auth/tokens", json=spec)["token"]

    def task(self, dossier_id: int, bpmn_id: str) -> str:
        tasks = self.admin("GET", f"/api/v1/dossiers/{dossier_id}/tasks")
        return next(t["id"] for t in tasks if t["bpmn_id"] == bpmn_id)


def deploy(world: World) -> None:
    world.admin(
        "POST",
        "/api/v1/models",
        content_type="multipart/form-data",
        data={
            "bpmn": (io.BytesIO(BPMN), "ly-lich-tu-phap.bpmn"),
            "procedure": (io.BytesIO(PROCEDURE), "procedure.json"),
        },
    )


@pytest.fixture
def world(app_factory) -> World:
    app = app_factory(TOANTRINH_DEV_LOGIN="1")
    w = World(app.test_client())
    deploy(w)
    w.tokens = {
        "anonymous": None,
        "admin": ADMIN_TOKEN,
        "citizen": w.token(name="Hương", role="citizen", identity_number=CITIZEN_ID),
        "officer": w.token(
            name="Cán bộ",
            role="officer",
            agency=AGENCY,
            lanes=["one_stop_desk", "specialist", "leader"],
        ),
        "modeller": w.token(name="Mô hình", role="modeller"),
        "reformer": w.token(name="Cải cách", role="reformer"),
    }
    citizen = w.tokens["citizen"]
    a = w.call("POST", "/api/v1/dossiers", citizen, json={"model": "ly-lich-tu-phap"}).get_json()
    b = w.admin(
        "POST", "/api/v1/dossiers", json={"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID}
    )
    c = w.admin(
        "POST", "/api/v1/dossiers", json={"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID}
    )
    w.admin(
        "POST",
        f"/api/v1/tasks/{w.task(b['id'], 'Task_Declare')}/complete",
        json={"data": ltp_declaration(purpose="Xin việc")},
    )
    w.admin(
        "POST",
        f"/api/v1/tasks/{w.task(b['id'], 'Task_Pay')}/complete",
        json={"data": {"payment_method": "online"}},
    )
    consents = [
        w.call(
            "POST", "/api/v1/consents", citizen, json={"registry": r, "purpose": "Cấp phiếu LLTP"}
        ).get_json()
        for r in ("population", "edata_warehouse")
    ]
    w.ids = {
        "a": a,
        "b": b,
        "c": c,
        "declare": w.task(a["id"], "Task_Declare"),
        "receive": w.task(b["id"], "Task_Receive"),
        "consent": consents[0]["id"],
        "webhook": w.admin(
            "POST", "/api/v1/webhooks", json={"url": "http://127.0.0.1:9/h", "events": ["*"]}
        )["id"],
        "spare_token": w.admin(
            "POST", "/api/v1/auth/tokens", json={"name": "x", "role": "reformer"}
        )["id"],
        "attachment": w.admin(
            "POST",
            f"/api/v1/dossiers/{b['id']}/attachments",
            content_type="multipart/form-data",
            data={"file": (io.BytesIO(PDF), "don.pdf")},
        )["code"],
    }
    return w


def request_for(endpoint: str, role: str, w: World) -> tuple[str, str, dict[str, Any]]:
    """A concrete request for one table row, on resources the role's scope covers."""
    method, template = endpoint.split(" ", 1)
    task = w.ids["declare"] if role == "citizen" else w.ids["receive"]
    values = {
        "dossier_id": w.ids["b"]["id"],
        "task_id": task,
        "slug": "ly-lich-tu-phap",
        "number": 1,
        "receipt_code": w.ids["a"]["receipt_code"],
        "registry_id": "population",
        "identity_number": CITIZEN_ID,
        "consent_id": w.ids["consent"],
        "webhook_id": w.ids["webhook"],
        "token_id": w.ids["spare_token"],
        "name": "rapidoc-min.js",
        "code": w.ids["attachment"],
        "result_code": "KQ-20000101-00000000",
        "kind": "receipt",
        "platform": "paygov",
        "delegation_id": 999999,
        "key": "0" * 64,
    }
    if template.endswith("/cancel"):
        values["dossier_id"] = w.ids["c"]["id"]
    path = template.format(**values)
    bodies: dict[str, dict[str, Any]] = {
        "POST /api/v1/auth/dev-login": {
            "json": {"role": "citizen", "identity_number": "001099000009"}
        },
        "POST /api/v1/auth/tokens": {"json": {"name": "y", "role": "reformer"}},
        "POST /api/v1/models": {
            "data": BPMN,
            "content_type": "application/xml",
            "query_string": {"slug": "ly-lich-tu-phap"},
        },
        "POST /api/v1/models/validate": {"data": BPMN, "content_type": "application/xml"},
        "POST /api/v1/dossiers": {"json": {"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID}},
        "POST /api/v1/dossiers/{dossier_id}/cancel": {"json": {"reason": "Thử quyền"}},
        "POST /api/v1/dossiers/{dossier_id}/deadline/extensions": {
            "json": {"due_at": "2030-01-03T10:00:00+07:00", "reason": "Thử quyền"}
        },
        "POST /api/v1/dossiers/{dossier_id}/attachments": {
            "data": {"file": (io.BytesIO(PDF), "ban-sao.pdf")},
            "content_type": "multipart/form-data",
        },
        "POST /api/v1/tasks/{task_id}/complete": {"json": {"data": {"copies": "không phải số"}}},
        "POST /api/v1/consents": {"json": {"registry": "civil_status", "purpose": "Thử quyền"}},
        "POST /api/v1/webhooks": {
            "json": {"url": "http://127.0.0.1:9/x", "events": ["dossier_completed"]}
        },
    }
    return method, path, bodies.get(endpoint, {})


# claims, cancellations and deletions last, so they do not hide earlier checks
ORDER = sorted(
    TABLE,
    key=lambda e: (
        e.startswith("DELETE") or "/claim" in e or "/cancel" in e or "/complete" in e,
        e,
    ),
)


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_answers_each_role_as_the_permission_table_says(world, role):
    mismatches = []
    for endpoint in ORDER:
        rule = TABLE[endpoint][role]
        method, path, kwargs = request_for(endpoint, role, world)
        response = world.call(method, path, world.tokens[role], **kwargs)
        status = response.status_code
        if rule == "no":
            expected_ok = status == (401 if role == "anonymous" else 403)
        else:
            expected_ok = status not in (401, 403) and status < 500
        if not expected_ok:
            mismatches.append(
                f"{endpoint} as {role} ({rule}): {status} {response.get_data(as_text=True)[:200]}"
            )
        if status in (401, 403):
            assert response.mimetype == "application/problem+json"
    assert not mismatches, "\n".join(mismatches)


# ----------------------------------------------------------------- scope boundaries
def test_a_citizen_cannot_see_or_act_on_another_citizens_dossier(world):
    other = world.token(name="Khác", role="citizen", identity_number=OTHER_CITIZEN)
    a = world.ids["a"]
    for method, path, kwargs in [
        ("GET", f"/api/v1/dossiers/{a['id']}", {}),
        ("GET", f"/api/v1/dossiers/{a['id']}/events", {}),
        ("GET", f"/api/v1/dossiers/{a['id']}/tasks", {}),
        ("GET", f"/api/v1/tasks/{world.ids['declare']}", {}),
        ("POST", f"/api/v1/tasks/{world.ids['declare']}/claim", {}),
        ("POST", f"/api/v1/tasks/{world.ids['declare']}/complete", {"json": {"data": {}}}),
        ("POST", f"/api/v1/dossiers/{a['id']}/cancel", {"json": {}}),
        ("GET", f"/api/v1/registries/population/records/{CITIZEN_ID}", {}),
        ("GET", f"/api/v1/warehouse/{CITIZEN_ID}/documents", {}),
        (
            "POST",
            "/api/v1/dossiers",
            {"json": {"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID}},
        ),
        ("DELETE", f"/api/v1/consents/{world.ids['consent']}", {}),
    ]:
        response = world.call(method, path, other, **kwargs)
        assert response.status_code == 403, (method, path, response.get_data(as_text=True))
    assert world.call("GET", "/api/v1/dossiers", other).get_json()["total"] == 0
    assert world.call("GET", "/api/v1/tasks", other).get_json()["total"] == 0
    assert world.call("GET", "/api/v1/consents", other).get_json() == []
    in_person = world.call(
        "POST", "/api/v1/dossiers", other, json={"model": "ly-lich-tu-phap", "channel": "in_person"}
    )
    assert in_person.status_code == 422 and in_person.get_json()["errors"][0]["field"] == "channel"


def test_a_citizen_completes_only_citizen_steps_of_their_own_dossier(world):
    citizen = world.tokens["citizen"]
    receive = world.ids["receive"]  # desk lane, on the citizen's own dossier b
    assert world.call("GET", f"/api/v1/tasks/{receive}", citizen).status_code == 403
    assert (
        world.call(
            "POST",
            f"/api/v1/tasks/{receive}/complete",
            citizen,
            json={"data": {"intake_decision": "accept"}},
        ).status_code
        == 403
    )
    tasks = world.call("GET", f"/api/v1/dossiers/{world.ids['b']['id']}/tasks", citizen).get_json()
    assert tasks == []


def test_officers_act_only_within_their_agency_and_lanes(world):
    b, receive = world.ids["b"], world.ids["receive"]
    elsewhere = world.token(
        name="Sở khác",
        role="officer",
        agency="Sở Xây dựng",
        lanes=["one_stop_desk", "specialist", "leader"],
    )
    for method, path in [
        ("GET", f"/api/v1/dossiers/{b['id']}"),
        ("GET", f"/api/v1/tasks/{receive}"),
        ("POST", f"/api/v1/tasks/{receive}/claim"),
        ("POST", f"/api/v1/dossiers/{b['id']}/retry"),
        ("GET", f"/api/v1/tasks?agency={AGENCY}"),
        ("GET", f"/api/v1/metrics?agency={AGENCY}"),
    ]:
        assert world.call(method, path, elsewhere).status_code == 403, (method, path)
    assert world.call("GET", "/api/v1/tasks", elsewhere).get_json()["total"] == 0
    assert world.call("GET", "/api/v1/dossiers", elsewhere).get_json()["total"] == 0

    specialist = world.token(
        name="Chuyên viên", role="officer", agency=AGENCY, lanes=["specialist"]
    )
    assert world.call("GET", f"/api/v1/tasks/{receive}", specialist).status_code == 403
    assert (
        world.call(
            "POST",
            f"/api/v1/tasks/{receive}/complete",
            specialist,
            json={"data": {"intake_decision": "accept"}},
        ).status_code
        == 403
    )
    assert world.call("GET", "/api/v1/tasks?lane=one_stop_desk", specialist).status_code == 403
    assert (
        world.call(
            "POST",
            "/api/v1/dossiers",
            specialist,
            json={"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID},
        ).status_code
        == 403
    )
    assert (
        world.call("POST", f"/api/v1/dossiers/{b['id']}/cancel", specialist, json={}).status_code
        == 403
    )
    assert world.call("GET", f"/api/v1/dossiers/{b['id']}", specialist).status_code == 200

    desk = world.token(name="Một cửa", role="officer", agency=AGENCY, lanes=["one_stop_desk"])
    missing = world.call("POST", "/api/v1/dossiers", desk, json={"model": "ly-lich-tu-phap"})
    assert missing.status_code == 422 and missing.get_json()["errors"][0]["field"] == "applicant_id"
    counter = world.call(
        "POST",
        "/api/v1/dossiers",
        desk,
        json={"model": "ly-lich-tu-phap", "applicant_id": OTHER_CITIZEN, "channel": "in_person"},
    )
    assert counter.status_code == 201 and counter.get_json()["agency"] == AGENCY
    assert world.call("POST", f"/api/v1/tasks/{receive}/claim", desk).status_code == 200
    officer = world.tokens["officer"]
    taken = world.call(
        "POST",
        f"/api/v1/tasks/{receive}/complete",
        officer,
        json={"data": {"intake_decision": "accept"}},
    )
    assert taken.status_code == 409 and "Một cửa" in taken.get_json()["detail"]


def test_registry_and_warehouse_reads_need_the_citizens_consent(world):
    citizen, officer = world.tokens["citizen"], world.tokens["officer"]
    records = f"/api/v1/registries/population/records/{CITIZEN_ID}"
    documents = f"/api/v1/warehouse/{CITIZEN_ID}/documents"
    read = world.call("GET", records, officer)
    assert read.status_code == 200 and read.get_json()["record"]["full_name"] == "Nguyễn Văn An"
    assert read.get_json()["consent_id"] == world.ids["consent"]
    assert world.call("GET", documents, officer).status_code == 200
    assert (
        world.call(
            "GET", f"/api/v1/registries/judicial_records/records/{CITIZEN_ID}", officer
        ).status_code
        == 403
    )  # no consent for this registry
    assert (
        world.call(
            "GET", f"/api/v1/registries/judicial_records/records/{CITIZEN_ID}", citizen
        ).status_code
        == 200
    )  # their own data

    revoked = world.call("DELETE", f"/api/v1/consents/{world.ids['consent']}", citizen)
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    assert world.call("GET", records, officer).status_code == 403
    assert world.call("GET", records, ADMIN_TOKEN).status_code == 403

    scoped = world.call(
        "POST",
        "/api/v1/consents",
        citizen,
        json={"registry": "population", "purpose": "Chỉ Sở Xây dựng", "agency": "Sở Xây dựng"},
    )
    assert scoped.status_code == 201
    assert world.call("GET", records, officer).status_code == 403
    soon = world.call(
        "POST",
        "/api/v1/consents",
        citizen,
        json={
            "registry": "population",
            "purpose": "Một giờ",
            "expires_at": (clock.now().replace(microsecond=0).isoformat()),
        },
    )
    assert soon.status_code == 422 and soon.get_json()["errors"][0]["field"] == "expires_at"
    unknown = world.call(
        "POST", "/api/v1/consents", citizen, json={"registry": "khong-co", "purpose": "abc"}
    )
    assert unknown.status_code == 422 and unknown.get_json()["errors"][0]["field"] == "registry"
    kinds = [
        e["kind"] for e in world.admin("GET", f"/api/v1/dossiers/{world.ids['a']['id']}/events")
    ]
    assert "dossier_started" in kinds


def test_tokens_that_are_unknown_revoked_or_expired_are_refused(world):
    assert world.call("GET", "/api/v1/auth/me", "tt_khong-ton-tai").status_code == 401
    response = world.client.get("/api/v1/auth/me", headers={"Authorization": "Basic abc"})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    made = world.admin(
        "POST",
        "/api/v1/auth/tokens",
        json={"name": "tạm", "role": "reformer", "expires_in_hours": 1},
    )
    assert world.call("GET", "/api/v1/auth/me", made["token"]).get_json()["role"] == "reformer"
    clock.advance(2 * 3600)
    assert world.call("GET", "/api/v1/auth/me", made["token"]).status_code == 401
    reformer = world.tokens["reformer"]
    assert (
        world.call(
            "DELETE", f"/api/v1/auth/tokens/{world.ids['spare_token']}", ADMIN_TOKEN
        ).status_code
        == 204
    )
    me = world.call("GET", "/api/v1/auth/me", reformer).get_json()
    assert me["role"] == "reformer" and me["name"] == "Cải cách"


def test_dev_login_exists_only_when_enabled(app_factory):
    enabled = app_factory(TOANTRINH_DEV_LOGIN="1").test_client()
    made = enabled.post(
        "/api/v1/auth/dev-login",
        json={"role": "officer", "agency": AGENCY, "lanes": ["specialist"]},
    )
    assert made.status_code == 201
    me = enabled.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {made.get_json()['token']}"}
    )
    assert me.get_json()["lanes"] == ["specialist"] and me.get_json()["agency"] == AGENCY
    invalid = enabled.post("/api/v1/auth/dev-login", json={"role": "officer"})
    assert invalid.status_code == 422
    assert {e["field"] for e in invalid.get_json()["errors"]} == {"agency", "lanes"}
    disabled = app_factory(TOANTRINH_DEV_LOGIN="0").test_client()
    assert disabled.post("/api/v1/auth/dev-login", json={"role": "admin"}).status_code == 404


def test_api_only_mutations_are_audited(world):
    from toantrinh.api.app import db
    from toantrinh.engine.persistence import DossierEvent

    with world.client.application.app_context():
        kinds = [
            e.kind for e in db.session.query(DossierEvent).filter(DossierEvent.dossier_id.is_(None))
        ]
    assert {"token_created", "consent_granted", "webhook_created", "model_deployed"} <= set(kinds)
