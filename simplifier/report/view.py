"""What a report says, as plain Vietnamese text and numbers, before any output format.

:func:`procedure_view` (and :mod:`.view_catalogue` for a whole catalogue) turns an
analysis into lists and dicts of ready-to-print strings, so the HTML and Markdown templates
only lay them out. Element ids, rule names, registry ids and Python values never reach the
text: steps, components, registries, fields and document types are named by their labels.
"""

from __future__ import annotations

from typing import Any

from toantrinh.bpmn.vocabulary import label as vocab

from ..analysis import Analysis
from ..cost import Cost
from ..labels import label
from ..law import UNCHECKED
from ..rules import Finding
from ..rules.context import STATUSES
from ..score import BANDS_NOTE, CRITERION_LETTER, Readiness
from .fmt import count, duration, listing, num, pct, signed, vnd, yes_no

CRITERIA = ("a", "b", "c", "d", "dd", "e", "g", "h")
NO_DOT = (
    "Không vẽ được sơ đồ: máy chưa cài Graphviz (chương trình “dot”). Cài bằng lệnh "
    "“apt-get install graphviz” rồi tạo lại báo cáo."
)


class Names:
    """Labels of what an analysis refers to by id."""

    def __init__(self, a: Analysis):
        self.a = a
        cat = a._inputs.get("catalogue") or {}
        self.fields: dict[str, str] = cat.get("fields") or {}
        self.documents: dict[str, str] = cat.get("document_types") or {}
        self.registries = {r.id: r.name_vi for r in a.registries}

    def target(self, key: str) -> str:
        if key in self.a.components:
            return self.a.components[key].name
        node = self.a.pm.nodes.get(key)
        if node is not None and node.name:
            return node.name
        return self.a.state_after.names.get(key) or "bước không tên"

    def field(self, name: str, form: dict | None = None) -> str:
        prop = ((form or {}).get("properties") or {}).get(name) or {}
        return prop.get("title") or self.fields.get(name) or name.replace("_", " ")

    def document(self, doc: str | None) -> str:
        return self.documents.get(doc or "", "") or "loại chưa xác định"

    def registry(self, rid: str) -> str:
        return self.registries.get(rid, rid)


# ---------------------------------------------------------------- one procedure


def procedure_view(a: Analysis, diagrams: dict[str, str | None] | None = None) -> dict[str, Any]:
    """Everything the report of one procedure prints."""
    names = Names(a)
    return {
        "name": a.name,
        "code": a.procedure_code or "chưa ghi",
        "scores": score_rows(a),
        "targets": target_lines(a),
        "readiness": readiness_view(a.before.readiness, a.after.readiness),
        "bands_note": BANDS_NOTE,
        "registries": registry_rows(a, names),
        "registry_readiness": [
            {
                "name": r["name_vi"],
                "connected": yes_no(r["connected"]),
                "published": yes_no(r["scope_published"]),
                "actionable": num(r["actionable"]),
                "blocked": num(r["blocked"]),
                "potential": num(r["potential"]),
            }
            for r in a.registry_readiness()
        ],
        "what_if": [what_if_row(w) for w in a.what_if()],
        "assumption": assumption_text(a),
        "findings": finding_groups(a, names),
        "unchecked": (
            f"Căn cứ ghi “{UNCHECKED}” mới được đối chiếu với bản tóm tắt văn bản của nhóm phát "
            "triển, chưa với nguyên văn; cần rà soát trước khi công bố kế hoạch đơn giản hóa."
            if any(UNCHECKED in b for f in a.findings for b in f.legal_basis)
            else ""
        ),
        "diagrams": diagrams,
        "no_dot": NO_DOT,
        "cost": cost_view(a),
        "structure": structure_view(a, names),
        "steps": step_rows(a),
        "components": component_rows(a, names),
        "notes": list(dict.fromkeys(a.warnings + a.plan.notes + a.after.readiness.notes)),
    }


