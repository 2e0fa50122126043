"""Graphviz ``dot`` as a layout engine: node centres and cluster boxes in BPMN pixels,
with a longest-path layering when ``dot`` is not installed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import graphviz
import networkx as nx

from ..graph import back_edges
from .diagram import Box


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
