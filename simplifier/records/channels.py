"""Cách thức thực hiện: submission channels, statutory times and fees.

The portal's table has four columns — hình thức nộp, thời gian, phí/lệ phí, mô tả — and
one row per channel. Flattened, ``Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến2 Ngày
làm việcMiễn phí(…)Trực tiếp…``. Rules (each tested in ``tests/catalogue``):

* a row starts at a channel name (``Trực tuyến``, ``Dịch vụ bưu chính``, ``Trực tiếp``)
  written right before a number or "Không có thông tin" (a channel named inside a
  description is followed by ":" or a space and a word);
* the time is a number and a unit: ``Ngày làm việc`` (working days), ``Ngày`` (days),
  ``Giờ`` (hours), ``Tháng``, ``Năm``; a number without a unit (the portal prints "1") is
  not a time and is reported as unread;
* a unitless number glued to a currency is the portal's "1" followed by the fee's digits
  (``Trực tuyến1100 VNĐ`` is "1" and 100 VNĐ);
* the fee cell is ``Miễn phí``, "Không có thông tin", or an amount with its currency
  (``70,000 VNĐ``, ``500,000 Việt Nam Đồng``, ``200 USD``); what follows in brackets and
  after is the description. An amount under 1.000 đồng is implausible (the portal drops
  thousands: "135 VNĐ" next to "135.000 đồng/lần"), so the amount the description states
  in đồng is taken instead, with low confidence; a fee cell that says "Miễn phí" while
  the description names a fee ("Lệ phí … 200 USD/lần") is reported for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .shape import pick
from .text import NOT_INFORMED, clean, informed

MODES = {"Trực tuyến": "online", "Dịch vụ bưu chính": "postal", "Trực tiếp": "in_person"}
HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
UNITS = {
    "ngày làm việc": "working_days",
    "ngày": "days",
    "giờ làm việc": "working_hours",
    "giờ": "hours",
    "tháng": "months",
    "năm": "years",
    "phút": "minutes",
}
_ROW_START = re.compile(r"(Trực tuyến|Dịch vụ bưu chính|Trực tiếp)(?=\d|" + NOT_INFORMED + ")")
_TIME = re.compile(
    r"(?P<n>\d+(?:[.,]\d+)?)\s*(?P<unit>Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm|Phút)?",
    re.IGNORECASE,
)
_AMOUNT = r"\d{1,3}(?:[.,]\d{3})+|\d+"
_CURRENCY = r"VNĐ|Việt Nam Đồng|Đồng|đồng|VND|USD"
_FEE_CELL = re.compile(rf"(?P<amount>{_AMOUNT})\s*(?P<cur>{_CURRENCY})")
_DONG_IN_TEXT = re.compile(rf"(?P<amount>{_AMOUNT})\s*(?:đồng|VNĐ|đ\b|VND)", re.IGNORECASE)
_FOREIGN_FEE = re.compile(rf"(?P<amount>{_AMOUNT})\s*(?:USD|EUR|đô la)", re.IGNORECASE)
_MILLIONS = re.compile(r"(?P<amount>\d+(?:[.,]\d+)?)\s*triệu đồng")
PLAUSIBLE_MIN_FEE = 1000


@dataclass(frozen=True)
class Duration:
    """A statutory time: amount and unit (``working_days``, ``days``, ``hours`` …)."""

    amount: float
    unit: str
    text: str

    @property
    def working_days(self) -> float | None:
        """The time in working days (8-hour days), or None for calendar units."""
        if self.unit == "working_days":
            return self.amount
        if self.unit in ("hours", "working_hours"):
            return self.amount / 8
        if self.unit == "minutes":
            return self.amount / 480
        return None

    @property
    def calendar_days(self) -> float:
        """Approximate calendar days (5 working days a week, 30-day months)."""
        per = {
            "days": 1,
            "months": 30,
            "years": 365,
            "hours": 1 / 24,
            "minutes": 1 / 1440,
            "working_hours": 7 / 5 / 8,
        }
        if self.unit == "working_days":
            return self.amount * 7 / 5
        return self.amount * per[self.unit]

    def iso(self) -> str:
        """ISO 8601 duration for a timer; working days are counted as calendar days × 7/5."""
        if self.unit in ("hours", "working_hours", "minutes"):
            hours = self.amount if self.unit != "minutes" else self.amount / 60
            return f"PT{max(1, round(hours))}H"
        return f"P{max(1, round(self.calendar_days))}D"


@dataclass(frozen=True)
class Fee:
    """A fee (phí, lệ phí) in đồng; ``amount`` None when it could not be read."""

    amount: int | None
    free: bool
    text: str
    currency: str = "VND"
    confidence: float = 1.0
    note: str = ""


@dataclass
class Channel:
    """One row of the table: how to submit, in what time, for what fee."""

    mode: str  # online | postal | in_person
    label: str
    time: Duration | None
    time_text: str
    fee: Fee
    description: str
    problems: list[str] = field(default_factory=list)


def parse_time(text: str) -> Duration | None:
    """The statutory time a cell states.

    >>> parse_time("2 Ngày làm việc")
    Duration(amount=2.0, unit='working_days', text='2 Ngày làm việc')
    >>> parse_time("1") is None
    True
    """
    m = _TIME.match(clean(text))
    if not m or not m.group("unit"):
        return None
    amount = float(m.group("n").replace(",", "."))
    return Duration(amount, UNITS[m.group("unit").lower()], clean(m.group(0)))


def _amount(text: str) -> int:
    return int(re.sub(r"[.,]", "", text))


def parse_fee(cell: str, description: str = "") -> Fee:
    """The fee a cell states, checked against its description.

    >>> parse_fee("70,000 VNĐ").amount
    70000
    >>> parse_fee("Miễn phí").free
    True
    >>> parse_fee("135 VNĐ", "Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.").amount
    135000
    """
    cell = clean(cell)
    description = clean(description)
    if cell.startswith("Miễn phí"):
        foreign = _FOREIGN_FEE.search(description)
        dong = _DONG_IN_TEXT.search(description)
        named = foreign or (
            dong if dong and _amount(dong.group("amount")) >= PLAUSIBLE_MIN_FEE else None
        )
        if named and re.search(r"\b(lệ phí|phí|mức thu)\b", description, re.IGNORECASE):
            return Fee(
                0,
                True,
                cell,
                confidence=0.4,
                note=f"ô phí ghi “Miễn phí” nhưng mô tả nêu mức thu “{named.group(0)}”",
            )
        return Fee(0, True, cell)
    m = _FEE_CELL.match(cell)
    if not m:
        return Fee(None, False, cell, confidence=0.0, note="không đọc được mức phí")
    amount, currency = _amount(m.group("amount")), m.group("cur")
    if currency == "USD":
        return Fee(
            None,
            False,
            cell,
            currency="USD",
            confidence=0.5,
            note=f"phí tính bằng ngoại tệ ({m.group(0)})",
        )
    if amount < PLAUSIBLE_MIN_FEE:
        stated = _DONG_IN_TEXT.search(description) or _MILLIONS.search(description)
        if stated:
            value = (
                round(float(stated.group("amount").replace(",", ".")) * 1_000_000)
                if "triệu" in stated.group(0)
                else _amount(stated.group("amount"))
            )
            if value >= PLAUSIBLE_MIN_FEE:
                return Fee(
                    value,
                    False,
                    cell,
                    confidence=0.6,
                    note=f"ô phí ghi “{m.group(0)}”; lấy mức trong mô tả “{stated.group(0)}”",
                )
        return Fee(
            amount,
            False,
            cell,
            confidence=0.3,
            note=f"mức phí “{m.group(0)}” dưới 1.000 đồng, có thể thiếu hàng nghìn",
        )
    return Fee(amount, False, cell)


def _split_fee(rest: str) -> tuple[str, str]:
    """(fee cell, description) of the text after a row's time."""
    rest = rest.lstrip()
    for lead in ("Miễn phí", NOT_INFORMED):
        if rest.startswith(lead):
            return lead, rest[len(lead) :]
    m = _FEE_CELL.match(rest)
    if m:
        return m.group(0), rest[m.end() :]
    return "", rest