def score_rows(a: Analysis) -> list[dict[str, str]]:
    b, f, s = a.before, a.after, a.savings
    rows = [
        ("Số bước do người thực hiện", num(b.steps), num(f.steps), signed(s["steps"])),
        (
            "Số bước người dân phải làm",
            num(b.citizen_steps),
            num(f.citizen_steps),
            signed(s["citizen_steps"]),
        ),
        (
            "Thành phần hồ sơ phải nộp",
            num(b.components),
            num(f.components),
            signed(s["components"]),
        ),
        (
            "Trường biểu mẫu phải tự nhập",
            num(b.typed_fields),
            num(f.typed_fields),
            signed(s["typed_fields"]),
        ),
        ("Lần phải đến cơ quan", num(b.visits), num(f.visits), signed(s["visits"])),
        (
            "Thời gian giải quyết (đường găng)",
            duration(b.critical_path_min),
            duration(f.critical_path_min),
            f"{duration(s['critical_path_min'])} ({pct(s['time_cut_pct'])})",
        ),
        (
            "Mức sẵn sàng toàn trình",
            f"{num(b.readiness.score, 1)} điểm, loại {b.readiness.band}",
            f"{num(f.readiness.score, 1)} điểm, loại {f.readiness.band}",
            signed(-s["readiness_gain"], "điểm"),
        ),
    ]
    if b.cost and f.cost:
        rows.append(
            (
                "Chi phí tuân thủ một hồ sơ",
                vnd(b.cost.per_dossier),
                vnd(f.cost.per_dossier),
                f"{vnd(s.get('cost_per_dossier'))} ({pct(s.get('cost_cut_pct'))})",
            )
        )
        if b.cost.annual is not None and f.cost.annual is not None:
            rows.append(
                (
                    "Chi phí tuân thủ một năm",
                    vnd(b.cost.annual),
                    vnd(f.cost.annual),
                    vnd(s.get("annual_cost")),
                )
            )
    return [{"label": r[0], "before": r[1], "after": r[2], "saved": r[3]} for r in rows]


def target_lines(a: Analysis) -> list[str]:
    s = a.savings
    out = [
        f"Thời gian giải quyết giảm {pct(s['time_cut_pct'])}: "
        + ("đạt" if s["meets_time_target"] else "chưa đạt")
        + " mục tiêu cắt giảm 30% của Nghị quyết 66/NQ-CP."
    ]
    if "cost_cut_pct" in s:
        out.append(
            f"Chi phí tuân thủ giảm {pct(s['cost_cut_pct'])}: "
            + ("đạt" if s["meets_cost_target"] else "chưa đạt")
            + " mục tiêu cắt giảm 30% của Nghị quyết 66/NQ-CP."
        )
    else:
        out.append("Chưa tính chi phí tuân thủ: chưa có mô hình chi phí.")
    return out


def _mark(value: bool | None) -> str:
    return "không áp dụng" if value is None else "đạt" if value else "chưa đạt"


def readiness_view(before: Readiness, after: Readiness) -> dict[str, Any]:
    rows = []
    for k in CRITERIA:
        b, f = before.criteria.get(k), after.criteria.get(k)
        reason = after.not_applicable.get(k) or before.not_applicable.get(k) or ""
        rows.append(
            {
                "label": label("criteria", k),
                "detail": label("criteria", k, "detail"),
                "before": _mark(b),
                "after": _mark(f),
                "before_ok": b is not False,
                "after_ok": f is not False,
                "note": reason,
            }
        )
    return {
        "before": f"{num(before.score, 1)} điểm, loại {before.band}",
        "after": f"{num(after.score, 1)} điểm, loại {after.band}",
        "before_band": before.band,
        "after_band": after.band,
        "rows": rows,
        "blockers": [
            f"Tiêu chí {CRITERION_LETTER[b.criterion]}: {b.message}" for b in after.blockers
        ],
    }


