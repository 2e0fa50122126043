"""The tolerant loader: many modelling tools in, clear errors for bad or hostile input."""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toantrinh.simplifier import ModelLoadError, analyse
from toantrinh.simplifier.graph import build_graph
from toantrinh.simplifier.load import MAX_BYTES, load

from .builders import catalogue, fixture

BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'


def test_camunda_modeler_file_with_camunda_extensions_and_di():
    pm = load(fixture("camunda.bpmn"))
    assert pm.exporter == "Camunda Modeler"
    assert pm.has_di
    assert pm.executable == ["Process_KhaiSinh"]
    assert pm.nodes["Activity_Nop"].form_fields == ("child_name", "father_name")
    assert "nguoi_dan" in pm.nodes["Activity_Nop"].hints
    assert pm.nodes["Activity_KiemTra"].inputs == ["DataObject_CCCD"]
    assert pm.data_objects["DataObject_CCCD"].refs == ["DataObjectReference_CCCD"]


def test_signavio_export_with_default_namespace_and_vendor_metadata():
    pm = load(fixture("signavio.bpmn"))
    assert pm.processes == {"sid-process": "Business licence"}
    assert [n.type for n in pm.nodes.values()].count("task") == 5
    assert len(pm.flows) == 6
    assert pm.data_objects["sid-do-brc"].name.startswith("Certified copy")


def test_collaboration_with_two_pools_and_message_flows():
    pm = load(fixture("collaboration.bpmn"))
    assert set(pm.processes) == {"Proc_Citizen", "Proc_Agency"}
    assert pm.participants == {"Part_Citizen": "Proc_Citizen", "Part_Agency": "Proc_Agency"}
    assert [m[0] for m in pm.message_flows] == ["MF_1", "MF_3", "MF_2"]  # MF_3 to a black-box pool
    assert pm.nodes["A_Sign"].lane == "Chủ tịch UBND xã"
    assert pm.nodes["A_Start"].event_definitions == ("message",)
    g = build_graph(pm)
    assert g.has_edge("C_Fill", "C_Send") and g.has_edge("A_Check", "A_Sign")
    a = analyse(fixture("collaboration.bpmn"), catalogue())
    assert a.steps["A_Sign"].actor == "leader"  # from its lane "Chủ tịch UBND xã"


def test_tasks_of_a_pool_without_lanes_take_their_actor_from_the_pool_name():
    xml = (
        f'<bpmn:definitions {BPMN}><bpmn:collaboration id="c">'
        '<bpmn:participant id="pa" name="Công an tỉnh" processRef="p"/></bpmn:collaboration>'
        '<bpmn:process id="p"><bpmn:userTask id="t" name="Xác minh nhân thân"/></bpmn:process>'
        "</bpmn:definitions>"
    )
    step = analyse(xml, catalogue()).steps["t"]
    assert (step.kind, step.actor) == ("appraise", "other_agency")


def test_sub_process_is_flattened_into_the_control_flow():
    pm = load(fixture("subprocess.bpmn"))
    assert pm.nodes["Sub_Handoff"].parent == "Sub_Appraise"
    g = build_graph(pm)
    assert "Sub_Appraise" not in g
    assert g.has_edge("T_Submit", "Sub_S")
    assert g.has_edge("Sub_E", "T_Sign")
    # the boundary timer hangs off the sub-process's work
    assert "B_Timer" in g and g.in_degree("B_Timer") == 1


def test_elements_spiffworkflow_cannot_execute_still_load_and_analyse():
    xml = (
        f'<bpmn:definitions {BPMN}><bpmn:process id="p" isExecutable="true">'
        '<bpmn:startEvent id="s"/><bpmn:complexGateway id="cg"/>'
        '<bpmn:callActivity id="ca" name="Thẩm định" calledElement="missing_process"/>'
        '<bpmn:adHocSubProcess id="ah" name="Xác minh"><bpmn:task id="ah_t" name="Kiểm tra thực địa"/>'
        "</bpmn:adHocSubProcess>"
        '<bpmn:scriptTask id="st" name="Tính phí"><bpmn:script>import os</bpmn:script></bpmn:scriptTask>'
        '<bpmn:endEvent id="e"/>'
        '<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="cg"/>'
        '<bpmn:sequenceFlow id="f2" sourceRef="cg" targetRef="ca"/>'
        '<bpmn:sequenceFlow id="f3" sourceRef="cg" targetRef="ah"/>'
        '<bpmn:sequenceFlow id="f4" sourceRef="ca" targetRef="st"/>'
        '<bpmn:sequenceFlow id="f5" sourceRef="ah" targetRef="st"/>'
        '<bpmn:sequenceFlow id="f6" sourceRef="st" targetRef="e"/>'
        "</bpmn:process></bpmn:definitions>"
    )
    a = analyse(xml, catalogue())
    assert a.steps["ca"].kind == "appraise" and a.steps["ah_t"].kind == "inspect"
    assert a.steps["st"].automated
    assert a.metrics_before.cfc == 2
    assert "ah_t" in load(a.rewritten_bpmn()).nodes