def parse_channels(value: object) -> list[Channel]:
    """The channels of a record (flattened text or a list of rows)."""
    if isinstance(value, list):
        return [_structured(row) for row in value if isinstance(row, dict)]
    text = str(value or "").replace("\xa0", " ")
    if text.startswith(HEADER):
        text = text[len(HEADER) :]
    starts = list(_ROW_START.finditer(text))
    out = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        out.append(_flat_row(m.group(1), text[m.end() : end]))
    return out


def _flat_row(label: str, body: str) -> Channel:
    problems = []
    if body.startswith(NOT_INFORMED):
        time, time_text, rest = None, "", body[len(NOT_INFORMED) :]
        problems.append(f"{label}: không có thời hạn giải quyết")
    else:
        m = _TIME.match(body)
        time = parse_time(m.group(0)) if m else None
        time_text = clean(m.group(0)) if m else ""
        rest = body[m.end() :] if m else body
        if m and time is None and re.match(rf"\s*(?:{_CURRENCY})", rest):
            # a unitless "1" glued to the fee's digits: "Trực tuyến1100 VNĐ" is 1 | 100 VNĐ
            time_text, rest = m.group("n")[0], m.group("n")[1:] + rest
        if time is None:
            problems.append(f"{label}: thời hạn “{time_text}” không có đơn vị")
    fee_cell, description = _split_fee(rest)
    fee = (
        Fee(None, False, "", confidence=0.0, note="không có thông tin phí")
        if fee_cell in ("", NOT_INFORMED)
        else parse_fee(fee_cell, description)
    )
    if fee.note:
        problems.append(f"{label}: {fee.note}")
    return Channel(MODES[label], label, time, time_text, fee, clean(description), problems)


def _structured(row: dict) -> Channel:
    label = clean(pick(row, "hinh_thuc_nop", "Hình thức nộp", "mode", "channel"))
    mode = next(
        (m for name, m in MODES.items() if name.casefold() == label.casefold()),
        "online" if "tuyến" in label else "postal" if "bưu" in label else "in_person",
    )
    time_text = informed(pick(row, "thoi_gian", "Thời gian", "Thời hạn giải quyết", "time"))
    description = clean(pick(row, "mo_ta", "Mô tả", "description"))
    fee_text = informed(pick(row, "phi_le_phi", "Phí, lệ phí", "Phí", "fee"))
    time = parse_time(time_text) if time_text else None
    fee = (
        parse_fee(fee_text, description)
        if fee_text
        else Fee(None, False, "", confidence=0.0, note="không có thông tin phí")
    )
    problems = [] if time else [f"{label}: thời hạn “{time_text}” không đọc được"]
    if fee.note:
        problems.append(f"{label}: {fee.note}")
    return Channel(mode, label, time, time_text, fee, description, problems)
