"""The source layout kept: shapes and edges of removed elements dropped, what the rewrite
inserts laid out by Graphviz as a fragment and put after the step it follows (room made
for it by :mod:`.space_tool`), two steps made parallel drawn in one column between
their split and join, and the flows whose ends changed re-routed."""

from __future__ import annotations

import networkx as nx
from lxml import etree

from toantrinh.bpmn.namespaces import BPMNDI_NS, qname
from toantrinh.bpmn.xml import local_name, namespace

from ..load import FLOW_NODE_TYPES
from .diagram import (
    Box,
    add_edge,
    add_shape,
    between,
    bounds,
    flow_nodes,
    flows_of,
    route,
    set_waypoints,
    size_of,
)
from .dot import dot_layout
from .space_tool import Plane, lane_box, make_room, make_room_down, move_node, read_planes

GAP = 50  # between a fragment and its neighbours


def keep_layout(root: etree._Element, diagrams: list[etree._Element], changed: set[str]) -> None:
    """Bring the source ``diagrams`` up to date with the rewritten model in place;
    ``changed`` (extended here) names the sequence flows to re-route."""
    ids = {
        el.get("id")
        for el in root.iter()
        if isinstance(el.tag, str) and el.get("id") and namespace(el) != BPMNDI_NS
    }
    planes = read_planes(diagrams)
    for p in planes:  # what the rewrite removed
        for ref in [r for r in p.shapes if r not in ids]:
            p.plane.remove(p.shapes.pop(ref))
        for ref in [r for r in p.edges if r not in ids]:
            p.plane.remove(p.edges.pop(ref))
    drawn = {ref for p in planes for ref in p.shapes}
    new = [el for el in flow_nodes(root) if el.get("id") not in drawn]
    by_container: dict[etree._Element, list[etree._Element]] = {}
    for el in new:
        parent = el.getparent()
        if parent is not None:
            by_container.setdefault(parent, []).append(el)
    moved: set[str] = set()
    for container, nodes in by_container.items():
        plane = _plane_of(container, planes)
        if plane is None:
            continue
        placed: set[str] = set()
        for block in _parallel_blocks(container, nodes, plane):
            moved |= _place_parallel(container, block, plane)
            placed |= {block[0], block[3]}
        rest = [el for el in nodes if el.get("id") not in placed]
        for fragment in _fragments(container, rest):
            _place_fragment(container, fragment, plane, planes)
    if moved:
        changed |= _flows_touching(root, moved)
        _redraw_connections(root, planes, moved)
    _reroute(root, planes, changed)


def _plane_of(container: etree._Element, planes: list[Plane]) -> Plane | None:
    """The plane that draws a container's flow nodes."""
    siblings = {el.get("id") for el in container if local_name(el) in FLOW_NODE_TYPES}
    for p in planes:
        if siblings & set(p.shapes):
            return p
    return None


def _fragments(container: etree._Element, nodes: list[etree._Element]) -> list[list[str]]:
    """The new nodes of a container, grouped by the sequence flows that join them."""
    g: nx.Graph = nx.Graph()
    g.add_nodes_from(el.get("id", "") for el in nodes)
    g.add_edges_from((s, t) for _f, s, t in flows_of(container) if s in g and t in g)
    order = {el.get("id", ""): i for i, el in enumerate(nodes)}
    return [sorted(c, key=order.__getitem__) for c in nx.connected_components(g)]


def _place_fragment(
    container: etree._Element, fragment: list[str], plane: Plane, planes: list[Plane]
) -> None:
    kinds = {el.get("id", ""): local_name(el) or "task" for el in container if el.get("id")}
    flows = flows_of(container)
    members = set(fragment)
    entries = [s for _f, s, t in flows if t in members and s not in members and s in plane.shapes]
    exits = [t for _f, s, t in flows if s in members and t not in members and t in plane.shapes]
    sizes = {n: size_of(kinds.get(n, "task")) for n in fragment}
    inner = [(s, t) for _f, s, t in flows if s in members and t in members]
    lay = dot_layout(sizes, inner)
    anchor_box = bounds(plane.shapes[entries[0]]) if entries else None
    if anchor_box is None and exits:
        b = bounds(plane.shapes[exits[0]])
        anchor_box = (b[0] - lay.width - 2 * GAP, b[1], 0, b[3]) if b else None
    if anchor_box is None:
        return
    right = anchor_box[0] + anchor_box[2]
    x0 = right + GAP
    make_room(plane, right, lay.width + GAP, anchor_box)
    first = next((n for n in fragment if any(t == n for _f, s, t in flows if s in entries)), None)
    fy = lay.centers[first][1] if first else lay.height / 2
    ay = anchor_box[1] + anchor_box[3] / 2
    for n in fragment:
        cx, cy = lay.centers[n]
        w, h = sizes[n]
        box = (x0 + cx - w / 2, ay + (cy - fy) - h / 2, w, h)
        attrs = {"isMarkerVisible": "true"} if kinds.get(n) == "exclusiveGateway" else {}
        plane.shapes[n] = add_shape(plane.plane, n, box, attrs=attrs)


def _parallel_blocks(
    container: etree._Element, nodes: list[etree._Element], plane: Plane
) -> list[tuple[str, str, str, str]]:
    """New parallel split/join pairs around two kept steps: ``(split, u, v, join)``."""
    new = {el.get("id", ""): local_name(el) for el in nodes}
    out: dict[str, list[str]] = {}
    for _f, s, t in flows_of(container):
        out.setdefault(s, []).append(t)
    blocks = []
    for sid, kind in new.items():
        branches = out.get(sid, [])
        if kind != "parallelGateway" or len(branches) != 2:
            continue
        u, v = branches
        ju, jv = out.get(u, []), out.get(v, [])
        if (
            u in plane.shapes
            and v in plane.shapes
            and len(ju) == 1
            and ju == jv
            and new.get(ju[0]) == "parallelGateway"
        ):
            blocks.append((sid, u, v, ju[0]))
    return blocks


