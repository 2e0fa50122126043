"""The rewritten model: valid BPMN with DI, parsed by SpiffWorkflow, behaviour-preserving edits."""

from __future__ import annotations

import pytest
from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import XSD_PATH, BpmnValidator
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from toantrinh.simplifier import analyse
from toantrinh.simplifier.load import BPMNDI_NS, SPIFF_NS, TT_NS, load
from toantrinh.simplifier.rewrite import layout_di

from .builders import PROCEDURE, catalogue, component, fixture, fixture_forms, linear, model, task

FIXTURES = [
    "ltp.bpmn",
    "camunda.bpmn",
    "signavio.bpmn",
    "collaboration.bpmn",
    "subprocess.bpmn",
    "nodi_ascii.bpmn",
]
DRAWN = {
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "boundaryEvent",
    "task",
    "userTask",
    "manualTask",
    "serviceTask",
    "scriptTask",
    "businessRuleTask",
    "sendTask",
    "receiveTask",
    "callActivity",
    "subProcess",
    "exclusiveGateway",
    "inclusiveGateway",
    "parallelGateway",
    "eventBasedGateway",
    "sequenceFlow",
    "dataObjectReference",
    "dataStoreReference",
    "lane",
    "participant",
    "messageFlow",
    "dataInputAssociation",
    "dataOutputAssociation",
    "textAnnotation",
    "association",
}


def analysed(name: str):
    return analyse(
        fixture(name), catalogue(), PROCEDURE if name == "ltp.bpmn" else None, fixture_forms()
    )


def local(el) -> str:
    return etree.QName(el).localname


@pytest.fixture(scope="module", params=FIXTURES)
def rewritten(request):
    a = analysed(request.param)
    return a, a.rewritten_bpmn()


def test_spiffworkflow_parses_every_process_of_the_rewritten_model(rewritten):
    a, xml = rewritten
    parser = SpiffBpmnParser(validator=BpmnValidator())
    parser.add_bpmn_str(xml.encode())
    assert set(parser.process_parsers) == set(a.pm.processes)
    for pid in a.pm.executable:  # SpiffWorkflow builds specs of executable processes only
        spec = parser.get_spec(pid)
        kept = {t for t, n in a.pm.nodes.items() if n.process == pid and n.parent is None} - set(
            a.plan.remove_tasks
        )
        assert kept <= set(spec.task_specs)


def test_di_covers_every_element_and_points_at_real_ones(rewritten):
    _a, xml = rewritten
    root = etree.fromstring(xml.encode())
    ids = {
        el.get("id"): local(el) for el in root.iter() if isinstance(el.tag, str) and el.get("id")
    }
    drawn = [
        el.get("bpmnElement")
        for el in root.iter(f"{{{BPMNDI_NS}}}BPMNShape", f"{{{BPMNDI_NS}}}BPMNEdge")
    ]
    assert len(drawn) == len(set(drawn)), "an element is drawn twice"
    should = {i for i, name in ids.items() if name in DRAWN}
    assert should - set(drawn) == set()
    assert set(drawn) <= set(ids)
    planes = {p.get("bpmnElement") for p in root.iter(f"{{{BPMNDI_NS}}}BPMNPlane")}
    assert {i for i, n in ids.items() if n == "subProcess"} <= planes


def test_removed_steps_are_gone_and_their_neighbours_rewired():
    a = analysed("ltp.bpmn")
    assert {"Task_Compare", "Task_Handoff", "Task_Approve"} <= set(a.plan.remove_tasks)
    pm = load(a.rewritten_bpmn())
    assert not set(a.plan.remove_tasks) & set(pm.nodes)
    edges = {(f.source, f.target) for f in pm.flows.values()}
    assert ("Task_Receive", "Task_Verify") in edges  # Task_Compare was between them
    assert (
        "Gateway_Join_Task_Police",
        "Task_Sign",
    ) in edges  # Task_Approve was before the signature
    assert {"DO_CCCD", "DO_HK"}.isdisjoint(pm.data_objects)


