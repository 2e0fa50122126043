"""Small BPMN builders and shared inputs for the simplifier tests."""

from __future__ import annotations

import itertools
import json
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def catalogue() -> dict:
    return json.loads((ROOT / "data" / "registries.json").read_text(encoding="utf-8"))


def cost_model() -> dict:
    return json.loads((ROOT / "data" / "cost_model.json").read_text(encoding="utf-8"))


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_forms() -> dict[str, dict]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in (FIXTURES / "forms").glob("*.json")
    }


def task(
    tid: str,
    name: str,
    kind: str | None = None,
    actor: str | None = None,
    *,
    presence: str | None = None,
    duration: str | None = None,
    form: str | None = None,
    reads: tuple[str, ...] = (),
    tag: str = "userTask",
    legal: str | None = None,
) -> str:
    """One task element; ``reads`` are data object reference ids it reads."""
    attrs = {
        "kind": kind,
        "actor": actor,
        "presence": presence,
        "duration": duration,
        "legalBasis": legal,
    }
    step = " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items() if v)
    ext = ""
    if step or form:
        ext = (
            "<bpmn:extensionElements>"
            + (f"<tt:step {step}/>" if step else "")
            + (f'<tt:form ref="{form}"/>' if form else "")
            + "</bpmn:extensionElements>"
        )
    assoc = ""
    if reads:
        assoc = f'<bpmn:property id="Prop_{tid}" name="__targetRef_placeholder"/>' + "".join(
            f'<bpmn:dataInputAssociation id="DIA_{tid}_{i}"><bpmn:sourceRef>{r}</bpmn:sourceRef>'
            f"<bpmn:targetRef>Prop_{tid}</bpmn:targetRef></bpmn:dataInputAssociation>"
            for i, r in enumerate(reads)
        )
    return f'<bpmn:{tag} id="{tid}" name="{escape(name)}">{ext}{assoc}</bpmn:{tag}>'


def component(
    ref: str,
    name: str,
    doc: str | None = None,
    copy: str | None = None,
    fields: tuple[str, ...] = (),
) -> str:
    """A data object and its reference; annotated when ``doc`` is given."""
    ext = ""
    if doc:
        inner = "".join(f'<tt:field name="{f}"/>' for f in fields)
        copy_attr = f' copy="{copy}"' if copy else ""
        ext = (
            f'<bpmn:extensionElements><tt:component code="{ref}" documentType="{doc}"{copy_attr} '
            f'required="true">{inner}</tt:component></bpmn:extensionElements>'
        )
    return (
        f'<bpmn:dataObject id="DO_{ref}"/>'
        f'<bpmn:dataObjectReference id="{ref}" name="{escape(name)}" dataObjectRef="DO_{ref}">{ext}'
        "</bpmn:dataObjectReference>"
    )


def model(
    elements: list[str],
    flows: list[tuple[str, str] | tuple[str, str, str]],
    pid: str = "P",
    name: str = "Thủ tục thử",
) -> str:
    """A process with the given elements (tasks, gateways, components) and flows."""
    body = "".join(elements)
    fl = []
    for i, f in enumerate(flows):
        cond = (
            f"<bpmn:conditionExpression>{escape(f[2])}</bpmn:conditionExpression>"
            if len(f) == 3
            else ""
        )
        fl.append(
            f'<bpmn:sequenceFlow id="Flow_{i}" sourceRef="{f[0]}" targetRef="{f[1]}">{cond}</bpmn:sequenceFlow>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:tt="urn:toantrinh:bpmn:1" id="D" targetNamespace="http://example.org">'
        f'<bpmn:process id="{pid}" name="{escape(name)}" isExecutable="true">{body}{"".join(fl)}'
        "</bpmn:process></bpmn:definitions>"
    )


def linear(*tasks: str, extra: tuple[str, ...] = (), ids: tuple[str, ...] = ()) -> str:
    """start → tasks in order → end. ``ids`` are the task ids in the same order."""
    chain = ["S", *ids, "E"]
    elements = ['<bpmn:startEvent id="S"/>', *tasks, '<bpmn:endEvent id="E"/>', *extra]
    return model(elements, list(itertools.pairwise(chain)))


PROCEDURE = {
    "code": "1.000001",
    "slug": "thu-tuc-thu",
    "name": {"vi": "Thủ tục thử", "en": "Test procedure"},
    "legal_basis": ["Luật thử"],
    "processing_time": {"days": 5, "working_days": True, "source": "Luật thử"},
    "fee": {"amount": 50000, "online_amount": 25000, "currency": "VND", "source": "Thông tư thử"},
    "annual_volume": {"dossiers": 1000, "source": "ước tính", "estimate": True},
}
