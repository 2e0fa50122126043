"""The simplifier pipeline: load → graph → infer → rules → score → rewrite.

:func:`analyse` runs it on one model; :func:`analyse_catalogue` on many, ranked.
Both are pure: they take XML text and dicts (registry catalogue, forms, procedure
facts, cost model) and return plain data.
"""

from __future__ import annotations

import copy
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from toantrinh.bpmn.namespaces import SPIFF_NS, qname

from .cost import hourly_income, parameters, supplement_share
from .graph import Metrics, Structure, acyclic, build_graph, check_structure, metrics
from .infer import ComponentInfo, StepInfo, component_info, step_info
from .law import apply_presence_law, procedure_text
from .load import ParsedModel, parse_xml, read_model
from .rewrite import Plan, apply_plan, make_plan, rewrite_xml
from .rules import Context, Finding, Registry, find_all, registries, typed_fields
from .score import ModelState, Scores, savings, scores


@dataclass
class Analysis:
    """Everything the simplifier found about one procedure model."""

    name: str
    procedure: dict | None
    procedure_code: str | None
    pm: ParsedModel
    structure: Structure
    steps: dict[str, StepInfo]
    components: dict[str, ComponentInfo]
    registries: list[Registry]
    findings: list[Finding]
    plan: Plan
    before: Scores
    after: Scores
    savings: dict
    state_before: ModelState
    state_after: ModelState
    forms: dict
    warnings: list[str] = field(default_factory=list)
    _root: object = None
    _rewritten: str | None = None
    _inputs: dict = field(default_factory=dict)
    _what_if: list[dict] | None = None
    _metrics: dict = field(default_factory=dict)

    @property
    def metrics_before(self) -> Metrics:
        """Size and complexity of the original model (computed on first use)."""
        if "before" not in self._metrics:
            self._metrics["before"] = metrics(self.state_before.g)
        return self._metrics["before"]

    @property
    def metrics_after(self) -> Metrics:
        """Size and complexity of the simplified model (computed on first use)."""
        if "after" not in self._metrics:
            self._metrics["after"] = metrics(self.state_after.g)
        return self._metrics["after"]

    @property
    def slug(self) -> str:
        return (self.procedure or {}).get("slug") or self.procedure_code or self.name

    def rewritten_bpmn(self) -> str:
        """The simplified BPMN 2.0 XML (computed once)."""
        if self._rewritten is None:
            self._rewritten = rewrite_xml(
                self._root, self.pm, self.plan, self.registries, self.steps, self.components
            )
        return self._rewritten

    def rewritten_forms(self) -> dict[str, dict]:
        """Forms with ``x-prefill`` added to the fields a connected registry fills.

        Fields about another person named in the form (looked up by that person's
        identity number, ``key``) carry ``x-prefill`` with their ``key``, and no fallback
        to the applicant's data: the engine fills them only once it can look a person up
        by a number typed in the same form (docs/simplifier.md, Limits).
        """
        out = {}
        lookups = applicant_lookups(self.rewritten_bpmn()) if self.plan.prefill else {}
        for form_id, fields in self.plan.prefill.items():
            form = self.forms.get(form_id)
            if form is None:
                continue
            props = {k: dict(v) for k, v in (form.get("properties") or {}).items()}
            for f in fields:
                if f.get("key"):
                    continue  # not yet something the engine can fill
                spec = {"source": f["source"], "field": f["field"]}
                var = _form_variable(props, f["source"]) or lookups.get(f["source"])
                if var:  # where the dossier holds the lookup's answer (engine/forms.py)
                    spec["from"] = f"{var}.{f['field']}"
                props[f["property"]]["x-prefill"] = spec
            out[form_id] = {**form, "properties": props}
        return out

    def registry_readiness(self) -> list[dict]:
        """Per registry: connection, published scope, and what it does for this procedure."""
        out = []
        for r in self.registries:
            rel = [
                f
                for f in self.findings
                if r.id in f.evidence.get("registries", ())
                or any(
                    x.get("source") == r.id
                    for x in f.evidence.get("fields", ())
                    if isinstance(x, dict)
                )
            ]
            if not rel:
                continue
            out.append(
                {
                    "id": r.id,
                    "name_vi": r.name_vi,
                    "connected": r.connected,
                    "scope_published": r.scope_published,
                    "actionable": sum(f.status == "actionable" for f in rel),
                    "blocked": sum(f.status == "blocked" for f in rel),
                    "potential": sum(f.status == "potential" for f in rel),
                }
            )
        return out

    def what_if(self) -> list[dict]:
        """What connecting one more registry (with its data scope published) would save.

        One entry per registry behind a blocked or potential finding: the analysis is run
        again with that registry connected and published, and compared with this one.
        """
        if self._what_if is None:
            self._what_if = []
            wanted = []
            for f in self.findings:
                if f.status in ("blocked", "potential"):
                    for rid in f.evidence.get("registries", ()):
                        if rid not in wanted:
                            wanted.append(rid)
            inp = self._inputs
            for rid in wanted:
                cat = copy.deepcopy(inp["catalogue"])
                for r in cat.get("registries", []):
                    if r.get("id") == rid:
                        r["connected"] = r["scope_published"] = True
                connected = inp["connected"]
                other = analyse(
                    inp["xml"],
                    cat,
                    self.procedure,
                    self.forms,
                    None if connected is None else {*connected, rid},
                    connect=(*inp["connect"], rid),
                    cost_model=inp["cost_model"],
                    province=inp["province"],
                )
                a, b = self.after, other.after
                reg = next(r for r in self.registries if r.id == rid)
                self._what_if.append(
                    {
                        "id": rid,
                        "name_vi": reg.name_vi,
                        "connected": reg.connected,
                        "scope_published": reg.scope_published,
                        "steps": a.steps - b.steps,
                        "components": a.components - b.components,
                        "typed_fields": a.typed_fields - b.typed_fields,
                        "visits": a.visits - b.visits,
                        "cost_per_dossier": round(a.cost.per_dossier - b.cost.per_dossier)
                        if a.cost and b.cost
                        else None,
                        "readiness_after": b.readiness.score,
                    }
                )
        return self._what_if

    def summary(self) -> dict:
        """A compact record for catalogue ranking."""
        return {
            "slug": self.slug,
            "name": self.name,
            "code": self.procedure_code,
            "findings": len(self.findings),
            "actionable": sum(f.status == "actionable" for f in self.findings),
            "blocked": sum(f.status == "blocked" for f in self.findings),
            "review": sum(f.status == "review" for f in self.findings),
            "before": _brief(self.before),
            "after": _brief(self.after),
            "savings": self.savings,
            "sound": self.structure.sound,
            "linked_group": (self.procedure or {}).get("linked_group"),
            "rules": sorted({f.rule for f in self.findings if f.status == "actionable"}),
            "blocked_registries": sorted(
                {
                    r
                    for f in self.findings
                    if f.status == "blocked"
                    for r in f.evidence.get("registries", ())
                }
            ),
        }

    def as_dict(self) -> dict:
        """JSON-ready form of the whole analysis."""
        return {
            "procedure": {
                "name": self.name,
                "code": self.procedure_code,
                "slug": self.slug,
                "facts": self.procedure,
            },
            "structure": {
                "sound": self.structure.sound,
                "problems": [p.as_dict() for p in self.structure.problems],
                "metrics_before": self.metrics_before.as_dict(),
                "metrics_after": self.metrics_after.as_dict(),
            },
            "steps": {
                t: {"name": self.pm.nodes[t].name if t in self.pm.nodes else t, **s.__dict__}
                for t, s in self.steps.items()
            },
            "components": {
                k: {**c.__dict__, "fields": list(c.fields), "refs": list(c.refs)}
                for k, c in self.components.items()
            },
            "findings": [f.as_dict() for f in self.findings],
            "plan": self.plan.as_dict(),
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
            "savings": self.savings,
            "registries": self.registry_readiness(),
            "what_if": self.what_if(),
            "rewritten_forms": self.rewritten_forms(),
            "warnings": self.warnings,
        }