def test_gateways_events_and_deciding_steps_are_kept():
    a = analysed("ltp.bpmn")
    before, after = a.pm, load(a.rewritten_bpmn())
    for nid, node in before.nodes.items():
        if node.is_gateway or node.is_event:
            assert nid in after.nodes
    assert "Task_Verify" in after.nodes  # writes dossier_valid, read by Gateway_Valid


def test_extension_elements_of_kept_elements_are_kept():
    a = analysed("ltp.bpmn")
    out = etree.fromstring(a.rewritten_bpmn().encode())
    src = etree.fromstring(fixture("ltp.bpmn"))

    def steps(root):
        return {
            el.getparent().getparent().get("id"): dict(el.attrib)
            for el in root.iter(f"{{{TT_NS}}}step")
        }

    old, new = steps(src), steps(out)
    for tid, attrs in old.items():
        if tid in a.plan.remove_tasks:
            continue
        expected = dict(attrs, presence="none") if tid in a.plan.online_steps else attrs
        assert new[tid] == expected
    assert out.find(f".//{{{TT_NS}}}procedure").get("code") == "2.000505"
    ops = [el.get("id") for el in out.iter(f"{{{SPIFF_NS}}}serviceTaskOperator")]
    # the business certificate waits for its registry's scope: no warehouse lookup stands in
    assert sorted(ops) == ["population.lookup"]


def test_spiffworkflow_extensions_survive_the_rewrite():
    op = (
        '<bpmn:serviceTask id="Svc" name="Lấy thông tin"><bpmn:extensionElements>'
        '<spiffworkflow:serviceTaskOperator id="population.lookup" resultVariable="citizen">'
        '<spiffworkflow:parameters><spiffworkflow:parameter id="identity_number" type="str" value="applicant_id"/>'
        "</spiffworkflow:parameters></spiffworkflow:serviceTaskOperator></bpmn:extensionElements></bpmn:serviceTask>"
    )
    xml = linear(op, task("H", "Chuyển hồ sơ", "handoff"), ids=("Svc", "H")).replace(
        "xmlns:tt=", 'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" xmlns:tt='
    )
    out = analyse(xml, catalogue()).rewritten_bpmn()
    root = etree.fromstring(out.encode())
    (el,) = root.iter(f"{{{SPIFF_NS}}}serviceTaskOperator")
    assert el.get("resultVariable") == "citizen" and el.getparent().getparent().get("id") == "Svc"
    assert "H" not in load(out).nodes


def test_rewritten_model_scores_like_the_predicted_after_state(rewritten):
    a, xml = rewritten
    again = analyse(xml, catalogue(), a.procedure, a.forms)
    for key in ("steps", "components", "visits", "on_site_checks"):
        assert getattr(again.before, key) == getattr(a.after, key), key
    assert again.before.critical_path_min == pytest.approx(a.after.critical_path_min)
    assert again.before.readiness.criteria == a.after.readiness.criteria


def test_layout_gives_a_model_without_di_a_diagram_for_each_process():
    root = etree.fromstring(fixture("collaboration.bpmn"))
    layout_di(root)
    planes = [p.get("bpmnElement") for p in root.iter(f"{{{BPMNDI_NS}}}BPMNPlane")]
    assert planes == ["Collab_1"]
    bounds = {s.get("bpmnElement"): s[0] for s in root.iter(f"{{{BPMNDI_NS}}}BPMNShape")}
    # left to right: each step lies right of the one before it
    xs = [float(bounds[i].get("x")) for i in ("C_Start", "C_Fill", "C_Send", "C_Wait", "C_End")]
    assert xs == sorted(xs)
    # pools do not overlap
    c, a = bounds["Part_Citizen"], bounds["Part_Agency"]
    assert float(c.get("y")) + float(c.get("height")) <= float(a.get("y"))


