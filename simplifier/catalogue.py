"""The simplifier over a whole catalogue of procedures, ranked.

:func:`analyse_catalogue` analyses many models (optionally on several worker processes)
and returns per-procedure summaries ranked by what simplification saves and by
full-online readiness, plus totals, linked groups scored as groups, and a per-registry
view: how many procedures a registry already simplifies, and how many wait for its
connection or for its owner to publish the data scope (Resolution 66.7/2025/NQ-CP).
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from .analysis import analyse
from .load import ModelLoadError
from .score import band, combine_criteria, readiness_score


@dataclass
class CatalogueAnalysis:
    entries: list[dict]  # summaries, ranked by saving
    errors: list[dict] = field(default_factory=list)  # {"slug", "error"}
    totals: dict = field(default_factory=dict)
    registries: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)  # linked groups scored as groups
    assumption: dict = field(default_factory=dict)  # which registries were taken as connected

    @property
    def by_readiness(self) -> list[dict]:
        """Most ready for full-online delivery after simplification first."""
        return sorted(
            self.entries,
            key=lambda e: (-e["after"]["readiness"], -e["savings"]["readiness_gain"], e["slug"]),
        )

    def as_dict(self) -> dict:
        return {
            "assumption": self.assumption,
            "totals": self.totals,
            "ranked_by_saving": self.entries,
            "ranked_by_readiness": [e["slug"] for e in self.by_readiness],
            "groups": self.groups,
            "registries": self.registries,
            "errors": self.errors,
        }


def saving_key(entry: dict) -> tuple:
    """Sort key: annual cost saved, then cost per dossier, then steps and documents cut."""
    s = entry["savings"]
    return (
        -(s.get("annual_cost") or 0),
        -(s.get("cost_per_dossier") or 0),
        -(s["steps"] + s["components"] + s["visits"] + s["typed_fields"] / 5),
        entry["slug"],
    )


@dataclass(frozen=True)
class _Settings:
    """One run's inputs besides the models, passed to each analysis (never kept in the
    module: two runs at once, two requests of the API, must not read each other's)."""

    catalogue: dict
    forms: dict
    connected: tuple[str, ...] | None  # the whole connected set (a what-if), or None
    connect: tuple[str, ...]  # added to the registries the catalogue marks connected
    cost_model: dict | None
    province: str | None


# what a forked pool's workers inherit, by run (only the parent writes it, before forking)
_FORKED: dict[int, tuple[list[dict], _Settings]] = {}


def _one_at(run: int, index: int) -> dict:
    items, settings = _FORKED[run]
    return _one(items[index], settings)


def _one(item: dict, settings: _Settings) -> dict:
    slug = item.get("slug") or (item.get("procedure") or {}).get("slug") or "?"
    try:
        a = analyse(
            item["xml"],
            settings.catalogue,
            procedure=item.get("procedure"),
            forms={**(settings.forms or {}), **(item.get("forms") or {})},
            connected=settings.connected,
            connect=settings.connect,
            cost_model=settings.cost_model,
            province=settings.province,
        )
    except ModelLoadError as exc:
        return {"slug": slug, "error": str(exc)}
    except Exception as exc:  # one model must not stop a catalogue of thousands
        return {
            "slug": slug,
            "error": f"lỗi nội bộ khi phân tích: {type(exc).__name__}: {exc}",
            "internal": True,
        }
    summary = a.summary()
    if item.get("slug"):
        summary["slug"] = item["slug"]
    summary["registry_findings"] = a.registry_readiness()
    return summary


def assumption(catalogue: dict, connected: Iterable[str] | None, connect: Iterable[str]) -> dict:
    """Which registries the analysis takes as connected, and why (for the reports)."""
    ids = [r.get("id", "") for r in catalogue.get("registries", [])]
    names = {
        r.get("id", ""): r.get("name_vi") or r.get("id", "")
        for r in catalogue.get("registries", [])
    }
    if connected is not None:
        chosen = set(connected)
        return {
            "mode": "exact",
            "connected": [i for i in ids if i in chosen],
            "added": [],
            "names": names,
        }
    base = [r.get("id", "") for r in catalogue.get("registries", []) if r.get("connected")]
    added = [i for i in ids if i in set(connect) and i not in base]
    return {"mode": "catalogue", "connected": base + added, "added": added, "names": names}