def _place_parallel(
    container: etree._Element, block: tuple[str, str, str, str], plane: Plane
) -> set[str]:
    """Draw ``split → (u ∥ v) → join`` where ``u → v`` was: the split where ``u`` began,
    the two steps in one column (stacked when they share a lane, the lane growing as the
    space tool grows it), the join after them. Returns the kept nodes it moved."""
    sid, u, v, jid = block
    bu, bv = bounds(plane.shapes[u]), bounds(plane.shapes[v])
    if bu is None or bv is None:
        return set()
    gw, gh = size_of("parallelGateway")
    ry = bu[1] + bu[3] / 2
    col = bu[0] + gw + GAP
    jx = col + max(bu[2], bv[2]) + GAP
    old_end = max(bu[0] + bu[2], bv[0] + bv[2])
    if jx + gw > old_end:
        make_room(plane, old_end, jx + gw - old_end, bu)
    lane_u, lane_v = lane_box(plane, bu), lane_box(plane, bv)
    if lane_u == lane_v:  # one above the other, in the lane of u
        vy = bu[1] + bu[3] + 20
        if lane_u is not None and vy + bv[3] + 10 > lane_u[1] + lane_u[3]:
            make_room_down(plane, bu[1] + bu[3] + 1, vy + bv[3] + 10 - lane_u[1] - lane_u[3])
    else:
        vy = bv[1]
    moved = {u: (col, bu[1]), v: (col, vy)}
    for n, (x, y) in moved.items():
        b = bounds(plane.shapes[n])
        if b is not None:
            move_node(container, plane, n, b, x - b[0], y - b[1])
    plane.shapes[sid] = add_shape(plane.plane, sid, (bu[0], ry - gh / 2, gw, gh))
    plane.shapes[jid] = add_shape(plane.plane, jid, (jx, ry - gh / 2, gw, gh))
    return set(moved) | {
        el.get("id", "")
        for el in container
        if local_name(el) == "boundaryEvent" and el.get("attachedToRef") in moved
    }


def _flows_touching(root: etree._Element, nodes: set[str]) -> set[str]:
    return {
        el.get("id", "")
        for el in root.iter(qname(namespace(root), "sequenceFlow"))
        if el.get("sourceRef") in nodes or el.get("targetRef") in nodes
    }


def _connections(root: etree._Element) -> dict[str, tuple[str, str]]:
    """Associations, data associations and message flows: id → (source, target)."""
    out: dict[str, tuple[str, str]] = {}
    for el in root.iter():
        name = local_name(el) if isinstance(el.tag, str) else None
        eid = el.get("id") if name else None
        if not eid:
            continue
        if name in ("association", "messageFlow"):
            out[eid] = (el.get("sourceRef", ""), el.get("targetRef", ""))
        elif name in ("dataInputAssociation", "dataOutputAssociation"):
            parent = el.getparent()
            task = parent.get("id", "") if parent is not None else ""
            end = "sourceRef" if name == "dataInputAssociation" else "targetRef"
            ref = next(((c.text or "").strip() for c in el if local_name(c) == end), "")
            out[eid] = (ref, task) if name == "dataInputAssociation" else (task, ref)
    return out


def _redraw_connections(root: etree._Element, planes: list[Plane], moved: set[str]) -> None:
    """Straight lines again for the associations and message flows of moved nodes."""
    for eid, (s, t) in _connections(root).items():
        if s not in moved and t not in moved:
            continue
        for p in planes:
            edge = p.edges.get(eid)
            bs = bounds(p.shapes[s]) if s in p.shapes else None
            bt = bounds(p.shapes[t]) if t in p.shapes else None
            if edge is not None and bs is not None and bt is not None:
                set_waypoints(edge, between(bs, bt))


def _reroute(root: etree._Element, planes: list[Plane], changed: set[str]) -> None:
    """Draw the flows the rewrite added or changed, between the shapes they join."""
    bns = namespace(root)
    for p in planes:
        boxes = {ref: b for ref, s in p.shapes.items() if (b := bounds(s)) is not None}
        below = max((b[1] + b[3] for b in boxes.values()), default=0)
        for el in root.iter(qname(bns, "sequenceFlow")):
            fid, s, t = el.get("id"), el.get("sourceRef"), el.get("targetRef")
            if s not in boxes or t not in boxes or not fid:
                continue
            if fid in p.edges and fid not in changed:
                continue
            points = route(boxes[s], boxes[t], _below(p, boxes, boxes[s], boxes[t], below))
            if fid in p.edges:
                set_waypoints(p.edges[fid], points)
            else:
                p.edges[fid] = add_edge(p.plane, fid, points)


def _below(p: Plane, boxes: dict[str, Box], s: Box, t: Box, default: float) -> float:
    """Where a flow going back runs: under the shapes between its ends, inside the lane
    of its source (not under the whole diagram)."""
    if t[0] > s[0] + s[2]:
        return default
    lane = lane_box(p, s)
    if lane is None:
        return default
    x0, x1 = t[0] - 20, s[0] + s[2] + 20
    top, bottom = lane[1], lane[1] + lane[3]
    low = max(
        (
            b[1] + b[3]
            for ref, b in boxes.items()
            if p.shapes[ref].get("isHorizontal") != "true"
            and b[0] < x1
            and b[0] + b[2] > x0
            and top <= b[1] + b[3] / 2 <= bottom
        ),
        default=max(s[1] + s[3], t[1] + t[3]),
    )
    return min(low, bottom - 40)  # route() adds 30
