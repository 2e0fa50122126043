"""Control-flow graph, structural checks and complexity metrics on small known graphs."""

from __future__ import annotations

import pytest

from toantrinh.simplifier.graph import (
    acyclic,
    back_edges,
    build_graph,
    check_structure,
    longest_path,
    metrics,
)
from toantrinh.simplifier.load import load

from .builders import model

S, E = '<bpmn:startEvent id="S"/>', '<bpmn:endEvent id="E"/>'


def t(i: str) -> str:
    return f'<bpmn:task id="{i}" name="{i}"/>'


def gw(i: str, kind: str = "exclusive") -> str:
    return f'<bpmn:{kind}Gateway id="{i}"/>'


def graph(elements, flows):
    return build_graph(load(model(elements, flows)))


def kinds(g) -> dict[str, tuple[str, ...]]:
    return {p.kind: p.targets for p in check_structure(g).problems}


def test_metrics_of_a_sequence():
    m = metrics(graph([S, t("A"), t("B"), E], [("S", "A"), ("A", "B"), ("B", "E")]))
    assert (m.size, m.tasks, m.events, m.arcs) == (4, 2, 2, 3)
    assert m.cnc == 0.75
    assert m.density == 0.25  # 3 / (4 * 3)
    assert (m.cfc, m.cyclomatic, m.mccabe) == (0, 0, 1)


def test_metrics_of_an_exclusive_diamond():
    flows = [("S", "X"), ("X", "A"), ("X", "B"), ("A", "J"), ("B", "J"), ("J", "E")]
    m = metrics(graph([S, gw("X"), t("A"), t("B"), gw("J"), E], flows))
    assert (m.size, m.arcs, m.gateways) == (6, 6, 2)
    assert m.cnc == 1.0
    assert m.density == 0.2  # 6 / 30
    assert (m.cfc, m.cyclomatic, m.mccabe) == (2, 1, 2)


@pytest.mark.parametrize("kind, cfc", [("inclusive", 7), ("parallel", 1), ("exclusive", 3)])
def test_cfc_weights_each_split_type(kind, cfc):
    flows = [
        ("S", "X"),
        ("X", "A"),
        ("X", "B"),
        ("X", "C"),
        ("A", "J"),
        ("B", "J"),
        ("C", "J"),
        ("J", "E"),
    ]
    g = graph([S, gw("X", kind), t("A"), t("B"), t("C"), gw("J", kind), E], flows)
    assert metrics(g).cfc == cfc


def test_loop_back_edge_is_found_and_removed():
    flows = [("S", "A"), ("A", "X"), ("X", "A"), ("X", "E")]
    g = graph([S, t("A"), gw("X"), E], flows)
    assert back_edges(g) == {("X", "A")}
    m = metrics(g)
    assert (m.arcs, m.cfc, m.cyclomatic) == (4, 2, 1)
    assert not check_structure(g).problems


def test_longest_path_ignores_loops():
    flows = [("S", "A"), ("A", "X"), ("X", "A"), ("X", "B"), ("B", "E")]
    g = graph([S, t("A"), gw("X"), t("B"), E], flows)
    total, path = longest_path(acyclic(g), {"A": 10, "B": 5})
    assert total == 15
    assert path == ["S", "A", "X", "B", "E"]


def test_sound_model_has_no_problems():
    flows = [("S", "X"), ("X", "A"), ("X", "B"), ("A", "J"), ("B", "J"), ("J", "E")]
    st = check_structure(graph([S, gw("X"), t("A"), t("B"), gw("J"), E], flows))
    assert st.problems == [] and st.sound


def test_unreachable_and_dead_end():
    flows = [("S", "A"), ("A", "E"), ("Orphan", "E"), ("S", "Stuck")]
    problems = kinds(graph([S, t("A"), t("Orphan"), t("Stuck"), E], flows))
    assert problems["unreachable"] == ("Orphan",)
    assert problems["dead_end"] == ("Stuck",)


def test_infinite_loop_has_no_path_to_end():
    flows = [("S", "A"), ("A", "B"), ("B", "A"), ("S", "E")]
    g = graph([S, gw("Split", "parallel"), t("A"), t("B"), E], [("S", "A"), ("A", "B"), ("B", "A")])
    assert set(kinds(g)["no_path_to_end"]) == {"S", "A", "B"}
    assert flows  # the same loop next to a path to the end is still stuck
    g2 = graph([S, t("A"), t("B"), E], flows)
    assert set(kinds(g2)["no_path_to_end"]) == {"A", "B"}


def test_parallel_split_joined_by_exclusive_join_lacks_synchronization():
    flows = [("S", "P"), ("P", "A"), ("P", "B"), ("A", "J"), ("B", "J"), ("J", "C"), ("C", "E")]
    g = graph([S, gw("P", "parallel"), t("A"), t("B"), gw("J"), t("C"), E], flows)
    assert kinds(g)["lack_of_synchronization"] == ("P", "J")
    assert not check_structure(g).sound


