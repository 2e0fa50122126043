"""Draft a BPMN model and its ``procedure.json`` from a read record.

The draft follows the one-stop pattern of Decree 118/2025/NĐ-CP: the applicant submits,
the one-stop desk (Bộ phận Một cửa / Trung tâm Phục vụ hành chính công) receives and
checks the dossier, the agency appraises, the leader decides and signs, the desk returns
the result. The record's own steps become the tasks, in order, in the lane of the actor
each names; the pattern only adds what the record leaves out (submission, reception,
payment when there is a fee, return of the result), and each added task says so. A
supplement loop follows the reception when the text describes one, a refusal branch
follows the deciding step when the text describes refusal, the statutory time of the
fastest channel becomes a non-interrupting deadline timer on the deciding step (with the
apology letter of Decree 118/2025/NĐ-CP), and the result becomes the e-result kept in the
applicant's e-data warehouse. Components become annotated data objects read by the
reception. Ids are stable: ``Step_<i>`` for step *i* of the record, ``Component_<i>`` for
component row *i*, so a report maps every finding back to the published row.

The model is a proposal: a procedure-control officer finishes it in the modeller, helped
by ``review.md`` (:mod:`.review`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .components import Component
from .record import Record
from .steps import Step, channel_runs
from .text import clean

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TT = "urn:toantrinh:bpmn:1"
NSMAP = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "xsi": XSI, "tt": TT}
D118 = "Nghị định 118/2025/NĐ-CP (cơ chế một cửa, một cửa liên thông)"
LANE_ORDER = ("citizen", "one_stop_desk", "specialist", "leader", "other_agency", "postal")
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
COMPONENT_NAME_MAX = 80
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


@dataclass
class Draft:
    """What ``catalogue import`` writes for one record."""

    procedure: dict
    bpmn: str
    process_id: str
    steps: dict[int, str | None]  # source_index -> task id (None: merged into another)
    components: dict[int, str | None]  # source_index -> data object reference id
    added: list[str]  # tasks the pattern added, for review.md
    alternatives: dict[int, int] = field(default_factory=dict)  # channel alternative → first


def slug_of(code: str) -> str:
    """Folder slug of a code: ``1.000894`` → ``tthc-1-000894``."""
    return "tthc-" + re.sub(r"[^0-9a-z]+", "-", code.lower()).strip("-")


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


class _Builder:
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


def _task(step: Step, record: Record, alternatives: list[Step]) -> Node:
    if len(alternatives) < 2:
        name, doc = short_name(step.text), step.text
    else:  # one task for every channel: the channel is the applicant's choice, not a step
        labels = [label for c, label in CHANNEL_LABEL.items() if _names(alternatives, c)]
        name = f"{CHANNEL_TASK.get(step.kind, short_name(step.text, 60))} ({', '.join(labels)})"
        doc = "Một trong các hình thức: " + "\n".join(s.text for s in alternatives)
    return Node(
        f"Step_{step.index}", "userTask", name, step.actor, _step_attrs(step), documentation=doc
    )


def _alternatives(record: Record, step_map: dict[int, str | None], step: Step) -> list[Step]:
    """The channel alternatives drafted as ``step``'s task (itself first)."""
    own = f"Step_{step.index}"
    return [s for s in record.steps if step_map[s.index] == own and s.channels]


def _names(alternatives: list[Step], channel: str) -> bool:
    return any(channel in s.channels for s in alternatives)


def _added(
    node_id: str,
    name: str,
    lane: str,
    kind: str,
    form: str | None = None,
    presence: str = "none",
    basis: str = D118,
) -> Node:
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


