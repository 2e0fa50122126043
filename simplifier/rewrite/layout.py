"""Diagram interchange (DI) of the rewritten model.

* **The source layout is kept** for every element the rewrite keeps: shapes and edges of
  removed elements are dropped, flows whose ends changed are re-routed, and what the
  rewrite inserts (a registry lookup, a parallel split and join) is laid out by Graphviz
  as a fragment and put in place of the step it follows, after making room for it the
  way a modeller's space tool does (everything to its right in the same pool moves right;
  the pool and its lanes grow). Pools, lanes, message flows, groups, text annotations and
  data objects keep their shapes.
* **A model without a diagram** (or with one that draws too little of it) gets a fresh
  layout: Graphviz ``dot`` places the flow nodes of each process (lanes as clusters),
  pools are stacked, lanes are bands, data objects sit under their readers, each
  sub-process is drawn collapsed with its own plane (as bpmn-js does).

``BPMNDiagram`` elements are written where the BPMN 2.0 XSD wants them: after the root
elements and before any ``relationship``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import graphviz
import networkx as nx
from lxml import etree

from toantrinh.bpmn.namespaces import BPMNDI_NS, DC_NS, DI_NS, qname
from toantrinh.bpmn.xml import local_name, namespace

from ..graph import back_edges
from ..load import EVENT_TYPES, FLOW_NODE_TYPES, GATEWAY_TYPES, SUBPROCESS_TYPES

Box = tuple[float, float, float, float]  # x, y, width, height

GAP = 50  # between a fragment and its neighbours
POOL_X = 50
POOL_LABEL = 30  # the band where a pool's name is written
KEEP_COVERAGE = 0.8  # the source diagram is kept when it draws this share of the nodes
_ARTIFACTS = ("dataObjectReference", "dataStoreReference", "textAnnotation", "group")


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


def layout_di(root: etree._Element, changed: frozenset[str] | set[str] = frozenset()) -> None:
    """Update the diagram of a rewritten model in place.

    ``changed`` names the sequence flows whose source or target the rewrite changed.
    """
    _ensure_ids(root)
    diagrams = [c for c in root if local_name(c) == "BPMNDiagram"]
    if diagrams and _coverage(root, diagrams) >= KEEP_COVERAGE:
        _keep_layout(root, diagrams, set(changed))
    else:
        for d in diagrams:
            root.remove(d)
        _fresh_layout(root)
    order_diagrams(root)


# what the layout draws, hence what its diagram interchange must name by id
_DRAWN = FLOW_NODE_TYPES | {
    "collaboration",
    "participant",
    "process",
    "lane",
    "sequenceFlow",
    "messageFlow",
    "association",
    "dataObjectReference",
    "dataStoreReference",
    "textAnnotation",
    "group",
}


def _ensure_ids(root: etree._Element) -> None:
    """Give every element the layout draws an id (BPMN makes ``id`` optional, a diagram
    names an element by it): Activiti's tests omit flow ids, some exports the
    collaboration's (issue 27.11, ``bench/bpmn_corpus.py``)."""
    taken = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    for n, el in enumerate(root.iter()):
        if isinstance(el.tag, str) and not el.get("id") and local_name(el) in _DRAWN:
            new_id = f"{local_name(el)}_tt{n}"
            while new_id in taken:
                new_id += "_"
            el.set("id", new_id)
            taken.add(new_id)


def order_diagrams(root: etree._Element) -> None:
    """Put ``BPMNDiagram`` elements after the root elements and before ``relationship``
    (the order of ``tDefinitions`` in the BPMN 2.0 XSD)."""
    diagrams = [c for c in root if local_name(c) == "BPMNDiagram"]
    for d in diagrams:
        root.remove(d)
    first_rel = next((i for i, c in enumerate(root) if local_name(c) == "relationship"), None)
    at = len(root) if first_rel is None else first_rel
    for offset, d in enumerate(diagrams):
        root.insert(at + offset, d)


