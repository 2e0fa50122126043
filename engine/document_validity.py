"""How long a document kept in the e-data warehouse stays in force (hiệu lực của giấy tờ).

A document kept without a stated expiry — an officer keeping a digitized file, a
procedure's result without ``valid_days``, a registry's ``edata.store`` — takes the
term of its type from ``data/document_validity.json`` (``TOANTRINH_DOCUMENT_VALIDITY``
names another file): a portrait photo 6 months (form TK01, Circular 73/2021/TT-BCA),
a marital status confirmation 6 months (Decree 123/2015/NĐ-CP, Art. 23), a household
book not after 31/12/2022 (Law on Residence 2020, Art. 38(3)), a birth certificate for
ever. An expiry stated by whoever keeps the document wins. A type the file does not know
keeps no expiry; the tests require every type of the registry catalogue and of the
library to be in the file.
"""

from __future__ import annotations

import calendar
import json
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from toantrinh.bpmn import datafiles

DEFAULT_PATH = datafiles.path("data", "document_validity.json")


@dataclass(frozen=True)
class Validity:
    """The term of one type of document."""

    months: int | None = None
    permanent: bool = False
    until: date | None = None
    printed: bool = False
    estimate: bool = False
    source: str = ""

    @classmethod
    def from_dict(cls, name: str, spec: dict[str, Any]) -> Validity:
        rules = [k for k in ("months", "permanent", "until") if spec.get(k)]
        if len(rules) != 1 or not spec.get("source"):
            raise ValueError(
                f"document_validity.{name}: cần đúng một trong months, permanent, until và source"
            )
        return cls(
            months=int(spec["months"]) if spec.get("months") else None,
            permanent=bool(spec.get("permanent")),
            until=date.fromisoformat(spec["until"]) if spec.get("until") else None,
            printed=bool(spec.get("printed")),
            estimate=bool(spec.get("estimate")),
            source=spec["source"],
        )

    def expiry(self, issued_at: datetime) -> datetime | None:
        """When a document of this type issued at ``issued_at`` stops being in force."""
        if self.permanent:
            return None
        if self.until is not None:
            return datetime.combine(self.until + timedelta(days=1), datetime.min.time(), UTC)
        return add_months(issued_at, self.months or 0)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


@lru_cache(maxsize=4)
def _table(path: str) -> dict[str, Validity]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {name: Validity.from_dict(name, spec) for name, spec in data["types"].items()}


def table() -> dict[str, Validity]:
    """Every known type's term (the file read once per process)."""
    return _table(os.environ.get("TOANTRINH_DOCUMENT_VALIDITY") or str(DEFAULT_PATH))


def default_until(
    document_type: str, issued_at: datetime, stated: datetime | None = None
) -> datetime | None:
    """``stated`` if given, else the expiry of ``document_type`` issued at ``issued_at``
    (``None``: no expiry, or a type the table does not know)."""
    if stated is not None:
        return stated
    rule = table().get(document_type)
    return rule.expiry(issued_at) if rule is not None else None
