"""How good is the simplifier's advice? Precision and recall against labelled models.

Run:  python bench/simplifier_quality.py [--labels FILE ...] [--details]
Prints a table and writes bench/results/simplifier_quality.json.

Each label file is a list of entries, one per model (``bench/labels/README.md``)::

    {"file": "x.bpmn" | "folder": "process_models/<slug>",
     "accept": [{"kind", "element", "database"?, "reason"}],
     "reject": [...], "legal_presence": ["<task id>", …]}

``kind`` is one of ``drop_component``, ``remove_step``, ``move_online``, ``parallelise``,
``prefill_field``. Only *actionable* findings count as proposals. A proposal is right
when a label accepts it, wrong when a label rejects it or when no label names it (a
careful reformer did not ask for it); precision is also given over labelled proposals
only. A proposal that removes a step or moves it online although its element is in
``legal_presence`` contradicts a legal requirement: that count must be 0.

The labelled sets measure; they are never used to tune the rules.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toantrinh.simplifier import Analysis, ModelLoadError, analyse  # noqa: E402
from toantrinh.simplifier.cli import load_forms, load_procedure  # noqa: E402

EVAL = ROOT / "tests" / "simplifier" / "fixtures" / "eval"
LABELS = [
    ROOT / "bench" / "labels" / "simplifier.json",
    ROOT / "bench" / "labels" / "simplifier_library.json",
]
KINDS = ("drop_component", "remove_step", "move_online", "parallelise", "prefill_field")
RULE_KIND = {
    "components_available_in_registries": "drop_component",
    "abolished_components": "drop_component",
    "verification_only_steps": "remove_step",
    "handoff_steps": "remove_step",
    "consecutive_approvals": "remove_step",
    "in_person_steps": "move_online",
    "parallelisable_steps": "parallelise",
    "prefillable_form_fields": "prefill_field",
}
AGAINST_LAW = ("remove_step", "move_online")


def proposals(a: Analysis) -> list[tuple[str, set[str], str]]:
    """(kind, the element ids it names, rule) of every actionable finding."""
    out = []
    for f in a.findings:
        kind = RULE_KIND.get(f.rule)
        if f.status != "actionable" or kind is None:
            continue
        ids: set[str] = set()
        for t in f.targets:
            ids.add(t)
            comp = a.components.get(t)
            if comp is not None:
                ids.update(comp.refs)
        out.append((kind, ids, f.rule))
    return out


def _analysis(entry: dict, catalogue: dict, forms: dict) -> Analysis:
    if entry.get("folder"):
        xml, procedure, _slug = load_procedure(ROOT / entry["folder"])
        return analyse(xml, catalogue, procedure, forms)
    path = EVAL / entry["file"]
    return analyse(path.read_bytes(), catalogue)


def score_entry(entry: dict, a: Analysis) -> dict:
    accept = [(x["kind"], x["element"]) for x in entry.get("accept", [])]
    reject = [(x["kind"], x["element"]) for x in entry.get("reject", [])]
    legal = set(entry.get("legal_presence", []))
    found = proposals(a)
    right = wrong = unlabelled = against_law = 0
    matched: set[tuple[str, str]] = set()
    details = []
    for kind, ids, rule in found:
        hit = [x for x in accept if x[0] == kind and x[1] in ids]
        miss = [x for x in reject if x[0] == kind and x[1] in ids]
        if hit:
            right += 1
            matched.update(hit)
            verdict = "right"
        elif miss:
            wrong += 1
            verdict = "rejected"
        else:
            unlabelled += 1
            verdict = "unlabelled"
        if kind in AGAINST_LAW and ids & legal:
            against_law += 1
            verdict += ", against the law"
        details.append({"kind": kind, "elements": sorted(ids), "rule": rule, "verdict": verdict})
    return {
        "file": entry.get("file") or entry.get("folder"),
        "proposals": len(found),
        "right": right,
        "rejected": wrong,
        "unlabelled": unlabelled,
        "accepted_labels": len(accept),
        "found_accepted": len(matched),
        "against_law": against_law,
        "kinds": dict(Counter(k for k, _ids, _r in found)),
        "details": details,
    }


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, nargs="*", default=LABELS)
    ap.add_argument("--details", action="store_true", help="print every proposal and verdict")
    args = ap.parse_args()
    catalogue = json.loads((ROOT / "data" / "registries.json").read_text(encoding="utf-8"))
    forms = load_forms(ROOT)
    results: dict = {"sets": {}}
    for path in args.labels:
        if not path.exists():
            print(f"  (no labels at {path.relative_to(ROOT)})")
            continue
        rows = []
        for entry in json.loads(path.read_text(encoding="utf-8")):
            try:
                a = _analysis(entry, catalogue, forms)
            except (ModelLoadError, OSError) as exc:
                rows.append({"file": entry.get("file") or entry.get("folder"), "error": str(exc)})
                continue
            rows.append(score_entry(entry, a))
        ok = [r for r in rows if "error" not in r]
        total = {
            k: sum(r[k] for r in ok)
            for k in (
                "proposals",
                "right",
                "rejected",
                "unlabelled",
                "accepted_labels",
                "found_accepted",
                "against_law",
            )
        }
        summary = {
            "models": len(rows),
            "failed": len(rows) - len(ok),
            **total,
            "precision": ratio(total["right"], total["proposals"]),
            "precision_labelled": ratio(total["right"], total["right"] + total["rejected"]),
            "recall": ratio(total["found_accepted"], total["accepted_labels"]),
        }
        results["sets"][path.name] = {"summary": summary, "models": rows}
        print(f"{path.relative_to(ROOT)}: {summary['models']} models ({summary['failed']} unread)")
        print(
            f"  actionable proposals {summary['proposals']}: right {summary['right']}, "
            f"rejected {summary['rejected']}, unlabelled {summary['unlabelled']}"
        )
        print(
            f"  precision {summary['precision']} (over labelled proposals "
            f"{summary['precision_labelled']}); recall {summary['recall']} "
            f"({summary['found_accepted']} of {summary['accepted_labels']} accepted findings)"
        )
        print(f"  proposals against a legal requirement: {summary['against_law']} (must be 0)")
        if args.details:
            for r in rows:
                print(f"    {r['file']}")
                for d in r.get("details", []):
                    print(f"      {d['verdict']:>22}  {d['kind']:<15} {', '.join(d['elements'])}")
                if "error" in r:
                    print(f"      error: {r['error']}")
    out = ROOT / "bench" / "results" / "simplifier_quality.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"  written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