def test_parallelised_steps_get_a_split_and_join_that_spiffworkflow_accepts():
    forms = {"f1": {"properties": {"a": {}}}, "f2": {"properties": {"b": {}}}}
    xml = linear(
        task("L", "Tra cứu", "appraise", "specialist", form="f1"),
        task("Pol", "Xác minh", "appraise", "other_agency", form="f2"),
        ids=("L", "Pol"),
    )
    out = analyse(xml, catalogue(), forms=forms).rewritten_bpmn()
    pm = load(out)
    gws = [n for n in pm.nodes.values() if n.type == "parallelGateway"]
    assert len(gws) == 2
    edges = {(f.source, f.target) for f in pm.flows.values()}
    split, join = sorted(g.id for g in gws)[::-1]
    assert {(split, "L"), (split, "Pol"), ("L", join), ("Pol", join)} <= edges
    parser = SpiffBpmnParser(validator=BpmnValidator())
    parser.add_bpmn_str(out.encode())
    assert {"L", "Pol", split, join} <= set(parser.get_spec("P").task_specs)


def test_step_with_several_incoming_flows_is_reported_not_rewired():
    elements = [
        '<bpmn:startEvent id="S"/>',
        '<bpmn:exclusiveGateway id="X"/>',
        task("A", "Thẩm định", "appraise"),
        task("H", "Chuyển hồ sơ", "handoff"),
        '<bpmn:endEvent id="E"/>',
    ]
    flows = [("S", "X"), ("X", "A", "ok"), ("X", "H", "not ok"), ("A", "H"), ("H", "E")]
    a = analyse(model(elements, flows), catalogue())
    f = next(f for f in a.findings if f.rule == "handoff_steps")
    assert f.status == "advisory" and "H" not in a.plan.remove_tasks
    assert "H" in load(a.rewritten_bpmn()).nodes


def test_steps_exchanging_messages_or_annotated_keep_the_model_consistent():
    xml = (
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:tt="urn:toantrinh:bpmn:1" id="D" targetNamespace="http://example.org">'
        '<bpmn:collaboration id="C"><bpmn:participant id="PA" processRef="P"/>'
        '<bpmn:participant id="PB" name="Công an"/>'
        '<bpmn:messageFlow id="M" sourceRef="H1" targetRef="PB"/></bpmn:collaboration>'
        '<bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="S"/>'
        + task("H1", "Chuyển hồ sơ sang Công an", "handoff")
        + task("H2", "Chuyển hồ sơ cho lãnh đạo", "handoff")
        + '<bpmn:endEvent id="E"/>'
        '<bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="H1"/>'
        '<bpmn:sequenceFlow id="F2" sourceRef="H1" targetRef="H2"/>'
        '<bpmn:sequenceFlow id="F3" sourceRef="H2" targetRef="E"/>'
        '<bpmn:textAnnotation id="TA"><bpmn:text>Ghi chú</bpmn:text></bpmn:textAnnotation>'
        '<bpmn:association id="AS" sourceRef="H2" targetRef="TA"/>'
        "</bpmn:process></bpmn:definitions>"
    )
    a = analyse(xml, catalogue())
    assert a.plan.remove_tasks == ["H2"]  # H1 sends a message to another pool: kept
    out = a.rewritten_bpmn()
    root = etree.fromstring(out.encode())
    ids = {el.get("id") for el in root.iter() if isinstance(el.tag, str)}
    assert "H1" in ids and "H2" not in ids and "AS" not in ids and "TA" in ids
    parser = SpiffBpmnParser(validator=BpmnValidator())
    parser.add_bpmn_str(out.encode())
    parser.get_spec("P")


