"""engine.forms: the compiled validator (jsonschema-rs) answers only "valid", and only
where it cannot let through what jsonschema refuses; every refusal is jsonschema's."""

from __future__ import annotations

import pytest

from engine import forms as formlib

FORM = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "pattern": "^\\d{3}$"},
        "born": {"type": "string", "format": "date"},
        "count": {"type": "integer", "minimum": 1},
        "items": {"type": "array", "items": {"type": "string"}},
        "name": {"type": "string", "maxLength": 5},
    },
    "required": ["code"],
}


@pytest.fixture
def asked(monkeypatch):
    """Which validator answered each submission."""
    calls = {"fast": 0, "slow": 0}
    _, fast = formlib._validator(FORM)
    real_passes = formlib._passes

    def passes(fast_validator, data, validator, plain):
        ok = real_passes(fast_validator, data, validator, plain)
        calls["fast" if ok else "slow"] += 1
        return ok

    monkeypatch.setattr(formlib, "_passes", passes)
    assert fast is not None  # the form compiles
    return calls


def test_valid_data_is_answered_by_the_compiled_validator(asked):
    data = {"code": "123", "born": "2020-02-29", "count": 2, "items": ["a"], "name": "Ngọc"}
    assert formlib.validate_submission(FORM, data, {}) == data
    assert asked == {"fast": 1, "slow": 0}


def test_refusals_are_reported_by_jsonschema_field_by_field(asked):
    with pytest.raises(formlib.FormValidationError) as err:
        formlib.validate_submission(FORM, {"born": "2021-02-30", "count": 0, "extra": 1}, {})
    fields = {e.field: e.message for e in err.value.errors}
    assert fields["code"] == "bắt buộc phải nhập"
    assert {"born", "count", "extra"} <= set(fields)
    assert asked == {"fast": 0, "slow": 1}


def test_where_python_accepts_more_the_data_is_still_accepted(asked):
    # Python's re reads \d as any decimal digit and $ before a final newline; the
    # compiled validator refuses both, so jsonschema decides, and it accepts as before
    for code in ("١٢٣", "123\n"):
        assert formlib.validate_submission(FORM, {"code": code}, {})["code"] == code
    assert asked == {"fast": 0, "slow": 2}


def test_values_that_are_not_plain_json_go_to_jsonschema(asked):
    # a tuple is an array to jsonschema-rs and not to jsonschema: only plain JSON is
    # compared, the rest is jsonschema's to judge (here: refused)
    with pytest.raises(formlib.FormValidationError) as err:
        formlib.validate_submission(FORM, {"code": "123", "items": ("a",)}, {})
    assert [e.field for e in err.value.errors] == ["items"]
    assert asked == {"fast": 0, "slow": 1}


def test_the_suite_checks_every_fast_answer_against_jsonschema(monkeypatch):
    class Lenient:
        def is_valid(self, data):
            return True

    validator, _ = formlib._validator(FORM)
    monkeypatch.setenv("TOANTRINH_VERIFY_FORMS", "1")
    with pytest.raises(AssertionError, match="jsonschema-rs accepted"):
        formlib._passes(Lenient(), {"code": "x"}, validator, True)