def registry_contributions(a: Analysis) -> list[dict[str, Any]]:
    """Per registry (by id): the form fields it already fills, those it will fill after the
    rewrite (property names, with their form), and the components it removes."""
    out: dict[str, dict[str, Any]] = {}
    connected = {r.id for r in a.registries if r.connected}
    names = {r.id: r.name_vi for r in a.registries}

    def entry(rid: str) -> dict[str, Any]:
        return out.setdefault(
            rid,
            {
                "id": rid,
                "name_vi": names.get(rid, rid),
                "prefilled": [],
                "new_prefill": [],
                "components": [],
                "forms": {},
            },
        )

    for t, form_id in a.state_before.task_forms.items():
        form = a.forms.get(form_id) or {}
        if a.steps[t].actor != "citizen":
            continue
        for prop, spec in (form.get("properties") or {}).items():
            pre = spec.get("x-prefill") if isinstance(spec, dict) else None
            if isinstance(pre, dict) and pre.get("source") in connected:
                e = entry(pre["source"])
                if prop not in e["prefilled"]:
                    e["prefilled"].append(prop)
                    e["forms"][prop] = form_id
    for form_id, fields in a.plan.prefill.items():
        for f in fields:
            e = entry(f["source"])
            e["new_prefill"].append(f["property"])
            e["forms"][f["property"]] = form_id
    for key, rid in a.plan.drop_components.items():
        if rid:
            entry(rid)["components"].append(a.components[key].name)
    return list(out.values())


def registry_rows(a: Analysis, names: Names) -> list[dict[str, str]]:
    """:func:`registry_contributions` in words."""
    out = {}
    for c in registry_contributions(a):

        def title(prop: str, c: dict = c) -> str:
            return names.field(prop, a.forms.get(c["forms"].get(prop, "")))

        out[c["id"]] = {
            "prefilled": [title(p) for p in c["prefilled"]],
            "new": [title(p) for p in c["new_prefill"]],
            "components": c["components"],
        }
    return [
        {
            "name": names.registry(rid),
            "prefilled": f"{num(len(e['prefilled']))}: {listing(e['prefilled'])}"
            if e["prefilled"]
            else "—",
            "new": f"{num(len(e['new']))}: {listing(e['new'])}" if e["new"] else "—",
            "components": listing(e["components"]),
        }
        for rid, e in out.items()
    ]


def what_if_row(w: dict) -> dict[str, str]:
    state = ("đã kết nối" if w["connected"] else "chưa kết nối") + (
        ", đã công bố phạm vi dữ liệu" if w["scope_published"] else ", chưa công bố phạm vi dữ liệu"
    )
    return {
        "name": w["name_vi"],
        "state": state,
        "steps": num(w["steps"]),
        "components": num(w["components"]),
        "fields": num(w["typed_fields"]),
        "visits": num(w["visits"]),
        "cost": vnd(w["cost_per_dossier"]),
        "readiness": f"{num(w['readiness_after'], 1)} điểm",
    }


def assumption_text(a: Analysis) -> str:
    connected = [r.name_vi for r in a.registries if r.connected]
    inputs = a._inputs
    if inputs.get("connected") is not None:
        head = "Phân tích giả định đúng các cơ sở dữ liệu sau đã kết nối"
    elif inputs.get("connect"):
        added = [Names(a).registry(r) for r in inputs["connect"]]
        head = f"Phân tích theo danh mục, giả định kết nối thêm {listing(added)}; các cơ sở dữ liệu đã kết nối"
    else:
        head = "Phân tích theo danh mục cơ sở dữ liệu; các cơ sở dữ liệu đã kết nối"
    return f"{head}: {listing(connected, 'không có')}."


# ---------------------------------------------------------------- findings


