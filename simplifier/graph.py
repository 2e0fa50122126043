"""Control-flow graph of a model, structural checks and complexity metrics.

The graph is a :class:`networkx.DiGraph` over flow-node ids. Embedded sub-processes
are flattened: flows into a sub-process go to its start nodes and flows out of it
leave from its end nodes, so the graph describes the order in which work happens.
Boundary events hang off their host activity; link events are joined by name.
Each edge carries ``flows`` (the sequence-flow ids it stands for).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .load import SUBPROCESS_TYPES, Node, ParsedModel, identifiers

Adjacency = dict[str, dict[str, dict[str, Any]]]


def adjacency(g: nx.DiGraph) -> tuple[Adjacency, Adjacency, dict[str, dict[str, Any]]]:
    """networkx's own storage of a directed graph: successors, predecessors and node
    attributes, as plain dicts.

    The hot paths read (and the graph builders fill) these dicts directly: networkx's
    public views (``g.succ``, ``g.out_degree``) create an object per access, which was
    the largest cost of analysing a catalogue. This is the one place that names them.
    """
    return g._succ, g._pred, g._node  # type: ignore[attr-defined]


def copy_graph(g: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``g`` whose structure can change without touching ``g``: new adjacency
    dicts, the same node and edge attribute values (``DiGraph.copy`` copies each one)."""
    new: nx.DiGraph = nx.DiGraph()
    succ, pred, node = adjacency(new)
    gs, gp, gn = adjacency(g)
    for n in g:
        node[n] = dict(gn[n])
        succ[n] = dict(gs[n])
        pred[n] = dict(gp[n])
    return new


def build_graph(pm: ParsedModel) -> nx.DiGraph:
    """Build the flattened control-flow graph of a parsed model.

    Complexity O(N + E) plus O(S · k) for S sub-processes with k boundary flows.
    """
    g: nx.DiGraph = nx.DiGraph()
    for nid, node in pm.nodes.items():
        g.add_node(nid, node=node)
    for flow in pm.flows.values():
        _add_edge(g, flow.source, flow.target, flow.id)
    for node in pm.nodes.values():
        if node.attached_to and node.attached_to in g:
            _add_edge(g, node.attached_to, node.id, None)
            g[node.attached_to][node.id]["boundary"] = True
    # A compensation boundary event reaches its handler through an association, not a
    # sequence flow (BPMN 2.0 §10.7.3); the handler has no outgoing flow by design.
    for src, tgt in pm.associations:
        a, b = pm.nodes.get(src), pm.nodes.get(tgt)
        if a and b and "compensate" in a.event_definitions and b.for_compensation:
            _add_edge(g, src, tgt, None)
            g[src][tgt]["compensation"] = True
    throws: dict[str, list[str]] = {}
    catches: dict[str, list[str]] = {}
    for node in pm.nodes.values():
        if node.link_name:
            side = throws if node.type == "intermediateThrowEvent" else catches
            side.setdefault(node.link_name, []).append(node.id)
    for name, srcs in throws.items():
        for s in srcs:
            for t in catches.get(name, ()):
                _add_edge(g, s, t, None)

    # an empty (collapsed) sub-process is one activity: it stays a node
    subs = [n for n in pm.nodes.values() if n.type in SUBPROCESS_TYPES and n.has_children]
    depth: dict[str, int] = {}
    for sub in subs:
        d, p = 0, sub.parent
        while p is not None and d < 100:
            d, p = d + 1, pm.nodes[p].parent if p in pm.nodes else None
        depth[sub.id] = d
    for sub in sorted(subs, key=lambda n: -depth[n.id]):
        _flatten(g, pm, sub.id)
    return g


def _add_edge(g: nx.DiGraph, u: str, v: str, flow_id: str | None) -> None:
    succ = adjacency(g)[0]
    data = succ[u].get(v) if u in succ else None
    if data is not None:
        if flow_id:
            data["flows"].append(flow_id)
    else:
        g.add_edge(u, v, flows=[flow_id] if flow_id else [])


