"""The simplifier over a whole catalogue of procedures, ranked.

:func:`analyse_catalogue` analyses many models (optionally on several worker
processes) and returns per-procedure summaries ranked by what simplification saves
and by full-online readiness, plus totals and a per-registry view: how many
procedures a registry already simplifies, and how many wait for its connection or
for its owner to publish the data scope (Resolution 66.7/2025/NQ-CP).
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from .analysis import analyse
from .load import ModelLoadError


@dataclass
class CatalogueAnalysis:
    entries: list[dict]  # summaries, ranked by saving
    errors: list[dict] = field(default_factory=list)  # {"slug", "error"}
    totals: dict = field(default_factory=dict)
    registries: list[dict] = field(default_factory=list)

    @property
    def by_readiness(self) -> list[dict]:
        """Most ready for full-online delivery after simplification first."""
        return sorted(
            self.entries,
            key=lambda e: (-e["after"]["readiness"], -e["savings"]["readiness_gain"], e["slug"]),
        )

    def as_dict(self) -> dict:
        return {
            "totals": self.totals,
            "ranked_by_saving": self.entries,
            "ranked_by_readiness": [e["slug"] for e in self.by_readiness],
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
    connected: set[str] | list[str] | None
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
            cost_model=settings.cost_model,
            province=settings.province,
        )
    except ModelLoadError as exc:
        return {"slug": slug, "error": str(exc)}
    except Exception as exc:  # one model must not stop a catalogue of thousands
        return {
            "slug": slug,
            "error": f"lỗi nội bộ: {type(exc).__name__}: {exc}",
            "internal": True,
        }
    summary = a.summary()
    if item.get("slug"):
        summary["slug"] = item["slug"]
    summary["registry_findings"] = a.registry_readiness()
    return summary


def analyse_catalogue(
    items: Iterable[dict],
    catalogue: dict,
    *,
    forms: dict | None = None,
    connected: set[str] | list[str] | None = None,
    cost_model: dict | None = None,
    province: str | None = None,
    workers: int = 1,
    chunksize: int = 64,
) -> CatalogueAnalysis:
    """Analyse every item (``{"xml", "procedure"?, "forms"?, "slug"?}``) and rank them."""
    items = list(items)
    settings = _Settings(catalogue, forms or {}, connected, cost_model, province)
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
                results = list(pool.map(partial(_one, settings=settings), items, chunksize=chunksize))
    else:
        results = [_one(i, settings) for i in items]
    errors = [r for r in results if "error" in r]
    entries = sorted((r for r in results if "error" not in r), key=saving_key)
    totals = {
        "procedures": len(entries),
        "failed": len(errors),
        "steps_removed": sum(e["savings"]["steps"] for e in entries),
        "components_removed": sum(e["savings"]["components"] for e in entries),
        "typed_fields_removed": sum(e["savings"]["typed_fields"] for e in entries),
        "visits_removed": sum(e["savings"]["visits"] for e in entries),
        "annual_cost_saved": sum(e["savings"].get("annual_cost") or 0 for e in entries),
        "meeting_time_target": sum(bool(e["savings"]["meets_time_target"]) for e in entries),
        "meeting_cost_target": sum(bool(e["savings"].get("meets_cost_target")) for e in entries),
        "full_online_before": sum(e["before"]["readiness"] == 100 for e in entries),
        "full_online_after": sum(e["after"]["readiness"] == 100 for e in entries),
        "bands_before": _bands(entries, "before"),
        "bands_after": _bands(entries, "after"),
    }
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
    return CatalogueAnalysis(
        entries=entries,
        errors=errors,
        totals=totals,
        registries=sorted(regs.values(), key=lambda r: -(r["blocked"] + r["potential"])),
    )


def _bands(entries: list[dict], side: str) -> dict[str, int]:
    out = dict.fromkeys("ABCDE", 0)
    for e in entries:
        out[e[side]["band"]] += 1
    return out