def _plan_steps(record: Record) -> tuple[list[Step], dict[int, str | None]]:
    """The steps that become tasks, and where each source step went. Alternatives for
    different channels (:func:`.steps.channel_runs`) all go to the task of the first: one
    task whose channel is the applicant's choice, never a sequence."""
    runs = channel_runs(record.steps)
    tasks: list[Step] = []
    mapping: dict[int, str | None] = {}
    for step in record.steps:
        first = runs.get(step.index)
        if first is not None and first != step.index:
            mapping[step.index] = f"Step_{first}"
        elif step.actionable or first is not None or not tasks:
            tasks.append(step)
            mapping[step.index] = f"Step_{step.index}"
        else:
            mapping[step.index] = f"Step_{tasks[-1].index}"
    return tasks, mapping


def _pick(
    tasks: list[Step],
    kinds: tuple[str, ...],
    *,
    after: int = -1,
    actors: tuple[str, ...] | None = None,
) -> int | None:
    for i, step in enumerate(tasks):
        if i > after and step.kind in kinds and (actors is None or step.actor in actors):
            return i
    return None


def draft(record: Record, catalogue: dict) -> Draft:
    """The BPMN model, ``procedure.json`` and id mapping of a read record.

    ``catalogue`` is ``data/registries.json``: a component's type is written as
    ``documentType`` only when it belongs to its vocabulary, and the note of a component
    names the national database that holds that type.
    """
    tasks, step_map = _plan_steps(record)
    supplement = any(s.supplement for s in record.steps)
    refusal = any(s.refusal for s in record.steps)
    fee, _online_fee, _ = record.fee()
    time, _source = record.statutory_time()
    staff = ("one_stop_desk", "specialist", "leader", "other_agency")
    b = _Builder()
    added: list[str] = []
    b.add(Node("Start_Submit", "startEvent", "Có yêu cầu giải quyết thủ tục", "citizen"))
    first_staff = next((i for i, s in enumerate(tasks) if s.actor != "citizen"), len(tasks))
    if not any(s.kind in ("submit", "pay") for s in tasks[:first_staff]):
        b.add(_added("Task_Submit", "Nộp hồ sơ" + _channels_note(record), "citizen", "submit"))
        added.append("Nộp hồ sơ (người nộp)")
    receive = _pick(tasks, ("receive", "verify"), actors=("one_stop_desk", "specialist"))
    decide_kinds = ("appraise", "approve", "inspect", "verify")
    decide = None
    if refusal:
        decide = next(
            (
                i
                for i, s in enumerate(tasks)
                if s.refusal
                and s.actor in staff
                and s.kind in decide_kinds
                and (receive is None or i > receive)
            ),
            None,
        )
    if decide is None:
        candidates = [
            i
            for i, s in enumerate(tasks)
            if s.kind in ("appraise", "approve")
            and s.actor in staff
            and (receive is None or i > receive)
        ]
        decide = candidates[-1] if candidates else None
    has_pay = any(s.kind == "pay" for s in tasks)
    has_deliver = any(s.kind == "deliver_result" for s in tasks)
    decision_node: str | None = None

    def receive_block(node: Node) -> None:
        if supplement:
            b.add(Node("Gateway_Resubmit", "exclusiveGateway", "", node.lane))
            node.form = FORMS["receive"]
            b.add(node)
            b.add(Node("Gateway_Valid", "exclusiveGateway", "Hồ sơ đầy đủ, hợp lệ?", node.lane))
            sup = _added(
                "Task_Supplement",
                "Bổ sung, hoàn thiện hồ sơ theo hướng dẫn",
                "citizen",
                "submit",
                FORMS["supplement"],
            )
            sup.row = 1
            b.nodes.append(sup)
            b.flow(
                "Gateway_Valid", "Task_Supplement", "Chưa hợp lệ", 'intake_decision == "supplement"'
            )
            b.flow("Task_Supplement", "Gateway_Resubmit")
            b.cursor, b.pending = "Gateway_Valid", ("Hợp lệ", 'intake_decision == "accept"')
        else:
            b.add(node)
        node.inputs = [f"Component_{c.index}" for c in record.components if c.role == "document"]
        if fee and not has_pay:
            pay = _added(
                "Task_Pay",
                f"Nộp phí, lệ phí ({_vnd(fee)})",
                "citizen",
                "pay",
                FORMS["pay"],
                basis=_fee_source(record),
            )
            b.add(pay)
            added.append("Nộp phí, lệ phí trực tuyến (có phí trong bản ghi)")

    if receive is None:
        desk = _added("Task_Receive", "Tiếp nhận, kiểm tra hồ sơ", "one_stop_desk", "receive")
        added.append("Tiếp nhận, kiểm tra hồ sơ (Bộ phận Một cửa)")
        insert_at = first_staff
    else:
        insert_at = None
    for i, step in enumerate(tasks):
        if insert_at == i:
            receive_block(desk)
        node = _task(step, record, _alternatives(record, step_map, step))
        if i == receive:
            receive_block(node)
            continue
        if i == decide:
            node.form = FORMS["decide"] if refusal else None
            b.add(node)
            decision_node = node.id
            if refusal:
                _refusal_branch(b, node)
            continue
        b.add(node)
    if insert_at == len(tasks):
        receive_block(desk)
    if decision_node is None and refusal:
        appraise = _added(
            "Task_Appraise",
            "Thẩm định, quyết định giải quyết hồ sơ",
            "specialist",
            "appraise",
            FORMS["decide"],
        )
        b.add(appraise)
        _refusal_branch(b, appraise)
        decision_node = appraise.id
        added.append("Thẩm định, quyết định (để có nhánh từ chối mà văn bản nêu)")
    if not has_deliver:
        deliver = _added(
            "Task_Deliver",
            "Trả kết quả giải quyết",
            "one_stop_desk",
            "deliver_result",
            FORMS["deliver"],
        )
        b.add(deliver)
        added.append("Trả kết quả (Bộ phận Một cửa)")
    result_name = record.results[0].name if record.results else "Kết quả giải quyết thủ tục"
    result_code = record.results[0].code if record.results else ""
    last_lane = b.nodes[-1].lane if b.nodes[-1].type != "exclusiveGateway" else "one_stop_desk"
    store = Node(
        "Task_Result",
        "scriptTask",
        "Lưu kết quả điện tử vào Kho dữ liệu",
        last_lane,
        {"kind": "other", "actor": "system", "duration": "PT1M", "presence": "none"},
        script='result = "issued"',
        documentation=f"Kết quả: {result_name}" + (f" (mã {result_code})" if result_code else ""),
    )
    b.add(store)
    b.add(Node("End_Done", "endEvent", short_name(result_name, 60), last_lane))
    timer_host = decision_node or next(
        (n.id for n in b.nodes if n.type == "userTask" and n.lane in ("specialist", "leader")), None
    )
    boundary = None
    if time and timer_host:
        host = next(n for n in b.nodes if n.id == timer_host)
        apology = _added(
            "Task_Apology",
            "Gửi văn bản xin lỗi, hẹn lại ngày trả kết quả",
            "one_stop_desk",
            "other",
            FORMS["apology"],
        )
        apology.row = 1
        end = Node("End_Apology", "endEvent", "Đã hẹn lại ngày trả", "one_stop_desk", row=1)
        b.nodes.extend([apology, end])
        boundary = (timer_host, time.iso(), time.text, host.lane)
        b.flow("Timer_Deadline", "Task_Apology")
        b.flow("Task_Apology", "End_Apology")
    process_id = "tthc_" + re.sub(r"\W+", "_", record.code)
    comps = {
        c.index: (f"Component_{c.index}" if c.role == "document" else None)
        for c in record.components
    }
    xml = _xml(record, b, process_id, boundary, Registries(catalogue))
    runs = {i: first for i, first in channel_runs(record.steps).items() if i != first}
    return Draft(_procedure(record, process_id), xml, process_id, step_map, comps, added, runs)


