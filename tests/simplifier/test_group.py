"""The Decree 63/2024 linked groups scored as one service against the stand-alone
procedures they replace (issue 25, item 9)."""

from __future__ import annotations

import json

import pytest

from toantrinh.simplifier import analyse
from toantrinh.simplifier.cli import load_forms, load_procedure
from toantrinh.simplifier.group import group_view
from toantrinh.simplifier.score import combine_criteria, readiness_score

from .builders import ROOT, catalogue, cost_model

LIBRARY = ROOT / "process_models"
GROUPS = {g["id"]: g for g in json.loads((LIBRARY / "groups.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def scores():
    forms, cat, cost = load_forms(ROOT), catalogue(), cost_model()

    def of(slug):
        xml, procedure, _ = load_procedure(LIBRARY / slug)
        return analyse(xml, cat, procedure, forms, cost_model=cost).before

    return of


@pytest.fixture(scope="module")
def view(scores):
    def make(group_id):
        group = GROUPS[group_id]
        return group_view(
            group,
            {s: scores(s) for s in group["members"]},
            {s: scores(s) for s in group["replaces"]},
            {s: load_procedure(LIBRARY / s)[1] for s in group["replaces"]},
        )

    return make


def test_birth_group_is_one_service_that_saves_time_components_and_visits(view):
    v = view("nd63-nhom-1-khai-sinh")
    assert (v.group.procedures, v.standalone.procedures) == (3, 3)
    # 3 working days for the group against 1 + 7 + 5 for the three procedures in turn
    assert (v.group.statutory_days, v.standalone.statutory_days) == (3, 13)
    assert v.saving["statutory_days"] == 10 and v.saving["time_cut_pct"] == 76.9
    # one e-dossier (e-form and electronic birth notice) against three dossiers
    assert v.group.components == 2 and v.standalone.components > v.group.components
    assert v.group.citizen_steps < v.standalone.citizen_steps
    assert v.group.visits <= v.standalone.visits
    assert v.saving["cost_per_dossier"] > 0


def test_the_group_is_scored_on_its_parts_criteria_together(view, scores):
    """One answer for a group's readiness (the catalogue uses the same): a criterion
    fails if a part fails it, and what applies to no part does not count."""
    group = GROUPS["nd63-nhom-2-khai-tu"]
    parts = [scores(s) for s in group["members"]]
    v = view(group["id"])
    assert v.group.statutory_days == 7 and v.standalone.statutory_days == 1 + 5 + 10
    combined = combine_criteria([p.readiness.criteria for p in parts])
    assert v.group.readiness_score == readiness_score(combined)
    assert v.group.readiness_score <= min(p.readiness.score for p in parts)
    assert v.group.full_online is all(p.readiness.full_online for p in parts)
    assert v.group.components == sum(p.components for p in parts)
    out = v.as_dict()
    assert json.loads(json.dumps(out, ensure_ascii=False)) == out
    assert set(out) == {"group_id", "name_vi", "group", "standalone", "saving"}
