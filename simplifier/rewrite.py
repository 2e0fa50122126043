"""Apply the actionable findings: to a model state (for scoring) and to the BPMN XML.

:func:`make_plan` turns findings into a :class:`Plan`; :func:`apply_plan` applies it to
a :class:`~simplifier.score.ModelState` so the simplified model can be scored;
:func:`rewrite_xml` applies the same plan to a copy of the original XML and lays out
fresh diagram interchange (DI), so the result opens in bpmn-js and deploys in the
engine. Removed steps are rewired (incoming flow to the outgoing target); gateways,
events and steps that decide a gateway condition are never removed; ``tt:`` and
``spiffworkflow:`` extension elements of kept elements are kept as they are.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

import networkx as nx
from lxml import etree

from .infer import ComponentInfo, StepInfo
from .load import (
    BPMNDI_NS,
    DC_NS,
    DI_NS,
    EVENT_TYPES,
    FLOW_NODE_TYPES,
    GATEWAY_TYPES,
    SPIFF_NS,
    SUBPROCESS_TYPES,
    TT_NS,
    Node,
    ParsedModel,
)
from .rules import DEFAULT_REGISTRY_KEY, REGISTRY_KEYS, Context, Finding, Registry
from .score import ModelState

_REMOVING_RULES = ("verification_only_steps", "handoff_steps", "consecutive_approvals")
# The engine's connector for a registry, where its id differs (engine/warehouse.py).
_CONNECTOR_IDS = {"edata_warehouse": "edata"}


@dataclass
class Plan:
    """What the simplified model changes."""

    remove_tasks: list[str] = field(default_factory=list)
    drop_components: dict[str, str] = field(default_factory=dict)  # key -> registry id
    electronic_components: list[str] = field(default_factory=list)
    online_steps: list[str] = field(default_factory=list)  # presence -> none
    parallel: list[tuple[str, str]] = field(default_factory=list)
    # registry id (or "edata_warehouse:<document type>") -> process id
    fetch: dict[str, str] = field(default_factory=dict)
    prefill: dict[str, list[dict]] = field(default_factory=dict)  # form id -> fields
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def make_plan(ctx: Context, findings: list[Finding]) -> Plan:
    """The changes the actionable findings call for."""
    plan = Plan()
    regs = {r.id: r for r in ctx.registries}
    for f in findings:
        if f.status != "actionable":
            continue
        if f.rule in _REMOVING_RULES and f.targets[0] not in plan.remove_tasks:
            plan.remove_tasks.append(f.targets[0])
        elif f.rule == "components_available_in_registries":
            reg = f.evidence["registries"][0]
            plan.drop_components[f.targets[0]] = reg
            readers = [
                t
                for t, n in ctx.pm.nodes.items()
                if f.targets[0] in n.inputs or f.targets[0] in n.outputs
            ]
            connector = _CONNECTOR_IDS.get(reg, reg)
            has_task = any(
                (n.operator or "").split(".")[0] == connector
                for n in ctx.pm.nodes.values()
                if n.operator
            )
            if reg == "edata_warehouse":
                reg = f"{reg}:{f.evidence['document_type']}"
            if not has_task and reg.split(":")[0] in regs and reg not in plan.fetch:
                proc = (
                    ctx.pm.nodes[readers[0]].process
                    if readers
                    else ctx.pm.data_objects[f.targets[0]].process
                )
                plan.fetch[reg] = proc
        elif f.rule == "paper_components":
            plan.electronic_components.append(f.targets[0])
        elif f.rule == "in_person_steps":
            plan.online_steps.append(f.targets[0])
        elif f.rule == "parallelisable_steps":
            plan.parallel.append((f.targets[0], f.targets[1]))
        elif f.rule == "prefillable_form_fields":
            plan.prefill[f.evidence["form"]] = f.evidence["fields"]
    return plan


def _fetch_id(key: str) -> str:
    return "Task_Fetch_" + key.replace(":", "_")


def fetch_step() -> StepInfo:
    # a registry lookup takes seconds: it adds nothing to the critical path
    return StepInfo("other", "system", "none", 0, None, 1.0, "rewrite", automated=True)


def _process_start(g: nx.DiGraph, pm: ParsedModel, process: str) -> str | None:
    starts = [
        n
        for n, d in g.nodes(data=True)
        if d["node"].type == "startEvent"
        and d["node"].process == process
        and d["node"].parent is None
        and not g._pred[n]
    ]
    if len(starts) != 1 or len(g._succ[starts[0]]) != 1:
        return None
    return starts[0]


def apply_plan(state: ModelState, ctx: Context, plan: Plan) -> ModelState:
    """The model state after the plan (graph rewired, components and fields reduced)."""
    g = state.g.copy()
    steps = dict(state.steps)
    names = dict(state.names)
    for t in plan.remove_tasks:
        if t not in g:
            continue
        preds, succs = list(g.predecessors(t)), list(g.successors(t))
        for p in preds:
            for s in succs:
                if p != s and not g.has_edge(p, s):
                    g.add_edge(p, s, flows=[])
        g.remove_node(t)
        steps.pop(t, None)
    for reg, process in plan.fetch.items():
        start = _process_start(g, ctx.pm, process)
        if start is None:
            continue
        (nxt,) = g.successors(start)
        fid = _fetch_id(reg)
        reg_name = next((r.name_vi for r in ctx.registries if r.id == reg.split(":")[0]), reg)
        g.add_node(fid, node=Node(fid, "serviceTask", f"Khai thác dữ liệu từ {reg_name}", process))
        g.remove_edge(start, nxt)
        g.add_edge(start, fid, flows=[])
        g.add_edge(fid, nxt, flows=[])
        steps[fid] = fetch_step()
        names[fid] = g.nodes[fid]["node"].name
    for u, v in plan.parallel:
        if u not in g or v not in g or not g.has_edge(u, v):
            continue
        (p,) = g.predecessors(u)
        (n,) = g.successors(v)
        split, join = f"Gateway_Split_{u}", f"Gateway_Join_{v}"
        g.add_node(split, node=Node(split, "parallelGateway", "", ctx.pm.nodes[u].process))
        g.add_node(join, node=Node(join, "parallelGateway", "", ctx.pm.nodes[u].process))
        g.remove_edges_from([(p, u), (u, v), (v, n)])
        g.add_edges_from(
            [(p, split), (split, u), (split, v), (u, join), (v, join), (join, n)], flows=[]
        )
    for t in plan.online_steps:
        if t in steps:
            steps[t] = replace(steps[t], presence="none")
    components: dict[str, ComponentInfo] = {}
    for k, c in state.components.items():
        if k in plan.drop_components:
            continue
        components[k] = replace(c, copy="electronic") if k in plan.electronic_components else c
    typed = {}
    for form, fields in state.typed.items():
        gone = {f["property"] for f in plan.prefill.get(form, ())}
        typed[form] = [x for x in fields if x[0] not in gone]
    task_forms = {t: f for t, f in state.task_forms.items() if t in steps}
    return ModelState(g, steps, names, components, task_forms, typed)


# ---------------------------------------------------------------------------
# XML rewrite


def _q(ns: str, local: str) -> str:
    return f"{{{ns}}}{local}" if ns else local


def _local(el) -> str | None:
    return el.tag.rpartition("}")[2] if isinstance(el.tag, str) else None


def _ns(el) -> str:
    return el.tag[1 : el.tag.index("}")] if isinstance(el.tag, str) and el.tag[0] == "{" else ""


def _with_namespaces(root):
    """A copy of ``root`` whose nsmap declares bpmndi, dc, di, tt and spiffworkflow."""
    wanted = {"bpmndi": BPMNDI_NS, "dc": DC_NS, "di": DI_NS, "tt": TT_NS, "spiffworkflow": SPIFF_NS}
    nsmap = dict(root.nsmap)
    have = set(nsmap.values())
    for prefix, uri in wanted.items():
        if uri in have:
            continue
        p, i = prefix, 2
        while p in nsmap:
            p, i = f"{prefix}{i}", i + 1
        nsmap[p] = uri
    new = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=nsmap)
    new.text = root.text
    for child in copy.deepcopy(root):
        new.append(child)
    return new


class _Doc:
    """Index of a BPMN document being rewritten."""

    def __init__(self, root):
        self.root = root
        self.bns = _ns(root)
        self.byid = {}
        for el in root.iter():
            if isinstance(el.tag, str) and el.get("id"):
                self.byid.setdefault(el.get("id"), el)
        self._n = 0
        self._flow_index: dict[tuple[str, str], list] | None = None
        self._anchor: dict = {}
        self._lane_refs: dict[str, list] | None = None

    def q(self, local: str) -> str:
        return _q(self.bns, local)

    def new_id(self, base: str) -> str:
        i = ""
        while f"{base}{i}" in self.byid:
            self._n += 1
            i = f"_{self._n}"
        return f"{base}{i}"

    def _flows(self) -> dict[tuple[str, str], list]:
        if self._flow_index is None:
            index: dict[tuple[str, str], list] = {}
            for el in self.root.iter(self.q("sequenceFlow")):
                for attr in ("sourceRef", "targetRef"):
                    index.setdefault((attr, el.get(attr)), []).append(el)
            self._flow_index = index
        return self._flow_index

    def flows(self, container, attr: str, ref: str) -> list:
        """Sequence flows of ``container`` whose ``attr`` is ``ref`` (indexed, O(1))."""
        return [
            el
            for el in self._flows().get((attr, ref), ())
            if el.get(attr) == ref and el.getparent() is container
        ]

    def retarget(self, flow, target: str) -> None:
        flow.set("targetRef", target)
        self._flows().setdefault(("targetRef", target), []).append(flow)

    def add_flow(self, container, fid: str, src: str, tgt: str):
        el = etree.Element(self.q("sequenceFlow"), id=fid, sourceRef=src, targetRef=tgt)
        self.insert(container, el)
        self.byid[fid] = el
        index = self._flows()
        index.setdefault(("sourceRef", src), []).append(el)
        index.setdefault(("targetRef", tgt), []).append(el)
        return el

    def add_node(self, container, el):
        self.insert(container, el)
        self.byid[el.get("id")] = el

    def insert(self, container, el) -> None:
        """Insert after the container's flow elements, remembering where (O(1) after the first)."""
        anchor = self._anchor.get(container)
        if anchor is not None and anchor.getparent() is container:
            anchor.addnext(el)
        else:
            _insert_flow_element(container, el)
        self._anchor[container] = el

    def lane_refs(self, nid: str) -> list:
        """The ``flowNodeRef`` elements naming ``nid``."""
        if self._lane_refs is None:
            refs: dict[str, list] = {}
            for ref in self.root.iter(self.q("flowNodeRef")):
                refs.setdefault((ref.text or "").strip(), []).append(ref)
            self._lane_refs = refs
        return [r for r in self._lane_refs.get(nid, ()) if r.getparent() is not None]

    def add_lane_ref(self, lane, nid: str) -> None:
        ref = etree.SubElement(lane, self.q("flowNodeRef"))
        ref.text = nid
        if self._lane_refs is not None:
            self._lane_refs.setdefault(nid, []).append(ref)


