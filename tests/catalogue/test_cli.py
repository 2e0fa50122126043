"""``toantrinh catalogue import`` and ``analyse`` end to end on a folder of our own records
in both shapes and every file type, and the JSON contract of the report (issue 24)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from tests.catalogue.records import write_sources
from toantrinh.cli.main import main

COMPONENT_VERDICTS = {"replaceable_by_database", "replaceable_by_e_copy", "keep", "review", "note"}
STEP_VERDICTS = {"keep", "remove", "online", "review"}


def _run(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("catalogue")
    src = write_sources(root)
    (root / "notes.txt").write_text("không phải bản ghi", encoding="utf-8")
    out = root / "out"
    result = _run(
        "catalogue",
        "import",
        str(src),
        str(root / "notes.txt"),
        "--out",
        str(out),
        "--workers",
        "2",
    )
    return root, out, result


@pytest.fixture(scope="module")
def report(imported):
    root, out, _ = imported
    target = root / "report.json"
    result = _run("catalogue", "analyse", str(out), "--format", "json", "--out", str(target))
    assert result.exit_code == 0, result.output
    return json.loads(target.read_text(encoding="utf-8"))


def _procedure(report, code):
    return next(p for p in report["procedures"] if p["national_code"] == code)


def test_import_writes_a_folder_per_record_and_refuses_bad_ones_with_a_reason(imported):
    _, out, result = imported
    assert result.exit_code == 0, result.output
    codes = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert codes == [
        "1.900001",
        "1.900003",
        "1.900011",
        "1.900012",
        "1.900021",
        "1.900031",
        "1.900041",
        "2.900002",
    ]
    for code in codes:
        assert {f.name for f in (out / code).iterdir()} == {
            "procedure.json",
            f"{code}.bpmn",
            "record.json",
            "review.md",
        }
    assert "Đã nhập 8 thủ tục" in result.output and "từ chối 5 bản ghi" in result.output
    summary = json.loads((out / "import-summary.json").read_text(encoding="utf-8"))
    reasons = {r["reason"].split("“")[0].split(":")[0].strip() for r in summary["refused"]}
    assert reasons == {
        "dòng JSON hỏng",
        "mã thủ tục",
        "không có trình tự thực hiện và thành phần hồ sơ",
        "mã trùng với bản ghi đã nhập từ "
        f"{imported[0] / 'records' / 'bo-tu-phap' / '1.900001.json'}",
        "không nhận dạng được loại tệp .txt",
    }
    assert all(r["source"] for r in summary["refused"])


def test_import_of_nothing_usable_fails(tmp_path):
    (tmp_path / "a.json").write_text("[]", encoding="utf-8")
    result = _run("catalogue", "import", str(tmp_path / "a.json"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1


def test_report_keeps_the_json_contract(report):
    assert report["totals"]["procedures"] == 8 and report["totals"]["refused_at_import"] == 5
    for p in report["procedures"]:
        assert p["national_code"] and p["name"]
        assert [c["source_index"] for c in p["components"]] == list(range(len(p["components"])))
        for c in p["components"]:
            assert set(c) >= {
                "name",
                "source_index",
                "verdict",
                "database",
                "evidence",
                "legal_basis",
            }
            assert c["verdict"] in COMPONENT_VERDICTS
            assert c["database"] is None or isinstance(c["database"], str)
            if c["verdict"] == "replaceable_by_database":
                assert c["database"] and c["legal_basis"]
        for s in p["steps"]:
            assert set(s) >= {"name", "source_index", "presence_required_by_law", "verdict"}
            assert s["verdict"] in STEP_VERDICTS
            if s["presence_required_by_law"]:
                assert s["verdict"] not in ("remove", "online")


def test_verdicts_precision_first(report):
    p = _procedure(report, "1.900001")
    got = [(c["verdict"], c["database"]) for c in p["components"]]
    assert got == [
        ("keep", None),  # application form: never dropped
        ("replaceable_by_database", "population"),  # CCCD: published scope
        ("replaceable_by_database", "civil_status"),  # birth certificate
        ("keep", None),  # a foreigner's legalised passport
        ("review", "land"),  # land: not connected
        ("replaceable_by_e_copy", None),  # a contract
        ("keep", None),  # the applicant's own plan
        ("note", None),  # an exemption, not a paper
        ("replaceable_by_e_copy", "edata_warehouse"),  # an earlier procedure's result
    ]
    assert [(s["verdict"], s["presence_required_by_law"]) for s in p["steps"]] == [
        ("online", False),
        ("keep", False),
        ("keep", True),
        ("keep", False),
        ("online", False),
    ]
    residence = _procedure(report, "2.900002")
    assert [(c["verdict"], c["database"]) for c in residence["components"]] == [
        ("keep", None),
        ("replaceable_by_database", "population"),
        ("review", "population"),
        # the insurance database's data scope is not published (data/registries.json):
        # Resolution 66.7/2025 does not let the paper go yet
        ("review", "social_insurance"),
    ]
    assert residence["steps"][2]["presence_required_by_law"]


def test_plan_rows_in_the_shape_of_resolution_66_7(report):
    rows = [r for r in report["plan"] if r["national_code"] == "1.900001"]
    assert [(r["component"][:24], r["database"], r["status"]) for r in rows] == [
        ("Bản sao Căn cước công dâ", "population", "now"),
        ("Bản sao có chứng thực Gi", "civil_status", "now"),
        ("Bản sao Giấy chứng nhận ", "land", "once_connected"),
    ]
    assert rows[2]["legal_change"].startswith("Kết nối")
    assert {"procedure", "component", "data_source", "legal_change"} <= set(rows[0])


def test_groups_per_field_ministry_level_and_database(report):
    assert {g["name"] for g in report["by_level"]} == {"Cấp tỉnh", "Cấp xã", "Cấp bộ"}
    assert "Bộ Tư pháp" in {g["name"] for g in report["by_ministry"]}
    dbs = {d["id"]: d for d in report["by_database"]}
    assert dbs["population"]["components_now"] >= 6 and dbs["land"]["components_now"] == 0
    assert dbs["land"]["components_once_connected"] >= 5
    assert report["opportunities"][0]["replaceable_now"] >= 2


def test_what_if_registries(imported):
    root, out, _ = imported
    target = root / "whatif.json"
    _run(
        "catalogue",
        "analyse",
        str(out),
        "--format",
        "json",
        "--out",
        str(target),
        "--registries",
        "civil_status,land",
    )
    p = _procedure(json.loads(target.read_text(encoding="utf-8")), "1.900001")
    # population not connected: the CCCD waits; land connected but its scope is not
    # published: still review (Resolution 66.7/2025)
    assert [(c["verdict"], c["database"]) for c in p["components"][1:5:3]] == [
        ("review", "population"),
        ("review", "land"),
    ]


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_other_formats(imported, fmt):
    root, out, _ = imported
    target = root / f"report.{fmt}"
    result = _run("catalogue", "analyse", str(out), "--format", fmt, "--out", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {r["national_code"] for r in rows} >= {"1.900001", "2.900002"}
        assert any(r["verdict"] == "replaceable_by_database" and r["legal_change"] for r in rows)
    else:
        assert "Nghị quyết 66.7/2025/NQ-CP" in text and "1.900001" in text


def test_analyse_of_an_empty_folder_is_an_error(tmp_path):
    result = _run("catalogue", "analyse", str(tmp_path), "--format", "json")
    assert result.exit_code != 0 and "không có thủ tục" in result.output


def test_workers_write_the_same_folders_and_report_as_one_process(tmp_path, monkeypatch):
    from toantrinh.engine import catalogue_files

    src = write_sources(tmp_path)
    monkeypatch.setattr(catalogue_files, "CHUNK", 1)  # small enough for the pool to start
    one = catalogue_files.import_records([src], tmp_path / "one", workers=1)
    two = catalogue_files.import_records([src], tmp_path / "two", workers=2)
    assert sorted(one.imported) == sorted(two.imported) and len(one.refused) == len(two.refused)
    for code in one.imported:
        for name in ("procedure.json", f"{code}.bpmn", "record.json", "review.md"):
            assert (tmp_path / "one" / code / name).read_bytes() == (
                tmp_path / "two" / code / name
            ).read_bytes()
    a = catalogue_files.analyse_folder(tmp_path / "one", workers=1)
    b = catalogue_files.analyse_folder(tmp_path / "two", workers=2)
    strip = lambda r: [{k: v for k, v in p.items() if k != "seconds"} for p in r["procedures"]]  # noqa: E731
    assert strip(a) == strip(b) and a["plan"] == b["plan"]
