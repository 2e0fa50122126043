"""Scores of a model state: size for the citizen, time, cost and full-online readiness.

A :class:`ModelState` is what scoring needs of a model (its flattened graph, its
steps, the components still required, the typed form fields); the simplifier scores
the original state and the simplified one (``rewrite.apply_plan``) the same way.

Full-online readiness ("toàn trình") is scored on the criteria of Circular
01/2023/TT-VPCP Art. 13(1) a–h and banded A–E like the national assessment of
procedure information systems (A 90–100, B 80–89, C 65–79, D 50–64, E < 50).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from .cost import Cost, compliance_cost
from .graph import acyclic, longest_path
from .infer import ComponentInfo, StepInfo

READINESS_WEIGHTS = {"a": 10, "b": 10, "c": 15, "d": 15, "dd": 10, "e": 20, "g": 10, "h": 10}
READINESS_LABELS = {
    "a": "a. Công khai đầy đủ thông tin thủ tục (mã, trình tự, thành phần, thời hạn, phí, căn cứ)",
    "b": "b. Biểu mẫu có thể tải về",
    "c": "c. Điền và gửi biểu mẫu trực tuyến",
    "d": "d. Toàn bộ hồ sơ nộp điện tử (không bản chính, bản giấy)",
    "dd": "đ. Nộp phí, lệ phí trực tuyến",
    "e": "e. Không yêu cầu xuất trình giấy, có mặt hoặc kiểm tra tại chỗ",
    "g": "g. Có kết quả điện tử",
    "h": "h. Trả kết quả trực tuyến hoặc qua bưu chính công ích",
}
TARGET_CUT = 0.30  # Resolution 66/NQ-CP (2025)


def band(score: float) -> str:
    """A–E band of a 0–100 score.

    >>> [band(s) for s in (95, 80, 65, 50, 49.9)]
    ['A', 'B', 'C', 'D', 'E']
    """
    if score >= 90:
        return "A"
    if score >= 80:
        return "B"
    if score >= 65:
        return "C"
    if score >= 50:
        return "D"
    return "E"


@dataclass
class ModelState:
    """What scoring reads of one model (before or after simplification)."""

    g: nx.DiGraph
    steps: dict[str, StepInfo]
    names: dict[str, str]
    components: dict[str, ComponentInfo]  # components still required
    task_forms: dict[str, str]  # task id -> form id
    typed: dict[str, list[tuple[str, str]]]  # form id -> typed (property, field)


@dataclass
class Blocker:
    criterion: str
    message: str
    targets: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"criterion": self.criterion, "message": self.message, "targets": list(self.targets)}


@dataclass
class Readiness:
    """Full-online readiness ("mức độ sẵn sàng toàn trình")."""

    score: float
    band: str
    criteria: dict[str, bool]
    blockers: list[Blocker] = field(default_factory=list)

    @property
    def full_online(self) -> bool:
        return all(self.criteria.values())

    def as_dict(self) -> dict:
        return {
            "score": self.score,
            "band": self.band,
            "full_online": self.full_online,
            "criteria": self.criteria,
            "blockers": [b.as_dict() for b in self.blockers],
        }


@dataclass
class Scores:
    steps: int  # steps done by people (service and script tasks not counted)
    citizen_steps: int
    components: int
    typed_fields: int
    visits: int
    on_site_checks: int
    critical_path_min: float
    critical_path: list[str]
    readiness: Readiness
    cost: Cost | None

    def as_dict(self) -> dict:
        return {
            "steps": self.steps,
            "citizen_steps": self.citizen_steps,
            "components": self.components,
            "typed_fields": self.typed_fields,
            "visits": self.visits,
            "on_site_checks": self.on_site_checks,
            "critical_path_min": round(self.critical_path_min, 1),
            "critical_path": self.critical_path,
            "readiness": self.readiness.as_dict(),
            "cost": self.cost.as_dict() if self.cost else None,
        }


def citizen_facing(info: StepInfo) -> bool:
    """Whether the applicant does, attends or receives something at this step."""
    return (
        info.actor == "citizen"
        or info.kind in ("submit", "pay", "deliver_result")
        or (info.presence != "none" and info.kind != "inspect")
    )


def critical_path(state: ModelState, dag: nx.DiGraph | None = None) -> tuple[float, list[str]]:
    """Longest path over step durations, ignoring back edges (loops run once)."""
    weight = {t: s.duration_min for t, s in state.steps.items()}
    return longest_path(dag if dag is not None else acyclic(state.g), weight)


def readiness(
    state: ModelState, procedure: dict | None, forms: dict, procedure_code: str | None
) -> Readiness:
    """Score Circular 01/2023/TT-VPCP Art. 13(1) a–h on a model state."""
    crit: dict[str, bool] = {}
    blockers: list[Blocker] = []
    proc = procedure or {}

    missing = [
        label
        for key, label in (
            ("code", "mã thủ tục"),
            ("processing_time", "thời hạn giải quyết"),
            ("fee", "phí, lệ phí"),
            ("legal_basis", "căn cứ pháp lý"),
        )
        if not (proc.get(key) or (key == "code" and procedure_code))
    ]
    crit["a"] = not missing
    if missing:
        blockers.append(Blocker("a", "Thiếu thông tin công khai: " + ", ".join(missing) + "."))

    steps = state.steps
    citizen_tasks = [t for t, s in steps.items() if s.actor == "citizen" and not s.automated]
    no_form = [t for t in citizen_tasks if state.task_forms.get(t) not in forms]
    crit["b"] = bool(citizen_tasks) and not no_form
    if not citizen_tasks:
        blockers.append(Blocker("b", "Không có bước người nộp khai biểu mẫu điện tử."))
    elif no_form:
        blockers.append(
            Blocker("b", "Bước của người nộp chưa có biểu mẫu điện tử.", tuple(no_form))
        )

    entry = [t for t, s in steps.items() if s.kind in ("submit", "receive")]
    entry_in_person = [t for t in entry if steps[t].presence != "none"]
    crit["c"] = bool(entry) and not entry_in_person
    if not entry:
        blockers.append(Blocker("c", "Không có bước nộp hồ sơ trực tuyến."))
    elif entry_in_person:
        blockers.append(
            Blocker("c", "Nộp hoặc tiếp nhận hồ sơ phải có mặt trực tiếp.", tuple(entry_in_person))
        )

    paper = [k for k, c in state.components.items() if c.required and c.paper]
    crit["d"] = not paper
    if paper:
        blockers.append(
            Blocker(
                "d", "Còn thành phần hồ sơ bản chính hoặc bản sao chứng thực giấy.", tuple(paper)
            )
        )

    fee = (proc.get("fee") or {}).get("amount")
    pay = [t for t, s in steps.items() if s.kind == "pay"]
    pay_in_person = [t for t in pay if steps[t].presence != "none"]
    if pay_in_person:
        crit["dd"] = False
        blockers.append(Blocker("dd", "Nộp phí phải có mặt.", tuple(pay_in_person)))
    elif fee is None and not pay:
        crit["dd"] = procedure is not None and "fee" in proc
        if not crit["dd"]:
            blockers.append(Blocker("dd", "Chưa rõ phí, lệ phí và cách nộp (thiếu thông tin phí)."))
    elif fee and not pay:
        crit["dd"] = False
        blockers.append(Blocker("dd", "Thủ tục có phí nhưng không có bước thanh toán trực tuyến."))
    else:
        crit["dd"] = True

    present = [t for t, s in steps.items() if s.presence != "none"]
    crit["e"] = not present
    if present:
        law = [t for t in present if steps[t].presence == "required_by_law"]
        msg = "Yêu cầu có mặt hoặc kiểm tra tại chỗ"
        if law:
            msg += f" ({len(law)} bước do luật quy định)"
        blockers.append(Blocker("e", msg + ".", tuple(present)))

    deliver = [t for t, s in steps.items() if s.kind == "deliver_result"]
    deliver_in_person = [t for t in deliver if steps[t].presence != "none"]
    signs = [t for t, s in steps.items() if s.kind == "sign"]
    crit["g"] = bool(signs) or bool(set(deliver) - set(deliver_in_person))
    if not crit["g"]:
        blockers.append(Blocker("g", "Không có bước ký số tạo kết quả điện tử."))
    crit["h"] = crit["g"] and not deliver_in_person
    if deliver_in_person:
        blockers.append(
            Blocker("h", "Kết quả chỉ trả trực tiếp tại cơ quan.", tuple(deliver_in_person))
        )
    elif not crit["g"]:
        blockers.append(Blocker("h", "Không trả kết quả điện tử hoặc qua bưu chính."))

    score = float(sum(READINESS_WEIGHTS[k] for k, ok in crit.items() if ok))
    return Readiness(score=score, band=band(score), criteria=crit, blockers=blockers)


def scores(
    state: ModelState,
    *,
    procedure: dict | None,
    forms: dict,
    procedure_code: str | None,
    cost_params: dict | None,
    dag: nx.DiGraph | None = None,
) -> Scores:
    """All scores of one model state (``dag``: its acyclic graph, if already computed)."""
    steps = state.steps
    citizen = [t for t, s in steps.items() if citizen_facing(s)]
    visits = sum(1 for s in steps.values() if s.presence != "none" and s.kind != "inspect")
    on_site = sum(1 for s in steps.values() if s.presence != "none" and s.kind == "inspect")
    cp_min, cp = critical_path(state, dag)
    typed_forms = {state.task_forms[t] for t in citizen if state.task_forms.get(t) in state.typed}
    typed = sum(len(state.typed[f]) for f in typed_forms)
    required = [c for c in state.components.values() if c.required]
    ready = readiness(state, procedure, forms, procedure_code)
    cost = None
    if cost_params is not None:
        fee_info = (procedure or {}).get("fee") or {}
        fee = fee_info.get("amount") or 0
        # Circular 63/2023/TT-BTC: reduced fees when the whole procedure is done online.
        if ready.full_online and fee_info.get("online_amount") is not None:
            fee = fee_info["online_amount"]
        volume = ((procedure or {}).get("annual_volume") or {}).get("dossiers")
        cost = compliance_cost(
            cost_params,
            components=[c.copy for c in required],
            typed_fields=typed,
            citizen_steps=[
                (state.names.get(t) or t, steps[t].kind, steps[t].citizen_min)
                for t in citizen
                if not steps[t].automated
            ],
            visits=visits,
            on_site=on_site,
            fee=float(fee),
            annual_volume=int(volume) if volume else None,
        )
    return Scores(
        steps=sum(1 for s in steps.values() if not s.automated),
        citizen_steps=len(citizen),
        components=len(required),
        typed_fields=typed,
        visits=visits,
        on_site_checks=on_site,
        critical_path_min=cp_min,
        critical_path=cp,
        readiness=ready,
        cost=cost,
    )


def savings(before: Scores, after: Scores) -> dict:
    """Before − after, with the time and cost cuts against Resolution 66/NQ-CP's 30%."""

    def pct(b: float, a: float) -> float:
        return round((b - a) / b * 100, 1) if b else 0.0

    out = {
        "steps": before.steps - after.steps,
        "citizen_steps": before.citizen_steps - after.citizen_steps,
        "components": before.components - after.components,
        "typed_fields": before.typed_fields - after.typed_fields,
        "visits": before.visits - after.visits,
        "critical_path_min": round(before.critical_path_min - after.critical_path_min, 1),
        "time_cut_pct": pct(before.critical_path_min, after.critical_path_min),
        "readiness_gain": after.readiness.score - before.readiness.score,
    }
    out["meets_time_target"] = out["time_cut_pct"] >= TARGET_CUT * 100
    if before.cost and after.cost:
        out["cost_per_dossier"] = round(before.cost.per_dossier - after.cost.per_dossier)
        out["cost_cut_pct"] = pct(before.cost.per_dossier, after.cost.per_dossier)
        out["meets_cost_target"] = out["cost_cut_pct"] >= TARGET_CUT * 100
        if before.cost.annual is not None and after.cost.annual is not None:
            out["annual_cost"] = round(before.cost.annual - after.cost.annual)
    return out
