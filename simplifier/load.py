"""Tolerant, defensive BPMN 2.0 loader.

Turns the XML of any well-formed BPMN 2.0 file (Camunda Modeler, Signavio, bpmn.io,
Bizagi, ARIS, spiff-arena, hand-written) into a :class:`ParsedModel`: plain records for
flow nodes, sequence flows, data objects (dossier components, "thành phần hồ sơ"),
lanes and message flows. Elements are matched by local name inside the BPMN model
namespace (or no namespace, for sloppy exports), so the prefix a tool chooses
(``bpmn:``, ``bpmn2:``, ``semantic:``, none) does not matter.

The XML is read by the shared hardened reader (:func:`toantrinh.bpmn.xml.read_xml`) and the
``tt:`` annotations by the shared reader (:mod:`toantrinh.bpmn.annotations`). Every failure is a
:class:`ModelLoadError` with a message a procedure-control officer can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from toantrinh.bpmn import annotations as tt
from toantrinh.bpmn.namespaces import BPMN_NS, BPMNDI_NS, CAMUNDA_NS, DC_NS, DI_NS, SPIFF_NS, TT_NS
from toantrinh.bpmn.xml import UnsafeXMLError, local_name, namespace, read_xml, text_of

from .dataflow import expression_names, script_effects

__all__ = [
    "BPMNDI_NS",
    "BPMN_NS",
    "CAMUNDA_NS",
    "DC_NS",
    "DI_NS",
    "SPIFF_NS",
    "TT_NS",
    "DataObject",
    "Flow",
    "ModelLoadError",
    "Node",
    "ParsedModel",
    "load",
    "parse_xml",
    "read_model",
]

# Catalogue exports and the 30,000-node benchmark are larger than a deployed model
# (bpmn.xml.DEFAULT_MAX_BYTES, 5 MB); every other limit is the shared reader's.
MAX_BYTES = 20 * 1024 * 1024
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
    for_compensation: bool = False  # isForCompensation="true": run only by compensation
    has_children: bool = False  # a sub-process with flow nodes inside
    script: str | None = None
    operator: str | None = None  # spiffworkflow:serviceTaskOperator id
    result_variable: str | None = None
    hints: str = ""  # other text that helps inference (assignee, candidate groups)
    reads: set[str] = field(default_factory=set)  # names read by scripts, parameters, timers
    writes: set[str] = field(default_factory=set)  # names set by its script
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
    """A data object: a dossier component candidate (thành phần hồ sơ).

    ``kind`` tells a data object (``object``) from a data store (``store``) and from a
    process's own data inputs and outputs (``io``, ``ioSpecification``): only data
    objects can be dossier components.
    """

    key: str  # the bpmn:dataObject id where known, else the reference id
    name: str = ""
    process: str = ""
    refs: list[str] = field(default_factory=list)  # dataObjectReference ids
    component: dict | None = None  # tt:component attributes + "fields"
    kind: str = "object"  # object | store | io

    @property
    def is_store(self) -> bool:
        return self.kind != "object"


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
    associations: list[tuple[str, str]] = field(default_factory=list)  # (source, target)
    procedure_code: str | None = None
    exporter: str | None = None
    has_di: bool = False
    warnings: list[str] = field(default_factory=list)
    _ids: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        for pid in self.executable or list(self.processes):
            if self.processes.get(pid):
                return self.processes[pid]
        return next(iter(self.processes), "")


def parse_xml(data: bytes | str) -> etree._Element:
    """Parse XML safely (the shared hardened reader) and return the root element.

    >>> parse_xml("<a/>").tag
    'a'
    """
    try:
        return read_xml(data, max_bytes=MAX_BYTES)
    except UnsafeXMLError as exc:
        raise ModelLoadError(str(exc)) from None


def load(data: bytes | str) -> ParsedModel:
    """Load a BPMN 2.0 model from XML bytes or text into a :class:`ParsedModel`."""
    return read_model(parse_xml(data))


def _is_bpmn(el: etree._Element) -> bool:
    return local_name(el) is not None and namespace(el) in (BPMN_NS, "")


def read_model(root: etree._Element) -> ParsedModel:
    """Read a parsed BPMN ``definitions`` element into a :class:`ParsedModel`."""
    if local_name(root) != "definitions" or not _is_bpmn(root):
        raise ModelLoadError(
            f"Phần tử gốc là <{local_name(root)}> (không gian tên '{namespace(root)}'), "
            f"không phải <definitions> của BPMN 2.0 ({BPMN_NS})."
        )
    pm = ParsedModel(exporter=root.get("exporter"))
    try:
        for child in root:
            name = local_name(child)
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


def _claim_id(pm: ParsedModel, eid: str, what: str) -> bool:
    """Record an element id; a second element with the same id is reported and skipped."""
    if eid in pm._ids:
        pm.warnings.append(
            f"Trùng mã phần tử “{eid}” ({what}); giữ phần tử đầu tiên, bỏ qua phần tử sau."
        )
        return False
    pm._ids.add(eid)
    return True


def _read_collaboration(pm: ParsedModel, collab: etree._Element) -> None:
    for child in collab:
        name = local_name(child)
        if name == "participant" and child.get("processRef"):
            pm.participants[child.get("id", "")] = child.get("processRef", "")
            pm.participant_names[child.get("processRef", "")] = child.get("name") or ""
        elif name == "messageFlow":
            pm.message_flows.append(
                (child.get("id", ""), child.get("sourceRef", ""), child.get("targetRef", ""))
            )


def _read_process(pm: ParsedModel, proc: etree._Element) -> None:
    pid = proc.get("id") or f"Process_{len(pm.processes) + 1}"
    if pid in pm.processes:
        pm.warnings.append(f"Trùng mã tiến trình “{pid}”; gộp định nghĩa sau vào.")
    pm.processes[pid] = proc.get("name") or ""
    if (proc.get("isExecutable") or "").lower() == "true":
        pm.executable.append(pid)
    code = tt.read_procedure_code(proc)
    if code:
        pm.procedure_code = code
    _read_container(pm, proc, pid, None, 0)


def _lanes(container: etree._Element) -> dict[str, tuple[str, str | None]]:
    """Map node id -> (lane name, lane role) for the innermost lane holding it."""
    out: dict[str, tuple[str, str | None]] = {}

    def walk(lane_set: etree._Element) -> None:
        for lane in lane_set:
            if local_name(lane) != "lane":
                continue
            role, _label = tt.read_lane(lane)
            label = lane.get("name") or lane.get("id") or ""
            for ref in lane:
                if local_name(ref) == "flowNodeRef" and ref.text:
                    out[ref.text.strip()] = (label, role)
            for ref in lane:
                if local_name(ref) == "childLaneSet":
                    walk(ref)

    for child in container:
        if local_name(child) == "laneSet":
            walk(child)
    return out


def _read_io(pm: ParsedModel, el: etree._Element, pid: str) -> None:
    """A process's (or sub-process's) own data inputs and outputs: referable, never
    dossier components (BPMN ``ioSpecification``)."""
    for item in el:
        if local_name(item) in ("dataInput", "dataOutput") and item.get("id"):
            iid = item.get("id", "")
            if _claim_id(pm, iid, local_name(item) or ""):
                pm.data_objects[iid] = DataObject(
                    iid, item.get("name") or "", pid, [iid], kind="io"
                )


def _read_container(
    pm: ParsedModel, container: etree._Element, pid: str, parent: str | None, depth: int
) -> None:
    if depth > MAX_NESTING:
        raise ModelLoadError(f"Tiến trình con lồng nhau quá {MAX_NESTING} cấp.")
    lanes = _lanes(container)
    for el in container:
        if not _is_bpmn(el):
            continue
        name = local_name(el) or ""
        eid = el.get("id")
        if name in FLOW_NODE_TYPES:
            if not eid:
                pm.warnings.append(f"Bỏ qua <{name}> không có id.")
                continue
            if not _claim_id(pm, eid, name):
                continue
            node = _read_node(pm, el, name, pid, parent)
            lane = lanes.get(eid)
            if lane:
                node.lane, node.lane_role = lane
            pm.nodes[eid] = node
            if name in SUBPROCESS_TYPES:
                before = len(pm.nodes)
                _read_container(pm, el, pid, eid, depth + 1)
                node.has_children = len(pm.nodes) > before
        elif name == "sequenceFlow":
            _read_flow(pm, el, pid, parent)
        elif name == "ioSpecification":
            _read_io(pm, el, pid)
        elif name == "dataObject" and eid:
            do = pm.data_objects.setdefault(eid, DataObject(eid, process=pid))
            do.name = do.name or (el.get("name") or "")
            _read_component(do, el)
        elif name == "dataObjectReference" and eid:
            key = el.get("dataObjectRef") or eid
            do = pm.data_objects.setdefault(key, DataObject(key, process=pid))
            do.refs.append(eid)
            if el.get("name"):
                do.name = el.get("name") or ""
            _read_component(do, el)
        elif name == "dataStoreReference" and eid:
            pm.data_objects[eid] = DataObject(eid, el.get("name") or "", pid, [eid], kind="store")
        elif name == "association":
            src, tgt = el.get("sourceRef"), el.get("targetRef")
            if src and tgt:
                pm.associations.append((src, tgt))


def _read_flow(pm: ParsedModel, el: etree._Element, pid: str, parent: str | None) -> None:
    eid, src, tgt = el.get("id"), el.get("sourceRef"), el.get("targetRef")
    if not (eid and src and tgt):
        pm.warnings.append(f"Luồng “{eid or '?'}” thiếu mã, nguồn hoặc đích; bỏ qua.")
        return
    if not _claim_id(pm, eid, "sequenceFlow"):
        return
    cond = None
    for c in el:
        if local_name(c) == "conditionExpression":
            cond = text_of(c).strip() or None
    pm.flows[eid] = Flow(eid, src, tgt, el.get("name") or "", cond, pid, parent)


def _read_component(do: DataObject, el: etree._Element) -> None:
    comp = tt.read_component(el)
    if comp is not None:
        do.component = {**(do.component or {}), **comp}


def _read_node(
    pm: ParsedModel, el: etree._Element, name: str, pid: str, parent: str | None
) -> Node:
    node = Node(id=el.get("id", ""), type=name, name=(el.get("name") or "").strip(), process=pid)
    node.parent = parent
    node.attached_to = el.get("attachedToRef")
    node.default_flow = el.get("default")
    node.triggered_by_event = (el.get("triggeredByEvent") or "").lower() == "true"
    node.for_compensation = (el.get("isForCompensation") or "").lower() == "true"
    hints = [el.get(f"{{{CAMUNDA_NS}}}{a}") or "" for a in ("assignee", "candidateGroups")]
    defs = []
    for child in el:
        cname = local_name(child)
        if cname is None:
            continue
        if cname.endswith("EventDefinition"):
            defs.append(cname[: -len("EventDefinition")])
            if cname == "linkEventDefinition":
                node.link_name = child.get("name") or child.get("id")
            for expr in child:  # timeDuration, timeDate, timeCycle, condition
                node.reads |= expression_names(text_of(expr))
        elif cname == "script":
            node.script = text_of(child)
            reads, writes = script_effects(node.script)
            node.reads |= reads
            node.writes |= writes
        elif cname == "extensionElements":
            _read_node_extensions(pm, node, el, child, hints)
        elif cname == "documentation" and child.text:
            hints.append(child.text[:200])
        elif cname == "dataInputAssociation":
            node.inputs.extend(
                r.text.strip() for r in child if local_name(r) == "sourceRef" and r.text
            )
        elif cname == "dataOutputAssociation":
            node.outputs.extend(
                r.text.strip() for r in child if local_name(r) == "targetRef" and r.text
            )
        elif cname == "ioSpecification" and name in SUBPROCESS_TYPES:
            _read_io(pm, child, pid)
    node.event_definitions = tuple(defs)
    node.hints = " ".join(h for h in hints if h)
    return node


_PROBLEM_TAIL = {"kind": "; sẽ suy luận từ nhãn.", "actor": "; sẽ suy luận.", "presence": "."}


def _read_node_extensions(
    pm: ParsedModel, node: Node, el: etree._Element, ext: etree._Element, hints: list[str]
) -> None:
    notes = tt.read_task(el)
    node.step = notes.step
    node.form = notes.form
    for problem in notes.problems:
        pm.warnings.append(
            f"Bước “{node.name or node.id}”: {problem.message()}{_PROBLEM_TAIL[problem.attribute]}"
        )
    for item in ext.iter():
        ns, lname = namespace(item), local_name(item)
        if ns == CAMUNDA_NS and lname == "formField" and item.get("id"):
            node.form_fields = (*node.form_fields, item.get("id", ""))
        elif ns == CAMUNDA_NS and lname == "formKey":
            hints.append(item.text or "")
        elif lname == "parameter" and item.get("value"):
            node.reads |= expression_names(item.get("value"))
        elif lname in ("preScript", "postScript") and item.text:
            reads, writes = script_effects(item.text)
            node.reads |= reads
            node.writes |= writes
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
            keys: list[str] = []
            for r in refs:
                found = ref_to_key.get(r)
                if found is None:
                    pm.warnings.append(
                        f"Bước “{node.name or node.id}”: liên kết dữ liệu tới phần tử không "
                        f"tồn tại “{r}”."
                    )
                elif found not in keys:
                    keys.append(found)
            setattr(node, attr, keys)
    for fid, flow in list(pm.flows.items()):
        if flow.source not in pm.nodes or flow.target not in pm.nodes:
            pm.warnings.append(f"Luồng “{fid}” nối tới phần tử không tồn tại; bỏ qua.")
            del pm.flows[fid]


def identifiers(expression: str | None) -> set[str]:
    """Names an expression refers to (kept for callers of the old name).

    >>> sorted(identifiers("dossier_valid == True and fee > 0"))
    ['dossier_valid', 'fee']
    """
    return set(expression_names(expression))
