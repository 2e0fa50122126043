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
_IDENTITY = frozenset({"identity_card", "identity_papers", "passport"})
_CARDS = _IDENTITY - {"passport"}  # names of a Vietnamese identity paper
_NOT_A_PAPER = ("hồ sơ",)  # "chuẩn bị hồ sơ": the dossier itself, not a paper in it
# an exclusion clause, to the next ";", ":", ")" or ", " (not "khấu trừ", "nước ngoài")
_EXCLUSION = re.compile(
    r"(?<!khấu )(?<!giảm )(?<!nước )(?<!người )(?<!bên )(?<!Nước )"
    r"\b(?:ngoại trừ|trừ|không bao gồm|ngoài)\b(?! trường hợp)[^;:()]*?(?=[;:)]|,\s|$)",
    re.IGNORECASE,
)
_ITEMS = re.compile(
    r";\s*|,\s+(?=[A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ])"
)
_CLAUSES = re.compile(r"[.;:()]\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ\-+])")
_PARENTHESIS = re.compile(r"\([^()]*\)")
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
    foreign: bool = False  # disqualified because the paper is a foreigner's or foreign
    alternatives: dict[str, str] = field(default_factory=dict)  # other papers: type → words
    covered: frozenset[str] = frozenset()  # types the row's support sentence covers

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


def own_text(text: str) -> str:
    """The row without its exclusion clauses: papers named after "trừ", "ngoại trừ",
    "không bao gồm" or a leading "ngoài" ("besides") are not asked for by the row.

    >>> own_text("Giấy tờ chứng minh người phụ thuộc (trừ bản chụp giấy khai sinh)")
    'Giấy tờ chứng minh người phụ thuộc ( )'
    >>> own_text("Trường hợp X thì ngoài bản sao Giấy khai sinh, phải có ý kiến của chủ hộ")
    'Trường hợp X thì , phải có ý kiến của chủ hộ'
    """
    return clean(_EXCLUSION.sub(" ", text))


def _words_before(folded: str, start: int) -> tuple[str, str]:
    words = folded[:start].split()
    return (words[-1] if words else ""), " ".join(words[-2:])


def is_mention(vocab: Vocabulary, folded: str, hit: Hit) -> bool:
    """Whether a document name is mentioned rather than asked for: a data source or place
    ("khai thác trong căn cước điện tử", "Cơ sở dữ liệu căn cước công dân"), a
    certification ("có chứng nhận của …") or the procedure's own result ("hồ sơ cấp Giấy
    xác nhận …"); the word(s) right before it decide (``paper_mentions`` of the vocabulary).
    """
    one, two = _words_before(folded, hit.start)
    if one in vocab.source_before or two in vocab.source_before:
        return True
    if hit.words in vocab.certification_names and one in vocab.certification_before:
        return True
    return hit.start > 0 and (one in vocab.result_before or two in vocab.result_before)


def named_papers(vocab: Vocabulary, folded: str) -> list[Hit]:
    """The specific document names a (folded) row asks for, in order (mentions left out)."""
    return [h for h in vocab.documents.all(folded, folded=True) if not is_mention(vocab, folded, h)]


def _same_paper(vocab: Vocabulary, chosen: Hit, other: Hit, folded: str) -> bool:
    """Two names of one paper: the same type, two names of an identity paper, or a passport
    named as Vietnamese beside an identity card (a citizen's paper, not a foreign one)."""
    if other.key == chosen.key or {chosen.key, other.key} <= _CARDS:
        return True
    if other.key == "passport" and chosen.key in _IDENTITY:
        return vocab.vietnamese_passport.first(folded[other.start :][:40], folded=True) is not None
    return False


def _document(vocab: Vocabulary, folded: str) -> tuple[Hit | None, list[Hit]]:
    """The earliest specific document name (a generic one only when nothing else), and the
    other papers the row names beside it."""
    leading = named_papers(vocab, folded)
    specific = [h for h in leading if vocab.document_class(h.key) != "declaration"]
    generic = vocab.generic_documents.first(folded, folded=True) if not leading else None
    chosen = leading[0] if leading else generic
    if chosen and chosen.key == "passport":  # "Hộ chiếu/Thẻ căn cước": an identity paper
        chosen = next((h for h in specific if h.key in _IDENTITY - {"passport"}), chosen)
    if chosen is None:
        return None, []
    others = [h for h in specific if not _same_paper(vocab, chosen, h, folded)]
    return chosen, others