def test_lanes_of_a_process_without_pool_get_a_pool_so_bpmn_js_draws_them():
    a = analysed("ltp.bpmn")  # lanes, no collaboration
    root = etree.fromstring(a.rewritten_bpmn().encode())
    (collab,) = [el for el in root if local(el) == "collaboration"]
    (part,) = [el for el in collab if local(el) == "participant"]
    assert part.get("processRef") == "ly_lich_tu_phap"
    (plane,) = [
        p
        for p in root.iter(f"{{{BPMNDI_NS}}}BPMNPlane")
        if p.get("bpmnElement") == collab.get("id")
    ]
    shapes = {s.get("bpmnElement"): s[0] for s in plane.iter(f"{{{BPMNDI_NS}}}BPMNShape")}
    pool, lane = shapes[part.get("id")], shapes["Lane_Desk"]
    assert float(pool.get("x")) < float(lane.get("x"))
    assert float(lane.get("y")) + float(lane.get("height")) <= float(pool.get("y")) + float(
        pool.get("height")
    )


def test_work_after_a_boundary_event_is_laid_out_after_its_host():
    root = etree.fromstring(fixture("subprocess.bpmn"))
    layout_di(root)
    x = {s.get("bpmnElement"): float(s[0].get("x")) for s in root.iter(f"{{{BPMNDI_NS}}}BPMNShape")}
    assert x["Sub_Appraise"] < x["B_Timer"] < x["T_Apology"] < x["E_Late"]


def test_sequence_flow_edges_start_and_end_on_their_shapes(rewritten):
    _a, xml = rewritten
    root = etree.fromstring(xml.encode())
    flows = {
        el.get("id"): el
        for el in root.iter()
        if isinstance(el.tag, str) and local(el) == "sequenceFlow"
    }
    for plane in root.iter(f"{{{BPMNDI_NS}}}BPMNPlane"):
        bounds = {
            s.get("bpmnElement"): tuple(float(s[0].get(k)) for k in ("x", "y", "width", "height"))
            for s in plane.iter(f"{{{BPMNDI_NS}}}BPMNShape")
        }

        def on_edge(point, box):
            x, y = point
            bx, by, bw, bh = box
            inside = bx - 1 <= x <= bx + bw + 1 and by - 1 <= y <= by + bh + 1
            border = min(abs(x - bx), abs(x - bx - bw), abs(y - by), abs(y - by - bh)) <= 1
            return inside and border

        for edge in plane.iter(f"{{{BPMNDI_NS}}}BPMNEdge"):
            flow = flows.get(edge.get("bpmnElement"))
            if flow is None:
                continue
            points = [(float(p.get("x")), float(p.get("y"))) for p in edge]
            assert len(points) >= 2
            assert on_edge(points[0], bounds[flow.get("sourceRef")]), flow.get("id")
            assert on_edge(points[-1], bounds[flow.get("targetRef")]), flow.get("id")


# ---------------------------------------------------------------- layout (issue 28, 12)

XSD = etree.XMLSchema(etree.parse(XSD_PATH))  # the OMG schema SpiffWorkflow ships


def xsd_valid(xml: str) -> None:
    doc = etree.fromstring(xml.encode())
    assert XSD.validate(doc), XSD.error_log.last_error


def shapes(xml: str) -> dict[str, tuple[float, ...]]:
    root = etree.fromstring(xml.encode())
    return {
        s.get("bpmnElement"): tuple(float(s[0].get(k)) for k in ("x", "y", "width", "height"))
        for s in root.iter(f"{{{BPMNDI_NS}}}BPMNShape")
    }


def overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def with_di(xml: str) -> str:
    """The same model with a full diagram of its own (as a modeller would have saved it)."""
    root = etree.fromstring(xml.encode())
    layout_di(root)
    return etree.tostring(root, encoding="unicode")


