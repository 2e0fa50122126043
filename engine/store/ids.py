"""Row ids given as text (a path segment, a CLI argument, a JSON field).

``str.isdigit()`` is true for superscripts and other digit-like characters (``¹``, ``²``,
``①``) that ``int()`` refuses, and ``int()`` itself accepts every Unicode decimal digit
(``"٣"`` is 3) and any magnitude: an id is read here as ASCII digits only, within the
range of the ``INTEGER`` primary keys (PostgreSQL refuses a larger parameter with an
error, not with an empty result).
"""

from __future__ import annotations

import re

MAX_ROW_ID = 2**31 - 1  # INTEGER primary keys (SQLite and PostgreSQL alike)
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def row_id(ref: object) -> int | None:
    """The row id ``ref`` names (an ``int``, or a string of ASCII digits), or ``None``
    when it names none: not a number, negative, zero or past ``MAX_ROW_ID``.

    >>> row_id("42"), row_id(42), row_id("¹"), row_id("①"), row_id("٣"), row_id("9" * 12)
    (42, 42, None, None, None, None)
    """
    if isinstance(ref, bool):
        return None
    if isinstance(ref, int):
        value = ref
    elif isinstance(ref, str) and _ASCII_DIGITS.fullmatch(ref):
        value = int(ref)
    else:
        return None
    return value if 0 < value <= MAX_ROW_ID else None