def _refusal_branch(b: _Builder, node: Node) -> None:
    b.add(Node("Gateway_Approved", "exclusiveGateway", "Đủ điều kiện giải quyết?", node.lane))
    refused = Node(
        "Task_Refused",
        "scriptTask",
        "Ghi nhận từ chối, trả lời bằng văn bản nêu rõ lý do",
        node.lane,
        {"kind": "other", "actor": "system", "duration": "PT1M", "presence": "none"},
        script='result = "refused"',
        row=1,
    )
    end = Node("End_Refused", "endEvent", "Từ chối giải quyết", node.lane, row=1)
    b.nodes.extend([refused, end])
    b.flow("Gateway_Approved", "Task_Refused", "Không đủ điều kiện", 'decision == "refuse"')
    b.flow("Task_Refused", "End_Refused")
    b.cursor, b.pending = "Gateway_Approved", ("Đủ điều kiện", 'decision == "approve"')


def _channels_note(record: Record) -> str:
    labels = [c.label.lower() for c in record.channels]
    return f" ({', '.join(labels)})" if labels else ""


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _fee_source(record: Record) -> str:
    return record.fee()[2] or "Cách thức thực hiện"


# ---------------------------------------------------------------- procedure.json
def _procedure(record: Record, process_id: str) -> dict:
    time, time_source = record.statutory_time()
    fee, online_fee, fee_source = record.fee()
    days = None
    working = True
    if time:
        working = time.unit in ("working_days", "hours", "working_hours", "minutes")
        days = (
            max(1, round(time.working_days))
            if time.working_days is not None
            else max(1, round(time.calendar_days))
        )
    online = any(c.mode == "online" for c in record.channels)
    agency = (
        record.agency
        if len(record.agency) >= 3
        else (record.ministry or "Cơ quan có thẩm quyền (bản ghi không nêu)")
    )
    legal = [
        f"{d.title} ({d.code})" if d.code and d.code not in d.title else d.title
        for d in record.legal
        if len(d.title) >= 5
    ] or ["Bản ghi không nêu căn cứ pháp lý"]
    result = record.results[0] if record.results else None
    out: dict = {
        "code": record.code,
        "code_note": "Mã trên Cơ sở dữ liệu quốc gia về thủ tục hành chính; mô hình dự thảo "
        "từ bản ghi công bố (toantrinh catalogue import)",
        "slug": slug_of(record.code),
        "name": {"vi": record.name, "en": f"Procedure {record.code} (English name not published)"},
        "agency_level": record.agency_level,
        "agency": agency,
        "field": record.field or "Chưa xác định",
        "legal_basis": legal,
        "processing_time": {
            "days": days,
            "working_days": working,
            "source": time_source or "Bản ghi không nêu thời hạn giải quyết",
        },
        "fee": {
            "amount": fee,
            "online_amount": online_fee,
            "currency": "VND",
            "source": fee_source if fee is not None else "Bản ghi không nêu mức phí",
        },
        "annual_volume": {
            "dossiers": record.volume,
            "source": "Bản ghi công bố"
            if record.volume
            else "Bản ghi không nêu số hồ sơ/năm; cần số liệu của Hệ thống thông tin giải quyết TTHC",
            "estimate": record.volume is None,
        },
        "delivery_level": "partial_online" if online else "information",
        "bpmn": f"{record.code}.bpmn",
        "process_id": process_id,
        "catalogue": {
            "decision": record.decision,
            "ministry": record.ministry,
            "levels": record.levels,
            "kind": record.kind,
            "subjects": record.subjects,
            "channels": [_channel_json(c) for c in record.channels],
            "results": [{"name": r.name, "code": r.code} for r in record.results],
            "legal": [{"title": d.title, "code": d.code, "kind": d.kind} for d in record.legal],
            "source_url": record.url,
            "shape": record.shape,
        },
    }
    if result:
        out["result_document"] = {
            "document_type": result.code or "ket_qua_" + record.code,
            "title": result.name,
            "when": "result == 'issued'",
        }
    return out