def _flatten(g: nx.DiGraph, pm: ParsedModel, sid: str) -> None:
    children = [n for n, d in g.nodes(data=True) if d["node"].parent == sid]
    inner = set(children)
    event_sub_starts = {
        c
        for c in children
        if pm.nodes[c].type in SUBPROCESS_TYPES and pm.nodes[c].triggered_by_event
    }

    def internal_in(n):
        return any(p in inner for p in g.predecessors(n))

    def internal_out(n):
        return any(s in inner for s in g.successors(n))

    candidates = [
        c
        for c in children
        if not pm.nodes[c].attached_to and c not in event_sub_starts and not internal_in(c)
    ]
    starts = [c for c in candidates if pm.nodes[c].type == "startEvent"] or candidates
    ends = [
        c
        for c in children
        if not internal_out(c) and not pm.nodes[c].attached_to and pm.nodes[c].type != "startEvent"
    ]
    if pm.nodes[sid].triggered_by_event:
        g.remove_node(sid)
        return
    for p in list(g.predecessors(sid)):
        for s in starts:
            _add_edge(g, p, s, None)
            g[p][s]["flows"].extend(g[p][sid]["flows"])
    for n in list(g.successors(sid)):
        sources = ends if not pm.nodes[n].attached_to else starts
        for e in sources:
            _add_edge(g, e, n, None)
            g[e][n]["flows"].extend(g[sid][n]["flows"])
            if g[sid][n].get("boundary"):
                g[e][n]["boundary"] = True
    g.remove_node(sid)


def start_nodes(g: nx.DiGraph) -> list[str]:
    """Nodes where work may begin: nodes without incoming flow (start events first)."""
    return [n for n in g if g.in_degree(n) == 0]


def back_edges(g: nx.DiGraph) -> set[tuple[str, str]]:
    """Edges that close a cycle in a depth-first search from the start nodes.

    Removing them leaves a DAG. O(N + E).
    """
    color: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    roots = start_nodes(g) + list(g)
    for root in roots:
        if root in color:
            continue
        color[root] = 1
        stack = [(root, iter(g.successors(root)))]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                color[node] = 2
                stack.pop()
                continue
            c = color.get(nxt, 0)
            if c == 1:
                back.add((node, nxt))
            elif c == 0:
                color[nxt] = 1
                stack.append((nxt, iter(g.successors(nxt))))
    return back


def acyclic(g: nx.DiGraph) -> nx.DiGraph:
    """The nodes and edges of ``g`` without its back edges (no node or edge data)."""
    back = back_edges(g)
    dag: nx.DiGraph = nx.DiGraph()
    # plain adjacency dicts, in g's node order (cheaper than add_nodes_from/add_edges_from)
    succ, pred, node = adjacency(dag)
    for n in g:
        succ[n], pred[n], node[n] = {}, {}, {}
    for u, nbrs in adjacency(g)[0].items():
        for v in nbrs:
            if (u, v) not in back:
                succ[u][v] = pred[v][u] = {}
    return dag


def topological_order(dag: nx.DiGraph) -> list[str]:
    """Kahn's algorithm over the adjacency dicts (several times faster than
    ``nx.topological_sort`` on the small graphs of procedures). Raises on a cycle."""
    succ, pred, _ = adjacency(dag)
    indeg = {n: len(p) for n, p in pred.items()}
    ready = [n for n, d in indeg.items() if d == 0]
    ready.reverse()
    out: list[str] = []
    while ready:
        n = ready.pop()
        out.append(n)
        for m in succ[n]:
            indeg[m] -= 1
            if indeg[m] == 0:
                ready.append(m)
    if len(out) != len(indeg):
        raise nx.NetworkXUnfeasible("graph contains a cycle")
    return out