def finding_groups(a: Analysis, names: Names) -> list[dict[str, Any]]:
    out = []
    for status in STATUSES:
        group = [f for f in a.findings if f.status == status]
        if group:
            out.append(
                {
                    "status": status,
                    "title": f"{label('statuses', status)} ({num(len(group))})",
                    "entries": [finding_view(a, f, names) for f in group],
                }
            )
    return out


def finding_view(a: Analysis, f: Finding, names: Names) -> dict[str, Any]:
    return {
        "title": f.title_vi,
        "explanation": f.explanation,
        "rule": label("rules", f.rule),
        "targets": listing([names.target(t) for t in f.targets]),
        "confidence": pct(f.confidence * 100, 0),
        "grounds": listing([label("grounds", g) for g in f.grounds]),
        "saving": saving_text(f),
        "evidence": evidence_lines(a, f, names),
        "legal_basis": list(f.legal_basis),
        "status": f.status,
    }


def saving_text(f: Finding) -> str:
    s = f.saving
    parts = []
    if s.steps:
        parts.append(count(s.steps, "bước"))
    if s.components:
        parts.append(count(s.components, "thành phần hồ sơ"))
    if s.fields:
        parts.append(count(s.fields, "trường phải nhập"))
    if s.visits:
        parts.append(count(s.visits, "lần đến cơ quan"))
    if s.minutes:
        parts.append(f"{duration(s.minutes)} xử lý")
    if s.cost:
        parts.append(f"{vnd(s.cost)} mỗi hồ sơ")
    return listing(parts, "")


def evidence_lines(a: Analysis, f: Finding, names: Names) -> list[str]:
    """The evidence of a finding, in words."""
    e = f.evidence
    lines: list[str] = []
    if f.rule in ("components_available_in_registries", "abolished_components"):
        lines.append(f"Loại giấy tờ: {names.document(e.get('document_type'))}")
        if e.get("registries"):
            lines.append("Cơ sở dữ liệu: " + listing([names.registry(r) for r in e["registries"]]))
        if e.get("fields"):
            lines.append("Dữ liệu giấy tờ mang: " + listing([names.field(x) for x in e["fields"]]))
        if e.get("kept"):
            lines.append(f"Lý do giữ: {e['kept']}")
    elif f.rule == "paper_components":
        lines.append(
            f"Hình thức đang yêu cầu: {vocab('copy_forms', e.get('copy', ''), lower=True)}"
        )
    elif f.rule in ("verification_only_steps", "handoff_steps"):
        lines.append(f"Loại bước: {vocab('step_kinds', e.get('kind', ''), lower=True)}")
        if e.get("actor"):
            lines.append(f"Người thực hiện: {vocab('actors', e['actor'], lower=True)}")
        if e.get("inputs"):
            lines.append("Giấy tờ kiểm tra: " + listing([names.target(k) for k in e["inputs"]]))
        decides = "có" if e.get("decides_gateway") else "không"
        lines.append(f"Bước sau dùng dữ liệu của bước này: {decides}")
    elif f.rule == "consecutive_approvals":
        lines.append(
            f"Người thực hiện: {vocab('actors', e.get('actor', ''), lower=True)}; giữ lại bước "
            f"“{names.target(e.get('kept', ''))}”"
        )
    elif f.rule == "in_person_steps":
        lines.append(f"Yêu cầu có mặt: {vocab('presence', e.get('presence', ''), lower=True)}")
        if e.get("legal_basis"):
            lines.append(f"Căn cứ ghi trên bước: {e['legal_basis']}")
    elif f.rule == "parallelisable_steps":
        actors = [vocab("actors", x, lower=True) for x in e.get("actors", [])]
        lines.append("Người thực hiện: " + listing(actors))
        lines.append("Thời lượng: " + listing([duration(m) for m in e.get("durations_min", [])]))
    elif f.rule == "prefillable_form_fields":
        form = a.forms.get(e.get("form", ""))
        lines.append(
            "Trường được điền sẵn: "
            + listing([names.field(x["property"], form) for x in e.get("fields", [])])
        )
        lines.append(
            "Nguồn: " + listing(sorted({names.registry(x["source"]) for x in e.get("fields", [])}))
        )
    return lines


