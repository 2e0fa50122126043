"""Fixtures of the one-stop tests: a test CA with good, revoked and expired signers, the
payment and portal sandboxes on free ports (real HTTP), and the app configured to use
them, served over real HTTP."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from werkzeug.serving import make_server

from tests.api.conftest import AGENCY, _QuietHandler, serve
from toantrinh.engine.onestop.testca import TEST_PASSPHRASE, DevelopmentCA

MERCHANT, SECRET = "SOTUPHAP", "khoa-bi-mat-thu"
PORTAL_USER, PORTAL_PASSWORD = "sotuphap", "mat-khau-cong"
LLTP_NATIONAL_CODE = "1.001234.000.00.00.H26"  # a code of the national shape, for the test only


class Server:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def close(self):
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """signers.json with the agency's good signer; the revoked and expired ones apart."""
    folder: Path = tmp_path_factory.mktemp("pki")
    ca = DevelopmentCA()
    now = datetime.now(UTC)
    issued = {
        "good": ca.issue("Nguyễn Văn Giám Đốc", AGENCY),
        "revoked": ca.issue("Trần Văn Thu Hồi", AGENCY),
        "expired": ca.issue(
            "Lê Văn Hết Hạn",
            AGENCY,
            not_before=now - timedelta(days=400),
            not_after=now - timedelta(days=1),
        ),
    }
    ca.revoke(issued["revoked"])
    (folder / "ca.pem").write_bytes(ca.root.pem())
    (folder / "crl.pem").write_bytes(ca.crl().public_bytes(serialization.Encoding.PEM))
    for name, cert in issued.items():
        (folder / f"{name}.p12").write_bytes(ca.pkcs12(cert))

    def config(signer: str) -> str:
        path = folder / f"signers-{signer}.json"
        path.write_text(
            json.dumps(
                {
                    "signers": [
                        {
                            "id": signer,
                            "name": f"Người ký {signer}",
                            "title": "Giám đốc",
                            "agency": AGENCY,
                            "pkcs12": str(folder / f"{signer}.p12"),
                            "passphrase_env": "TT_TEST_P12",
                        }
                    ],
                    "trust_roots": [str(folder / "ca.pem")],
                    "crls": [str(folder / "crl.pem")],
                },
                ensure_ascii=False,
            ),
            "utf-8",
        )
        return str(path)

    return {"folder": folder, "config": config, "ca": ca, "issued": issued}


@pytest.fixture
def sandboxes(monkeypatch, tmp_path):
    from toantrinh.engine.payments.sandbox import create_app as payment_app
    from toantrinh.engine.portal.sandbox import create_app as portal_app

    monkeypatch.setenv("TT_TEST_P12", TEST_PASSPHRASE)
    codes = tmp_path / "portal_codes.json"
    codes.write_text(json.dumps({"codes": {"ly-lich-tu-phap": LLTP_NATIONAL_CODE}}), "utf-8")
    monkeypatch.setenv("TOANTRINH_PORTAL_CODES", str(codes))
    payment, portal = (
        Server(payment_app(MERCHANT, SECRET)),
        Server(portal_app(PORTAL_USER, PORTAL_PASSWORD)),
    )
    yield {"payment": payment.url, "portal": portal.url}
    payment.close()
    portal.close()


@pytest.fixture
def onestop(app_factory, sandboxes, pki):
    """The app with signers, the payment platform and the portal configured, served live;
    ``passes()`` runs the scheduler's one-stop pass once."""
    from tests.helpers.people import local_connectors
    from toantrinh.api.app import db
    from toantrinh.engine.db import make_sessionmaker
    from toantrinh.engine.onestop.passes import OnestopPasses
    from toantrinh.engine.onestop.signing import SigningSetup
    from toantrinh.engine.portal.connector import DvcqgConnector

    app = app_factory(
        TOANTRINH_SIGNERS=pki["config"]("good"),
        TOANTRINH_PAYMENT_URL=sandboxes["payment"],
        TOANTRINH_PAYMENT_MERCHANT=MERCHANT,
        TOANTRINH_PAYMENT_SECRET=SECRET,
        TOANTRINH_PUBLIC_URL="",
        TOANTRINH_PROVINCE_NAME="Ủy ban nhân dân thành phố Hà Nội",
        TOANTRINH_PLACE_NAME="Hà Nội",
    )
    with app.app_context():
        sessions = make_sessionmaker(db.engine)
    passes = OnestopPasses(
        renderer=app.extensions["toantrinh.documents"],
        signing=SigningSetup.load(pki["config"]("good")),
        payments=app.extensions["toantrinh.payments"],
        portal=DvcqgConnector(sandboxes["portal"], PORTAL_USER, PORTAL_PASSWORD, "000.00.12.H26"),
        connectors=local_connectors(),
    )
    for live in serve(app):
        yield {
            "live": live,
            "app": app,
            "passes": lambda: passes(sessions),
            "runner": passes,
            "sessions": sessions,
            **sandboxes,
        }
