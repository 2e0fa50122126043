"""Drafting a model from a read record: the one-stop pattern, ids, DI, procedure.json."""

from __future__ import annotations

import json

import jsonschema
import pytest
from lxml import etree

from tests.catalogue.records import (
    FLAT_CHANNELS,
    FLAT_MARRIAGE,
    FLAT_PERMIT,
    FLAT_RESIDENCE,
    STRUCTURED,
)
from tests.conftest import ROOT
from toantrinh.simplifier import analyse
from toantrinh.simplifier.records import draft, import_record, read_record

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "tt": "urn:toantrinh:bpmn:1",
}
RECORDS = [FLAT_PERMIT, FLAT_RESIDENCE, FLAT_MARRIAGE, STRUCTURED, FLAT_CHANNELS]
IDS = ["permit", "residence", "marriage", "structured", "channels"]


def _draft(raw, vocab, catalogue):
    d = draft(read_record(raw, vocab), catalogue)
    return d, etree.fromstring(d.bpmn.encode())


def _flows(root) -> set[tuple[str, str]]:
    return {
        (f.get("sourceRef"), f.get("targetRef")) for f in root.iterfind(".//bpmn:sequenceFlow", NS)
    }


def test_steps_become_tasks_in_the_lanes_of_their_actors(vocab, catalogue):
    d, root = _draft(FLAT_PERMIT, vocab, catalogue)
    lanes = {
        lane.find("bpmn:extensionElements/tt:lane", NS).get("role"): {
            r.text for r in lane.iterfind("bpmn:flowNodeRef", NS)
        }
        for lane in root.iterfind(".//bpmn:lane", NS)
    }
    assert {"Step_0", "Step_4", "Task_Pay", "Task_Supplement"} <= lanes["citizen"]
    assert "Step_1" in lanes["one_stop_desk"]
    assert "Step_2" in lanes["specialist"] and "Step_3" in lanes["leader"]
    assert d.steps == {i: f"Step_{i}" for i in range(5)}
    step2 = root.find(".//bpmn:userTask[@id='Step_2']/bpmn:extensionElements/tt:step", NS)
    assert step2.get("presence") == "required_by_law" and step2.get("kind") == "inspect"


def test_supplement_loop_refusal_branch_payment_and_result(vocab, catalogue):
    d, root = _draft(FLAT_PERMIT, vocab, catalogue)
    flows = _flows(root)
    assert {
        ("Gateway_Resubmit", "Step_1"),
        ("Step_1", "Gateway_Valid"),
        ("Gateway_Valid", "Task_Supplement"),
        ("Task_Supplement", "Gateway_Resubmit"),
        ("Gateway_Valid", "Task_Pay"),
        ("Task_Pay", "Step_2"),
        ("Step_2", "Gateway_Approved"),
        ("Gateway_Approved", "Task_Refused"),
        ("Gateway_Approved", "Step_3"),
        ("Task_Result", "End_Done"),
    } <= flows
    conditions = {
        f.get("targetRef"): f.findtext("bpmn:conditionExpression", namespaces=NS)
        for f in root.iterfind(".//bpmn:sequenceFlow", NS)
    }
    assert conditions["Task_Supplement"] == 'intake_decision == "supplement"'
    assert conditions["Step_3"] == 'decision == "approve"'
    forms = {
        t.get("id"): t.find("bpmn:extensionElements/tt:form", NS).get("ref")
        for t in root.iterfind(".//bpmn:userTask", NS)
        if t.find("bpmn:extensionElements/tt:form", NS) is not None
    }
    assert forms["Step_1"] == "tiep-nhan-ho-so" and forms["Step_2"] == "tham-dinh-ho-so"
    assert forms["Task_Pay"] == "thanh-toan-le-phi"
    assert "Nộp phí, lệ phí trực tuyến (có phí trong bản ghi)" in d.added


def test_statutory_time_becomes_a_non_interrupting_deadline_timer(vocab, catalogue):
    _, root = _draft(FLAT_PERMIT, vocab, catalogue)
    timer = root.find(".//bpmn:boundaryEvent", NS)
    assert timer.get("attachedToRef") == "Step_2" and timer.get("cancelActivity") == "false"
    assert timer.findtext(".//bpmn:timeDuration", namespaces=NS) == '"P7D"'
    assert ("Timer_Deadline", "Task_Apology") in _flows(root)


def test_the_pattern_adds_what_the_record_leaves_out(vocab, catalogue):
    d, root = _draft(STRUCTURED, vocab, catalogue)
    assert d.added[0].startswith("Tiếp nhận")
    flows = _flows(root)
    assert ("Step_0", "Task_Receive") in flows  # no reception in the record: the desk's
    assert ("Step_1", "Gateway_Approved") in flows  # refusal read in step 1
    d, root = _draft(FLAT_RESIDENCE, vocab, catalogue)
    assert root.find(".//bpmn:boundaryEvent", NS) is None  # no time read: no timer
    assert root.find(".//bpmn:userTask[@id='Task_Pay']", NS) is None  # free


def test_components_are_annotated_data_objects_read_by_the_reception(vocab, catalogue):
    d, root = _draft(FLAT_PERMIT, vocab, catalogue)
    assert d.components[7] is None  # the note row is not a document
    comps = {
        r.get("id"): r.find("bpmn:extensionElements/tt:component", NS)
        for r in root.iterfind(".//bpmn:dataObjectReference", NS)
    }
    assert comps["Component_1"].get("documentType") == "identity_card"
    assert comps["Component_1"].get("copy") == "copy"
    assert comps["Component_3"].get("documentType") == "foreign_document"
    assert comps["Component_8"].get("required") == "false"  # a case: "cơ sở có chi nhánh"
    assert "CSDL giữ dữ liệu: population" in comps["Component_1"].get("note")
    assert "mẫu: Mẫu TP-01.docx" in comps["Component_0"].get("note")
    reads = {
        a.findtext("bpmn:sourceRef", namespaces=NS)
        for a in root.iterfind(".//bpmn:userTask[@id='Step_1']/bpmn:dataInputAssociation", NS)
    }
    assert reads == {f"Component_{i}" for i in (0, 1, 2, 3, 4, 5, 6, 8)}


