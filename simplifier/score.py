"""Scores of a model state: size for the citizen, time, cost and full-online readiness.

A :class:`ModelState` is what scoring needs of a model (its flattened graph, its steps,
the components still required, the typed form fields); the simplifier scores the
original state and the simplified one (``rewrite.apply_plan``) the same way.

Full-online readiness ("toàn trình") is scored on the criteria of Circular
01/2023/TT-VPCP Art. 13(1) a–h. A criterion that does not apply to a model (no fee to
pay; no result to return, as in a notification; the citizen-facing criteria of a
back-office part of a linked group) is *not applicable* and leaves the score: the score
is the share of the applicable weight that is met. The A–E bands are those of the
national assessment of procedure information systems (A 90–100, B 80–89, C 65–79,
D 50–64, E < 50), applied here to procedures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from .cost import Cost, CostActivity, compliance_cost, supplement_share
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
CRITERION_LETTER = {"a": "a", "b": "b", "c": "c", "d": "d", "dd": "đ", "e": "e", "g": "g", "h": "h"}
TARGET_CUT = 0.30  # Resolution 66/NQ-CP (2025)
BANDS_NOTE = (
    "Xếp loại A–E theo thang điểm đánh giá Hệ thống thông tin giải quyết thủ tục hành chính "
    "của Bộ, tỉnh (A 90–100, B 80–89, C 65–79, D 50–64, E dưới 50), ở đây áp dụng cho "
    "từng thủ tục theo các tiêu chí của Thông tư 01/2023/TT-VPCP Điều 13 khoản 1."
)


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
    eform: bool = False  # the applicant types the declaration into an e-form
    back_office: bool = False  # started by another procedure, no applicant step
    _loop: set[str] | None = None

    @property
    def loop(self) -> set[str]:
        """The steps on a cycle of this state's graph (computed once)."""
        if self._loop is None:
            self._loop = in_loop(self.g)
        return self._loop


@dataclass
class Blocker:
    criterion: str
    message: str
    targets: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"criterion": self.criterion, "message": self.message, "targets": list(self.targets)}


@dataclass
class Readiness:
    """Full-online readiness ("mức độ sẵn sàng toàn trình").

    ``criteria`` maps a criterion to True (met), False (not met) or None (not
    applicable, with its reason in ``not_applicable``).
    """

    score: float
    band: str
    criteria: dict[str, bool | None]
    blockers: list[Blocker] = field(default_factory=list)
    not_applicable: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def full_online(self) -> bool:
        return all(v is not False for v in self.criteria.values())

    def as_dict(self) -> dict:
        return {
            "score": self.score,
            "band": self.band,
            "full_online": self.full_online,
            "criteria": self.criteria,
            "blockers": [b.as_dict() for b in self.blockers],
            "not_applicable": self.not_applicable,
            "notes": self.notes,
        }


def readiness_score(criteria: dict[str, bool | None]) -> float:
    """The share (in %) of the applicable weight that is met.

    >>> readiness_score({"a": True, "e": False, "g": None})
    33.3
    """
    applicable = [k for k, v in criteria.items() if v is not None]
    total = sum(READINESS_WEIGHTS[k] for k in applicable)
    if not total:
        return 100.0
    return round(100 * sum(READINESS_WEIGHTS[k] for k in applicable if criteria[k]) / total, 1)


def combine_criteria(criteria: list[dict[str, bool | None]]) -> dict[str, bool | None]:
    """The criteria of several parts scored as one service (a linked group): a criterion
    fails if one part fails it, holds if a part meets it and none fails it, and does not
    apply if it applies to no part.

    >>> combine_criteria([{"a": None, "e": True}, {"a": True, "e": False}])
    {'a': True, 'e': False}
    """
    keys = [k for k in READINESS_WEIGHTS if any(k in c for c in criteria)]
    out: dict[str, bool | None] = {}
    for k in keys:
        values = [c.get(k) for c in criteria]
        out[k] = False if False in values else True if True in values else None
    return out


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
    return not info.automated and (
        info.actor == "citizen"
        or info.kind in ("submit", "pay", "deliver_result")
        or (info.presence != "none" and info.kind != "inspect")
    )


