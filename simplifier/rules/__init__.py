"""Simplification rules: one small pure function per thing to find.

Each rule takes a :class:`Context` (the model graph, inferred steps and components, the
registry catalogue with its connection settings, the forms, the procedure) and returns
:class:`Finding` records carrying the evidence, the legal basis and the saving, so a
report can explain every recommendation. Statuses are explained in
:mod:`toantrinh.simplifier.rules.context`; the legal questions are decided in :mod:`toantrinh.simplifier.law`.
"""

from __future__ import annotations

from ..law import citation
from .components import (
    abolished_components,
    components_available_in_registries,
    droppable,
    paper_components,
)
from .context import (
    DEFAULT_REGISTRY_KEY,
    NOT_REPLACEABLE,
    REGISTRY_KEYS,
    RESULT_DOCUMENT_TYPES,
    STATUSES,
    Context,
    Finding,
    Registry,
    Saving,
    registries,
)
from .forms import form_fields, prefillable_form_fields, typed_fields
from .parallel import independent, parallelisable_steps
from .presence import in_person_steps
from .steps import REMOVING_RULES, consecutive_approvals, handoff_steps, verification_only_steps

__all__ = [
    "C01",
    "CD201",
    "D42_11",
    "D42_11_2",
    "D45",
    "D69",
    "D104",
    "D118",
    "DEFAULT_REGISTRY_KEY",
    "L3109",
    "LDT2025",
    "LGDDT",
    "NOT_REPLACEABLE",
    "R66",
    "R66_7",
    "REGISTRY_KEYS",
    "REMOVING_RULES",
    "RESULT_DOCUMENT_TYPES",
    "RULES",
    "STATUSES",
    "Context",
    "Finding",
    "Registry",
    "Saving",
    "abolished_components",
    "components_available_in_registries",
    "consecutive_approvals",
    "droppable",
    "find_all",
    "form_fields",
    "handoff_steps",
    "in_person_steps",
    "independent",
    "paper_components",
    "parallelisable_steps",
    "prefillable_form_fields",
    "registries",
    "typed_fields",
    "verification_only_steps",
]

# The legal bases findings cite, as reports print them (simplifier/data/legal_rules.json);
# module constants for the callers that name them (the catalogue's verdicts, the tests).
R66_7 = citation("R66_7")
R66 = citation("R66")
L3109 = citation("L3109")
D104 = citation("D104")
D45 = citation("D45")
D42_11 = citation("D42_11")
D42_11_2 = citation("D42_11_2")
C01 = citation("C01_13")
CD201 = citation("CD201")
LDT2025 = citation("LDT2025")
D69 = citation("D69")
LGDDT = citation("LGDDT")
D118 = citation("D118")

# Every rule, in the order find_all runs them.
RULES = (
    "abolished_components",
    "components_available_in_registries",
    "paper_components",
    "verification_only_steps",
    "handoff_steps",
    "consecutive_approvals",
    "in_person_steps",
    "parallelisable_steps",
    "prefillable_form_fields",
)


def find_all(ctx: Context) -> list[Finding]:
    """Run every rule in order; later rules see what earlier ones remove."""
    comps = abolished_components(ctx) + components_available_in_registries(ctx)
    findings = comps + paper_components(ctx, comps)
    findings += verification_only_steps(ctx, comps)
    findings += handoff_steps(ctx)
    findings += consecutive_approvals(ctx)
    findings += in_person_steps(ctx)
    removed = {
        f.targets[0] for f in findings if f.status == "actionable" and f.rule in REMOVING_RULES
    }
    findings += parallelisable_steps(ctx, removed)
    findings += prefillable_form_fields(ctx)
    return findings
