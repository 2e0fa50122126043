"""Trình tự thực hiện: the steps of a record and what each one does.

**Steps** (the same rules as the labelled sample, ``bench/labels``):

1. A *step marker* is ``Bước`` (capital B), a number, then ``:`` or ``.`` not followed by a
   digit, unless the word before it makes it a reference ("tại", "như", "theo", "ở",
   "của", "và": "thực hiện như Bước 2.").
2. With markers, each marker starts a step that runs to the next one; text before the
   first marker is a preamble, not a step.
3. Without markers, each line with a letter or digit is a step, except that a line
   starting with a lower-case letter not followed by ")" or "." continues the previous
   one (a hard-wrapped sentence; "b)" still starts a step); a single line is cut into
   sentences (after ``.`` or ``;``, spaces, then a capital, a digit, "(", "-" or "+").
4. Steps are numbered 0, 1, 2 … (``source_index``). In the structured shape the list
   items are the steps.

**What a step does** (:func:`read_step`): the actor is the first one the text names
(an organisation written with a capital — "Sở Tư pháp", "Cục Hàng không" — is the agency
that settles the procedure; "Tổ chức, cá nhân" the applicant; "Bộ phận Một cửa" the
desk; "Chủ tịch", "Giám đốc" the leader); the kind is the first action phrase
(``data/catalogue_vocabulary.json``). Presence the law requires (fingerprints, site
inspection, signing in front of an official, exams, physical checks) is read from its
phrases and marks the step ``required_by_law`` with the words as evidence, unless the
phrase is negated ("không phải kiểm tra thực tế"); a negated or doubtful mention still
keeps the step from being proposed for removal or online. "Trực tiếp", "xuất trình"
without an online channel in the same step make it ``required`` (a paper habit the law
does not impose). The supplement loop and the refusal branch are read from their phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .channels import UNITS, Duration
from .shape import pick
from .text import clean, fold
from .vocabulary import Vocabulary

STEP_MARKER = re.compile(r"Bước\s*(\d+)\s*[:.](?!\d)")
REFERENCE_WORDS = ("tại", "như", "theo", "ở", "của", "và")
_SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-ZÀ-ỸĐ0-9(\-+])")
_HAS_TEXT = re.compile(r"[0-9A-Za-zÀ-ỹĐđ]")
# an organisation named with a capital: the agency that settles the procedure
_AGENCY = re.compile(
    r"\b(Sở|Phòng|Cục|Chi cục|Vụ|Tổng cục|Bộ(?! phận)|Ban|Ủy ban|Uỷ ban|UBND|Công an|"
    r"Ngân hàng Nhà nước|Thuế|Hải quan|Kho bạc|Văn phòng|Trung tâm|Cảng vụ|Tòa án|Toà án|"
    r"Viện|Thanh tra|Bảo hiểm xã hội|Đại sứ quán|Cơ quan đại diện|Hội đồng)\b"
    r"(?=\s+[A-ZĐÀ-Ỹa-zđ])"
)
_AGENCY_KINDS = frozenset({"verify", "appraise", "inspect", "approve"})
_CLAUSE_MARKS = re.compile(r"[.;:,()]")
_NEGATION = re.compile(
    r"\b(không|không phải|không cần|không yêu cầu|không bắt buộc|không phải qua|miễn|chưa)\s*$"
)
_TIME_IN_TEXT = re.compile(
    r"(\d+)\s*(?:\([^)]{0,30}\)\s*)?(ngày làm việc|ngày|giờ làm việc|giờ|tháng)", re.IGNORECASE
)


@dataclass(frozen=True)
class StepRow:
    index: int
    text: str


@dataclass
class Step:
    """A step read: kind, actor, presence, with the words that justify each."""

    row: StepRow
    kind: str
    actor: str  # citizen | one_stop_desk | specialist | leader | other_agency | postal
    presence: str  # none | required | required_by_law
    kind_words: str = ""
    presence_reason: str = ""
    presence_words: str = ""
    presence_doubt: str = ""  # a presence phrase that was negated, or a physical object named
    confidence: float = 0.5
    evidence: list[str] = field(default_factory=list)
    supplement: bool = False
    refusal: bool = False
    online: bool = False
    agency: str = ""  # the organisation the text names, if any
    time: Duration | None = None  # a time limit the step states
    channels: frozenset[str] = frozenset()  # the channels its opening condition names
    mentions: frozenset[str] = frozenset()  # the channels named anywhere in it

    @property
    def index(self) -> int:
        return self.row.index

    @property
    def text(self) -> str:
        return self.row.text

    @property
    def actionable(self) -> bool:
        """Whether the step is a task of its own (not a sub-item or a remark)."""
        return self.kind != "other" or self.presence == "required_by_law"


def _markers(text: str) -> list[re.Match[str]]:
    found = []
    for m in STEP_MARKER.finditer(text):
        words = text[: m.start()].split()
        if words and words[-1].lower() in REFERENCE_WORDS:
            continue
        found.append(m)
    return found


def _continues(line: str) -> bool:
    """A hard-wrapped line: it starts with a lower-case letter that is not an enumerator."""
    head = line.lstrip()
    return head[:1].islower() and head[1:2] not in (")", ".")


def _joined_lines(text: str) -> list[str]:
    parts: list[str] = []
    for line in text.split("\n"):
        if not _HAS_TEXT.search(line):
            continue
        if parts and _continues(line):
            parts[-1] += " " + line
        else:
            parts.append(line)
    return parts


def split_steps(value: object) -> list[StepRow]:
    """The steps of a record, numbered in published order."""
    if isinstance(value, list):
        items = [
            pick(i, "ten_buoc", "name", "mo_ta", "text", "Tên bước", "Mô tả")
            if isinstance(i, dict)
            else str(i)
            for i in value
        ]
        return [StepRow(i, clean(t)) for i, t in enumerate(x for x in items if clean(x))]
    text = str(value or "").replace("\xa0", " ")
    markers = _markers(text)
    if markers:
        ends = [m.start() for m in markers[1:]] + [len(text)]
        parts = [text[m.start() : end] for m, end in zip(markers, ends, strict=True)]
    else:
        parts = _joined_lines(text)
        if len(parts) == 1:
            parts = [s for s in _SENTENCE.split(parts[0]) if _HAS_TEXT.search(s)]
    return [StepRow(i, clean(p)) for i, p in enumerate(parts)]


def _actor(vocab: Vocabulary, text: str, folded: str) -> tuple[str, str, int]:
    """(role, words, position) of the first actor the text names. "Tổ chức" followed by
    an action ("Tổ chức kiểm tra sức khỏe", "tổ chức thi") is the verb "organise", not
    the applicant organisation."""
    hit = vocab.actors.first(folded, folded=True)
    if hit and hit.words == "tổ chức" and _organises(vocab, folded[hit.end + 1 :]):
        hit = None  # the agency organises: no applicant named
    agency = _AGENCY.search(text)
    if agency:
        agency_pos = len(fold(text[: agency.start()]))
        if hit is None or agency_pos < hit.start:
            return "specialist", agency.group(0), agency_pos
    if hit:
        return hit.key, hit.words, hit.start
    return "", "", -1


def clauses(text: str) -> str:
    """The folded text with its clauses kept apart by " ; " (a phrase never spans two, and
    the words before a phrase are those of its own clause).

    >>> clauses("Kiểm tra hồ sơ; kiểm tra thực địa.")
    'kiểm tra hồ sơ ; kiểm tra thực địa'
    """
    return " ; ".join(f for f in (fold(p) for p in _CLAUSE_MARKS.split(text)) if f)


def _organises(vocab: Vocabulary, rest: str) -> bool:
    """Whether the words after "tổ chức" start with an action of the agency (checking,
    appraising, inspecting, an exam or visit), not the organisation's own filing."""
    kind = vocab.kinds.first(rest[:40], folded=True)
    if kind is not None and kind.start == 0 and kind.key in _AGENCY_KINDS:
        return True
    presence = vocab.presence_by_law.first(rest[:40], folded=True)
    return presence is not None and presence.start == 0


