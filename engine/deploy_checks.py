"""What a model must pass to deploy, besides safe scripts and SpiffWorkflow's parse.

* **Lengths** (issue 27.10): every identifier and name the engine keeps fits the column
  it goes in (the limits are read from the tables, so they cannot drift apart). SQLite
  does not enforce ``VARCHAR(n)``; PostgreSQL does, so a 4 MB process id deployed on
  SQLite, failed with a 500 on PostgreSQL and broke a SQLite → PostgreSQL backup import.
* **Call cycles** (issue 27.4): a process that calls itself, directly or through other
  called processes, never stops creating sub-processes: starting a dossier hung, holding
  SQLite's write lock. ``calledElement`` is resolved among the processes of the same BPMN
  file (each version keeps its own copy of what it calls), so the cycle is always in the
  file deployed; it is refused, and never forceable. :data:`toantrinh.engine.workflow.
  MAX_SUBPROCESS_DEPTH` also stops any dossier that nests sub-processes too deep.
* **Structure** (issue 27.3): the simplifier's structural checks
  (:func:`toantrinh.simplifier.graph.check_structure`) on the process deployed: deadlocks, missing
  synchronisation, unreachable elements, elements with no path to an end, dead ends. A
  model with such a finding is refused (:class:`StructureError`) unless deployed with
  ``force`` (CLI ``--force``, API ``"force": true``); gateways split and joined by
  different kinds are a warning.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

import networkx as nx
from lxml import etree
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask

from toantrinh.bpmn.namespaces import BPMN_NS, TT_NS
from toantrinh.engine.attachments import DossierAttachment
from toantrinh.engine.persistence import Dossier, Message, ProcessModel, ReadyTask
from toantrinh.engine.warehouse import WarehouseDocument
from toantrinh.simplifier.graph import Structure, build_graph, check_structure
from toantrinh.simplifier.load import FLOW_NODE_TYPES as FLOW_NODES
from toantrinh.simplifier.load import ModelLoadError, read_model

log = logging.getLogger("toantrinh.engine")

# the structural findings that refuse a deploy (the others are warnings)
REFUSING = ("deadlock", "lack_of_synchronization", "unreachable", "no_path_to_end", "dead_end")
FORCE_HINT = 'nếu đây là chủ ý, triển khai với --force (toantrinh deploy) hoặc "force": true (API)'
_MAX_LISTED = 8  # element ids listed per finding


def _length(column) -> int:
    return column.property.columns[0].type.length


ID_MAX = _length(ReadyTask.bpmn_id)  # element ids: the inbox's bpmn_id
NAME_MAX = _length(ReadyTask.name)  # element names: the inbox, timers, events
LANE_MAX = _length(ReadyTask.lane)
MESSAGE_MAX = _length(Message.name)
PROCESS_ID_MAX = _length(ProcessModel.process_id)
SLUG_MAX = _length(ProcessModel.slug)
CODE_MAX = _length(ProcessModel.code)
MODEL_NAME_MAX = _length(ProcessModel.name)
AGENCY_MAX = _length(Dossier.agency)
COMPONENT_MAX = _length(DossierAttachment.component)
DOCUMENT_TYPE_MAX = _length(WarehouseDocument.document_type)


class StructureError(ValueError):
    """The structural checks found problems; deploying anyway needs ``force``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def _too_long(what: str, value: str | None, limit: int) -> list[str]:
    if value is None or len(value) <= limit:
        return []
    shown = value[:40] + "…"
    size = f"{len(value):,}".replace(",", ".")  # Vietnamese thousands separator
    return [f"{what} '{shown}' dài {size} ký tự, tối đa {limit}"]


# the event definitions' references SpiffWorkflow resolves by id (a missing one made its
# own error path raise TypeError, shown to the modeller as such)
_EVENT_REFS = {
    "messageRef": "message",
    "signalRef": "signal",
    "errorRef": "error",
    "escalationRef": "escalation",
}


