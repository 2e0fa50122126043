"""A linked group of procedures (nhóm thủ tục liên thông, Decree 63/2024/NĐ-CP) seen as one
service, against the stand-alone procedures it replaces.

Pure: the caller analyses each procedure (``analyse``) and passes the scores with the group
definition from ``process_models/groups.json``. The group is one service for the citizen:
its steps, components, fields, visits and costs are the sums over its parts, its time is the
group's statutory limit, and its readiness combines its parts' criteria (a criterion fails
if one part fails it; a criterion that applies to no part does not count): it is
full-online only if every part is. The stand-alone procedures are what a family does without the group: each
in turn, so their times add up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from .score import Scores, band, combine_criteria, readiness_score


@dataclass(frozen=True)
class ServiceTotals:
    """A set of procedures scored as one service."""

    procedures: int
    steps: int
    citizen_steps: int
    components: int
    typed_fields: int
    visits: int
    statutory_days: int
    working_days: bool
    cost_per_dossier: float | None
    readiness_score: float
    readiness_band: str
    full_online: bool


@dataclass(frozen=True)
class GroupView:
    """The linked group as one service, the stand-alone procedures, and what the group saves."""

    group_id: str
    name_vi: str
    group: ServiceTotals
    standalone: ServiceTotals
    saving: dict

    def as_dict(self) -> dict:
        return {
            "group_id": self.group_id,
            "name_vi": self.name_vi,
            "group": asdict(self.group),
            "standalone": asdict(self.standalone),
            "saving": self.saving,
        }


def service_totals(scores: Sequence[Scores], days: int, working_days: bool) -> ServiceTotals:
    """Sum ``scores`` into one service whose statutory time is ``days``.

    >>> service_totals([], 0, True).procedures
    0
    """
    crit = combine_criteria([s.readiness.criteria for s in scores])
    score = readiness_score(crit) if scores else 0.0
    costs = [s.cost.per_dossier for s in scores if s.cost]
    return ServiceTotals(
        procedures=len(scores),
        steps=sum(s.steps for s in scores),
        citizen_steps=sum(s.citizen_steps for s in scores),
        components=sum(s.components for s in scores),
        typed_fields=sum(s.typed_fields for s in scores),
        visits=sum(s.visits for s in scores),
        statutory_days=days,
        working_days=working_days,
        cost_per_dossier=sum(costs) if scores and len(costs) == len(scores) else None,
        readiness_score=score,
        readiness_band=band(score),
        full_online=bool(scores) and all(s.readiness.full_online for s in scores),
    )


def group_view(
    group: Mapping,
    linked: Mapping[str, Scores],
    standalone: Mapping[str, Scores],
    procedures: Mapping[str, Mapping],
) -> GroupView:
    """The group ``group`` (an entry of groups.json) against the procedures it replaces.

    ``linked`` and ``standalone`` map the slugs of the group's members and of the replaced
    procedures to their scores (``Analysis.before``); ``procedures`` maps the replaced
    slugs to their procedure.json, whose processing times add up.
    """
    limit = group["time_limit"]
    one = service_totals(
        [linked[s] for s in group["members"]], int(limit["days"]), bool(limit["working_days"])
    )
    times = [procedures[s].get("processing_time") or {} for s in group["replaces"]]
    alone = service_totals(
        [standalone[s] for s in group["replaces"]],
        sum(int(t.get("days") or 0) for t in times),
        all(t.get("working_days", True) for t in times),
    )
    saving = {
        key: getattr(alone, key) - getattr(one, key)
        for key in ("steps", "citizen_steps", "components", "typed_fields", "visits")
    }
    saving["statutory_days"] = alone.statutory_days - one.statutory_days
    saving["time_cut_pct"] = (
        round(saving["statutory_days"] / alone.statutory_days * 100, 1)
        if alone.statutory_days
        else 0.0
    )
    if one.cost_per_dossier is not None and alone.cost_per_dossier is not None:
        saving["cost_per_dossier"] = round(alone.cost_per_dossier - one.cost_per_dossier)
    return GroupView(group["id"], group["name"]["vi"], one, alone, saving)