def _presence(vocab: Vocabulary, folded: str) -> tuple[str, str, str]:
    """(reason, words, doubt) of presence the law requires; doubt when negated, nothing when
    the phrase only names a paper, a fee, a body or a registration after the act ("hồ sơ
    đăng ký dự thi", "giấy chứng nhận kiểm định", "Hội đồng khám sức khỏe")."""
    doubt = ""
    for hit in vocab.presence_by_law.all(folded, folded=True):
        before = folded[max(0, hit.start - 24) : hit.start].split()
        if {before[-1] if before else "", " ".join(before[-2:])} & vocab.presence_named_after:
            continue
        if _NEGATION.search(folded[max(0, hit.start - 24) : hit.start]):
            doubt = doubt or hit.words
            continue
        return hit.key, hit.words, doubt
    return "", "", doubt


def read_step(row: StepRow, vocab: Vocabulary) -> Step:
    """What one step does (see the module's rules)."""
    text = re.sub(r"^[\s\-+*•–.a-zđ0-9)]{0,5}(?=\S)", "", row.text)
    text = re.sub(r"^(Bước\s*\d+\s*[:.]\s*)", "", text)
    folded = fold(text)
    role, actor_words, actor_pos = _actor(vocab, text, folded)
    kind_hit = vocab.kinds.first(folded, folded=True)
    kind = kind_hit.key if kind_hit else "other"
    step = Step(row, kind, role or "specialist", "none")
    if kind_hit:
        step.kind_words = kind_hit.words
        step.evidence.append(f"việc: “{kind_hit.words}”")
        step.confidence = 0.7 if actor_pos >= 0 else 0.55
    if actor_words:
        step.evidence.append(f"người thực hiện: “{actor_words}”")
        step.agency = actor_words if role == "specialist" else ""
    reason, words, doubt = _presence(vocab, clauses(text))
    physical = vocab.physical.first(folded, folded=True)
    step.presence_doubt = doubt or (physical.words if physical else "")
    if reason:
        step.presence, step.presence_reason, step.presence_words = "required_by_law", reason, words
        step.evidence.append(f"có mặt theo quy định: “{words}” ({reason})")
        if kind in ("other", "verify", "appraise") and "thực tế" in reason:
            step.kind = "inspect"
    step.online = vocab.online.first(folded, folded=True) is not None
    if step.presence == "none" and vocab.in_person.first(folded, folded=True) and not step.online:
        step.presence = "required"
        step.evidence.append("chỉ nêu cách làm trực tiếp, không có kênh trực tuyến")
    step.supplement = vocab.supplement.first(folded, folded=True) is not None
    step.refusal = vocab.refusal.first(folded, folded=True) is not None
    if step.actor == "citizen" and kind in ("receive", "verify", "appraise", "approve", "sign"):
        step.kind = "submit" if kind != "receive" else "deliver_result"
    if step.actor == "postal":
        step.kind = "handoff" if kind == "other" else kind
    step.channels = channels_of(vocab, folded)
    step.mentions = frozenset(vocab.channels.keys(folded, folded=True))
    time = _TIME_IN_TEXT.search(text)
    if time:
        step.time = Duration(
            float(time.group(1)), UNITS[time.group(2).lower()], clean(time.group(0))
        )
    return step