def _insert_flow_element(container, el) -> None:
    """Insert after the last flow element (artifacts must follow flow elements in BPMN XSD)."""
    last = None
    for i, child in enumerate(container):
        name = _local(child)
        if name in FLOW_NODE_TYPES or name in (
            "sequenceFlow",
            "dataObject",
            "dataObjectReference",
            "dataStoreReference",
            "laneSet",
        ):
            last = i
    if last is None:
        idx = 0
        for i, child in enumerate(container):
            if _local(child) in (
                "documentation",
                "extensionElements",
                "auditing",
                "monitoring",
                "property",
                "ioSpecification",
                "ioBinding",
                "laneSet",
            ):
                idx = i + 1
        container.insert(idx, el)
    else:
        container.insert(last + 1, el)


def _set_ref(el, local: str, old: str, new: str) -> None:
    for child in el:
        if _local(child) == local and (child.text or "").strip() == old:
            child.text = new


def _ext(doc: _Doc, el):
    for child in el:
        if _local(child) == "extensionElements":
            return child
    ext = etree.Element(doc.q("extensionElements"))
    pos = 0
    for i, c in enumerate(el):
        if _local(c) == "documentation":
            pos = i + 1
    el.insert(pos, ext)
    return ext


def _remove_task(doc: _Doc, tid: str) -> bool:
    el = doc.byid.get(tid)
    if el is None:
        return False
    container = el.getparent()
    ins = doc.flows(container, "targetRef", tid)
    outs = doc.flows(container, "sourceRef", tid)
    if len(ins) != 1 or len(outs) != 1:
        return False
    fin, fout = ins[0], outs[0]
    tgt = fout.get("targetRef")
    if tgt == fin.get("sourceRef"):
        return False
    doc.retarget(fin, tgt)
    if tgt in doc.byid:
        _set_ref(doc.byid[tgt], "incoming", fout.get("id"), fin.get("id"))
    container.remove(fout)
    container.remove(el)
    _forget_in_lanes(doc, tid)
    for assoc in list(doc.root.iter(doc.q("association"))):  # text annotations of the step
        if tid in (assoc.get("sourceRef"), assoc.get("targetRef")):
            assoc.getparent().remove(assoc)
    return True


