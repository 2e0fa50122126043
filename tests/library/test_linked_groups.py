"""The Decree 63/2024 linked groups as groups (issue 25, item 9): their definition in
process_models/groups.json, the group's time limit shared by its parts and kept by the
receiving dossier, one e-dossier for group 1 and no household book for group 2."""

from __future__ import annotations

import json
import sys
from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator

from tests.library.library import LIBRARY, NS, ROOT, bpmn_tree, examples, procedure

sys.path.insert(0, str(LIBRARY / "_tools"))
import facts

GROUPS = json.loads((LIBRARY / "groups.json").read_text(encoding="utf-8"))
BY_ID = {g["id"]: g for g in GROUPS}


def _components(slug: str) -> dict[str, dict[str, str]]:
    """component code → its tt:component attributes, for one library model."""
    return {
        c.get("code"): dict(c.attrib)
        for c in bpmn_tree(LIBRARY / slug).iterfind(".//tt:component", NS)
    }


def test_groups_file_validates_and_names_real_procedures():
    schema = json.loads((LIBRARY / "group.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert list(Draft202012Validator(schema).iter_errors(GROUPS)) == []
    assert set(BY_ID) == {"nd63-nhom-1-khai-sinh", "nd63-nhom-2-khai-tu"}
    for group in GROUPS:
        for slug in group["members"]:
            assert procedure(LIBRARY / slug)["linked_group"] == group["id"]
        for slug in group["replaces"]:
            assert "linked_group" not in procedure(LIBRARY / slug)
        assert [f.status for f in facts.group_facts(group)] != ["unsourced"]


@pytest.mark.parametrize("group", GROUPS, ids=[g["id"] for g in GROUPS])
def test_the_parts_fit_in_the_group_limit_and_the_receiving_dossier_keeps_it(group):
    limit = group["time_limit"]
    receiving, *others = (procedure(LIBRARY / s)["processing_time"] for s in group["members"])
    # the receiving dossier runs from submission to the return of every result
    assert (receiving["days"], receiving["working_days"]) == (limit["days"], limit["working_days"])
    own_part = {"nd63-nhom-1-khai-sinh": 1, "nd63-nhom-2-khai-tu": 1}[group["id"]]
    assert own_part + sum(p["days"] for p in others) <= limit["days"]
    assert all(p["working_days"] == limit["working_days"] for p in others)


def test_birth_group_is_one_e_dossier_without_copies_or_proofs():
    group = BY_ID["nd63-nhom-1-khai-sinh"]
    receiving = _components(group["members"][0])
    assert sorted(receiving) == sorted(group["dossier"])
    assert {c["copy"] for c in receiving.values()} == {"electronic"}
    kinds = {c["documentType"] for c in receiving.values()}
    assert not kinds & {"identity_card", "residence_confirmation", "marriage_certificate"}
    form = json.loads((ROOT / "forms" / "lt-ks-to-khai.json").read_text(encoding="utf-8"))
    attached = {p.get("x-component") for p in form["properties"].values()} - {None}
    assert attached <= set(group["dossier"])
    # the later parts take the e-dossier from the message, never from the citizen
    assert all(_components(slug) == {} for slug in group["members"][1:])


def test_death_group_never_asks_for_the_household_book():
    group = BY_ID["nd63-nhom-2-khai-tu"]
    for slug in group["members"]:
        assert "household_book" not in {c["documentType"] for c in _components(slug).values()}
    assert sorted(_components(group["members"][0])) == sorted(group["dossier"])


def _weekdays_after(start, days: int):
    current = start
    while days:
        current += timedelta(days=1)
        days -= current.weekday() < 5
    return current


def test_birth_group_finishes_within_its_limit_in_the_engine(session, session_factory):
    """The three agencies' dossiers, one working day each, return every result to the
    commune before the group's deadline, which the receiving dossier carries."""
    from sqlalchemy import select

    from toantrinh.engine import clock
    from toantrinh.engine.persistence import Dossier
    from toantrinh.engine.service import Engine
    from toantrinh.engine.work_calendar import default_calendar
    from toantrinh.sandbox import sandbox_connectors

    group = BY_ID["nd63-nhom-1-khai-sinh"]
    with sandbox_connectors(session_factory=session_factory) as registry:
        eng = Engine(session, connectors=registry, forms_dir=ROOT / "forms")
        for slug in group["members"]:
            eng.deploy_folder(LIBRARY / slug)
        steps = examples(LIBRARY / group["members"][0])["lien-thong-du-ba-ket-qua"]["steps"]
        main = eng.start(
            group["members"][0],
            applicant_id="001192034567",
            data={"applicant_id": "001192034567", "link_id": "LT63-LIMIT-1"},
        )
        # the deadline is three working days of office time on the work calendar: it
        # never runs past the third weekday after submission, whatever the hour
        limit = group["time_limit"]
        assert main.due_at == default_calendar().due(main.created_at, limit)
        assert main.due_at.date() <= _weekdays_after(main.created_at, limit["days"]).date()
        assert main.due_at - main.created_at >= timedelta(days=limit["days"] - 1)

        def complete(dossier_id: int, bpmn_id: str, data: dict) -> None:
            ready = {t["bpmn_id"]: t["id"] for t in eng.ready_tasks(dossier_id)}
            eng.complete_task(dossier_id, ready[bpmn_id], data, actor="test")

        for step in steps[:5]:
            complete(main.id, step["task"], step["data"])
        parts = {
            "lien-thong-thuong-tru-tre-em": [
                ("Task_Register", {"decision": "approve"}),
                ("Task_Approve", {"signed": True}),
            ],
            "lien-thong-bhyt-tre-em": [
                (
                    "Task_Issue",
                    {
                        "decision": "approve",
                        "health_insurance_card_number": "TE1010260045720",
                        "card_valid_until": "2032-11-01",
                    },
                ),
                ("Task_Sign", {"signed": True}),
            ],
        }
        for slug in group["members"][1:]:
            clock.advance(86400)  # the next agency works the next day
            assert eng.route_messages() == 1
            (part,) = [
                d
                # the group's key is the engine's (its first dossier's receipt code), not the
                # link id the caller gave (issue 27.1)
                for d in session.scalars(select(Dossier).where(Dossier.link_id == main.link_id))
                if d.version.model.slug == slug
            ]
            for bpmn_id, data in parts[slug]:
                complete(part.id, bpmn_id, data)
            assert eng.get(part.id).status == "completed"
        assert eng.route_messages() == 1
        complete(main.id, "Task_Deliver", {"delivery_method": "Trực tuyến"})
        main = eng.get(main.id)
        assert main.status == "completed"
        assert clock.now() <= main.due_at
