"""A kept diagram's planes, and room made in them the way bpmn-js's space tool makes it:
everything past a line moves, the pools and lanes that span it grow."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from toantrinh.bpmn.namespaces import DI_NS, qname
from toantrinh.bpmn.xml import local_name

from .diagram import Box, bounds, center, set_bounds


@dataclass
class Plane:
    """A ``BPMNPlane`` with its shapes and edges by the id of the element they draw."""

    plane: etree._Element
    shapes: dict[str, etree._Element] = field(default_factory=dict)
    edges: dict[str, etree._Element] = field(default_factory=dict)


def read_planes(diagrams: list[etree._Element]) -> list[Plane]:
    """Every plane of the given ``BPMNDiagram`` elements."""
    out = []
    for d in diagrams:
        for plane in d:
            if local_name(plane) != "BPMNPlane":
                continue
            p = Plane(plane)
            for el in plane:
                ref = el.get("bpmnElement")
                if local_name(el) == "BPMNShape" and ref:
                    p.shapes[ref] = el
                elif local_name(el) == "BPMNEdge" and ref:
                    p.edges[ref] = el
            out.append(p)
    return out


def lane_box(plane: Plane, b: Box) -> Box | None:
    """The innermost lane (or pool) that holds the centre of ``b``."""
    cx, cy = center(b)
    boxes = [
        bb
        for shape in plane.shapes.values()
        if shape.get("isHorizontal") == "true"
        and (bb := bounds(shape)) is not None
        and bb[0] <= cx <= bb[0] + bb[2]
        and bb[1] <= cy <= bb[1] + bb[3]
    ]
    return min(boxes, key=lambda bb: bb[3]) if boxes else None


def _region(plane: Plane, anchor: Box) -> tuple[float, float]:
    """The vertical band (a pool, or the whole plane) that a space-tool move applies to."""
    ay = anchor[1] + anchor[3] / 2
    pools = [
        b
        for shape in plane.shapes.values()
        if shape.get("isHorizontal") == "true"
        and (b := bounds(shape)) is not None
        and b[1] <= ay <= b[1] + b[3]
    ]
    if not pools:
        return float("-inf"), float("inf")
    tallest = max(pools, key=lambda b: b[3])  # the pool, not one of its lanes
    return tallest[1], tallest[1] + tallest[3]


def make_room(plane: Plane, x0: float, dx: float, anchor: Box) -> None:
    """Move everything right of ``x0`` (the anchor's right side) in the anchor's pool right
    by ``dx`` and widen the pool and the lanes that span ``x0`` (bpmn-js's space tool)."""
    top, bottom = _region(plane, anchor)
    for shape in plane.shapes.values():
        b = bounds(shape)
        if b is None or b[1] + b[3] < top or b[1] > bottom:
            continue
        if b[0] >= x0:
            set_bounds(shape, (b[0] + dx, b[1], b[2], b[3]))
        elif b[0] + b[2] > x0 and (shape.get("isHorizontal") == "true" or b[2] > 2 * dx):
            # a pool or lane spanning the gap, an expanded sub-process or a group: widen it
            set_bounds(shape, (b[0], b[1], b[2] + dx, b[3]))
        _shift_label(shape, x0, dx)
    for edge in plane.edges.values():
        points = list(edge.iter(qname(DI_NS, "waypoint")))
        if not any(top <= float(wp.get("y", 0)) <= bottom for wp in points):
            continue  # an edge of another pool
        for wp in points:  # the whole edge, even a segment drawn along the pool's border
            x = float(wp.get("x", 0))
            if x > x0:
                wp.set("x", f"{x + dx:.0f}")
        _shift_label(edge, x0, dx)


def _shift_label(el: etree._Element, x0: float, dx: float) -> None:
    for label in el:
        if local_name(label) == "BPMNLabel":
            b = bounds(label)
            if b and b[0] >= x0:
                set_bounds(label, (b[0] + dx, b[1], b[2], b[3]))


def make_room_down(plane: Plane, y0: float, dy: float) -> None:
    """Move everything below ``y0`` down by ``dy``; the pools and lanes that span ``y0``
    grow (bpmn-js's space tool, dragged downwards)."""
    for shape in plane.shapes.values():
        b = bounds(shape)
        if b is None:
            continue
        if b[1] >= y0:
            set_bounds(shape, (b[0], b[1] + dy, b[2], b[3]))
        elif b[1] + b[3] > y0 and shape.get("isHorizontal") == "true":
            set_bounds(shape, (b[0], b[1], b[2], b[3] + dy))
        for label in shape:
            lb = bounds(label) if local_name(label) == "BPMNLabel" else None
            if lb is not None and lb[1] >= y0:
                set_bounds(label, (lb[0], lb[1] + dy, lb[2], lb[3]))
    for edge in plane.edges.values():
        for wp in edge.iter(qname(DI_NS, "waypoint")):
            y = float(wp.get("y", 0))
            if y > y0:
                wp.set("y", f"{y + dy:.0f}")
        for label in edge:
            lb = bounds(label) if local_name(label) == "BPMNLabel" else None
            if lb is not None and lb[1] >= y0:
                set_bounds(label, (lb[0], lb[1] + dy, lb[2], lb[3]))


def move_node(
    container: etree._Element, plane: Plane, n: str, b: Box, dx: float, dy: float
) -> None:
    """Move a node's shape, its label and the boundary events attached to it."""
    refs = [n] + [
        el.get("id", "")
        for el in container
        if local_name(el) == "boundaryEvent" and el.get("attachedToRef") == n
    ]
    for ref in refs:
        shape = plane.shapes.get(ref)
        if shape is None:
            continue
        for box_el in [shape] + [c for c in shape if local_name(c) == "BPMNLabel"]:
            bb = bounds(box_el)
            if bb is not None:
                set_bounds(box_el, (bb[0] + dx, bb[1] + dy, bb[2], bb[3]))
