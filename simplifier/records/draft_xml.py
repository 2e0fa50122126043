"""The BPMN 2.0 XML of a drafted model: a collaboration with one pool, the process with a
lane per actor, the tasks with their ``tt:`` annotations, the deadline timer, the
components as annotated data objects read by the reception, and the diagram
(:mod:`.draft_diagram`)."""

from __future__ import annotations

from lxml import etree

from toantrinh.bpmn.namespaces import BPMN_NS, BPMNDI_NS, DC_NS, DI_NS, TT_NS, XSI_NS, qname

from .components import Component
from .draft_diagram import draw
from .draft_flow import Deadline
from .draft_nodes import LANE_ROLE, Builder, Flow, Node, short_name
from .record import Record

NSMAP = {"bpmn": BPMN_NS, "bpmndi": BPMNDI_NS, "dc": DC_NS, "di": DI_NS, "xsi": XSI_NS, "tt": TT_NS}
LANE_ORDER = ("citizen", "one_stop_desk", "specialist", "leader", "other_agency", "postal")
COMPONENT_NAME_MAX = 80


class Registries:
    """The document-type vocabulary of ``data/registries.json`` and, per type, the national
    database that holds it (the e-data warehouse is not one, see ``verdicts.py``)."""

    def __init__(self, catalogue: dict):
        self.types = frozenset(catalogue.get("document_types", {}))
        self.holders = {
            t: r["id"]
            for r in catalogue.get("registries", [])
            if r.get("id") != "edata_warehouse"
            for t in r.get("document_types", [])
        }


def _q(local: str) -> str:
    return qname(BPMN_NS, local)


def model_xml(
    record: Record, b: Builder, process_id: str, deadline: Deadline | None, regs: Registries
) -> str:
    """The ``<code>.bpmn`` of a record drafted as ``b``."""
    root = etree.Element(
        _q("definitions"),
        nsmap=NSMAP,
        id=f"Definitions_{process_id}",
        targetNamespace="urn:toantrinh:catalogue",
        exporter="Toàn Trình",
        exporterVersion="catalogue-import",
    )
    collab = etree.SubElement(root, _q("collaboration"), id=f"Collaboration_{process_id}")
    etree.SubElement(
        collab,
        _q("participant"),
        id=f"Participant_{process_id}",
        name=(record.agency or record.ministry or "Cơ quan giải quyết")[:120],
        processRef=process_id,
    )
    proc = etree.SubElement(
        root, _q("process"), id=process_id, name=record.name[:250], isExecutable="true"
    )
    ext = etree.SubElement(proc, _q("extensionElements"))
    etree.SubElement(ext, qname(TT_NS, "procedure"), code=record.code)
    lanes = [r for r in LANE_ORDER if any(n.lane == r for n in b.nodes)]
    _lane_set(proc, record, b, process_id, lanes, deadline)
    _flow_nodes(proc, b)
    if deadline:
        _timer(proc, deadline)
    comps = [c for c in record.components if c.role == "document"]
    for comp in comps:
        _component_el(proc, comp, record, regs)
    for f in b.flows:
        _sequence_flow(proc, f)
    draw(root, comps, b, process_id, lanes, deadline)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode(
        "utf-8"
    )


def _lane_set(
    proc: etree._Element,
    record: Record,
    b: Builder,
    process_id: str,
    lanes: list[str],
    deadline: Deadline | None,
) -> None:
    lane_set = etree.SubElement(proc, _q("laneSet"), id=f"LaneSet_{process_id}")
    label = _lane_labels(record)
    for role in lanes:
        lane = etree.SubElement(lane_set, _q("lane"), id=f"Lane_{role}", name=label[role])
        lext = etree.SubElement(lane, _q("extensionElements"))
        etree.SubElement(
            lext, qname(TT_NS, "lane"), role=LANE_ROLE.get(role, role), label=label[role]
        )
        for n in b.nodes:
            if n.lane == role:
                etree.SubElement(lane, _q("flowNodeRef")).text = n.id
        if deadline and deadline.lane == role:
            etree.SubElement(lane, _q("flowNodeRef")).text = "Timer_Deadline"


def _lane_labels(record: Record) -> dict[str, str]:
    level = {"commune": "cấp xã", "province": "cấp tỉnh", "ministry": "cấp bộ"}.get(
        record.agency_level, ""
    )
    return {
        "citizen": "Tổ chức, cá nhân",
        "one_stop_desk": "Bộ phận Một cửa — Trung tâm Phục vụ hành chính công"
        + (f" {level}" if level and level != "cấp bộ" else ""),
        "specialist": (record.agency or record.ministry or "Cơ quan giải quyết")[:120],
        "leader": "Lãnh đạo cơ quan có thẩm quyền",
        "other_agency": (record.coordinating or "Cơ quan phối hợp")[:120],
        "postal": "Doanh nghiệp cung ứng dịch vụ bưu chính công ích",
    }