def _forget_in_lanes(doc: _Doc, nid: str) -> None:
    for ref in doc.lane_refs(nid):
        ref.getparent().remove(ref)


def _drop_component(doc: _Doc, pm: ParsedModel, key: str) -> None:
    do = pm.data_objects.get(key)
    ids = {key, *(do.refs if do else ())}
    for el in list(doc.root.iter()):
        name = _local(el)
        if name in ("dataInputAssociation", "dataOutputAssociation"):
            refs = {(c.text or "").strip() for c in el if _local(c) in ("sourceRef", "targetRef")}
            if refs & ids:
                el.getparent().remove(el)
        elif name == "association" and {el.get("sourceRef"), el.get("targetRef")} & ids:
            el.getparent().remove(el)
    for i in ids:
        el = doc.byid.get(i)
        if el is not None and el.getparent() is not None:
            el.getparent().remove(el)


def _component_el(doc: _Doc, pm: ParsedModel, key: str):
    """The element that carries (or should carry) the tt:component of a data object."""
    do = pm.data_objects[key]
    for i in (*do.refs, key):
        el = doc.byid.get(i)
        if el is None:
            continue
        ext = next((c for c in el if _local(c) == "extensionElements"), None)
        if ext is not None:
            comp = next((c for c in ext if _ns(c) == TT_NS and _local(c) == "component"), None)
            if comp is not None:
                return el, comp
    el = doc.byid.get(do.refs[0] if do.refs else key)
    return el, None


