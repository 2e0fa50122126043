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

This module chooses between the two; they live in :mod:`.kept_layout` (with room made by
:mod:`.space_tool`) and :mod:`.fresh_layout`, both drawing with :mod:`.diagram` and
placing with Graphviz through :mod:`.dot`.
"""

from __future__ import annotations

from lxml import etree

from toantrinh.bpmn.namespaces import BPMNDI_NS, qname
from toantrinh.bpmn.xml import local_name

from ..load import FLOW_NODE_TYPES
from .diagram import flow_nodes
from .fresh_layout import fresh_layout
from .kept_layout import keep_layout

KEEP_COVERAGE = 0.8  # the source diagram is kept when it draws this share of the nodes


def layout_di(root: etree._Element, changed: frozenset[str] | set[str] = frozenset()) -> None:
    """Update the diagram of a rewritten model in place.

    ``changed`` names the sequence flows whose source or target the rewrite changed.
    """
    _ensure_ids(root)
    diagrams = [c for c in root if local_name(c) == "BPMNDiagram"]
    if diagrams and _coverage(root, diagrams) >= KEEP_COVERAGE:
        keep_layout(root, diagrams, set(changed))
    else:
        for d in diagrams:
            root.remove(d)
        fresh_layout(root)
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


def _coverage(root: etree._Element, diagrams: list[etree._Element]) -> float:
    drawn = {s.get("bpmnElement") for d in diagrams for s in d.iter(qname(BPMNDI_NS, "BPMNShape"))}
    nodes = [el.get("id") for el in flow_nodes(root)]
    return sum(n in drawn for n in nodes) / len(nodes) if nodes else 1.0
