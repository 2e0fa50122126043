"""The simplifier and the shared BPMN core type-check (issue 23, item 8)."""

from __future__ import annotations

import pytest

from tests.simplifier.builders import ROOT

pytestmark = pytest.mark.slow


def test_mypy_finds_no_error_in_the_simplifier_and_the_bpmn_core():
    api = pytest.importorskip("mypy.api")
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml")])
    assert status == 0, out + err
