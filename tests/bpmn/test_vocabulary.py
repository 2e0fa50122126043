"""The tt: vocabulary and its reader, shared by the engine, the simplifier and the pages."""

from __future__ import annotations

from lxml import etree

from toantrinh.bpmn import annotations as tt
from toantrinh.bpmn.vocabulary import ACTORS, STEP_KINDS, label, label_pairs, labels
from toantrinh.web.i18n import MESSAGES

TT = 'xmlns:tt="urn:toantrinh:bpmn:1"'


def test_every_value_has_a_vietnamese_and_an_english_label():
    for group in ("step_kinds", "actors", "presence", "copy_forms"):
        for value, (vi, en) in label_pairs(group).items():
            assert vi and en and vi != value, (group, value)


def test_the_web_pages_show_the_shared_labels():
    for kind in STEP_KINDS:
        assert MESSAGES["vi"][f"kind.{kind}"] == label("step_kinds", kind)
        assert MESSAGES["en"][f"kind.{kind}"] == label("step_kinds", kind, "en")
    for actor in ACTORS:
        assert MESSAGES["vi"][f"actor.{actor}"] == labels("actors")[actor]


def test_step_annotation_is_normalised_and_its_problems_reported():
    task = etree.fromstring(
        f'<userTask {TT}><extensionElements><tt:step kind="Hand-off" actor="robot" '
        'presence="required_by_law" legalBasis=" Điều 16 "/><tt:form ref="f1"/>'
        "</extensionElements></userTask>"
    )
    notes = tt.read_task(task)
    assert notes.step == {"kind": "handoff", "presence": "required_by_law", "legalBasis": "Điều 16"}
    assert notes.form == "f1"
    assert [(p.attribute, p.value) for p in notes.problems] == [("actor", "robot")]
    assert "robot" in notes.problems[0].message()


def test_component_lane_and_procedure_code_are_read():
    do = etree.fromstring(
        f'<dataObjectReference {TT}><extensionElements><tt:component code="c" '
        'documentType="identity_card" copy="copy"><tt:field name="full_name"/>'
        '<tt:field name="identity_number"/></tt:component></extensionElements></dataObjectReference>'
    )
    assert tt.read_component(do) == {
        "code": "c",
        "documentType": "identity_card",
        "copy": "copy",
        "fields": ["full_name", "identity_number"],
    }
    lane = etree.fromstring(
        f'<lane {TT}><extensionElements><tt:lane role="leader" label="Chủ tịch"/>'
        "</extensionElements></lane>"
    )
    assert tt.read_lane(lane) == ("leader", "Chủ tịch")
    bad = etree.fromstring(
        f'<lane {TT}><extensionElements><tt:lane role="boss"/></extensionElements></lane>'
    )
    assert tt.read_lane(bad) == (None, None)
    proc = etree.fromstring(
        f'<process {TT}><extensionElements><tt:procedure code="2.000505"/></extensionElements>'
        "</process>"
    )
    assert tt.read_procedure_code(proc) == "2.000505"
