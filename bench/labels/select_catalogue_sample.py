"""Draw the labelled sample of catalogue records (issue 24) from a crawl of the national portal.

    python bench/labels/select_catalogue_sample.py --source /work/data/tthc_raw [--skeleton FILE]

The crawl (``<ministry>/<code>.json``, flattened page text) is not part of the project: point
``--source`` at wherever it was fetched. The draw is fixed (seed 20261207): per ministry
folder, sorted by code, records are eligible when their component field has the portal's
table header and they yield at least one component row and one step (rules in
``catalogue_rows.py``); from each ministry with at least 12 eligible records 8 are drawn
at random and 4 more from those whose components mention a case ("Trường hợp"), so that
case groups and notes mixed into the list are represented; smaller folders give one record.
Prints the codes; ``--skeleton`` also writes the rows and steps to label (never commit it:
it quotes the records).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from catalogue_rows import TABLE_HEADER, component_rows, steps

SEED = 20261207
PER_MINISTRY = 8
WITH_CASES = 4


def eligible(record: dict) -> bool:
    text = record.get("thanh_phan_ho_so") or ""
    return (
        TABLE_HEADER in text
        and bool(component_rows(text))
        and bool(steps(record.get("trinh_tu_thuc_hien") or ""))
    )


def draw(source: Path) -> list[Path]:
    rng = random.Random(SEED)
    chosen: list[Path] = []
    for folder in sorted(p for p in source.iterdir() if p.is_dir()):
        files = sorted(folder.glob("*.json"))
        ok = [f for f in files if eligible(json.loads(f.read_text(encoding="utf-8")))]
        if len(ok) < PER_MINISTRY + WITH_CASES:
            chosen.extend(rng.sample(ok, 1) if ok else [])
            continue
        plain = rng.sample(ok, PER_MINISTRY)
        rest = [
            f
            for f in ok
            if f not in plain
            and "Trường hợp" in json.loads(f.read_text(encoding="utf-8"))["thanh_phan_ho_so"]
        ]
        chosen.extend(plain + rng.sample(rest, WITH_CASES))
    return chosen


def skeleton(path: Path) -> dict:
    record = json.loads(path.read_text(encoding="utf-8"))
    return {
        "national_code": record["ma_thu_tuc"],
        "ministry": path.parent.name,
        "name": " ".join(record["ten_thu_tuc"].split()),
        "components": [
            {
                "source_index": r.index,
                "name": r.name,
                "group": r.group,
                "originals": r.originals,
                "copies": r.copies,
            }
            for r in component_rows(record["thanh_phan_ho_so"])
        ],
        "steps": [
            {"source_index": s.index, "name": s.name} for s in steps(record["trinh_tu_thuc_hien"])
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--skeleton", type=Path)
    args = parser.parse_args()
    chosen = draw(args.source)
    for path in chosen:
        print(f"{path.parent.name}/{path.stem}")
    if args.skeleton:
        args.skeleton.write_text(
            json.dumps([skeleton(p) for p in chosen], ensure_ascii=False, indent=1),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
