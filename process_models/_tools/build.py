"""Write the procedure library from its descriptions.

    python process_models/_tools/build.py          # write every procedure and form
    python process_models/_tools/build.py --check  # fail if a committed file is stale

Each description (``civil.py``, ``linked.py``, ``others.py``) yields a BPMN model, the
folder's ``procedure.json``, its example dossiers and the forms its user tasks use.
The committed files are the product; this script only saves typing and keeps the
diagram layout consistent.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import civil  # noqa: E402
import decisions  # noqa: E402
import facts  # noqa: E402
import frequent  # noqa: E402
import linked  # noqa: E402
import others  # noqa: E402
from bpmn_builder import build  # noqa: E402
from common import SHARED_FORMS  # noqa: E402

LIBRARY = HERE.parent
FORMS = LIBRARY.parent / "forms"
LIBRARY_DOC = LIBRARY.parent / "docs" / "library.md"

PROCEDURES = [
    civil.dang_ky_khai_sinh,
    civil.dang_ky_khai_tu,
    civil.dang_ky_ket_hon,
    civil.dang_ky_thuong_tru,
    civil.xoa_dang_ky_thuong_tru,
    civil.thong_bao_luu_tru,
    others.cap_ho_chieu_pho_thong,
    others.cap_giay_phep_xay_dung,
    others.dang_ky_ho_kinh_doanh,
    others.dang_ky_thanh_lap_doanh_nghiep,
    others.cap_doi_giay_phep_lai_xe,
    others.cap_giay_chung_nhan_dat_lan_dau,
    others.tro_cap_mai_tang,
    others.cap_the_bhyt_tre_em,
    *linked.GROUPS,
    *frequent.PROCEDURES,
]

KEY_ORDER = [
    "code",
    "code_note",
    "slug",
    "name",
    "aliases",
    "agency_level",
    "agency",
    "field",
    "legal_basis",
    "processing_time",
    "fee",
    "annual_volume",
    "delivery_level",
    "bpmn",
    "process_id",
    "linked_group",
    "notes",
    "sources",
]


def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


ALIASES = LIBRARY / "aliases.json"


def aliases() -> dict[str, list[str]]:
    """The abbreviations people search procedures by (process_models/aliases.json)."""
    data = json.loads(ALIASES.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("$")}


def outputs() -> dict[Path, bytes]:
    files: dict[Path, bytes] = {}
    forms = dict(SHARED_FORMS)
    known_aliases = aliases()
    for make in PROCEDURES:
        item = make()
        slug, model = item["slug"], item["model"]
        folder = LIBRARY / slug
        procedure = {
            "slug": slug,
            **item["procedure"],
            "bpmn": f"{slug}.bpmn",
            "process_id": model.process_id,
        }
        if slug in known_aliases:
            procedure["aliases"] = known_aliases[slug]
        procedure = {k: procedure[k] for k in KEY_ORDER if k in procedure} | {
            k: v for k, v in procedure.items() if k not in KEY_ORDER
        }
        files[folder / "procedure.json"] = dump(procedure).encode()
        for flow in model.flows:  # decisions are explicit choices (decisions.py)
            flow.condition = decisions.condition(flow.condition)
        files[folder / f"{slug}.bpmn"] = build(model)
        reasons = decisions.reason_fields(model.nodes, {**forms, **item["forms"]})
        for name, example in item["examples"].items():
            files[folder / "examples" / f"{name}.json"] = dump(
                decisions.example(example, reasons)
            ).encode()
        for form_id, schema in item["forms"].items():
            if form_id in forms and forms[form_id] != schema:
                raise SystemExit(f"form {form_id} defined twice differently")
            forms[form_id] = schema
    for form_id, schema in forms.items():
        files[FORMS / f"{form_id}.json"] = dump(decisions.form(schema)).encode()
    files[LIBRARY / "groups.json"] = dump(linked.groups()).encode()
    files[LIBRARY_DOC] = fact_table(files).encode()
    return files


def fact_table(files: dict[Path, bytes]) -> str:
    """docs/library.md with its fact table rebuilt from every folder of the library (the
    generated ones as just built, the hand-kept ones as committed)."""

    def read(path: Path) -> bytes:
        return files[path] if path in files else path.read_bytes()

    folders = {p.parent for p in files if p.name == "procedure.json"}
    folders |= {p.parent for p in LIBRARY.glob("*/procedure.json")}
    rows = []
    for folder in sorted(folders):
        procedure = json.loads(read(folder / "procedure.json"))
        rows.append((procedure, facts.components_of(read(folder / procedure["bpmn"]))))
    groups = json.loads(read(LIBRARY / "groups.json"))
    rendered = facts.table(rows, groups)
    return facts.replace_table(LIBRARY_DOC.read_text(encoding="utf-8"), rendered)


def main(argv: list[str]) -> int:
    files = outputs()
    if "--check" in argv:
        stale = [p for p, data in files.items() if not p.is_file() or p.read_bytes() != data]
        for p in stale:
            print(f"stale: {p.relative_to(LIBRARY.parent)}")
        return 1 if stale else 0
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            print(f"wrote {path.relative_to(LIBRARY.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
