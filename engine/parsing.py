"""BPMN → executable specs, once per model version.

A model is read with a hardened XML parser (no DTD, no entities, no network, bounded
size), checked for unsafe scripts and expressions, parsed by SpiffWorkflow's spiff
parser, and summarised into :class:`ModelInfo` — the task table (names, lanes, forms,
``tt:step`` annotations) and the message events — that the engine keeps beside the
spec. Results are cached by content hash, so a version is parsed once per process.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.specs.defaults import UserTask

from toantrinh.bpmn import annotations as tt_annotations
from toantrinh.bpmn import xml as bpmn_xml
from toantrinh.bpmn.namespaces import BPMN_NS, SPIFF_NS, TT_NS
from toantrinh.engine import deploy_checks, event_subprocesses, scripting
from toantrinh.engine.forms import check_form

MAX_BPMN_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 256

# Every place of a model that holds a script or an expression, by (namespace, tag):
# (mode, what the modeller calls it, whether SpiffWorkflow runs it). The ones it does not
# run are BPMN expressions all the same: checked like the others, and a warning says they
# are ignored.
_PLACES: dict[tuple[str, str], tuple[str, str, bool]] = {
    (BPMN_NS, "conditionExpression"): ("eval", "điều kiện của luồng", True),
    (BPMN_NS, "condition"): ("eval", "điều kiện của sự kiện điều kiện", True),
    (BPMN_NS, "timeDate"): ("eval", "thời điểm hẹn giờ", True),
    (BPMN_NS, "timeDuration"): ("eval", "thời lượng hẹn giờ", True),
    (BPMN_NS, "timeCycle"): ("eval", "chu kỳ hẹn giờ", True),
    (BPMN_NS, "loopCardinality"): ("eval", "số lần lặp", True),
    (BPMN_NS, "completionCondition"): ("eval", "điều kiện hoàn thành", True),
    (BPMN_NS, "loopCondition"): ("eval", "điều kiện lặp", True),
    (BPMN_NS, "messagePath"): ("eval", "biểu thức tương quan", True),
    (BPMN_NS, "script"): ("exec", "kịch bản", True),
    (SPIFF_NS, "preScript"): ("exec", "kịch bản trước", True),
    (SPIFF_NS, "postScript"): ("exec", "kịch bản sau", True),
    (SPIFF_NS, "messagePayload"): ("eval", "nội dung thông điệp", True),
    (SPIFF_NS, "payloadExpression"): ("eval", "nội dung sự kiện", True),
    (SPIFF_NS, "expression"): ("eval", "biểu thức tương quan", True),
    (BPMN_NS, "activationCondition"): ("eval", "điều kiện kích hoạt", False),
    (BPMN_NS, "from"): ("eval", "nguồn của phép gán dữ liệu", False),
    (BPMN_NS, "to"): ("eval", "đích của phép gán dữ liệu", False),
    (BPMN_NS, "transformation"): ("eval", "phép biến đổi dữ liệu", False),
    (BPMN_NS, "formalExpression"): ("eval", "biểu thức", False),
}
_CORRELATION = ("eval", "biểu thức tương quan", True)
_SCRIPT = ("exec", "kịch bản", True)


class ModelError(ValueError):
    """A model cannot be deployed; ``problems`` lists each reason (Vietnamese)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class NotBpmnError(ModelError):
    """The file is not a BPMN 2.0 document at all (not well-formed XML, another root
    element, an unreadable encoding): said as such, with the parser's reason."""


class StructureError(ModelError):
    """Only the structural checks refuse the model (``engine/deploy_checks.py``): it
    deploys with ``force``."""

    def __str__(self) -> str:
        return f"{super().__str__()} ({deploy_checks.FORCE_HINT})"


@dataclass
class TaskInfo:
    bpmn_id: str
    name: str
    type: str
    lane: str | None = None
    form: str | None = None
    step: dict[str, str] = field(default_factory=dict)


@dataclass
class ModelInfo:
    process_id: str
    name: str
    code: str | None
    tasks: dict[str, TaskInfo]
    message_starts: list[str]
    messages_caught: list[str]
    warnings: list[str]
    # dossier component code -> {"name", "document_type"} (tt:component); None in the
    # task tables of versions deployed before it was kept (read from their BPMN instead)
    components: dict[str, dict[str, str | None]] | None = None
    # whether its steps may be journaled (see replayable()); None: deployed before
    replayable: bool | None = None
    # ids of its interrupting event sub-processes (engine/event_subprocesses.py); None:
    # deployed before it was kept (read from its BPMN instead)
    interrupting_event_subprocesses: list[str] | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ModelInfo:
        dct = json.loads(text)
        dct["tasks"] = {k: TaskInfo(**v) for k, v in dct["tasks"].items()}
        return cls(**dct)