def _flow_nodes(root: etree._Element) -> list[etree._Element]:
    bns = namespace(root)
    return [
        el
        for el in root.iter()
        if isinstance(el.tag, str)
        and namespace(el) == bns
        and local_name(el) in FLOW_NODE_TYPES
        and el.get("id")
    ]


def _coverage(root: etree._Element, diagrams: list[etree._Element]) -> float:
    drawn = {s.get("bpmnElement") for d in diagrams for s in d.iter(qname(BPMNDI_NS, "BPMNShape"))}
    nodes = [el.get("id") for el in _flow_nodes(root)]
    return sum(n in drawn for n in nodes) / len(nodes) if nodes else 1.0


# ---------------------------------------------------------------- shapes and edges


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


def _set_bounds(shape: etree._Element, box: Box) -> None:
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


# ---------------------------------------------------------------- Graphviz


@dataclass
class DotLayout:
    """Node centres and cluster boxes from ``dot``, in BPMN pixels, y downwards."""

    centers: dict[str, tuple[float, float]] = field(default_factory=dict)
    clusters: dict[str, Box] = field(default_factory=dict)
    width: float = 0.0
    height: float = 0.0


def dot_layout(
    sizes: dict[str, tuple[float, float]],
    edges: list[tuple[str, str]],
    clusters: dict[str, list[str]] | None = None,
) -> DotLayout:
    """Place nodes of the given sizes left to right with Graphviz ``dot``.

    Node sizes are passed in points (1 pt = 1 px here), so positions come back in the
    same unit. Falls back to a longest-path layering when ``dot`` is not installed.
    """
    names = {n: f"n{i}" for i, n in enumerate(sizes)}
    back = {v: k for k, v in names.items()}
    g = graphviz.Digraph(
        graph_attr={"rankdir": "LR", "nodesep": "0.45", "ranksep": "0.55", "newrank": "true"},
        node_attr={"shape": "box", "fixedsize": "true", "label": ""},
    )
    in_cluster: set[str] = set()
    for cid, members in (clusters or {}).items():
        with g.subgraph(name=f"cluster_{len(in_cluster)}_{abs(hash(cid)) % 10**6}") as sub:
            sub.attr(label="", margin="18", tooltip=cid)
            for m in members:
                if m in sizes and m not in in_cluster:
                    in_cluster.add(m)
                    w, h = sizes[m]
                    sub.node(names[m], width=f"{w / 72:.3f}", height=f"{h / 72:.3f}")
    for n, (w, h) in sizes.items():
        if n not in in_cluster:
            g.node(names[n], width=f"{w / 72:.3f}", height=f"{h / 72:.3f}")
    for u, v in edges:
        if u in names and v in names and u != v:
            g.edge(names[u], names[v])
    try:
        data = json.loads(g.pipe(format="json"))
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, ValueError):
        return _layered(sizes, edges)
    x0, y0, x1, y1 = (float(v) for v in data["bb"].split(","))
    out = DotLayout(width=x1 - x0, height=y1 - y0)
    for obj in data.get("objects", []):
        name = obj.get("name", "")
        if name in back and "pos" in obj:
            x, y = (float(v) for v in obj["pos"].split(","))
            out.centers[back[name]] = (x - x0, y1 - y)
        elif name.startswith("cluster_") and "bb" in obj:
            a, b, c, d = (float(v) for v in obj["bb"].split(","))
            out.clusters[obj.get("tooltip") or name] = (a - x0, y1 - d, c - a, d - b)
    return out


def _layered(sizes: dict[str, tuple[float, float]], edges: list[tuple[str, str]]) -> DotLayout:
    """Longest-path layers (no Graphviz): columns by layer, rows by arrival."""
    g: nx.DiGraph = nx.DiGraph()
    g.add_nodes_from(sizes)
    g.add_edges_from((u, v) for u, v in edges if u in sizes and v in sizes and u != v)
    g.remove_edges_from(back_edges(g))
    layer: dict[str, int] = {}
    for n in nx.topological_sort(g):
        layer[n] = max((layer[p] + 1 for p in g.predecessors(n)), default=0)
    rows: dict[int, int] = {}
    out = DotLayout()
    for n in sizes:
        col = layer.get(n, 0)
        row = rows.get(col, 0)
        rows[col] = row + 1
        out.centers[n] = (col * 160 + 60, row * 120 + 60)
    out.width = (max(layer.values(), default=0) + 1) * 160
    out.height = max(rows.values(), default=1) * 120
    return out


