"""A fresh layout, for a model without a diagram (or with one that draws too little of
it): Graphviz ``dot`` places the flow nodes of each process (lanes as clusters, made
contiguous bands), pools are stacked, data objects sit under their readers, each
sub-process is drawn collapsed with its own plane (as bpmn-js does)."""

from __future__ import annotations

from lxml import etree

from toantrinh.bpmn.namespaces import BPMNDI_NS, qname
from toantrinh.bpmn.xml import local_name, namespace

from ..load import FLOW_NODE_TYPES, SUBPROCESS_TYPES
from .diagram import Box, add_edge, add_shape, between, flows_of, route, size_of
from .dot import DotLayout, dot_layout

POOL_X = 50
POOL_LABEL = 30  # the band where a pool's name is written
_ARTIFACTS = ("dataObjectReference", "dataStoreReference", "textAnnotation", "group")


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
        edges = [(s, t) for _f, s, t in flows_of(container)]
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


def fresh_layout(root: etree._Element) -> None:
    """Draw a model from scratch: one diagram for the collaboration (pools stacked, message
    flows between them) or for each process drawn in no pool, and one per sub-process."""
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