def critical_path(state: ModelState, dag: nx.DiGraph | None = None) -> tuple[float, list[str]]:
    """Longest path over step durations, ignoring back edges (loops run once)."""
    weight = {t: s.duration_min for t, s in state.steps.items()}
    return longest_path(dag if dag is not None else acyclic(state.g), weight)


def in_loop(g: nx.DiGraph) -> set[str]:
    """Nodes on a cycle (strongly connected components with more than one node, or a
    self-loop): the steps a dossier goes through again when it is sent back."""
    out: set[str] = set()
    for comp in nx.strongly_connected_components(g):
        if len(comp) > 1:
            out |= comp
        elif g.has_edge(n := next(iter(comp)), n):
            out.add(n)
    return out


def _paper(state: ModelState) -> list[str]:
    """Required components on paper (an e-form declaration is data, not paper)."""
    return [
        k
        for k, c in state.components.items()
        if c.required and c.paper and not (state.eform and c.document_type == "declaration_form")
    ]


def readiness(
    state: ModelState, procedure: dict | None, forms: dict, procedure_code: str | None
) -> Readiness:
    """Score Circular 01/2023/TT-VPCP Art. 13(1) a–h on a model state."""
    r = Readiness(score=0.0, band="E", criteria={})
    _information(r, state, procedure, procedure_code)
    _forms(r, state, forms)
    _submission(r, state)
    paper = _paper(state)
    r.criteria["d"] = not paper
    if paper:
        r.blockers.append(
            Blocker(
                "d", "Còn thành phần hồ sơ bản chính hoặc bản sao chứng thực giấy.", tuple(paper)
            )
        )
    _fees(r, state, procedure)
    _presence(r, state)
    _result(r, state, procedure)
    r.score = readiness_score(r.criteria)
    r.band = band(r.score)
    return r


_BACK_OFFICE = (
    "phần việc của cơ quan trong nhóm thủ tục liên thông, bắt đầu từ hồ sơ liên thông: tiêu chí "
    "này do thủ tục tiếp nhận hồ sơ của nhóm đáp ứng"
)


def _information(r: Readiness, state: ModelState, procedure: dict | None, code: str | None) -> None:
    if state.back_office:
        r.criteria["a"] = None
        r.not_applicable["a"] = _BACK_OFFICE
        return
    proc = procedure or {}
    missing = [
        label
        for key, label in (
            ("processing_time", "thời hạn giải quyết"),
            ("fee", "phí, lệ phí"),
            ("legal_basis", "căn cứ pháp lý"),
        )
        if proc.get(key) is None or proc.get(key) == []
    ]
    r.criteria["a"] = not missing
    if missing:
        r.blockers.append(Blocker("a", "Thiếu thông tin công khai: " + ", ".join(missing) + "."))
    if not (proc.get("code") or code):
        r.notes.append(
            "Mô hình chưa ghi mã thủ tục trên Cơ sở dữ liệu quốc gia về thủ tục hành chính; "
            "bổ sung để đối chiếu với thông tin đã công khai."
        )


def _citizen_tasks(state: ModelState) -> list[str]:
    return [t for t, s in state.steps.items() if s.actor == "citizen" and not s.automated]


def _forms(r: Readiness, state: ModelState, forms: dict) -> None:
    if state.back_office:
        r.criteria["b"] = None
        r.not_applicable["b"] = _BACK_OFFICE
        return
    citizen = _citizen_tasks(state)
    no_form = [t for t in citizen if state.task_forms.get(t) not in forms]
    r.criteria["b"] = bool(citizen) and not no_form
    if not citizen:
        r.blockers.append(Blocker("b", "Không có bước người nộp khai biểu mẫu điện tử."))
    elif no_form:
        r.blockers.append(
            Blocker("b", "Bước của người nộp chưa có biểu mẫu điện tử.", tuple(no_form))
        )


def _submission(r: Readiness, state: ModelState) -> None:
    if state.back_office:
        r.criteria["c"] = None
        r.not_applicable["c"] = _BACK_OFFICE
        return
    steps = state.steps
    entry = [t for t, s in steps.items() if s.kind in ("submit", "receive")]
    in_person = [t for t in entry if steps[t].presence != "none"]
    r.criteria["c"] = bool(entry) and not in_person
    if not entry:
        r.blockers.append(Blocker("c", "Không có bước nộp hồ sơ trực tuyến."))
    elif in_person:
        r.blockers.append(
            Blocker("c", "Nộp hoặc tiếp nhận hồ sơ phải có mặt trực tiếp.", tuple(in_person))
        )


