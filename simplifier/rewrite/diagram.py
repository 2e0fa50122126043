"""What both layouts draw with: shapes and edges of BPMN diagram interchange (DI),
their bounds and orthogonal routes, bpmn-js's default sizes, and the flow nodes and
sequence flows of the model being drawn."""

from __future__ import annotations

from lxml import etree

from toantrinh.bpmn.namespaces import BPMNDI_NS, DC_NS, DI_NS, qname
from toantrinh.bpmn.xml import local_name, namespace

from ..load import EVENT_TYPES, FLOW_NODE_TYPES, GATEWAY_TYPES

Box = tuple[float, float, float, float]  # x, y, width, height


def size_of(local: str) -> tuple[float, float]:
    """The default size of a BPMN shape (bpmn-js's)."""
    if local in GATEWAY_TYPES:
        return 50, 50
    if local in EVENT_TYPES:
        return 36, 36
    if local == "dataObjectReference":
        return 36, 50
    if local == "dataStoreReference":
        return 50, 50
    if local in ("textAnnotation", "group"):
        return 100, 40
    return 100, 80


def add_shape(
    plane: etree._Element,
    element: str,
    box: Box,
    horizontal: bool = False,
    attrs: dict[str, str] | None = None,
) -> etree._Element:
    x, y, w, h = box
    shape = etree.SubElement(
        plane, qname(BPMNDI_NS, "BPMNShape"), id=f"{element}_di", bpmnElement=element
    )
    if horizontal:
        shape.set("isHorizontal", "true")
    for k, v in (attrs or {}).items():
        shape.set(k, v)
    etree.SubElement(
        shape,
        qname(DC_NS, "Bounds"),
        x=f"{x:.0f}",
        y=f"{y:.0f}",
        width=f"{w:.0f}",
        height=f"{h:.0f}",
    )
    return shape


def add_edge(
    plane: etree._Element, element: str, points: list[tuple[float, float]]
) -> etree._Element:
    edge = etree.SubElement(
        plane, qname(BPMNDI_NS, "BPMNEdge"), id=f"{element}_di", bpmnElement=element
    )
    set_waypoints(edge, points)
    return edge


def set_waypoints(edge: etree._Element, points: list[tuple[float, float]]) -> None:
    for wp in [c for c in edge if local_name(c) == "waypoint"]:
        edge.remove(wp)
    label = next((i for i, c in enumerate(edge) if local_name(c) == "BPMNLabel"), len(edge))
    for i, (x, y) in enumerate(points):
        wp = etree.Element(qname(DI_NS, "waypoint"), x=f"{x:.0f}", y=f"{y:.0f}")
        edge.insert(label + i, wp)


def bounds(shape: etree._Element) -> Box | None:
    b = next((c for c in shape if local_name(c) == "Bounds"), None)
    if b is None:
        return None
    try:
        x, y, w, h = (float(b.get(k) or "") for k in ("x", "y", "width", "height"))
    except ValueError:
        return None
    return x, y, w, h


def set_bounds(shape: etree._Element, box: Box) -> None:
    b = next((c for c in shape if local_name(c) == "Bounds"), None)
    if b is not None:
        for k, v in zip(("x", "y", "width", "height"), box, strict=True):
            b.set(k, f"{v:.0f}")


def center(b: Box) -> tuple[float, float]:
    return b[0] + b[2] / 2, b[1] + b[3] / 2


def route(s: Box, t: Box, below: float) -> list[tuple[float, float]]:
    """An orthogonal route from the right of ``s`` to the left of ``t``; a flow going back
    runs under everything (``below``)."""
    sx, sy = s[0] + s[2], s[1] + s[3] / 2
    tx, ty = t[0], t[1] + t[3] / 2
    if tx > sx:
        if abs(sy - ty) < 1:
            return [(sx, sy), (tx, ty)]
        mx = sx + min(30, (tx - sx) / 2)
        return [(sx, sy), (mx, sy), (mx, ty), (tx, ty)]
    low = below + 30
    return [(sx, sy), (sx + 20, sy), (sx + 20, low), (tx - 20, low), (tx - 20, ty), (tx, ty)]


def between(s: Box, t: Box) -> list[tuple[float, float]]:
    """A straight edge between the facing sides of two shapes (associations, messages)."""
    (sx, sy), (tx, ty) = center(s), center(t)
    if s[1] + s[3] <= t[1]:
        return [(sx, s[1] + s[3]), (tx, t[1])]
    if t[1] + t[3] <= s[1]:
        return [(sx, s[1]), (tx, t[1] + t[3])]
    return [(sx, sy), (tx, ty)]


def flow_nodes(root: etree._Element) -> list[etree._Element]:
    bns = namespace(root)
    return [
        el
        for el in root.iter()
        if isinstance(el.tag, str)
        and namespace(el) == bns
        and local_name(el) in FLOW_NODE_TYPES
        and el.get("id")
    ]


def flows_of(container: etree._Element) -> list[tuple[str, str, str]]:
    return [
        (el.get("id", ""), el.get("sourceRef", ""), el.get("targetRef", ""))
        for el in container
        if local_name(el) == "sequenceFlow"
    ]
