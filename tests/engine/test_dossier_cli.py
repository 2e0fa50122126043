"""``toantrinh dossier start | show | complete`` as real processes on the test database,
with the sandbox registries over HTTP, and the API's checks for the role given
(issue 27 item 20)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.helpers.people import CITIZEN_ID, ltp_declaration
from toantrinh.api.models import ApiToken
from toantrinh.engine.service import Engine
from toantrinh.sandbox.app import create_app

ROOT = Path(__file__).resolve().parents[2]
LLTP = ROOT / "process_models" / "ly-lich-tu-phap"
# the traditional declaration, typed in full (the library models the procedure before
# re-engineering)
DECLARATION = ltp_declaration()


@pytest.fixture(scope="module")
def registry_url():
    server = make_server("127.0.0.1", 0, create_app(size=20), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _cli(db_url: str, registry_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": db_url, "TOANTRINH_REGISTRY_URL": registry_url}
    return subprocess.run(
        [sys.executable, "-m", "toantrinh.cli.main", "dossier", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_a_dossier_is_driven_from_the_terminal_under_the_api_s_rules(db_url, session, registry_url):
    Engine(session).deploy_folder(LLTP)
    session.add(
        ApiToken(
            token_hash="x" * 64,
            name="Vũ Một Cửa",
            role="officer",
            agency="Công an cấp tỉnh",
            lanes=["one_stop_desk"],
        )
    )
    session.commit()
    citizen = f"citizen:{CITIZEN_ID}"

    started = _cli(db_url, registry_url, "start", "ly-lich-tu-phap", "--as", citizen, "--json")
    assert started.returncode == 0, started.stderr
    dossier = json.loads(started.stdout)
    assert dossier["receipt_code"].startswith("LLTP-") and dossier["status"] == "in_progress"
    assert dossier["applicant_id"] == CITIZEN_ID
    assert [t["bpmn_id"] for t in dossier["current_tasks"]] == ["Task_Declare"]
    assert "full_name" in dossier["data"]["population"]  # looked up in the sandbox registry
    ident = str(dossier["id"])

    # another citizen may not read it; a citizen may not start for someone else or in person
    other = _cli(db_url, registry_url, "show", ident, "--as", "citizen:001099000001", "--json")
    assert other.returncode == 1 and json.loads(other.stdout)["status"] == 403
    for extra, status in (
        (["--applicant", "001099000001"], 403),
        (["--channel", "in_person"], 422),
    ):
        refused = _cli(
            db_url, registry_url, "start", "ly-lich-tu-phap", "--as", citizen, "--json", *extra
        )
        assert refused.returncode == 1 and json.loads(refused.stdout)["status"] == status

    # form checks as over HTTP: a missing field is named
    bad = _cli(
        db_url,
        registry_url,
        "complete",
        ident,
        "Task_Declare",
        "--as",
        citizen,
        "--data",
        json.dumps({"purpose": "Xin việc"}),
    )
    assert bad.returncode == 1 and "certificate_type" in bad.stderr
    done = _cli(
        db_url,
        registry_url,
        "complete",
        ident,
        "Task_Declare",
        "--as",
        citizen,
        "--data",
        json.dumps(DECLARATION),
        "--json",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert [t["bpmn_id"] for t in json.loads(done.stdout)["current_tasks"]] == ["Task_Pay"]
    paid = _cli(
        db_url,
        registry_url,
        "complete",
        ident,
        "Task_Pay",
        "--as",
        citizen,
        "--data",
        json.dumps({"payment_method": "online", "payment_reference": "VNPAY-1"}),
    )
    assert paid.returncode == 0, paid.stderr

    # the desk's step: not the citizen's; the officer of the token named does it
    desk = json.dumps({"intake_decision": "accept"})
    wrong = _cli(
        db_url, registry_url, "complete", ident, "Task_Receive", "--as", citizen, "--data", desk
    )
    assert wrong.returncode == 1 and "bước dành cho công dân" in wrong.stderr
    received = _cli(
        db_url,
        registry_url,
        "complete",
        ident,
        "Task_Receive",
        "--as",
        "officer:Vũ Một Cửa",
        "--data",
        desk,
    )
    assert received.returncode == 0, received.stderr

    shown = _cli(db_url, registry_url, "show", ident)
    assert shown.returncode == 0, shown.stderr
    assert f"Hồ sơ {dossier['receipt_code']}" in shown.stdout
    assert "Trạng thái: đang giải quyết" in shown.stdout and "hạn giải quyết: " in shown.stdout
    assert "Chuyển hồ sơ cho bộ phận lý lịch tư pháp" in shown.stdout  # the step now waiting
    assert "task_completed: Tiếp nhận" in shown.stdout
