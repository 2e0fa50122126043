"""The one reader of Toàn Trình's ``tt:`` annotations (docs/annotations.md).

Each function takes an lxml element of a BPMN file and returns plain data. Values
outside the vocabulary (``toantrinh.bpmn.vocabulary``) are dropped and reported as
:class:`Problem` records, so the caller decides whether they are warnings (the
simplifier infers what is missing) or errors.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .namespaces import TT_NS
from .vocabulary import ACTORS, PRESENCE, STEP_KINDS, kind_alias
from .xml import local_name, namespace

_VALID = {"kind": STEP_KINDS, "actor": ACTORS, "presence": PRESENCE}


@dataclass(frozen=True)
class Problem:
    """An annotation value that is not in the vocabulary."""

    attribute: str  # kind | actor | presence
    value: str

    def message(self) -> str:
        """Vietnamese, for a report or a deployment error."""
        names = {"kind": "loại bước", "actor": "chủ thể", "presence": "yêu cầu có mặt"}
        return f"{names[self.attribute]} “{self.value}” không có trong bộ từ vựng tt:"


def extension_elements(el: etree._Element) -> etree._Element | None:
    """The ``extensionElements`` child of a BPMN element, if any."""
    for child in el:
        if local_name(child) == "extensionElements":
            return child
    return None


def tt_children(el: etree._Element, local: str) -> list[etree._Element]:
    """The ``tt:<local>`` annotations inside an element's extension elements."""
    ext = extension_elements(el)
    if ext is None:
        return []
    return [c for c in ext if namespace(c) == TT_NS and local_name(c) == local]


def read_step(step: etree._Element) -> tuple[dict[str, str], list[Problem]]:
    """The attributes of one ``tt:step``, normalised (kind aliases), and its problems.

    >>> el = etree.fromstring('<s kind="Transfer" actor="robot" duration=" PT1H "/>')
    >>> read_step(el)
    ({'kind': 'handoff', 'duration': 'PT1H'}, [Problem(attribute='actor', value='robot')])
    """
    out = {str(k): str(v).strip() for k, v in step.attrib.items()}
    problems: list[Problem] = []
    if "kind" in out:
        out["kind"] = kind_alias(out["kind"])
    for attr, allowed in _VALID.items():
        if attr in out and out[attr] not in allowed:
            problems.append(Problem(attr, step.get(attr, "")))
            del out[attr]
    return out, problems


@dataclass
class TaskAnnotations:
    """What the ``tt:`` annotations of one activity say."""

    step: dict[str, str]
    form: str | None
    problems: list[Problem]


def read_task(el: etree._Element) -> TaskAnnotations:
    """The ``tt:step`` and ``tt:form`` of an activity (the last of each wins)."""
    step: dict[str, str] = {}
    problems: list[Problem] = []
    form = None
    ext = extension_elements(el)
    for item in () if ext is None else ext:
        if namespace(item) != TT_NS:
            continue
        name = local_name(item)
        if name == "step":
            step, problems = read_step(item)
        elif name == "form" and item.get("ref"):
            form = item.get("ref")
    return TaskAnnotations(step, form, problems)


def read_component(el: etree._Element) -> dict | None:
    """The ``tt:component`` of a data object (or its reference): attributes and ``fields``.

    >>> x = ('<o xmlns:tt="urn:toantrinh:bpmn:1"><extensionElements>'
    ...      '<tt:component code="cccd" copy="copy"><tt:field name="full_name"/>'
    ...      '</tt:component></extensionElements></o>')
    >>> read_component(etree.fromstring(x))
    {'code': 'cccd', 'copy': 'copy', 'fields': ['full_name']}
    """
    found = tt_children(el, "component")
    if not found:
        return None
    out: dict = {}
    for item in found:
        out.update({k: v for k, v in item.attrib.items() if isinstance(k, str)})
        out["fields"] = [
            f.get("name")
            for f in item
            if namespace(f) == TT_NS and local_name(f) == "field" and f.get("name")
        ]
    return out


def read_lane(lane: etree._Element) -> tuple[str | None, str | None]:
    """``(role, label)`` from a lane's ``tt:lane``; role None when not in the vocabulary."""
    role = label = None
    for item in tt_children(lane, "lane"):
        role, label = item.get("role"), item.get("label")
    return (role if role in ACTORS else None), label


def read_procedure_code(process: etree._Element) -> str | None:
    """The national procedure code of a process (``tt:procedure code``)."""
    codes = [p.get("code") for p in tt_children(process, "procedure") if p.get("code")]
    return codes[-1] if codes else None