# ---------------------------------------------------------------- cost


def cost_view(a: Analysis) -> dict[str, Any] | None:
    if not (a.before.cost and a.after.cost):
        return None
    b = a.before.cost
    return {
        "method": (
            "Phương pháp của Thông tư 02/2017/TT-VPCP, Điều 27 (mô hình chi phí chuẩn): thời "
            "gian người nộp bỏ ra cho từng hoạt động × thu nhập bình quân "
            f"({vnd(b.hourly_income)} mỗi giờ) + phí, lệ phí + chi phí khác; chi phí một năm = "
            f"chi phí một hồ sơ × {count(b.annual_volume or 0, 'hồ sơ')} mỗi năm. Mỗi hoạt động "
            "chỉ tính một lần; bước trong vòng bổ sung hồ sơ chỉ tính cho tỷ lệ hồ sơ phải bổ sung."
        ),
        "sides": [cost_table("Hiện tại", b), cost_table("Sau đơn giản hóa", a.after.cost)],
    }


def cost_table(title: str, c: Cost) -> dict[str, Any]:
    rows = [
        {
            "activity": x.activity,
            "minutes": f"{num(x.minutes, 1)} phút"
            + ("" if x.weight == 1 else f" × {pct(x.weight * 100, 0)} hồ sơ"),
            "outlay": vnd(x.outlay * x.weight) if x.outlay else "—",
        }
        for x in c.activities
    ]
    formula = (
        f"{num(c.citizen_minutes, 1)} phút ÷ 60 × {vnd(c.hourly_income)} = {vnd(c.time_cost)}; "
        f"cộng phí, lệ phí {vnd(c.fee)} và chi phí khác {vnd(c.outlays)}: {vnd(c.per_dossier)} "
        "một hồ sơ"
        + (
            f"; × {count(c.annual_volume, 'hồ sơ')} = {vnd(c.annual)} một năm."
            if c.annual is not None and c.annual_volume
            else "."
        )
    )
    return {"title": title, "rows": rows, "formula": formula, "total": vnd(c.per_dossier)}


# ---------------------------------------------------------------- structure and inference


def structure_view(a: Analysis, names: Names) -> dict[str, Any]:
    mb, ma = a.metrics_before.as_dict(), a.metrics_after.as_dict()
    return {
        "problems": [
            f"{label('problems', p.kind)}: {p.message} ({listing([names.target(t) for t in p.targets])})"
            for p in a.structure.problems
        ],
        "metrics": [
            {
                "label": label("metrics", k),
                "before": num(mb[k], 2 if isinstance(mb[k], float) else 0),
                "after": num(ma[k], 2 if isinstance(ma[k], float) else 0),
            }
            for k in mb
        ],
    }


_SOURCE = {"annotation": "chú thích", "label": "suy luận từ tên gọi", "default": "mặc định"}


def step_rows(a: Analysis) -> list[dict[str, Any]]:
    return [
        {
            "name": a.pm.nodes[t].name or "bước không tên",
            "kind": vocab("step_kinds", s.kind),
            "actor": vocab("actors", s.actor),
            "presence": vocab("presence", s.presence),
            "duration": duration(s.duration_min),
            "source": _SOURCE.get(s.source, s.source),
            "confidence": pct(s.confidence * 100, 0),
            "low": s.confidence < 0.7,
        }
        for t, s in a.steps.items()
    ]


def component_rows(a: Analysis, names: Names) -> list[dict[str, str]]:
    return [
        {
            "name": c.name,
            "document": names.document(c.document_type),
            "form": vocab("copy_forms", c.copy) if c.copy_source != "default" else "chưa rõ",
            "source": _SOURCE.get(c.source, c.source),
            "confidence": pct(c.confidence * 100, 0),
        }
        for c in a.components.values()
    ]
