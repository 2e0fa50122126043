"""Compliance cost of a procedure (chi phí tuân thủ thủ tục hành chính).

The Government Office method (Circular 02/2017/TT-VPCP, Art. 27) as a Standard Cost
Model: the cost of one dossier is the applicant's time on each activity the procedure
requires, valued at an average hourly income, plus fees and other outlays; the annual
cost is that times the annual number of dossiers. No opportunity cost.

Each activity is counted once (docs/simplifier.md §5 shows the arithmetic):

* learning the requirements — once per procedure the applicant takes part in (a
  back-office part of a linked group costs the applicant nothing);
* preparing each required component by its copy form — not the declaration when it is
  typed into the e-form (its fields are counted instead);
* typing each form field a registry does not fill;
* each step the applicant does or attends: its ``tt:step citizenTime`` when the model
  gives one (for an in-person step that is the whole visit: travel, queue and the step),
  else a default by kind, plus travel and queue when the step needs presence; travel
  costs for each visit;
* the applicant's presence at an on-site inspection;
* steps inside a loop (asking the applicant to supplement the dossier) are weighted by
  the share of dossiers that go round it.

All parameters come from ``data/cost_model.json`` (passed in as a dict).
"""

from __future__ import annotations

from dataclasses import dataclass, field


def parameters(cost_model: dict, province: str | None = None) -> dict:
    """Parameter values (``name -> value``) with the province's overrides applied."""
    params = {
        k: v["value"] for k, v in cost_model.get("parameters", {}).items() if isinstance(v, dict)
    }
    if province:
        for k, v in cost_model.get("provinces", {}).get(province, {}).items():
            params[k] = v["value"] if isinstance(v, dict) and "value" in v else v
    return params


def hourly_income(params: dict) -> float:
    """VND per hour: the average monthly income divided by the working hours of a month.

    >>> hourly_income({"monthly_income": 8_400_000, "working_hours_per_month": 208})
    40385.0
    """
    if "hourly_income" in params:  # a province may state its hourly figure directly
        return float(params["hourly_income"])
    return float(round(params["monthly_income"] / params["working_hours_per_month"]))


@dataclass
class CostActivity:
    """One activity of the applicant: minutes and outlays, weighted by the share of
    dossiers that go through it (1 for every dossier)."""

    activity: str  # Vietnamese label
    minutes: float
    outlay: float = 0.0
    weight: float = 1.0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Cost:
    """Cost of one dossier and per year, with its breakdown."""

    per_dossier: float
    annual: float | None
    citizen_minutes: float  # weighted
    fee: float
    outlays: float  # weighted
    hourly_income: float
    annual_volume: int | None
    activities: list[CostActivity] = field(default_factory=list)

    @property
    def time_cost(self) -> float:
        return self.citizen_minutes / 60 * self.hourly_income

    def as_dict(self) -> dict:
        return {
            "per_dossier": round(self.per_dossier),
            "annual": round(self.annual) if self.annual is not None else None,
            "citizen_minutes": round(self.citizen_minutes, 1),
            "fee": self.fee,
            "outlays": round(self.outlays),
            "hourly_income": self.hourly_income,
            "annual_volume": self.annual_volume,
            "activities": [a.as_dict() for a in self.activities],
        }


def compliance_cost(
    params: dict, activities: list[CostActivity], *, fee: float, annual_volume: int | None
) -> Cost:
    """Cost of one dossier from the applicant's activities.

    >>> p = {"monthly_income": 8_400_000, "working_hours_per_month": 210}
    >>> acts = [CostActivity("Tìm hiểu", 30), CostActivity("Bổ sung", 60, 10_000, weight=0.5)]
    >>> c = compliance_cost(p, acts, fee=20_000, annual_volume=100)
    >>> (c.citizen_minutes, c.outlays, c.per_dossier, c.annual)
    (60.0, 5000.0, 65000.0, 6500000.0)
    """
    hourly = hourly_income(params)
    minutes = sum(a.minutes * a.weight for a in activities)
    outlays = sum(a.outlay * a.weight for a in activities)
    per = minutes / 60 * hourly + fee + outlays
    return Cost(
        per_dossier=per,
        annual=per * annual_volume if annual_volume else None,
        citizen_minutes=minutes,
        fee=fee,
        outlays=outlays,
        hourly_income=hourly,
        annual_volume=annual_volume,
        activities=activities,
    )


def supplement_share(params: dict, procedure: dict | None) -> float:
    """Share of dossiers asked to supplement: the procedure's own figure
    (``procedure.json`` ``supplement_rate``, a number or ``{"value": …}``) or the cost
    model's default."""
    own = (procedure or {}).get("supplement_rate")
    if isinstance(own, dict):
        own = own.get("value")
    if isinstance(own, int | float) and 0 <= own <= 1:
        return float(own)
    return float(params.get("supplement_rate", 1.0))
