"""A ``toantrinh serve`` killed outright takes its children with it (issue 27 item 14):
the sandboxes, the scheduler and the gunicorn workers go, their ports are free, and the
next ``serve`` starts on the same ports."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid``, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.slow
@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="prctl(PR_SET_PDEATHSIG) is Linux's"
)
def test_a_serve_killed_with_sigkill_leaves_no_child_and_the_next_one_starts(tmp_path):
    ports = {name: _free_port() for name in ("app", "registry", "payment", "portal")}
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TOANTRINH_REGISTRY_URL", "TOANTRINH_PAYMENT_URL", "TOANTRINH_PORTAL_URL")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
        TOANTRINH_DATA_DIR=str(tmp_path),
        TOANTRINH_SANDBOX_PORT=str(ports["registry"]),
        TOANTRINH_PAYMENT_SANDBOX_PORT=str(ports["payment"]),
        TOANTRINH_PORTAL_SANDBOX_PORT=str(ports["portal"]),
    )
    command = [
        sys.executable,
        "-m",
        "toantrinh.cli.main",
        "serve",
        "--port",
        str(ports["app"]),
        "--no-deploy",
        "--workers",
        "1",
        "--threads",
        "1",
    ]
    started: list[subprocess.Popen] = []

    def serve() -> subprocess.Popen:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        started.append(process)
        assert _wait(lambda: all(_answers(p) for p in ports.values()), 90), "serve did not come up"
        return process

    try:
        first = serve()
        children = _descendants(first.pid)
        assert len(children) >= 5  # three sandboxes, the scheduler, a gunicorn worker
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert _wait(lambda: not any(_alive(pid) for pid in children), 20), [
            (pid, Path(f"/proc/{pid}/cmdline").read_bytes()) for pid in children if _alive(pid)
        ]
        assert _wait(lambda: all(_bindable(p) for p in ports.values()), 10)

        second = serve()  # the same ports: nothing of the first holds them
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    finally:
        for process in started:  # whatever a failure left: this test's own process groups
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
