"""Bounds on the data a script or expression leaves behind.

Whatever a script leaves in the task data is stored in the dossier's state (JSON) at the
end of the step, converted and encoded by recursive code, copied into every later task,
and sent to the worker of the next script. A script can build much more than a state can
hold: a list of a million references to one megabyte string (``['x'*10**6]*10**6`` is
8 MB in memory, a terabyte as JSON), a list nested 30,000 levels deep (the state
serializer's recursion stops with ``RecursionError``), a dictionary keyed by tuples or a
``range`` object (which JSON cannot encode). Each of those failed when the state was
saved, after the step, as an HTTP 500; here it fails the script's own task, before the
data reaches the task.

The walk is iterative (no recursion to exhaust) and counts every value each time it is
reached, shared or not, as JSON would write it out.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import UUID

from toantrinh.engine.safescript.language import ScriptLimitError


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


class DataBounds(NamedTuple):
    """How much data one run may leave: values (every scalar, list, dict… counted each
    time it is reached), characters of text, and levels of nesting."""

    items: int = _env_int("TOANTRINH_SCRIPT_MAX_ITEMS", 200_000)
    text: int = _env_int("TOANTRINH_SCRIPT_MAX_TEXT", 5_000_000)
    depth: int = _env_int("TOANTRINH_SCRIPT_MAX_DEPTH", 100)


DEFAULT = DataBounds()

# what the dossier state's serializer can write and read back (engine/serialization.py)
_SCALARS = frozenset(
    {int, float, bool, type(None), dt.date, dt.datetime, dt.time, dt.timedelta, Decimal, UUID}
)
_KEYS = frozenset({str, int, float, bool, type(None)})
_CONTAINERS = frozenset({list, tuple, set})


def check(values: Iterable[Any], bounds: DataBounds = DEFAULT) -> None:
    """Raise :class:`ScriptLimitError` unless ``values`` (what a run left) are data the
    state can store, within ``bounds``.

    >>> check([{"a": [1, 2, "ba"]}])
    >>> check([[[[[1]]]]], DataBounds(depth=3))  # one value, four levels
    Traceback (most recent call last):
    ...
    toantrinh.engine.safescript.language.ScriptLimitError: dữ liệu kịch bản để lại lồng quá sâu (quá 3 cấp)
    """
    stack: list[tuple[Any, int]] = [(value, 1) for value in values]
    count, text = len(stack), 0
    while stack:
        value, depth = stack.pop()
        kind = type(value)
        if kind is str:
            text += len(value)
            if text > bounds.text:
                raise ScriptLimitError(
                    f"dữ liệu kịch bản để lại quá lớn (quá {_vn(bounds.text)} ký tự)"
                )
        elif kind is dict or kind in _CONTAINERS:
            if depth > bounds.depth:
                raise ScriptLimitError(
                    f"dữ liệu kịch bản để lại lồng quá sâu (quá {bounds.depth} cấp)"
                )
            count += len(value)
            if count > bounds.items:
                raise ScriptLimitError(
                    f"dữ liệu kịch bản để lại quá lớn (quá {_vn(bounds.items)} giá trị)"
                )
            if kind is dict:
                text += _key_text(value)
                stack.extend((v, depth + 1) for v in value.values())
            else:
                stack.extend((v, depth + 1) for v in value)
        elif kind not in _SCALARS:
            raise ScriptLimitError(
                f"kịch bản để lại giá trị kiểu '{kind.__name__}', không phải dữ liệu lưu được "
                "(chuỗi, số, ngày, danh sách, từ điển); hãy chuyển nó, ví dụ list(…)"
            )


def _key_text(value: dict) -> int:
    """The characters of a dictionary's keys; raise unless JSON can write them."""
    chars = 0
    for key in value:
        kind = type(key)
        if kind is str:
            chars += len(key)
        elif kind not in _KEYS:
            raise ScriptLimitError(
                f"khóa từ điển kiểu '{kind.__name__}' không lưu được; khóa phải là chuỗi hoặc số"
            )
    return chars


def _vn(n: int) -> str:
    """A count as Vietnamese writes it: 200.000."""
    return f"{n:,}".replace(",", ".")


def small(values: Iterable[Any], items: int, text: int, depth: int) -> bool:
    """Whether ``values`` hold at most ``items`` values, ``text`` characters and
    ``depth`` levels (counted as :func:`check` does), stopping as soon as they do not;
    values of other types count as not small."""
    stack: list[tuple[Any, int]] = [(value, 1) for value in values]
    count, chars = len(stack), 0
    while stack:
        value, level = stack.pop()
        kind = type(value)
        if kind is str:
            chars += len(value)
            if chars > text:
                return False
        elif kind is dict or kind in _CONTAINERS:
            count += len(value)
            if level > depth or count > items:
                return False
            if kind is dict:
                if any(type(k) is not str for k in value):
                    return False
                chars += sum(len(k) for k in value)
                stack.extend((v, level + 1) for v in value.values())
            else:
                stack.extend((v, level + 1) for v in value)
        elif kind not in _SCALARS:
            return False
    return count <= items