def _flow_nodes(proc: etree._Element, b: Builder) -> None:
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for f in b.flows:
        outgoing.setdefault(f.source, []).append(f.id)
        incoming.setdefault(f.target, []).append(f.id)
    for n in b.nodes:
        _node_el(proc, n, incoming.get(n.id, []), outgoing.get(n.id, []))


def _node_el(proc: etree._Element, n: Node, incoming: list[str], outgoing: list[str]) -> None:
    el = etree.SubElement(proc, _q(n.type), id=n.id, name=n.name)
    if n.documentation:
        etree.SubElement(el, _q("documentation")).text = n.documentation[:4000]
    if n.step or n.form:
        nex = etree.SubElement(el, _q("extensionElements"))
        if n.step:
            etree.SubElement(nex, qname(TT_NS, "step"), n.step)
        if n.form:
            etree.SubElement(nex, qname(TT_NS, "form"), ref=n.form)
    for fid in incoming:
        etree.SubElement(el, _q("incoming")).text = fid
    for fid in outgoing:
        etree.SubElement(el, _q("outgoing")).text = fid
    for ref in n.inputs:
        # a data input association needs a target inside the task: by the convention of
        # bpmn.io and Camunda, a property named "…targetRef_placeholder" stands for it
        prop = f"Property_{n.id}_{ref}"
        etree.SubElement(el, _q("property"), id=prop, name="targetRef_placeholder")
        dia = etree.SubElement(el, _q("dataInputAssociation"), id=f"DIA_{n.id}_{ref}")
        etree.SubElement(dia, _q("sourceRef")).text = ref
        etree.SubElement(dia, _q("targetRef")).text = prop
    if n.script:
        etree.SubElement(el, _q("script")).text = n.script


def _timer(proc: etree._Element, deadline: Deadline) -> None:
    be = etree.SubElement(
        proc,
        _q("boundaryEvent"),
        id="Timer_Deadline",
        name=f"Hết thời hạn giải quyết ({deadline.text})",
        attachedToRef=deadline.host,
        cancelActivity="false",
    )
    etree.SubElement(be, _q("outgoing")).text = "Flow_Timer_Deadline_Task_Apology"
    ted = etree.SubElement(be, _q("timerEventDefinition"), id="TimerDef_Deadline")
    dur = etree.SubElement(ted, _q("timeDuration"))
    dur.set(qname(XSI_NS, "type"), "bpmn:tFormalExpression")
    dur.text = f'"{deadline.iso}"'


def _sequence_flow(proc: etree._Element, f: Flow) -> None:
    fel = etree.SubElement(
        proc, _q("sequenceFlow"), id=f.id, sourceRef=f.source, targetRef=f.target
    )
    if f.name:
        fel.set("name", f.name)
    if f.condition:
        cond = etree.SubElement(fel, _q("conditionExpression"))
        cond.set(qname(XSI_NS, "type"), "bpmn:tFormalExpression")
        cond.text = f.condition


def _component_el(
    parent: etree._Element, comp: Component, record: Record, regs: Registries
) -> None:
    do_id, ref_id = f"DataObject_{comp.index}", f"Component_{comp.index}"
    etree.SubElement(parent, _q("dataObject"), id=do_id)
    ref = etree.SubElement(
        parent,
        _q("dataObjectReference"),
        id=ref_id,
        name=short_name(comp.name, COMPONENT_NAME_MAX) or f"Thành phần {comp.index + 1}",
        dataObjectRef=do_id,
    )
    # the label is the first clause; the row as published is the documentation (a long
    # label helps no one in the modeller, and the simplifier reads every label it gets)
    etree.SubElement(ref, _q("documentation")).text = comp.name[:4000]
    ext = etree.SubElement(ref, _q("extensionElements"))
    extra = [f"trường hợp: {comp.case}"] if comp.case else []
    if comp.row.template:
        extra.append(f"mẫu: {comp.row.template}")
    holder = regs.holders.get(comp.replaceable_type or comp.document_type or "")
    if holder:
        extra.append(f"CSDL giữ dữ liệu: {holder}")
    note = "; ".join([*comp.evidence, *extra])
    attrs = {
        "code": f"c{comp.index}",
        "documentType": _document_type(comp, regs),
        "copy": comp.copy,
        "required": "false" if comp.conditional else "true",
    }
    if record.legal:
        attrs["legalBasis"] = "; ".join(d.code or d.title for d in record.legal[:3])
    if note:
        attrs["note"] = note[:400]
    etree.SubElement(ext, qname(TT_NS, "component"), attrs)


def _document_type(comp: Component, regs: Registries) -> str:
    """The component's ``documentType``: a type of the vocabulary only when a national
    database may stand in for the paper here."""
    if comp.disqualified:
        return "foreign_document"
    if comp.replaceable_type is not None and comp.replaceable_type in regs.types:
        return comp.replaceable_type
    if comp.document_class in ("registry", "registry_mixed"):
        return "other_document"  # a database's paper that it may not stand in for here
    if comp.document_type is not None and comp.document_type in regs.types:
        return comp.document_type
    return "other_document"
