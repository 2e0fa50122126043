"""One imported procedure through the simplifier: verdicts, scores, savings, plan rows.

:func:`assess` takes what ``catalogue import`` wrote for a record (the BPMN text, the
``procedure.json`` facts and the ``record.json`` reading) and returns the catalogue entry
of that procedure: the JSON contract (components and steps with verdicts), readiness
before and after, compliance cost and time saved, and the plan rows.
"""

from __future__ import annotations

from collections import Counter

from ..analysis import analyse
from .verdicts import plan_rows, procedure_verdicts

NOT_A_DATABASE = "edata_warehouse"  # see verdicts.py: results count as e-copies


def analysis_facts(procedure: dict, default_volume: int | None = None) -> dict:
    """``procedure.json`` as the simplifier should see it: facts the record did not publish
    are left out (so readiness criterion (a) of Circular 01/2023 sees them missing), and a
    default annual volume (an estimate) is used where the record gives none."""
    facts = {k: v for k, v in procedure.items() if k != "catalogue"}
    if (facts.get("processing_time") or {}).get("days") is None:
        facts.pop("processing_time", None)
    if (facts.get("fee") or {}).get("amount") is None:
        facts.pop("fee", None)
    volume = (facts.get("annual_volume") or {}).get("dossiers")
    if volume is None and default_volume:
        facts["annual_volume"] = {
            "dossiers": default_volume,
            "estimate": True,
            "source": "tham số --default-volume (ước tính)",
        }
    return facts


def connected_registries(catalogue: dict, chosen: list[str] | None = None) -> list[str]:
    """The registries to treat as connected: ``chosen`` (what-if) or the catalogue's flags,
    never the e-data warehouse."""
    ids = (
        chosen
        if chosen is not None
        else [r["id"] for r in catalogue.get("registries", []) if r.get("connected")]
    )
    return [r for r in ids if r != NOT_A_DATABASE]


def assess(
    bpmn: str | bytes,
    procedure: dict,
    reading: dict,
    catalogue: dict,
    hints: dict[str, str],
    *,
    connected: list[str] | None = None,
    cost_model: dict | None = None,
    default_volume: int | None = None,
) -> dict:
    """The catalogue entry of one imported procedure (raises ``ModelLoadError`` on bad BPMN)."""
    facts = analysis_facts(procedure, default_volume)
    a = analyse(
        bpmn,
        catalogue,
        procedure=facts,
        connected=connected_registries(catalogue, connected),
        cost_model=cost_model,
    )
    verdicts = procedure_verdicts(reading, a, hints)
    summary = a.summary()
    comp_verdicts = Counter(c["verdict"] for c in verdicts["components"])
    now = Counter(
        c["database"] for c in verdicts["components"] if c["verdict"] == "replaceable_by_database"
    )
    later = Counter(
        c["database"] for c in verdicts["components"] if c["verdict"] == "review" and c["database"]
    )
    before, after = a.before, a.after
    citizen_min = (
        before.cost.citizen_minutes - after.cost.citizen_minutes
        if before.cost and after.cost
        else None
    )
    volume = (facts.get("annual_volume") or {}).get("dossiers")
    return {
        **verdicts,
        "slug": procedure.get("slug"),
        "ministry": reading.get("ministry") or "",
        "field": reading.get("field") or "",
        "agency": reading.get("agency") or "",
        "agency_level": reading.get("agency_level") or "",
        "decision": reading.get("decision") or "",
        "summary": {
            "components": dict(comp_verdicts),
            "documents": sum(1 for c in verdicts["components"] if c["verdict"] != "note"),
            "replaceable_now": dict(now),
            "replaceable_once_connected": dict(later),
            "steps": len(verdicts["steps"]),
            "presence_by_law": sum(s["presence_required_by_law"] for s in verdicts["steps"]),
            "online": sum(s["verdict"] == "online" for s in verdicts["steps"]),
            "remove": sum(s["verdict"] == "remove" for s in verdicts["steps"]),
            "before": summary["before"],
            "after": summary["after"],
            "savings": a.savings,
            "annual_volume": volume,
            "volume_estimate": bool((facts.get("annual_volume") or {}).get("estimate", True)),
            "citizen_minutes_saved": round(citizen_min, 1) if citizen_min is not None else None,
            "citizen_hours_saved_per_year": round(citizen_min * volume / 60)
            if citizen_min is not None and volume
            else None,
            "warnings": a.warnings[:5],
        },
        "plan": plan_rows(reading, verdicts, a),
        "problems": reading.get("problems") or [],
    }