def _bundled(vocab: Vocabulary, text: str, chosen: Hit) -> str:
    """Another paper heading an item of the row's list ("…, Tài liệu chứng minh X; Giấy
    chứng tử …"): the row bundles several papers. Items are cut at ";" and at a comma
    before a capital."""
    for item in _ITEMS.split(text):
        folded = fold(item)
        papers = named_papers(vocab, folded) or [
            h for h in [vocab.generic_documents.first(folded, folded=True)] if h
        ]
        head = papers[0] if papers else None
        if head is None or head.start > 30 or head.key == chosen.key:
            continue
        if vocab.document_class(head.key) == "registry":
            continue  # another database's paper: an alternative the record checks
        if {head.key, chosen.key} <= _CARDS or any(h.key == chosen.key for h in papers):
            continue
        return head.words
    return ""


def support_coverage(
    vocab: Vocabulary, text: str, *, whole: bool = False
) -> tuple[str, frozenset[str]]:
    """(words, types): the phrase saying the agency reads the data itself, and the document
    types named in the same clause (cut at ``.;:()``; the whole text for a note, which is
    one statement) — what that sentence covers."""
    words, covered = "", set[str]()
    for clause in [text] if whole else _CLAUSES.split(text):
        folded = fold(clause)
        hit = vocab.database_support.first(folded, folded=True)
        if hit is None:
            continue
        words = words or hit.words
        covered.update(h.key for h in vocab.documents.all(folded, folded=True))
    if "identity_card" in covered:
        # "Giấy tờ tùy thân: đối với CCCD, thẻ căn cước … chỉ nộp khi không khai thác được":
        # the cards named are covered, not every identity paper (a passport may be one)
        covered.discard("identity_papers")
    return words, frozenset(covered)


def head_sentence(vocab: Vocabulary, text: str) -> str:
    """The sentence that names the row's paper: the first one, without a parenthesis that
    says the agency reads data itself. Later sentences are fallbacks, examples and notes
    ("Trường hợp không khai thác được … thì xuất trình …", "Ví dụ: … giấy khai sinh …"):
    a paper named only there is not the row's own. "Giấy tờ chứng minh quan hệ (không yêu
    cầu khi khai thác được thông tin về giấy khai sinh). Ví dụ: giấy khai sinh" has the
    head "Giấy tờ chứng minh quan hệ".
    """
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    kept = _PARENTHESIS.sub(
        lambda m: " " if vocab.database_support.first(m.group(0)) else m.group(0), first
    )
    return clean(kept).rstrip(" .;,")


def _demands_paper(vocab: Vocabulary, folded: str) -> bool:
    """Whether a case sentence's consequence asks the dossier for a named paper ("Trường
    hợp … thì hồ sơ phải kèm theo bản sao thẻ Căn cước"), not for showing one at a desk
    nor for generic "giấy tờ"."""
    then = folded.find(" thì ")
    demand = vocab.demands.first(folded[then:], folded=True) if then >= 0 else None
    if demand is None:
        return False
    start = then + demand.end
    return any(
        vocab.document_class(h.key) != "declaration"
        for h in named_papers(vocab, folded[start : start + 60])
    )


