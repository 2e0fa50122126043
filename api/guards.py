"""Input guards applied to every request before the views run.

Text that no database column can hold is refused with 422 naming the field: NUL
characters (PostgreSQL text and JSON cannot store U+0000) and lone UTF-16 surrogates
(a JSON body may carry ``"\\ud800"``, which no UTF-8 encoder accepts). JSON bodies the
decoder chokes on (nesting past Python's recursion limit, integers past 4,300 digits,
``NaN``/``Infinity``, bytes that are not UTF-8/16/32) answer 400, and documents nested
deeper than :data:`MAX_JSON_DEPTH` answer 422, before any of it reaches the engine.
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Flask, request

from toantrinh.api.errors import ApiProblem

MESSAGE = "Chứa ký tự không hợp lệ (NUL hoặc mã Unicode lẻ)."
MAX_JSON_DEPTH = 64


def bad_text(value: str | None) -> bool:
    if value is None:  # a multipart part werkzeug could not read as text has no value
        return False
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _walk(document: Any) -> tuple[str | None, int]:
    """(dotted path of the first bad string, key or value; the document's depth), iteratively."""
    deepest = 0
    stack: list[tuple[Any, str, int]] = [(document, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(value, str):
            if bad_text(value):
                return path or "body", deepest
        elif isinstance(value, dict):
            for key, item in value.items():
                if bad_text(str(key)):
                    return path or "body", deepest
                stack.append((item, f"{path}.{key}" if path else str(key), depth + 1))
        elif isinstance(value, list):
            stack.extend(
                (item, f"{path}.{i}" if path else str(i), depth + 1) for i, item in enumerate(value)
            )
    return None, deepest


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"số ngoài giới hạn: {text[:20]}")
    return number


def _no_constant(name: str) -> None:
    raise ValueError(f"JSON không cho phép {name}")


def _reject(field: str) -> None:
    raise ApiProblem(
        422,
        "Dữ liệu gửi lên chứa ký tự không hợp lệ.",
        kind="validation",
        errors=[{"field": field, "message": MESSAGE}],
    )


def check_request() -> None:
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str) and bad_text(value):
            _reject(name)
    sources = [request.args]
    if request.mimetype == "multipart/form-data":
        sources.append(request.form)
    for source in sources:
        for key, values in source.lists():
            if bad_text(key) or any(bad_text(v) for v in values):
                _reject(key if not bad_text(key) else "query")
    if request.is_json:
        raw = request.get_data(cache=True)
        if not raw:
            return  # the view's parser reports the missing body
        try:
            document = json.loads(raw, parse_float=_finite, parse_constant=_no_constant)
        except (ValueError, UnicodeDecodeError, RecursionError) as err:
            # also what webargs cannot report itself: too deep, too many digits, NaN
            raise ApiProblem(
                400,
                "Nội dung JSON không hợp lệ.",
                kind="validation",
                errors=[{"field": "body", "message": "Nội dung JSON không hợp lệ."}],
            ) from err
        found, depth = _walk(document)
        if depth > MAX_JSON_DEPTH:
            raise ApiProblem(
                422,
                "Dữ liệu lồng quá sâu.",
                kind="validation",
                errors=[{"field": "body", "message": f"Dữ liệu lồng quá {MAX_JSON_DEPTH} cấp."}],
            )
        if found is not None:
            _reject(found)


def register_input_guards(app: Flask) -> None:
    app.before_request(check_request)
