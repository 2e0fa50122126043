"""EMC indicators (Hệ thống EMC, Decree 42/2022/NĐ-CP): how the national monitoring system
measures online public service delivery, per procedure, agency and period.

For the dossiers received in ``[start, end)`` (``created_at``):

* ``received`` — dossiers received;
* ``online`` / ``online_rate`` — received through the online channel;
* ``full_online`` / ``full_online_rate`` — received online, not withdrawn, and no step done
  in person so far (toàn trình): the dossier's ``full_online`` flag, which the engine clears
  when a task annotated ``presence="required"``/``"required_by_law"`` (docs/annotations.md)
  is completed in person — a delivery step that records a result sent through VNeID or by
  post was not (``engine/outcomes.done_in_person``). A dossier still in progress counts from
  its receipt, as EMC counts dossiers of full-online services when they are received; it
  drops out if a later step takes the applicant to the office. Before issue 26 only
  completed dossiers counted and a delivery step's annotation alone cleared the flag, so a
  dossier submitted online showed 0 %;
* ``completed``, ``cancelled``, ``in_progress``.

For the dossiers completed in the period (``completed_at``, status ``completed``):

* ``on_time`` / ``on_time_rate`` — completed by the statutory due instant of the dossier's
  clock (``engine/deadlines.py``: counted from the receipt of a complete dossier, stops
  while it is back with the citizen counted out, an extension *not* counted in: an
  extended dossier is late); no deadline counts as on time;
* ``early`` / ``early_rate`` — completed on a calendar day before the due day (trước hạn);
* ``overdue``; ``avg_processing_days`` — mean of ``completed_at - created_at`` in days.

Rates are fractions in [0, 1] (None when their denominator is 0). Queries are plain
SQLAlchemy over the engine's tables; aggregation happens in Python so the numbers are
identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from toantrinh.engine.deadlines import statutory_due
from toantrinh.engine.persistence import Dossier, ModelVersion, ProcessModel

COUNTS = (
    "received",
    "online",
    "full_online",
    "completed",
    "cancelled",
    "in_progress",
    "completed_in_period",
    "on_time",
    "early",
    "overdue",
)
GROUPS = ("procedure", "agency")


@dataclass
class Indicators:
    """The EMC indicators of one group of dossiers."""

    key: str
    label: str
    received: int = 0
    online: int = 0
    full_online: int = 0
    completed: int = 0
    cancelled: int = 0
    in_progress: int = 0
    completed_in_period: int = 0
    on_time: int = 0
    early: int = 0
    overdue: int = 0
    online_rate: float | None = None
    full_online_rate: float | None = None
    on_time_rate: float | None = None
    early_rate: float | None = None
    avg_processing_days: float | None = None
    _days: list[float] = field(default_factory=list, repr=False)

    def add(self, other: Indicators) -> None:
        """Count ``other``'s dossiers in this group too."""
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self._days.extend(other._days)

    def finish(self) -> Indicators:
        self.online_rate = _rate(self.online, self.received)
        self.full_online_rate = _rate(self.full_online, self.received)
        self.on_time_rate = _rate(self.on_time, self.completed_in_period)
        self.early_rate = _rate(self.early, self.completed_in_period)
        self.avg_processing_days = (
            round(sum(self._days) / len(self._days), 3) if self._days else None
        )
        return self

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("_days")
        return out


@dataclass
class Report:
    start: datetime
    end: datetime
    total: Indicators
    by_procedure: list[Indicators]
    by_agency: list[Indicators]

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "total": self.total.to_dict(),
            "by_procedure": [i.to_dict() for i in self.by_procedure],
            "by_agency": [i.to_dict() for i in self.by_agency],
        }


CSV_COLUMNS = (
    "group",
    "key",
    "label",
    "received",
    "online",
    "online_rate",
    "full_online",
    "full_online_rate",
    "completed",
    "cancelled",
    "in_progress",
    "completed_in_period",
    "on_time",
    "on_time_rate",
    "early",
    "early_rate",
    "overdue",
    "avg_processing_days",
)