def test_exclusive_split_joined_by_parallel_join_deadlocks():
    flows = [("S", "X"), ("X", "A"), ("X", "B"), ("A", "J"), ("B", "J"), ("J", "E")]
    g = graph([S, gw("X"), t("A"), t("B"), gw("J", "parallel"), E], flows)
    assert kinds(g)["deadlock"] == ("X", "J")


def test_inclusive_split_joined_by_exclusive_join_is_unbalanced():
    flows = [("S", "X"), ("X", "A"), ("X", "B"), ("A", "J"), ("B", "J"), ("J", "E")]
    g = graph([S, gw("X", "inclusive"), t("A"), t("B"), gw("J"), E], flows)
    assert kinds(g)["unbalanced_gateway"] == ("X", "J")


def test_branches_ending_in_their_own_end_events_are_sound():
    e2 = '<bpmn:endEvent id="E2"/>'
    flows = [("S", "X"), ("X", "A"), ("X", "E2"), ("A", "E")]
    assert check_structure(graph([S, gw("X"), t("A"), E, e2], flows)).problems == []


# ---------------------------------------------------------------- no false alarms (issue 28, 7)


def test_an_empty_collapsed_sub_process_is_one_activity_not_a_dead_end():
    sub = '<bpmn:subProcess id="Sub" name="Thẩm định (chi tiết ở mô hình khác)"/>'
    g = graph([S, t("A"), sub, E], [("S", "A"), ("A", "Sub"), ("Sub", "E")])
    assert "Sub" in g and g.has_edge("A", "Sub") and g.has_edge("Sub", "E")
    assert check_structure(g).problems == []


def test_compensation_handlers_are_not_unreachable_or_dead_ends():
    elements = [
        S,
        '<bpmn:task id="Pay" name="Thu phí"/>',
        '<bpmn:boundaryEvent id="Comp" attachedToRef="Pay"><bpmn:compensateEventDefinition/>'
        "</bpmn:boundaryEvent>",
        '<bpmn:task id="Refund" name="Hoàn phí" isForCompensation="true"/>',
        '<bpmn:association id="As" associationDirection="One" sourceRef="Comp" targetRef="Refund"/>',
        E,
    ]
    g = graph(elements, [("S", "Pay"), ("Pay", "E")])
    structure = check_structure(g)
    assert structure.problems == [] and structure.sound
    assert metrics(g).cyclomatic >= 0


def test_the_circuit_rank_is_never_negative():
    """Boundary events hang off their host without a sequence flow; counting only sequence
    flows made E − N + P negative on models with several of them."""
    elements = [
        S,
        t("A"),
        *(
            f'<bpmn:boundaryEvent id="B{i}" attachedToRef="A"><bpmn:timerEventDefinition/>'
            "</bpmn:boundaryEvent>"
            for i in range(3)
        ),
        *(f'<bpmn:endEvent id="E{i}"/>' for i in range(3)),
        E,
    ]
    flows = [("S", "A"), ("A", "E"), *((f"B{i}", f"E{i}") for i in range(3))]
    m = metrics(graph(elements, flows))
    assert m.cyclomatic >= 0 and m.mccabe >= 1


def test_process_data_inputs_and_outputs_are_not_dangling_references():
    xml = model(
        [
            '<bpmn:ioSpecification><bpmn:dataInput id="In_Request" name="Yêu cầu"/>'
            '<bpmn:dataOutput id="Out_Result"/><bpmn:inputSet/><bpmn:outputSet/>'
            "</bpmn:ioSpecification>",
            S,
            '<bpmn:task id="A" name="Xử lý"><bpmn:dataInputAssociation id="DI">'
            "<bpmn:sourceRef>In_Request</bpmn:sourceRef></bpmn:dataInputAssociation>"
            '<bpmn:dataOutputAssociation id="DO"><bpmn:targetRef>Out_Result</bpmn:targetRef>'
            "</bpmn:dataOutputAssociation></bpmn:task>",
            E,
        ],
        [("S", "A"), ("A", "E")],
    )
    pm = load(xml)
    assert pm.warnings == []
    assert pm.nodes["A"].inputs == ["In_Request"] and pm.data_objects["In_Request"].is_store


def test_a_duplicate_flow_id_is_reported_not_silently_overwritten():
    xml = model([S, t("A"), t("B"), E], [("S", "A"), ("A", "B"), ("B", "E")]).replace(
        'id="Flow_2"', 'id="Flow_1"'
    )
    pm = load(xml)
    assert pm.flows["Flow_1"].target == "B"  # the first one is kept
    assert any("Flow_1" in w and "Trùng mã" in w for w in pm.warnings)