def longest_path(dag: nx.DiGraph, weight: dict[str, float]) -> tuple[float, list[str]]:
    """Longest node-weighted path in a DAG (the critical path). O(N + E).

    >>> d = nx.DiGraph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])
    >>> longest_path(d, {"a": 1, "b": 5, "c": 2, "d": 1})
    (7, ['a', 'b', 'd'])
    """
    best: dict[str, float] = {}
    prev: dict[str, str | None] = {}
    order: dict[str, int] = {}
    for n in topological_order(dag):
        order[n] = len(order)
        w = weight.get(n, 0)
        preds = adjacency(dag)[1][n]
        if preds:
            p = max(preds, key=best.__getitem__)
            best[n], prev[n] = best[p] + w, p
        else:
            best[n], prev[n] = w, None
    if not best:
        return 0, []
    end = max(best, key=lambda x: (best[x], order[x]))  # run on to the end event
    path = [end]
    while (step := prev[path[-1]]) is not None:
        path.append(step)
    return best[end], path[::-1]


@dataclass
class Metrics:
    """Size and complexity of a process graph (Mendling 2008; Cardoso 2005)."""

    size: int  # flow nodes
    tasks: int
    gateways: int
    events: int
    arcs: int  # sequence flows, counted with multiplicity
    cnc: float  # coefficient of network connectivity = arcs / nodes
    density: float  # arcs / (n · (n − 1))
    cfc: int  # control-flow complexity (Cardoso)
    cyclomatic: int  # circuit rank E − N + P over the graph's edges (≥ 0)
    mccabe: int  # McCabe's cyclomatic complexity E − N + 2P

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def metrics(g: nx.DiGraph) -> Metrics:
    """Complexity metrics of a control-flow graph.

    CFC (Cardoso): each XOR split (or event-based gateway) adds its fan-out, each OR split
    2^fan-out − 1, each AND split (or task with several outgoing flows) 1.

    >>> from toantrinh.simplifier.load import Node
    >>> g = nx.DiGraph()
    >>> for i, t in [("s", "startEvent"), ("x", "exclusiveGateway"), ("a", "task"),
    ...              ("b", "task"), ("j", "exclusiveGateway"), ("e", "endEvent")]:
    ...     g.add_node(i, node=Node(i, t))
    >>> for u, v in [("s","x"),("x","a"),("x","b"),("a","j"),("b","j"),("j","e")]:
    ...     g.add_edge(u, v, flows=[u + v])
    >>> m = metrics(g); (m.size, m.arcs, m.cfc, m.cyclomatic, m.mccabe)
    (6, 6, 2, 1, 2)
    """
    n = g.number_of_nodes()

    def count(d) -> int:
        # boundary attachments and compensation associations are not sequence flows;
        # link-event jumps count as one arc
        return 0 if d.get("boundary") or d.get("compensation") else max(1, len(d["flows"]))

    arcs = sum(count(d) for _, _, d in g.edges(data=True))
    # the circuit rank counts every edge of the graph (with its multiplicity), so that
    # E − N + P is never negative
    edges = sum(max(1, len(d["flows"])) for _, _, d in g.edges(data=True))
    cfc = 0
    tasks = gateways = events = 0
    for nid, data in g.nodes(data=True):
        node = data["node"]
        out = sum(count(d) for _, _, d in g.out_edges(nid, data=True))
        if node.is_task:
            tasks += 1
        elif node.is_gateway:
            gateways += 1
        elif node.is_event:
            events += 1
        if out < 2:
            continue
        if node.type in ("exclusiveGateway", "eventBasedGateway", "complexGateway"):
            cfc += out
        elif node.type == "inclusiveGateway":
            cfc += 2 ** min(out, 30) - 1
        else:
            cfc += 1
    parts = nx.number_weakly_connected_components(g) if n else 0
    return Metrics(
        size=n,
        tasks=tasks,
        gateways=gateways,
        events=events,
        arcs=arcs,
        cnc=round(arcs / n, 3) if n else 0.0,
        density=round(arcs / (n * (n - 1)), 4) if n > 1 else 0.0,
        cfc=cfc,
        cyclomatic=edges - n + parts,
        mccabe=edges - n + 2 * parts,
    )


@dataclass
class Problem:
    """A structural problem found in a model."""

    kind: str  # unreachable | dead_end | no_path_to_end | lack_of_synchronization | deadlock | unbalanced_gateway
    targets: tuple[str, ...]
    message: str  # Vietnamese, for the report

    def as_dict(self) -> dict:
        return {"kind": self.kind, "targets": list(self.targets), "message": self.message}


