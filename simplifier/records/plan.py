"""The catalogue report: many assessed procedures, grouped, ranked, with the plan.

:func:`catalogue_report` turns the entries of :func:`.assess.assess` into one report:
totals; the same counts per lĩnh vực (field), per ministry or province, per agency level
and per national database (what it replaces now, what it would replace once connected or
once its owner publishes the data scope); ranked opportunities; and the data-based
simplification plan in the shape Resolution 66.7/2025/NQ-CP asks ministries to publish
(procedure, component, data source, legal change needed).
"""

from __future__ import annotations

from collections import Counter, defaultdict

LEVEL_VI = {"ministry": "Cấp bộ", "province": "Cấp tỉnh", "commune": "Cấp xã"}
TOP = 50


def _group(entries: list[dict], key) -> list[dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        groups[key(e) or "(không rõ)"].append(e)
    out = [{"name": name, **_counts(items)} for name, items in groups.items()]
    return sorted(out, key=lambda g: (-g["replaceable_now"], -g["procedures"], g["name"]))


def _counts(entries: list[dict]) -> dict:
    s = [e["summary"] for e in entries]
    verdicts: Counter[str] = Counter()
    for x in s:
        verdicts.update(x["components"])
    annual = [x["savings"].get("annual_cost") for x in s if x["savings"].get("annual_cost")]
    hours = [x["citizen_hours_saved_per_year"] for x in s if x["citizen_hours_saved_per_year"]]
    return {
        "procedures": len(entries),
        "components": sum(x["documents"] for x in s),
        "verdicts": dict(verdicts),
        "replaceable_now": verdicts.get("replaceable_by_database", 0),
        "replaceable_once_connected": sum(sum(x["replaceable_once_connected"].values()) for x in s),
        "e_copy": verdicts.get("replaceable_by_e_copy", 0),
        "presence_by_law_steps": sum(x["presence_by_law"] for x in s),
        "online_steps": sum(x["online"] for x in s),
        "readiness_before": _mean([x["before"]["readiness"] for x in s]),
        "readiness_after": _mean([x["after"]["readiness"] for x in s]),
        "annual_cost_saved": sum(annual),
        "citizen_hours_saved_per_year": sum(hours),
        "with_volume": sum(1 for x in s if x["annual_volume"]),
    }


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 1) if values else 0.0


def opportunity_key(e: dict) -> tuple:
    """Rank: components replaceable now, then once connected, readiness gain, cost saved."""
    s = e["summary"]
    return (
        -sum(s["replaceable_now"].values()),
        -sum(s["replaceable_once_connected"].values()),
        -s["savings"].get("readiness_gain", 0),
        -(s["savings"].get("annual_cost") or 0),
        e["national_code"],
    )


def _databases(entries: list[dict], registries: list[dict]) -> list[dict]:
    now: Counter[str] = Counter()
    later: Counter[str] = Counter()
    procs_now: Counter[str] = Counter()
    procs_later: Counter[str] = Counter()
    for e in entries:
        for db, n in e["summary"]["replaceable_now"].items():
            now[db] += n
            procs_now[db] += 1
        for db, n in e["summary"]["replaceable_once_connected"].items():
            later[db] += n
            procs_later[db] += 1
    out = []
    for r in registries:
        rid = r["id"]
        if rid not in now and rid not in later:
            continue
        out.append(
            {
                "id": rid,
                "name_vi": r.get("name_vi", rid),
                "connected": r.get("connected"),
                "scope_published": r.get("scope_published"),
                "components_now": now[rid],
                "procedures_now": procs_now[rid],
                "components_once_connected": later[rid],
                "procedures_once_connected": procs_later[rid],
            }
        )
    return sorted(out, key=lambda d: (-d["components_now"], -d["components_once_connected"]))


def catalogue_report(
    entries: list[dict],
    refused: list[dict],
    registries: list[dict],
    *,
    failed: list[dict] | None = None,
) -> dict:
    """The whole report (JSON-ready). ``refused`` are records the import refused, ``failed``
    procedures the analysis could not read; both with their one-line reason."""
    ranked = sorted(entries, key=opportunity_key)
    plan = [row for e in ranked for row in e["plan"]]
    return {
        "totals": {
            **_counts(entries),
            "refused_at_import": len(refused),
            "failed_analysis": len(failed or []),
        },
        "by_field": _group(entries, lambda e: e["field"]),
        "by_ministry": _group(entries, lambda e: e["ministry"]),
        "by_level": _group(entries, lambda e: LEVEL_VI.get(e["agency_level"], e["agency_level"])),
        "by_database": _databases(entries, registries),
        "opportunities": [_brief(e) for e in ranked[:TOP]],
        "plan": plan,
        "procedures": ranked,
        "refused": refused,
        "failed": failed or [],
    }


def _brief(e: dict) -> dict:
    s = e["summary"]
    return {
        "national_code": e["national_code"],
        "name": e["name"],
        "ministry": e["ministry"],
        "field": e["field"],
        "replaceable_now": sum(s["replaceable_now"].values()),
        "replaceable_once_connected": sum(s["replaceable_once_connected"].values()),
        "databases": sorted({*s["replaceable_now"], *s["replaceable_once_connected"]}),
        "readiness_before": s["before"]["readiness"],
        "readiness_after": s["after"]["readiness"],
        "band_before": s["before"]["band"],
        "band_after": s["after"]["band"],
        "annual_cost_saved": s["savings"].get("annual_cost"),
        "cost_per_dossier_saved": s["savings"].get("cost_per_dossier"),
    }