def test_sub_processes_nested_too_deeply_are_refused():
    inner = '<bpmn:task id="t"/>'
    for i in range(80):
        inner = f'<bpmn:subProcess id="sp{i}">{inner}</bpmn:subProcess>'
    with pytest.raises(ModelLoadError, match="lồng nhau quá"):
        load(
            f'<bpmn:definitions {BPMN}><bpmn:process id="p">{inner}</bpmn:process></bpmn:definitions>'
        )


def test_model_without_di_and_other_prefix_and_latin1_declaration():
    pm = load(fixture("nodi_ascii.bpmn"))
    assert not pm.has_di
    assert len([n for n in pm.nodes.values() if n.is_task]) == 7
    assert pm.data_objects["do1"].name == "So ho khau"


def test_text_input_with_an_encoding_declaration_is_accepted():
    text = fixture("nodi_ascii.bpmn").decode("latin-1")
    assert load(text).processes == {"Proc_Ascii": "Cap giay xac nhan tinh trang hon nhan"}


def test_unknown_annotation_values_become_warnings_not_errors():
    xml = (
        f'<bpmn:definitions {BPMN} xmlns:tt="urn:toantrinh:bpmn:1"><bpmn:process id="p">'
        '<bpmn:userTask id="t" name="Thẩm định"><bpmn:extensionElements>'
        '<tt:step kind="teleport" actor="robot" presence="maybe"/></bpmn:extensionElements></bpmn:userTask>'
        '<bpmn:sequenceFlow id="f" sourceRef="t" targetRef="nowhere"/></bpmn:process></bpmn:definitions>'
    )
    pm = load(xml)
    assert pm.nodes["t"].step == {}
    assert any("teleport" in w for w in pm.warnings)
    assert any("phần tử không tồn tại" in w for w in pm.warnings)


@pytest.mark.parametrize(
    "xml, message",
    [
        (b"", "rỗng"),
        (b"<bpmn:definitions", "well-formed"),
        (b"<a><b></a>", "well-formed"),
        (b"<html><body/></html>", "không phải <definitions> của BPMN 2.0"),
        (f"<bpmn:definitions {BPMN}/>".encode(), "không có <process>"),
        (b"\x00\xff\xfe garbage", "well-formed"),
    ],
)
def test_malformed_input_gets_a_clear_error(xml, message):
    with pytest.raises(ModelLoadError, match=message):
        load(xml)


def test_wrong_input_type_is_a_load_error():
    with pytest.raises(ModelLoadError, match="bytes hoặc str"):
        load(12345)  # type: ignore[arg-type]


def test_xxe_file_read_is_refused_and_the_file_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<bpmn:definitions {BPMN}><bpmn:process id="p" name="&x;"/></bpmn:definitions>'
    )
    with pytest.raises(ModelLoadError, match="DTD") as err:
        load(xml)
    assert "TOP-SECRET" not in str(err.value)


def test_xxe_hidden_in_utf16_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    xml = (
        f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<bpmn:definitions {BPMN}><bpmn:process id="p" name="&x;"/></bpmn:definitions>'
    )
    with pytest.raises(ModelLoadError) as err:
        load(xml.encode("utf-16"))
    assert "TOP-SECRET" not in str(err.value)


def test_billion_laughs_fails_fast():
    ents = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    ]
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(ents)}]>'
        f'<bpmn:definitions {BPMN}><bpmn:process id="p" name="&lol9;"/></bpmn:definitions>'
    )
    start = time.perf_counter()
    with pytest.raises(ModelLoadError):
        load(xml)
    assert time.perf_counter() - start < 1.0


def test_deep_nesting_fails_fast():
    depth = 100_000
    xml = f"<bpmn:definitions {BPMN}>" + "<a>" * depth + "</a>" * depth + "</bpmn:definitions>"
    start = time.perf_counter()
    with pytest.raises(ModelLoadError):
        load(xml)
    assert time.perf_counter() - start < 2.0


def test_huge_input_is_refused_before_parsing():
    with pytest.raises(ModelLoadError, match="quá lớn"):
        load(b" " * (MAX_BYTES + 1))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400)))
def test_loader_never_raises_anything_but_model_load_error(data):
    with contextlib.suppress(ModelLoadError):
        load(data)


_TYPES = [
    "task",
    "userTask",
    "serviceTask",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "subProcess",
    "boundaryEvent",
]
_LABELS = [
    "Tiếp nhận hồ sơ",
    "Tham dinh",
    "Ký số",
    "Chuyển hồ sơ",
    "Trả kết quả trực tiếp",
    "Nộp phí",
    "",
    "x&y",
]