def _brief(s: Scores) -> dict:
    return {
        "steps": s.steps,
        "citizen_steps": s.citizen_steps,
        "components": s.components,
        "typed_fields": s.typed_fields,
        "visits": s.visits,
        "critical_path_min": round(s.critical_path_min, 1),
        "readiness": s.readiness.score,
        "band": s.readiness.band,
        "criteria": dict(s.readiness.criteria),
        "cost_per_dossier": round(s.cost.per_dossier) if s.cost else None,
        "annual_cost": round(s.cost.annual) if s.cost and s.cost.annual is not None else None,
    }


def _back_office(pm: ParsedModel, steps: dict[str, StepInfo]) -> bool:
    """A part of a linked group worked by agencies alone: no applicant step, and every
    start event waits for a message from another procedure (Decree 63/2024)."""
    if any(s.actor == "citizen" and not s.automated for s in steps.values()):
        return False
    starts = [n for n in pm.nodes.values() if n.type == "startEvent" and n.parent is None]
    return bool(starts) and all("message" in n.event_definitions for n in starts)


def _state(pm: ParsedModel, g, steps, components, forms, ctx: Context) -> ModelState:
    task_forms: dict[str, str] = {t: f for t in steps if (f := pm.nodes[t].form)}
    typed = {f: typed_fields(ctx, forms[f]) for f in set(task_forms.values()) if f in forms}
    return ModelState(
        g=g,
        steps=steps,
        names={t: pm.nodes[t].name for t in steps},
        components=components,
        task_forms=task_forms,
        typed=typed,
        eform=ctx.eform_declaration(),
        back_office=_back_office(pm, steps),
    )