# ---------------------------------------------------------------- keeping the source layout


@dataclass
class _Plane:
    plane: etree._Element
    shapes: dict[str, etree._Element] = field(default_factory=dict)
    edges: dict[str, etree._Element] = field(default_factory=dict)


def _planes(diagrams: list[etree._Element]) -> list[_Plane]:
    out = []
    for d in diagrams:
        for plane in d:
            if local_name(plane) != "BPMNPlane":
                continue
            p = _Plane(plane)
            for el in plane:
                ref = el.get("bpmnElement")
                if local_name(el) == "BPMNShape" and ref:
                    p.shapes[ref] = el
                elif local_name(el) == "BPMNEdge" and ref:
                    p.edges[ref] = el
            out.append(p)
    return out


def _keep_layout(root: etree._Element, diagrams: list[etree._Element], changed: set[str]) -> None:
    ids = {
        el.get("id")
        for el in root.iter()
        if isinstance(el.tag, str) and el.get("id") and namespace(el) != BPMNDI_NS
    }
    planes = _planes(diagrams)
    for p in planes:  # what the rewrite removed
        for ref in [r for r in p.shapes if r not in ids]:
            p.plane.remove(p.shapes.pop(ref))
        for ref in [r for r in p.edges if r not in ids]:
            p.plane.remove(p.edges.pop(ref))
    drawn = {ref for p in planes for ref in p.shapes}
    new = [el for el in _flow_nodes(root) if el.get("id") not in drawn]
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


def _plane_of(container: etree._Element, planes: list[_Plane]) -> _Plane | None:
    """The plane that draws a container's flow nodes."""
    siblings = {el.get("id") for el in container if local_name(el) in FLOW_NODE_TYPES}
    for p in planes:
        if siblings & set(p.shapes):
            return p
    return None


def _flows_of(container: etree._Element) -> list[tuple[str, str, str]]:
    return [
        (el.get("id", ""), el.get("sourceRef", ""), el.get("targetRef", ""))
        for el in container
        if local_name(el) == "sequenceFlow"
    ]


def _fragments(container: etree._Element, nodes: list[etree._Element]) -> list[list[str]]:
    """The new nodes of a container, grouped by the sequence flows that join them."""
    g: nx.Graph = nx.Graph()
    g.add_nodes_from(el.get("id", "") for el in nodes)
    g.add_edges_from((s, t) for _f, s, t in _flows_of(container) if s in g and t in g)
    order = {el.get("id", ""): i for i, el in enumerate(nodes)}
    return [sorted(c, key=order.__getitem__) for c in nx.connected_components(g)]


