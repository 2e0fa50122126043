"""What a completed task changed, for the audit trail: each field's old and new value,
personal data masked (nhật ký xử lý hồ sơ).

An officer reading a dossier's history must see what each step decided (the appraisal
result, the fee, the certificate number) without the trail becoming a second copy of the
citizen's identity. A field is personal when its form property says so (``x-personal``:
``true``, ``false``, or a kind), else when ``data/personal_data.json`` lists its name or
one of its patterns (Decree 13/2023/NĐ-CP, Art. 2: basic and sensitive personal data).
Personal values are masked: identifiers and phone numbers keep their last 3 characters,
e-mail addresses their first letter and top-level domain, anything else becomes
``***``. Other values are kept as submitted, a string cut at 200 characters and a
structure longer than 1,000 characters as JSON replaced by its length. Nested objects
(rows of a table field) are masked field by field the same way.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from toantrinh.bpmn import datafiles

DEFAULT_PATH = datafiles.path("data", "personal_data.json")
MASK = "***"
MAX_TEXT = 200
MAX_JSON = 1000
_MISSING = object()


@lru_cache(maxsize=4)
def _catalogue(path: str) -> tuple[dict[str, str], tuple[str, ...], tuple[str, ...]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    patterns = data.get("patterns") or {}
    return (
        dict(data.get("fields") or {}),
        tuple(patterns.get("suffixes") or ()),
        tuple(patterns.get("prefixes") or ()),
    )


def personal_kind(name: str, prop: dict[str, Any] | None = None) -> str | None:
    """The kind of personal data a field holds (``identifier``, ``phone``, ``email``,
    ``personal``), or ``None`` when it holds none."""
    marked = (prop or {}).get("x-personal", _MISSING)
    if marked is not _MISSING:
        if marked is True:
            return "personal"
        return str(marked) if marked else None
    fields, suffixes, prefixes = _catalogue(
        os.environ.get("TOANTRINH_PERSONAL_DATA") or str(DEFAULT_PATH)
    )
    if name in fields:
        return fields[name]
    if name.endswith(suffixes) or name.startswith(prefixes):
        return "identifier" if name.endswith("_identity_number") else "personal"
    return None


def mask(value: Any, kind: str) -> Any:
    """``value`` masked for its kind of personal data (``None`` and ``""`` stay)."""
    if value is None or value == "":
        return value
    text = str(value)
    if kind in ("identifier", "phone") and len(text) > 4:
        return "*" * (len(text) - 3) + text[-3:]
    if kind == "email" and "@" in text:
        local, _, domain = text.partition("@")
        return f"{local[:1]}***@***.{domain.rsplit('.', 1)[-1]}"
    return MASK


def record(name: str, value: Any, prop: dict[str, Any] | None = None) -> Any:
    """The value as the audit trail keeps it."""
    kind = personal_kind(name, prop)
    if kind is not None:
        return mask(value, kind)
    prop = prop or {}
    if isinstance(value, dict):
        inner = prop.get("properties") or {}
        value = {k: record(str(k), v, inner.get(k)) for k, v in value.items()}
    elif isinstance(value, list):
        items = prop.get("items") if isinstance(prop.get("items"), dict) else {}
        value = [record(name, v, items) if isinstance(v, dict | list) else v for v in value]
    elif isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + f"… ({len(value)} ký tự)"
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, default=str)
        if len(text) > MAX_JSON:
            return f"(dữ liệu {len(text)} ký tự)"
    return value


def changes(
    schema: dict[str, Any] | None, before: dict[str, Any], after: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Each field of ``after`` whose value differs from ``before``: ``{"old", "new"}`` as
    the trail keeps them (``old`` is ``None`` for a field the dossier did not have)."""
    props = (schema or {}).get("properties") or {}
    out = {}
    for name in sorted(after):
        old, new = before.get(name), after[name]
        if _json(old) == _json(new):
            continue
        prop = props.get(name)
        out[name] = {"old": record(name, old, prop), "new": record(name, new, prop)}
    return out


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
