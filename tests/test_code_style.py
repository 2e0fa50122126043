"""The code keeps one format and passes the linter (issue 23 item 8): `ruff format` and
`ruff check` over the repository, as configured in pyproject.toml, change nothing."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_python_file_is_formatted():
    result = _ruff("format", "--check", ".")
    assert result.returncode == 0, (
        "run `.venv/bin/ruff format .`:\n" + result.stdout[-3000:] + result.stderr[-2000:]
    )


def test_the_linter_finds_nothing():
    result = _ruff("check", ".")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
