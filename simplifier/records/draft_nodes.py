"""The pieces of a drafted model: nodes, flows, the builder that chains them, and the two
kinds of user task — a step of the record, or a task the one-stop pattern adds.

Names, durations and forms of these tasks are the tables below; :mod:`.draft_flow`
decides which tasks there are and in what order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .steps import Step
from .text import clean

D118 = "Nghị định 118/2025/NĐ-CP (cơ chế một cửa, một cửa liên thông)"
LANE_ROLE = {"postal": "other_agency"}  # the lane role of docs/annotations.md
FORMS = {  # shared forms of the library (forms/*.json) for the tasks that decide a gateway
    "receive": "tiep-nhan-ho-so",
    "supplement": "bo-sung-ho-so",
    "decide": "tham-dinh-ho-so",
    "pay": "thanh-toan-le-phi",
    "deliver": "tra-ket-qua",
    "apology": "xin-loi-qua-han",
}
DURATION = {
    "submit": "PT30M",
    "receive": "PT30M",
    "verify": "PT2H",
    "appraise": "PT8H",
    "approve": "PT1H",
    "sign": "PT30M",
    "pay": "PT10M",
    "deliver_result": "PT30M",
    "handoff": "PT4H",
    "inspect": "PT8H",
    "other": "PT1H",
}
NAME_MAX = 90
CHANNEL_LABEL = {"in_person": "trực tiếp", "online": "trực tuyến", "postal": "qua bưu chính"}
CHANNEL_TASK = {"submit": "Nộp hồ sơ", "receive": "Tiếp nhận hồ sơ", "verify": "Kiểm tra hồ sơ"}


@dataclass
class Node:
    id: str
    type: str  # startEvent | userTask | scriptTask | exclusiveGateway | endEvent
    name: str
    lane: str
    step: dict[str, str] | None = None
    form: str | None = None
    script: str | None = None
    documentation: str = ""
    inputs: list[str] = field(default_factory=list)
    row: int = 0  # 0: main line of its lane, 1: the branch below it


@dataclass
class Flow:
    id: str
    source: str
    target: str
    name: str = ""
    condition: str = ""


class Builder:
    """Nodes and flows in order; the cursor is where the next node connects."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.flows: list[Flow] = []
        self.cursor: str | None = None
        # (name, condition) of the next flow out of the cursor: the "yes" branch of a gateway
        self.pending: tuple[str, str] | None = None

    def add(self, node: Node) -> Node:
        self.nodes.append(node)
        if self.cursor:
            name, condition = self.pending or ("", "")
            self.flow(self.cursor, node.id, name, condition)
        self.cursor, self.pending = node.id, None
        return node

    def flow(self, source: str, target: str, name: str = "", condition: str = "") -> None:
        self.flows.append(Flow(f"Flow_{source}_{target}", source, target, name, condition))


def short_name(text: str, limit: int = NAME_MAX) -> str:
    """A task label from a step's text: its first clause, without the marker."""
    text = re.sub(r"^[\s\-+*•–.a-zđ0-9)]{0,5}(?=\S)", "", clean(text))
    text = re.sub(r"^Bước\s*\d+\s*[:.]\s*", "", text)
    first = re.split(r"(?<=[.;:])\s", text, maxsplit=1)[0].rstrip(".;:")
    if len(first) <= limit:
        return first
    cut = first.rfind(" ", 0, limit - 1)
    return first[: cut if cut > 20 else limit - 1] + "…"


def _step_attrs(step: Step) -> dict[str, str]:
    attrs = {
        "kind": step.kind,
        "actor": LANE_ROLE.get(step.actor, step.actor),
        "duration": DURATION[step.kind],
        "presence": step.presence,
    }
    if step.presence == "required_by_law":
        attrs["legalBasis"] = (
            f"Văn bản công bố thủ tục: “{step.presence_words}” ({step.presence_reason})"
        )
    return attrs


def step_task(step: Step, alternatives: list[Step]) -> Node:
    """The user task of a record's step; ``alternatives`` are the steps for other channels
    drafted as this same task (itself first)."""
    if len(alternatives) < 2:
        name, doc = short_name(step.text), step.text
    else:  # one task for every channel: the channel is the applicant's choice, not a step
        labels = [label for c, label in CHANNEL_LABEL.items() if _names(alternatives, c)]
        name = f"{CHANNEL_TASK.get(step.kind, short_name(step.text, 60))} ({', '.join(labels)})"
        doc = "Một trong các hình thức: " + "\n".join(s.text for s in alternatives)
    return Node(
        f"Step_{step.index}", "userTask", name, step.actor, _step_attrs(step), documentation=doc
    )


def _names(alternatives: list[Step], channel: str) -> bool:
    return any(channel in s.channels for s in alternatives)


def added_task(
    node_id: str,
    name: str,
    lane: str,
    kind: str,
    form: str | None = None,
    presence: str = "none",
    basis: str = D118,
) -> Node:
    """A user task the one-stop pattern adds where the record leaves it out."""
    step = {
        "kind": kind,
        "actor": LANE_ROLE.get(lane, lane),
        "duration": DURATION[kind],
        "presence": presence,
        "legalBasis": basis,
    }
    return Node(
        node_id,
        "userTask",
        name,
        lane,
        step,
        form,
        documentation="Bước do mẫu một cửa bổ sung; bản ghi không nêu.",
    )
