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


_SHARED: dict = {}


def _init(catalogue, forms, connected, cost_model, province):
    _SHARED.update(
        catalogue=catalogue,
        forms=forms,
        connected=connected,
        cost_model=cost_model,
        province=province,
    )


def _one_at(index: int) -> dict:
    return _one(_SHARED["items"][index])


def _one(item: dict) -> dict:
    slug = item.get("slug") or (item.get("procedure") or {}).get("slug") or "?"
    try:
        a = analyse(
            item["xml"],
            _SHARED["catalogue"],
            procedure=item.get("procedure"),
            forms={**(_SHARED["forms"] or {}), **(item.get("forms") or {})},
            connected=_SHARED["connected"],
            cost_model=_SHARED["cost_model"],
            province=_SHARED["province"],
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
    args = (catalogue, forms or {}, connected, cost_model, province)
    if workers > 1 and len(items) > chunksize:
        if "fork" in mp.get_all_start_methods():
            # Forked workers inherit the inputs: nothing but indices and summaries is pickled.
            _init(*args)
            _SHARED["items"] = items
            try:
                with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
                    results = list(pool.map(_one_at, range(len(items)), chunksize=chunksize))
            finally:
                _SHARED.pop("items", None)
        else:
            with ProcessPoolExecutor(workers, initializer=_init, initargs=args) as pool:
                results = list(pool.map(_one, items, chunksize=chunksize))
    else:
        _init(*args)
        results = [_one(i) for i in items]
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