def submitted_online(state: ModelState) -> bool:
    """Whether the dossier is submitted online: a submit or receive step, none in person
    (Circular 63/2023/TT-BTC's reduced fees apply to online submission)."""
    entry = [s for s in state.steps.values() if s.kind in ("submit", "receive")]
    return bool(entry) and all(s.presence == "none" for s in entry)


def _fees(r: Readiness, state: ModelState, procedure: dict | None) -> None:
    if state.back_office:
        r.criteria["dd"] = None
        r.not_applicable["dd"] = _BACK_OFFICE
        return
    proc = procedure or {}
    fee = (proc.get("fee") or {}).get("amount")
    pay = [t for t, s in state.steps.items() if s.kind == "pay"]
    pay_in_person = [t for t in pay if state.steps[t].presence != "none"]
    if pay_in_person:
        r.criteria["dd"] = False
        r.blockers.append(Blocker("dd", "Nộp phí phải có mặt.", tuple(pay_in_person)))
    elif pay:
        r.criteria["dd"] = True
    elif fee == 0:
        r.criteria["dd"] = None
        r.not_applicable["dd"] = "thủ tục không thu phí, lệ phí"
    elif fee is None:
        r.criteria["dd"] = False
        r.blockers.append(Blocker("dd", "Chưa rõ phí, lệ phí và cách nộp (thiếu thông tin phí)."))
    else:
        r.criteria["dd"] = False
        r.blockers.append(
            Blocker("dd", "Thủ tục có phí nhưng không có bước thanh toán trực tuyến.")
        )


def _presence(r: Readiness, state: ModelState) -> None:
    present = [t for t, s in state.steps.items() if s.presence != "none" and not s.automated]
    r.criteria["e"] = not present
    if not present:
        return
    law = [t for t in present if state.steps[t].law is not None]
    msg = "Yêu cầu có mặt hoặc kiểm tra tại chỗ"
    if law:
        reasons = sorted({req.title_vi for t in law if (req := state.steps[t].law) is not None})
        msg += f" ({len(law)} bước do pháp luật quy định: " + "; ".join(reasons) + ")"
    r.blockers.append(Blocker("e", msg + ".", tuple(present)))


def _result(r: Readiness, state: ModelState, procedure: dict | None) -> None:
    steps = state.steps
    deliver = [t for t, s in steps.items() if s.kind == "deliver_result"]
    signs = [t for t, s in steps.items() if s.kind == "sign"]
    if state.back_office and not deliver:
        for k in ("g", "h"):
            r.criteria[k] = None
            r.not_applicable[k] = (
                "kết quả phần việc này được trả qua hồ sơ liên thông của nhóm thủ tục"
            )
        return
    no_result = (
        procedure is not None
        and not (procedure.get("result_document") or procedure.get("result"))
        and not deliver
        and not signs
    )
    if no_result:
        for k in ("g", "h"):
            r.criteria[k] = None
            r.not_applicable[k] = "thủ tục không có kết quả để trả (thông báo, khai báo)"
        return
    deliver_in_person = [t for t in deliver if steps[t].presence != "none"]
    r.criteria["g"] = bool(signs) or bool(set(deliver) - set(deliver_in_person))
    if not r.criteria["g"]:
        r.blockers.append(Blocker("g", "Không có bước ký số tạo kết quả điện tử."))
    r.criteria["h"] = bool(r.criteria["g"]) and not deliver_in_person
    if deliver_in_person:
        r.blockers.append(
            Blocker("h", "Kết quả chỉ trả trực tiếp tại cơ quan.", tuple(deliver_in_person))
        )
    elif not r.criteria["g"]:
        r.blockers.append(Blocker("h", "Không trả kết quả điện tử hoặc qua bưu chính."))


