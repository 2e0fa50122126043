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
FLOW_NODES = ("startEvent", "endEvent", "intermediateThrowEvent", "intermediateCatchEvent",
              "boundaryEvent", "userTask", "serviceTask", "scriptTask", "manualTask", "task",
              "sendTask", "receiveTask", "businessRuleTask", "callActivity", "subProcess",
              "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway")


def folders() -> list[Path]:
    return sorted(p for p in LIBRARY.iterdir() if p.is_dir() and (p / "procedure.json").is_file())


def procedure(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "procedure.json").read_text(encoding="utf-8"))


def bpmn_tree(folder: Path) -> etree._Element:
    return etree.fromstring((folder / procedure(folder)["bpmn"]).read_bytes())


def examples(folder: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((folder / "examples").glob("*.json"))}


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
            k in actual and contains(actual[k], v) for k, v in expected.items())
    return actual == expected
