"""The model before and after simplification as SVG diagrams (Graphviz ``dot``).

Drawn top to bottom so that a procedure of any length reads on a page without
horizontal scrolling; labels wrap instead of being cut. Before: the steps the rewrite
removes are red, dashed and struck through, dropped components red. After: inserted
steps green, steps moved online outlined green. The one subprocess the simplifier runs.
"""

from __future__ import annotations

import html
import textwrap

import graphviz

from ..analysis import Analysis

_WIDTH = 24  # characters per label line


def _label(text: str, struck: bool = False) -> str:
    lines = textwrap.wrap(text or "·", _WIDTH) or ["·"]
    body = "<BR/>".join(html.escape(line) for line in lines)
    return f"<<S>{body}</S>>" if struck else f"<{body}>"


def _safe(nid: str) -> str:
    return "n_" + "".join(c if c.isalnum() else "_" for c in nid)


def diagram_svg(analysis: Analysis, side: str = "before") -> str | None:
    """SVG of the model ``before`` or ``after`` simplification; None without Graphviz."""
    state = analysis.state_before if side == "before" else analysis.state_after
    removed = set(analysis.plan.remove_tasks) if side == "before" else set()
    dropped = set(analysis.plan.drop_components) if side == "before" else set()
    online = set(analysis.plan.online_steps)
    new = set(state.g) - set(analysis.state_before.g)
    dot = graphviz.Digraph(
        graph_attr={
            "rankdir": "TB",
            "fontname": "Helvetica",
            "fontsize": "11",
            "nodesep": "0.3",
            "ranksep": "0.35",
        }
    )
    dot.attr("node", fontname="Helvetica", fontsize="11", margin="0.12,0.06")
    dot.attr("edge", arrowsize="0.7")
    for nid, data in state.g.nodes(data=True):
        node = data["node"]
        name = analysis.pm.nodes[nid].name if nid in analysis.pm.nodes else node.name
        attrs = {"label": _label(name or "bước không tên", nid in removed)}
        if node.is_gateway:
            mark = "+" if node.type == "parallelGateway" else "×"
            attrs.update(shape="diamond", width="0.4", height="0.4", label=_label(mark))
        elif node.is_event:
            attrs.update(shape="circle", width="0.25", label="", xlabel=_label(name or ""))
            if node.type == "endEvent":
                attrs["penwidth"] = "3"
        else:
            attrs.update(shape="box", style="rounded")
        if nid in removed:
            attrs.update(color="#c0392b", fontcolor="#c0392b", style="rounded,dashed")
        elif nid in new:
            attrs.update(color="#1e8449", fontcolor="#1e8449", penwidth="2")
            if not node.is_gateway:
                attrs["style"] = "rounded,bold"
        elif side == "after" and nid in online:
            attrs.update(color="#1e8449", penwidth="2")
        dot.node(_safe(nid), **attrs)
    for u, v in state.g.edges():
        dot.edge(_safe(u), _safe(v))
    for _mid, src, tgt in analysis.pm.message_flows:
        if src in state.g and tgt in state.g:
            dot.edge(_safe(src), _safe(tgt), style="dashed", arrowhead="empty", constraint="false")
    for key, comp in analysis.components.items():
        if side == "after" and key in analysis.plan.drop_components:
            continue
        cid = "comp_" + _safe(key)
        attrs = {"shape": "note", "label": _label(comp.name, key in dropped), "fontsize": "10"}
        if key in dropped:
            attrs.update(color="#c0392b", fontcolor="#c0392b")
        dot.node(cid, **attrs)
        for t, n in analysis.pm.nodes.items():
            if key in n.inputs and t in state.g:
                dot.edge(cid, _safe(t), style="dotted", arrowhead="none", constraint="false")
    try:
        svg = dot.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound:
        return None
    svg = svg[svg.find("<svg") :]
    # its natural size, shrunk by CSS (max-width: 100%) to fit the page
    return svg.replace("<svg ", '<svg class="diagram-svg" ', 1)
