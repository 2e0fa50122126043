"""The command line, run as a real process against a real database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.bpmn import TEST_FORMS, script_process
from toantrinh.engine.service import Engine

ROOT = Path(__file__).resolve().parents[2]


def _cli(db_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "toantrinh.cli.main", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_deploy_refuses_an_unsafe_model_with_its_reasons_and_deploys_a_library_folder(
    db_url, session, tmp_path
):
    bad = tmp_path / "bad.bpmn"
    bad.write_text(script_process("import os"), encoding="utf-8")
    refused = _cli(db_url, "deploy", str(bad))
    assert refused.returncode == 1 and "import" in refused.stderr
    done = _cli(db_url, "deploy", "process_models/ly-lich-tu-phap")
    assert done.returncode == 0, done.stderr
    assert "ly-lich-tu-phap v1" in done.stdout
    again = _cli(db_url, "deploy", "process_models/ly-lich-tu-phap")
    assert "không đổi" in again.stdout


@pytest.mark.slow
def test_dossier_migrate_moves_a_running_dossier_or_says_why_not(db_url, session):
    engine = Engine(session)
    engine.deploy(script_process("x = 1"), forms=TEST_FORMS)
    dossier = engine.start("script_test")
    engine.deploy(
        script_process("x = 1").replace('name="Xem kết quả"', 'name="Xem lại"'), forms=TEST_FORMS
    )
    session.commit()
    checked = _cli(db_url, "dossier", "migrate", str(dossier.id), "2", "--dry-run")
    assert checked.returncode == 0, checked.stderr
    assert "chuyển được sang phiên bản 2" in checked.stdout
    session.expire_all()
    assert engine.get(dossier.id).version.number == 1  # only checked
    moved = _cli(db_url, "dossier", "migrate", str(dossier.id), "2")
    assert moved.returncode == 0, moved.stderr
    assert "phiên bản 2" in moved.stdout
    refused = _cli(db_url, "dossier", "migrate", str(dossier.id), "2")
    assert refused.returncode == 1 and "đã ở phiên bản 2" in refused.stderr


def test_serve_refuses_the_port_of_its_own_registry_sandbox_before_touching_anything(db_url):
    env_port = "18765"
    env = {**os.environ, "DATABASE_URL": db_url, "TOANTRINH_SANDBOX_PORT": env_port}
    env.pop("TOANTRINH_REGISTRY_URL", None)
    refused = subprocess.run(
        [sys.executable, "-m", "toantrinh.cli.main", "serve", "--port", env_port],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2, refused.stderr
    assert f"cổng {env_port} là cổng của hộp cát" in refused.stderr
    assert "Cơ sở dữ liệu" not in refused.stdout  # refused before the upgrade and deploy


def test_serve_refuses_a_file_store_that_is_not_there_in_one_line(db_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": db_url, "TOANTRINH_FILE_STORE": str(tmp_path / "nfs")}
    refused = subprocess.run(
        [sys.executable, "-m", "toantrinh.cli.main", "serve", "--port", "18766", "--no-deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1, refused.stderr
    assert "toantrinh files init" in refused.stderr and "Traceback" not in refused.stderr
    assert "Cơ sở dữ liệu" not in refused.stdout  # before the upgrade, the sandbox, gunicorn


def test_serve_makes_its_seal_key_once_in_the_data_directory(tmp_path, monkeypatch):
    from toantrinh.cli.main import _serve_seal_key

    monkeypatch.delenv("TOANTRINH_SEAL_KEY", raising=False)
    monkeypatch.setenv("TOANTRINH_DATA_DIR", str(tmp_path / "data"))
    first = _serve_seal_key()
    key = tmp_path / "data" / "seal-key.pem"
    assert os.environ["TOANTRINH_SEAL_KEY"] == str(key.resolve()) and key.is_file()
    monkeypatch.delenv("TOANTRINH_SEAL_KEY")
    assert _serve_seal_key().key_id == first.key_id  # the same key at the next start


def test_deploy_refuses_a_broken_structure_unless_forced(db_url, session, tmp_path):
    """The CLI refuses what the API's validate and the modeller refuse, and says how to
    deploy it anyway (issue 27.3)."""
    from tests.engine.test_deploy_checks import deadlock

    model = tmp_path / "deadlock.bpmn"
    form = '<bpmn:extensionElements><tt:form ref="test-empty"/></bpmn:extensionElements>'
    model.write_text(deadlock().replace("userTask", "task").replace(form, ""), encoding="utf-8")
    refused = _cli(db_url, "deploy", str(model))
    assert refused.returncode == 1
    assert "[deadlock: Choice, Join]" in refused.stderr and "--force" in refused.stderr
    forced = _cli(db_url, "deploy", str(model), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "deadlock v1" in forced.stdout and "[deadlock: Choice, Join]" in forced.stdout