def analyse_catalogue(
    items: Iterable[dict],
    catalogue: dict,
    *,
    forms: dict | None = None,
    connected: Iterable[str] | None = None,
    connect: Iterable[str] = (),
    cost_model: dict | None = None,
    province: str | None = None,
    groups: list[dict] | None = None,
    workers: int = 1,
    chunksize: int = 64,
) -> CatalogueAnalysis:
    """Analyse every item (``{"xml", "procedure"?, "forms"?, "slug"?}``) and rank them.

    ``connect`` adds registries to those the catalogue marks connected; ``connected``
    states the whole connected set instead. ``groups`` (``process_models/groups.json``)
    names the linked groups; members are found by their ``procedure.linked_group``.
    """
    items = list(items)
    settings = _Settings(
        catalogue,
        forms or {},
        None if connected is None else tuple(connected),
        tuple(connect),
        cost_model,
        province,
    )
    if workers > 1 and len(items) > chunksize:
        if "fork" in mp.get_all_start_methods():
            # Forked workers inherit the inputs: nothing but indices and summaries is pickled.
            run = id(settings)
            _FORKED[run] = (items, settings)
            try:
                with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
                    results = list(
                        pool.map(partial(_one_at, run), range(len(items)), chunksize=chunksize)
                    )
            finally:
                _FORKED.pop(run, None)
        else:
            with ProcessPoolExecutor(workers) as pool:
                results = list(
                    pool.map(partial(_one, settings=settings), items, chunksize=chunksize)
                )
    else:
        results = [_one(i, settings) for i in items]
    errors = [r for r in results if "error" in r]
    entries = sorted((r for r in results if "error" not in r), key=saving_key)
    group_rows = linked_groups(entries, groups or [])
    return CatalogueAnalysis(
        entries=entries,
        errors=errors,
        totals=_totals(entries, errors, group_rows),
        registries=_registries(entries),
        groups=group_rows,
        assumption=assumption(catalogue, settings.connected, settings.connect),
    )


def linked_groups(entries: list[dict], groups: list[dict]) -> list[dict]:
    """Linked groups (Decree 63/2024) scored as one procedure each: a criterion holds for
    the group when it holds for every member it applies to; counts and costs add up."""
    names = {g.get("id"): g.get("name", {}) for g in groups}
    members: dict[str, list[dict]] = {}
    for e in entries:
        if e.get("linked_group"):
            members.setdefault(e["linked_group"], []).append(e)
    out = []
    for gid, rows in sorted(members.items()):
        row: dict = {"id": gid, "name": (names.get(gid) or {}).get("vi") or gid}
        row["members"] = [e["slug"] for e in rows]
        for side in ("before", "after"):
            crit = combine_criteria([e[side]["criteria"] for e in rows])
            score = readiness_score(crit)
            costs = [e[side]["annual_cost"] for e in rows if e[side]["annual_cost"] is not None]
            row[side] = {
                "criteria": crit,
                "readiness": score,
                "band": band(score),
                "steps": sum(e[side]["steps"] for e in rows),
                "components": sum(e[side]["components"] for e in rows),
                "cost_per_dossier": sum(e[side]["cost_per_dossier"] or 0 for e in rows),
                "annual_cost": sum(costs) if costs else None,
            }
        out.append(row)
    return out


def _units(entries: list[dict], groups: list[dict]) -> list[dict]:
    """What is counted once: each linked group, and each procedure outside a group."""
    grouped = {slug for g in groups for slug in g["members"]}
    return [e for e in entries if e["slug"] not in grouped] + groups


def _totals(entries: list[dict], errors: list[dict], groups: list[dict]) -> dict:
    units = _units(entries, groups)
    return {
        "procedures": len(entries),
        "failed": len(errors),
        "groups": len(groups),
        "units": len(units),
        "steps_removed": sum(e["savings"]["steps"] for e in entries),
        "components_removed": sum(e["savings"]["components"] for e in entries),
        "typed_fields_removed": sum(e["savings"]["typed_fields"] for e in entries),
        "visits_removed": sum(e["savings"]["visits"] for e in entries),
        "annual_cost_saved": sum(e["savings"].get("annual_cost") or 0 for e in entries),
        "meeting_time_target": sum(bool(e["savings"]["meets_time_target"]) for e in entries),
        "meeting_cost_target": sum(bool(e["savings"].get("meets_cost_target")) for e in entries),
        "full_online_before": sum(u["before"]["readiness"] == 100 for u in units),
        "full_online_after": sum(u["after"]["readiness"] == 100 for u in units),
        "bands_before": _bands(units, "before"),
        "bands_after": _bands(units, "after"),
    }


def _registries(entries: list[dict]) -> list[dict]:
    regs: dict[str, dict] = {}
    for e in entries:
        for r in e.pop("registry_findings", ()):
            agg = regs.setdefault(
                r["id"],
                {
                    "id": r["id"],
                    "name_vi": r["name_vi"],
                    "connected": r["connected"],
                    "scope_published": r["scope_published"],
                    "procedures": 0,
                    "actionable": 0,
                    "blocked": 0,
                    "potential": 0,
                },
            )
            agg["procedures"] += 1
            for k in ("actionable", "blocked", "potential"):
                agg[k] += r[k]
    return sorted(regs.values(), key=lambda r: -(r["blocked"] + r["potential"]))


def _bands(units: list[dict], side: str) -> dict[str, int]:
    out = dict.fromkeys("ABCDE", 0)
    for u in units:
        out[u[side]["band"]] += 1
    return out
