"""Split a crawled catalogue record into component rows and steps (labelled-set indexing).

The national portal's page, flattened by a scrape, runs its table cells together. These
rules decide what one *component row* and one *step* are, so that a labelled row can be
found again by its 0-based ``source_index``. ``bench/labels/README.md`` states the same
rules in prose; keep both in step.

Component rows (field ``thanh_phan_ho_so``):
  1. Non-breaking spaces become spaces. The text is cut at every table header
     ``Tên giấy tờMẫu đơn, tờ khaiSố lượng``; a record without that header has no table
     and is not used in the labelled set.
  2. In each piece after a header, a row ends at a *quantity cell*: a single digit, an
     optional space, ``bản chính``, optionally ``,`` + a number + ``bản sao``, when the
     character right after it is not a space, nor one of ``.;:,)``, or the piece ends
     there; and the digit is not the second digit of a zero-padded number (``01``, ``02``
     written in running text: a ``0`` preceded by a non-digit).
  3. Text after a piece's last quantity cell is the heading of the next group (a case
     such as "Trường hợp …", "* Giấy tờ phải xuất trình:"), not a row; so is the text
     before the first header.
  4. Rows are numbered 0, 1, 2 … across the whole record in the order published. A row's
     name is its text without the quantity cell, spaces collapsed, trimmed (form-template
     file names such as ``Mẫu số 01.docx`` stay in the name, as published).

Steps (field ``trinh_tu_thuc_hien``):
  1. Non-breaking spaces become spaces.
  2. A *step marker* is ``Bước`` (capital B), spaces, a number, spaces, then ``:`` or
     ``.`` not followed by a digit, and not preceded by a word that makes it a reference
     (``tại``, ``như``, ``theo``, ``ở``, ``của``, ``và``).
  3. With at least one marker, each marker starts one step, which runs to the next
     marker or the end; text before the first marker is a preamble, not a step.
  4. Without markers, each line (split at ``\\n``) that still has a letter or digit
     after removing bullets and spaces is one step, except that a line whose first
     non-space character is a lower-case letter not followed by ``)`` or ``.`` (so not an
     enumerator such as ``b)``) continues the previous line (a hard-wrapped sentence).
     A text of a single such line is
     split into sentences instead: after ``.`` or ``;`` followed by spaces and an
     upper-case letter, a digit, ``(``, ``-`` or ``+``.
  5. Steps are numbered 0, 1, 2 … in order; a step's name is its text with spaces
     collapsed, trimmed (the marker stays in the name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TABLE_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
QUANTITY = re.compile(r"(\d) ?bản chính(?:, ?(\d+) ?bản sao)?")
STEP_MARKER = re.compile(r"Bước\s*(\d+)\s*[:.](?!\d)")
REFERENCE_WORDS = ("tại", "như", "theo", "ở", "của", "và")
SENTENCE_BREAK = re.compile(r"(?<=[.;])\s+(?=[A-ZÀ-ỸĐ0-9(\-+])")
HAS_TEXT = re.compile(r"[0-9A-Za-zÀ-ỹĐđ]")


@dataclass(frozen=True)
class ComponentRow:
    index: int
    name: str
    group: str
    originals: int
    copies: int


@dataclass(frozen=True)
class Step:
    index: int
    name: str


def _clean(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def _is_quantity_cell(piece: str, match: re.Match[str]) -> bool:
    after = piece[match.end() : match.end() + 1]
    if after and (after.isspace() or after in ".;:,)"):
        return False
    start = match.start()
    if piece[start] != "0" and start >= 1 and piece[start - 1] == "0":
        before_zero = piece[start - 2] if start >= 2 else ""
        if not before_zero.isdigit():
            return False
    return True


def component_rows(text: str) -> list[ComponentRow]:
    """The record's component rows in published order (empty when it has no table)."""
    pieces = text.replace("\xa0", " ").split(TABLE_HEADER)
    rows: list[ComponentRow] = []
    group = _clean(pieces[0])
    for piece in pieces[1:]:
        position = 0
        for match in QUANTITY.finditer(piece):
            if match.start() < position or not _is_quantity_cell(piece, match):
                continue
            rows.append(
                ComponentRow(
                    index=len(rows),
                    name=_clean(piece[position : match.start()]),
                    group=group,
                    originals=int(match.group(1)),
                    copies=int(match.group(2) or 0),
                )
            )
            position = match.end()
        group = _clean(piece[position:])
    return rows


def _markers(text: str) -> list[re.Match[str]]:
    found = []
    for match in STEP_MARKER.finditer(text):
        words = text[: match.start()].split()
        if words and words[-1].lower() in REFERENCE_WORDS:
            continue
        found.append(match)
    return found


def _continues(line: str) -> bool:
    head = line.lstrip()
    return head[:1].islower() and head[1:2] not in (")", ".")


def _joined_lines(text: str) -> list[str]:
    parts: list[str] = []
    for line in text.split("\n"):
        if not HAS_TEXT.search(line):
            continue
        if parts and _continues(line):
            parts[-1] = parts[-1] + " " + line
        else:
            parts.append(line)
    return parts


def steps(text: str) -> list[Step]:
    """The record's steps in published order."""
    text = text.replace("\xa0", " ")
    markers = _markers(text)
    if markers:
        ends = [m.start() for m in markers[1:]] + [len(text)]
        parts = [text[m.start() : end] for m, end in zip(markers, ends, strict=True)]
    else:
        parts = _joined_lines(text)
        if len(parts) == 1:
            parts = [s for s in SENTENCE_BREAK.split(parts[0]) if HAS_TEXT.search(s)]
    return [Step(index=i, name=_clean(part)) for i, part in enumerate(parts)]
