"""scope_published in the registry catalogue cites the text that published the data scope
(Resolution 66.7/2025/NQ-CP makes a component droppable only then), or stays false
(issue 25, item 8)."""

from __future__ import annotations

import json
import re

from toantrinh.engine.registries.catalog import DEFAULT_CATALOG

# a legal instrument with its number: Quyết định 3458/QĐ-BTP, Nghị quyết 66.7/2025/NQ-CP …
INSTRUMENT = re.compile(r"(Quyết định|Nghị quyết|Nghị định|Thông tư)\s+[\d.]+/(\d{4}/)?[A-ZĐ]")
REGISTRIES = json.loads(DEFAULT_CATALOG.read_text(encoding="utf-8"))["registries"]


def test_a_published_scope_cites_its_instrument_and_the_date_it_was_checked():
    for registry in REGISTRIES:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", registry.get("scope_checked", "")), registry["id"]
        if registry["scope_published"]:
            assert INSTRUMENT.search(registry["scope_source"]), registry["id"]


def test_only_registries_with_a_published_scope_are_marked_so():
    published = {r["id"] for r in REGISTRIES if r["scope_published"]}
    assert published == {"population", "civil_status", "edata_warehouse"}


def test_judicial_records_belong_to_the_ministry_of_public_security():
    (records,) = [r for r in REGISTRIES if r["id"] == "judicial_records"]
    assert records["owner"] == "Bộ Công an"
