"""XML namespaces of BPMN 2.0 and of the extensions Toàn Trình reads and writes."""

from __future__ import annotations

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# Toàn Trình's own annotations (docs/annotations.md)
TT_NS = "urn:toantrinh:bpmn:1"
# SpiffWorkflow's executable extensions (service-task operators, instructions)
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"

# The prefixes a written model declares (what bpmn-js and the spiff-arena modeller use).
PREFIXES = {
    "bpmn": BPMN_NS,
    "bpmndi": BPMNDI_NS,
    "dc": DC_NS,
    "di": DI_NS,
    "tt": TT_NS,
    "spiffworkflow": SPIFF_NS,
}


def qname(namespace: str, local: str) -> str:
    """Clark notation ``{namespace}local`` (``local`` alone without a namespace).

    >>> qname(TT_NS, "step")
    '{urn:toantrinh:bpmn:1}step'
    """
    return f"{{{namespace}}}{local}" if namespace else local
