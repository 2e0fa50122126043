"""What every rule reads about one model, and the records rules return.

A :class:`Finding` is

* ``actionable`` — its evidence comes from the model's annotations, a connected
  registry with a published data scope, the forms or a legal text; the rewrite applies
  it and the savings count it;
* ``review`` — inferred from labels only (with its confidence): a reformer checks it
  first; never applied;
* ``blocked`` — it would apply, but a registry is connected without a published data
  scope (Resolution 66.7/2025's precondition);
* ``potential`` — it would apply if one more registry were connected (what-if);
* ``advisory`` — kept as it is, with the reason (presence required by law, a step that
  decides a later branch, a paper the procedure itself produces).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from ..graph import condition_variables, strongly_connected, topological
from ..infer import ComponentInfo, StepInfo
from ..law import procedure_text
from ..load import Flow, ParsedModel
from ..resources import data

STATUSES = ("actionable", "review", "blocked", "potential", "advisory")
# what the engine puts in every new dossier (engine/service.py, Engine.start)
START_DATA = frozenset({"applicant_id", "channel", "receipt_code", "link_id"})


def document_sets() -> dict:
    """Document knowledge (simplifier/data/documents.json)."""
    return data("documents")


RESULT_DOCUMENT_TYPES = frozenset(document_sets()["results_of_procedures"])
NOT_REPLACEABLE = frozenset(document_sets()["own_statements"])
RESIDENCE_DOCS = frozenset(document_sets()["residence_documents"])
REGISTRY_KEYS: dict[str, tuple[str, str]] = {
    k: (v[0], v[1]) for k, v in document_sets()["lookup_keys"].items() if not k.startswith("$")
}
DEFAULT_REGISTRY_KEY = ("identity_number", "applicant_id")
WAREHOUSE = "edata_warehouse"


@dataclass(frozen=True)
class Saving:
    """What a finding saves per dossier."""

    minutes: float = 0.0  # processing time of the removed/shortened work
    citizen_minutes: float = 0.0  # the applicant's own time
    steps: int = 0
    components: int = 0
    fields: int = 0
    visits: int = 0
    cost: float = 0.0  # VND per dossier, filled in by the cost model

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Finding:
    """One recommendation, with what it is based on.

    ``grounds`` names the evidence: ``annotation``, ``registry``, ``form``, ``law``,
    ``model`` (the model's structure or data flow) or ``label`` (inference only).
    """

    rule: str
    targets: tuple[str, ...]
    title_vi: str
    explanation: str
    evidence: dict
    legal_basis: tuple[str, ...]
    saving: Saving = field(default_factory=Saving)
    status: str = "actionable"
    confidence: float = 1.0
    grounds: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "targets": list(self.targets),
            "title_vi": self.title_vi,
            "explanation": self.explanation,
            "evidence": self.evidence,
            "legal_basis": list(self.legal_basis),
            "saving": self.saving.as_dict(),
            "status": self.status,
            "confidence": self.confidence,
            "grounds": list(self.grounds),
        }


@dataclass(frozen=True)
class Registry:
    """A national database or the e-data warehouse, with its settings for this analysis."""

    id: str
    name_vi: str
    connected: bool
    scope_published: bool
    scope_source: str
    fields: frozenset[str]
    document_types: frozenset[str]

    @property
    def ready(self) -> bool:
        """Connected with its data scope published (Resolution 66.7/2025's precondition)."""
        return self.connected and self.scope_published

    def issues(self, doc: str | None) -> bool:
        """Whether this registry itself holds documents of this type."""
        return bool(doc) and doc in self.document_types

    def holds_document(self, doc: str | None) -> bool:
        if not doc:
            return False
        return doc in self.document_types or (
            "*results" in self.document_types and doc in RESULT_DOCUMENT_TYPES
        )


def registries(
    catalogue: dict,
    connected: Iterable[str] | None = None,
    *,
    connect: Iterable[str] = (),
    publish: Iterable[str] = (),
) -> list[Registry]:
    """Registry settings from a ``data/registries.json`` catalogue.

    ``connected`` names the whole connected set (it replaces the catalogue's flags);
    ``connect`` adds registries to the catalogue's (or that) set; ``publish`` assumes
    their owners have published their data scope.
    """
    chosen = set(connected) if connected is not None else None
    added, published = set(connect), set(publish)
    out = []
    for r in catalogue.get("registries", []):
        rid = r.get("id", "")
        base = (rid in chosen) if chosen is not None else bool(r.get("connected"))
        out.append(
            Registry(
                id=rid,
                name_vi=r.get("name_vi", rid),
                connected=base or rid in added,
                scope_published=bool(r.get("scope_published")) or rid in published,
                scope_source=r.get("scope_source", ""),
                fields=frozenset(r.get("fields", ())),
                document_types=frozenset(r.get("document_types", ())),
            )
        )
    return out


def form_reads(form: dict) -> set[str]:
    """What a form reads from the dossier: its own fields (shown with what the dossier
    holds under the same names) and the variables its ``x-prefill`` fields come from
    (``from: "mother.permanent_address"`` reads ``mother``; without ``from``, the
    registry's own entry, docs/forms.md)."""
    out: set[str] = set()
    for name, prop in (form.get("properties") or {}).items():
        out.add(name)
        pre = prop.get("x-prefill") if isinstance(prop, dict) else None
        if isinstance(pre, dict):
            origin = str(pre.get("from") or pre.get("source") or "")
            root = origin.replace("[", ".").split(".")[0].strip()
            if root:
                out.add(root)
    return out


@dataclass
class Context:
    """Everything the rules read about one model."""

    pm: ParsedModel
    g: nx.DiGraph
    dag: nx.DiGraph
    steps: dict[str, StepInfo]
    components: dict[str, ComponentInfo]
    registries: list[Registry]
    forms: dict[str, dict]
    procedure: dict | None = None
    cond_vars: dict[str, set[str]] = field(default_factory=dict)  # node -> names it reads
    flows_in: dict[str, list[Flow]] = field(default_factory=dict)
    flows_out: dict[str, list[Flow]] = field(default_factory=dict)
    hosts: set[str] = field(default_factory=set)  # hosts of boundary events, message ends
    proc_text: str = ""
    produced: set[str] = field(default_factory=set)  # components the agency's steps write
    readers: dict[str, list[str]] = field(default_factory=dict)  # component -> tasks reading it
    _decides: dict[str, bool] = field(default_factory=dict)
    _known_writes: dict[str, set[str] | None] = field(default_factory=dict)
    _down: dict[str, int] | None = None
    _bits: dict[str, int] = field(default_factory=dict)
    _known_all: set[str] | None = None

    @classmethod
    def build(
        cls,
        pm: ParsedModel,
        g: nx.DiGraph,
        dag: nx.DiGraph,
        steps: dict[str, StepInfo],
        components: dict[str, ComponentInfo],
        regs: list[Registry],
        forms: dict[str, dict] | None,
        procedure: dict | None = None,
    ) -> Context:
        ctx = cls(pm, g, dag, steps, components, regs, forms or {}, procedure)
        ctx.cond_vars = condition_variables(pm)
        ctx.proc_text = procedure_text(procedure, pm.name)
        for f in pm.flows.values():
            ctx.flows_out.setdefault(f.source, []).append(f)
            ctx.flows_in.setdefault(f.target, []).append(f)
        ctx.hosts = {n.attached_to for n in pm.nodes.values() if n.attached_to}
        # steps that exchange messages with another pool are never rewired away
        ctx.hosts |= {end for _id, src, tgt in pm.message_flows for end in (src, tgt)}
        for tid, node in pm.nodes.items():
            info = steps.get(tid)
            if info is not None and info.actor != "citizen" and info.kind != "submit":
                ctx.produced.update(node.outputs)  # what the applicant uploads is not produced
            for key in node.inputs:
                ctx.readers.setdefault(key, []).append(tid)
        return ctx

    @property
    def result_document_type(self) -> str | None:
        """The document type this procedure issues (procedure.json ``result_document``)."""
        result = (self.procedure or {}).get("result_document") or {}
        return result.get("document_type") if isinstance(result, dict) else None

    def eform_declaration(self) -> bool:
        """Whether the applicant fills in an e-form (a citizen step with a form): the
        declaration is then data typed online, not a paper to prepare."""
        return any(
            s.actor == "citizen" and (self.pm.nodes[t].form or self.pm.nodes[t].form_fields)
            for t, s in self.steps.items()
        )

    @property
    def ready(self) -> frozenset[str]:
        """Registries connected with their data scope published."""
        return frozenset(r.id for r in self.registries if r.ready)

    def registry(self, rid: str) -> Registry | None:
        return next((r for r in self.registries if r.id == rid), None)

    def name(self, nid: str) -> str:
        """A step's label for prose (its id only when it has none)."""
        node = self.pm.nodes.get(nid)
        return (node.name if node else "") or nid

    def task_writes(self, tid: str) -> set[str] | None:
        """Variables a task writes, or None when unknown (a form we cannot see)."""
        if tid not in self._known_writes:
            self._known_writes[tid] = self._task_writes(tid)
        return self._known_writes[tid]

    def _task_writes(self, tid: str) -> set[str] | None:
        node = self.pm.nodes[tid]
        out: set[str] = set(node.writes)
        known = bool(node.script)
        if node.form:
            form = self.forms.get(node.form)
            if form is None:
                return None
            out |= set((form.get("properties") or {}).keys())
            known = True
        if node.form_fields:
            out |= set(node.form_fields)
            known = True
        if node.result_variable:
            out.add(node.result_variable)
            known = True
        if node.type in ("userTask", "manualTask", "task") and not known:
            return None
        return out

    def task_reads(self, tid: str) -> set[str] | None:
        """Variables a task reads: its scripts and parameters, and the fields of its form
        (a form shows what the dossier already holds under the same names); None when its
        form cannot be seen."""
        node = self.pm.nodes[tid]
        out = set(node.reads)
        if node.form:
            form = self.forms.get(node.form)
            if form is None:
                return None
            out |= form_reads(form)
        out |= set(node.form_fields)
        return out

    def decides(self, tid: str) -> bool:
        """Whether a task writes a variable that something after it reads.

        "After" follows the flow, loops included; readers are gateway conditions, scripts,
        service-task parameters and timer expressions. When the task's output is unknown
        (no visible form) it is assumed to decide if a later reader uses a variable that
        no known task writes.
        """
        if tid not in self._decides:
            needed = self._downstream().get(tid, 0)
            writes = self.task_writes(tid)
            if not needed:
                result = False
            elif writes is not None:
                result = bool(needed & self._mask(writes))
            else:
                result = bool(needed & ~self._mask(self._all_known_writes()))
            self._decides[tid] = result
        return self._decides[tid]

    def _mask(self, names: set[str]) -> int:
        """The bit set of the variables some reader reads (others cannot matter)."""
        bits = self._bits
        out = 0
        for name in names:
            bit = bits.get(name)
            if bit is not None:
                out |= bit
        return out

    def _downstream(self) -> dict[str, int]:
        """Node → the variables (as a bit set) read by the readers reachable from it,
        loops included.

        One pass over the condensation of the graph (its strongly connected components,
        ``graph.strongly_connected``) in reverse topological order. Sets of variables are
        Python integers used as bit sets, so a union costs one machine word per 64
        variables: near-linear even when every part of a large model reads its own
        variable.
        """
        if self._down is None:
            down: dict[str, int] = {}
            if self.cond_vars:
                names = sorted(set().union(*self.cond_vars.values()))
                self._bits = {n: 1 << i for i, n in enumerate(names)}
                reads = {m: self._mask(v) for m, v in self.cond_vars.items()}
                sccs, comp, csucc = strongly_connected(self.g)
                own = [0] * len(sccs)
                reach = [0] * len(sccs)
                for c in reversed(topological(csucc)):
                    inside = sccs[c]
                    mine = 0
                    for m in inside:
                        mine |= reads.get(m, 0)
                    own[c] = mine
                    acc = 0
                    for d in csucc[c]:
                        acc |= own[d] | reach[d]
                    if len(inside) > 1 or any(self.g.has_edge(m, m) for m in inside):
                        acc |= mine  # a loop: the component reaches itself
                    reach[c] = acc
                down = {n: reach[comp[n]] for n in self.g}
            self._down = down
        return self._down

    def _all_known_writes(self) -> set[str]:
        if self._known_all is None:
            known: set[str] = {f.split(".")[0] for f in START_DATA}
            for other in self.steps:
                known |= self.task_writes(other) or set()
            self._known_all = known
        return self._known_all

    def single_in_out(self, tid: str) -> bool:
        """Whether a step can be cut out of the flow by joining its one way in and out."""
        node = self.pm.nodes[tid]
        if tid in self.hosts:
            return False
        ins = self.flows_in.get(tid, [])
        outs = self.flows_out.get(tid, [])
        return (
            len(ins) == 1
            and len(outs) == 1
            and not outs[0].condition
            and ins[0].source != outs[0].target
            and node.type != "callActivity"
        )
