"""The wheel installs and runs outside the repository (issue 23, item 7).

Builds the wheel from the repository (``pip wheel --no-deps``, build isolation: it needs
setuptools ≥ 77 for the SPDX licence), installs it into a fresh virtual environment
without the system's site-packages, and runs ``toantrinh db upgrade``, ``toantrinh
simplify --all`` and ``toantrinh serve`` from a temporary directory, where no top-level
``engine`` or ``process_models`` can be found by accident: the code imports as
``toantrinh.*`` and the migrations, data, forms, procedure library and web assets come
from the installed package.

The wheel goes in with ``--no-deps``; the environment reaches its dependencies through a
``.pth`` file naming the test run's own site-packages. Resolving and installing ~80
dependencies from the registry would take minutes and need the network on every run,
for no extra coverage of *our* packaging: what is checked here is that the wheel carries
its code and data and that nothing resolves through the repository. The ``.pth`` adds a
plain directory, so the editable install's import hook living there (a ``.pth`` file
itself) is not run — ``toantrinh`` can only come from the wheel.
"""

from __future__ import annotations

import json
import os
import site
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtual environment with only the wheel installed; returns its bin directory."""
    base = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(base / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next((base / "dist").glob("toantrinh-*.whl"))
    venv = base / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "toantrinh-test-dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return venv / "bin"


def _env(workdir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TOANTRINH_", "DATABASE_URL", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'toantrinh.db'}",
        TOANTRINH_DATA_DIR=str(workdir / "instance"),
        **extra,
    )
    return env


def test_the_wheel_holds_the_namespace_and_its_data_and_no_generic_top_level_package(installed):
    python = installed / "python"
    probe = subprocess.run(
        [
            str(python),
            "-c",
            (
                "import importlib.util, json, toantrinh.cli.main, toantrinh.bpmn.datafiles as d\n"
                "print(json.dumps({'generic': [n for n in ('engine', 'api', 'web', 'simplifier', 'bpmn')"
                " if importlib.util.find_spec(n)], 'cli': importlib.import_module('toantrinh.cli.main').__file__,"
                " 'folders': {n: str(d.folder(n)) for n in d.FOLDERS}}))"
            ),
        ],
        capture_output=True,
        text=True,
        cwd="/",
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    assert found["generic"] == []
    venv = str(installed.parent)
    assert found["cli"].startswith(venv)
    for name, folder in found["folders"].items():
        assert folder.startswith(venv), (name, folder)
        assert any(Path(folder).iterdir()), name
    assert Path(found["folders"]["migrations"], "env.py").is_file()


def test_installed_commands_run_outside_the_repository(installed, tmp_path):
    toantrinh = str(installed / "toantrinh")
    env = _env(tmp_path)
    upgraded = subprocess.run(
        [toantrinh, "db", "upgrade"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    assert (tmp_path / "toantrinh.db").is_file()

    report = subprocess.run(
        [toantrinh, "simplify", "--all", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert report.returncode == 0, report.stderr[-3000:]
    library = [
        p
        for p in (ROOT / "process_models").iterdir()
        if p.is_dir() and not p.name.startswith(("_", ".")) and any(p.glob("*.bpmn"))
    ]
    assert json.loads(report.stdout)["totals"]["procedures"] == len(library) > 30
    # the HTML and Markdown reports read their Jinja2 templates as package data too
    for form, marker in (("html", "<html"), ("md", "# ")):
        one = subprocess.run(
            [
                toantrinh,
                "simplify",
                str(ROOT / "process_models" / "ly-lich-tu-phap"),
                "--format",
                form,
            ],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert one.returncode == 0 and marker in one.stdout, one.stderr[-3000:]

    port = _free_port()
    sandboxes = {
        name: str(_free_port())
        for name in (
            "TOANTRINH_SANDBOX_PORT",
            "TOANTRINH_PAYMENT_SANDBOX_PORT",
            "TOANTRINH_PORTAL_SANDBOX_PORT",
        )
    }
    server = subprocess.Popen(
        [toantrinh, "serve", "--port", str(port), "--workers", "1", "--no-worker"],
        cwd=tmp_path,
        env=_env(tmp_path, **sandboxes),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline, health = time.monotonic() + 180, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                health = requests.get(f"{base}/api/v1/health", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.5)
        assert health is not None, f"serve did not answer: {server.poll()}"
        assert health.status_code == 200, health.text
        # pages from the packaged templates, assets from the packaged (vendored) static files
        page = requests.get(f"{base}/login", timeout=10)
        assert page.status_code == 200 and "<html" in page.text.lower()
        assert requests.get(f"{base}/api/docs/vendor/rapidoc-min.js", timeout=10).status_code == 200
        # the sandbox national databases serve starts beside the app
        registry = f"http://127.0.0.1:{sandboxes['TOANTRINH_SANDBOX_PORT']}/health"
        answer = None
        while time.monotonic() < deadline and answer is None:
            try:
                answer = requests.get(registry, timeout=5)
            except requests.ConnectionError:
                time.sleep(0.5)
        assert answer is not None and answer.status_code == 200, "the registry sandbox is down"
    finally:
        os.killpg(server.pid, 15)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait(timeout=10)