def resolve_qname_refs(root: etree._Element) -> None:
    """Write the references given as QNames of this document (``tns:writeReport``, where
    ``tns`` is the ``targetNamespace``, as Activiti and others export them; BPMN types
    these attributes ``xsd:QName``) as the plain ids SpiffWorkflow looks up."""
    target = root.get("targetNamespace")
    ids = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr, value in el.attrib.items():
            if not (attr.endswith("Ref") or attr == "calledElement") or ":" not in value:
                continue
            prefix, _, local = value.partition(":")
            if value not in ids and local in ids and el.nsmap.get(prefix) == target:
                el.set(attr, local)


def reference_problems(root: etree._Element) -> list[str]:
    """Event definitions whose message, signal, error or escalation is not in the file."""
    problems = []
    for el in root.iter():
        if not isinstance(el.tag, str) or not etree.QName(el).localname.endswith("Definition"):
            continue
        for attr, kind in _EVENT_REFS.items():
            ref = el.get(attr)
            if ref and root.find(f".//{{{BPMN_NS}}}{kind}[@id='{_quoted(ref)}']") is None:
                event = el.getparent()
                label = event.get("name") or event.get("id") or etree.QName(event).localname
                problems.append(
                    f"sự kiện '{label}': {attr} '{ref}' không trỏ tới phần tử <{kind}> nào "
                    "trong tệp"
                )
    return problems


def _quoted(value: str) -> str:
    return value.replace("'", "")


def identifier_problems(root: etree._Element, process: etree._Element) -> list[str]:
    """Lengths of the ids and names of the deployed process and of what it uses."""
    problems = _too_long("mã quy trình (process id)", process.get("id"), PROCESS_ID_MAX)
    problems += _too_long("tên quy trình", process.get("name"), MODEL_NAME_MAX)
    for el in process.iter():
        if not isinstance(el.tag, str) or el is process:
            continue
        qname = etree.QName(el)
        label = f"phần tử <{qname.localname}>"
        if qname.namespace == BPMN_NS and qname.localname in FLOW_NODES and not el.get("id"):
            # nothing can lead to it, and the engine names its tasks by their ids
            name = f" '{el.get('name')}'" if el.get("name") else ""
            problems.append(f"{label}{name} không có id")
        problems += _too_long(f"id của {label}", el.get("id"), ID_MAX)
        limit = LANE_MAX if qname.localname == "lane" else NAME_MAX
        if qname.namespace == BPMN_NS:
            problems += _too_long(f"tên của {label} '{el.get('id')}'", el.get("name"), limit)
        elif qname.namespace == TT_NS:
            problems += _tt_problems(qname.localname, el)
    for message in root.iter(f"{{{BPMN_NS}}}message"):
        problems += _too_long("tên thông điệp (message)", message.get("name"), MESSAGE_MAX)
        problems += _too_long("id thông điệp (message)", message.get("id"), ID_MAX)
    return problems


def _tt_problems(local: str, el: etree._Element) -> list[str]:
    if local == "form":
        return _too_long("mã biểu mẫu (tt:form)", el.get("ref"), ID_MAX)
    if local == "procedure":
        return _too_long("mã thủ tục (tt:procedure code)", el.get("code"), CODE_MAX)
    if local == "lane":
        return _too_long("vai trò làn (tt:lane role)", el.get("role"), LANE_MAX)
    if local == "component":
        return _too_long("mã thành phần hồ sơ", el.get("code"), COMPONENT_MAX) + _too_long(
            "loại giấy tờ (documentType)", el.get("documentType"), DOCUMENT_TYPE_MAX
        )
    return []


