"""Căn cứ pháp lý and số quyết định công bố: legal-document codes and who issued them.

A Vietnamese legal document is cited by its code: number / year / kind-issuer, e.g.
``79/2024/TT-BCA`` (circular of the Ministry of Public Security), ``118/2025/NĐ-CP``
(decree of the Government), ``26/2023/QH15`` (law of the 15th National Assembly),
``06/QĐ-TTg`` (a decision without its year). The portal's table has two columns — tên
văn bản, mã văn bản — flattened as ``Thông tư số 03/2024/TT-BTP ngày …03/2024/TT-BTPNghị
định số …``: a row ends at its code cell, a code glued to the next row's capital letter
or to the end of the text (a code inside a title is followed by a space or a digit).
A code cell is sometimes cut short (``42/2020``): the full code of the title is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .shape import pick
from .text import clean

# a part of the kind-issuer suffix: "TTg", "QH15", "UBTVQH15", "C06", or capitals that do not
# start the next, glued word ("NĐ-CPNghị định" ends at "CP")
_SUFFIX_PART = r"(?:TTg|[A-ZĐ]*QH\d{2}|[A-ZĐ]\d{2}(?!\d)|[A-ZĐ]+(?![a-zà-ỹđ]))"
CODE = re.compile(
    rf"(?<!/)(?P<num>\d{{1,4}}[a-z]?)/(?:(?P<year>(?:19|20)\d{{2}})/)?"
    rf"(?P<suffix>{_SUFFIX_PART}(?:-{_SUFFIX_PART})*)"
)
_BARE_CODE = re.compile(r"(?<![\d/])\d{1,4}/(?:19|20)\d{2}(?![\d/])")
KINDS = {
    "QH": "Luật / Nghị quyết của Quốc hội",
    "NĐ": "Nghị định",
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "CT": "Chỉ thị",
    "PL": "Pháp lệnh",
}
_TITLE_KINDS = (
    "Luật",
    "Bộ luật",
    "Nghị định",
    "Nghị quyết",
    "Thông tư liên tịch",
    "Thông tư",
    "Quyết định",
    "Pháp lệnh",
    "Chỉ thị",
    "Công văn",
    "Văn bản hợp nhất",
)


@dataclass(frozen=True)
class LegalDocument:
    """One row of căn cứ pháp lý."""

    title: str
    code: str  # "" when the row has no code
    kind: str  # Luật, Nghị định, Thông tư … ("" when unknown)


def find_codes(text: str) -> list[str]:
    """Legal-document codes in a text, in order, without repeats.

    >>> find_codes("Thông tư số 79/2024/TT-BCA và Luật Căn cước số 26/2023/QH1526/2023/QH15")
    ['79/2024/TT-BCA', '26/2023/QH15']
    """
    out: list[str] = []
    for m in CODE.finditer(text):
        code = m.group(0)
        if _kind_of_suffix(m.group("suffix")) and code not in out:
            out.append(code)
    return out


def _kind_of_suffix(suffix: str) -> str:
    head = suffix.split("-")[0]
    if re.fullmatch(r"[A-ZĐ]*QH\d{2}", head):
        return KINDS["QH"]
    return KINDS.get(head, "")


def kind_of(code: str, title: str = "") -> str:
    """The kind of a document, from its code or else its title.

    >>> kind_of("118/2025/NĐ-CP")
    'Nghị định'
    """
    m = CODE.fullmatch(code) if code else None
    kind = _kind_of_suffix(m.group("suffix")) if m else ""
    if kind == KINDS["QH"] and title.lstrip().startswith(("Luật", "Bộ luật")):
        return "Luật"
    if kind:
        return kind
    stripped = title.lstrip()
    return next((k for k in _TITLE_KINDS if stripped.startswith(k)), "")


def _cells(text: str) -> list[re.Match[str]]:
    """Code cells: codes glued to a following capital letter, or ending a line or the text."""
    cells = []
    for m in [*CODE.finditer(text), *_BARE_CODE.finditer(text)]:
        after = text[m.end() : m.end() + 1]
        if after in ("", "\n") or after.isupper():
            cells.append(m)
    cells.sort(key=lambda m: (m.start(), -m.end()))
    kept: list[re.Match[str]] = []
    for m in cells:  # a bare number/year inside a longer code is not a second cell
        if kept and m.start() < kept[-1].end():
            continue
        kept.append(m)
    return kept


def parse_legal(value: object) -> list[LegalDocument]:
    """The rows of căn cứ pháp lý (flattened text or a list of rows)."""
    if isinstance(value, list):
        out = []
        for row in value:
            if isinstance(row, dict):
                title = clean(
                    pick(row, "ten_van_ban", "Tên văn bản", "Tên văn bản pháp lý", "title", "name")
                )
                code = clean(pick(row, "ma_van_ban", "Mã văn bản", "code"))
            else:
                title, code = clean(row), ""
            code = code or next(iter(find_codes(title)), "")
            if title or code:
                out.append(LegalDocument(title or code, code, kind_of(code, title)))
        return out
    text = str(value or "").replace("\xa0", " ")
    text = text.removeprefix("Tên văn bản pháp lýMã văn bản")
    out = []
    start = 0
    for cell in _cells(text):
        title = clean(text[start : cell.start()])
        start = cell.end()
        code = cell.group(0)
        if not title:
            continue
        full = [c for c in find_codes(title) if c.startswith(code)]
        out.append(
            LegalDocument(
                title, full[0] if full else code, kind_of(full[0] if full else code, title)
            )
        )
    rest = clean(text[start:])
    if rest:
        codes = find_codes(rest)
        out.append(
            LegalDocument(rest, codes[0] if codes else "", kind_of(codes[0] if codes else "", rest))
        )
    return out


def issuer_of(decision: str, issuers: dict[str, str]) -> str:
    """The ministry or province that published a decision (``1940/QĐ-BTP`` → Bộ Tư pháp).

    Tries every dash-separated part of the suffix, longest first, so ``QĐ-BCA-C06`` is the
    Ministry of Public Security; "" when no part is known.
    """
    parts = [p for p in re.split(r"[-/\s]+", decision.upper()) if p]
    for part in sorted(parts, key=len, reverse=True):
        if part in issuers:
            return issuers[part]
    return ""