def _finding_costs(
    findings: list[Finding], params: dict, state: ModelState, procedure: dict | None
) -> list[Finding]:
    """What each actionable finding saves per dossier, in VND (the same parameters as the
    compliance cost; the total comes from the scores, not from this sum)."""
    hourly = hourly_income(params) / 60
    prep = params["prepare_component_min"]
    per_step = params["citizen_step_min"]
    loop = state.loop
    share = supplement_share(params, procedure)
    out = []
    for f in findings:
        cost = 0.0
        if f.status != "actionable":
            out.append(f)
            continue
        target = f.targets[0]
        comp = state.components.get(target)
        fee = params["certified_copy_fee"] if comp and comp.copy == "certified_copy" else 0
        if f.rule in ("components_available_in_registries", "abolished_components") and comp:
            if not (state.eform and comp.document_type == "declaration_form"):
                cost = prep.get(comp.copy, 15) * hourly + fee
        elif f.rule == "paper_components" and comp:
            cost = (prep.get(comp.copy, 15) - prep.get("electronic", 5)) * hourly + fee
        elif f.rule == "prefillable_form_fields":
            weight = share if target in loop else 1.0
            cost = f.saving.fields * params["typed_field_min"] * hourly * weight
        elif f.rule == "in_person_steps" and f.saving.visits and target in state.steps:
            s = state.steps[target]
            online = per_step.get(s.kind, per_step.get("other", 10))
            visit = (
                max(0.0, s.citizen_min - online)
                if s.citizen_min is not None
                else params["travel_min"] + params["queue_min"]
            )
            cost = (visit * hourly + params["travel_cost"]) * (share if target in loop else 1.0)
        out.append(replace(f, saving=replace(f.saving, cost=round(cost))) if cost else f)
    return out