@dataclass
class Structure:
    problems: list[Problem] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not any(
            p.kind in ("deadlock", "lack_of_synchronization", "unreachable", "no_path_to_end")
            for p in self.problems
        )


_SPLIT_JOIN = {
    "parallelGateway": "AND",
    "exclusiveGateway": "XOR",
    "eventBasedGateway": "XOR",
    "inclusiveGateway": "OR",
    "complexGateway": "OR",
}


def _reach(starts: list[str], adjacency) -> set[str]:
    """Nodes reachable from ``starts`` (included) along ``adjacency``; iterative DFS."""
    seen = set(starts)
    stack = list(starts)
    while stack:
        for m in adjacency[stack.pop()]:
            if m not in seen:
                seen.add(m)
                stack.append(m)
    return seen


def _ends_by_design(node: Node) -> bool:
    """Nodes without an outgoing flow by design: compensation handlers and compensation
    boundary events (BPMN 2.0 §10.7.3)."""
    return node.for_compensation or (
        node.type == "boundaryEvent" and "compensate" in node.event_definitions
    )


def reversed_with_sink(dag: nx.DiGraph, sink: str) -> nx.DiGraph:
    """The reverse of ``dag`` with one extra node leading to every end: the graph whose
    dominators are ``dag``'s post-dominators. Built on the adjacency dicts (networkx's
    ``reverse`` and ``add_*_from`` copy attribute dicts one by one)."""
    post: nx.DiGraph = nx.DiGraph()
    succ, pred, node = adjacency(post)
    for n in [*dag, sink]:
        succ[n], pred[n], node[n] = {}, {}, {}
    for u, nbrs in adjacency(dag)[0].items():
        if not nbrs:
            succ[sink][u] = pred[u][sink] = {}
        for v in nbrs:
            succ[v][u] = pred[u][v] = {}
    return post


def strongly_connected(g: nx.DiGraph) -> tuple[list[set[str]], dict[str, int], list[set[int]]]:
    """The strongly connected components of ``g`` (networkx), each node's component, and
    the condensed graph's successors: :func:`networkx.condensation` without building a
    graph object (the adjacency of a DAG of components is all the callers need)."""
    sccs = list(nx.strongly_connected_components(g))
    comp = {n: i for i, members in enumerate(sccs) for n in members}
    succ: list[set[int]] = [set() for _ in sccs]
    for u, nbrs in adjacency(g)[0].items():
        cu = comp[u]
        for v in nbrs:
            if comp[v] != cu:
                succ[cu].add(comp[v])
    return sccs, comp, succ


def topological(succ: list[set[int]]) -> list[int]:
    """A topological order of a DAG given as successor sets (Kahn's algorithm), O(N + E)."""
    indeg = [0] * len(succ)
    for nbrs in succ:
        for d in nbrs:
            indeg[d] += 1
    ready = [c for c, k in enumerate(indeg) if k == 0]
    out: list[int] = []
    while ready:
        c = ready.pop()
        out.append(c)
        for d in succ[c]:
            indeg[d] -= 1
            if indeg[d] == 0:
                ready.append(d)
    return out


def check_structure(g: nx.DiGraph, dag: nx.DiGraph | None = None) -> Structure:
    """Reachability, dead ends and gateway balance/soundness heuristics.

    The matching join of a split is its immediate post-dominator in the acyclic graph.
    An AND split whose branches meet at an XOR join (or a task) lacks synchronization;
    an XOR split joined by an AND join deadlocks (van der Aalst's soundness patterns).
    """
    st = Structure()
    st.problems.extend(_flow_problems(g))
    st.problems.extend(_gateway_problems(g, dag if dag is not None else acyclic(g)))
    return st