def _channel_json(c) -> dict:
    return {
        "mode": c.mode,
        "label": c.label,
        "time": {"amount": c.time.amount, "unit": c.time.unit, "text": c.time.text}
        if c.time
        else None,
        "fee": {
            "amount": c.fee.amount,
            "free": c.fee.free,
            "text": c.fee.text,
            "currency": c.fee.currency,
            "note": c.fee.note,
        },
        "description": c.description[:500],
    }


# ---------------------------------------------------------------- XML and DI
def _q(ns: str, local: str) -> str:
    return f"{{{ns}}}{local}"


def _component_el(parent, comp: Component, record: Record, regs: Registries) -> None:
    do_id, ref_id = f"DataObject_{comp.index}", f"Component_{comp.index}"
    etree.SubElement(parent, _q(BPMN, "dataObject"), id=do_id)
    ref = etree.SubElement(
        parent,
        _q(BPMN, "dataObjectReference"),
        id=ref_id,
        name=short_name(comp.name, COMPONENT_NAME_MAX) or f"Thành phần {comp.index + 1}",
        dataObjectRef=do_id,
    )
    # the label is the first clause; the row as published is the documentation (a long
    # label helps no one in the modeller, and the simplifier reads every label it gets)
    etree.SubElement(ref, _q(BPMN, "documentation")).text = comp.name[:4000]
    ext = etree.SubElement(ref, _q(BPMN, "extensionElements"))
    if comp.disqualified:
        doc_type = "foreign_document"
    elif comp.replaceable_type in regs.types:
        doc_type = comp.replaceable_type
    elif comp.document_class in ("registry", "registry_mixed"):
        doc_type = "other_document"  # a database's paper that it may not stand in for here
    else:
        doc_type = comp.document_type if comp.document_type in regs.types else "other_document"
    extra = [f"trường hợp: {comp.case}"] if comp.case else []
    if comp.row.template:
        extra.append(f"mẫu: {comp.row.template}")
    holder = regs.holders.get(comp.replaceable_type or comp.document_type or "")
    if holder:
        extra.append(f"CSDL giữ dữ liệu: {holder}")
    note = "; ".join([*comp.evidence, *extra])
    attrs = {
        "code": f"c{comp.index}",
        "documentType": doc_type,
        "copy": comp.copy,
        "required": "false" if comp.conditional else "true",
    }
    if record.legal:
        attrs["legalBasis"] = "; ".join(d.code or d.title for d in record.legal[:3])
    if note:
        attrs["note"] = note[:400]
    etree.SubElement(ext, _q(TT, "component"), attrs)


