"""Files of the national catalogue path: read records, write drafted folders, run workers.

The pure work (reading a record, drafting its model, assessing it, the report) is in
``toantrinh.simplifier.records``; this module does the I/O around it for ``toantrinh catalogue``:

* :func:`read_sources` reads procedure records from files and folders — JSON (one record
  or a list), JSONL, CSV and XLSX (the lists the portal exports; first row is the header);
* :func:`import_records` drafts every record on N worker processes and writes
  ``DIR/<code>/{procedure.json,<code>.bpmn,record.json,review.md}`` plus
  ``DIR/import-summary.json``; a record it cannot use is refused with a one-line reason and
  the rest go on;
* :func:`analyse_folder` assesses every imported folder on N workers and builds the report.

Workers are forked: they inherit the records and the vocabulary, and only indices and
small results cross the process boundary.
"""

from __future__ import annotations

import csv
import json
import multiprocessing as mp
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from toantrinh.bpmn import datafiles
from toantrinh.simplifier.load import ModelLoadError
from toantrinh.simplifier.records import (
    RecordRefused,
    Vocabulary,
    assess,
    catalogue_report,
    import_record,
    registry_hints,
)
from toantrinh.simplifier.records.shape import sections
from toantrinh.simplifier.records.text import clean

ROOT = datafiles.root()
SUFFIXES = (".json", ".jsonl", ".csv", ".xlsx")
SUMMARY = "import-summary.json"
CHUNK = 32


@dataclass
class Source:
    """One record found in a source file (``raw`` None when it could not be read)."""

    origin: str  # file, with ":line" or "#index" when the file holds several
    folder: str  # the folder the file is in (a crawl's ministry slug)
    raw: dict | None
    error: str = ""


@dataclass
class ImportSummary:
    imported: list[str] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)  # {"source", "code", "reason"}
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # code -> seconds to import

    @property
    def by_reason(self) -> Counter:
        return Counter(_reason_kind(r["reason"]) for r in self.refused)

    def as_dict(self) -> dict:
        return {
            "imported": len(self.imported),
            "refused": self.refused,
            "by_reason": dict(self.by_reason),
            "seconds": round(self.seconds, 2),
        }


def _reason_kind(reason: str) -> str:
    return reason.split("“")[0].split(":")[0].strip()


def load_data(root: Path = ROOT) -> tuple[dict, dict, dict | None]:
    """(registry catalogue, reading vocabulary, cost model) from ``root/data``."""
    data = root / "data"
    registries = json.loads((data / "registries.json").read_text(encoding="utf-8"))
    vocabulary = json.loads((data / "catalogue_vocabulary.json").read_text(encoding="utf-8"))
    cost = data / "cost_model.json"
    cost_model = json.loads(cost.read_text(encoding="utf-8")) if cost.exists() else None
    return registries, vocabulary, cost_model


