"""Thành phần hồ sơ: the component rows of a record and what each one is.

**Rows** (flattened shape; the same rules as the labelled sample, ``bench/labels``):

1. The text is cut at every table header ``Tên giấy tờMẫu đơn, tờ khaiSố lượng``; the
   text before the first header, and after the last row of each table, is the heading
   of the next group (a case, "Trường hợp …", or "Giấy tờ phải xuất trình:").
2. A row ends at its *quantity cell*: one digit, ``bản chính``, optionally ``,`` + a
   number + ``bản sao`` ("1 bản chính", "0 bản chính,1 bản sao"), when the next character
   is not a space nor one of ``.;:,)`` (a quantity in running text, "nộp 1 bản chính.",
   is not a cell) and the digit is not the second digit of a zero-padded "01", "02".
3. Rows are numbered 0, 1, 2 … across the record in the order published
   (``source_index``); a row's name is its text without the quantity cell. A form
   template file name run into the name ("…Mẫu TP-HGTM-02.docx") is kept in the name as
   published and also read as the row's template.

In the structured shape, rows are a list (each a dict with the name, template, quantity
and case, or a group with a case and its own list of rows).

**What a row is** (:func:`read_component`): a *case heading* (ends with ":"), a *note*
(quantity 0 and 0, unless it plainly names a paper in its first words; or a case sentence that exempts — "Trường hợp … thì không phải nộp" —
or an instruction to officers — "Người tiếp nhận hồ sơ khai thác …"), or a *document*.
A document's type is the earliest specific name of the vocabulary
(``data/catalogue_vocabulary.json``) in its text, after the case clause of a row that
starts with "Trường hợp … thì"; generic words ("giấy tờ", "bản sao") count only when
nothing specific is named. A row naming both an identity card and a passport as
alternatives ("Hộ chiếu/Thẻ căn cước …") is an identity card. The copy form comes from
the name, else from the quantity. Words that disqualify a national-database match
(a foreigner's papers, a consular legalisation) and words that say the agency reads the
data itself ("chỉ nộp trong trường hợp … không khai thác được") are kept as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .shape import pick
from .text import Hit, clean, fold
from .vocabulary import Vocabulary

TABLE_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_QUANTITY = re.compile(r"(\d) ?bản chính(?:, ?(\d+) ?bản sao)?")
_EXTENSION = re.compile(r"\.(?:docx|doc|xlsx|xls|pdf|rar|zip)(?![A-Za-z])", re.IGNORECASE)
_GLUED = re.compile(r"[a-zà-ỹđ.)][A-ZĐÀ-Ỹ]")
_TEMPLATE_START = re.compile(r"(Mẫu|Mau|mẫu|mau|MẪU|MAU|Phụ lục|Phu luc|PL|TK|Form)\b")
_GENERIC = "evidence"
_ALTERNATIVE = re.compile(r"\bhoặc\b|/|\bhay\b")
_CASE_SPLIT = re.compile(r"\b(thì|phải|nộp thêm|bổ sung|kèm theo)\b|:")


@dataclass(frozen=True)
class ComponentRow:
    """One row of thành phần hồ sơ as published."""

    index: int
    name: str
    group: str
    originals: int
    copies: int
    template: str = ""
    quantity_text: str = ""


@dataclass
class Component:
    """A row read: what it is, its document type, copy form and evidence."""

    row: ComponentRow
    role: str  # document | case_heading | note
    document_type: str | None = None
    document_class: str | None = None
    copy: str = "original"
    confidence: float = 0.0
    evidence: list[str] = field(default_factory=list)
    disqualified: str = ""  # why no national database may replace it
    mixed: str = ""  # another paper named as an alternative ("… hoặc …")
    surrendered: bool = False  # an original taken back by the agency (old licence)
    database_support: str = ""  # words saying the agency reads the data itself
    conditional: bool = False
    case: str = ""
    replaceable_type: str | None = None  # the type a database may stand in for, if any

    @property
    def index(self) -> int:
        return self.row.index

    @property
    def name(self) -> str:
        return self.row.name


def _is_quantity_cell(piece: str, m: re.Match[str]) -> bool:
    after = piece[m.end() : m.end() + 1]
    if after and (after.isspace() or after in ".;:,)"):
        return False
    start = m.start()
    zero_padded = (
        piece[start] != "0"
        and start >= 1
        and piece[start - 1] == "0"
        and not (start >= 2 and piece[start - 2].isdigit())
    )
    return not zero_padded


def template_of(name: str) -> str:
    """The form template files named in a row ("" when none).

    A file name is run into the row's text; it starts at "Mẫu"/"Phụ lục" when one of
    them comes shortly before the extension, else after the last ";", ":", bracket, the
    previous file name, or a lower-case letter glued to a capital.

    >>> template_of("Giấy đề nghị thành lập Trung tâm theo mẫuMẫu TP-HGTM-02.docx")
    'Mẫu TP-HGTM-02.docx'
    """
    out = []
    previous = 0
    for m in _EXTENSION.finditer(name):
        window_start = max(previous, m.start() - 120)
        window = name[window_start : m.start()]
        starts = list(_TEMPLATE_START.finditer(window))
        if starts:
            begin = starts[-1].start()
        else:
            cuts = [i + 1 for i, ch in enumerate(window) if ch in ";:()"]
            cuts += [g.start() + 1 for g in _GLUED.finditer(window)]
            begin = max(cuts, default=0)
        out.append(clean(name[window_start + begin : m.end()]))
        previous = m.end()
    return "; ".join(f for f in out if f)


def split_rows(value: object) -> list[ComponentRow]:
    """The component rows of a record, numbered in published order."""
    if isinstance(value, list):
        return _structured_rows(value)
    pieces = str(value or "").replace("\xa0", " ").split(TABLE_HEADER)
    rows: list[ComponentRow] = []
    group = clean(pieces[0])
    for piece in pieces[1:]:
        position = 0
        for m in _QUANTITY.finditer(piece):
            if m.start() < position or not _is_quantity_cell(piece, m):
                continue
            name = clean(piece[position : m.start()])
            rows.append(
                ComponentRow(
                    len(rows),
                    name,
                    group,
                    int(m.group(1)),
                    int(m.group(2) or 0),
                    template_of(name),
                    m.group(0),
                )
            )
            position = m.end()
        group = clean(piece[position:])
    return rows


def _structured_rows(items: list, group: str = "", rows: list | None = None) -> list:
    rows = [] if rows is None else rows
    for item in items:
        if isinstance(item, str):
            rows.append(ComponentRow(len(rows), clean(item), group, 1, 0))
            continue
        if not isinstance(item, dict):
            continue
        case = clean(pick(item, "truong_hop", "Trường hợp", "case", "group"))
        inner = next((v for k, v in item.items() if isinstance(v, list)), None)
        if inner is not None:
            _structured_rows(inner, case or group, rows)
            continue
        name = clean(pick(item, "ten_giay_to", "Tên giấy tờ", "name", "ten"))
        template = clean(pick(item, "mau_don", "Mẫu đơn, tờ khai", "template", "mau_don_to_khai"))
        quantity = clean(pick(item, "so_luong", "Số lượng", "quantity"))
        originals, copies = parse_quantity(quantity)
        rows.append(
            ComponentRow(
                len(rows),
                name,
                case or group,
                originals,
                copies,
                template or template_of(name),
                quantity,
            )
        )
    return rows


def parse_quantity(text: str) -> tuple[int, int]:
    """(originals, copies) of a quantity cell; "1 bản chính" when it says nothing readable.

    >>> parse_quantity("1 bản chính, 1 bản sao")
    (1, 1)
    >>> parse_quantity("02 bản sao")
    (0, 2)
    """
    text = clean(text).lower()
    originals = re.search(r"(\d+)\s*bản chính", text)
    copies = re.search(r"(\d+)\s*bản sao", text)
    if not originals and not copies:
        return 1, 0
    return (int(originals.group(1)) if originals else 0, int(copies.group(1)) if copies else 0)


def _copy_form(vocab: Vocabulary, folded: str, row: ComponentRow) -> str:
    hit = vocab.copies.first(folded, folded=True)
    if hit:
        return hit.key
    if row.originals == 0 and row.copies > 0:
        return "copy"
    return "original"


def _document(vocab: Vocabulary, folded: str) -> tuple[Hit | None, str]:
    """The earliest specific document name (a generic one only when nothing else), and
    the alternative paper a row also names, when it joins them with "hoặc" or "/"."""
    leading = vocab.documents.all(folded, folded=True)
    specific = [h for h in leading if vocab.document_class(h.key) != "declaration"]
    generic = vocab.generic_documents.first(folded, folded=True) if not leading else None
    chosen = leading[0] if leading else generic
    if chosen and chosen.key == "passport":  # "Hộ chiếu/Thẻ căn cước": an identity paper
        chosen = next(
            (h for h in specific if h.key in ("identity_card", "identity_papers")), chosen
        )
    other = ""
    if chosen and vocab.document_class(chosen.key) == "registry" and _ALTERNATIVE.search(folded):
        # an alternative that is itself a database's paper ("CCCD hoặc giấy khai sinh") keeps
        # the row whole; any other paper makes it mixed
        other = next(
            (
                h.words
                for h in specific
                if h.key != chosen.key and vocab.document_class(h.key) != "registry"
            ),
            "",
        )
        catch_all = vocab.alternatives.first(folded, folded=True)
        other = other or (catch_all.words if catch_all else "")
    return chosen, other


def _note_role(vocab: Vocabulary, row: ComponentRow, folded: str) -> str | None:
    if row.name.rstrip().endswith(":"):
        return "case_heading"
    starts_with_case = vocab.case_words.first(folded[:20], folded=True) is not None
    if row.originals == 0 and row.copies == 0:
        named = vocab.documents.first(folded[:60], folded=True)
        if starts_with_case or named is None:
            return "note"  # nothing to hand in: a remark, unless it plainly names a paper
    exempt = vocab.exemptions.first(folded, folded=True)
    if exempt and starts_with_case:
        return "note"
    instruction = vocab.instructions.first(folded, folded=True)
    if instruction and instruction.start < 12:
        return "note"
    actor = vocab.actors.first(folded[:40], folded=True)
    if (
        actor
        and actor.start == 0
        and vocab.documents.first(folded[:40], folded=True) is None
        and vocab.generic_documents.first(folded[:40], folded=True) is None
    ):
        return "note"  # "Công dân chuẩn bị hồ sơ …": an instruction, not a paper
    return None


def read_component(row: ComponentRow, vocab: Vocabulary) -> Component:
    """What one row is (see the module's rules)."""
    text = re.sub(r"^[\s\-+*•–.0-9a-zđ)]{0,6}(?=[A-ZĐÀ-Ỹ])", "", row.name)
    folded = fold(text)
    role = _note_role(vocab, row, folded)
    if role:
        return Component(row, role, case=row.group, evidence=[f"dòng {role_vi(role)}"])
    case = ""
    body = folded
    if vocab.case_words.first(folded[:20], folded=True):
        split = _CASE_SPLIT.search(text)
        if split:
            case = clean(text[: split.start()])
            body = fold(text[split.end() :]) or folded
    hit, other = _document(vocab, body)
    if hit is None:
        hit, other = _document(vocab, folded)
    in_case_group = vocab.case_words.first(fold(row.group)[:20], folded=True) is not None
    comp = Component(
        row,
        "document",
        case=case or row.group,
        conditional=bool(case) or in_case_group or "nếu có" in row.name.lower(),
    )
    comp.copy = _copy_form(vocab, folded, row)
    if hit:
        comp.document_type = hit.key
        comp.document_class = vocab.document_class(hit.key)
        comp.evidence.append(f"tên giấy tờ có “{hit.words}”")
        comp.confidence = 0.5 if comp.document_class == _GENERIC else 0.85
    if other:
        comp.mixed = other
        comp.evidence.append(f"dòng nêu giấy tờ thay thế khác: “{other}”")
    surrendered = vocab.surrendered.first(folded, folded=True)
    if surrendered and comp.document_class in ("result", "registry"):
        comp.surrendered = True
        comp.evidence.append(f"“{surrendered.words}”: bản chính nộp lại cho cơ quan")
    disq = vocab.disqualifiers.first(folded, folded=True)
    if disq:
        comp.disqualified = disq.key
        comp.evidence.append(f"“{disq.words}”: {disq.key}")
    support = vocab.database_support.first(folded, folded=True)
    if support:
        comp.database_support = support.words
        comp.evidence.append(f"văn bản nêu “{support.words}”: cơ quan khai thác dữ liệu")
    comp.replaceable_type = _replaceable_type(comp, vocab)
    return comp


def _replaceable_type(comp: Component, vocab: Vocabulary) -> str | None:
    """The document type a national database may stand in for: a database's paper named
    alone, or named among others when the text itself says the agency reads the data;
    never a foreigner's paper nor an original taken back."""
    if comp.disqualified or comp.surrendered or comp.document_type is None:
        return None
    entry = vocab.document_types[comp.document_type]
    if entry.cls == "registry":
        return comp.document_type if not comp.mixed or comp.database_support else None
    if entry.cls == "registry_mixed" and comp.database_support and entry.as_type:
        return entry.as_type
    return None


def role_vi(role: str) -> str:
    return {
        "case_heading": "tiêu đề trường hợp",
        "note": "ghi chú, điều kiện",
        "document": "giấy tờ",
    }[role]
