"""The working calendar of state agencies: which days and hours count for a statutory
time limit (thời hạn giải quyết).

A day is a working day when it is in the working week (Monday–Friday, Decision
188/1999/QĐ-TTg), is not a public holiday of Vietnam — Labour Code 2019 Art. 112, with
Tết and Hùng Kings' day from the lunar calendar and a holiday on a weekly rest day
compensated on the next working day (Art. 111(3)), as the ``holidays`` package computes
them —, and is not a day off the Government added for the year; a Saturday the
Government swapped in ("làm bù") is a working day. Those yearly decisions, the working
hours and the time zone are data (``data/calendar.json``, or the file
``TOANTRINH_CALENDAR`` names), which an operator extends each year.

Time limits:

* in working days (:meth:`WorkCalendar.add_working_days`): N days are N × the working
  hours of a day, counted only within working hours from the moment the dossier is
  received (received on Friday at 16:30 with one day: due Monday at 16:30; received on a
  Saturday: the count starts on Monday morning);
* in calendar days (:meth:`WorkCalendar.add_days`): N days later, and when that day is
  not a working day the limit ends at the end of the next working day (Civil Code 2015,
  Art. 148(5)).

Instants in and out are aware datetimes (the engine's are UTC); the arithmetic is done in
the calendar's time zone.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from toantrinh.bpmn import datafiles

DEFAULT_PATH = datafiles.path("data", "calendar.json")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class CalendarError(ValueError):
    """The calendar file is not usable; the message names the entry."""


@dataclass(frozen=True)
class WorkCalendar:
    """Working days and hours (lịch làm việc) of the agencies in one time zone."""

    timezone: str = "Asia/Ho_Chi_Minh"
    working_week: frozenset[int] = frozenset(range(5))
    hours: tuple[tuple[time, time], ...] = ((time(8), time(12)), (time(13), time(17)))
    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    _holidays: dict[int, frozenset[date]] = field(default_factory=dict, compare=False, repr=False)
    _lock: Any = field(default_factory=threading.Lock, compare=False, repr=False)

    # ----------------------------------------------------------------- loading
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WorkCalendar:
        try:
            week = frozenset(_WEEKDAYS.index(d) for d in data.get("working_week", _WEEKDAYS[:5]))
            hours = tuple(
                (time.fromisoformat(a), time.fromisoformat(b))
                for a, b in data.get("working_hours", [["08:00", "12:00"], ["13:00", "17:00"]])
            )
            ZoneInfo(data.get("timezone", "Asia/Ho_Chi_Minh"))
        except (ValueError, TypeError, KeyError) as err:
            raise CalendarError(f"lịch làm việc không hợp lệ: {err}") from err
        if not week:
            raise CalendarError("tuần làm việc không có ngày nào")
        if (
            not hours
            or any(a >= b for a, b in hours)
            or any(hours[i][1] > hours[i + 1][0] for i in range(len(hours) - 1))
        ):
            raise CalendarError("giờ làm việc phải là các khoảng tăng dần, không chồng nhau")
        off, on = set(), set()
        for year, spec in (data.get("years") or {}).items():
            off.update(_dates(spec.get("days_off", ()), year, "days_off"))
            on.update(_dates(spec.get("working_days", ()), year, "working_days"))
        both = off & on
        if both:
            raise CalendarError(
                f"ngày vừa nghỉ vừa làm việc: {sorted(d.isoformat() for d in both)}"
            )
        return cls(
            timezone=data.get("timezone", "Asia/Ho_Chi_Minh"),
            working_week=week,
            hours=hours,
            days_off=frozenset(off),
            working_days=frozenset(on),
        )

    @classmethod
    def load(cls, path: Path | str | None = None) -> WorkCalendar:
        path = Path(path or os.environ.get("TOANTRINH_CALENDAR") or DEFAULT_PATH)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise CalendarError(f"không đọc được lịch làm việc {path}: {err}") from err
        return cls.from_dict(data)

    # ------------------------------------------------------------------- days
    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def public_holidays(self, year: int) -> frozenset[date]:
        """Vietnam's public holidays of ``year`` (the ``holidays`` package), computed once."""
        found = self._holidays.get(year)
        if found is None:
            with self._lock:
                found = frozenset(holidays.country_holidays("VN", years=year))
                self._holidays[year] = found
        return found

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        if day.weekday() not in self.working_week or day in self.days_off:
            return False
        return day not in self.public_holidays(day.year)

    @property
    def day_length(self) -> timedelta:
        """The working time of one day (8 hours by default)."""
        return sum((_span(a, b) for a, b in self.hours), timedelta())

    # ----------------------------------------------------------- arithmetic
    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The instant ``days`` working days of working time after ``start``."""
        if days <= 0:
            return start
        return self.add_working_time(start, self.day_length * days)

    def add_working_time(self, start: datetime, span: timedelta) -> datetime:
        """The instant ``span`` of working time after ``start`` (counted only within
        working hours of working days)."""
        if span <= timedelta(0):
            return start
        left = span
        local = start.astimezone(self.zone)
        for begin, end in self._periods(local):
            begin = max(begin, local)
            if begin + left <= end:
                return (begin + left).astimezone(start.tzinfo)
            left -= end - begin
        raise AssertionError("unreachable: the periods never end")

    def working_time(self, start: datetime, end: datetime) -> timedelta:
        """The working time between two instants (zero when ``end`` is not after
        ``start``): how much of a statutory time in working days an interval used."""
        if end <= start:
            return timedelta(0)
        local, stop = start.astimezone(self.zone), end.astimezone(self.zone)
        total = timedelta(0)
        for begin, finish in self._periods(local):
            begin = max(begin, local)
            if begin >= stop:
                break
            total += min(finish, stop) - begin
        return total

    def add_days(self, start: datetime, days: int) -> datetime:
        """``days`` calendar days after ``start``; past a day that is not a working day,
        the end of the next working day (Civil Code 2015, Art. 148(5))."""
        local = start.astimezone(self.zone) + timedelta(days=days)
        day = local.date()
        if self.is_working_day(day):
            return local.astimezone(start.tzinfo)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        end = datetime.combine(day, self.hours[-1][1], self.zone)
        return end.astimezone(start.tzinfo)

    def due(self, start: datetime, limit: dict[str, Any] | None) -> datetime | None:
        """The due instant of a statutory time limit (``procedure.json``
        ``processing_time``: ``days``, ``working_days`` true by default), or ``None``."""
        days = int((limit or {}).get("days") or 0)
        if days <= 0:
            return None
        if (limit or {}).get("working_days", True):
            return self.add_working_days(start, days)
        return self.add_days(start, days)

    def _periods(self, local: datetime) -> Iterable[tuple[datetime, datetime]]:
        """The working periods that end after ``local``, in order, without end."""
        day = local.date()
        while True:
            if self.is_working_day(day):
                for a, b in self.hours:
                    end = datetime.combine(day, b, self.zone)
                    if end > local:
                        yield datetime.combine(day, a, self.zone), end
            day += timedelta(days=1)


def _span(a: time, b: time) -> timedelta:
    return datetime.combine(date.min, b) - datetime.combine(date.min, a)


def _dates(entries: Iterable[dict[str, Any]], year: str, key: str) -> set[date]:
    out = set()
    for entry in entries:
        try:
            day = date.fromisoformat(entry["date"])
        except (KeyError, TypeError, ValueError) as err:
            raise CalendarError(f"{year}.{key}: ngày không hợp lệ {entry!r}") from err
        if str(day.year) != str(year):
            raise CalendarError(f"{year}.{key}: ngày {day} không thuộc năm {year}")
        out.add(day)
    return out


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The calendar of ``TOANTRINH_CALENDAR`` or ``data/calendar.json``, read once per process."""
    return WorkCalendar.load()