def _flow_problems(g: nx.DiGraph) -> list[Problem]:
    """Nodes no start reaches, dead ends that are not end events, nodes with no way out."""
    problems = []
    succ, pred, nodes = adjacency(g)
    sources = [n for n in g if not pred[n]]
    starts = [n for n in sources if nodes[n]["node"].type == "startEvent"]
    with_start = {nodes[n]["node"].process for n in starts}
    # A process without a start event starts at its nodes without incoming flow (BPMN 10.5.1).
    starts += [n for n in sources if nodes[n]["node"].process not in with_start]
    seen = _reach(starts, succ)
    unreachable = [n for n in g if n not in seen]
    if unreachable:
        problems.append(
            Problem(
                "unreachable", tuple(unreachable), "Phần tử không thể đạt tới từ sự kiện bắt đầu."
            )
        )
    for nid, data in g.nodes(data=True):
        node = data["node"]
        if not succ[nid] and node.type != "endEvent" and not _ends_by_design(node):
            problems.append(
                Problem(
                    "dead_end",
                    (nid,),
                    f"“{node.name or nid}” không có luồng ra và không phải sự kiện kết thúc.",
                )
            )
    can_end = _reach([n for n in g if not succ[n]], pred)
    stuck = [n for n in g if n not in can_end]
    if stuck:
        problems.append(
            Problem(
                "no_path_to_end", tuple(stuck), "Không có đường đi tới kết thúc (vòng lặp vô tận)."
            )
        )
    return problems


def _gateway_problems(g: nx.DiGraph, dag: nx.DiGraph) -> list[Problem]:
    """Each split checked against its matching join (immediate post-dominator in ``dag``)."""
    splits = [n for n in dag if dag.out_degree(n) > 1 and g.nodes[n]["node"].type in _SPLIT_JOIN]
    if not splits:
        return []
    sink = "__sink__"
    post = reversed_with_sink(dag, sink)
    try:
        ipdom = nx.immediate_dominators(post, sink)
    except (nx.NetworkXError, KeyError):  # pragma: no cover - defensive
        return []
    problems = []
    for s in splits:
        join = ipdom.get(s)
        if join is None or join == sink:
            # Branches that end in their own end events need no join (BPMN implicit
            # termination); that is sound for every split type.
            continue
        problem = _join_problem(g, s, join)
        if problem is not None:
            problems.append(problem)
    return problems


def _join_problem(g: nx.DiGraph, s: str, join: str) -> Problem | None:
    """What is wrong with split ``s`` meeting at ``join``, if anything."""
    node = g.nodes[s]["node"]
    stype = _SPLIT_JOIN[node.type]
    jnode = g.nodes[join]["node"]
    jtype = _SPLIT_JOIN.get(jnode.type)
    if jnode.type == "endEvent" and set(jnode.event_definitions) <= {"terminate"}:
        # branches that end at one plain or terminate end event: each token ends
        # there, nothing after it runs twice (Activiti's and SpiffWorkflow's models)
        return None
    if stype == "AND" and jtype != "AND":
        return Problem(
            "lack_of_synchronization",
            (s, join),
            f"Nhánh song song từ “{node.name or s}” hợp lại tại “{jnode.name or join}” "
            "không phải cổng song song: công việc sau đó có thể chạy nhiều lần.",
        )
    if stype == "XOR" and jtype == "AND":
        return Problem(
            "deadlock",
            (s, join),
            f"Cổng loại trừ “{node.name or s}” hợp lại bằng cổng song song "
            f"“{jnode.name or join}”: quy trình sẽ bị treo (deadlock).",
        )
    if jtype is not None and jtype != stype:
        return Problem(
            "unbalanced_gateway",
            (s, join),
            f"Cổng tách “{node.name or s}” ({stype}) và cổng hợp “{jnode.name or join}” ({jtype}) không cùng loại.",
        )
    return None


def condition_variables(pm: ParsedModel) -> dict[str, set[str]]:
    """Names each node reads: conditions on its outgoing flows (gateways), its script,
    its service parameters and its timer or conditional expressions. Node id -> names."""
    out: dict[str, set[str]] = {}
    for flow in pm.flows.values():
        if flow.condition and flow.source in pm.nodes:
            out.setdefault(flow.source, set()).update(identifiers(flow.condition))
    for nid, node in pm.nodes.items():
        if node.reads:
            out.setdefault(nid, set()).update(node.reads)
    return out