def _place_fragment(
    container: etree._Element, fragment: list[str], plane: _Plane, planes: list[_Plane]
) -> None:
    kinds = {el.get("id", ""): local_name(el) or "task" for el in container if el.get("id")}
    flows = _flows_of(container)
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
    _make_room(plane, right, lay.width + GAP, anchor_box)
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
    container: etree._Element, nodes: list[etree._Element], plane: _Plane
) -> list[tuple[str, str, str, str]]:
    """New parallel split/join pairs around two kept steps: ``(split, u, v, join)``."""
    new = {el.get("id", ""): local_name(el) for el in nodes}
    out: dict[str, list[str]] = {}
    for _f, s, t in _flows_of(container):
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
    container: etree._Element, block: tuple[str, str, str, str], plane: _Plane
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
        _make_room(plane, old_end, jx + gw - old_end, bu)
    lane_u, lane_v = _lane_box(plane, bu), _lane_box(plane, bv)
    if lane_u == lane_v:  # one above the other, in the lane of u
        vy = bu[1] + bu[3] + 20
        if lane_u is not None and vy + bv[3] + 10 > lane_u[1] + lane_u[3]:
            _make_room_down(plane, bu[1] + bu[3] + 1, vy + bv[3] + 10 - lane_u[1] - lane_u[3])
    else:
        vy = bv[1]
    moved = {u: (col, bu[1]), v: (col, vy)}
    for n, (x, y) in moved.items():
        b = bounds(plane.shapes[n])
        if b is not None:
            _move_node(container, plane, n, b, x - b[0], y - b[1])
    plane.shapes[sid] = add_shape(plane.plane, sid, (bu[0], ry - gh / 2, gw, gh))
    plane.shapes[jid] = add_shape(plane.plane, jid, (jx, ry - gh / 2, gw, gh))
    return set(moved) | {
        el.get("id", "")
        for el in container
        if local_name(el) == "boundaryEvent" and el.get("attachedToRef") in moved
    }