def _note_role(vocab: Vocabulary, row: ComponentRow, folded: str) -> str | None:
    if row.name.rstrip().endswith(":"):
        return "case_heading"
    starts_with_case = vocab.case_words.first(folded[:20], folded=True) is not None
    nothing = row.originals == 0 and row.copies == 0
    names = not starts_with_case and bool(named_papers(vocab, folded[:60]))
    asks = starts_with_case and _demands_paper(vocab, folded)
    if nothing and not names and not asks:
        return "note"  # nothing to hand in: a remark, unless it plainly asks for a paper
    exempt = vocab.exemptions.first(folded, folded=True)
    if exempt and starts_with_case:
        return "note"
    instruction = vocab.instructions.first(folded, folded=True)
    if instruction and instruction.start < 12:
        return "note"
    actor = vocab.actors.first(folded[:40], folded=True)
    generic = vocab.generic_documents.first(folded[:40], folded=True)
    if (
        actor
        and actor.start == 0
        and not named_papers(vocab, folded[:40])
        and (generic is None or generic.words in _NOT_A_PAPER)
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
    own = own_text(text)
    case, body = "", own
    if vocab.case_words.first(folded[:20], folded=True):
        split = _CASE_SPLIT.search(own)
        if split:
            case = clean(own[: split.start()])
            body = own[split.end() :] or own
    head = head_sentence(vocab, body)
    hit, others = _document(vocab, fold(head))
    if hit is None:  # no paper of its own in the head: at most a generic one ("giấy tờ …")
        hit, others = vocab.generic_documents.first(fold(own), folded=True), []
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
        _alternatives(vocab, comp, head, hit, others)
    surrendered = vocab.surrendered.first(folded, folded=True)
    if surrendered and comp.document_class in ("result", "registry"):
        comp.surrendered = True
        comp.evidence.append(f"“{surrendered.words}”: bản chính nộp lại cho cơ quan")
    disq = vocab.disqualifiers.first(folded, folded=True)
    if disq:
        comp.disqualified = disq.key
        comp.foreign = disq.key == vocab.foreign_reason
        comp.evidence.append(f"“{disq.words}”: {disq.key}")
    comp.database_support, comp.covered = support_coverage(vocab, text)
    if comp.database_support:
        comp.evidence.append(f"văn bản nêu “{comp.database_support}”: cơ quan khai thác dữ liệu")
    comp.replaceable_type = replaceable_type(comp, vocab)
    return comp


def _alternatives(vocab: Vocabulary, comp: Component, text: str, hit: Hit, others: list) -> None:
    """The other papers a row names beside its own: a database's paper is kept for the
    record to check (same database or not, ``applicants.py``); any other paper, a
    catch-all ("hoặc giấy tờ hợp lệ khác") or another list item makes the row mixed."""
    comp.alternatives = {h.key: h.words for h in others}
    plain = next((h.words for h in others if vocab.document_class(h.key) != "registry"), "")
    catch_all = vocab.alternatives.first(fold(text), folded=True)
    mixed = plain or (catch_all.words if catch_all else "") or _bundled(vocab, text, hit)
    if vocab.document_class(hit.key) in ("registry", "registry_mixed") and mixed:
        comp.mixed = mixed
        comp.evidence.append(f"dòng nêu giấy tờ thay thế khác: “{mixed}”")


def replaceable_type(
    comp: Component, vocab: Vocabulary, record_covers: frozenset[str] = frozenset()
) -> str | None:
    """The document type a national database may stand in for: a database's paper named
    alone; or named with alternatives when the text says the agency reads every paper it
    names (a catch-all "giấy tờ khác" is then the fallback Resolution 66.7 keeps); generic
    identity papers only when the text says the agency reads those; never a foreigner's
    paper, an original taken back, or one the record context rules out."""
    if comp.disqualified or comp.surrendered or comp.document_type is None:
        return None
    entry = vocab.document_types[comp.document_type]
    covers = comp.covered | record_covers
    if entry.cls == "registry":
        if not comp.mixed:
            return comp.document_type
        named = {comp.document_type, *comp.alternatives}
        return comp.document_type if named <= covers | _covered_alias(covers) else None
    if entry.cls == "registry_mixed" and entry.as_type and comp.document_type in covers:
        return entry.as_type
    return None


def _covered_alias(covers: frozenset[str]) -> set[str]:
    """An identity card covered covers its other names."""
    return set(_CARDS) if covers & _CARDS else set()


def role_vi(role: str) -> str:
    return {
        "case_heading": "tiêu đề trường hợp",
        "note": "ghi chú, điều kiện",
        "document": "giấy tờ",
    }[role]
