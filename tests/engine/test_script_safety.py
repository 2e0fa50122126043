"""BPMN scripts and expressions cannot reach the host."""

from __future__ import annotations

import pytest

from tests.helpers.bpmn import TEST_FORMS, condition_process, script_process
from toantrinh.engine import scripting
from toantrinh.engine.parsing import ModelError
from toantrinh.engine.service import Engine

ESCAPES = {
    "import": "import os\nos.system('id')",
    "from-import": "from subprocess import run",
    "dunder import": "x = __import__('os')",
    "open file": "secret = open('/etc/passwd').read()",
    "attribute walk": "x = ().__class__.__base__.__subclasses__()",
    "globals walk": "x = len.__self__",
    "format walk": "x = '{0.__class__}'.format(1)",
    "module attribute": "x = today.__globals__",
    "eval": "x = eval('1+1')",
    "exec": "exec('x = 1')",
    "getattr": "x = getattr(1, 'real')",
    "infinite loop": "while True:\n    pass",
    "function def": "def f():\n    return 1",
    "lambda": "f = lambda: 1",
    "class": "class A:\n    pass",
    "type()": "x = type(1)",
    "vars()": "x = vars()",
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_each_escape_is_refused_by_the_checker(name):
    assert scripting.check(ESCAPES[name]), f"{name} passed the checker"


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_each_escape_is_refused_at_deploy_time(session, name):
    engine = Engine(session)
    with pytest.raises(ModelError) as info:
        engine.deploy(
            script_process(ESCAPES[name], process_id=f"p_{abs(hash(name))}"), forms=TEST_FORMS
        )
    assert all("Tính toán" in p for p in info.value.problems), info.value.problems


@pytest.mark.parametrize(
    "condition",
    [
        "__import__('os').system('id') == 0",
        "().__class__.__bases__[0] is None",
        "open('/etc/passwd') is None",
    ],
)
def test_unsafe_gateway_conditions_are_refused_at_deploy_time(session, condition):
    with pytest.raises(ModelError):
        Engine(session).deploy(condition_process(condition), forms=TEST_FORMS)


def test_a_safe_script_runs_and_its_result_is_kept(session):
    engine = Engine(session)
    engine.deploy(
        script_process(
            "total = sum([fee * 2 for fee in range(3)])\nname = 'hồ sơ ' + str(total)\nadult = age('2000-01-01', '2026-11-23') >= 18"
        ),
        forms=TEST_FORMS,
    )
    dossier = engine.start("script_test")
    assert dossier.status == "in_progress"
    data = engine.data(dossier)
    assert (data["total"], data["name"], data["adult"]) == (6, "hồ sơ 6", True)


@pytest.mark.parametrize(
    "script, reason",
    [
        ("for i in range(10**9):\n    pass", "range"),
        (
            "x = 0\nfor i in range(900000):\n    for j in range(900000):\n        x = x + 1",
            "thời gian",
        ),
        ("x = 'a' * (10 ** 9)", "quá lớn"),
        ("x = 10 ** 10 ** 10", "lũy thừa"),
        ("x = [0]\nx = x * 100000000", "quá lớn"),
        ("x = 1 << 100000000", "dịch bit"),
    ],
)
def test_runaway_scripts_fail_the_task_not_the_process(session, script, reason):
    engine = Engine(session)
    engine.deploy(script_process(script), forms=TEST_FORMS)
    bad = engine.start("script_test")
    assert bad.status == "error"
    assert reason in bad.last_error
    assert not bad.error_retryable
    failed = [e for e in engine.events(bad.id) if e.kind == "task_failed"]
    assert failed and failed[0].task_name == "Tính toán"
    # the engine and other dossiers carry on
    engine.deploy(script_process("ok = True", process_id="other"), slug="other", forms=TEST_FORMS)
    good = engine.start("other")
    assert good.status == "in_progress" and engine.data(good)["ok"] is True


def test_script_failure_leaves_task_data_untouched(session):
    engine = Engine(session)
    engine.deploy(script_process("amount = 5\nboom = 1 / 0"), forms=TEST_FORMS)
    dossier = engine.start("script_test", data={"amount": 1}, trusted_data=True)
    assert dossier.status == "error" and "ZeroDivisionError" in dossier.last_error
    assert engine.data(dossier)["amount"] == 1


def test_a_failing_script_leaves_nested_data_as_it_was_and_a_good_one_shares_nothing():
    import datetime as dt

    data = {
        "citizen": {"name": "Nguyễn Văn A", "born": dt.date(1990, 1, 2), "ids": [1, 2]},
        "rows": [{"amount": 1}],
        "tags": {"a", "b"},  # not JSON-like: still copied
    }
    before = {
        "citizen": {"name": "Nguyễn Văn A", "born": dt.date(1990, 1, 2), "ids": [1, 2]},
        "rows": [{"amount": 1}],
        "tags": {"a", "b"},
    }
    with pytest.raises(ZeroDivisionError):
        scripting.execute(
            'citizen["name"] = "B"\ncitizen["ids"].append(3)\nrows[0]["amount"] = 9\n'
            'tags.add("c")\nboom = 1 / 0',
            data,
        )
    assert data == before
    original_rows = data["rows"]
    scripting.execute('rows[0]["amount"] = 9\ncitizen["ids"].append(3)', data)
    assert data["rows"] == [{"amount": 9}] and data["citizen"]["ids"] == [1, 2, 3]
    assert original_rows == [{"amount": 1}]  # the script's values are its own copies


def test_hostile_xml_is_refused_with_a_clear_message(session):
    engine = Engine(session)
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</bpmn:definitions>'
    )
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&b;</bpmn:definitions>'
    )
    deep = (
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">'
        + "<a>" * 5000
        + "</a>" * 5000
        + "</bpmn:definitions>"
    )
    for document, words in [
        (xxe, "DOCTYPE"),
        (laughs, "DOCTYPE"),
        (deep, "sâu"),
        ("<not-closed", "XML không hợp lệ"),
        ("<html/>", "bpmn:definitions"),
    ]:
        with pytest.raises(ModelError) as info:
            engine.deploy(document)
        assert words in str(info.value)


def test_a_script_task_script_in_another_namespace_is_checked_at_deploy(session):
    """SpiffWorkflow runs any child of a script task whose tag ends in "script"."""
    bpmn = script_process("ok = 1").replace(
        "<bpmn:script>ok = 1</bpmn:script>",
        '<other:script xmlns:other="urn:other">import os</other:script>',
    )
    with pytest.raises(ModelError) as info:
        Engine(session).deploy(bpmn, forms=TEST_FORMS)
    assert any("Tính toán" in p and "import" in p for p in info.value.problems)