def test_the_source_layout_of_kept_elements_is_kept():
    src = with_di(
        linear(
            task("R", "Tiếp nhận", "receive", "one_stop_desk"),
            task("H", "Chuyển hồ sơ", "handoff", "one_stop_desk"),
            task("A", "Thẩm định", "appraise", "specialist"),
            ids=("R", "H", "A"),
        )
    )
    a = analyse(src, catalogue())
    assert a.plan.remove_tasks == ["H"]
    out = a.rewritten_bpmn()
    before, after = shapes(src), shapes(out)
    assert "H" not in after
    assert {k: v for k, v in before.items() if k != "H"} == after  # nothing moved
    root = etree.fromstring(out.encode())
    (rewired,) = [
        f for f in root.iter() if local(f) == "sequenceFlow" and f.get("targetRef") == "A"
    ]
    edge = next(
        e
        for e in root.iter(f"{{{BPMNDI_NS}}}BPMNEdge")
        if e.get("bpmnElement") == rewired.get("id")
    )
    first, last = edge[0], edge[-1]
    assert float(first.get("x")) == after["R"][0] + after["R"][2]  # leaves R, not H
    assert float(last.get("x")) == after["A"][0]
    xsd_valid(out)


def test_an_inserted_lookup_is_placed_by_graphviz_and_room_is_made_for_it():
    src = with_di(
        linear(
            task("T", "Kê khai", "submit", "citizen", reads=("C",)),
            task("A", "Thẩm định", "appraise", "specialist"),
            ids=("T", "A"),
            extra=(component("C", "Bản sao CCCD", "identity_card", "copy"),),
        )
    )
    a = analyse(src, catalogue())
    assert a.plan.fetch == {"population": "P"}
    out = a.rewritten_bpmn()
    before, after = shapes(src), shapes(out)
    (new,) = set(after) - set(before)
    assert new.startswith("Task_Fetch_population")
    assert all(not overlap(after[new], box) for k, box in after.items() if k != new)
    assert after["S"] == before["S"]  # left of the insertion: unchanged
    dx = after["T"][0] - before["T"][0]
    assert dx > 0 and all(after[k][0] - before[k][0] == dx for k in ("T", "A", "E"))
    assert after[new][1] + after[new][3] / 2 == before["S"][1] + before["S"][3] / 2  # on the line
    xsd_valid(out)


def test_message_flows_pools_groups_and_annotations_are_kept():
    xml = (
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:tt="urn:toantrinh:bpmn:1" id="D" targetNamespace="http://example.org">'
        '<bpmn:category id="Cat"><bpmn:categoryValue id="CV" value="Một cửa"/></bpmn:category>'
        '<bpmn:collaboration id="C"><bpmn:participant id="PA" name="UBND xã" processRef="P"/>'
        '<bpmn:participant id="PB" name="Công an"/>'
        '<bpmn:messageFlow id="M" sourceRef="A" targetRef="PB"/></bpmn:collaboration>'
        '<bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="S"/>'
        + task("H", "Chuyển hồ sơ", "handoff", "one_stop_desk")
        + task("A", "Thẩm định", "appraise", "specialist")
        + '<bpmn:endEvent id="E"/>'
        '<bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="H"/>'
        '<bpmn:sequenceFlow id="F2" sourceRef="H" targetRef="A"/>'
        '<bpmn:sequenceFlow id="F3" sourceRef="A" targetRef="E"/>'
        '<bpmn:textAnnotation id="TA"><bpmn:text>Ghi chú</bpmn:text></bpmn:textAnnotation>'
        '<bpmn:association id="AS" sourceRef="A" targetRef="TA"/>'
        '<bpmn:group id="G" categoryValueRef="CV"/>'
        "</bpmn:process>"
        '<bpmn:relationship id="Rel" type="trace"><bpmn:source>A</bpmn:source>'
        "<bpmn:target>S</bpmn:target></bpmn:relationship></bpmn:definitions>"
    )
    out = analyse(with_di(xml), catalogue()).rewritten_bpmn()
    after = shapes(out)
    assert {"PA", "PB", "TA", "G", "A"} <= set(after) and "H" not in after
    root = etree.fromstring(out.encode())
    edges = {e.get("bpmnElement") for e in root.iter(f"{{{BPMNDI_NS}}}BPMNEdge")}
    assert {"M", "AS"} <= edges
    children = [local(c) for c in root]
    assert children.index("BPMNDiagram") < children.index("relationship")  # the XSD's order
    xsd_valid(out)


