"""JSON Schema forms for user tasks: check at deploy, prefill, validate on completion.

Forms are JSON Schema (draft 2020-12) objects. A property may carry
``"x-prefill": {"source": "<registry>", "field": "<field>", "from": "<dotted.path>"}``:
its value is taken from the dossier's data (``from`` if given, else
``data[source][field]``, else ``data[field]``), shown filled and read-only, and never typed
again by the citizen. Unknown fields are refused unless the form allows them, strings
are normalised to Unicode NFC (Vietnamese text arrives both composed and decomposed),
and every error names its field.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import unicodedata
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

from toantrinh.engine import form_messages
from toantrinh.engine.caches import size_setting

MAX_STRING = 20_000
FORM_CACHE = size_setting("TOANTRINH_FORM_CACHE", 512)


@dataclass
class FieldError:
    field: str
    message: str
    code: str = "invalid"
    message_en: str | None = None

    def to_dict(self) -> dict[str, str]:
        out = {"field": self.field, "message": self.message, "code": self.code}
        if self.message_en:
            out["message_en"] = self.message_en
        return out


class FormValidationError(ValueError):
    """The submitted data does not satisfy the task's form."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))


def check_form(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return ["biểu mẫu phải là một đối tượng JSON Schema"]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as err:
        return [f"JSON Schema không hợp lệ: {err.message}"]
    if schema.get("type", "object") != "object":
        return ["biểu mẫu phải có type 'object'"]
    return []


def _lookup(data: dict[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _prefill_plan(schema: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Each ``x-prefill`` field of the form with the data paths to try, in order."""
    plan = []
    for name, prop in (schema.get("properties") or {}).items():
        spec = prop.get("x-prefill") if isinstance(prop, dict) else None
        if not spec:
            continue
        candidates = [spec.get("from")] if spec.get("from") else []
        if spec.get("source"):
            candidates.append(f"{spec['source']}.{spec.get('field', name)}")
        candidates.append(spec.get("field", name))
        plan.append((name, candidates))
    return plan


def _by_schema(cache: dict[int, tuple[dict[str, Any], Any]], schema: dict[str, Any], build):
    """``build(schema)``, kept in ``cache`` by the identity of the schema dict: the forms
    of a deployed version are loaded once and never changed in place. The entry holds
    the dict, so that its id cannot be reused while it is there; at most
    ``TOANTRINH_FORM_CACHE`` entries (512), all dropped when full (engine/caches.py)."""
    hit = cache.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1]
    if len(cache) >= FORM_CACHE:
        cache.clear()
    built = build(schema)
    cache[id(schema)] = (schema, built)
    return built


_PREFILL_PLANS: dict[int, tuple[dict[str, Any], list[tuple[str, list[str]]]]] = {}


def prefill_values(schema: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Values for the form's ``x-prefill`` fields found in the dossier's data."""
    values: dict[str, Any] = {}
    for name, candidates in _by_schema(_PREFILL_PLANS, schema, _prefill_plan):
        contact = _contact(name) or any(_contact(path.rsplit(".", 1)[-1]) for path in candidates)
        for path in candidates:
            value = _lookup(data, path)
            if value is not None and not (contact and _blank(value)):
                values[name] = value
                break
    return values


def _contact(field: str) -> bool:
    return field in ("email", "phone") or field.endswith(("_email", "_phone"))


def _blank(value: Any) -> bool:
    """A registry's empty contact field ("", "—") is no value to lock: the applicant types
    the e-mail or phone the database lacks (issue 26 item 7). Other empty fields ("no other
    names") are facts the registry states and stay as they are."""
    return isinstance(value, str) and value.strip() in ("", "—", "-")


_COMPONENT_FIELDS: dict[int, tuple[dict[str, Any], dict[str, str]]] = {}


def _component_fields(schema: dict[str, Any]) -> dict[str, str]:
    return {
        name: prop["x-component"]
        for name, prop in (schema.get("properties") or {}).items()
        if isinstance(prop, dict) and isinstance(prop.get("x-component"), str)
    }


def component_fields(schema: dict[str, Any]) -> dict[str, str]:
    """The form's fields that carry a dossier component (``x-component``): field → the
    component's code. Their values are file codes or e-data warehouse result codes,
    checked by the engine against the dossier (``engine/attachments.py``)."""
    return _by_schema(_COMPONENT_FIELDS, schema, _component_fields)


def typed_fields(schema: dict[str, Any], prefilled: dict[str, Any] | None = None) -> list[str]:
    """Fields the applicant must type: neither read-only nor filled from a registry.

    A field with ``x-prefill`` whose value was not found (the registry is not
    connected, or holds nothing for this person) is typed like any other.
    """
    prefilled = prefilled or {}
    return [
        name
        for name, prop in (schema.get("properties") or {}).items()
        if isinstance(prop, dict) and not _locked(name, prop, prefilled)
    ]


def _locked(name: str, prop: dict[str, Any], prefilled: dict[str, Any]) -> bool:
    if prop.get("x-prefill"):
        return name in prefilled
    return bool(prop.get("readOnly"))


def _child(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _clean(value: Any, path: str, errors: list[FieldError], plain: list[bool]) -> Any:
    """One walk of submitted data: its strings (values and keys) in NFC, each over
    ``MAX_STRING`` characters an error in ``errors`` (under its field's path), and
    ``plain[0]`` cleared unless it is all what JSON decodes to (:func:`_passes`)."""
    kind = type(value)
    if kind is str:
        if len(value) > MAX_STRING:
            errors.append(
                FieldError(
                    path or "(gốc)", f"chuỗi quá dài ({len(value)} ký tự, tối đa {MAX_STRING})"
                )
            )
        return unicodedata.normalize("NFC", value)
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is str:
                clean_key = unicodedata.normalize("NFC", key)
            else:
                plain[0], clean_key = False, key
            out[clean_key] = _clean(item, _child(path, key), errors, plain)
        return out
    if kind is list:
        return [_clean(item, f"{path}[{i}]", errors, plain) for i, item in enumerate(value)]
    if kind in _JSON_SCALARS:
        return value
    plain[0] = False  # a tuple, date, Decimal, or a subclass of str, dict or list
    if isinstance(value, str):
        return _clean(str(value), path, errors, plain)
    if isinstance(value, dict):
        return _clean(dict(value), path, errors, plain)
    if isinstance(value, list):
        return _clean(list(value), path, errors, plain)
    return value


def _cleaned(data: Any) -> tuple[Any, bool]:
    """``data`` through :func:`_clean`, and whether it is plain JSON; its strings over
    the limit refused, all at once."""
    errors: list[FieldError] = []
    plain = [True]
    data = _clean(data, "", errors, plain)
    if errors:
        raise FormValidationError(errors)
    return data, plain[0]


def clean_free_data(data: Any) -> dict[str, Any]:
    """NFC and size limits for data that has no form (a trusted caller's start data)."""
    if not isinstance(data, dict):
        raise FormValidationError([FieldError("(gốc)", "dữ liệu phải là một đối tượng JSON")])
    return _cleaned(data)[0]


_LOCK_PLANS: dict[int, tuple[dict[str, Any], tuple[frozenset[str], frozenset[str]]]] = {}


def _lock_plan(schema: dict[str, Any]) -> tuple[frozenset[str], frozenset[str]]:
    """(fields pre-filled from a registry, other read-only fields) of a form."""
    props = schema.get("properties") or {}
    fields = {n: p for n, p in props.items() if isinstance(p, dict)}
    prefill = frozenset(n for n, p in fields.items() if p.get("x-prefill"))
    readonly = frozenset(n for n, p in fields.items() if n not in prefill and p.get("readOnly"))
    return prefill, readonly


def _locked_fields(schema: dict[str, Any], prefilled: dict[str, Any]) -> frozenset[str]:
    """The fields whose dossier values stand whatever is submitted (:func:`_locked`)."""
    prefill, readonly = _by_schema(_LOCK_PLANS, schema, _lock_plan)
    if not prefilled:
        return readonly
    return readonly | {n for n in prefill if n in prefilled}


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values, strings compared in NFC."""
    encode = functools.partial(json.dumps, sort_keys=True, ensure_ascii=False, default=str)
    return encode(_cleaned({"v": a})[0]) == encode(_cleaned({"v": b})[0])


def _changed_locked(
    schema: dict[str, Any], data: dict[str, Any], locked: frozenset[str], prefilled: dict[str, Any]
) -> list[FieldError]:
    """The locked fields submitted with a value other than the dossier's: a registry's
    value (``x-prefill``), or for another read-only field its ``const``/``default`` (or
    nothing)."""
    props = schema.get("properties") or {}
    errors = []
    for name in sorted(locked & data.keys()):
        value, prop = data[name], props.get(name) or {}
        if name in prefilled:
            if not _same(value, prefilled[name]):
                source = (prop.get("x-prefill") or {}).get("source") or "cơ sở dữ liệu"
                errors.append(
                    FieldError(
                        name,
                        f"được điền sẵn từ {source} và bị khóa; không sửa được "
                        "(gửi lại đúng giá trị điền sẵn hoặc bỏ trường này)",
                    )
                )
        elif value not in (None, "") and not any(
            key in prop and _same(value, prop[key]) for key in ("const", "default")
        ):
            errors.append(FieldError(name, "trường chỉ đọc; không nhận giá trị gửi lên"))
    return errors


# compiled validators of the forms in use (_by_schema)
_VALIDATORS: dict[int, tuple[dict[str, Any], tuple[Draft202012Validator, Any]]] = {}
_FORMAT_CHECKER = FormatChecker()


def _validator(schema: dict[str, Any]) -> tuple[Draft202012Validator, Any]:
    """The form's validator, and its compiled twin from jsonschema-rs (None if that
    library cannot compile it)."""
    return _by_schema(_VALIDATORS, schema, _compile)


def _compile(schema: dict[str, Any]) -> tuple[Draft202012Validator, Any]:
    effective = copy.deepcopy(schema)
    effective.setdefault("additionalProperties", False)
    validator = Draft202012Validator(effective, format_checker=_FORMAT_CHECKER)
    try:
        fast = jsonschema_rs.validator_for(effective, validate_formats=True)
    except (ValueError, jsonschema_rs.ValidationError):
        fast = None
    return validator, fast


_JSON_SCALARS = (str, int, float, bool, type(None))


def _plain_json(value: Any) -> bool:
    """Whether ``value`` is made of what JSON decodes to (no tuple, date, Decimal…), the
    only values on which the two validators are compared."""
    if isinstance(value, dict):
        return all(type(k) is str and _plain_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_json(v) for v in value)
    return isinstance(value, _JSON_SCALARS)


def _passes(fast: Any, data: dict[str, Any], validator: Draft202012Validator, plain: bool) -> bool:
    """True when ``data`` is known to satisfy the form without walking it in Python.

    jsonschema-rs answers the common case, valid data, about a hundred times faster than
    the ``jsonschema`` walk (the declaration of the criminal record certificate, 21
    fields: 1.4 against 160 µs). It is trusted only to say "valid", and only where it
    is the stricter of the two: it reads ``\\d``, ``\\w`` and ``$`` as ASCII and
    end-of-text where Python's ``re`` does not, refuses NaN, checks every format (Python
    skips those it has no checker for). Anything it refuses, and any value that is not
    plain JSON, goes to ``jsonschema``, whose errors are the ones reported.
    ``TOANTRINH_VERIFY_FORMS=1`` (set by the test suite) also asks ``jsonschema`` of
    every submission the fast one accepts, and fails on any disagreement.
    """
    if fast is None or not plain:
        return False
    if not fast.is_valid(data):
        return False
    if os.environ.get("TOANTRINH_VERIFY_FORMS", "") == "1" and not validator.is_valid(data):
        raise AssertionError(f"jsonschema-rs accepted what jsonschema refuses: {data!r}")
    return True


def validate_submission(
    schema: dict[str, Any], submitted: Any, prefilled: dict[str, Any]
) -> dict[str, Any]:
    """Validate a task submission and return the data to merge into the dossier.

    Read-only and pre-filled fields keep their dossier values: they may be sent back as
    they are (a form posts all its fields), but a different value is refused, naming
    the field, rather than silently replaced (issue 27).
    """
    if not isinstance(submitted, dict):
        raise FormValidationError(
            [FieldError("(gốc)", "dữ liệu biểu mẫu phải là một đối tượng JSON")]
        )
    data, plain = _cleaned(submitted)
    errors: list[FieldError] = []
    locked = _locked_fields(schema, prefilled)
    if locked:
        changed = _changed_locked(schema, data, locked, prefilled)
        if changed:
            raise FormValidationError(changed)
        data = {k: v for k, v in data.items() if k not in locked}
        kept = {k: v for k, v in prefilled.items() if k in locked}
        plain = plain and _plain_json(kept)
        data.update(kept)
    validator, fast = _validator(schema)
    if _passes(fast, data, validator, plain):
        return data
    for err in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        for found in _field_errors(schema, err):
            if not any(e.field == found.field and e.code == found.code for e in errors):
                errors.append(found)
    if errors:
        raise FormValidationError(errors)
    return data


def _error(schema: dict[str, Any], path: list[Any], kind: str, value: Any) -> FieldError:
    name = ".".join(str(p) for p in path) or "(gốc)"
    prop = form_messages.field_schema(schema, path)
    words = form_messages.describe(kind, value, prop, str(path[-1]) if path else name)
    return FieldError(name, words.vi, words.code, words.en)


def _field_errors(schema: dict[str, Any], err: Any) -> list[FieldError]:
    """The project's own messages (engine/form_messages.py) for one ``jsonschema`` error,
    each naming its field by path and by title: never the library's English text."""
    path = list(err.absolute_path)
    instance = err.instance if isinstance(err.instance, dict) else {}
    if err.validator == "required":
        # one jsonschema error per missing name; validate_submission drops the repeats
        return [
            _error(schema, [*path, name], "required", True)
            for name in err.validator_value
            if name not in instance
        ]
    if err.validator == "dependentRequired":
        return [
            _error(schema, [*path, name], "required", True)
            for trigger, needed in err.validator_value.items()
            if trigger in instance
            for name in needed
            if name not in instance
        ]
    if err.validator == "additionalProperties":
        known = set(err.schema.get("properties", {}))
        return [
            _error(schema, [*path, name], "additionalProperties", None)
            for name in sorted(set(instance) - known)
        ]
    return [_error(schema, path, str(err.validator), err.validator_value)]