def _tt(local: str) -> str:
    return f"{{{TT_NS}}}{local}"


def _insert_fetch(
    doc: _Doc, pm: ParsedModel, reg: Registry, process: str, doc_type: str = ""
) -> str | None:
    proc = doc.byid.get(process)
    if proc is None:
        return None
    starts = [
        el
        for el in proc
        if _local(el) == "startEvent" and not doc.flows(proc, "targetRef", el.get("id"))
    ]
    if len(starts) != 1:
        return None
    outs = doc.flows(proc, "sourceRef", starts[0].get("id"))
    if len(outs) != 1 or outs[0].find(doc.q("conditionExpression")) is not None:
        return None
    flow = outs[0]
    nxt = flow.get("targetRef")
    tid = doc.new_id(_fetch_id(f"{reg.id}:{doc_type}" if doc_type else reg.id))
    task = etree.Element(doc.q("serviceTask"), id=tid, name=f"Khai thác dữ liệu từ {reg.name_vi}")
    ext = etree.SubElement(task, doc.q("extensionElements"))
    etree.SubElement(
        ext, _tt("step"), kind="other", actor="system", duration="PT0S", presence="none"
    )
    if reg.id == "edata_warehouse":
        # engine/warehouse.py: edata.find(applicant_id, document_type)
        op_id, result = "edata.find", f"edata_{doc_type}"
        params_list = [("applicant_id", "applicant_id"), ("document_type", f'"{doc_type}"')]
    else:
        op_id, result = f"{reg.id}.lookup", f"{reg.id}_data"
        params_list = [REGISTRY_KEYS.get(reg.id, DEFAULT_REGISTRY_KEY)]
    op = etree.SubElement(
        ext, f"{{{SPIFF_NS}}}serviceTaskOperator", id=op_id, resultVariable=result
    )
    params = etree.SubElement(op, f"{{{SPIFF_NS}}}parameters")
    for param, value in params_list:
        etree.SubElement(params, f"{{{SPIFF_NS}}}parameter", id=param, type="str", value=value)
    fid = doc.new_id(f"Flow_{tid}")
    inc = etree.SubElement(task, doc.q("incoming"))
    inc.text = flow.get("id")
    out = etree.SubElement(task, doc.q("outgoing"))
    out.text = fid
    doc.retarget(flow, tid)
    doc.add_node(proc, task)
    doc.add_flow(proc, fid, tid, nxt)
    if nxt in doc.byid:
        _set_ref(doc.byid[nxt], "incoming", flow.get("id"), fid)
    lane_of = _lane_ref_of(doc, nxt)
    if lane_of is not None:
        doc.add_lane_ref(lane_of, tid)
    return tid


def _lane_ref_of(doc: _Doc, nid: str):
    refs = doc.lane_refs(nid)
    return refs[0].getparent() if refs else None


def _parallelise(doc: _Doc, u: str, v: str) -> bool:
    eu, ev = doc.byid.get(u), doc.byid.get(v)
    if eu is None or ev is None or eu.getparent() is not ev.getparent():
        return False
    c = eu.getparent()
    fin, fuv, fout = (
        doc.flows(c, "targetRef", u),
        doc.flows(c, "sourceRef", u),
        doc.flows(c, "sourceRef", v),
    )
    if len(fin) != 1 or len(fuv) != 1 or len(fout) != 1 or fuv[0].get("targetRef") != v:
        return False
    fin, fuv, fout = fin[0], fuv[0], fout[0]
    n = fout.get("targetRef")
    split = etree.Element(doc.q("parallelGateway"), id=doc.new_id(f"Gateway_Split_{u}"))
    doc.add_node(c, split)
    join = etree.Element(doc.q("parallelGateway"), id=doc.new_id(f"Gateway_Join_{v}"))
    doc.add_node(c, join)
    s1 = doc.add_flow(c, doc.new_id(f"Flow_{split.get('id')}_1"), split.get("id"), u)
    s2 = doc.add_flow(c, doc.new_id(f"Flow_{split.get('id')}_2"), split.get("id"), v)
    j = doc.add_flow(c, doc.new_id(f"Flow_{join.get('id')}"), join.get("id"), n)
    doc.retarget(fin, split.get("id"))
    doc.retarget(fuv, join.get("id"))
    doc.retarget(fout, join.get("id"))
    _set_ref(eu, "incoming", fin.get("id"), s1.get("id"))
    _set_ref(ev, "incoming", fuv.get("id"), s2.get("id"))
    if n in doc.byid:
        _set_ref(doc.byid[n], "incoming", fout.get("id"), j.get("id"))
    for el, ins, outs in (
        (split, [fin], [s1, s2]),
        (join, [fuv, fout], [j]),
    ):
        for f in ins:
            etree.SubElement(el, doc.q("incoming")).text = f.get("id")
        for f in outs:
            etree.SubElement(el, doc.q("outgoing")).text = f.get("id")
    lane = _lane_ref_of(doc, u)
    if lane is not None:
        for gid in (split.get("id"), join.get("id")):
            doc.add_lane_ref(lane, gid)
    return True