def to_csv(report: Report) -> str:
    """One row per group (total, each procedure, each agency), rates as fractions."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows = (
        [("total", report.total)]
        + [("procedure", i) for i in report.by_procedure]
        + [("agency", i) for i in report.by_agency]
    )
    for group, indicators in rows:
        values = indicators.to_dict()
        writer.writerow([group] + ["" if values[c] is None else values[c] for c in CSV_COLUMNS[1:]])
    return buffer.getvalue()


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def period(
    start: date | datetime | None, end: date | datetime | None, now: datetime | None = None
) -> tuple[datetime, datetime]:
    """``[start, end)`` in UTC; dates are whole days (``end`` inclusive), default the last 30 days."""
    now = now or datetime.now(UTC)

    def as_dt(value: date | datetime, end_of_day: bool) -> datetime:
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        moment = datetime.combine(value, time.min, tzinfo=UTC)
        return moment + timedelta(days=1) if end_of_day else moment

    stop = as_dt(end, True) if end is not None else now
    begin = as_dt(start, False) if start is not None else stop - timedelta(days=30)
    return begin, stop


def emc_report(
    session: Session,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
    *,
    procedure: str | None = None,
    agency: str | None = None,
    now: datetime | None = None,
) -> Report:
    """The EMC indicators for ``[start, end)``, in total, per procedure and per agency."""
    begin, stop = period(start, end, now)
    rows = session.execute(_dossiers_in(begin, stop, procedure, agency)).all()
    # judged against the statutory clock: stops counted, extensions not (engine/deadlines.py)
    due_of = statutory_due(session, [r for r in rows if r.status == "completed"])
    cells, names = _count_cells(rows, begin, stop, due_of)
    total = Indicators("total", "Tổng")
    by_procedure: dict[str, Indicators] = {}
    by_agency: dict[str, Indicators] = {}
    for (slug, agency), cell in cells.items():
        if slug not in by_procedure:
            by_procedure[slug] = Indicators(slug, names[slug])
        if agency not in by_agency:
            by_agency[agency] = Indicators(agency, agency or "—")
        for group in (total, by_procedure[slug], by_agency[agency]):
            group.add(cell)
    return Report(
        begin,
        stop,
        total.finish(),
        [i.finish() for _, i in sorted(by_procedure.items())],
        [i.finish() for _, i in sorted(by_agency.items())],
    )


def _dossiers_in(begin: datetime, stop: datetime, procedure: str | None, agency: str | None):
    """The dossiers received or completed in ``[begin, stop)``, with their procedure's slug
    and name, by id (a statement)."""
    in_period = or_(
        and_(Dossier.created_at >= begin, Dossier.created_at < stop),
        and_(Dossier.completed_at >= begin, Dossier.completed_at < stop),
    )
    query = (
        select(
            Dossier.id,
            Dossier.version_id,
            Dossier.agency,
            Dossier.channel,
            Dossier.status,
            Dossier.full_online,
            Dossier.created_at,
            Dossier.completed_at,
            Dossier.due_at,
            ProcessModel.slug,
            ProcessModel.name,
        )
        .join(ModelVersion, Dossier.version_id == ModelVersion.id)
        .join(ProcessModel, ModelVersion.model_id == ProcessModel.id)
        .where(in_period)
    )
    if procedure:
        query = query.where(ProcessModel.slug == procedure)
    if agency:
        query = query.where(Dossier.agency == agency)
    return query.order_by(Dossier.id)


def _count_cells(
    rows: list[Any], begin: datetime, stop: datetime, due_of: dict[int, datetime | None]
) -> tuple[dict[tuple[str, str], Indicators], dict[str, str]]:
    """(procedure slug, agency) → the indicators of its dossiers, and slug → procedure name.

    Each dossier is counted once, into the cell of its procedure and agency; the cells are
    then summed into the total and the two breakdowns (three times fewer updates, and no
    throwaway Indicators per row: at 100,000 dossiers the loop was 1.9 s of 2.7)."""
    cells: dict[tuple[str, str], Indicators] = {}
    names: dict[str, str] = {}
    for row in rows:
        key = (row.slug, row.agency or "")
        ind = cells.get(key)
        if ind is None:
            ind = cells[key] = Indicators(*key)
            names[row.slug] = row.name
        if begin <= row.created_at < stop:
            ind.received += 1
            ind.online += row.channel == "online"
            ind.full_online += (
                row.channel == "online" and bool(row.full_online) and row.status != "cancelled"
            )
            ind.completed += row.status == "completed"
            ind.cancelled += row.status == "cancelled"
            ind.in_progress += row.status in ("in_progress", "error")
        if (
            row.status == "completed"
            and row.completed_at is not None
            and begin <= row.completed_at < stop
        ):
            ind.completed_in_period += 1
            due = due_of.get(row.id, row.due_at)
            on_time = due is None or row.completed_at <= due
            ind.on_time += on_time
            ind.overdue += not on_time
            ind.early += due is not None and row.completed_at.date() < due.date()
            ind._days.append((row.completed_at - row.created_at).total_seconds() / 86400)
    return cells, names
