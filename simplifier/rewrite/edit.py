"""The XML rewrite: the plan applied to a copy of the original BPMN.

Removed steps are rewired (incoming flow to the outgoing target); components and their
associations dropped; registry lookups and parallel gateways inserted; presence and copy
annotations set. Every other element, and every ``tt:`` and ``spiffworkflow:``
extension of kept elements, is kept as it is. The diagram is then updated by
``toantrinh.simplifier.rewrite.layout``.
"""

from __future__ import annotations

import copy

from lxml import etree

from toantrinh.bpmn.namespaces import BPMNDI_NS, DC_NS, DI_NS, SPIFF_NS, TT_NS, qname
from toantrinh.bpmn.xml import local_name, namespace

from ..infer import ComponentInfo, StepInfo
from ..load import FLOW_NODE_TYPES, ParsedModel
from ..rules import DEFAULT_REGISTRY_KEY, REGISTRY_KEYS, Registry
from .layout import layout_di
from .plan import Plan, fetch_id

_q = qname
_local = local_name
_ns = namespace


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
        self.byid: dict[str, etree._Element] = {}
        for el in root.iter():
            if isinstance(el.tag, str) and el.get("id"):
                self.byid.setdefault(el.get("id"), el)
        self._n = 0
        self._flow_index: dict[tuple[str, str], list] | None = None
        self.changed: set[str] = set()  # flows whose source or target changed
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
        self.changed.add(flow.get("id"))
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
    if container is None:
        return False
    ins = doc.flows(container, "targetRef", tid)
    outs = doc.flows(container, "sourceRef", tid)
    if len(ins) != 1 or len(outs) != 1:
        return False
    fin, fout = ins[0], outs[0]
    tgt = fout.get("targetRef", "")
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
            _detach(assoc)
    return True


def _detach(el: etree._Element) -> None:
    """Remove an element from its parent (if it still has one)."""
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _forget_in_lanes(doc: _Doc, nid: str) -> None:
    for ref in doc.lane_refs(nid):
        _detach(ref)


def _drop_component(doc: _Doc, pm: ParsedModel, key: str) -> None:
    do = pm.data_objects.get(key)
    ids = {key, *(do.refs if do else ())}
    for el in list(doc.root.iter()):
        name = _local(el)
        if name in ("dataInputAssociation", "dataOutputAssociation"):
            refs = {(c.text or "").strip() for c in el if _local(c) in ("sourceRef", "targetRef")}
            if refs & ids:
                _detach(el)
        elif name == "association" and {el.get("sourceRef"), el.get("targetRef")} & ids:
            _detach(el)
    for i in ids:
        found = doc.byid.get(i)
        if found is not None:
            _detach(found)


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
        if _local(el) == "startEvent" and not doc.flows(proc, "targetRef", el.get("id", ""))
    ]
    if len(starts) != 1:
        return None
    outs = doc.flows(proc, "sourceRef", starts[0].get("id", ""))
    if len(outs) != 1 or outs[0].find(doc.q("conditionExpression")) is not None:
        return None
    flow = outs[0]
    nxt = flow.get("targetRef")
    tid = doc.new_id(fetch_id(f"{reg.id}:{doc_type}" if doc_type else reg.id))
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
    n = fout.get("targetRef", "")
    sid, jid = doc.new_id(f"Gateway_Split_{u}"), doc.new_id(f"Gateway_Join_{v}")
    split = etree.Element(doc.q("parallelGateway"), id=sid)
    doc.add_node(c, split)
    join = etree.Element(doc.q("parallelGateway"), id=jid)
    doc.add_node(c, join)
    s1 = doc.add_flow(c, doc.new_id(f"Flow_{sid}_1"), sid, u)
    s2 = doc.add_flow(c, doc.new_id(f"Flow_{sid}_2"), sid, v)
    j = doc.add_flow(c, doc.new_id(f"Flow_{jid}"), jid, n)
    doc.retarget(fin, sid)
    doc.retarget(fuv, jid)
    doc.retarget(fout, jid)
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
        for gid in (sid, jid):
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
            plan.notes.append(f"Không tự động bỏ được bước “{_label(pm, t)}”; cần sửa tay.")
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
                f"Không chèn được bước khai thác dữ liệu từ {reg_by_id[reg].name_vi}: quy trình "
                "không có đúng một sự kiện bắt đầu với một luồng ra."
            )
    for u, v in plan.parallel:
        if not _parallelise(doc, u, v):
            plan.notes.append(
                f"Không tự động cho chạy song song được “{_label(pm, u)}” và “{_label(pm, v)}”."
            )
    _repair_data_associations(doc)
    layout_di(doc.root, doc.changed)
    etree.indent(doc.root, space="  ")
    return etree.tostring(
        doc.root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    ).decode("utf-8")


def _label(pm: ParsedModel, nid: str) -> str:
    node = pm.nodes.get(nid)
    return (node.name if node else "") or nid


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