def procedure_problems(procedure: dict[str, Any], slug: str | None) -> list[str]:
    """Lengths of what ``procedure.json`` (and the slug) put in columns."""
    names = procedure.get("name") if isinstance(procedure.get("name"), dict) else {}
    result = procedure.get("result_document")
    document_type = result.get("document_type") if isinstance(result, dict) else None
    checks = [
        ("mã quy trình (slug)", slug, SLUG_MAX),
        ("mã thủ tục (code)", procedure.get("code"), CODE_MAX),
        ("mã quy trình (process_id)", procedure.get("process_id"), PROCESS_ID_MAX),
        ("tên thủ tục (name.vi)", names.get("vi"), MODEL_NAME_MAX),
        ("tên thủ tục (name.en)", names.get("en"), MODEL_NAME_MAX),
        ("cơ quan (agency)", procedure.get("agency"), AGENCY_MAX),
        ("loại giấy tờ kết quả (result_document.document_type)", document_type, DOCUMENT_TYPE_MAX),
    ]
    problems = []
    for what, value, limit in checks:
        if value is not None and not isinstance(value, str):
            problems.append(f"procedure.json: {what} phải là chuỗi")
        else:
            problems += [f"procedure.json: {p}" for p in _too_long(what, value, limit)]
    return problems


def call_cycles(spec: Any, subprocess_specs: dict[str, Any]) -> list[str]:
    """One problem per cycle among the processes the deployed one calls (itself
    included), naming the chain of call activities."""
    graph = nx.DiGraph()
    for process in [spec, *subprocess_specs.values()]:
        if process is None:
            continue
        graph.add_node(process.name)
        for task_spec in process.task_specs.values():
            if isinstance(task_spec, SubWorkflowTask) and task_spec.spec is not None:
                graph.add_edge(process.name, task_spec.spec, via=task_spec.bpmn_id)
    problems = []
    for component in nx.strongly_connected_components(graph):
        first = min(component)
        if len(component) == 1 and not graph.has_edge(first, first):
            continue
        cycle = nx.find_cycle(graph.subgraph(component), source=first)
        chain = " → ".join(f"{u} (gọi qua '{graph[u][v]['via']}')" for u, v in cycle)
        problems.append(
            f"quy trình gọi lại chính nó thành vòng: {chain} → {cycle[0][0]}; "
            "hồ sơ sẽ tạo quy trình con mãi không dừng"
        )
    return problems


def structure(root: etree._Element, process_id: str) -> tuple[list[str], list[str]]:
    """(refusals, warnings) of the simplifier's structural checks on the process."""
    try:
        found = _check(root, process_id)
    except ModelLoadError as err:
        return [], [f"không kiểm tra được cấu trúc quy trình: {err}"]
    except Exception:  # the simplifier is an analysis: never a reason for a crashed deploy
        log.exception("structural check of %s failed", process_id)
        return [], ["không kiểm tra được cấu trúc quy trình (lỗi của bộ phân tích)"]
    refusals, warnings = [], []
    for problem in found.problems:
        targets = list(problem.targets)
        listed = ", ".join(targets[:_MAX_LISTED]) + (" …" if len(targets) > _MAX_LISTED else "")
        line = f"{problem.message} [{problem.kind}: {listed}]"
        (refusals if problem.kind in REFUSING else warnings).append(line)
    return refusals, warnings


_FLOWS = ("sequenceFlow", "messageFlow", "association")


def _with_flow_ids(root: etree._Element) -> etree._Element:
    """The model with an id on every flow: BPMN makes ``id`` optional (Activiti's models
    omit it on sequence flows) and the simplifier keys flows by id, so flows without one
    fell together and their targets looked unreachable — 191 false refusals in the corpus
    of ``bench/bpmn_corpus.py``."""
    if all(el.get("id") for name in _FLOWS for el in root.iter(f"{{{BPMN_NS}}}{name}")):
        return root
    root = copy.deepcopy(root)
    for name in _FLOWS:
        for n, el in enumerate(root.iter(f"{{{BPMN_NS}}}{name}")):
            if not el.get("id"):
                el.set("id", f"{name}_{n}_tt")
    return root


def _check(root: etree._Element, process_id: str) -> Structure:
    pm = read_model(_with_flow_ids(root))
    graph = build_graph(pm)
    own = [n for n, data in graph.nodes(data=True) if data["node"].process == process_id]
    return check_structure(graph.subgraph(own).copy())