@pytest.mark.parametrize("raw", RECORDS, ids=IDS)
def test_every_element_has_diagram_interchange(vocab, catalogue, raw):
    _, root = _draft(raw, vocab, catalogue)
    shapes = {s.get("bpmnElement") for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement") for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    proc = root.find("bpmn:process", NS)
    nodes = {
        el.get("id")
        for el in proc
        if el.get("id")
        and etree.QName(el).localname
        not in ("sequenceFlow", "dataObject", "laneSet", "extensionElements")
    }
    assert nodes <= shapes
    assert {f.get("id") for f in proc.iterfind("bpmn:sequenceFlow", NS)} <= edges
    assert {a.get("id") for a in proc.iterfind(".//bpmn:dataInputAssociation", NS)} <= edges
    assert {lane.get("id") for lane in proc.iterfind(".//bpmn:lane", NS)} <= shapes


@pytest.mark.parametrize("raw", RECORDS, ids=IDS)
def test_the_simplifier_loads_a_sound_draft_and_procedure_json_keeps_the_contract(
    vocab, catalogue, registries, raw
):
    imported = import_record(raw, vocab, catalogue)
    procedure = json.loads(imported.files["procedure.json"])
    schema = json.loads((ROOT / "process_models" / "procedure.schema.json").read_text())
    jsonschema.validate(procedure, schema)
    assert procedure["bpmn"] in imported.files
    a = analyse(imported.files[procedure["bpmn"]], registries, procedure=procedure)
    assert a.structure.sound, [p.as_dict() for p in a.structure.problems]
    assert a.procedure_code == procedure["code"] == raw.get("ma_thu_tuc", raw.get("Mã thủ tục"))
    assert "review.md" in imported.files and "record.json" in imported.files


def test_procedure_json_says_what_the_record_did_not_publish(vocab, catalogue):
    procedure = json.loads(import_record(FLAT_RESIDENCE, vocab, catalogue).files["procedure.json"])
    assert procedure["processing_time"]["days"] is None
    assert "không nêu" in procedure["processing_time"]["source"]
    assert procedure["annual_volume"] == {
        "dossiers": None,
        "estimate": True,
        "source": "Bản ghi không nêu số hồ sơ/năm; cần số liệu của Hệ thống thông tin giải "
        "quyết TTHC",
    }
    assert procedure["agency"] == "Ủy ban nhân dân cấp xã"
    assert procedure["catalogue"]["results"] == [
        {"name": "Giấy xác nhận thông tin về cư trú", "code": "KQ.G09.999002"}
    ]


def test_review_notes_list_what_to_check(vocab, catalogue):
    review = import_record(FLAT_RESIDENCE, vocab, catalogue).files["review.md"]
    assert "cấp huyện" in review  # the district agency rewritten
    assert "thu nhận vân tay" in review  # presence by law, to confirm
    assert "không có đơn vị" in review  # the unitless time


def test_submission_channels_are_alternatives_in_one_task_never_a_sequence(vocab, catalogue):
    d, root = _draft(FLAT_CHANNELS, vocab, catalogue)
    # the in-person, online (with its continuation line) and postal submissions: one task
    assert d.steps == {0: "Step_0", 1: "Step_0", 2: "Step_0", 3: "Step_0", 4: "Step_4", 5: "Step_5"}
    assert d.alternatives == {1: 0, 2: 0, 3: 0}
    tasks = {t.get("id"): t for t in root.iterfind(".//bpmn:userTask", NS)}
    assert not {"Step_1", "Step_2", "Step_3"} & set(tasks)
    assert tasks["Step_0"].get("name") == "Nộp hồ sơ (trực tiếp, trực tuyến, qua bưu chính)"
    doc = tasks["Step_0"].find("bpmn:documentation", NS).text
    assert "trực tiếp" in doc and "bưu chính" in doc
    flows = _flows(root)
    assert not any(s == "Step_0" and t in ("Step_1", "Step_2", "Step_3") for s, t in flows)
    assert any(s == "Step_0" for s, t in flows)


def test_each_channel_alternative_keeps_its_own_verdict(vocab, catalogue, registries):
    imported = import_record(FLAT_CHANNELS, vocab, catalogue)
    reading = json.loads(imported.files["record.json"])
    from toantrinh.simplifier.records import assess, registry_hints

    entry = assess(
        imported.files[f"{imported.code}.bpmn"],
        json.loads(imported.files["procedure.json"]),
        reading,
        registries,
        registry_hints(vocab),
    )
    verdicts = {s["source_index"]: s["verdict"] for s in entry["steps"]}
    assert [verdicts[i] for i in range(4)] == ["online"] * 4


def test_review_notes_say_channels_were_joined_and_who_applies(vocab, catalogue):
    text = import_record(FLAT_CHANNELS, vocab, catalogue).files["review.md"]
    assert "gộp thành một tác vụ: Step_0" in text and "(hình thức khác)" in text
    foreign = {**FLAT_CHANNELS, "doi_tuong_thuc_hien": "Công dân Việt Nam, Người nước ngoài"}
    assert "người nước ngoài" in import_record(foreign, vocab, catalogue).files["review.md"]
