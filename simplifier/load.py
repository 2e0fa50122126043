"""Tolerant, defensive BPMN 2.0 loader.

Turns the XML of any well-formed BPMN 2.0 file (Camunda Modeler, Signavio, bpmn.io,
Bizagi, ARIS, spiff-arena, hand-written) into a :class:`ParsedModel`: plain records for
flow nodes, sequence flows, data objects (dossier components, "thành phần hồ sơ"),
lanes and message flows. Elements are matched by local name inside the BPMN model
namespace (or no namespace, for sloppy exports), so the prefix a tool chooses
(``bpmn:``, ``bpmn2:``, ``semantic:``, none) does not matter.

Hostile input never reaches the XML tree: DTDs and entity declarations are refused
before parsing (XXE, billion laughs), the parser runs with ``resolve_entities=False``,
``no_network=True`` and ``huge_tree=False`` (libxml2's depth and text-size limits),
and size and element-count limits bound the work. Every failure is a
:class:`ModelLoadError` with a message a procedure-control officer can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
TT_NS = "urn:toantrinh:bpmn:1"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"

MAX_BYTES = 20 * 1024 * 1024
MAX_ELEMENTS = 250_000
MAX_NESTING = 64  # nested sub-processes

TASK_TYPES = frozenset(
    {
        "task",
        "userTask",
        "manualTask",
        "serviceTask",
        "scriptTask",
        "businessRuleTask",
        "sendTask",
        "receiveTask",
        "callActivity",
    }
)
SUBPROCESS_TYPES = frozenset({"subProcess", "adHocSubProcess", "transaction"})
GATEWAY_TYPES = frozenset(
    {
        "exclusiveGateway",
        "inclusiveGateway",
        "parallelGateway",
        "eventBasedGateway",
        "complexGateway",
    }
)
EVENT_TYPES = frozenset(
    {
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "implicitThrowEvent",
    }
)
FLOW_NODE_TYPES = TASK_TYPES | SUBPROCESS_TYPES | GATEWAY_TYPES | EVENT_TYPES

_STEP_KINDS = {
    "submit",
    "receive",
    "verify",
    "appraise",
    "approve",
    "sign",
    "pay",
    "deliver_result",
    "handoff",
    "inspect",
    "other",
}
_KIND_ALIASES = {
    "deliver-result": "deliver_result",
    "deliverresult": "deliver_result",
    "transfer": "handoff",
    "hand-off": "handoff",
    "hand_off": "handoff",
}
_ACTORS = {"citizen", "one_stop_desk", "specialist", "leader", "other_agency", "system"}
_PRESENCE = {"none", "required", "required_by_law"}

_DTD_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ModelLoadError(ValueError):
    """The input is not a BPMN 2.0 model the simplifier can read (with a reason)."""


@dataclass
class Node:
    """One BPMN flow node (task, gateway, event or sub-process)."""

    id: str
    type: str
    name: str = ""
    process: str = ""
    parent: str | None = None  # enclosing sub-process id
    lane: str | None = None  # lane name
    lane_role: str | None = None
    step: dict[str, str] = field(default_factory=dict)  # tt:step attributes
    form: str | None = None  # tt:form ref
    form_fields: tuple[str, ...] = ()  # camunda:formField ids
    event_definitions: tuple[str, ...] = ()
    link_name: str | None = None
    attached_to: str | None = None
    default_flow: str | None = None
    triggered_by_event: bool = False
    script: str | None = None
    operator: str | None = None  # spiffworkflow:serviceTaskOperator id
    result_variable: str | None = None
    hints: str = ""  # other text that helps inference (assignee, candidate groups)
    reads: set[str] = field(default_factory=set)  # names read by scripts, parameters, timers
    inputs: list[str] = field(default_factory=list)  # component keys read
    outputs: list[str] = field(default_factory=list)  # component keys written

    @property
    def is_task(self) -> bool:
        return self.type in TASK_TYPES

    @property
    def is_gateway(self) -> bool:
        return self.type in GATEWAY_TYPES

    @property
    def is_event(self) -> bool:
        return self.type in EVENT_TYPES


@dataclass
class Flow:
    """A sequence flow."""

    id: str
    source: str
    target: str
    name: str = ""
    condition: str | None = None
    process: str = ""
    parent: str | None = None


@dataclass
class DataObject:
    """A data object: a dossier component candidate (thành phần hồ sơ)."""

    key: str  # the bpmn:dataObject id where known, else the reference id
    name: str = ""
    process: str = ""
    refs: list[str] = field(default_factory=list)  # dataObjectReference ids
    component: dict | None = None  # tt:component attributes + "fields"
    is_store: bool = False


@dataclass
class ParsedModel:
    """Everything the simplifier reads from one BPMN file."""

    processes: dict[str, str] = field(default_factory=dict)  # id -> name
    executable: list[str] = field(default_factory=list)
    nodes: dict[str, Node] = field(default_factory=dict)
    flows: dict[str, Flow] = field(default_factory=dict)
    data_objects: dict[str, DataObject] = field(default_factory=dict)
    message_flows: list[tuple[str, str, str]] = field(default_factory=list)  # id, src, tgt
    participants: dict[str, str] = field(default_factory=dict)  # participant id -> process id
    participant_names: dict[str, str] = field(default_factory=dict)  # process id -> pool name
    procedure_code: str | None = None
    exporter: str | None = None
    has_di: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        for pid in self.executable or list(self.processes):
            if self.processes.get(pid):
                return self.processes[pid]
        return next(iter(self.processes), "")


_TAGS: dict[str, tuple[str, str]] = {}  # "{ns}local" -> (ns, local): tags repeat a lot


def _split(tag) -> tuple[str, str] | None:
    try:
        return _TAGS[tag]
    except KeyError:
        if not isinstance(tag, str):
            return None
        ns, _, local = tag[1:].partition("}") if tag[:1] == "{" else ("", "", tag)
        if len(_TAGS) < 4096:  # bounded: hostile files may invent any number of tags
            _TAGS[tag] = (ns, local)
        return ns, local
    except TypeError:  # comments and processing instructions have a function as tag
        return None


def _local(el) -> str | None:
    parts = _split(el.tag)
    return parts[1] if parts else None


def _ns(el) -> str:
    parts = _split(el.tag)
    return parts[0] if parts else ""


def _is_bpmn(el) -> bool:
    parts = _split(el.tag)
    return parts is not None and parts[0] in (BPMN_NS, "")


def parse_xml(data: bytes | str) -> etree._Element:
    """Parse XML safely and return the root element.

    Refuses DTDs and entity declarations, oversize input and too many elements.

    >>> parse_xml("<a/>").tag
    'a'
    """
    if isinstance(data, str):
        # lxml refuses str input with an encoding declaration; the text is already decoded.
        data = _XML_DECL_RE.sub("", data, count=1).encode("utf-8")
    elif not isinstance(data, bytes | bytearray | memoryview):
        raise ModelLoadError(
            f"Mô hình phải là XML BPMN dạng bytes hoặc str, nhận được {type(data).__name__}."
        )
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ModelLoadError(f"Mô hình quá lớn ({len(data):,} byte; giới hạn {MAX_BYTES:,} byte).")
    if not data.strip():
        raise ModelLoadError("Mô hình rỗng.")
    if _DTD_RE.search(data):
        raise ModelLoadError(
            "Mô hình chứa khai báo DTD hoặc thực thể (<!DOCTYPE>/<!ENTITY>); tệp BPMN không bao giờ "
            "cần đến, nên bị từ chối để chống XXE và bùng nổ thực thể."
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ModelLoadError(f"Mô hình không phải XML hợp lệ (not well-formed): {exc}") from None
    except (ValueError, TypeError, MemoryError, RecursionError) as exc:
        raise ModelLoadError(f"Không đọc được XML của mô hình: {exc}") from None
    if root is None:
        raise ModelLoadError("Mô hình không có phần tử gốc.")
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype:
        # reached only when the declaration was hidden from the byte scan (e.g. UTF-16)
        raise ModelLoadError(
            "Mô hình chứa khai báo DTD (<!DOCTYPE>); DTD bị từ chối để chống XXE và bùng nổ thực thể."
        )
    for count, _ in enumerate(root.iter(), 1):
        if count > MAX_ELEMENTS:
            raise ModelLoadError(f"Mô hình có hơn {MAX_ELEMENTS:,} phần tử XML.")
    return root


def load(data: bytes | str) -> ParsedModel:
    """Load a BPMN 2.0 model from XML bytes or text into a :class:`ParsedModel`."""
    root = parse_xml(data)
    return read_model(root)


def read_model(root) -> ParsedModel:
    """Read a parsed BPMN ``definitions`` element into a :class:`ParsedModel`."""
    if _local(root) != "definitions" or not _is_bpmn(root):
        raise ModelLoadError(
            f"Phần tử gốc là <{_local(root)}> (không gian tên '{_ns(root)}'), "
            f"không phải <definitions> của BPMN 2.0 ({BPMN_NS})."
        )
    pm = ParsedModel(exporter=root.get("exporter"))
    try:
        for child in root:
            name = _local(child)
            if not _is_bpmn(child):
                if name == "BPMNDiagram":
                    pm.has_di = True
                continue
            if name == "process":
                _read_process(pm, child)
            elif name == "collaboration":
                _read_collaboration(pm, child)
        if not pm.processes:
            raise ModelLoadError("Mô hình không có <process>: không có gì để phân tích.")
        _link_data(pm)
        # A pool's name ("Người dân", "UBND xã") tells who works its unlaned tasks.
        pools = {proc: name for proc, name in pm.participant_names.items() if name}
        for node in pm.nodes.values():
            if node.lane is None and node.process in pools:
                node.hints = f"{pools[node.process]} {node.hints}".strip()
    except RecursionError:
        raise ModelLoadError("Mô hình lồng tiến trình con quá sâu.") from None
    return pm


def _ext(el):
    for child in el:
        if _local(child) == "extensionElements":
            return child
    return None


def _read_collaboration(pm: ParsedModel, collab) -> None:
    for child in collab:
        name = _local(child)
        if name == "participant" and child.get("processRef"):
            pm.participants[child.get("id", "")] = child.get("processRef")
            pm.participant_names[child.get("processRef")] = child.get("name") or ""
        elif name == "messageFlow":
            pm.message_flows.append(
                (child.get("id", ""), child.get("sourceRef", ""), child.get("targetRef", ""))
            )


def _read_process(pm: ParsedModel, proc) -> None:
    pid = proc.get("id") or f"Process_{len(pm.processes) + 1}"
    if pid in pm.processes:
        pm.warnings.append(f"Trùng mã tiến trình {pid!r}; gộp định nghĩa sau vào.")
    pm.processes[pid] = proc.get("name") or ""
    if (proc.get("isExecutable") or "").lower() == "true":
        pm.executable.append(pid)
    ext = _ext(proc)
    if ext is not None:
        for item in ext:
            if _ns(item) == TT_NS and _local(item) == "procedure" and item.get("code"):
                pm.procedure_code = item.get("code")
    _read_container(pm, proc, pid, None, 0)


def _lanes(container) -> dict[str, tuple[str, str | None]]:
    """Map node id -> (lane name, lane role) for the innermost lane holding it."""
    out: dict[str, tuple[str, str | None]] = {}

    def walk(lane_set):
        for lane in lane_set:
            if _local(lane) != "lane":
                continue
            role = None
            ext = _ext(lane)
            if ext is not None:
                for item in ext:
                    if _ns(item) == TT_NS and _local(item) == "lane":
                        role = item.get("role")
            label = lane.get("name") or lane.get("id") or ""
            for ref in lane:
                if _local(ref) == "flowNodeRef" and ref.text:
                    out[ref.text.strip()] = (label, role)
            for ref in lane:
                if _local(ref) == "childLaneSet":
                    walk(ref)

    for child in container:
        if _local(child) == "laneSet":
            walk(child)
    return out


def _read_container(pm: ParsedModel, container, pid: str, parent: str | None, depth: int):
    if depth > MAX_NESTING:
        raise ModelLoadError(f"Tiến trình con lồng nhau quá {MAX_NESTING} cấp.")
    lanes = _lanes(container)
    for el in container:
        if not _is_bpmn(el):
            continue
        name = _local(el)
        eid = el.get("id")
        if name in FLOW_NODE_TYPES:
            if not eid:
                pm.warnings.append(f"Bỏ qua <{name}> không có id.")
                continue
            if eid in pm.nodes:
                pm.warnings.append(f"Trùng mã phần tử {eid!r}; giữ phần tử đầu tiên.")
                continue
            node = _read_node(pm, el, name, pid, parent)
            lane = lanes.get(eid)
            if lane:
                node.lane, node.lane_role = lane
            pm.nodes[eid] = node
            if name in SUBPROCESS_TYPES:
                _read_container(pm, el, pid, eid, depth + 1)
        elif name == "sequenceFlow":
            src, tgt = el.get("sourceRef"), el.get("targetRef")
            if not (eid and src and tgt):
                pm.warnings.append(f"Luồng {eid!r} thiếu id, nguồn hoặc đích; bỏ qua.")
                continue
            cond = None
            for c in el:
                if _local(c) == "conditionExpression":
                    cond = "".join(c.itertext()).strip() or None
            pm.flows[eid] = Flow(eid, src, tgt, el.get("name") or "", cond, pid, parent)
        elif name == "dataObject" and eid:
            do = pm.data_objects.setdefault(eid, DataObject(eid, process=pid))
            do.name = do.name or (el.get("name") or "")
            _read_component(do, el)
        elif name == "dataObjectReference" and eid:
            key = el.get("dataObjectRef") or eid
            do = pm.data_objects.setdefault(key, DataObject(key, process=pid))
            do.refs.append(eid)
            if el.get("name"):
                do.name = el.get("name")
            _read_component(do, el)
        elif name == "dataStoreReference" and eid:
            pm.data_objects[eid] = DataObject(eid, el.get("name") or "", pid, [eid], is_store=True)


def _read_component(do: DataObject, el) -> None:
    ext = _ext(el)
    if ext is None:
        return
    for item in ext:
        if _ns(item) == TT_NS and _local(item) == "component":
            comp = dict(item.attrib)
            comp["fields"] = [f.get("name") for f in item if _local(f) == "field" and f.get("name")]
            do.component = {**(do.component or {}), **comp}


def _read_node(pm: ParsedModel, el, name: str, pid: str, parent: str | None) -> Node:
    node = Node(id=el.get("id"), type=name, name=(el.get("name") or "").strip(), process=pid)
    node.parent = parent
    node.attached_to = el.get("attachedToRef")
    node.default_flow = el.get("default")
    node.triggered_by_event = (el.get("triggeredByEvent") or "").lower() == "true"
    hints = [el.get(f"{{{CAMUNDA_NS}}}{a}") or "" for a in ("assignee", "candidateGroups")]
    defs = []
    for child in el:
        cname = _local(child)
        if cname is None:
            continue
        if cname.endswith("EventDefinition"):
            defs.append(cname[: -len("EventDefinition")])
            if cname == "linkEventDefinition":
                node.link_name = child.get("name") or child.get("id")
            for expr in child:  # timeDuration, timeDate, timeCycle, condition
                node.reads |= identifiers("".join(expr.itertext()))
        elif cname == "script":
            node.script = "".join(child.itertext())
            node.reads |= identifiers(node.script)
        elif cname == "extensionElements":
            _read_node_extensions(pm, node, child, hints)
        elif cname == "documentation" and child.text:
            hints.append(child.text[:200])
        elif cname == "dataInputAssociation":
            node.inputs.extend(r.text.strip() for r in child if _local(r) == "sourceRef" and r.text)
        elif cname == "dataOutputAssociation":
            node.outputs.extend(
                r.text.strip() for r in child if _local(r) == "targetRef" and r.text
            )
    node.event_definitions = tuple(defs)
    node.hints = " ".join(h for h in hints if h)
    return node


def _read_node_extensions(pm: ParsedModel, node: Node, ext, hints: list[str]) -> None:
    for item in ext.iter():
        ns, lname = _ns(item), _local(item)
        if ns == TT_NS and lname == "step":
            step = {k: v.strip() for k, v in item.attrib.items()}
            kind = step.get("kind")
            if kind is not None:
                kind = _KIND_ALIASES.get(kind.lower(), kind.lower())
                if kind not in _STEP_KINDS:
                    pm.warnings.append(
                        f"Bước {node.id}: loại tt:step {step['kind']!r} không hợp lệ; sẽ suy luận từ nhãn."
                    )
                    step.pop("kind")
                else:
                    step["kind"] = kind
            if step.get("actor") and step["actor"] not in _ACTORS:
                pm.warnings.append(
                    f"Bước {node.id}: chủ thể {step['actor']!r} không hợp lệ; sẽ suy luận."
                )
                step.pop("actor")
            if step.get("presence") and step["presence"] not in _PRESENCE:
                pm.warnings.append(
                    f"Bước {node.id}: giá trị presence {step['presence']!r} không hợp lệ."
                )
                step.pop("presence")
            node.step = step
        elif ns == TT_NS and lname == "form":
            node.form = item.get("ref")
        elif ns == CAMUNDA_NS and lname == "formField" and item.get("id"):
            node.form_fields = (*node.form_fields, item.get("id"))
        elif ns == CAMUNDA_NS and lname == "formKey":
            hints.append(item.text or "")
        elif lname == "parameter" and item.get("value"):
            node.reads |= identifiers(item.get("value"))
        elif lname == "serviceTaskOperator":
            node.operator = item.get("id")
            node.result_variable = item.get("resultVariable")
        elif lname == "instructionsForEndUser" and item.text:
            hints.append(item.text[:200])


def _link_data(pm: ParsedModel) -> None:
    """Resolve data association references to data object keys; drop dangling ones."""
    ref_to_key: dict[str, str] = {}
    for key, do in pm.data_objects.items():
        ref_to_key[key] = key
        for r in do.refs:
            ref_to_key[r] = key
    for node in pm.nodes.values():
        for attr in ("inputs", "outputs"):
            refs = getattr(node, attr)
            if not refs:
                continue
            keys = []
            for r in refs:
                key = ref_to_key.get(r)
                if key is None:
                    pm.warnings.append(
                        f"Bước {node.id}: liên kết dữ liệu tới phần tử không tồn tại {r!r}."
                    )
                elif key not in keys:
                    keys.append(key)
            setattr(node, attr, keys)
    for fid, flow in list(pm.flows.items()):
        if flow.source not in pm.nodes or flow.target not in pm.nodes:
            pm.warnings.append(f"Luồng {fid} nối tới phần tử không tồn tại; bỏ qua.")
            del pm.flows[fid]


def identifiers(expression: str | None) -> set[str]:
    """Names an expression refers to (a conservative over-approximation).

    >>> sorted(identifiers("dossier_valid == True and fee > 0"))
    ['True', 'and', 'dossier_valid', 'fee']
    """
    if not expression:
        return set()
    text = re.sub(r"(['\"]).*?\1", " ", expression)
    return set(_IDENT_RE.findall(text))
