"""The import layering of docs/architecture.md holds: cli → api → web | sandbox → engine →
simplifier → bpmn, nothing pointing back (issue 23, item 2). The contract is the
``[tool.importlinter]`` table of pyproject.toml, checked by import-linter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("cli", "api", "web", "sandbox", "engine", "simplifier", "bpmn")


def _lint(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_the_repository_keeps_its_import_layers():
    result = _lint(ROOT, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_catches_an_import_against_the_layers(tmp_path):
    """A tree shaped like ours where the engine imports the API (inside a function, the
    usual way of hiding a cycle) breaks the same contract."""
    # tools/namespace.py: leave this file (its samples are the installed names already)
    root = tmp_path / "toantrinh"  # a namespace package, as the installed one is
    root.mkdir()
    for name in PACKAGES:
        (root / name).mkdir()
        (root / name / "__init__.py").write_text("")
    (root / "engine" / "worker.py").write_text(
        "def hook():\n    from toantrinh.api import notifications  # noqa\n    return notifications\n"
    )
    (root / "api" / "notifications.py").write_text("import toantrinh.engine.worker  # noqa\n")
    result = _lint(tmp_path, tmp_path)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
    assert "toantrinh.engine.worker -> toantrinh.api.notifications" in result.stdout