def analyse(
    xml_text: str | bytes,
    catalogue: dict,
    procedure: dict | None = None,
    forms: dict | None = None,
    connected: Iterable[str] | None = None,
    *,
    connect: Iterable[str] = (),
    cost_model: dict | None = None,
    province: str | None = None,
) -> Analysis:
    """Analyse one procedure model.

    ``catalogue`` is the ``data/registries.json`` dict; ``procedure`` the folder's
    ``procedure.json``; ``forms`` maps form id → JSON Schema; ``connect`` (what-if) adds
    registries to those the catalogue marks connected; ``connected`` instead names the
    whole connected set; ``cost_model`` is
    ``data/cost_model.json`` (without it no compliance cost is computed); ``province``
    selects its per-province parameters. Raises :class:`ModelLoadError` on bad input.
    """
    with _cyclic_gc_paused():
        return _analyse(
            xml_text, catalogue, procedure, forms, connected, connect, cost_model, province
        )


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during one analysis.

    An analysis allocates many small containers that live until it returns and makes no
    reference cycles of its own (reference counting frees it), so the collector's passes
    over a growing heap are pure cost: 30–40% of the time at 10,000 nodes. The previous
    state is restored, and any cycle is collected at the collector's next pass.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _analyse(
    xml_text: str | bytes,
    catalogue: dict,
    procedure: dict | None,
    forms: dict | None,
    connected: Iterable[str] | None,
    connect: Iterable[str],
    cost_model: dict | None,
    province: str | None,
) -> Analysis:
    forms = forms or {}
    connect = tuple(connect)
    root = parse_xml(xml_text)
    pm = read_model(root)
    warnings = list(pm.warnings)
    g = build_graph(pm)
    dag = acyclic(g)
    structure = check_structure(g, dag)
    steps = {n: step_info(d["node"], warnings) for n, d in g.nodes(data=True) if d["node"].is_task}
    components = _components(pm)
    regs = registries(catalogue, connected, connect=connect)
    ready = frozenset(r.id for r in regs if r.ready)
    steps = apply_presence_law(
        steps, {t: pm.nodes[t].name for t in steps}, procedure_text(procedure, pm.name), ready
    )
    warnings.extend(_unknown_registries(connected, connect, regs))
    ctx = Context.build(pm, g, dag, steps, components, regs, forms, procedure)
    findings = find_all(ctx)
    params = parameters(cost_model, province) if cost_model else None
    before_state = _state(pm, g, steps, components, forms, ctx)
    if params:
        findings = _finding_costs(findings, params, before_state, procedure)
    plan = make_plan(ctx, findings)
    after_state = apply_plan(before_state, ctx, plan)
    code = (procedure or {}).get("code") or pm.procedure_code
    before, after = (
        scores(
            state,
            procedure=procedure,
            forms=forms,
            procedure_code=code,
            cost_params=params,
            dag=dag if state is before_state else None,
        )
        for state in (before_state, after_state)
    )
    return Analysis(
        name=((procedure or {}).get("name") or {}).get("vi") or pm.name or "(không tên)",
        procedure=procedure,
        procedure_code=code,
        pm=pm,
        structure=structure,
        steps=steps,
        components=components,
        registries=regs,
        findings=findings,
        plan=plan,
        before=before,
        after=after,
        savings=savings(before, after),
        state_before=before_state,
        state_after=after_state,
        forms=forms,
        warnings=warnings,
        _root=root,
        _inputs={
            "xml": xml_text,
            "catalogue": catalogue,
            "connected": connected,
            "connect": connect,
            "cost_model": cost_model,
            "province": province,
        },
    )


def _components(pm: ParsedModel) -> dict[str, ComponentInfo]:
    """The dossier components (thành phần hồ sơ) among the model's data objects."""
    components = {}
    for key, do in pm.data_objects.items():
        info = component_info(do)
        if info is not None:
            components[key] = info
    return components


def _unknown_registries(
    connected: Iterable[str] | None, connect: tuple[str, ...], regs: list[Registry]
) -> list[str]:
    """A warning naming the registries asked for that the catalogue does not list."""
    unknown = ({*(connected or ()), *connect}) - {r.id for r in regs}
    if not unknown:
        return []
    return ["Bỏ qua cơ sở dữ liệu không có trong danh mục: " + ", ".join(sorted(unknown)) + "."]


def _form_variable(props: dict, source: str) -> str | None:
    """The variable a form already reads ``source``'s answer from (``"from": "citizen.…"``)."""
    for prop in props.values():
        spec = prop.get("x-prefill") if isinstance(prop, dict) else None
        if isinstance(spec, dict) and spec.get("source") == source and spec.get("from"):
            head = str(spec["from"]).split(".", 1)[0]
            if head:
                return head
    return None


def applicant_lookups(xml: str) -> dict[str, str]:
    """Registry → the variable of the model's lookup of the applicant in it (a service task
    ``<registry>.lookup`` keyed by the applicant's id), first one in document order."""
    root = parse_xml(xml)
    out: dict[str, str] = {}
    for op in root.iter(qname(SPIFF_NS, "serviceTaskOperator")):
        reg, _, verb = (op.get("id") or "").partition(".")
        var = op.get("resultVariable")
        if verb != "lookup" or not var or reg in out:
            continue
        values = {p.get("value") for p in op.iter(qname(SPIFF_NS, "parameter"))}
        if "applicant_id" in values:
            out[reg] = var
    return out