@dataclass
class ParsedModel:
    content_hash: str
    spec: Any
    subprocess_specs: dict[str, Any]
    info: ModelInfo
    # what the structural checks refuse (engine/deploy_checks.py); deploy needs ``force``
    structure: list[str] = field(default_factory=list)


def content_hash(bpmn: bytes, forms: dict[str, Any] | None = None) -> str:
    h = hashlib.sha256(bpmn)
    if forms:
        h.update(json.dumps(forms, sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()


def read_xml(data: bytes | str) -> etree._Element:
    """Parse untrusted XML safely (the shared hardened reader, ``toantrinh.bpmn.xml``); raise
    :class:`ModelError` with a clear reason."""
    try:
        root = bpmn_xml.read_xml(data, max_bytes=MAX_BPMN_BYTES, max_depth=MAX_DEPTH)
    except bpmn_xml.UnsafeXMLError as err:
        raise NotBpmnError([str(err)]) from err
    if etree.QName(root).namespace != BPMN_NS or etree.QName(root).localname != "definitions":
        raise NotBpmnError(
            [f"phần tử gốc là <{etree.QName(root).localname}>, phải là bpmn:definitions (BPMN 2.0)"]
        )
    return root


_DECLARATION = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])([A-Za-z0-9._-]+)\2""")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def bpmn_text(raw: bytes) -> str:
    """A BPMN file (already read by :func:`read_xml`) as the text a version keeps: decoded
    as its byte-order mark or XML declaration says — UTF-8 unless one says otherwise
    (Activiti writes ISO-8859-1) — with the declaration then saying UTF-8, which is how
    it is stored and served."""
    codec = next((c for bom, c in _BOMS if raw.startswith(bom)), None)
    if codec is None:
        head = raw[:200].decode("ascii", errors="replace")
        declared = _DECLARATION.match(head)
        codec = declared.group(3) if declared else "utf-8"
    try:
        text = raw.decode(codec)
    except (LookupError, UnicodeDecodeError) as err:
        raise NotBpmnError([f"không đọc được tệp BPMN theo bảng mã '{codec}': {err}"]) from err
    return _DECLARATION.sub(r"\1\2UTF-8\2", text, count=1)


@dataclass(frozen=True)
class Expression:
    """A script or an expression of a model, and where it is."""

    element: etree._Element
    source: str
    mode: str  # "eval" or "exec"
    place: str  # what it is, in the modeller's words
    runs: bool = True  # whether the engine evaluates it (else BPMN allows it, nothing runs it)


def expressions(root: etree._Element) -> Iterator[Expression]:
    """Every script and expression of the model, wherever BPMN and SpiffWorkflow's
    extensions put one (``_PLACES``): conditions on flows and of conditional events,
    timers, multi-instance and loop conditions, correlation properties (the first child
    of a ``correlationPropertyRetrievalExpression``, which SpiffWorkflow reads whatever
    its tag, and ``spiffworkflow:processVariableCorrelation``), script tasks, pre- and
    post-scripts, message and event payloads, service-task parameters, and the data
    assignments and transformations nothing runs."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        qname = etree.QName(el)
        parent = el.getparent()
        above = etree.QName(parent).localname if parent is not None else None
        if above == "correlationPropertyRetrievalExpression" and parent.index(el) == 0:
            kind = _CORRELATION
        elif above == "scriptTask" and el.tag.endswith("script"):
            kind = _SCRIPT  # what SpiffWorkflow's ScriptTaskParser runs, whatever the namespace
        else:
            kind = _PLACES.get((qname.namespace, qname.localname))
        text = (el.text or "").strip()
        if kind is not None and text:
            yield Expression(el, text, *kind)
        if qname.namespace == SPIFF_NS and qname.localname == "parameter" and el.get("value"):
            yield Expression(el, el.get("value"), "eval", f"tham số '{el.get('id')}'")