def _xml(record: Record, b: _Builder, process_id: str, boundary, regs: Registries) -> str:
    root = etree.Element(
        _q(BPMN, "definitions"),
        nsmap=NSMAP,
        id=f"Definitions_{process_id}",
        targetNamespace="urn:toantrinh:catalogue",
        exporter="Toàn Trình",
        exporterVersion="catalogue-import",
    )
    collab = etree.SubElement(root, _q(BPMN, "collaboration"), id=f"Collaboration_{process_id}")
    etree.SubElement(
        collab,
        _q(BPMN, "participant"),
        id=f"Participant_{process_id}",
        name=(record.agency or record.ministry or "Cơ quan giải quyết")[:120],
        processRef=process_id,
    )
    proc = etree.SubElement(
        root, _q(BPMN, "process"), id=process_id, name=record.name[:250], isExecutable="true"
    )
    ext = etree.SubElement(proc, _q(BPMN, "extensionElements"))
    etree.SubElement(ext, _q(TT, "procedure"), code=record.code)
    lanes = [r for r in LANE_ORDER if any(n.lane == r for n in b.nodes)]
    lane_set = etree.SubElement(proc, _q(BPMN, "laneSet"), id=f"LaneSet_{process_id}")
    label = _lane_labels(record)
    for role in lanes:
        lane = etree.SubElement(lane_set, _q(BPMN, "lane"), id=f"Lane_{role}", name=label[role])
        lext = etree.SubElement(lane, _q(BPMN, "extensionElements"))
        etree.SubElement(lext, _q(TT, "lane"), role=LANE_ROLE.get(role, role), label=label[role])
        for n in b.nodes:
            if n.lane == role:
                etree.SubElement(lane, _q(BPMN, "flowNodeRef")).text = n.id
        if boundary and boundary[3] == role:
            etree.SubElement(lane, _q(BPMN, "flowNodeRef")).text = "Timer_Deadline"
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for f in b.flows:
        outgoing.setdefault(f.source, []).append(f.id)
        incoming.setdefault(f.target, []).append(f.id)
    for n in b.nodes:
        el = etree.SubElement(proc, _q(BPMN, n.type), id=n.id, name=n.name)
        if n.documentation:
            etree.SubElement(el, _q(BPMN, "documentation")).text = n.documentation[:4000]
        if n.step or n.form:
            nex = etree.SubElement(el, _q(BPMN, "extensionElements"))
            if n.step:
                etree.SubElement(nex, _q(TT, "step"), n.step)
            if n.form:
                etree.SubElement(nex, _q(TT, "form"), ref=n.form)
        for fid in incoming.get(n.id, []):
            etree.SubElement(el, _q(BPMN, "incoming")).text = fid
        for fid in outgoing.get(n.id, []):
            etree.SubElement(el, _q(BPMN, "outgoing")).text = fid
        for ref in n.inputs:
            prop = f"Property_{n.id}_{ref}"
            etree.SubElement(el, _q(BPMN, "property"), id=prop, name="targetRef_placeholder")
            dia = etree.SubElement(el, _q(BPMN, "dataInputAssociation"), id=f"DIA_{n.id}_{ref}")
            etree.SubElement(dia, _q(BPMN, "sourceRef")).text = ref
            etree.SubElement(dia, _q(BPMN, "targetRef")).text = prop
        if n.script:
            etree.SubElement(el, _q(BPMN, "script")).text = n.script
    if boundary:
        host, iso, text, _lane = boundary
        be = etree.SubElement(
            proc,
            _q(BPMN, "boundaryEvent"),
            id="Timer_Deadline",
            name=f"Hết thời hạn giải quyết ({text})",
            attachedToRef=host,
            cancelActivity="false",
        )
        etree.SubElement(be, _q(BPMN, "outgoing")).text = "Flow_Timer_Deadline_Task_Apology"
        ted = etree.SubElement(be, _q(BPMN, "timerEventDefinition"), id="TimerDef_Deadline")
        dur = etree.SubElement(ted, _q(BPMN, "timeDuration"))
        dur.set(_q(XSI, "type"), "bpmn:tFormalExpression")
        dur.text = f'"{iso}"'
    for comp in record.components:
        if comp.role == "document":
            _component_el(proc, comp, record, regs)
    for f in b.flows:
        fel = etree.SubElement(
            proc, _q(BPMN, "sequenceFlow"), id=f.id, sourceRef=f.source, targetRef=f.target
        )
        if f.name:
            fel.set("name", f.name)
        if f.condition:
            cond = etree.SubElement(fel, _q(BPMN, "conditionExpression"))
            cond.set(_q(XSI, "type"), "bpmn:tFormalExpression")
            cond.text = f.condition
    _diagram(root, record, b, process_id, lanes, boundary, label)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode(
        "utf-8"
    )


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


