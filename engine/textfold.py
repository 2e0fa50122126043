"""Search that forgives missing diacritics: one folding of Vietnamese text, used by every
place that searches procedures (the API's ``?q=`` filter and the ``keywords`` the pages
search on the client with the same folding, ``web/static/js/common.js: fold``).

``fold("Lý lịch tư pháp") == "ly lich tu phap"``: Unicode NFD, combining marks dropped,
``đ``/``Đ`` → ``d`` (a letter of its own, not a d with a mark, so NFD keeps it), case folded,
runs of white space made one space.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """``text`` lower-cased without diacritics (``đ`` read as ``d``)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    bare = bare.replace("đ", "d").replace("Đ", "D").casefold()
    return _SPACES.sub(" ", bare).strip()


def keywords(parts: Iterable[str | None]) -> str:
    """The folded text a query is matched against: the parts joined by `` | ``."""
    return " | ".join(f for f in (fold(p) for p in parts) if f)


def matches(query: str | None, haystack: str) -> bool:
    """Whether every word of ``query`` (folded) occurs in ``haystack`` (already folded, as
    :func:`keywords` makes it); an empty query matches everything."""
    return all(word in haystack for word in fold(query).split())


def procedure_keywords(
    *,
    slug: str | None,
    code: str | None,
    name: str | None,
    name_en: str | None,
    procedure: dict | None,
) -> str:
    """What a procedure is found by: its names, national code, slug, receipt prefix and the
    abbreviations people use for it (``aliases`` of its ``procedure.json``)."""
    procedure = procedure or {}
    names = procedure.get("name") if isinstance(procedure.get("name"), dict) else {}
    aliases = procedure.get("aliases") or []
    return keywords(
        [
            name,
            name_en,
            code,
            slug,
            procedure.get("code"),
            names.get("vi"),
            names.get("en"),
            procedure.get("receipt_prefix"),
            *(a for a in aliases if isinstance(a, str)),
        ]
    )