def rewrite_xml(
    root,
    pm: ParsedModel,
    plan: Plan,
    regs: list[Registry],
    steps: dict[str, StepInfo],
    components: dict[str, ComponentInfo],
) -> str:
    """The simplified BPMN 2.0 XML, with fresh DI for every element."""
    doc = _Doc(_with_namespaces(root))
    for t in plan.remove_tasks:
        if not _remove_task(doc, t):
            plan.notes.append(f"Không thể tự động bỏ bước {t}; cần sửa tay.")
    for key in plan.drop_components:
        _drop_component(doc, pm, key)
    for key in plan.electronic_components:
        el, comp = _component_el(doc, pm, key)
        if el is None:
            continue
        if comp is None:
            c = components[key]
            comp = etree.SubElement(
                _ext(doc, el),
                _tt("component"),
                code=c.code,
                required="true" if c.required else "false",
            )
            if c.document_type:
                comp.set("documentType", c.document_type)
        comp.set("copy", "electronic")
    for t in plan.online_steps:
        el = doc.byid.get(t)
        if el is None or el.getparent() is None:
            continue
        ext = _ext(doc, el)
        step = next((c for c in ext if _ns(c) == TT_NS and _local(c) == "step"), None)
        if step is None:
            info = steps[t]
            step = etree.SubElement(ext, _tt("step"), kind=info.kind, actor=info.actor)
        step.set("presence", "none")
    reg_by_id = {r.id: r for r in regs}
    for key, process in plan.fetch.items():
        reg, _, doc_type = key.partition(":")
        if _insert_fetch(doc, pm, reg_by_id[reg], process, doc_type) is None:
            plan.notes.append(
                f"Không chèn được bước khai thác dữ liệu từ {reg}: quy trình không có đúng một sự kiện bắt đầu."
            )
    for u, v in plan.parallel:
        if not _parallelise(doc, u, v):
            plan.notes.append(f"Không thể tự động chạy song song {u} và {v}.")
    _repair_data_associations(doc)
    layout_di(doc.root)
    etree.indent(doc.root, space="  ")
    return etree.tostring(
        doc.root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    ).decode("utf-8")


def _repair_data_associations(doc: _Doc) -> None:
    """Give data input associations the target the BPMN XSD requires.

    Several modellers write ``dataInputAssociation`` with only a ``sourceRef``; the XSD
    requires a ``targetRef``. As bpmn-js does, point it at a placeholder property of the
    task, so the rewritten model validates.
    """
    for assoc in list(doc.root.iter(doc.q("dataInputAssociation"))):
        if any(_local(c) == "targetRef" for c in assoc):
            continue
        task = assoc.getparent()
        pid = f"Property_{task.get('id')}"
        if pid not in doc.byid:
            prop = etree.Element(doc.q("property"), id=pid, name="__targetRef_placeholder")
            first = next(
                i
                for i, c in enumerate(task)
                if _local(c) in ("dataInputAssociation", "dataOutputAssociation")
            )
            task.insert(first, prop)
            doc.byid[pid] = prop
        ref = etree.Element(doc.q("targetRef"))
        ref.text = pid
        last_source = max((i for i, c in enumerate(assoc) if _local(c) == "sourceRef"), default=-1)
        assoc.insert(last_source + 1, ref)


# ---------------------------------------------------------------------------
# Diagram interchange: a left-to-right layered layout

_SIZE = {
    "task": (100, 80),
    "gateway": (50, 50),
    "event": (36, 36),
    "data": (36, 50),
    "store": (50, 50),
    "text": (100, 40),
}
_COL = 160
_ROW = 110
_DATA_ROW = 90


def _size(local: str) -> tuple[int, int]:
    if local in GATEWAY_TYPES:
        return _SIZE["gateway"]
    if local in EVENT_TYPES:
        return _SIZE["event"]
    if local == "dataObjectReference":
        return _SIZE["data"]
    if local == "dataStoreReference":
        return _SIZE["store"]
    if local in ("textAnnotation", "group"):
        return _SIZE["text"]
    return _SIZE["task"]


