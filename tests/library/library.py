"""Helpers shared by the library tests: reading folders and driving example dossiers."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "process_models"
FORMS = ROOT / "forms"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "tt": "urn:toantrinh:bpmn:1",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}
FLOW_NODES = (
    "startEvent",
    "endEvent",
    "intermediateThrowEvent",
    "intermediateCatchEvent",
    "boundaryEvent",
    "userTask",
    "serviceTask",
    "scriptTask",
    "manualTask",
    "task",
    "sendTask",
    "receiveTask",
    "businessRuleTask",
    "callActivity",
    "subProcess",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "eventBasedGateway",
)


def folders() -> list[Path]:
    return sorted(p for p in LIBRARY.iterdir() if p.is_dir() and (p / "procedure.json").is_file())


def procedure(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "procedure.json").read_text(encoding="utf-8"))


def bpmn_tree(folder: Path) -> etree._Element:
    return etree.fromstring((folder / procedure(folder)["bpmn"]).read_bytes())


def examples(folder: Path) -> dict[str, dict[str, Any]]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((folder / "examples").glob("*.json"))
    }


def form(ref: str) -> dict[str, Any]:
    return json.loads((FORMS / f"{ref}.json").read_text(encoding="utf-8"))


def duration_seconds(text: str) -> int:
    """ISO 8601 durations as used in examples (``P16D``, ``PT4H``, ``P1DT2H``)."""
    m = re.fullmatch(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?", text)
    if not m or text in ("P", "PT"):
        raise ValueError(f"unsupported duration {text!r}")
    days, hours, minutes = (int(g or 0) for g in m.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60


def contains(actual: Any, expected: Any) -> bool:
    """``expected`` is a subset of ``actual`` (dicts recursively, other values equal)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and contains(actual[k], v) for k, v in expected.items()
        )
    return actual == expected


def drive_example(eng, session, folder: Path, example: dict[str, Any]):
    """Run an example dossier through the real engine and return the dossier.

    Steps: ``task`` (complete a ready user task with ``data``), ``fire_timers`` (advance
    the clock by an ISO duration — at least to just past the dossier's appointment when a
    statutory-deadline timer waits — and fire due timers) and ``message`` (a message from
    another agency's dossier of the same linked group, with ``payload``). A ``start`` with
    ``message``/``payload`` instead of ``data`` starts the dossier the way a linked
    procedure does: by a message that the model's start event catches.
    """
    from sqlalchemy import select

    from toantrinh.engine import clock
    from toantrinh.engine.deadlines import is_deadline_timer
    from toantrinh.engine.persistence import Dossier, Message, Timer

    slug = procedure(folder)["slug"]
    start = example["start"]
    if "message" in start:
        message = Message(
            name=start["message"], link_id=start["payload"].get("link_id"), payload=start["payload"]
        )
        session.add(message)
        session.commit()
        eng.route_messages()
        session.refresh(message)
        assert message.delivered, (
            f"no model started by message {start['message']}: {message.last_error}"
        )
        started = [eng.get(i) for i in message.delivered_to]
        dossier = next(d for d in started if d.version.model.slug == slug)
    else:
        applicant = example.get("applicant")
        dossier = eng.start(
            slug,
            applicant_id=applicant,
            data=start.get("data"),
            channel=start.get("channel", "online"),
            actor=f"citizen:{applicant}",
        )
    for step in example["steps"]:
        current = eng.get(dossier.id)
        assert current.status != "error", f"dossier in error: {current.last_error}"
        if "task" in step:
            ready = {t["bpmn_id"]: t for t in eng.ready_tasks(dossier.id)}
            assert step["task"] in ready, f"{step['task']} not ready; ready: {sorted(ready)}"
            lane = ready[step["task"]]["lane"] or "citizen"
            eng.complete_task(
                dossier.id, ready[step["task"]]["id"], step.get("data", {}), actor=f"{lane}:example"
            )
        elif "fire_timers" in step:
            clock.advance(duration_seconds(step["fire_timers"]))
            # a statutory-deadline timer waits for the dossier's appointment, in working
            # days of the calendar (engine/deadlines.py), which a count of calendar days
            # written for the example may not reach from today (a weekend, Tết): the
            # example means "the deadline has passed"
            session.expire_all()
            deadline = [
                t
                for t in session.scalars(select(Timer).where(Timer.dossier_id == dossier.id))
                if is_deadline_timer(t.name)
            ]
            due = eng.get(dossier.id).due_at
            if deadline and due is not None and due >= clock.now():
                clock.advance((due - clock.now()).total_seconds() + 60)
            eng.fire_due_timers()
        elif "message" in step:
            # another agency's dossier of this dossier's group answers: the example's
            # link id stands for the group, whose key the engine chose at start
            link = current.link_id
            payload = step["payload"] | ({"link_id": link} if "link_id" in step["payload"] else {})
            session.add(Message(name=step["message"], link_id=link, payload=payload))
            session.commit()
            eng.route_messages()
        else:
            raise AssertionError(f"unknown step {step}")
    session.expire_all()
    dossier = session.scalar(select(Dossier).where(Dossier.id == dossier.id))
    return dossier


def completed_bpmn_ids(eng, dossier) -> set[str]:
    """The BPMN ids of the tasks a dossier has completed: for a completed dossier, the
    path its ``dossier_completed`` event records (its state keeps only the final data)."""
    from SpiffWorkflow.util.task import TaskState

    if dossier.status == "completed":
        (done,) = [e for e in eng.events(dossier.id) if e.kind == "dossier_completed"]
        return set(done.detail["steps"])
    workflow = eng.workflow(dossier)
    return {
        t.task_spec.bpmn_id
        for t in workflow.get_tasks(state=TaskState.COMPLETED)
        if getattr(t.task_spec, "bpmn_id", None)
    }


def sent_messages(session, dossier) -> list[str]:
    from sqlalchemy import select

    from toantrinh.engine.persistence import Message

    return sorted(
        session.scalars(select(Message.name).where(Message.source_dossier_id == dossier.id))
    )
