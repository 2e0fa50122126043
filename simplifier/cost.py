"""Compliance cost of a procedure (chi phí tuân thủ TTHC).

The Government Office method (Circular 02/2017/TT-VPCP, Art. 27) as a Standard Cost
Model: the cost of one dossier is the applicant's time on each activity the procedure
requires (learning the requirements, preparing each component, typing the form,
travelling and queueing, submitting, paying, receiving the result) valued at an
average hourly income, plus fees and other outlays (certified copies, travel); the
annual cost is that times the annual number of dossiers. No opportunity cost.
All parameters come from ``data/cost_model.json`` (passed in as a dict).
"""

from __future__ import annotations

from dataclasses import dataclass, field


def parameters(cost_model: dict, province: str | None = None) -> dict:
    """Parameter values (``name -> value``) with the province's overrides applied."""
    params = {k: v["value"] for k, v in cost_model.get("parameters", {}).items()}
    if province:
        for k, v in cost_model.get("provinces", {}).get(province, {}).items():
            params[k] = v["value"] if isinstance(v, dict) and "value" in v else v
    return params


@dataclass
class CostActivity:
    activity: str  # Vietnamese label
    minutes: float
    outlay: float = 0.0


@dataclass
class Cost:
    """Cost of one dossier and per year, with its breakdown."""

    per_dossier: float
    annual: float | None
    citizen_minutes: float
    fee: float
    outlays: float
    hourly_income: float
    annual_volume: int | None
    activities: list[CostActivity] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "per_dossier": round(self.per_dossier),
            "annual": round(self.annual) if self.annual is not None else None,
            "citizen_minutes": round(self.citizen_minutes, 1),
            "fee": self.fee,
            "outlays": self.outlays,
            "hourly_income": self.hourly_income,
            "annual_volume": self.annual_volume,
            "activities": [a.__dict__ for a in self.activities],
        }


def compliance_cost(
    params: dict,
    *,
    components: list[str],
    typed_fields: int,
    citizen_steps: list[tuple[str, str, float | None]],
    visits: int,
    on_site: int,
    fee: float,
    annual_volume: int | None,
) -> Cost:
    """Cost of one dossier.

    ``components`` are the copy forms of the required components; ``citizen_steps`` are
    (label, kind, annotated citizen minutes or None) for every step the applicant does.

    >>> p = {"hourly_income": 60000, "learn_requirements_min": 30,
    ...      "prepare_component_min": {"copy": 15}, "certified_copy_fee": 0,
    ...      "typed_field_min": 0.5, "citizen_step_min": {"submit": 15, "other": 10},
    ...      "travel_min": 60, "queue_min": 30, "travel_cost": 20000,
    ...      "on_site_inspection_min": 120}
    >>> c = compliance_cost(p, components=["copy"], typed_fields=10,
    ...     citizen_steps=[("Nộp", "submit", None)], visits=1, on_site=0, fee=0,
    ...     annual_volume=100)
    >>> (c.citizen_minutes, c.per_dossier, c.annual)
    (155.0, 175000.0, 17500000.0)
    """
    acts: list[CostActivity] = [CostActivity("Tìm hiểu yêu cầu", params["learn_requirements_min"])]
    prep = params["prepare_component_min"]
    for copy in components:
        outlay = params["certified_copy_fee"] if copy == "certified_copy" else 0.0
        acts.append(
            CostActivity(
                f"Chuẩn bị thành phần hồ sơ ({copy})", prep.get(copy, prep.get("copy", 15)), outlay
            )
        )
    if typed_fields:
        acts.append(
            CostActivity(
                f"Nhập {typed_fields} trường biểu mẫu", typed_fields * params["typed_field_min"]
            )
        )
    per_step = params["citizen_step_min"]
    for label, kind, minutes in citizen_steps:
        m = minutes if minutes is not None else per_step.get(kind, per_step.get("other", 10))
        acts.append(CostActivity(f"Bước: {label}", m))
    for i in range(visits):
        acts.append(
            CostActivity(
                f"Đi lại và chờ tại cơ quan (lượt {i + 1})",
                params["travel_min"] + params["queue_min"],
                params["travel_cost"],
            )
        )
    for _ in range(on_site):
        acts.append(CostActivity("Có mặt khi kiểm tra thực địa", params["on_site_inspection_min"]))
    minutes = sum(a.minutes for a in acts)
    outlays = sum(a.outlay for a in acts)
    hourly = params["hourly_income"]
    per = minutes / 60 * hourly + fee + outlays
    return Cost(
        per_dossier=per,
        annual=per * annual_volume if annual_volume else None,
        citizen_minutes=minutes,
        fee=fee,
        outlays=outlays,
        hourly_income=hourly,
        annual_volume=annual_volume,
        activities=acts,
    )
