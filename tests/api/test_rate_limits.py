"""Request budgets over real HTTP (api/ratelimit.py): per caller, per address for public
tracking, none for staff unless set; over budget a 429 problem with Retry-After."""

from __future__ import annotations

from tests.api.conftest import ADMIN_TOKEN, create_token, serve
from tests.helpers.people import CITIZEN_ID


def _statuses(api, path: str, n: int) -> list[int]:
    return [api.get(path).status_code for _ in range(n)]


def test_a_citizen_over_budget_is_told_to_wait_and_others_are_not(app_factory):
    app = app_factory(TOANTRINH_RATE_LIMIT_CITIZEN="4 per minute")
    for live in serve(app):
        admin = live.api(ADMIN_TOKEN)
        one = live.api(create_token(admin, name="An", role="citizen", identity_number=CITIZEN_ID))
        other = live.api(
            create_token(admin, name="Khác", role="citizen", identity_number="001099000001")
        )
        assert _statuses(one, "/api/v1/dossiers", 4) == [200] * 4
        refused = one.get("/api/v1/dossiers")
        assert refused.status_code == 429
        assert refused.headers["Content-Type"] == "application/problem+json"
        assert refused.json()["type"] == "urn:toantrinh:problem:rate-limited"
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        # the budget is the caller's: another citizen, and staff (no budget by default), go on
        assert _statuses(other, "/api/v1/dossiers", 4) == [200] * 4
        assert _statuses(admin, "/api/v1/dossiers", 12) == [200] * 12
        # pages and the health check are not counted
        assert one.get("/api/v1/health").status_code == 200
        assert one.get("/citizen").status_code == 200


def test_tracking_by_receipt_code_has_its_own_budget_per_address(app_factory):
    app = app_factory(
        TOANTRINH_RATE_LIMIT_TRACKING="3 per minute", TOANTRINH_RATE_LIMIT_PUBLIC="100 per minute"
    )
    for live in serve(app):
        public = live.api()
        assert _statuses(public, "/api/v1/tracking/LLTP-000000-00000000", 4) == [404] * 3 + [429]
        # a token does not buy more guesses: tracking is counted by address
        admin = live.api(ADMIN_TOKEN)
        assert admin.get("/api/v1/tracking/LLTP-000000-00000000").status_code == 429
        assert public.get("/api/v1/models").status_code == 401  # the rest of the budget is left


def test_staff_budgets_and_switching_off_come_from_the_configuration(app_factory):
    limited = app_factory(TOANTRINH_RATE_LIMIT_STAFF="2 per minute")
    for live in serve(limited):
        admin = live.api(ADMIN_TOKEN)
        assert _statuses(admin, "/api/v1/models", 3) == [200, 200, 429]
    off = app_factory(RATELIMIT_ENABLED=False, TOANTRINH_RATE_LIMIT_PUBLIC="1 per minute")
    for live in serve(off):
        assert _statuses(live.api(), "/api/v1/tracking/LLTP-000000-00000000", 3) == [404] * 3


def test_behind_a_proxy_the_budget_counts_the_forwarded_address(app_factory):
    app = app_factory(TOANTRINH_PROXIES=1, TOANTRINH_RATE_LIMIT_TRACKING="2 per minute")
    path = "/api/v1/tracking/LLTP-000000-00000000"
    for live in serve(app):
        public = live.api()
        statuses = [
            public.get(path, headers={"X-Forwarded-For": addr}).status_code
            for addr in ["203.0.113.7"] * 3 + ["198.51.100.9"] * 2
        ]
        assert statuses == [404, 404, 429, 404, 404]


def test_uploads_have_their_own_budget_per_citizen(app_factory, session):
    from tests.helpers.gpxd import GPXD
    from tests.helpers.people import local_connectors
    from toantrinh.engine.service import Engine

    Engine(session, connectors=local_connectors()).deploy_folder(GPXD)
    session.commit()
    app = app_factory(TOANTRINH_RATE_LIMIT_UPLOADS="2 per hour")
    pdf = b"%PDF-1.7\n%%EOF\n"
    for live in serve(app):
        admin = live.api(ADMIN_TOKEN)
        citizen = live.api(
            create_token(admin, name="An", role="citizen", identity_number=CITIZEN_ID)
        )
        dossier = citizen.post("/api/v1/dossiers", json={"model": "cap-giay-phep-xay-dung"}).json()
        path = f"/api/v1/dossiers/{dossier['id']}/attachments"

        def upload(api, path=path):
            return api.post(path, files={"file": ("a.pdf", pdf, "application/pdf")}).status_code

        assert [upload(citizen) for _ in range(2)] == [201, 201]
        refused = citizen.post(path, files={"file": ("a.pdf", pdf, "application/pdf")})
        assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 3600
        # Retry-After only where a client is asked to wait (Flask-Limiter writes it on all)
        assert "Retry-After" not in citizen.get(path).headers
        assert citizen.get(path).status_code == 200  # the rest of the API is still open
        assert [upload(admin) for _ in range(3)] == [201] * 3  # staff have none by default
        assert len(citizen.get(path).json()) == 5  # the refused one was not kept
