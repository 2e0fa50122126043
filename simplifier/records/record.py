"""One published procedure record, read: :func:`read_record`.

Takes the record as a dict in either shape (see :mod:`.shape`) and returns a
:class:`Record` with every section parsed, what each component and step is, the agency
mapped to the two-level government, and the list of what could not be read. A record
that cannot become a model raises :class:`RecordRefused` with a one-line reason.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .applicants import Applicants, read_applicants, settle_components
from .channels import Channel, Duration, parse_channels
from .components import Component, read_component, split_rows
from .legal import LegalDocument, issuer_of, parse_legal
from .shape import pick, sections
from .steps import Step, apply_procedure_presence, read_step, split_steps
from .text import clean, fold, informed
from .vocabulary import Vocabulary

CODE_RX = re.compile(r"^\d\.\d{6}$")
_RESULT_CODE = re.compile(r"Mã:\s*([A-Z0-9][A-Z0-9.\-]*[0-9])")
_RESULT_TAIL = re.compile(r"Từ khóa|Chọn cơ quan thực hiện")


class RecordRefused(ValueError):
    """A record that cannot become a model; the message is the one-line reason."""

    def __init__(self, reason: str, code: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class Result:
    """Kết quả thực hiện: the document the procedure issues, with its KQ code."""

    name: str
    code: str


@dataclass
class Record:
    """A procedure record read from the national portal (or its export)."""

    code: str
    name: str
    decision: str
    ministry: str
    levels: list[str]
    agency_level: str
    agency: str
    agency_note: str
    field: str
    kind: str
    subjects: str
    coordinating: str
    channels: list[Channel]
    components: list[Component]
    steps: list[Step]
    legal: list[LegalDocument]
    results: list[Result]
    conditions: str
    url: str
    shape: str  # flat | structured
    volume: int | None = None
    # ``dataclasses.field`` spelled out: mypy takes the ``field`` (lĩnh vực) annotation above
    # for the name in the class body
    problems: list[str] = dataclasses.field(default_factory=list)
    applicants: Applicants = dataclasses.field(default_factory=Applicants)

    @property
    def slug(self) -> str:
        return self.code

    def statutory_time(self) -> tuple[Duration | None, str]:
        """The time limit of the fastest channel that states one, and where it came from."""
        timed = [(c.time, c) for c in self.channels if c.time]
        if timed:
            time, best = min(timed, key=lambda tc: tc[0].calendar_days)
            return time, f"Cách thức thực hiện ({best.label}): {time.text}"
        stated = [(s.time, s) for s in self.steps if s.time]
        if stated:
            time, longest = max(stated, key=lambda ts: ts[0].calendar_days)
            return time, (
                f"Trình tự thực hiện, bước {longest.index + 1}: "
                f"“{time.text}” (ước tính: thời hạn dài nhất nêu trong các bước)"
            )
        return None, ""

    def fee(self) -> tuple[int | None, int | None, str]:
        """(amount, online amount, source) from the channels; None when not read."""
        paper = [
            c.fee.amount for c in self.channels if c.mode != "online" and c.fee.amount is not None
        ]
        online = [
            c.fee.amount for c in self.channels if c.mode == "online" and c.fee.amount is not None
        ]
        amount = max(paper) if paper else (max(online) if online else None)
        online_amount = min(online) if online else amount
        texts = {c.fee.text for c in self.channels if c.fee.text}
        return amount, online_amount, "Cách thức thực hiện: " + "; ".join(sorted(texts))


def _results(value: object) -> list[Result]:
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict):
                out.append(
                    Result(
                        clean(pick(item, "ten", "name", "Tên kết quả", "ten_ket_qua")),
                        clean(pick(item, "ma", "code", "Mã", "ma_ket_qua")),
                    )
                )
            else:
                out.append(Result(clean(item), ""))
        return [r for r in out if r.name]
    text = str(value or "")
    tail = _RESULT_TAIL.search(text)
    text = text[: tail.start()] if tail else text
    out, start = [], 0
    for m in _RESULT_CODE.finditer(text):
        name = clean(text[start : m.start()])
        start = m.end()
        if name:
            out.append(Result(name, m.group(1)))
        elif out and not out[-1].code:
            out[-1] = Result(out[-1].name, m.group(1))
    rest = clean(text[start:])
    if rest and rest != "Không có thông tin":
        out.append(Result(rest, ""))
    return out


def _level(vocab: Vocabulary, levels: list[str], agency: str) -> str:
    mapped = [m for lv in levels if (m := vocab.levels.get(fold(lv)))]
    agency_f = fold(agency)
    for level, words in (
        ("commune", ("cấp xã", "xã", "phường")),
        ("province", ("cấp tỉnh", "sở")),
        ("ministry", ("bộ", "cục", "tổng cục")),
    ):
        if level in mapped and any(re.search(rf"\b{w}\b", agency_f) for w in words):
            return level
    return mapped[0] if mapped else ""


def two_level_agency(vocab: Vocabulary, agency: str) -> tuple[str, str]:
    """The agency under the two-level government, and a note when it was rewritten."""
    new = agency
    for old, repl in vocab.district_rewrites:
        new = new.replace(old, repl)
    if new != agency:
        return new, f"cơ quan thực hiện ghi cấp huyện/thị trấn (“{agency}”), đổi thành “{new}”"
    return agency, ""


def read_record(
    raw: dict, vocab: Vocabulary, *, folder: str = "", holders: Mapping[str, str] | None = None
) -> Record:
    """Read one record (a dict in either shape). ``folder`` is the crawl folder it came from
    (a ministry's slug), used when the decision number names no ministry; ``holders`` maps a
    document type to the national database that holds it (``applicants.holders_of``; the
    vocabulary's own hints when not given)."""
    s = sections(raw)
    code, name = _code_and_name(s)
    step_rows = split_steps(s.get("steps"))
    comp_rows = split_rows(s.get("components"))
    if not step_rows and not comp_rows:
        raise RecordRefused("không có trình tự thực hiện và thành phần hồ sơ", code)
    shape = (
        "structured"
        if any(isinstance(s.get(k), list) for k in ("steps", "components", "channels"))
        else "flat"
    )
    decision = informed(s.get("decision"))
    levels = [clean(x) for x in re.split(r"[,;]", informed(s.get("levels"))) if clean(x)]
    agency_raw = (
        informed(s.get("agency")) or informed(s.get("competent")) or informed(s.get("authorised"))
    )
    agency, agency_note = two_level_agency(vocab, agency_raw)
    problems: list[str] = []
    if agency_note:
        problems.append(agency_note)
    if not agency:
        problems.append("không có cơ quan thực hiện")
    ministry = issuer_of(decision, vocab.issuers) or vocab.ministry_folders.get(folder, "")
    channels = parse_channels(s.get("channels"))
    if not channels:
        problems.append("không đọc được cách thức thực hiện (hình thức nộp, thời hạn, phí)")
    for ch in channels:
        problems.extend(ch.problems)
    record = Record(
        code=code,
        name=name,
        decision=decision,
        ministry=ministry,
        levels=levels,
        agency_level=_level(vocab, levels, agency),
        agency=agency,
        agency_note=agency_note,
        field=informed(s.get("field")),
        kind=informed(s.get("kind")),
        subjects=informed(s.get("subjects")),
        coordinating=informed(s.get("coordinating")),
        channels=channels,
        components=[read_component(r, vocab) for r in comp_rows],
        steps=[read_step(r, vocab) for r in step_rows],
        legal=parse_legal(
            informed(s.get("legal")) if isinstance(s.get("legal"), str) else s.get("legal")
        ),
        results=_results(s.get("results")),
        conditions=informed(s.get("conditions")) if isinstance(s.get("conditions"), str) else "",
        url=clean(s.get("url")),
        shape=shape,
        volume=_volume(s.get("volume")),
        problems=problems,
    )
    apply_procedure_presence(name, record.steps, vocab)
    record.applicants = read_applicants(name, record.subjects, vocab)
    hints = {t: d.registry for t, d in vocab.document_types.items() if d.registry}
    settle_components(record.components, record.applicants, vocab, holders or hints)
    _note_gaps(record)
    return record


def _code_and_name(s: dict) -> tuple[str, str]:
    """The record's code and name; raises :class:`RecordRefused` when either is missing or
    the code is not a national code."""
    code = clean(s.get("code"))
    name = clean(s.get("name"))
    if not code and not name:
        raise RecordRefused("không có mã và tên thủ tục")
    if not code:
        raise RecordRefused("không có mã thủ tục", code)
    if not CODE_RX.match(code):
        raise RecordRefused(f"mã thủ tục “{code[:40]}” không đúng dạng N.NNNNNN", code)
    if not name:
        raise RecordRefused("không có tên thủ tục", code)
    return code, name


def _note_gaps(record: Record) -> None:
    """List what the record leaves out among its problems; an unknown level is read as
    the province's."""
    problems = record.problems
    if not record.agency_level:
        levels = ", ".join(record.levels)
        problems.append(f"cấp thực hiện “{levels}” không xác định; coi là cấp tỉnh")
        record.agency_level = "province"
    if not record.legal:
        problems.append("không có căn cứ pháp lý")
    if not record.components:
        problems.append("không có bảng thành phần hồ sơ")
    if not record.steps:
        problems.append("không có trình tự thực hiện")


def _volume(value: object) -> int | None:
    if value in (None, ""):
        return None
    digits = re.sub(r"[.,\s]", "", str(value))
    # ASCII digits only: "²".isdigit() is true and int("²") fails (issue 27.9)
    return int(digits) if re.fullmatch(r"[0-9]{1,12}", digits) else None
