"""The project's own words for a form that does not validate (issue 26 item 3).

``jsonschema`` says ``'Đã kiểm tra' does not match '^[0-9]{12}$'``: English, the pattern,
the value. A citizen needs "“Số định danh cá nhân” phải gồm đúng 12 chữ số." This module
turns one ``jsonschema`` error into a message code, a Vietnamese and an English sentence
that name the field by its ``title``; the browser's form renderer (web/static/js/form.js)
words the same codes the same way. A form may word one field's error itself with
``"x-errorMessage": {"vi": …, "en": …}`` (docs/forms.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

FORMATS = {
    "date": ("một ngày hợp lệ (ngày/tháng/năm)", "a valid date (day/month/year)"),
    "date-time": ("một thời điểm hợp lệ", "a valid date and time"),
    "email": ("một địa chỉ thư điện tử hợp lệ", "a valid e-mail address"),
    "uri": ("một địa chỉ web hợp lệ", "a valid web address"),
    "time": ("một giờ hợp lệ", "a valid time"),
}
TYPES = {
    "string": ("chữ", "text"),
    "integer": ("số nguyên", "a whole number"),
    "number": ("số", "a number"),
    "boolean": ("có hoặc không", "yes or no"),
    "array": ("danh sách", "a list"),
    "object": ("nhóm thông tin", "a group of fields"),
}
_DIGITS = re.compile(r"^\^(?:\[0-9\]|\\d)\{(\d+)(?:,(\d+))?\}\$$")


@dataclass(frozen=True)
class Message:
    code: str
    vi: str
    en: str


def _number(value: Any) -> str:
    """Vietnamese number format: 1.000,5."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    text = f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def field_schema(schema: dict[str, Any], path: list[Any]) -> dict[str, Any]:
    """The subschema of the field at ``path`` (property names and array indexes)."""
    node: Any = schema
    for part in path:
        if not isinstance(node, dict):
            return {}
        if isinstance(part, int):
            node = node.get("items") or {}
        else:
            node = (node.get("properties") or {}).get(part) or {}
    return node if isinstance(node, dict) else {}


def _choices(prop: dict[str, Any]) -> list[str]:
    if "enum" in prop:
        names = prop.get("x-enumNames") or []
        return [str(names[i]) if i < len(names) else str(v) for i, v in enumerate(prop["enum"])]
    options = prop.get("oneOf") or prop.get("anyOf") or []
    return [
        str(o.get("title", o.get("const"))) for o in options if isinstance(o, dict) and "const" in o
    ]


# A limit's sentence after the field's quoted title: {n} is the limit in Vietnamese number
# format, {v} as the schema gives it.
LIMITS = {
    "minLength": ("phải có ít nhất {n} ký tự", "needs at least {v} characters"),
    "maxLength": ("chỉ được tối đa {n} ký tự", "takes at most {v} characters"),
    "minimum": ("phải từ {n} trở lên", "must be at least {v}"),
    "exclusiveMinimum": ("phải lớn hơn {n}", "must be more than {v}"),
    "maximum": ("không được vượt quá {n}", "must be at most {v}"),
    "exclusiveMaximum": ("phải nhỏ hơn {n}", "must be less than {v}"),
    "minItems": ("cần ít nhất {n} mục", "needs at least {v} items"),
    "maxItems": ("chỉ được tối đa {n} mục", "takes at most {v} items"),
    "uniqueItems": ("có mục bị trùng", "has duplicate items"),
}


def describe(kind: str, value: Any, prop: dict[str, Any], name: str) -> Message:
    """Words for one failed keyword ``kind`` (with the keyword's ``value``) on field ``name``
    whose schema is ``prop``."""
    own = prop.get("x-errorMessage")
    title = prop.get("title") or name
    q = f"“{title}”"
    if isinstance(own, dict) and own.get("vi") and kind != "required":
        return Message(kind, own["vi"], own.get("en") or own["vi"])
    if kind == "required" or (kind == "minLength" and value == 1):
        return Message("required", f"Cần nhập {q}.", f"{q} is required.")
    if kind in LIMITS:
        vi, en = LIMITS[kind]
        return Message(kind, f"{q} {vi.format(n=_number(value))}.", f"{q} {en.format(v=value)}.")
    if kind == "pattern":
        return _pattern(value, q)
    if kind == "format":
        vi, en = FORMATS.get(str(value), ("đúng định dạng", "in the expected format"))
        return Message(kind, f"{q} phải là {vi}.", f"{q} must be {en}.")
    if kind in ("enum", "const", "oneOf", "anyOf"):
        return _choice(kind, value, prop, q)
    if kind == "type":
        kinds = value if isinstance(value, list) else [value]
        vi = " hoặc ".join(TYPES.get(k, (k, k))[0] for k in kinds)
        en = " or ".join(TYPES.get(k, (k, k))[1] for k in kinds)
        return Message(kind, f"{q} phải là {vi}.", f"{q} must be {en}.")
    if kind == "additionalProperties":
        return Message(
            kind,
            f"Trường “{name}” không có trong biểu mẫu.",
            f"The field “{name}” is not in the form.",
        )
    return Message("invalid", f"{q} không hợp lệ.", f"{q} is not valid.")


def _pattern(value: Any, q: str) -> Message:
    """A pattern of digits (``^[0-9]{12}$``, ``^\\d{9,12}$``) in words; any other pattern
    as "not in the expected format"."""
    digits = _DIGITS.match(str(value))
    if digits and digits.group(2):
        a, b = digits.group(1), digits.group(2)
        return Message(
            "pattern", f"{q} phải gồm từ {a} đến {b} chữ số.", f"{q} must be {a} to {b} digits."
        )
    if digits:
        n = digits.group(1)
        return Message(
            "pattern", f"{q} phải gồm đúng {n} chữ số.", f"{q} must be exactly {n} digits."
        )
    return Message("pattern", f"{q} không đúng định dạng.", f"{q} is not in the expected format.")


def _choice(kind: str, value: Any, prop: dict[str, Any], q: str) -> Message:
    """A value not among the field's choices, which are listed; a box left unticked
    (``const: true``) as a confirmation asked for."""
    choices = _choices(prop)
    if kind == "const" and isinstance(value, bool):
        return Message(kind, f"Cần xác nhận {q}.", f"Please confirm {q}.")
    listed_vi = f": {', '.join(choices)}" if choices else ""
    return Message(
        "enum",
        f"Hãy chọn {q} trong danh sách{listed_vi}.",
        f"Choose {q} from the list{listed_vi}.",
    )