def _move_node(
    container: etree._Element, plane: _Plane, n: str, b: Box, dx: float, dy: float
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
                _set_bounds(box_el, (bb[0] + dx, bb[1] + dy, bb[2], bb[3]))


def _lane_box(plane: _Plane, b: Box) -> Box | None:
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


def _make_room_down(plane: _Plane, y0: float, dy: float) -> None:
    """Move everything below ``y0`` down by ``dy``; the pools and lanes that span ``y0``
    grow (bpmn-js's space tool, dragged downwards)."""
    for shape in plane.shapes.values():
        b = bounds(shape)
        if b is None:
            continue
        if b[1] >= y0:
            _set_bounds(shape, (b[0], b[1] + dy, b[2], b[3]))
        elif b[1] + b[3] > y0 and shape.get("isHorizontal") == "true":
            _set_bounds(shape, (b[0], b[1], b[2], b[3] + dy))
        for label in shape:
            lb = bounds(label) if local_name(label) == "BPMNLabel" else None
            if lb is not None and lb[1] >= y0:
                _set_bounds(label, (lb[0], lb[1] + dy, lb[2], lb[3]))
    for edge in plane.edges.values():
        for wp in edge.iter(qname(DI_NS, "waypoint")):
            y = float(wp.get("y", 0))
            if y > y0:
                wp.set("y", f"{y + dy:.0f}")
        for label in edge:
            lb = bounds(label) if local_name(label) == "BPMNLabel" else None
            if lb is not None and lb[1] >= y0:
                _set_bounds(label, (lb[0], lb[1] + dy, lb[2], lb[3]))


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


def _redraw_connections(root: etree._Element, planes: list[_Plane], moved: set[str]) -> None:
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


def _region(plane: _Plane, anchor: Box) -> tuple[float, float]:
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


def _make_room(plane: _Plane, x0: float, dx: float, anchor: Box) -> None:
    """Move everything right of ``x0`` (the anchor's right side) in the anchor's pool right
    by ``dx`` and widen the pool and the lanes that span ``x0`` (bpmn-js's space tool)."""
    top, bottom = _region(plane, anchor)
    for shape in plane.shapes.values():
        b = bounds(shape)
        if b is None or b[1] + b[3] < top or b[1] > bottom:
            continue
        if b[0] >= x0:
            _set_bounds(shape, (b[0] + dx, b[1], b[2], b[3]))
        elif b[0] + b[2] > x0 and (shape.get("isHorizontal") == "true" or b[2] > 2 * dx):
            # a pool or lane spanning the gap, an expanded sub-process or a group: widen it
            _set_bounds(shape, (b[0], b[1], b[2] + dx, b[3]))
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
                _set_bounds(label, (b[0] + dx, b[1], b[2], b[3]))


def _reroute(root: etree._Element, planes: list[_Plane], changed: set[str]) -> None:
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


# ---------------------------------------------------------------- a fresh layout


def _below(p: _Plane, boxes: dict[str, Box], s: Box, t: Box, default: float) -> float:
    """Where a flow going back runs: under the shapes between its ends, inside the lane
    of its source (not under the whole diagram)."""
    if t[0] > s[0] + s[2]:
        return default
    lane = _lane_box(p, s)
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


def _lanes_of(container: etree._Element) -> list[tuple[str, list[str]]]:
    """Leaf lanes of a container (nested lane sets flattened) with their node refs."""
    out: list[tuple[str, list[str]]] = []

    def walk(lane_set: etree._Element) -> None:
        for lane in lane_set:
            if local_name(lane) != "lane":
                continue
            child = next((c for c in lane if local_name(c) == "childLaneSet"), None)
            refs = [(r.text or "").strip() for r in lane if local_name(r) == "flowNodeRef"]
            if child is not None and any(local_name(c) == "lane" for c in child):
                walk(child)
            else:
                out.append((lane.get("id", ""), refs))

    for ls in container:
        if local_name(ls) == "laneSet":
            walk(ls)
    return out


def _all_lanes(container: etree._Element) -> list[etree._Element]:
    return [el for el in container.iter() if local_name(el) == "lane" and el.get("id")]


def _add_collaboration(
    root: etree._Element, processes: dict[str, etree._Element]
) -> etree._Element:
    """bpmn-js draws lanes only inside a pool: wrap the processes in one, as it does."""
    bns = namespace(root)
    taken = {el.get("id") for el in root.iter() if isinstance(el.tag, str)}

    def fresh(base: str) -> str:
        i, name = 1, base
        while name in taken:
            i, name = i + 1, f"{base}_{i}"
        taken.add(name)
        return name

    collab = etree.Element(qname(bns, "collaboration"), id=fresh("Collaboration_1"))
    for pid, proc in processes.items():
        part = etree.SubElement(
            collab, qname(bns, "participant"), id=fresh(f"Participant_{pid}"), processRef=pid
        )
        if proc.get("name"):
            part.set("name", proc.get("name", ""))
    first = next(i for i, el in enumerate(root) if local_name(el) == "process")
    root.insert(first, collab)
    return collab


class _Fresh:
    """One fresh diagram per collaboration (or process) and per sub-process."""

    def __init__(self, root: etree._Element):
        self.root = root
        self.count = 0
        self.subprocesses: list[etree._Element] = []

    def diagram(self, element: str) -> etree._Element:
        self.count += 1
        d = etree.SubElement(
            self.root, qname(BPMNDI_NS, "BPMNDiagram"), id=f"BPMNDiagram_{self.count}"
        )
        return etree.SubElement(
            d, qname(BPMNDI_NS, "BPMNPlane"), id=f"BPMNPlane_{self.count}", bpmnElement=element
        )

    def container(
        self, plane: etree._Element, container: etree._Element, origin: tuple[float, float]
    ) -> tuple[dict[str, Box], float, list[tuple[str, Box]], float]:
        """Lay out one container's flow nodes; returns positions, width, lane bands and the
        bottom of what was drawn."""
        lanes = _lanes_of(container)
        nodes = {
            el.get("id", ""): local_name(el) or "task"
            for el in container
            if local_name(el) in FLOW_NODE_TYPES
            and local_name(el) != "boundaryEvent"
            and el.get("id")
        }
        hosts = {
            el.get("id", ""): el.get("attachedToRef", "")
            for el in container
            if local_name(el) == "boundaryEvent" and el.get("id")
        }
        edges = [(s, t) for _f, s, t in _flows_of(container)]
        edges = [(hosts.get(s, s), t) for s, t in edges]  # what follows a boundary event
        sizes = {n: size_of(k) for n, k in nodes.items()}
        clusters = {lid: [r for r in refs if r in sizes] for lid, refs in lanes} if lanes else None
        lay = dot_layout(sizes, edges, clusters)
        ox, oy = origin
        pos = {
            n: (ox + cx - sizes[n][0] / 2, oy + cy - sizes[n][1] / 2, *sizes[n])
            for n, (cx, cy) in lay.centers.items()
        }
        bands = _bands(lanes, lay, oy)
        for el in container:
            nid = el.get("id", "")
            if nid in pos:
                extra = {}
                if local_name(el) in SUBPROCESS_TYPES:
                    extra["isExpanded"] = "false"
                    self.subprocesses.append(el)
                if local_name(el) == "exclusiveGateway":
                    extra["isMarkerVisible"] = "true"
                add_shape(plane, nid, pos[nid], attrs=extra)
        self._boundaries(plane, container, pos)
        bottom = max((b[1] + b[3] for b in pos.values()), default=oy)
        bottom = max([bottom, *(b[1] + b[3] for _l, b in bands)])
        bottom = self._artifacts(plane, container, pos, bottom + 20, origin[0])
        self._edges(plane, container, pos)
        return pos, lay.width, bands, bottom + 20

    def _boundaries(self, plane: etree._Element, container: etree._Element, pos: dict) -> None:
        per_host: dict[str, int] = {}
        for el in container:
            host, bid = el.get("attachedToRef", ""), el.get("id", "")
            if local_name(el) == "boundaryEvent" and host in pos and bid:
                hx, hy, hw, hh = pos[host]
                i = per_host.get(host, 0)
                per_host[host] = i + 1
                pos[bid] = (hx + hw - 30 - i * 40, hy + hh - 18, 36, 36)
                add_shape(plane, bid, pos[bid])

    def _artifacts(
        self, plane: etree._Element, container: etree._Element, pos: dict, row_y: float, x0: float
    ) -> float:
        """Data objects, stores, annotations and groups in a row under their readers."""
        readers: dict[str, str] = {}
        for el in container.iter():
            parent = el.getparent()
            if parent is not None and local_name(el) in (
                "dataInputAssociation",
                "dataOutputAssociation",
            ):
                task = parent.get("id", "")
                for c in el:
                    if local_name(c) in ("sourceRef", "targetRef") and c.text:
                        readers.setdefault(c.text.strip(), task)
        for el in container:
            if local_name(el) == "association":
                readers.setdefault(el.get("targetRef", ""), el.get("sourceRef", ""))
                readers.setdefault(el.get("sourceRef", ""), el.get("targetRef", ""))
        used: set[int] = set()
        bottom = row_y
        for el in container:
            name = local_name(el) or ""
            if name not in _ARTIFACTS or not el.get("id"):
                continue
            w, h = size_of(name)
            anchor = pos.get(readers.get(el.get("id", ""), ""))
            slot = int((anchor[0] + 30 if anchor else x0 + 40) // 60)
            while slot in used:
                slot += 1
            used.add(slot)
            pos[el.get("id")] = (slot * 60, row_y, w, h)
            add_shape(plane, el.get("id", ""), pos[el.get("id")])
            bottom = max(bottom, row_y + h)
        return bottom

    def _edges(self, plane: etree._Element, container: etree._Element, pos: dict) -> None:
        below = max((p[1] + p[3] for p in pos.values()), default=0)
        for el in container:
            name = local_name(el)
            s, t = pos.get(el.get("sourceRef", "")), pos.get(el.get("targetRef", ""))
            if name == "sequenceFlow" and s and t:
                add_edge(plane, el.get("id", ""), route(s, t, below))
            elif name == "association" and s and t:
                add_edge(plane, el.get("id", ""), between(s, t))
        for el in container:
            if local_name(el) not in FLOW_NODE_TYPES:
                continue
            for i, assoc in enumerate(el):
                name = local_name(assoc)
                if name not in ("dataInputAssociation", "dataOutputAssociation"):
                    continue
                if not assoc.get("id"):
                    assoc.set("id", f"{el.get('id')}_{name}_{i}")
                end = "sourceRef" if name == "dataInputAssociation" else "targetRef"
                ref = next(((c.text or "").strip() for c in assoc if local_name(c) == end), "")
                d, task = pos.get(ref), pos.get(el.get("id", ""))
                if d and task:
                    a, b = (d, task) if name == "dataInputAssociation" else (task, d)
                    add_edge(plane, assoc.get("id", ""), between(a, b))


def _bands(lanes: list[tuple[str, list[str]]], lay: DotLayout, oy: float) -> list[tuple[str, Box]]:
    """Contiguous horizontal bands for the lanes, in the order dot stacked their clusters."""
    boxes = [(lid, lay.clusters.get(lid)) for lid, _refs in lanes]
    placed = sorted(((lid, b) for lid, b in boxes if b), key=lambda x: x[1][1])
    empty = [lid for lid, b in boxes if not b]
    out: list[tuple[str, Box]] = []
    y = oy
    for i, (lid, b) in enumerate(placed):
        nxt = placed[i + 1][1][1] if i + 1 < len(placed) else b[1] + b[3] + 20
        bottom = oy + (b[1] + b[3] + nxt) / 2 if i + 1 < len(placed) else oy + b[1] + b[3] + 20
        out.append((lid, (0, y, 0, bottom - y)))
        y = bottom
    for lid in empty:
        out.append((lid, (0, y, 0, 100)))
        y += 100
    return out


def _fresh_layout(root: etree._Element) -> None:
    bns = namespace(root)
    processes = {
        el.get("id", ""): el for el in root if local_name(el) == "process" and namespace(el) == bns
    }
    collab = next((el for el in root if local_name(el) == "collaboration"), None)
    if collab is None and any(_lanes_of(p) for p in processes.values()):
        collab = _add_collaboration(root, processes)
    fresh = _Fresh(root)
    drawn: set[str] = set()
    if collab is not None:
        plane = fresh.diagram(collab.get("id", ""))
        y = 60.0
        boxes: dict[str, Box] = {}
        for part in collab:
            if local_name(part) != "participant":
                continue
            proc = processes.get(part.get("processRef", ""))
            top = y
            if proc is not None:
                drawn.add(part.get("processRef", ""))
                pos, width, bands, bottom = fresh.container(
                    plane, proc, (POOL_X + POOL_LABEL + 40, y + 20)
                )
                boxes.update(pos)
                width, height = width + 120, bottom - top
                _draw_lanes(plane, proc, bands, POOL_X + POOL_LABEL, width)
            else:
                width, height = 600, 100
            add_shape(plane, part.get("id", ""), (POOL_X, top, width + POOL_LABEL, height), True)
            boxes[part.get("id", "")] = (POOL_X, top, width + POOL_LABEL, height)
            y = top + height + 40
        for mf in collab:
            if local_name(mf) == "messageFlow":
                s, t = boxes.get(mf.get("sourceRef", "")), boxes.get(mf.get("targetRef", ""))
                if s and t:
                    add_edge(plane, mf.get("id", ""), between(s, t))
    for pid, proc in processes.items():
        if pid in drawn:
            continue
        plane = fresh.diagram(pid)
        _pos, width, bands, _bottom = fresh.container(plane, proc, (160, 80))
        _draw_lanes(plane, proc, bands, 130, width + 120)
    while fresh.subprocesses:
        sp = fresh.subprocesses.pop(0)
        fresh.container(fresh.diagram(sp.get("id", "")), sp, (160, 80))


def _draw_lanes(
    plane: etree._Element,
    proc: etree._Element,
    bands: list[tuple[str, Box]],
    x: float,
    width: float,
) -> None:
    for lid, b in bands:
        add_shape(plane, lid, (x, b[1], width, b[3]), True)
    leaf = {lid for lid, _b in bands}
    if not bands:
        return
    top, bottom = bands[0][1][1], bands[-1][1][1] + bands[-1][1][3]
    for lane in _all_lanes(proc):  # parent lanes of nested lane sets span their children
        if lane.get("id") not in leaf:
            add_shape(plane, lane.get("id", ""), (x, top, width, bottom - top), True)
