"""A procedure's result document (``result_document`` in procedure.json): checked at
deploy, and whether a completed dossier ends with it.

When a dossier completes, the engine keeps its result in the applicant's e-data
warehouse (Decree 45/2020/NĐ-CP, once-only) as the procedure card declares
(``docs/process-models.md``). A card with a ``when`` that is not a safe expression, a
``valid_days`` that is not a whole number of days, or a misspelt key used to fail only
then — with an HTTP 500 at the completion of every dossier. :func:`problems` refuses
such a card at deploy, naming each field; :func:`applies` evaluates ``when`` over the
data of a completed dossier, and says why when it cannot (a name the dossier never set).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toantrinh.engine import scripting

FIELDS = (
    "document_type",
    "title",
    "when",
    "number_field",
    "fields",
    "valid_days",
    "valid_days_source",
)
MAX_VALID_DAYS = 36_500  # a hundred years; a document valid for longer has no valid_days
_TEXT_FIELDS = ("document_type", "title", "number_field", "valid_days_source")
_WHERE = "procedure.json, result_document"


class WhenFailed(ValueError):
    """``when`` could not be evaluated over a dossier's data."""


def problems(procedure: Mapping[str, Any]) -> list[str]:
    """Why the procedure card's ``result_document`` cannot be used (empty when it can).

    >>> problems({"result_document": {"document_type": "x", "valid_days": "30 ngày"}})
    ['procedure.json, result_document.valid_days: phải là số ngày nguyên từ 1 đến 36500']
    """
    spec = procedure.get("result_document")
    if spec is None:
        return []
    if not isinstance(spec, dict):
        return [f"{_WHERE}: phải là một đối tượng JSON"]
    found = [
        f"{_WHERE}.{key}: trường không có trong mô tả kết quả" for key in spec if key not in FIELDS
    ]
    if not spec.get("document_type"):
        found.append(f"{_WHERE}.document_type: bắt buộc (loại giấy tờ trong kho dữ liệu)")
    found.extend(
        f"{_WHERE}.{key}: phải là chuỗi"
        for key in _TEXT_FIELDS
        if key in spec and not isinstance(spec[key], str)
    )
    fields = spec.get("fields", [])
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        found.append(f"{_WHERE}.fields: phải là danh sách tên trường")
    found.extend(_when_problems(spec.get("when")))
    days = spec.get("valid_days")
    if days is not None and not (type(days) is int and 1 <= days <= MAX_VALID_DAYS):
        found.append(f"{_WHERE}.valid_days: phải là số ngày nguyên từ 1 đến {MAX_VALID_DAYS}")
    return found


def _when_problems(when: Any) -> list[str]:
    if when is None:
        return []
    if not isinstance(when, str) or not when.strip():
        return [f"{_WHERE}.when: phải là một biểu thức (chuỗi)"]
    return [f"{_WHERE}.when: {p}" for p in scripting.check(when.strip(), "eval")]


def applies(spec: Mapping[str, Any], data: Mapping[str, Any]) -> bool:
    """Whether a completed dossier with ``data`` ends with the result (its ``when`` holds,
    or it has none); raises :class:`WhenFailed` with the reason when ``when`` cannot be
    evaluated."""
    when = spec.get("when")
    if not when:
        return True
    try:
        return bool(scripting.evaluate(when, data))
    except Exception as err:  # any failure of the author's expression: said, not a 500
        raise WhenFailed(
            f"không tính được điều kiện result_document.when '{when}': {type(err).__name__}: {err}"
        ) from err
