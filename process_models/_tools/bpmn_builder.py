"""Emit a BPMN 2.0 file with diagram interchange from a compact procedure description.

A library procedure is described as lanes, flow nodes, sequence flows, boundary timers
and dossier components (see ``library.py``); this module lays it out left to right in a
pool with one horizontal lane per role and writes what a modeller would save: readable
ids and names, ``tt:`` annotations, ``spiffworkflow:`` service-task operators and
message payloads, and a BPMNShape/BPMNEdge for every element (it opens in bpmn-js).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TT = "urn:toantrinh:bpmn:1"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NSMAP = {
    "bpmn": BPMN,
    "bpmndi": BPMNDI,
    "dc": DC,
    "di": DI,
    "xsi": XSI,
    "tt": TT,
    "spiffworkflow": SPIFF,
}

SIZES = {"task": (100, 80), "event": (36, 36), "gateway": (50, 50), "data": (36, 50)}
TASK_KINDS = {
    "user": "userTask",
    "service": "serviceTask",
    "script": "scriptTask",
    "manual": "manualTask",
}
COL_W = 160
ROW_H = 120
DATA_STRIP = 90
POOL_X, POOL_Y = 160, 80
POOL_HEADER = 30
FIRST_X = POOL_X + POOL_HEADER + 60


@dataclass
class Node:
    id: str
    kind: str  # start, end, user, service, script, xor, msg_start, msg_end, msg_throw, msg_catch, timer_catch
    name: str
    lane: str
    step: dict[str, str] | None = None
    form: str | None = None
    operator: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    result: str | None = None
    script: str | None = None
    message: str | None = None
    payload: str | None = None
    message_var: str | None = None
    timer: str | None = None
    default: str | None = None
    documentation: str | None = None


@dataclass
class Flow:
    source: str
    target: str
    name: str | None = None
    condition: str | None = None
    id: str | None = None


@dataclass
class Boundary:
    id: str
    name: str
    host: str
    timer: str
    interrupting: bool = False


@dataclass
class Component:
    id: str  # the data object reference id, e.g. DOR_ToKhai
    name: str
    code: str
    document_type: str
    copy: str
    required: bool
    legal_basis: str
    fields: list[str]
    readers: list[str]
    note: str | None = None


@dataclass
class Model:
    process_id: str
    name: str
    participant: str
    code: str | None
    lanes: list[tuple[str, str, str]]  # (lane key/role, lane id suffix, display name)
    nodes: list[Node]
    flows: list[Flow]
    boundaries: list[Boundary] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    tag: str = "P"


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


class _Layout:
    """Columns by longest path from the start events (back edges ignored), one row per
    node and column inside its lane, a strip at the top of a lane for its components."""

    def __init__(self, model: Model):
        self.model = model
        nodes = {n.id: n for n in model.nodes}
        succ: dict[str, list[str]] = {n: [] for n in nodes}
        hosts = {b.id: b.host for b in model.boundaries}
        for f in model.flows:
            succ[hosts.get(f.source, f.source)].append(f.target)
        starts = [n.id for n in model.nodes if n.kind in ("start", "msg_start")]
        # DFS to find back edges
        back: set[tuple[str, str]] = set()
        state: dict[str, int] = {}

        def dfs(u: str) -> None:
            state[u] = 1
            for v in succ[u]:
                if state.get(v) == 1:
                    back.add((u, v))
                elif v not in state:
                    dfs(v)
            state[u] = 2

        for s in starts:
            if s not in state:
                dfs(s)
        for n in nodes:
            if n not in state:
                dfs(n)
        self.back = back
        order: list[str] = []
        seen: set[str] = set()

        def topo(u: str) -> None:
            seen.add(u)
            for v in succ[u]:
                if (u, v) not in back and v not in seen:
                    topo(v)
            order.append(u)

        for s in starts + list(nodes):
            if s not in seen:
                topo(s)
        order.reverse()
        col = {n: 0 for n in nodes}
        for u in order:
            for v in succ[u]:
                if (u, v) not in back:
                    col[v] = max(col[v], col[u] + 1)
        self.col = col
        lane_keys = [lane[0] for lane in model.lanes]
        rows: dict[str, int] = {}
        used: set[tuple[str, int, int]] = set()
        for n in sorted(model.nodes, key=lambda n: (col[n.id], model.nodes.index(n))):
            r = 0
            while (n.lane, col[n.id], r) in used:
                r += 1
            used.add((n.lane, col[n.id], r))
            rows[n.id] = r
        self.rows = rows
        has_data = {c_lane for c_lane in (self._component_lane(c) for c in model.components)}
        self.lane_top: dict[str, int] = {}
        self.lane_height: dict[str, int] = {}
        self.strip: dict[str, int] = {}
        y = POOL_Y
        for key in lane_keys:
            nrows = 1 + max([rows[n.id] for n in model.nodes if n.lane == key] or [0])
            strip = DATA_STRIP if key in has_data else 0
            height = strip + nrows * ROW_H + 20
            self.lane_top[key], self.lane_height[key], self.strip[key] = y, height, strip
            y += height
        self.pool_height = y - POOL_Y
        self.pool_width = FIRST_X - POOL_X + (max(col.values()) + 1) * COL_W + 40

    def _component_lane(self, c: Component) -> str:
        nodes = {n.id: n for n in self.model.nodes}
        return nodes[c.readers[0]].lane

    def center(self, node: Node) -> tuple[int, int]:
        x = FIRST_X + self.col[node.id] * COL_W + 50
        y = (
            self.lane_top[node.lane]
            + self.strip[node.lane]
            + self.rows[node.id] * ROW_H
            + ROW_H // 2
            + 10
        )
        return x, y


def _size(node: Node) -> tuple[int, int]:
    if node.kind in TASK_KINDS:
        return SIZES["task"]
    if node.kind == "xor":
        return SIZES["gateway"]
    return SIZES["event"]


def _bounds(layout: _Layout, node: Node) -> tuple[int, int, int, int]:
    cx, cy = layout.center(node)
    w, h = _size(node)
    return cx - w // 2, cy - h // 2, w, h


def _text(
    parent: etree._Element, tag: str, text: str, attrib: dict[str, str] | None = None
) -> etree._Element:
    el = etree.SubElement(parent, tag, attrib or {})
    el.text = text
    return el


def build(model: Model) -> bytes:
    """Return the BPMN XML of ``model`` (UTF-8, indented)."""
    layout = _Layout(model)
    nodes = {n.id: n for n in model.nodes}
    flows = list(model.flows)
    for i, f in enumerate(flows):
        f.id = f.id or f"Flow_{f.source}_{f.target}".replace("__", "_")
        if sum(1 for g in flows[:i] if g.id == f.id):
            f.id = f"{f.id}_{i}"
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for f in flows:
        outgoing.setdefault(f.source, []).append(f.id)
        incoming.setdefault(f.target, []).append(f.id)

    tag = model.tag
    root = etree.Element(
        q(BPMN, "definitions"),
        nsmap=NSMAP,
        attrib={
            "id": f"Definitions_{tag}",
            "targetNamespace": "urn:toantrinh:procedures",
            "exporter": "Toàn Trình",
            "exporterVersion": "0.1",
        },
    )
    collab = etree.SubElement(root, q(BPMN, "collaboration"), id=f"Collaboration_{tag}")
    etree.SubElement(
        collab,
        q(BPMN, "participant"),
        id=f"Participant_{tag}",
        name=model.participant,
        processRef=model.process_id,
    )
    messages = sorted({n.message for n in model.nodes if n.message})
    for m in messages:
        etree.SubElement(root, q(BPMN, "message"), id=f"Message_{m}", name=m)

    proc = etree.SubElement(
        root, q(BPMN, "process"), id=model.process_id, name=model.name, isExecutable="true"
    )
    if model.code is not None:
        ext = etree.SubElement(proc, q(BPMN, "extensionElements"))
        etree.SubElement(ext, q(TT, "procedure"), code=model.code)
    lane_set = etree.SubElement(proc, q(BPMN, "laneSet"), id=f"LaneSet_{tag}")
    for key, suffix, label in model.lanes:
        lane = etree.SubElement(lane_set, q(BPMN, "lane"), id=f"Lane_{suffix}", name=label)
        ext = etree.SubElement(lane, q(BPMN, "extensionElements"))
        etree.SubElement(ext, q(TT, "lane"), role=key, label=label)
        for n in model.nodes:
            if n.lane == key:
                _text(lane, q(BPMN, "flowNodeRef"), n.id)
        for b in model.boundaries:
            if nodes[b.host].lane == key:
                _text(lane, q(BPMN, "flowNodeRef"), b.id)

    readers: dict[str, list[Component]] = {}
    for c in model.components:
        for r in c.readers:
            readers.setdefault(r, []).append(c)

    for n in model.nodes:
        _emit_node(proc, n, incoming.get(n.id, []), outgoing.get(n.id, []), readers.get(n.id, []))
    for b in model.boundaries:
        ev = etree.SubElement(
            proc, q(BPMN, "boundaryEvent"), id=b.id, name=b.name, attachedToRef=b.host
        )
        if not b.interrupting:
            ev.set("cancelActivity", "false")
        for fid in outgoing.get(b.id, []):
            _text(ev, q(BPMN, "outgoing"), fid)
        td = etree.SubElement(ev, q(BPMN, "timerEventDefinition"), id=f"TimerDef_{b.id}")
        _text(td, q(BPMN, "timeDuration"), b.timer, {q(XSI, "type"): "bpmn:tFormalExpression"})
    for c in model.components:
        obj_id = c.id.replace("DOR_", "DO_", 1)
        etree.SubElement(proc, q(BPMN, "dataObject"), id=obj_id)
        ref = etree.SubElement(
            proc, q(BPMN, "dataObjectReference"), id=c.id, name=c.name, dataObjectRef=obj_id
        )
        ext = etree.SubElement(ref, q(BPMN, "extensionElements"))
        attrs = {
            "code": c.code,
            "documentType": c.document_type,
            "copy": c.copy,
            "required": "true" if c.required else "false",
            "legalBasis": c.legal_basis,
        }
        if c.note:
            attrs["note"] = c.note
        comp = etree.SubElement(ext, q(TT, "component"), attrs)
        for fname in c.fields:
            etree.SubElement(comp, q(TT, "field"), name=fname)
    for f in flows:
        el = etree.SubElement(
            proc, q(BPMN, "sequenceFlow"), id=f.id, sourceRef=f.source, targetRef=f.target
        )
        if f.name:
            el.set("name", f.name)
        if f.condition:
            _text(
                el,
                q(BPMN, "conditionExpression"),
                f.condition,
                {q(XSI, "type"): "bpmn:tFormalExpression"},
            )

    _emit_di(root, model, layout, flows, nodes)
    etree.indent(root, space="  ")
    body = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _emit_node(proc, n: Node, inc: list[str], out: list[str], comps: list[Component]) -> None:
    if n.kind in TASK_KINDS:
        el = etree.SubElement(proc, q(BPMN, TASK_KINDS[n.kind]), id=n.id, name=n.name)
    elif n.kind == "xor":
        el = etree.SubElement(proc, q(BPMN, "exclusiveGateway"), id=n.id, name=n.name)
        if n.default:
            el.set("default", n.default)
    elif n.kind in ("start", "msg_start"):
        el = etree.SubElement(proc, q(BPMN, "startEvent"), id=n.id, name=n.name)
    elif n.kind in ("end", "msg_end"):
        el = etree.SubElement(proc, q(BPMN, "endEvent"), id=n.id, name=n.name)
    elif n.kind == "msg_throw":
        el = etree.SubElement(proc, q(BPMN, "intermediateThrowEvent"), id=n.id, name=n.name)
    elif n.kind in ("msg_catch", "timer_catch"):
        el = etree.SubElement(proc, q(BPMN, "intermediateCatchEvent"), id=n.id, name=n.name)
    else:
        raise ValueError(f"unknown node kind {n.kind}")
    if n.documentation:
        _text(el, q(BPMN, "documentation"), n.documentation)
    if n.step or n.form or n.operator or n.script:
        ext = etree.SubElement(el, q(BPMN, "extensionElements"))
        if n.step:
            etree.SubElement(ext, q(TT, "step"), n.step)
        if n.form:
            etree.SubElement(ext, q(TT, "form"), ref=n.form)
        if n.operator:
            op = etree.SubElement(
                ext,
                q(SPIFF, "serviceTaskOperator"),
                id=n.operator,
                resultVariable=n.result or "result",
            )
            params = etree.SubElement(op, q(SPIFF, "parameters"))
            for pname, expr in n.params.items():
                etree.SubElement(params, q(SPIFF, "parameter"), id=pname, type="str", value=expr)
    for fid in inc:
        _text(el, q(BPMN, "incoming"), fid)
    for fid in out:
        _text(el, q(BPMN, "outgoing"), fid)
    if comps and n.kind in TASK_KINDS:
        # BPMN requires a dataInputAssociation to target a property of the task; the
        # property only anchors the association (modelling tools name it this way too)
        for c in comps:
            etree.SubElement(
                el, q(BPMN, "property"), id=f"Property_{n.id}_{c.id}", name="targetRef_placeholder"
            )
        for c in comps:
            dia = etree.SubElement(el, q(BPMN, "dataInputAssociation"), id=f"DIA_{n.id}_{c.id}")
            _text(dia, q(BPMN, "sourceRef"), c.id)
            _text(dia, q(BPMN, "targetRef"), f"Property_{n.id}_{c.id}")
    if n.kind == "script":
        _text(el, q(BPMN, "script"), n.script or "")
    if n.message:
        md = etree.SubElement(
            el,
            q(BPMN, "messageEventDefinition"),
            id=f"MessageDef_{n.id}",
            messageRef=f"Message_{n.message}",
        )
        if n.payload or n.message_var:
            mext = etree.SubElement(md, q(BPMN, "extensionElements"))
            if n.payload:
                _text(mext, q(SPIFF, "messagePayload"), n.payload)
            if n.message_var:
                _text(mext, q(SPIFF, "messageVariable"), n.message_var)
    if n.timer:
        td = etree.SubElement(el, q(BPMN, "timerEventDefinition"), id=f"TimerDef_{n.id}")
        _text(td, q(BPMN, "timeDuration"), n.timer, {q(XSI, "type"): "bpmn:tFormalExpression"})


def _shape(plane, element: str, x: int, y: int, w: int, h: int, **extra: str) -> etree._Element:
    shape = etree.SubElement(
        plane, q(BPMNDI, "BPMNShape"), id=f"{element}_di", bpmnElement=element, **extra
    )
    etree.SubElement(shape, q(DC, "Bounds"), x=str(x), y=str(y), width=str(w), height=str(h))
    return shape


def _label(shape, x: int, y: int, w: int, h: int) -> None:
    label = etree.SubElement(shape, q(BPMNDI, "BPMNLabel"))
    etree.SubElement(label, q(DC, "Bounds"), x=str(x), y=str(y), width=str(w), height=str(h))


def _edge(plane, element: str, points: list[tuple[int, int]]) -> None:
    edge = etree.SubElement(plane, q(BPMNDI, "BPMNEdge"), id=f"{element}_di", bpmnElement=element)
    cleaned: list[tuple[int, int]] = []
    for p in points:
        if not cleaned or cleaned[-1] != p:
            cleaned.append(p)
    for x, y in cleaned:
        etree.SubElement(edge, q(DI, "waypoint"), x=str(x), y=str(y))


def _emit_di(
    root, model: Model, layout: _Layout, flows: list[Flow], nodes: dict[str, Node]
) -> None:
    tag = model.tag
    diagram = etree.SubElement(root, q(BPMNDI, "BPMNDiagram"), id=f"BPMNDiagram_{tag}")
    plane = etree.SubElement(
        diagram, q(BPMNDI, "BPMNPlane"), id=f"BPMNPlane_{tag}", bpmnElement=f"Collaboration_{tag}"
    )
    _shape(
        plane,
        f"Participant_{tag}",
        POOL_X,
        POOL_Y,
        layout.pool_width,
        layout.pool_height,
        isHorizontal="true",
    )
    for key, suffix, _label_text in model.lanes:
        _shape(
            plane,
            f"Lane_{suffix}",
            POOL_X + POOL_HEADER,
            layout.lane_top[key],
            layout.pool_width - POOL_HEADER,
            layout.lane_height[key],
            isHorizontal="true",
        )
    boxes: dict[str, tuple[int, int, int, int]] = {}
    for n in model.nodes:
        x, y, w, h = _bounds(layout, n)
        boxes[n.id] = (x, y, w, h)
        extra = {"isMarkerVisible": "true"} if n.kind == "xor" else {}
        shape = _shape(plane, n.id, x, y, w, h, **extra)
        if n.kind == "xor":
            _label(shape, x - 25, y - 32, 100, 27)
        elif n.kind not in TASK_KINDS:
            _label(shape, x - 32, y + h + 4, 100, 40)
    for b in model.boundaries:
        hx, hy, hw, hh = boxes[b.host]
        x, y = hx + hw - 36 - 8, hy + hh - 18
        boxes[b.id] = (x, y, 36, 36)
        shape = _shape(plane, b.id, x, y, 36, 36)
        _label(shape, x + 30, y + 36, 100, 27)
    # components: in the strip at the top of the first reader's lane, above that reader
    placed: dict[tuple[str, int], int] = {}
    for c in model.components:
        reader = nodes[c.readers[0]]
        col = layout.col[reader.id]
        slot = placed.get((reader.lane, col), 0)
        placed[(reader.lane, col)] = slot + 1
        cx = layout.center(reader)[0] - 60 + slot * 44
        y = layout.lane_top[reader.lane] + 12
        boxes[c.id] = (cx, y, 36, 50)
        shape = _shape(plane, c.id, cx, y, 36, 50)
        _label(shape, cx - 20, y + 52, 80, 14)
    node_boxes = {k: v for k, v in boxes.items() if k in nodes}
    for f in flows:
        points = _route(
            boxes[f.source],
            boxes[f.target],
            nodes.get(f.source),
            (f.source, f.target) in layout.back,
        )
        others = [b for k, b in node_boxes.items() if k not in (f.source, f.target)]
        _edge(plane, f.id, _avoid(points, others))
    for c in model.components:
        dx, dy, dw, dh = boxes[c.id]
        for r in c.readers:
            tx, ty, tw, th = boxes[r]
            start = (dx + dw // 2, dy + dh)
            end = (tx + tw // 2, ty) if ty > dy + dh else (tx + tw // 2, ty + th)
            _edge(plane, f"DIA_{r}_{c.id}", [start, end])


def _route(src, tgt, src_node: Node | None, back: bool) -> list[tuple[int, int]]:
    """Orthogonal waypoints from ``src`` to ``tgt`` (bounds ``x, y, w, h``)."""
    sx, sy, sw, sh = src
    tx, ty, tw, th = tgt
    scy, tcy = sy + sh // 2, ty + th // 2
    scx, tcx = sx + sw // 2, tx + tw // 2
    if src_node is None:  # from a boundary event on the bottom edge of its host: go down first
        below = sy + sh + 22
        if tx > sx:
            return [(scx, sy + sh), (scx, below), (tx - 24, below), (tx - 24, tcy), (tx, tcy)]
        return [(scx, sy + sh), (scx, below), (tcx, below), (tcx, ty + th)]
    if back or tx <= sx:
        if abs(scy - tcy) < 2:  # same row: loop underneath
            low = max(sy + sh, ty + th) + 25
            return [(scx, sy + sh), (scx, low), (tcx, low), (tcx, ty + th)]
        # another row: leave on the side facing the target, run just outside the source
        # (clear of the forward edge into it), enter the target vertically
        if tcy > scy:
            return [(scx, sy), (scx, sy - 16), (tcx, sy - 16), (tcx, ty)]
        return [(scx, sy + sh), (scx, sy + sh + 16), (tcx, sy + sh + 16), (tcx, ty + th)]
    if abs(scy - tcy) < 2:
        return [(sx + sw, scy), (tx, tcy)]
    if src_node.kind == "xor":  # gateways branch from their top or bottom corner
        start = (scx, sy + sh) if tcy > scy else (scx, sy)
        return [start, (scx, tcy), (tx, tcy)]
    mid = tx - 30
    return [(sx + sw, scy), (mid, scy), (mid, tcy), (tx, tcy)]


def _crosses(p: tuple[int, int], q: tuple[int, int], box: tuple[int, int, int, int]) -> bool:
    """Does the axis-parallel segment p–q pass through the inside of ``box``?"""
    x, y, w, h = box
    if p[1] == q[1]:
        lo, hi = sorted((p[0], q[0]))
        return y < p[1] < y + h and lo < x + w and hi > x
    if p[0] == q[0]:
        lo, hi = sorted((p[1], q[1]))
        return x < p[0] < x + w and lo < y + h and hi > y
    return False


def _avoid(
    points: list[tuple[int, int]], obstacles: list[tuple[int, int, int, int]]
) -> list[tuple[int, int]]:
    """Detour a horizontal run that would cut through other shapes: drop below them."""
    out = [points[0]]
    for p, q in itertools.pairwise(points):
        blocking = [b for b in obstacles if _crosses(p, q, b)]
        if p[1] == q[1] and blocking:
            low = max(b[1] + b[3] for b in blocking) + 14
            step = 12 if q[0] > p[0] else -12
            out += [
                (p[0] + step, p[1]),
                (p[0] + step, low),
                (q[0] - step, low),
                (q[0] - step, q[1]),
            ]
        out.append(q)
    return out