SIZES = {
    "userTask": (100, 80),
    "scriptTask": (100, 80),
    "startEvent": (36, 36),
    "endEvent": (36, 36),
    "exclusiveGateway": (50, 50),
}
COL_W, LANE_H, ROW_DY = 150, 200, 95
DATA_DX, DATA_DY = 110, 120  # data objects under the pool, on two rows: room for their labels
POOL_X, POOL_Y, HEADER = 160, 80, 30


def _diagram(root, record, b: _Builder, process_id, lanes, boundary, label) -> None:
    diagram = etree.SubElement(root, _q(BPMNDI, "BPMNDiagram"), id=f"Diagram_{process_id}")
    plane = etree.SubElement(
        diagram,
        _q(BPMNDI, "BPMNPlane"),
        id=f"Plane_{process_id}",
        bpmnElement=f"Collaboration_{process_id}",
    )
    lane_y = {r: POOL_Y + i * LANE_H for i, r in enumerate(lanes)}
    pos: dict[str, tuple[float, float, float, float]] = {}
    col = 0
    for n in b.nodes:
        w, h = SIZES[n.type]
        if n.row == 0:
            col += 1
        x = (
            POOL_X
            + HEADER
            + 40
            + (col - 1) * COL_W
            + (COL_W - 50 - w) / 2
            + (COL_W if n.row and n.id.startswith("End_") else 0)
        )
        cy = lane_y[n.lane] + 60 + n.row * ROW_DY
        pos[n.id] = (x, cy - h / 2, w, h)
    width = HEADER + 80 + (col + 1) * COL_W
    height = LANE_H * len(lanes)
    _shape(plane, f"Participant_{process_id}", POOL_X, POOL_Y, width, height, True)
    for r in lanes:
        _shape(plane, f"Lane_{r}", POOL_X + HEADER, lane_y[r], width - HEADER, LANE_H, True)
    for n in b.nodes:
        _shape(plane, n.id, *pos[n.id])
    if boundary:
        hx, hy, hw, hh = pos[boundary[0]]
        pos["Timer_Deadline"] = (hx + hw - 28, hy + hh - 18, 36, 36)
        _shape(plane, "Timer_Deadline", *pos["Timer_Deadline"])
    comps = [c for c in record.components if c.role == "document"]
    for i, comp in enumerate(comps):
        _shape(
            plane,
            f"Component_{comp.index}",
            POOL_X + HEADER + 40 + i * DATA_DX,
            POOL_Y + height + 30 + (i % 2) * DATA_DY,
            36,
            50,
        )
    for f in b.flows:
        _edge(plane, f.id, _route(pos[f.source], pos[f.target]))
    for n in b.nodes:
        for ref in n.inputs:
            i = next(k for k, c in enumerate(comps) if f"Component_{c.index}" == ref)
            sx = POOL_X + HEADER + 58 + i * DATA_DX
            sy = POOL_Y + height + 30 + (i % 2) * DATA_DY
            x, y, w, h = pos[n.id]
            _edge(plane, f"DIA_{n.id}_{ref}", [(sx, sy), (x + w / 2, y + h)])


