"""Text helpers for published procedure records: spacing, folding, phrase lists.

Records come from the national portal with non-breaking spaces, tabs and runs of
blanks; phrases are matched on the folded form (no diacritics, lower case, see
:func:`toantrinh.simplifier.infer.normalise`) so that "hoá"/"hóa" and "uỷ"/"ủy" spellings and
records typed without diacritics all match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..infer import normalise

NOT_INFORMED = "Không có thông tin"
_WINDOW = 400


def clean(text: object) -> str:
    """One line of text: non-breaking spaces and runs of blanks become one space.

    >>> clean("  Bước\\xa01:\\n Nộp  hồ sơ ")
    'Bước 1: Nộp hồ sơ'
    """
    if text is None:
        return ""
    return " ".join(str(text).split())


def informed(text: object) -> str:
    """The cleaned text, or "" when the portal says it has no information."""
    value = clean(text)
    return (
        ""
        if value.rstrip(".").casefold() in {NOT_INFORMED.casefold(), "không", "-", "--"}
        else value
    )


# the two places of the tone mark in oa, oe, uy: "hoá"/"hóa", "uỷ"/"ủy" spell one word
_OLD_TONES = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_OLD_TONE_RX = re.compile("|".join(_OLD_TONES))
_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case form used for phrase matching: NFC, one tone placement, words only.

    Diacritics are kept: without them short Vietnamese words collide ("đủ thì" would read
    as "dự thi", "có thể" as "thẻ"). Text typed without any diacritics is matched against
    the phrases' plain forms instead (:class:`Phrases`).

    >>> fold("Hoá đơn, UỶ QUYỀN")
    'hóa đơn ủy quyền'
    """
    text = unicodedata.normalize("NFC", text).lower()
    text = _OLD_TONE_RX.sub(lambda m: _OLD_TONES[m.group(0)], text)
    return _NON_WORD.sub(" ", text).strip()


def plain(text: str) -> str:
    """The text without diacritics (see ``toantrinh.simplifier.infer.normalise``)."""
    return normalise(text)


def is_plain(text: str) -> bool:
    """Whether a text has no Vietnamese letters at all (typed without diacritics)."""
    return text.isascii()


@dataclass(frozen=True)
class Hit:
    """A phrase found in a text: which entry, the words matched, where (in the folded text)."""

    key: str
    words: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.words)


class Phrases:
    """Named phrase lists compiled once; finds the earliest (or every) entry in a text.

    Texts are matched in their :func:`fold` form; a text without any diacritics against
    the phrases without theirs.

    >>> p = Phrases({"pay": ["nộp phí", "lệ phí"], "submit": ["nộp hồ sơ"]})
    >>> p.first("Tổ chức nộp hồ sơ và nộp phí").key
    'submit'
    >>> p.first("to chuc nop phi").key
    'pay'
    """

    def __init__(self, entries: dict[str, list[str]] | list[tuple[str, list[str]]]):
        items = list(entries.items() if isinstance(entries, dict) else entries)
        self._by_phrase: dict[str, str] = {}
        self._by_plain: dict[str, str] = {}
        for key, phrases in items:
            for phrase in phrases:
                self._by_phrase.setdefault(fold(phrase), key)
                self._by_plain.setdefault(plain(phrase), key)
        self._rx = _alternation(self._by_phrase)
        self._plain_rx = _alternation(self._by_plain)

    def _table(self, text: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        if is_plain(text):
            return self._plain_rx, self._by_plain
        return self._rx, self._by_phrase

    def _hits(self, text: str, folded: bool):
        if not folded:
            text = fold(text)
        rx, table = self._table(text)
        if rx is None:
            return
        for m in rx.finditer(text):
            yield Hit(table[m.group(0)], m.group(0), m.start())

    def first(self, text: str, *, folded: bool = False) -> Hit | None:
        """The entry whose phrase starts first (longest phrase on a tie)."""
        if not folded:
            text = fold(text)
        rx, table = self._table(text)
        if rx is None:
            return None
        # most answers sit near the start: look there before scanning a long paragraph
        cut = text.rfind(" ", 0, _WINDOW) if len(text) > _WINDOW else len(text)
        m = rx.search(text, 0, cut) if cut > 0 else None
        if m is None and cut < len(text):
            m = rx.search(text)
        return Hit(table[m.group(0)], m.group(0), m.start()) if m else None

    def all(self, text: str, *, folded: bool = False) -> list[Hit]:
        """Every non-overlapping match, in order."""
        return list(self._hits(text, folded))

    def keys(self, text: str, *, folded: bool = False) -> set[str]:
        return {h.key for h in self._hits(text, folded)}


def _alternation(table: dict[str, str]) -> re.Pattern[str] | None:
    """One regex for all phrases, as a character trie (Python's ``re`` tries alternatives
    one by one at every position; a trie shares their prefixes, ~10× faster here)."""
    phrases = [p for p in table if p]
    if not phrases:
        return None
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = True
    return re.compile(r"\b" + _trie_pattern(trie) + r"\b")


def _trie_pattern(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in node.items() if ch]
    if not branches:
        return ""
    # longest first: a longer branch is tried before the phrase may end here
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body
