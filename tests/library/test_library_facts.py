"""Every fact of every library procedure (code, agency, time, fee, volume, each dossier
component) has a checked source or says it is an estimate (issue 25, item 11)."""

from __future__ import annotations

import sys

import pytest

from tests.library.library import LIBRARY, folders, procedure

sys.path.insert(0, str(LIBRARY / "_tools"))
import facts

FOLDERS = folders()


def _facts_of(folder):
    proc = procedure(folder)
    return proc, facts.components_of((folder / proc["bpmn"]).read_bytes())


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_every_fact_has_a_checked_source_or_is_an_estimate(folder):
    proc, components = _facts_of(folder)
    assert facts.unsourced(proc, components) == []


def test_a_fact_without_source_or_estimate_is_reported():
    proc, components = _facts_of(LIBRARY / "dang-ky-khai-sinh")
    code, _name = components[0]
    sources = proc["sources"]
    doctored = dict(
        proc,
        fee={k: v for k, v in proc["fee"].items() if k not in ("checked", "estimate")},
        sources=dict(
            sources, components={k: v for k, v in sources["components"].items() if k != code}
        ),
    )
    doctored["sources"].pop("agency")
    assert facts.unsourced(doctored, components) == ["agency", "fee", f"component:{code}"]


def test_an_estimate_counts_as_flagged_and_a_source_needs_its_date():
    assert (
        facts.Fact("fee", "", "", {"source": "ước tính theo mức phổ biến", "estimate": True}).status
        == "estimate"
    )
    assert facts.Fact("fee", "", "", {"source": "Thông tư 16/2025/TT-BTC"}).status == "unsourced"
    assert (
        facts.Fact(
            "fee", "", "", {"source": "Thông tư 16/2025/TT-BTC", "checked": "2026-12-07"}
        ).status
        == "sourced"
    )
    assert facts.Fact("fee", "", "", {"source": "", "checked": "2026-12-07"}).status == "unsourced"


def test_the_fact_table_lists_every_procedure_and_flags_estimates():
    doc = (LIBRARY.parent / "docs" / "library.md").read_text(encoding="utf-8")
    table = doc.split(facts.START)[1].split(facts.END)[0]
    for folder in FOLDERS:
        proc, components = _facts_of(folder)
        rows = [line for line in table.splitlines() if line.startswith(f"| `{folder.name}` |")]
        assert len(rows) == 5 + len(components), folder.name
        estimates = [f for f in facts.facts(proc, components) if f.status == "estimate"]
        assert sum("**ước tính**" in r for r in rows) == len(estimates), folder.name
