"""The rewrite plan: what the actionable findings change, and the model state after it.

:func:`make_plan` turns findings into a :class:`Plan`; :func:`apply_plan` applies it to a
:class:`~toantrinh.simplifier.score.ModelState`, so the simplified model is scored the same way as
the original. The same plan drives the XML rewrite (``toantrinh.simplifier.rewrite.edit``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import networkx as nx

from ..graph import adjacency, copy_graph
from ..infer import ComponentInfo, StepInfo
from ..load import Node, ParsedModel
from ..rules import REMOVING_RULES, Context, Finding
from ..score import ModelState

# The engine's connector for a registry, where its id differs (engine/warehouse.py).
CONNECTOR_IDS = {"edata_warehouse": "edata"}


@dataclass
class Plan:
    """What the simplified model changes."""

    remove_tasks: list[str] = field(default_factory=list)
    drop_components: dict[str, str] = field(default_factory=dict)  # key -> registry id
    electronic_components: list[str] = field(default_factory=list)
    online_steps: list[str] = field(default_factory=list)  # presence -> none
    parallel: list[tuple[str, str]] = field(default_factory=list)
    # registry id (or "edata_warehouse:<document type>") -> process id
    fetch: dict[str, str] = field(default_factory=dict)
    prefill: dict[str, list[dict]] = field(default_factory=dict)  # form id -> fields
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def make_plan(ctx: Context, findings: list[Finding]) -> Plan:
    """The changes the actionable findings call for."""
    plan = Plan()
    called = {(n.operator or "").split(".")[0] for n in ctx.pm.nodes.values() if n.operator}
    removed: set[str] = set()
    for f in findings:
        if f.status != "actionable":
            continue
        if f.rule in REMOVING_RULES and f.targets[0] not in removed:
            removed.add(f.targets[0])
            plan.remove_tasks.append(f.targets[0])
        elif f.rule in ("components_available_in_registries", "abolished_components"):
            _plan_component(ctx, plan, f, called)
        elif f.rule == "paper_components":
            plan.electronic_components.append(f.targets[0])
        elif f.rule == "in_person_steps":
            plan.online_steps.append(f.targets[0])
        elif f.rule == "parallelisable_steps":
            plan.parallel.append((f.targets[0], f.targets[1]))
        elif f.rule == "prefillable_form_fields":
            plan.prefill[f.evidence["form"]] = f.evidence["fields"]
            _plan_prefill_lookup(ctx, plan, f, called)
    return plan


def _plan_prefill_lookup(ctx: Context, plan: Plan, f: Finding, called: set[str]) -> None:
    """Insert a lookup of the applicant in each registry a prefill reads that the model
    does not call yet: the engine fills ``x-prefill`` from the dossier's data."""
    for field_ in f.evidence["fields"]:
        reg = field_["source"]
        if field_.get("key") or reg in plan.fetch or CONNECTOR_IDS.get(reg, reg) in called:
            continue
        if ctx.registry(reg) is not None:
            plan.fetch[reg] = ctx.pm.nodes[f.targets[0]].process


def _plan_component(ctx: Context, plan: Plan, f: Finding, called: set[str]) -> None:
    """Drop a component; insert a lookup of the registry that stands for it, unless the
    model already calls that registry's connector."""
    key = f.targets[0]
    regs = f.evidence.get("registries") or []
    plan.drop_components[key] = regs[0] if regs else ""  # "": abolished, nothing to look up
    if not regs or CONNECTOR_IDS.get(regs[0], regs[0]) in called:
        return
    reg = regs[0]
    if ctx.registry(reg) is None:
        return
    if reg == "edata_warehouse":
        reg = f"{reg}:{f.evidence['document_type']}"
    if reg not in plan.fetch:
        readers = ctx.readers.get(key) or [t for t, n in ctx.pm.nodes.items() if key in n.outputs]
        plan.fetch[reg] = (
            ctx.pm.nodes[readers[0]].process if readers else ctx.pm.data_objects[key].process
        )


def fetch_id(key: str) -> str:
    return "Task_Fetch_" + key.replace(":", "_")


def fetch_step() -> StepInfo:
    # a registry lookup takes seconds: it adds nothing to the critical path
    return StepInfo("other", "system", "none", 0, None, 1.0, "rewrite", automated=True)


def _process_start(g: nx.DiGraph, pm: ParsedModel, process: str) -> str | None:
    starts = [
        n
        for n, d in g.nodes(data=True)
        if d["node"].type == "startEvent"
        and d["node"].process == process
        and d["node"].parent is None
        and not adjacency(g)[1][n]
    ]
    if len(starts) != 1 or len(adjacency(g)[0][starts[0]]) != 1:
        return None
    return starts[0]


def apply_plan(state: ModelState, ctx: Context, plan: Plan) -> ModelState:
    """The model state after the plan (graph rewired, components and fields reduced)."""
    g = copy_graph(state.g)
    steps = dict(state.steps)
    names = dict(state.names)
    for t in plan.remove_tasks:
        if t not in g:
            continue
        preds, succs = list(g.predecessors(t)), list(g.successors(t))
        for p in preds:
            for s in succs:
                if p != s and not g.has_edge(p, s):
                    g.add_edge(p, s, flows=[])
        g.remove_node(t)
        steps.pop(t, None)
    for reg, process in plan.fetch.items():
        start = _process_start(g, ctx.pm, process)
        if start is None:
            continue
        (nxt,) = g.successors(start)
        fid = fetch_id(reg)
        reg_name = next((r.name_vi for r in ctx.registries if r.id == reg.split(":")[0]), reg)
        g.add_node(fid, node=Node(fid, "serviceTask", f"Khai thác dữ liệu từ {reg_name}", process))
        g.remove_edge(start, nxt)
        g.add_edge(start, fid, flows=[])
        g.add_edge(fid, nxt, flows=[])
        steps[fid] = fetch_step()
        names[fid] = g.nodes[fid]["node"].name
    for u, v in plan.parallel:
        if u not in g or v not in g or not g.has_edge(u, v):
            continue
        (p,) = g.predecessors(u)
        (n,) = g.successors(v)
        split, join = f"Gateway_Split_{u}", f"Gateway_Join_{v}"
        g.add_node(split, node=Node(split, "parallelGateway", "", ctx.pm.nodes[u].process))
        g.add_node(join, node=Node(join, "parallelGateway", "", ctx.pm.nodes[u].process))
        g.remove_edges_from([(p, u), (u, v), (v, n)])
        g.add_edges_from(
            [(p, split), (split, u), (split, v), (u, join), (v, join), (join, n)], flows=[]
        )
    for t in plan.online_steps:
        if t in steps:
            # its annotated citizen time was the visit: online, the default for its kind applies
            steps[t] = replace(steps[t], presence="none", citizen_min=None)
    components: dict[str, ComponentInfo] = {}
    for k, c in state.components.items():
        if k in plan.drop_components:
            continue
        components[k] = replace(c, copy="electronic") if k in plan.electronic_components else c
    typed = {}
    for form, fields in state.typed.items():
        gone = {f["property"] for f in plan.prefill.get(form, ())}
        typed[form] = [x for x in fields if x[0] not in gone]
    task_forms = {t: f for t, f in state.task_forms.items() if t in steps}
    return ModelState(
        g, steps, names, components, task_forms, typed, state.eform, state.back_office
    )
