"""Every reach past SpiffWorkflow's public interface is listed in engine/spiff_compat.py and
checked against the installed SpiffWorkflow: an upgrade that changes one fails here, loudly,
instead of corrupting dossiers' states (issue 23)."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import SpiffWorkflow.bpmn.specs.control as spiff_control
import SpiffWorkflow.bpmn.specs.event_definitions.timer as spiff_timer
import SpiffWorkflow.task as spiff_task
from SpiffWorkflow.task import Task

from toantrinh.engine import clock, spiff_compat, workflow

ROOT = Path(__file__).resolve().parents[2]


def test_the_installed_spiffworkflow_has_every_internal_the_engine_relies_on():
    assert spiff_compat.verify() == []


def test_spiffworkflow_is_pinned_to_the_minor_version_the_internals_were_checked_on():
    installed = version("SpiffWorkflow")
    assert installed.startswith(spiff_compat.CHECKED_ON + ".")
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pin = next(d for d in dependencies if d.lower().startswith("spiffworkflow"))
    major, minor = spiff_compat.CHECKED_ON.split(".")
    assert re.fullmatch(rf"spiffworkflow>={major}\.{minor}(\.\d+)?,<{major}\.{int(minor) + 1}", pin)


def test_a_changed_internal_is_named(monkeypatch):
    monkeypatch.delattr(Task, "_get_internal_data")
    monkeypatch.setattr(Task, "_set_state", lambda self, state, extra: None)
    monkeypatch.delattr(spiff_control, "_EndJoin")
    problems = spiff_compat.verify()
    assert "Task._get_internal_data is gone" in problems
    assert "SpiffWorkflow.bpmn.specs.control._EndJoin is gone" in problems
    assert any(p.startswith("Task._set_state(") for p in problems)


def test_the_patches_are_in_place():
    # task ids and timestamps come from the current operation; timers read the engine clock
    assert spiff_task.uuid4 is workflow._task_uuid
    assert spiff_task.time.time is workflow._timestamp
    at = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    token = clock.freeze(at)
    try:
        assert spiff_timer.datetime.now(UTC) == at
    finally:
        clock.thaw(token)