def _layers(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    g.add_edges_from((u, v) for u, v in edges if u in g and v in g)
    from .graph import back_edges

    g.remove_edges_from(back_edges(g))
    layer: dict[str, int] = {}
    for n in nx.topological_sort(g):
        layer[n] = max((layer[p] + 1 for p in g.predecessors(n)), default=0)
    return layer


def _container_layout(container, origin: tuple[float, float], lanes: list[tuple[str, list[str]]]):
    """Positions (x, y, w, h) of the flow nodes of one container, and the bands used."""
    nodes = [
        el.get("id")
        for el in container
        if _local(el) in FLOW_NODE_TYPES and _local(el) != "boundaryEvent" and el.get("id")
    ]
    kinds = {el.get("id"): _local(el) for el in container if el.get("id")}
    edges = [
        (el.get("sourceRef"), el.get("targetRef"))
        for el in container
        if _local(el) == "sequenceFlow"
    ]
    # boundary events sit on their host: what follows them is laid out after the host
    boundary = {
        el.get("id"): el.get("attachedToRef")
        for el in container
        if _local(el) == "boundaryEvent" and el.get("id")
    }
    layer = _layers([*nodes, *boundary], edges + [(h, b) for b, h in boundary.items()])
    lane_of: dict[str, int] = {}
    for i, (_lid, refs) in enumerate(lanes):
        for r in refs:
            lane_of.setdefault(r, i)
    nbands = max(1, len(lanes))
    slots: dict[tuple[int, int], int] = {}
    slot_of: dict[str, int] = {}
    for n in nodes:
        key = (lane_of.get(n, 0) if lanes else 0, layer.get(n, 0))
        slot_of[n] = slots.get(key, 0)
        slots[key] = slot_of[n] + 1
    band_rows = [max([v for (b, _), v in slots.items() if b == i] or [1]) for i in range(nbands)]
    x0, y0 = origin
    band_top = []
    y = y0
    for rows in band_rows:
        band_top.append(y)
        y += rows * _ROW + 20
    pos: dict[str, tuple[float, float, float, float]] = {}
    for n in nodes:
        w, h = _size(kinds[n])
        b = lane_of.get(n, 0) if lanes else 0
        cx = x0 + 40 + layer.get(n, 0) * _COL + 50
        cy = band_top[b] + 20 + slot_of[n] * _ROW + 40
        pos[n] = (cx - w / 2, cy - h / 2, w, h)
    width = (max(layer.values(), default=0) + 1) * _COL + 80
    bands = [(band_top[i], band_rows[i] * _ROW + 20) for i in range(nbands)]
    return pos, width, bands, y


def _lanes_of(container) -> list[tuple[str, list[str]]]:
    out = []

    def walk(ls):
        for lane in ls:
            if _local(lane) != "lane":
                continue
            child = next((c for c in lane if _local(c) == "childLaneSet"), None)
            refs = [(r.text or "").strip() for r in lane if _local(r) == "flowNodeRef"]
            if child is not None and any(_local(c) == "lane" for c in child):
                walk(child)
            else:
                out.append((lane.get("id"), refs))

    for ls in container:
        if _local(ls) == "laneSet":
            walk(ls)
    return out


def _all_lanes(container) -> list:
    return [el for el in container.iter() if _local(el) == "lane" and el.get("id")]


# what the layout draws, hence what its diagram interchange must reference by id
_DRAWN = FLOW_NODE_TYPES | {
    "collaboration", "participant", "process", "lane", "sequenceFlow", "messageFlow",
    "association", "dataObjectReference", "dataStoreReference", "textAnnotation", "group",
}


def _ensure_ids(root) -> None:
    """Give every element the layout draws an id (BPMN makes ``id`` optional; a diagram
    can only name an element by it): Activiti's tests omit flow ids, some exports the
    collaboration's (issue 27.11)."""
    taken = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    for n, el in enumerate(root.iter()):
        if isinstance(el.tag, str) and not el.get("id") and _local(el) in _DRAWN:
            new_id = f"{_local(el)}_tt{n}"
            while new_id in taken:
                new_id += "_"
            el.set("id", new_id)
            taken.add(new_id)


def layout_di(root) -> None:
    """Replace the diagram interchange of ``root`` with a generated layered layout.

    One diagram for the collaboration (or the first process), one per other process and
    one per sub-process (drawn collapsed with its own plane, as bpmn-js does).
    """
    bns = _ns(root)
    for d in [c for c in root if _local(c) == "BPMNDiagram"]:
        root.remove(d)
    _ensure_ids(root)
    processes = {el.get("id"): el for el in root if _local(el) == "process" and _ns(el) == bns}
    collab = next((el for el in root if _local(el) == "collaboration" and _ns(el) == bns), None)
    if collab is None and any(_lanes_of(p) for p in processes.values()):
        # bpmn-js draws lanes only inside a pool: wrap the processes in one, as it does itself
        collab = _add_collaboration(root, bns, processes)
    diagrams = []
    counter = [0]

    def diagram(bpmn_element: str):
        counter[0] += 1
        d = etree.SubElement(root, f"{{{BPMNDI_NS}}}BPMNDiagram", id=f"BPMNDiagram_{counter[0]}")
        plane = etree.SubElement(
            d, f"{{{BPMNDI_NS}}}BPMNPlane", id=f"BPMNPlane_{counter[0]}", bpmnElement=bpmn_element
        )
        diagrams.append(d)
        return plane

    subprocesses: list = []
    if collab is not None:
        plane = diagram(collab.get("id"))
        y = 60.0
        centers: dict[str, tuple[float, float, float, float]] = {}
        for part in collab:
            if _local(part) != "participant":
                continue
            proc = processes.get(part.get("processRef"))
            top = y
            if proc is not None:
                pos, width, bands, bottom = _draw_container(
                    plane, proc, (110, y + 10), subprocesses
                )
                centers.update(pos)
                height = bottom - y + _DATA_ROW
                lanes = _lanes_of(proc)
                for (lid, _refs), (btop, bh) in zip(lanes, bands, strict=False):
                    _shape(plane, lid, 80, btop, width + 60, bh, horizontal=True)
                _draw_other_lanes(plane, proc, lanes, 80, bands, width)
            else:
                width, height = 600, 100
            _shape(plane, part.get("id"), 50, top, width + 90, height, horizontal=True)
            centers[part.get("id")] = (50, top, width + 90, height)
            y = top + height + 40
        for mf in collab:
            if _local(mf) == "messageFlow":
                s, t = centers.get(mf.get("sourceRef")), centers.get(mf.get("targetRef"))
                if s and t:
                    sx, sy = s[0] + s[2] / 2, s[1] + s[3]
                    tx, ty = t[0] + t[2] / 2, t[1]
                    if sy > t[1]:
                        sy, ty = s[1], t[1] + t[3]
                    _edge(plane, mf.get("id"), [(sx, sy), (tx, ty)])
        drawn = {part.get("processRef") for part in collab if _local(part) == "participant"}
    else:
        drawn = set()
    for pid, proc in processes.items():
        if pid in drawn:
            continue
        plane = diagram(pid)
        lanes = _lanes_of(proc)
        pos, width, bands, _bottom = _draw_container(plane, proc, (160, 80), subprocesses)
        for (lid, _refs), (btop, bh) in zip(lanes, bands, strict=False):
            _shape(plane, lid, 130, btop, width + 60, bh, horizontal=True)
        _draw_other_lanes(plane, proc, lanes, 130, bands, width)
    while subprocesses:
        sp = subprocesses.pop(0)
        plane = diagram(sp.get("id"))
        _draw_container(plane, sp, (160, 80), subprocesses)


def _add_collaboration(root, bns: str, processes: dict):
    taken = {el.get("id") for el in root.iter() if isinstance(el.tag, str)}

    def fresh(base: str) -> str:
        i, name = 1, base
        while name in taken:
            i, name = i + 1, f"{base}_{i}"
        taken.add(name)
        return name

    collab = etree.Element(_q(bns, "collaboration"), id=fresh("Collaboration_1"))
    for pid, proc in processes.items():
        part = etree.SubElement(
            collab, _q(bns, "participant"), id=fresh(f"Participant_{pid}"), processRef=pid
        )
        if proc.get("name"):
            part.set("name", proc.get("name"))
    first = next(i for i, el in enumerate(root) if _local(el) == "process")
    root.insert(first, collab)
    return collab


def _draw_other_lanes(plane, proc, lanes, x, bands, width) -> None:
    """Parent lanes of nested lane sets get a shape spanning their children."""
    leaf = {lid for lid, _ in lanes}
    for lane in _all_lanes(proc):
        if lane.get("id") in leaf:
            continue
        top = bands[0][0] if bands else 80
        bottom = bands[-1][0] + bands[-1][1] if bands else 200
        _shape(plane, lane.get("id"), x - 0, top, width + 60, bottom - top, horizontal=True)


def _draw_container(plane, container, origin, subprocesses):
    lanes = _lanes_of(container)
    pos, width, bands, bottom = _container_layout(container, origin, lanes)
    for el in container:
        name = _local(el)
        nid = el.get("id")
        if nid in pos:
            x, y, w, h = pos[nid]
            extra = {}
            if name in SUBPROCESS_TYPES:
                extra["isExpanded"] = "false"
                subprocesses.append(el)
            if name == "exclusiveGateway":
                extra["isMarkerVisible"] = "true"
            _shape(plane, nid, x, y, w, h, **extra)
    # boundary events sit on the bottom edge of their host
    per_host: dict[str, int] = {}
    for el in container:
        if _local(el) == "boundaryEvent" and el.get("attachedToRef") in pos:
            hx, hy, hw, hh = pos[el.get("attachedToRef")]
            i = per_host.get(el.get("attachedToRef"), 0)
            per_host[el.get("attachedToRef")] = i + 1
            bx, by = hx + hw - 30 - i * 40, hy + hh - 18
            pos[el.get("id")] = (bx, by, 36, 36)
            _shape(plane, el.get("id"), bx, by, 36, 36)
    # data objects, stores and artifacts in a row under the container
    row_y = bottom + 10
    used_x: dict[int, int] = {}
    readers: dict[str, str] = {}
    for el in container.iter():
        if _local(el) in ("dataInputAssociation", "dataOutputAssociation"):
            task = el.getparent().get("id")
            for c in el:
                if _local(c) in ("sourceRef", "targetRef") and c.text:
                    readers.setdefault(c.text.strip(), task)
    for el in container:
        name = _local(el)
        if name in (
            "dataObjectReference",
            "dataStoreReference",
            "textAnnotation",
            "group",
        ) and el.get("id"):
            w, h = _size(name)
            anchor = pos.get(readers.get(el.get("id"), ""))
            x = anchor[0] + 30 if anchor else origin[0] + 40
            slot = int(x // 60)
            while used_x.get(slot):
                slot += 1
            used_x[slot] = 1
            x = slot * 60
            pos[el.get("id")] = (x, row_y, w, h)
            _shape(plane, el.get("id"), x, row_y, w, h)
    max_y = max((p[1] + p[3] for p in pos.values()), default=origin[1])
    for el in container:
        name = _local(el)
        if name == "sequenceFlow":
            s, t = pos.get(el.get("sourceRef")), pos.get(el.get("targetRef"))
            if s and t:
                _edge(plane, el.get("id"), _route(s, t, max_y))
        elif name == "association":
            s, t = pos.get(el.get("sourceRef")), pos.get(el.get("targetRef"))
            if s and t:
                _edge(plane, el.get("id"), [_center(s), _center(t)])
    for el in container:
        if _local(el) not in FLOW_NODE_TYPES:
            continue
        for assoc in el:
            name = _local(assoc)
            if name not in ("dataInputAssociation", "dataOutputAssociation"):
                continue
            if not assoc.get("id"):
                assoc.set("id", f"{el.get('id')}_{name}_{list(el).index(assoc)}")
            ref = next(
                (
                    (c.text or "").strip()
                    for c in assoc
                    if _local(c) == ("sourceRef" if name == "dataInputAssociation" else "targetRef")
                ),
                None,
            )
            d, t = pos.get(ref), pos.get(el.get("id"))
            if d and t:
                a, b = (d, t) if name == "dataInputAssociation" else (t, d)
                _edge(
                    plane,
                    assoc.get("id"),
                    [(a[0] + a[2] / 2, a[1]), (b[0] + b[2] / 2, b[1] + b[3])]
                    if a[1] > b[1]
                    else [_center(a), _center(b)],
                )
    return pos, width, bands, max_y + 20


def _center(p):
    return (p[0] + p[2] / 2, p[1] + p[3] / 2)


def _route(s, t, max_y):
    sx, sy = s[0] + s[2], s[1] + s[3] / 2
    tx, ty = t[0], t[1] + t[3] / 2
    if tx > sx:
        if abs(sy - ty) < 1:
            return [(sx, sy), (tx, ty)]
        mx = sx + min(30, (tx - sx) / 2)
        return [(sx, sy), (mx, sy), (mx, ty), (tx, ty)]
    low = max_y + 30
    return [(sx, sy), (sx + 20, sy), (sx + 20, low), (tx - 20, low), (tx - 20, ty), (tx, ty)]


def _shape(plane, bpmn_element, x, y, w, h, horizontal=False, **attrs):
    shape = etree.SubElement(
        plane, f"{{{BPMNDI_NS}}}BPMNShape", id=f"{bpmn_element}_di", bpmnElement=bpmn_element
    )
    if horizontal:
        shape.set("isHorizontal", "true")
    for k, v in attrs.items():
        shape.set(k, v)
    etree.SubElement(
        shape, f"{{{DC_NS}}}Bounds", x=f"{x:.0f}", y=f"{y:.0f}", width=f"{w:.0f}", height=f"{h:.0f}"
    )


def _edge(plane, bpmn_element, points):
    edge = etree.SubElement(
        plane, f"{{{BPMNDI_NS}}}BPMNEdge", id=f"{bpmn_element}_di", bpmnElement=bpmn_element
    )
    for x, y in points:
        etree.SubElement(edge, f"{{{DI_NS}}}waypoint", x=f"{x:.0f}", y=f"{y:.0f}")
