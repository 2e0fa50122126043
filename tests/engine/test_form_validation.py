"""toantrinh.engine.forms: the compiled validator (jsonschema-rs) answers only "valid", and only
where it cannot let through what jsonschema refuses; every refusal is jsonschema's."""

from __future__ import annotations

import pytest

from toantrinh.engine import forms as formlib

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
    assert fields["code"] == "Cần nhập “code”."
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


DECLARATION = {
    "type": "object",
    "properties": {
        "identity_number": {
            "type": "string",
            "title": "Số định danh cá nhân",
            "pattern": "^[0-9]{12}$",
        },
        "born": {"type": "string", "title": "Ngày sinh", "format": "date"},
        "copies": {"type": "integer", "title": "Số bản", "minimum": 1, "maximum": 1000},
        "email": {"type": "string", "title": "Thư điện tử", "format": "email"},
        "channel": {
            "type": "string",
            "title": "Hình thức nhận",
            "enum": ["vneid", "postal"],
            "x-enumNames": ["Qua VNeID", "Qua bưu chính"],
        },
        "decision": {
            "type": "string",
            "title": "Quyết định",
            "oneOf": [
                {"const": "approve", "title": "Đồng ý"},
                {"const": "refuse", "title": "Từ chối"},
            ],
        },
        "reason": {"type": "string", "title": "Lý do", "minLength": 10},
        "members": {
            "type": "array",
            "title": "Thành viên",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string", "title": "Họ tên"}},
                "required": ["name"],
            },
        },
    },
    "required": ["identity_number", "decision"],
    "dependentRequired": {"channel": ["email"]},
    "additionalProperties": False,
}


def test_refusals_are_worded_by_the_project_with_the_fields_title_never_by_jsonschema():
    """Issue 26 item 3: the messages name the field by its title, in Vietnamese and in
    English, and carry a code the browser words the same way."""
    with pytest.raises(formlib.FormValidationError) as err:
        formlib.validate_submission(
            DECLARATION,
            {
                "identity_number": "Đã kiểm tra",
                "born": "30/02/2021",
                "copies": 1500,
                "channel": "fax",
                "decision": "maybe",
                "reason": "ngắn",
                "members": [{}],
                "extra": 1,
            },
            {},
        )
    got = {e.field: (e.code, e.message, e.message_en) for e in err.value.errors}
    assert got["identity_number"] == (
        "pattern",
        "“Số định danh cá nhân” phải gồm đúng 12 chữ số.",
        "“Số định danh cá nhân” must be exactly 12 digits.",
    )
    assert got["born"][:2] == ("format", "“Ngày sinh” phải là một ngày hợp lệ (ngày/tháng/năm).")
    assert got["copies"][:2] == ("maximum", "“Số bản” không được vượt quá 1.000.")
    assert got["channel"][:2] == (
        "enum",
        "Hãy chọn “Hình thức nhận” trong danh sách: Qua VNeID, Qua bưu chính.",
    )
    assert got["decision"][:2] == (
        "enum",
        "Hãy chọn “Quyết định” trong danh sách: Đồng ý, Từ chối.",
    )
    assert got["reason"][1] == "“Lý do” phải có ít nhất 10 ký tự."
    assert got["email"][:2] == ("required", "Cần nhập “Thư điện tử”.")  # dependentRequired
    assert got["members.0.name"][1] == "Cần nhập “Họ tên”."
    assert got["extra"][1] == "Trường “extra” không có trong biểu mẫu."
    for code, vi, en in got.values():
        assert "does not match" not in vi and "is not" not in vi and "'" not in vi
        assert en and code
    as_json = err.value.errors[0].to_dict()
    assert set(as_json) == {"field", "message", "message_en", "code"}


def test_a_form_may_word_a_fields_error_itself():
    form = {
        "type": "object",
        "properties": {
            "plate": {
                "type": "string",
                "title": "Biển số",
                "pattern": "^[0-9]{2}[A-Z]-[0-9]{5}$",
                "x-errorMessage": {
                    "vi": "Biển số viết như 30A-12345.",
                    "en": "Write the plate as 30A-12345.",
                },
            }
        },
    }
    with pytest.raises(formlib.FormValidationError) as err:
        formlib.validate_submission(form, {"plate": "30 A 123"}, {})
    (error,) = err.value.errors
    assert (error.message, error.message_en) == (
        "Biển số viết như 30A-12345.",
        "Write the plate as 30A-12345.",
    )


def test_a_registry_field_the_registry_left_empty_is_typed_by_the_applicant():
    """Issue 26 item 7: the population database holds no e-mail for the person ("" or "—"):
    the field is not locked to the blank, the applicant types one."""
    form = {
        "type": "object",
        "properties": {
            "full_name": {
                "type": "string",
                "title": "Họ và tên",
                "readOnly": True,
                "x-prefill": {
                    "source": "population",
                    "field": "full_name",
                    "from": "citizen.full_name",
                },
            },
            "email": {
                "type": "string",
                "title": "Thư điện tử",
                "format": "email",
                "readOnly": True,
                "x-prefill": {"source": "population", "field": "email", "from": "citizen.email"},
            },
            "phone": {
                "type": "string",
                "title": "Số điện thoại",
                "readOnly": True,
                "x-prefill": {"source": "population", "field": "phone", "from": "citizen.phone"},
            },
        },
    }
    data = {"citizen": {"full_name": "Nguyễn Văn An", "email": "—", "phone": ""}}
    prefilled = formlib.prefill_values(form, data)
    assert prefilled == {"full_name": "Nguyễn Văn An"}
    # an empty field that is not a contact is what the registry states, and stays locked
    assert formlib.prefill_values(form, {"citizen": {"full_name": ""}}) == {"full_name": ""}
    assert formlib.typed_fields(form, prefilled) == ["email", "phone"]
    clean = formlib.validate_submission(
        form,
        {"full_name": "Nguyễn Văn An", "email": "an@example.vn", "phone": "0912345678"},
        prefilled,
    )
    assert clean == {"full_name": "Nguyễn Văn An", "email": "an@example.vn", "phone": "0912345678"}
    with pytest.raises(formlib.FormValidationError) as err:  # the held name stays locked
        formlib.validate_submission(form, {"full_name": "Người khác"}, prefilled)
    assert err.value.errors[0].field == "full_name"
