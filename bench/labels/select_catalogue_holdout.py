"""Draw the held-out labelled sample of catalogue records (issue 24, Set C) from a crawl.

    python bench/labels/select_catalogue_holdout.py --source /work/data/tthc_raw [--skeleton FILE]

Set A (``catalogue.json``) was looked at while the importer was tuned, and it holds few
database-replaceable rows. This draw makes a second sample nobody tuned on. From the
crawl (``<ministry>/<code>.json``, flattened page text, not part of the project) it
takes the records eligible under Set A's rule (component table header, at least one
component row and one step; ``catalogue_rows.py``) whose code is not in Set A, then,
with a fixed seed (20261208):

1. *uniform stratum*, 40 records: the 40 places are dealt one at a time to the ministry
   folders in turn (sorted by name), skipping a folder that has run out, and each
   folder's share is drawn at random from its eligible records;
2. *document-type stratum*, 30 records: drawn at random from the remaining eligible
   records whose component text names a document type that a national database may
   hold (``DOCUMENT_TYPES``: identity card, birth, marriage, death, household book,
   residence, business and tax registration, health and social insurance, land-use
   certificate, vehicle registration, driving licence, diploma, health certificate,
   criminal record). The filter is plain text matching on the record, independent of
   any analysis program, so that the sample holds more rows a database could replace;
3. *published-scope stratum*, 20 records (added after strata 1–2 yielded only 8
   database-replaceable rows): drawn at random from the remaining eligible records whose
   component text names one of the ``PUBLISHED_SCOPE`` types, those of the registries
   that ``data/registries.json`` marks connected with a published scope (population:
   identity card, household book, residence; civil status: birth, marriage or marital
   status, death). Same text filter, same independence from any analysis program.

Prints ``stratum ministry/code matched-types``; ``--skeleton`` also writes the rows and
steps to label (never commit it: it quotes the records).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import unicodedata
from pathlib import Path

from catalogue_rows import component_rows, steps
from select_catalogue_sample import eligible

SEED = 20261208
UNIFORM = 40
DOCUMENT_TYPE = 30
PUBLISHED = 20
SET_A = Path(__file__).with_name("catalogue.json")

DOCUMENT_TYPES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "identity_card": r"căn cước|\bCCCD\b|\bCMND\b|chứng minh nhân dân",
        "birth_certificate": r"giấy khai sinh|trích lục khai sinh",
        "marriage_or_marital_status": r"giấy chứng nhận kết hôn|tình trạng hôn nhân",
        "death_certificate": r"trích lục khai tử|giấy chứng tử|giấy báo tử",
        "household_book": r"hộ khẩu|sổ tạm trú",
        "residence_confirmation": r"xác nhận (?:thông tin về )?cư trú|thông tin về cư trú",
        "business_registration": r"đăng ký doanh nghiệp|đăng ký kinh doanh|đăng ký hộ kinh doanh",
        "tax_registration": r"đăng ký thuế|mã số thuế",
        "health_insurance_card": r"thẻ bảo hiểm y tế",
        "social_insurance_book": r"sổ bảo hiểm xã hội|sổ BHXH",
        "land_use_certificate": r"chứng nhận quyền sử dụng đất",
        "vehicle_registration": r"đăng ký xe|đăng ký phương tiện",
        "driving_licence": r"giấy phép lái xe|bằng lái",
        "diploma": r"văn bằng|bằng tốt nghiệp",
        "health_certificate": r"giấy khám sức khỏe|giấy khám sức khoẻ|chứng nhận sức khỏe|"
        r"chứng nhận sức khoẻ",
        "criminal_record": r"lý lịch tư pháp",
    }.items()
}
PUBLISHED_SCOPE = (
    "identity_card",
    "birth_certificate",
    "marriage_or_marital_status",
    "death_certificate",
    "household_book",
    "residence_confirmation",
)


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def matched_types(record: dict) -> list[str]:
    """The document types the record's component text names (NFC, case-insensitive)."""
    text = unicodedata.normalize("NFC", (record.get("thanh_phan_ho_so") or "").replace("\xa0", " "))
    return [name for name, pattern in DOCUMENT_TYPES.items() if pattern.search(text)]


def set_a_codes() -> set[str]:
    return {r["national_code"] for r in json.loads(SET_A.read_text(encoding="utf-8"))}


def pool(source: Path) -> dict[str, list[Path]]:
    """Eligible records not in Set A, per ministry folder, sorted by code."""
    excluded = set_a_codes()
    found: dict[str, list[Path]] = {}
    for folder in sorted(p for p in source.iterdir() if p.is_dir()):
        found[folder.name] = [
            f
            for f in sorted(folder.glob("*.json"))
            if f.stem not in excluded and eligible(_read(f))
        ]
    return found


def shares(sizes: dict[str, int], total: int) -> dict[str, int]:
    """Deal ``total`` places to the folders in turn, skipping a folder once it is empty."""
    given = dict.fromkeys(sizes, 0)
    while sum(given.values()) < min(total, sum(sizes.values())):
        for name in sizes:
            if given[name] < sizes[name] and sum(given.values()) < total:
                given[name] += 1
    return given


def draw(source: Path) -> list[tuple[str, Path]]:
    rng = random.Random(SEED)
    eligible_by_folder = pool(source)
    chosen: list[tuple[str, Path]] = []
    quota = shares({k: len(v) for k, v in eligible_by_folder.items()}, UNIFORM)
    for name, files in eligible_by_folder.items():
        chosen.extend(("uniform", f) for f in rng.sample(files, quota[name]))
    taken = {f for _, f in chosen}
    rest = [
        f
        for files in eligible_by_folder.values()
        for f in files
        if f not in taken and matched_types(_read(f))
    ]
    chosen.extend(("document_type", f) for f in rng.sample(rest, DOCUMENT_TYPE))
    taken = {f for _, f in chosen}
    scoped = [
        f for f in rest if f not in taken and set(matched_types(_read(f))) & set(PUBLISHED_SCOPE)
    ]
    chosen.extend(("published_scope", f) for f in rng.sample(scoped, PUBLISHED))
    return chosen


def skeleton(stratum: str, path: Path) -> dict:
    record = _read(path)
    return {
        "national_code": record["ma_thu_tuc"],
        "ministry": path.parent.name,
        "stratum": stratum,
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
    for stratum, path in chosen:
        types = ",".join(matched_types(_read(path)))
        print(f"{stratum} {path.parent.name}/{path.stem} {types}")
    if args.skeleton:
        args.skeleton.write_text(
            json.dumps([skeleton(s, p) for s, p in chosen], ensure_ascii=False, indent=1),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