def channels_of(vocab: Vocabulary, folded: str) -> frozenset[str]:
    """The channels a step's opening condition names: "Nếu lựa chọn hình thức nộp hồ sơ
    trực tiếp, …" → {"in_person"}; "Trường hợp nộp trực tiếp hoặc qua bưu chính: …" →
    {"in_person", "postal"}; a step that does not open with such a condition → {}."""
    cond = vocab.channel_condition.first(folded[:40], folded=True)
    if cond is None or len(folded[: cond.start].split()) > 3:
        return frozenset()
    act = vocab.channel_act.first(folded[cond.end : cond.end + 40], folded=True)
    if act is None:
        return frozenset()
    start = cond.end + act.end
    return frozenset(h.key for h in vocab.channels.all(folded[start:120], folded=True))


def channel_runs(steps: list[Step]) -> dict[int, int]:
    """Steps that are alternatives for different channels: index → the index of the first
    step of its run. A run is two or more consecutive steps whose openings name different
    channels, with the steps of the same actor right after an alternative that continue
    it in that channel (no condition of their own, the channel named in the text)."""
    runs: dict[int, int] = {}
    i = 0
    while i < len(steps):
        first, seen, j = steps[i], set(steps[i].channels), i + 1
        if not first.channels:
            i += 1
            continue
        members = [i]
        while j < len(steps):
            step = steps[j]
            if step.channels and not step.channels & seen:
                seen |= step.channels
            elif not (step.channels or _continues_channel(steps[members[-1]], step)):
                break
            members.append(j)
            j += 1
        if len({frozenset(steps[m].channels) for m in members if steps[m].channels}) > 1:
            runs.update({m: i for m in members})
            i = j
        else:
            i += 1
    return runs


def _continues_channel(alternative: Step, step: Step) -> bool:
    """A step of the same actor right after an alternative, in its channel ("Người yêu cầu
    … trực tuyến cung cấp thông tin …" after "Nếu lựa chọn … nộp hồ sơ trực tuyến")."""
    return step.actor == alternative.actor and bool(step.mentions & alternative.channels)


def apply_procedure_presence(name: str, steps: list[Step], vocab: Vocabulary) -> None:
    """Mark the steps a law requires in person for this kind of procedure (e.g. both parties
    sign the register at a marriage registration, Luật Hộ tịch 2014 Art. 18), whatever the
    step text says (``presence_by_procedure`` of the vocabulary)."""
    for procedure, step_words, reason, source in vocab.presence_by_procedure:
        if procedure.first(name) is None:
            continue
        for step in steps:
            hit = step_words.first(step.text)
            if hit is None or step.presence == "required_by_law":
                continue
            step.presence, step.presence_reason, step.presence_words = (
                "required_by_law",
                reason,
                hit.words,
            )
            step.evidence.append(f"có mặt theo quy định: {reason} ({source})")
