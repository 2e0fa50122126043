"""Input guards applied to every request before the views run.

Text that no database column can hold is refused with 422 naming the field: NUL
characters (PostgreSQL text and JSON cannot store U+0000) and lone UTF-16 surrogates
(a JSON body may carry ``"\\ud800"``, which no UTF-8 encoder accepts).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, request

from api.errors import ApiProblem

MESSAGE = "Chứa ký tự không hợp lệ (NUL hoặc mã Unicode lẻ)."


def bad_text(value: str) -> bool:
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _walk(value: Any, path: str) -> str | None:
    """The dotted path of the first bad string (key or value) in a JSON document."""
    if isinstance(value, str):
        return path if bad_text(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if bad_text(str(key)):
                return path or "body"
            found = _walk(item, child)
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _walk(item, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


def _reject(field: str) -> None:
    raise ApiProblem(422, "Dữ liệu gửi lên chứa ký tự không hợp lệ.", kind="validation",
                     errors=[{"field": field, "message": MESSAGE}])


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
        try:
            document = json.loads(request.get_data(cache=True))
        except (ValueError, UnicodeDecodeError):
            return  # the view's parser answers 400 with its own message
        found = _walk(document, "")
        if found is not None:
            _reject(found or "body")


def register_input_guards(app: Flask) -> None:
    app.before_request(check_request)