def check_scripts(root: etree._Element) -> list[str]:
    """Every script and expression in the model must be in the safe language."""
    problems: list[str] = []
    for found in expressions(root):
        where = f"{_owner_label(found.element)}, {found.place}"
        problems.extend(
            f"{where}: {problem}" for problem in scripting.check(found.source, found.mode)
        )
    return problems


def unrun_warnings(root: etree._Element) -> list[str]:
    """The expressions of the model the engine does not evaluate (BPMN data assignments
    and transformations, complex gateways' activation conditions…), each named."""
    return [
        f"{_owner_label(found.element)}: {found.place} không được máy chạy thực hiện "
        "(SpiffWorkflow bỏ qua); hãy dùng kịch bản hoặc biểu thức trên luồng"
        for found in expressions(root)
        if not found.runs
    ]


def replayable(root: etree._Element) -> bool:
    """Whether the model's steps can be journaled (``engine/store/journal.py``): none of its
    scripts or expressions builds a set, whose order of iteration over strings is not
    the same from one process to the next."""
    return not any(scripting.uses_sets(e.source, e.mode) for e in expressions(root))


def replayable_bpmn(bpmn: str | bytes) -> bool:
    """:func:`replayable` for a stored BPMN (versions deployed before it was recorded)."""
    return replayable(read_xml(bpmn))


def _owner_label(el: etree._Element) -> str:
    """The BPMN element a script or expression belongs to: the nearest enclosing BPMN
    element with an id, past extension elements and event definitions (the event the
    modeller drew is named, not its definition)."""
    node = el.getparent()
    while node is not None:
        qname = etree.QName(node)
        if (
            node.get("id")
            and qname.namespace == BPMN_NS
            and not qname.localname.endswith("EventDefinition")
        ):
            name = node.get("name")
            return f"'{name}' ({node.get('id')})" if name else f"'{node.get('id')}'"
        node = node.getparent()
    return "mô hình"


def _executable_process(root: etree._Element, process_id: str | None) -> etree._Element:
    processes = root.findall(f"{{{BPMN_NS}}}process")
    if process_id:
        for p in processes:
            if p.get("id") == process_id:
                return p
        raise ModelError([f"không tìm thấy quy trình '{process_id}' trong tệp BPMN"])
    executable = [p for p in processes if p.get("isExecutable", "false").lower() == "true"]
    candidates = executable or processes
    if not candidates:
        raise ModelError(["tệp BPMN không có quy trình (bpmn:process) nào"])
    if len(candidates) > 1:
        ids = ", ".join(p.get("id") for p in candidates)
        raise ModelError([f"tệp có nhiều quy trình thực thi được ({ids}); hãy chỉ rõ process_id"])
    return candidates[0]


def _annotations(process: etree._Element) -> tuple[str | None, dict[str, dict], list[str]]:
    """The procedure code, each activity's ``tt:step`` and ``tt:form``, and a warning for
    every annotation value outside the ``tt:`` vocabulary, read by the shared BPMN core's
    reader (bpmn/annotations.py): the step kinds are the ones the simplifier reads."""
    per_task: dict[str, dict] = {}
    warnings: list[str] = []
    for el in process.iter():
        if not isinstance(el.tag, str) or not el.get("id"):
            continue
        if tt_annotations.extension_elements(el) is None:
            continue
        found = tt_annotations.read_task(el)
        if found.step or found.form is not None or found.problems:
            per_task[el.get("id")] = {"step": found.step, "form": found.form}
        label = f"'{el.get('name')}' ({el.get('id')})" if el.get("name") else f"'{el.get('id')}'"
        warnings.extend(f"{label}: {problem.message()}" for problem in found.problems)
    return tt_annotations.read_procedure_code(process), per_task, warnings


def component_table(process: etree._Element) -> dict[str, dict[str, str | None]]:
    """The dossier components a process declares (``tt:component`` on a data object or
    its reference, ``docs/annotations.md``): code → its name and the type of document
    it is (``documentType``, the e-data warehouse's ``document_type``)."""
    found: dict[str, dict[str, str | None]] = {}
    for ann in process.iter(f"{{{TT_NS}}}component"):
        code = ann.get("code")
        if not code:
            continue
        holder = ann.getparent().getparent() if ann.getparent() is not None else None
        name = holder.get("name") if holder is not None else None
        entry = found.setdefault(code, {"name": None, "document_type": None})
        entry["name"] = entry["name"] or name or code
        entry["document_type"] = entry["document_type"] or ann.get("documentType") or None
        if ann.get("required") == "false":
            entry["required"] = False
    return found