@st.composite
def bpmn_models(draw):
    n = draw(st.integers(1, 12))
    ids = [f"n{i}" for i in range(n)]
    parts = []
    for i in ids:
        t = draw(st.sampled_from(_TYPES))
        name = draw(st.sampled_from(_LABELS)).replace("&", "&amp;")
        attached = f' attachedToRef="{draw(st.sampled_from(ids))}"' if t == "boundaryEvent" else ""
        parts.append(f'<bpmn:{t} id="{i}" name="{name}"{attached}/>')
    for j in range(draw(st.integers(0, 2 * n))):
        a, b = draw(st.sampled_from([*ids, "ghost"])), draw(st.sampled_from(ids))
        cond = (
            "<bpmn:conditionExpression>ok == True</bpmn:conditionExpression>"
            if draw(st.booleans())
            else ""
        )
        parts.append(
            f'<bpmn:sequenceFlow id="f{j}" sourceRef="{a}" targetRef="{b}">{cond}</bpmn:sequenceFlow>'
        )
    if draw(st.booleans()):
        parts.append(
            '<bpmn:dataObjectReference id="d1" name="Bản sao sổ hộ khẩu" dataObjectRef="do1"/>'
            '<bpmn:dataObject id="do1"/>'
        )
    return f'<bpmn:definitions {BPMN}><bpmn:process id="p" isExecutable="true">{"".join(parts)}</bpmn:process></bpmn:definitions>'


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(bpmn_models())
def test_whole_pipeline_survives_arbitrary_bpmn_structures(xml):
    a = analyse(xml, catalogue())
    out = a.rewritten_bpmn()
    after = load(out)
    assert after.processes.keys() == {"p"}
    # gateways and events are never removed
    kept = {i for i, n in a.pm.nodes.items() if n.is_gateway or n.is_event}
    assert kept <= set(after.nodes)
    # what SpiffWorkflow could build before, it can build after
    if _spiff_accepts(xml):
        assert _spiff_accepts(out)


def _spiff_accepts(xml: str) -> bool:
    from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

    parser = SpiffBpmnParser()
    try:
        parser.add_bpmn_str(xml.encode())
        parser.get_spec("p")
    except Exception:
        return False
    return True


_STEP_LABELS = [
    "Chuyển hồ sơ cho phòng chuyên môn",
    "Thẩm định hồ sơ",
    "Lãnh đạo phê duyệt",
    "Ký số",
    "Tiếp nhận hồ sơ trực tiếp",
    "Kiểm tra hồ sơ",
    "Trả kết quả",
    "Nộp lệ phí",
    "Tra cứu",
]


@st.composite
def structured_models(draw):
    """start → blocks → end; a block is a task, or an exclusive/parallel diamond of tasks."""
    parts, flows, counter = ['<bpmn:startEvent id="s"/>'], [], [0]

    def new_task():
        counter[0] += 1
        tid = f"t{counter[0]}"
        parts.append(f'<bpmn:userTask id="{tid}" name="{draw(st.sampled_from(_STEP_LABELS))}"/>')
        return tid

    prev = "s"
    for b in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            t = new_task()
            flows.append((prev, t, None))
            prev = t
        else:
            kind = draw(st.sampled_from(["exclusive", "parallel"]))
            parts += [f'<bpmn:{kind}Gateway id="g{b}s"/>', f'<bpmn:{kind}Gateway id="g{b}j"/>']
            flows.append((prev, f"g{b}s", None))
            for k in range(2):
                first = new_task()
                cond = f"x == {k}" if kind == "exclusive" else None
                flows.append((f"g{b}s", first, cond))
                last = first
                if draw(st.booleans()):
                    last = new_task()
                    flows.append((first, last, None))
                flows.append((last, f"g{b}j", None))
            prev = f"g{b}j"
    parts.append('<bpmn:endEvent id="e"/>')
    flows.append((prev, "e", None))
    body = "".join(parts) + "".join(
        f'<bpmn:sequenceFlow id="f{i}" sourceRef="{a}" targetRef="{b}">'
        + (f"<bpmn:conditionExpression>{c}</bpmn:conditionExpression>" if c else "")
        + "</bpmn:sequenceFlow>"
        for i, (a, b, c) in enumerate(flows)
    )
    return f'<bpmn:definitions {BPMN}><bpmn:process id="p" isExecutable="true">{body}</bpmn:process></bpmn:definitions>'


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(structured_models())
def test_rewrite_of_structured_models_stays_executable_and_only_drops_planned_steps(xml):
    assert _spiff_accepts(xml)
    a = analyse(xml, catalogue())
    out = a.rewritten_bpmn()
    assert _spiff_accepts(out)
    before, after = a.pm, load(out)
    assert set(before.nodes) - set(after.nodes) == set(a.plan.remove_tasks)
    assert a.structure.sound and analyse(out, catalogue()).structure.sound
