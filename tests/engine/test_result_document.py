"""A procedure card's result document (``result_document`` in procedure.json) is checked
at deploy, and a ``when`` that cannot be evaluated over a dossier's data never turns
its completion into a failure."""

from __future__ import annotations

import pytest

from tests.helpers.bpmn import TEST_FORMS, script_process
from tests.helpers.people import CITIZEN_ID
from toantrinh.engine.parsing import ModelError
from toantrinh.engine.service import Engine, NotFoundError

GOOD = {"document_type": "giay_xac_nhan", "title": "Giấy xác nhận", "when": "ok == 1"}

BAD = {
    "unsafe when": ({"when": "__import__('os').system('id')"}, "result_document.when"),
    "when is a statement": ({"when": "ok = 1"}, "result_document.when: lỗi cú pháp"),
    "when not text": ({"when": 5}, "result_document.when"),
    "valid_days text": ({"valid_days": "30 ngày"}, "result_document.valid_days"),
    "valid_days zero": ({"valid_days": 0}, "result_document.valid_days"),
    "valid_days overflows a date": ({"valid_days": 10**9}, "result_document.valid_days"),
    "valid_days a flag": ({"valid_days": True}, "result_document.valid_days"),
    "misspelt key": ({"valid_day": 30}, "result_document.valid_day"),
    "number_field not text": ({"number_field": ["a"]}, "result_document.number_field"),
    "fields not a list": ({"fields": "full_name"}, "result_document.fields"),
    "no document_type": ({"document_type": ""}, "result_document.document_type"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_result_document_is_refused_at_deploy_naming_the_field(session, name):
    change, field = BAD[name]
    engine = Engine(session)
    with pytest.raises(ModelError) as info:
        engine.deploy(
            script_process("ok = 1"),
            procedure={"result_document": {**GOOD, **change}},
            forms=TEST_FORMS,
        )
    assert any(field in p for p in info.value.problems), info.value.problems
    session.rollback()
    with pytest.raises(NotFoundError):  # nothing was deployed
        engine.get_model("script_test")


def test_a_when_over_a_name_the_dossier_never_set_completes_it_without_the_result(session):
    engine = Engine(session)
    engine.deploy(
        script_process("ok = 1"),
        procedure={"result_document": {**GOOD, "when": "never_set == 'issued'"}},
        forms=TEST_FORMS,
    )
    dossier = engine.start("script_test", applicant_id=CITIZEN_ID)
    (task,) = engine.ready_tasks(dossier.id)
    done = engine.complete_task(dossier.id, task["id"], {}, actor="test")
    assert done.status == "completed"
    (skipped,) = [e for e in engine.events(dossier.id) if e.kind == "result_not_stored"]
    assert "never_set" in skipped.detail["error"] and "NameError" in skipped.detail["error"]
    assert "result_stored" not in [e.kind for e in engine.events(dossier.id)]


def test_a_good_result_document_is_kept_when_its_condition_holds(session):
    engine = Engine(session)
    engine.deploy(
        script_process("ok = 1"),
        procedure={"result_document": {**GOOD, "valid_days": 30}},
        forms=TEST_FORMS,
    )
    dossier = engine.start("script_test", applicant_id=CITIZEN_ID)
    (task,) = engine.ready_tasks(dossier.id)
    assert engine.complete_task(dossier.id, task["id"], {}, actor="test").status == "completed"
    assert "result_stored" in [e.kind for e in engine.events(dossier.id)]