# ---------------------------------------------------------------- reading sources
def source_files(paths: Iterable[Path]) -> list[Path]:
    """Record files under the given files and folders, in a stable order."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file() and f.suffix.lower() in SUFFIXES and f.name != SUMMARY
                )
            )
        else:
            out.append(p)
    return out


def read_sources(paths: Iterable[Path]) -> Iterator[Source]:
    """Every record of every source file; unreadable files and lines become errors."""
    for f in source_files(paths):
        folder = f.parent.name
        try:
            yield from _READERS.get(f.suffix.lower(), _unknown)(f, folder)
        except (OSError, ValueError, KeyError) as exc:
            yield Source(str(f), folder, None, f"không đọc được tệp: {_one_line(exc)}")


def _one_line(exc: Exception) -> str:
    return clean(str(exc))[:160] or type(exc).__name__


def _read_json(f: Path, folder: str) -> Iterator[Source]:
    data = json.loads(f.read_text(encoding="utf-8-sig"))
    if isinstance(data, dict):
        listed = next(
            (
                data[k]
                for k in ("records", "data", "items", "thu_tuc")
                if isinstance(data.get(k), list)
            ),
            None,
        )
        if listed is None:
            yield Source(str(f), folder, data)
            return
        data = listed
    if not isinstance(data, list):
        yield Source(str(f), folder, None, "tệp JSON không phải một bản ghi hay danh sách")
        return
    for i, item in enumerate(data):
        yield _item(f"{f}#{i}", folder, item)


def _item(origin: str, folder: str, item: object) -> Source:
    if isinstance(item, dict):
        return Source(origin, folder, item)
    return Source(origin, folder, None, "phần tử không phải một bản ghi (đối tượng JSON)")


def _read_jsonl(f: Path, folder: str) -> Iterator[Source]:
    with f.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield _item(f"{f}:{n}", folder, json.loads(line))
            except ValueError as exc:
                yield Source(f"{f}:{n}", folder, None, f"dòng JSON hỏng: {_one_line(exc)}")


def _read_csv(f: Path, folder: str) -> Iterator[Source]:
    with f.open(encoding="utf-8-sig", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), 2):
            yield Source(f"{f}:{n}", folder, {k: v for k, v in row.items() if k})


def _read_xlsx(f: Path, folder: str) -> Iterator[Source]:
    from openpyxl import load_workbook  # start-up cost (~0.1 s): only .xlsx files need it

    book = load_workbook(f, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [clean(h) for h in next(rows, ())]
        for n, row in enumerate(rows, 2):
            if not any(v not in (None, "") for v in row):
                continue
            record = {
                h: ("" if v is None else str(v)) for h, v in zip(header, row, strict=False) if h
            }
            yield Source(f"{f}:{n}", folder, record)
    finally:
        book.close()


def _unknown(f: Path, folder: str) -> Iterator[Source]:
    yield Source(
        str(f), folder, None, f"không nhận dạng được loại tệp {f.suffix or '(không đuôi)'}"
    )


_READERS: dict[str, Callable[[Path, str], Iterator[Source]]] = {
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".csv": _read_csv,
    ".xlsx": _read_xlsx,
}


# ---------------------------------------------------------------- workers
_SHARED: dict = {}


def _pool_map(fn, count: int, workers: int, shared: dict) -> list:
    """``[fn(i) for i in range(count)]`` on forked workers that inherit ``shared``."""
    _SHARED.clear()
    _SHARED.update(shared)
    try:
        if workers <= 1 or count < 2 * CHUNK or "fork" not in mp.get_all_start_methods():
            return [fn(i) for i in range(count)]
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            return list(pool.map(fn, range(count), chunksize=CHUNK))
    finally:
        _SHARED.clear()


def _import_one(i: int) -> tuple[str, str, str, float]:
    """(status, code, reason, seconds) of record ``i``, its folder written when imported."""
    source: Source = _SHARED["sources"][i]
    started = time.perf_counter()
    try:
        imported = import_record(
            source.raw, _SHARED["vocab"], _SHARED["registries"], folder=source.folder
        )
    except RecordRefused as exc:
        return "refused", exc.code, exc.reason, 0.0
    except Exception as exc:  # one record must never stop thousands
        reason = f"lỗi nội bộ khi đọc bản ghi: {type(exc).__name__}: {_one_line(exc)}"
        return "refused", "", reason, 0.0
    target = _SHARED["out"] / imported.code
    target.mkdir(parents=True, exist_ok=True)
    for name, text in imported.files.items():
        (target / name).write_text(text, encoding="utf-8")
    return "imported", imported.code, "", time.perf_counter() - started


def import_records(
    paths: list[Path], out: Path, *, root: Path = ROOT, workers: int = 1
) -> ImportSummary:
    """Import every record under ``paths`` into ``out`` (see the module docstring)."""
    started = time.perf_counter()
    registries, vocabulary, _ = load_data(root)
    summary = ImportSummary()
    usable: list[Source] = []
    seen: dict[str, str] = {}
    for source in read_sources(paths):
        if source.raw is None:
            summary.refused.append({"source": source.origin, "code": "", "reason": source.error})
            continue
        code = clean(sections(source.raw).get("code"))
        if code and code in seen:
            summary.refused.append(
                {
                    "source": source.origin,
                    "code": code,
                    "reason": f"mã trùng với bản ghi đã nhập từ {seen[code]}",
                }
            )
            continue
        seen[code] = source.origin
        usable.append(source)
    out.mkdir(parents=True, exist_ok=True)
    shared = {
        "sources": usable,
        "vocab": Vocabulary(vocabulary),
        "registries": registries,
        "out": out,
    }
    for source, (status, code, reason, seconds) in zip(
        usable, _pool_map(_import_one, len(usable), workers, shared), strict=True
    ):
        if status == "imported":
            summary.imported.append(code)
            summary.timings[code] = seconds
        else:
            summary.refused.append({"source": source.origin, "code": code, "reason": reason})
    summary.seconds = time.perf_counter() - started
    (out / SUMMARY).write_text(
        json.dumps(summary.as_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return summary


# ---------------------------------------------------------------- analysis
def imported_folders(folder: Path) -> list[Path]:
    """The procedure folders ``catalogue import`` wrote under ``folder``."""
    return sorted(p.parent for p in folder.glob("*/record.json"))


def _assess_one(i: int) -> dict:
    path: Path = _SHARED["folders"][i]
    started = time.perf_counter()
    try:
        procedure = json.loads((path / "procedure.json").read_text(encoding="utf-8"))
        reading = json.loads((path / "record.json").read_text(encoding="utf-8"))
        bpmn = (path / procedure.get("bpmn", f"{path.name}.bpmn")).read_bytes()
        entry = assess(
            bpmn,
            procedure,
            reading,
            _SHARED["registries"],
            _SHARED["hints"],
            connected=_SHARED["connected"],
            cost_model=_SHARED["cost_model"],
            default_volume=_SHARED["default_volume"],
        )
    except (OSError, ValueError, KeyError, ModelLoadError) as exc:
        return {"folder": path.name, "error": _one_line(exc)}
    except Exception as exc:  # one model must never stop thousands
        return {"folder": path.name, "error": f"lỗi nội bộ: {type(exc).__name__}: {_one_line(exc)}"}
    entry["seconds"] = round(time.perf_counter() - started, 4)
    return entry


def analyse_folder(
    folder: Path,
    *,
    root: Path = ROOT,
    workers: int = 1,
    connected: list[str] | None = None,
    province: str | None = None,
    default_volume: int | None = None,
) -> dict:
    """Assess every imported procedure under ``folder``; the report (JSON-ready)."""
    registries, vocabulary, cost_model = load_data(root)
    if province and cost_model:
        cost_model = _with_province(cost_model, province)
    folders = imported_folders(folder)
    shared = {
        "folders": folders,
        "registries": registries,
        "hints": registry_hints(Vocabulary(vocabulary)),
        "connected": connected,
        "cost_model": cost_model,
        "default_volume": default_volume,
    }
    results = _pool_map(_assess_one, len(folders), workers, shared)
    entries = [r for r in results if "error" not in r]
    failed = [r for r in results if "error" in r]
    summary_file = folder / SUMMARY
    refused = (
        json.loads(summary_file.read_text(encoding="utf-8")).get("refused", [])
        if summary_file.exists()
        else []
    )
    report = catalogue_report(entries, refused, registries.get("registries", []), failed=failed)
    report["parameters"] = {
        "registries": connected,
        "province": province,
        "default_volume": default_volume,
    }
    return report


def _with_province(cost_model: dict, province: str) -> dict:
    """The cost model with one province's parameters as the national ones."""
    overrides = cost_model.get("provinces", {}).get(province)
    if overrides is None:
        raise KeyError(f"không có tham số chi phí của tỉnh “{province}” trong data/cost_model.json")
    params = {k: dict(v) for k, v in cost_model.get("parameters", {}).items()}
    for k, v in overrides.items():
        params.setdefault(k, {})["value"] = (
            v["value"] if isinstance(v, dict) and "value" in v else v
        )
    return {**cost_model, "parameters": params}