def _route(s, t) -> list[tuple[float, float]]:
    sx, sy, sw, sh = s
    tx, ty, tw, th = t
    start = (sx + sw, sy + sh / 2)
    end = (tx, ty + th / 2)
    if tx <= sx:  # a loop back: leave from the bottom, come in from the bottom
        low = max(sy + sh, ty + th) + 30
        return [
            (sx + sw / 2, sy + sh),
            (sx + sw / 2, low),
            (tx + tw / 2, low),
            (tx + tw / 2, ty + th),
        ]
    if abs(start[1] - end[1]) < 1:
        return [start, end]
    mid = (start[0] + end[0]) / 2
    return [start, (mid, start[1]), (mid, end[1]), end]


def _shape(plane, element: str, x, y, w, h, horizontal: bool = False) -> None:
    attrs = {"id": f"{element}_di", "bpmnElement": element}
    if horizontal:
        attrs["isHorizontal"] = "true"
    shape = etree.SubElement(plane, _q(BPMNDI, "BPMNShape"), attrs)
    etree.SubElement(shape, _q(DC, "Bounds"), x=_n(x), y=_n(y), width=_n(w), height=_n(h))


def _edge(plane, element: str, points) -> None:
    edge = etree.SubElement(plane, _q(BPMNDI, "BPMNEdge"), id=f"{element}_di", bpmnElement=element)
    for x, y in points:
        etree.SubElement(edge, _q(DI, "waypoint"), x=_n(x), y=_n(y))


def _n(v: float) -> str:
    return str(round(v))