def cost_activities(
    state: ModelState, params: dict, procedure: dict | None, citizen: list[str], typed: int
) -> list[CostActivity]:
    """The applicant's activities, each counted once (see ``toantrinh.simplifier.cost``)."""
    acts: list[CostActivity] = []
    if not citizen:
        return acts  # a back-office part: the applicant does nothing here
    acts.append(CostActivity("Tìm hiểu yêu cầu của thủ tục", params["learn_requirements_min"]))
    prep = params["prepare_component_min"]
    for c in state.components.values():
        if not c.required or (state.eform and c.document_type == "declaration_form"):
            continue
        acts.append(
            CostActivity(
                f"Chuẩn bị “{c.name}”",
                prep.get(c.copy, prep.get("copy", 15)),
                params["certified_copy_fee"] if c.copy == "certified_copy" else 0.0,
            )
        )
    loop = state.loop
    share = supplement_share(params, procedure)
    typed_by_form = _typed_by_form(state, citizen)
    for form, (count, step) in typed_by_form.items():
        acts.append(
            CostActivity(
                f"Nhập {count} trường của biểu mẫu “{state.names.get(step) or form}”",
                count * params["typed_field_min"],
                weight=share if step in loop else 1.0,
            )
        )
    per_step = params["citizen_step_min"]
    for t in citizen:
        s = state.steps[t]
        visit = s.presence != "none"
        if s.citizen_min is not None:
            minutes = s.citizen_min  # for an in-person step: the whole visit
        else:
            minutes = per_step.get(s.kind, per_step.get("other", 10))
            if visit:
                minutes += params["travel_min"] + params["queue_min"]
        label = f"Bước “{state.names.get(t) or t}”" + (" (đến cơ quan)" if visit else "")
        acts.append(
            CostActivity(
                label,
                minutes,
                params["travel_cost"] if visit else 0.0,
                weight=share if t in loop else 1.0,
            )
        )
    for t, s in state.steps.items():
        if s.kind == "inspect" and s.presence != "none":
            acts.append(
                CostActivity(
                    f"Có mặt khi kiểm tra thực địa “{state.names.get(t) or t}”",
                    params["on_site_inspection_min"],
                    weight=share if t in loop else 1.0,
                )
            )
    return acts


def _typed_by_form(state: ModelState, citizen: list[str]) -> dict[str, tuple[int, str]]:
    """Form → (typed fields, the first step of the applicant showing it): each form
    counted once; the forms officers fill at the steps the applicant attends are theirs."""
    out: dict[str, tuple[int, str]] = {}
    for t in citizen:
        if state.steps[t].actor != "citizen":
            continue
        form = state.task_forms.get(t)
        if form in state.typed and form not in out and state.typed[form]:
            out[form] = (len(state.typed[form]), t)
    return out


def fee_for(procedure: dict | None, online: bool) -> float:
    """The fee a dossier pays: the reduced online fee (Circular 63/2023/TT-BTC) when the
    dossier is submitted online."""
    info = (procedure or {}).get("fee") or {}
    fee = info.get("amount") or 0
    if online and info.get("online_amount") is not None:
        fee = info["online_amount"]
    return float(fee)


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
    typed = sum(n for n, _ in _typed_by_form(state, citizen).values())
    required = [c for c in state.components.values() if c.required]
    ready = readiness(state, procedure, forms, procedure_code)
    cost = None
    if cost_params is not None:
        volume = ((procedure or {}).get("annual_volume") or {}).get("dossiers")
        cost = compliance_cost(
            cost_params,
            cost_activities(state, cost_params, procedure, citizen, typed),
            fee=fee_for(procedure, submitted_online(state)),
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
        "readiness_gain": round(after.readiness.score - before.readiness.score, 1),
    }
    out["meets_time_target"] = out["time_cut_pct"] >= TARGET_CUT * 100
    if before.cost and after.cost:
        out["cost_per_dossier"] = round(before.cost.per_dossier - after.cost.per_dossier)
        out["cost_cut_pct"] = pct(before.cost.per_dossier, after.cost.per_dossier)
        out["meets_cost_target"] = out["cost_cut_pct"] >= TARGET_CUT * 100
        if before.cost.annual is not None and after.cost.annual is not None:
            out["annual_cost"] = round(before.cost.annual - after.cost.annual)
    return out