@pytest.mark.parametrize("name", FIXTURES)
def test_every_rewritten_fixture_is_valid_against_the_bpmn_xsd(name):
    xsd_valid(analysed(name).rewritten_bpmn())


def test_a_fresh_layout_has_no_overlapping_flow_nodes():
    a = analysed("ltp.bpmn")
    out = a.rewritten_bpmn()
    root = etree.fromstring(out.encode())
    kinds = {
        el.get("id"): local(el) for el in root.iter() if isinstance(el.tag, str) and el.get("id")
    }
    boxes = {
        k: v
        for k, v in shapes(out).items()
        if kinds.get(k) not in ("participant", "lane", "boundaryEvent")
    }
    ids = sorted(boxes)
    clashes = [
        (p, q) for i, p in enumerate(ids) for q in ids[i + 1 :] if overlap(boxes[p], boxes[q])
    ]
    assert clashes == []


def test_parallelised_steps_are_drawn_side_by_side_inside_their_lane():
    forms = {"f1": {"properties": {"a": {}}}, "f2": {"properties": {"b": {}}}}
    xml = linear(
        task("L", "Tra cứu", "appraise", "specialist", form="f1"),
        task("Pol", "Xác minh", "appraise", "other_agency", form="f2"),
        task("A", "Phê duyệt", "approve", "leader"),
        ids=("L", "Pol", "A"),
    )
    refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in ("S", "L", "Pol", "A", "E"))
    xml = xml.replace(
        'isExecutable="true">',
        f'isExecutable="true"><bpmn:laneSet id="LS"><bpmn:lane id="Lane1" name="Phòng">'
        f"{refs}</bpmn:lane></bpmn:laneSet>",
        1,
    )
    src = with_di(xml)
    out = analyse(src, catalogue(), forms=forms).rewritten_bpmn()
    before, after = shapes(src), shapes(out)
    split, join = sorted(set(after) - set(before), key=lambda k: after[k][0])
    assert split.startswith("Gateway_Split") and join.startswith("Gateway_Join")
    lx, _y, lw, _h = after["L"]
    assert after["Pol"][0] == lx and not overlap(after["L"], after["Pol"])  # one column
    assert after[split][0] + after[split][2] < lx and after[join][0] > lx + lw
    assert after["A"][0] > after[join][0] + after[join][2]  # room made after the join
    lane = after["Lane1"]
    for k in ("L", "Pol", split, join, "A"):  # the lane grew to hold the second branch
        assert lane[1] <= after[k][1] and after[k][1] + after[k][3] <= lane[1] + lane[3]
    root = etree.fromstring(out.encode())
    for wp in root.iter("{http://www.omg.org/spec/DD/20100524/DI}waypoint"):
        y = float(wp.get("y"))
        assert lane[1] <= y <= lane[1] + lane[3], "an edge runs outside the lane"
    xsd_valid(out)


def test_making_room_moves_a_whole_edge_even_one_drawn_along_the_pools_border():
    """A flow the modeller drew a pixel under its pool still moves as one piece."""
    from toantrinh.simplifier.rewrite.diagram import add_edge, add_shape
    from toantrinh.simplifier.rewrite.space_tool import Plane, make_room

    root = etree.fromstring(with_di(linear(task("T", "Kê khai", "submit", "citizen"), ids=("T",))))
    (plane_el,) = [p for p in root.iter(f"{{{BPMNDI_NS}}}BPMNPlane")]
    plane = Plane(plane_el)
    plane.shapes["Pool"] = add_shape(plane_el, "Pool", (0, 0, 600, 100), horizontal=True)
    points = [(200, 50), (200, 101), (300, 101), (300, 50)]
    plane.edges["X"] = add_edge(plane_el, "X", points)
    make_room(plane, 150, 40, (0, 40, 10, 10))
    moved = [
        (float(w.get("x")), float(w.get("y")))
        for w in plane.edges["X"].iter("{http://www.omg.org/spec/DD/20100524/DI}waypoint")
    ]
    assert moved == [(x + 40, y) for x, y in points]