def interrupting_of_bpmn(bpmn: str | bytes, process_id: str) -> list[str]:
    """The interrupting event sub-processes of a stored version's BPMN."""
    raw = bpmn.encode("utf-8") if isinstance(bpmn, str) else bpmn
    return event_subprocesses.interrupting_ids(_executable_process(read_xml(raw), process_id))


def components_of_bpmn(bpmn: str | bytes, process_id: str) -> dict[str, dict[str, str | None]]:
    """:func:`component_table` of a stored version's BPMN (already checked at deploy)."""
    raw = bpmn.encode("utf-8") if isinstance(bpmn, str) else bpmn
    return component_table(_executable_process(read_xml(raw), process_id))


# SpiffWorkflow's most common refusals, said in the modeller's language
_SPIFF_MESSAGES = {
    "Multiple outgoing flows are not supported": (
        "tác vụ có nhiều luồng ra; hãy rẽ nhánh bằng một cổng (gateway) sau tác vụ"
    ),
    "A Service Task must have an operator": (
        "tác vụ dịch vụ chưa khai báo thao tác (spiffworkflow:serviceTaskOperator)"
    ),
}


def _plain(message: str) -> str:
    """SpiffWorkflow's message without the Python reprs some of its errors embed: an
    element's repr (``<Element {ns}sourceRef at 0x7f…>``), or the XML of the element a
    ``NotImplementedError`` names."""
    message = re.sub(r"<Element \{[^}]*\}(\w+) at 0x[0-9a-f]+>", r"<\1>", message)
    unsupported = re.match(r"NotImplementedError\((['\"])(.*?)\1", message)
    if unsupported:
        return f"SpiffWorkflow không hỗ trợ: {unsupported.group(2)}"
    return message


def _reserved_ids(process: etree._Element) -> list[str]:
    # SpiffWorkflow names its own internal task specs "Start", "End" and
    # "<process>.EndJoin"; a BPMN element with one of those ids silently replaces
    # them and leaves a spec that cannot start ("No output task connected").
    reserved = {"Start", "End", f"{process.get('id')}.EndJoin"}
    return [
        f"phần tử '{el.get('name') or el.get('id')}' dùng id dành riêng '{el.get('id')}'; hãy đổi id "
        "(ví dụ StartEvent_1, EndEvent_1)"
        for el in process.iter()
        if isinstance(el.tag, str) and el.get("id") in reserved
    ]


def lane_roles(process: etree._Element) -> dict[str, str]:
    """Lane name → role, from ``tt:lane role`` (the lane name itself when absent)."""
    roles = {}
    for lane in process.iter(f"{{{BPMN_NS}}}lane"):
        ann = lane.find(f"{{{BPMN_NS}}}extensionElements/{{{TT_NS}}}lane")
        name = lane.get("name") or lane.get("id")
        roles[name] = ann.get("role") if ann is not None and ann.get("role") else name
    return roles


def _structure_warnings(process: etree._Element) -> list[str]:
    warnings = []
    incoming: dict[str, int] = {}
    for flow in process.iter(f"{{{BPMN_NS}}}sequenceFlow"):
        incoming[flow.get("targetRef")] = incoming.get(flow.get("targetRef"), 0) + 1
    for el in process.iter():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if local.endswith("Task") and incoming.get(el.get("id"), 0) > 1:
            # SpiffWorkflow grows the task tree without bound (and eventually stops on
            # Python's recursion limit) when a loop re-enters a task directly; a merging
            # gateway avoids it (spiff-arena issues #1530, #1861).
            warnings.append(
                f"tác vụ '{el.get('name') or el.get('id')}' có nhiều luồng vào: "
                "nên thêm cổng hợp nhất (exclusive gateway) trước nó"
            )
    return warnings


def parse_model(
    bpmn: bytes | str, process_id: str | None = None, filename: str = "model.bpmn"
) -> ParsedModel:
    """Parse and check a BPMN model; raise :class:`ModelError` listing every problem."""
    raw = bpmn.encode("utf-8") if isinstance(bpmn, str) else bpmn
    return _parse_cached(raw, process_id, filename)


