"""The diagram (BPMN DI) of a drafted model: one pool, one lane per actor, the tasks in
columns in the order they happen (a branch on a second row under its lane's main line),
the deadline timer on its host, the components in two rows under the pool."""

from __future__ import annotations

from lxml import etree

from toantrinh.bpmn.namespaces import BPMNDI_NS, DC_NS, DI_NS, qname

from .components import Component
from .draft_flow import Deadline
from .draft_nodes import Builder

Box = tuple[float, float, float, float]  # x, y, width, height

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


def draw(
    root: etree._Element,
    comps: list[Component],
    b: Builder,
    process_id: str,
    lanes: list[str],
    deadline: Deadline | None,
) -> None:
    """Append the ``BPMNDiagram`` of the drafted process to ``root``; ``comps`` are the
    components drawn as data objects, ``lanes`` the lane roles top to bottom."""
    diagram = etree.SubElement(root, qname(BPMNDI_NS, "BPMNDiagram"), id=f"Diagram_{process_id}")
    plane = etree.SubElement(
        diagram,
        qname(BPMNDI_NS, "BPMNPlane"),
        id=f"Plane_{process_id}",
        bpmnElement=f"Collaboration_{process_id}",
    )
    lane_y = {r: POOL_Y + i * LANE_H for i, r in enumerate(lanes)}
    pos, columns = _positions(b, lane_y)
    width = HEADER + 80 + (columns + 1) * COL_W
    height = LANE_H * len(lanes)
    _shape(plane, f"Participant_{process_id}", (POOL_X, POOL_Y, width, height), True)
    for r in lanes:
        _shape(plane, f"Lane_{r}", (POOL_X + HEADER, lane_y[r], width - HEADER, LANE_H), True)
    for n in b.nodes:
        _shape(plane, n.id, pos[n.id])
    if deadline:
        hx, hy, hw, hh = pos[deadline.host]
        pos["Timer_Deadline"] = (hx + hw - 28, hy + hh - 18, 36, 36)
        _shape(plane, "Timer_Deadline", pos["Timer_Deadline"])
    for i, comp in enumerate(comps):
        sx, sy = _data_object(i, height)
        _shape(plane, f"Component_{comp.index}", (sx, sy, 36, 50))
    for f in b.flows:
        _edge(plane, f.id, _route(pos[f.source], pos[f.target]))
    for n in b.nodes:
        for ref in n.inputs:
            i = next(k for k, c in enumerate(comps) if f"Component_{c.index}" == ref)
            sx, sy = _data_object(i, height)
            x, y, w, h = pos[n.id]
            _edge(plane, f"DIA_{n.id}_{ref}", [(sx + 18, sy), (x + w / 2, y + h)])


def _positions(b: Builder, lane_y: dict[str, int]) -> tuple[dict[str, Box], int]:
    """The box of every node, and the number of columns: a node on the main line takes
    the next column, a branch node the column of the node before it (an end one more)."""
    pos: dict[str, Box] = {}
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
    return pos, col


def _data_object(i: int, pool_height: float) -> tuple[float, float]:
    """The top left of the ``i``-th data object, under the pool."""
    return POOL_X + HEADER + 40 + i * DATA_DX, POOL_Y + pool_height + 30 + (i % 2) * DATA_DY


def _route(s: Box, t: Box) -> list[tuple[float, float]]:
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


def _shape(plane: etree._Element, element: str, box: Box, horizontal: bool = False) -> None:
    attrs = {"id": f"{element}_di", "bpmnElement": element}
    if horizontal:
        attrs["isHorizontal"] = "true"
    shape = etree.SubElement(plane, qname(BPMNDI_NS, "BPMNShape"), attrs)
    x, y, w, h = box
    etree.SubElement(shape, qname(DC_NS, "Bounds"), x=_n(x), y=_n(y), width=_n(w), height=_n(h))


def _edge(plane: etree._Element, element: str, points: list[tuple[float, float]]) -> None:
    edge = etree.SubElement(
        plane, qname(BPMNDI_NS, "BPMNEdge"), id=f"{element}_di", bpmnElement=element
    )
    for x, y in points:
        etree.SubElement(edge, qname(DI_NS, "waypoint"), x=_n(x), y=_n(y))


def _n(v: float) -> str:
    return str(round(v))