@lru_cache(maxsize=256)
def _parse_cached(raw: bytes, process_id: str | None, filename: str) -> ParsedModel:
    root = read_xml(raw)
    process = _executable_process(root, process_id)
    pid = process.get("id")
    deploy_checks.resolve_qname_refs(root)
    problems = (
        check_scripts(root)
        + _reserved_ids(process)
        + deploy_checks.identifier_problems(root, process)
        + deploy_checks.reference_problems(root)
    )
    if problems:
        raise ModelError(problems)
    parser = SpiffBpmnParser()
    try:
        parser.add_bpmn_xml(etree.ElementTree(root), filename=filename)
        spec = parser.get_spec(pid)
        subprocess_specs = parser.get_subprocess_specs(pid)
    except ValidationException as err:
        where = ""
        if getattr(err, "id", ""):
            label = f"'{err.name}' ({err.id})" if getattr(err, "name", "") else f"'{err.id}'"
            where = f"{label}: "
        message = _plain(str(err).split(" Source Details:")[0].strip())
        message = _SPIFF_MESSAGES.get(message.split(" for tasks of type")[0], message)
        raise ModelError([f"BPMN không chạy được: {where}{message}"]) from err
    except Exception as err:  # SpiffWorkflow raises assorted errors on odd models
        raise ModelError([f"BPMN không chạy được: {type(err).__name__}: {err}"]) from err
    cycles = deploy_checks.call_cycles(spec, subprocess_specs)
    if cycles:
        raise ModelError(cycles)
    unsound, structure_warnings = deploy_checks.structure(root, pid)

    code, task_annotations, annotation_warnings = _annotations(process)
    roles = lane_roles(process)
    tasks: dict[str, TaskInfo] = {}
    message_starts: list[str] = []
    caught: set[str] = set()
    all_specs = [spec, *subprocess_specs.values()]
    for s in all_specs:
        for ts in s.task_specs.values():
            bpmn_id = getattr(ts, "bpmn_id", None)
            if bpmn_id is None:
                continue
            event_def = getattr(ts, "event_definition", None)
            if isinstance(ts, CatchingEvent) and isinstance(event_def, MessageEventDefinition):
                caught.add(event_def.name)
                if s is spec and ts in spec.start.outputs:
                    message_starts.append(event_def.name)
            ann = task_annotations.get(bpmn_id, {})
            tasks[bpmn_id] = TaskInfo(
                bpmn_id=bpmn_id,
                name=ts.bpmn_name or bpmn_id,
                type=type(ts).__name__,
                lane=roles.get(ts.lane, ts.lane) if ts.lane else None,
                form=ann.get("form"),
                step=ann.get("step", {}),
            )
    missing_forms = [
        f"tác vụ người dùng '{t.name}' ({t.bpmn_id}) chưa gắn biểu mẫu (tt:form)"
        for t in tasks.values()
        if t.type == UserTask.__name__ and not t.form
    ]
    info = ModelInfo(
        process_id=pid,
        name=process.get("name") or pid,
        code=code,
        tasks=tasks,
        message_starts=sorted(set(message_starts)),
        messages_caught=sorted(caught),
        warnings=_structure_warnings(process)
        + structure_warnings
        + missing_forms
        + unrun_warnings(root)
        + annotation_warnings,
        components=component_table(process),
        replayable=replayable(root),
        interrupting_event_subprocesses=event_subprocesses.interrupting_ids(process),
    )
    return ParsedModel(content_hash(raw), spec, subprocess_specs, info, unsound)


def form_refs(info: ModelInfo) -> set[str]:
    return {t.form for t in info.tasks.values() if t.form}


def load_forms(
    info: ModelInfo, forms_dir: Path, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Collect the JSON Schema forms the model's user tasks reference."""
    forms: dict[str, Any] = {}
    problems: list[str] = []
    for ref in sorted(form_refs(info)):
        if extra and ref in extra:
            forms[ref] = extra[ref]
            continue
        path = forms_dir / f"{ref}.json"
        if not path.is_file():
            users = ", ".join(
                f"'{t.name}' ({t.bpmn_id})" for t in info.tasks.values() if t.form == ref
            )
            problems.append(f"{users}: không tìm thấy biểu mẫu '{ref}' trong thư viện biểu mẫu")
            continue
        try:
            forms[ref] = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            problems.append(f"biểu mẫu '{ref}' không phải JSON hợp lệ: {err}")
    for ref, schema in forms.items():
        problems.extend(f"biểu mẫu '{ref}': {p}" for p in check_form(schema))
    if problems:
        raise ModelError(problems)
    return forms
