"""Reports: one procedure or the whole catalogue, as HTML, JSON or Markdown.

Every function takes an analysis and returns a string. The HTML report is
self-contained (inline CSS and SVG) and in Vietnamese. Diagrams are drawn by
Graphviz: :func:`diagram_svg` pipes a DOT description through the ``dot`` program
(``graphviz.Digraph.pipe``) — the one subprocess the simplifier runs. When ``dot``
is not installed the report says so in place of the diagram (install it with
``apt-get install graphviz``) and everything else is unchanged.
"""

from __future__ import annotations

import base64
import html
import json

from .analysis import Analysis
from .catalogue import CatalogueAnalysis
from .infer import ACTOR_VI, COPY_VI, PRESENCE_VI
from .score import READINESS_LABELS

KIND_VI = {
    "submit": "nộp/khai",
    "receive": "tiếp nhận",
    "verify": "kiểm tra",
    "appraise": "thẩm định",
    "approve": "phê duyệt",
    "sign": "ký",
    "pay": "thanh toán",
    "deliver_result": "trả kết quả",
    "handoff": "chuyển hồ sơ",
    "inspect": "kiểm tra tại chỗ",
    "other": "khác",
}
STATUS_VI = {
    "actionable": "Áp dụng được ngay",
    "blocked": "Bị chặn (chưa công bố phạm vi dữ liệu)",
    "potential": "Nếu kết nối thêm CSDL",
    "advisory": "Khuyến nghị (cần sửa tay hoặc giữ lại)",
}
RULE_VI = {
    "components_available_in_registries": "Thành phần hồ sơ đã có trong CSDL",
    "paper_components": "Thành phần hồ sơ giấy",
    "verification_only_steps": "Bước chỉ kiểm tra giấy tờ",
    "handoff_steps": "Bước chuyển hồ sơ trung gian",
    "consecutive_approvals": "Duyệt/ký liên tiếp",
    "in_person_steps": "Bước yêu cầu có mặt",
    "parallelisable_steps": "Bước có thể song song",
    "prefillable_form_fields": "Trường biểu mẫu điền sẵn",
}
METRIC_VI = {
    "size": "Số phần tử (size)",
    "tasks": "Số bước",
    "gateways": "Số cổng",
    "events": "Số sự kiện",
    "arcs": "Số luồng",
    "cnc": "Hệ số kết nối (CNC)",
    "density": "Mật độ",
    "cfc": "Độ phức tạp luồng điều khiển (CFC)",
    "cyclomatic": "Số chu trình độc lập",
    "mccabe": "Độ phức tạp McCabe",
}
NO_DOT = (
    "Không vẽ được sơ đồ: chưa cài Graphviz (chương trình “dot”). "
    "Cài bằng “apt-get install graphviz” rồi tạo lại báo cáo."
)


def _vnd(x: float | None) -> str:
    return "—" if x is None else f"{round(x):,}".replace(",", ".") + " đ"


def _num(x: float) -> str:
    return f"{x:,.0f}".replace(",", ".") if abs(x) >= 1000 else (f"{x:g}")


def _hours(minutes: float) -> str:
    return f"{minutes / 60:.1f} giờ"


# ---------------------------------------------------------------- diagrams


def _dot_label(text: str, struck: bool) -> str:
    text = html.escape(text[:60] or "·")
    return f"<<S>{text}</S>>" if struck else f"<{text}>"


def diagram_svg(analysis: Analysis, side: str = "before") -> str | None:
    """SVG of the model before (removed steps red, struck) or after (new steps green).

    Returns None when the Graphviz ``dot`` program is missing.
    """
    import graphviz

    state = analysis.state_before if side == "before" else analysis.state_after
    removed = set(analysis.plan.remove_tasks) if side == "before" else set()
    dropped = set(analysis.plan.drop_components) if side == "before" else set()
    online = set(analysis.plan.online_steps)
    new = set(state.g) - set(analysis.state_before.g)
    dot = graphviz.Digraph(graph_attr={"rankdir": "LR", "fontname": "Helvetica", "fontsize": "10"})
    dot.attr("node", fontname="Helvetica", fontsize="10")
    for nid, data in state.g.nodes(data=True):
        node = data["node"]
        name = analysis.pm.nodes[nid].name if nid in analysis.pm.nodes else node.name
        attrs = {"label": _dot_label(name or nid, nid in removed)}
        if node.is_gateway:
            attrs.update(
                shape="diamond",
                label=_dot_label("+" if node.type == "parallelGateway" else "×", False),
            )
        elif node.is_event:
            attrs.update(shape="circle", width="0.3", label="", xlabel=_dot_label(name, False))
            if node.type == "endEvent":
                attrs["penwidth"] = "3"
        else:
            attrs.update(shape="box", style="rounded")
        if nid in removed:
            attrs.update(color="#c0392b", fontcolor="#c0392b", style="rounded,dashed")
        elif nid in new:
            attrs.update(color="#1e8449", fontcolor="#1e8449", style="rounded,bold")
        elif side == "after" and nid in online:
            attrs.update(color="#1e8449")
        dot.node(_safe(nid), **attrs)
    for u, v in state.g.edges():
        dot.edge(_safe(u), _safe(v))
    for _mid, src, tgt in analysis.pm.message_flows:
        if src in state.g and tgt in state.g:
            dot.edge(_safe(src), _safe(tgt), style="dashed", arrowhead="empty", constraint="false")
    for key, comp in analysis.components.items():
        if side == "after" and key in analysis.plan.drop_components:
            continue
        cid = "comp_" + _safe(key)
        attrs = {"shape": "note", "label": _dot_label(comp.name, key in dropped), "fontsize": "9"}
        if key in dropped:
            attrs.update(color="#c0392b", fontcolor="#c0392b")
        dot.node(cid, **attrs)
        for t, n in analysis.pm.nodes.items():
            if key in n.inputs and t in state.g:
                dot.edge(cid, _safe(t), style="dashed", arrowhead="none", constraint="false")
    try:
        svg = dot.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound:
        return None
    return svg[svg.find("<svg") :]


def _safe(nid: str) -> str:
    return "n_" + "".join(c if c.isalnum() else "_" for c in nid)


# ---------------------------------------------------------------- JSON


def to_json(analysis: Analysis) -> str:
    return json.dumps(analysis.as_dict(), ensure_ascii=False, indent=2, default=str)


def catalogue_json(cat: CatalogueAnalysis) -> str:
    return json.dumps(cat.as_dict(), ensure_ascii=False, indent=2, default=str)


# ---------------------------------------------------------------- shared rows


def _score_rows(a: Analysis) -> list[tuple[str, str, str, str]]:
    b, f, s = a.before, a.after, a.savings
    rows = [
        ("Số bước do người thực hiện", str(b.steps), str(f.steps), str(s["steps"])),
        (
            "Bước người dân phải làm",
            str(b.citizen_steps),
            str(f.citizen_steps),
            str(s["citizen_steps"]),
        ),
        ("Thành phần hồ sơ", str(b.components), str(f.components), str(s["components"])),
        (
            "Trường biểu mẫu phải tự nhập",
            str(b.typed_fields),
            str(f.typed_fields),
            str(s["typed_fields"]),
        ),
        ("Lượt đến cơ quan", str(b.visits), str(f.visits), str(s["visits"])),
        (
            "Thời gian theo đường găng",
            _hours(b.critical_path_min),
            _hours(f.critical_path_min),
            f"{_hours(s['critical_path_min'])} ({s['time_cut_pct']}%)",
        ),
        (
            "Mức sẵn sàng toàn trình",
            f"{b.readiness.score:g} ({b.readiness.band})",
            f"{f.readiness.score:g} ({f.readiness.band})",
            f"+{s['readiness_gain']:g}",
        ),
    ]
    if b.cost and f.cost:
        rows.append(
            (
                "Chi phí tuân thủ / hồ sơ",
                _vnd(b.cost.per_dossier),
                _vnd(f.cost.per_dossier),
                f"{_vnd(s.get('cost_per_dossier'))} ({s.get('cost_cut_pct')}%)",
            )
        )
        if b.cost.annual is not None:
            rows.append(
                (
                    "Chi phí tuân thủ / năm",
                    _vnd(b.cost.annual),
                    _vnd(f.cost.annual),
                    _vnd(s.get("annual_cost")),
                )
            )
    return rows


def _targets(a: Analysis) -> list[str]:
    s = a.savings
    out = [
        f"Thời gian: giảm {s['time_cut_pct']}% — "
        + ("đạt" if s["meets_time_target"] else "chưa đạt")
        + " mục tiêu 30% của Nghị quyết 66/NQ-CP."
    ]
    if "cost_cut_pct" in s:
        out.append(
            f"Chi phí tuân thủ: giảm {s['cost_cut_pct']}% — "
            + ("đạt" if s["meets_cost_target"] else "chưa đạt")
            + " mục tiêu 30% của Nghị quyết 66/NQ-CP."
        )
    else:
        out.append("Chi phí tuân thủ: chưa tính (không có mô hình chi phí).")
    return out


def registry_contributions(a: Analysis) -> list[dict]:
    """Per registry: form fields it fills (already or after the rewrite) and components it removes."""
    out: dict[str, dict] = {}
    names = {r.id: r.name_vi for r in a.registries}
    connected = {r.id for r in a.registries if r.connected}

    def entry(rid):
        return out.setdefault(
            rid,
            {
                "id": rid,
                "name_vi": names.get(rid, rid),
                "prefilled": [],
                "new_prefill": [],
                "components": [],
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
    for fields in a.plan.prefill.values():
        for f in fields:
            entry(f["source"])["new_prefill"].append(f["property"])
    for key, rid in a.plan.drop_components.items():
        if not rid:  # abolished by law, not replaced by a registry
            continue
        entry(rid)["components"].append(a.components[key].name)
    return list(out.values())


# ---------------------------------------------------------------- Markdown


def to_markdown(a: Analysis) -> str:
    lines = [f"# Báo cáo đơn giản hóa: {a.name}", ""]
    if a.procedure_code:
        lines += [f"Mã thủ tục: {a.procedure_code}", ""]
    lines += [
        "## Kết quả",
        "",
        "| Chỉ tiêu | Hiện tại | Sau đơn giản hóa | Tiết kiệm |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} |" for r in _score_rows(a)]
    lines += [""] + [f"- {t}" for t in _targets(a)] + [""]
    lines += ["## Mức sẵn sàng toàn trình (Thông tư 01/2023/TT-VPCP, Điều 13)", ""]
    lines += ["| Tiêu chí | Hiện tại | Sau |", "|---|---|---|"]
    for k, label in READINESS_LABELS.items():
        lines.append(
            f"| {label} | {'✓' if a.before.readiness.criteria[k] else '✗'} | {'✓' if a.after.readiness.criteria[k] else '✗'} |"
        )
    if a.after.readiness.blockers:
        lines += ["", "Còn vướng sau đơn giản hóa:", ""]
        lines += [f"- ({b.criterion}) {b.message}" for b in a.after.readiness.blockers]
    contrib = registry_contributions(a)
    if contrib:
        lines += ["", "## Dữ liệu do cơ sở dữ liệu cung cấp", ""]
        for c in contrib:
            lines.append(f"### {c['name_vi']}")
            if c["prefilled"]:
                lines.append(
                    f"- Trường đã điền sẵn ({len(c['prefilled'])}): {', '.join(c['prefilled'])}"
                )
            if c["new_prefill"]:
                lines.append(
                    f"- Trường sẽ điền sẵn ({len(c['new_prefill'])}): {', '.join(c['new_prefill'])}"
                )
            if c["components"]:
                lines.append(
                    f"- Thành phần hồ sơ được bỏ ({len(c['components'])}): {'; '.join(c['components'])}"
                )
            lines.append("")
    wi = a.what_if()
    if wi:
        lines += ["## Nếu kết nối thêm một CSDL (và công bố phạm vi dữ liệu)", ""]
        lines += [
            "| CSDL | Hiện trạng | Bớt bước | Bớt thành phần | Bớt trường | Bớt lượt | Bớt chi phí/hồ sơ | Sẵn sàng sau |"
        ]
        lines += ["|---|---|---|---|---|---|---|---|"]
        lines += ["| " + " | ".join(_what_if_row(w)) + " |" for w in wi]
        lines.append("")
    lines += ["## Phát hiện", ""]
    for status in ("actionable", "blocked", "potential", "advisory"):
        group = [f for f in a.findings if f.status == status]
        if not group:
            continue
        lines += [f"### {STATUS_VI[status]} ({len(group)})", ""]
        for f in group:
            lines.append(f"- **{f.title_vi}** — {f.explanation}")
            lines.append(
                f"  - Quy tắc: `{f.rule}`; đối tượng: {', '.join(f.targets)}; độ tin cậy {f.confidence:.2f}"
            )
            lines.append(f"  - Căn cứ: {'; '.join(f.legal_basis)}")
            sv = _saving_text(f.saving)
            if sv:
                lines.append(f"  - Tiết kiệm: {sv}")
        lines.append("")
    if a.structure.problems:
        lines += ["## Vấn đề cấu trúc", ""]
        lines += [f"- `{p.kind}` {', '.join(p.targets)}: {p.message}" for p in a.structure.problems]
        lines.append("")
    lines += ["## Độ phức tạp", "", "| Chỉ số | Hiện tại | Sau |", "|---|---|---|"]
    mb, ma = a.metrics_before.as_dict(), a.metrics_after.as_dict()
    lines += [f"| {METRIC_VI.get(k, k)} | {mb[k]} | {ma[k]} |" for k in mb]
    if a.warnings or a.plan.notes:
        lines += ["", "## Ghi chú", ""] + [f"- {w}" for w in a.warnings + a.plan.notes]
    return "\n".join(lines) + "\n"


def _what_if_row(w: dict) -> list[str]:
    state = ("đã kết nối" if w["connected"] else "chưa kết nối") + (
        ", đã công bố phạm vi" if w["scope_published"] else ", chưa công bố phạm vi"
    )
    return [
        w["name_vi"],
        state,
        str(w["steps"]),
        str(w["components"]),
        str(w["typed_fields"]),
        str(w["visits"]),
        _vnd(w["cost_per_dossier"]),
        f"{w['readiness_after']:g}",
    ]


def _cut(pct) -> str:
    return f"−{pct}%" if pct and pct > 0 else "0%"


def _saving_text(s) -> str:
    parts = []
    if s.steps:
        parts.append(f"{s.steps} bước")
    if s.components:
        parts.append(f"{s.components} thành phần")
    if s.fields:
        parts.append(f"{s.fields} trường")
    if s.visits:
        parts.append(f"{s.visits} lượt đi lại")
    if s.minutes:
        parts.append(f"{_hours(s.minutes)} xử lý")
    if s.cost:
        parts.append(f"{_vnd(s.cost)}/hồ sơ")
    return ", ".join(parts)


def catalogue_markdown(cat: CatalogueAnalysis) -> str:
    t = cat.totals
    lines = [
        "# Báo cáo đơn giản hóa toàn bộ danh mục thủ tục",
        "",
        f"- Số thủ tục phân tích: {t['procedures']} (lỗi: {t['failed']})",
        f"- Bước bỏ được: {t['steps_removed']}; thành phần hồ sơ bỏ được: {t['components_removed']}; "
        f"trường biểu mẫu bớt: {t['typed_fields_removed']}; lượt đi lại bớt: {t['visits_removed']}",
        f"- Chi phí tuân thủ tiết kiệm mỗi năm: {_vnd(t['annual_cost_saved'])}",
        f"- Đạt mục tiêu 30% thời gian: {t['meeting_time_target']}; 30% chi phí: {t['meeting_cost_target']}",
        f"- Toàn trình (100 điểm): {t['full_online_before']} → {t['full_online_after']}",
        f"- Xếp loại trước: {t['bands_before']}; sau: {t['bands_after']}",
        "",
        "## Xếp hạng theo mức tiết kiệm",
        "",
        "| # | Thủ tục | Bước | Thành phần | Trường | Lượt | Thời gian | Chi phí/năm | Sẵn sàng |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for i, e in enumerate(cat.entries, 1):
        s = e["savings"]
        lines.append(
            f"| {i} | {e['name']} (`{e['slug']}`) | −{s['steps']} | −{s['components']} | −{s['typed_fields']} | "
            f"−{s['visits']} | {_cut(s['time_cut_pct'])} | {_vnd(s.get('annual_cost'))} | "
            f"{e['before']['readiness']:g}{e['before']['band']} → {e['after']['readiness']:g}{e['after']['band']} |"
        )
    lines += ["", "## Xếp hạng theo mức sẵn sàng toàn trình sau đơn giản hóa", ""]
    for i, e in enumerate(cat.by_readiness, 1):
        lines.append(f"{i}. {e['name']} — {e['after']['readiness']:g} ({e['after']['band']})")
    if cat.registries:
        lines += [
            "",
            "## Theo cơ sở dữ liệu",
            "",
            "| CSDL | Kết nối | Công bố phạm vi | Thủ tục | Áp dụng | Bị chặn | Nếu kết nối |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in cat.registries:
            lines.append(
                f"| {r['name_vi']} | {'có' if r['connected'] else 'chưa'} | {'có' if r['scope_published'] else 'chưa'} | "
                f"{r['procedures']} | {r['actionable']} | {r['blocked']} | {r['potential']} |"
            )
    if cat.errors:
        lines += ["", "## Không đọc được", ""] + [
            f"- `{e['slug']}`: {e['error']}" for e in cat.errors
        ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1200px;color:#222;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:2px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.ok{color:#1e8449;font-weight:bold}.no{color:#c0392b;font-weight:bold}
.finding{border-left:4px solid #999;padding:.3rem .8rem;margin:.6rem 0;background:#fafafa}
.actionable{border-color:#1e8449}.blocked{border-color:#c0392b}.potential{border-color:#2874a6}.advisory{border-color:#b7950b}
.basis{font-size:.85rem;color:#555}.band{font-size:1.4rem;font-weight:bold}
.diagram{overflow-x:auto;border:1px solid #ddd;padding:.5rem;margin:.5rem 0}.muted{color:#777}
tr.low td{background:#fff4e5}
"""


def _e(x) -> str:
    return html.escape(str(x))


def _table(
    head: list[str], rows: list[list[str]], raw: bool = False, flagged: set[int] = frozenset()
) -> str:
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join(
        ("<tr class='low'>" if i in flagged else "<tr>")
        + "".join(f"<td>{c if raw else _e(c)}</td>" for c in r)
        + "</tr>"
        for i, r in enumerate(rows)
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _mark(ok: bool) -> str:
    return '<span class="ok">✓</span>' if ok else '<span class="no">✗</span>'


def to_html(a: Analysis, diagrams: bool = True) -> str:
    """Self-contained Vietnamese HTML report for one procedure."""
    parts = [
        f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>Đơn giản hóa: {_e(a.name)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Báo cáo đơn giản hóa thủ tục: {_e(a.name)}</h1>",
        f"<p class='muted'>Mã thủ tục: {_e(a.procedure_code or 'chưa có')} · Mã mô hình: {_e(a.slug)}</p>",
        "<h2>Kết quả trước và sau đơn giản hóa</h2>",
        _table(
            ["Chỉ tiêu", "Hiện tại", "Sau đơn giản hóa", "Tiết kiệm"],
            [list(r) for r in _score_rows(a)],
        ),
        "<ul>" + "".join(f"<li>{_e(t)}</li>" for t in _targets(a)) + "</ul>",
        "<h2>Mức sẵn sàng cung cấp dịch vụ công trực tuyến toàn trình</h2>",
        f"<p>Hiện tại: <span class='band'>{a.before.readiness.score:g} điểm — loại {a.before.readiness.band}</span>; "
        f"sau đơn giản hóa: <span class='band'>{a.after.readiness.score:g} điểm — loại {a.after.readiness.band}</span> "
        "(Thông tư 01/2023/TT-VPCP, Điều 13 khoản 1; xếp loại A 90–100, B 80–89, C 65–79, D 50–64, E dưới 50).</p>",
        _table(
            ["Tiêu chí", "Hiện tại", "Sau"],
            [
                [
                    _e(label),
                    _mark(a.before.readiness.criteria[k]),
                    _mark(a.after.readiness.criteria[k]),
                ]
                for k, label in READINESS_LABELS.items()
            ],
            raw=True,
        ),
    ]
    if a.after.readiness.blockers:
        parts.append("<p>Còn vướng sau đơn giản hóa:</p><ul>")
        parts += [
            f"<li>({_e(b.criterion)}) {_e(b.message)} {_e(', '.join(b.targets))}</li>"
            for b in a.after.readiness.blockers
        ]
        parts.append("</ul>")
    contrib = registry_contributions(a)
    if contrib:
        parts.append("<h2>Dữ liệu do cơ sở dữ liệu cung cấp</h2>")
        rows = [
            [
                c["name_vi"],
                f"{len(c['prefilled'])}: {', '.join(c['prefilled'])}" if c["prefilled"] else "—",
                f"{len(c['new_prefill'])}: {', '.join(c['new_prefill'])}"
                if c["new_prefill"]
                else "—",
                "; ".join(c["components"]) or "—",
            ]
            for c in contrib
        ]
        parts.append(
            _table(
                ["CSDL", "Trường đã điền sẵn", "Trường sẽ điền sẵn", "Thành phần hồ sơ được bỏ"],
                rows,
            )
        )
    rr = a.registry_readiness()
    if rr:
        parts.append("<h3>Sẵn sàng theo từng CSDL</h3>")
        parts.append(
            _table(
                [
                    "CSDL",
                    "Đã kết nối",
                    "Đã công bố phạm vi dữ liệu",
                    "Áp dụng",
                    "Bị chặn",
                    "Nếu kết nối",
                ],
                [
                    [
                        r["name_vi"],
                        "có" if r["connected"] else "chưa",
                        "có" if r["scope_published"] else "chưa",
                        str(r["actionable"]),
                        str(r["blocked"]),
                        str(r["potential"]),
                    ]
                    for r in rr
                ],
            )
        )
    wi = a.what_if()
    if wi:
        parts.append("<h3>Nếu kết nối thêm một CSDL (và công bố phạm vi dữ liệu)</h3>")
        parts.append(
            _table(
                [
                    "CSDL",
                    "Hiện trạng",
                    "Bớt bước",
                    "Bớt thành phần",
                    "Bớt trường",
                    "Bớt lượt",
                    "Bớt chi phí/hồ sơ",
                    "Sẵn sàng sau",
                ],
                [_what_if_row(w) for w in wi],
            )
        )
    parts.append("<h2>Phát hiện và khuyến nghị</h2>")
    for status in ("actionable", "blocked", "potential", "advisory"):
        group = [f for f in a.findings if f.status == status]
        if not group:
            continue
        parts.append(f"<h3>{_e(STATUS_VI[status])} ({len(group)})</h3>")
        for f in group:
            sv = _saving_text(f.saving)
            parts.append(
                f"<div class='finding {status}'><b>{_e(f.title_vi)}</b>"
                f"<p>{_e(f.explanation)}</p>"
                f"<p class='basis'>Quy tắc: {_e(RULE_VI.get(f.rule, f.rule))} (<code>{_e(f.rule)}</code>) · "
                f"đối tượng: {_e(', '.join(f.targets))} · độ tin cậy {f.confidence:.2f}"
                + (f" · tiết kiệm: {_e(sv)}" if sv else "")
                + "</p><p class='basis'>Căn cứ: "
                + "<br>".join(_e(b) for b in f.legal_basis)
                + "</p></div>"
            )
    bpmn64 = base64.b64encode(a.rewritten_bpmn().encode("utf-8")).decode("ascii")
    parts.append(
        f"<p><a download='{_e(a.slug)}-don-gian-hoa.bpmn' href='data:application/xml;base64,{bpmn64}'>"
        "Tải mô hình BPMN đã đơn giản hóa</a> (mở được bằng bpmn-js, Camunda Modeler; triển khai "
        "thành phiên bản mới của quy trình).</p>"
    )
    if diagrams:
        parts.append("<h2>Sơ đồ quy trình</h2>")
        for side, title in (
            ("before", "Hiện tại (bước bị bỏ: đỏ, gạch ngang)"),
            ("after", "Sau đơn giản hóa (bước mới: xanh)"),
        ):
            svg = diagram_svg(a, side)
            parts.append(
                f"<h3>{_e(title)}</h3><div class='diagram'>{svg if svg else _e(NO_DOT)}</div>"
            )
    parts.append("<h2>Chi phí tuân thủ</h2>")
    if a.before.cost and a.after.cost:
        parts.append(
            "<p>Phương pháp: Thông tư 02/2017/TT-VPCP, Điều 27 (mô hình chi phí chuẩn): thời gian của người nộp "
            f"× thu nhập bình quân ({_vnd(a.before.cost.hourly_income)}/giờ) + phí, lệ phí + chi phí khác; "
            f"chi phí năm = chi phí một hồ sơ × {_num(a.before.cost.annual_volume or 0)} hồ sơ/năm.</p>"
        )
        for label, cost in (("Hiện tại", a.before.cost), ("Sau đơn giản hóa", a.after.cost)):
            rows = [
                [x.activity, f"{x.minutes:g} phút", _vnd(x.outlay) if x.outlay else "—"]
                for x in cost.activities
            ]
            rows.append(["Phí, lệ phí", "—", _vnd(cost.fee)])
            rows.append(
                ["Tổng một hồ sơ", f"{cost.citizen_minutes:g} phút", _vnd(cost.per_dossier)]
            )
            parts.append(f"<h3>{label}</h3>" + _table(["Hoạt động", "Thời gian", "Chi phí"], rows))
    else:
        parts.append("<p>Chưa tính: không có mô hình chi phí (data/cost_model.json).</p>")
    parts.append("<h2>Cấu trúc và độ phức tạp</h2>")
    if a.structure.problems:
        parts.append(
            "<ul>"
            + "".join(
                f"<li><code>{_e(p.kind)}</code> {_e(p.message)} ({_e(', '.join(p.targets))})</li>"
                for p in a.structure.problems
            )
            + "</ul>"
        )
    else:
        parts.append(
            "<p>Không phát hiện vấn đề cấu trúc (đạt tới được, không ngõ cụt, cổng cân bằng).</p>"
        )
    mb, ma = a.metrics_before.as_dict(), a.metrics_after.as_dict()
    parts.append(
        _table(
            ["Chỉ số", "Hiện tại", "Sau"],
            [[METRIC_VI.get(k, k), str(mb[k]), str(ma[k])] for k in mb],
        )
    )
    parts.append("<h2>Các bước và chú thích suy luận</h2>")
    low = {i for i, s in enumerate(a.steps.values()) if s.confidence < 0.7}
    if low:
        parts.append(
            f"<p>{len(low)} bước được suy luận với độ tin cậy thấp (tô màu): hãy kiểm tra và bổ sung "
            "chú thích <code>tt:step</code> trước khi áp dụng các khuyến nghị liên quan.</p>"
        )
    parts.append(
        _table(
            ["Bước", "Loại", "Chủ thể", "Có mặt", "Thời lượng", "Nguồn", "Độ tin cậy"],
            [
                [
                    a.pm.nodes[t].name or t,
                    KIND_VI.get(s.kind, s.kind),
                    ACTOR_VI.get(s.actor, s.actor),
                    PRESENCE_VI.get(s.presence, s.presence),
                    f"{s.duration_min:g} phút",
                    "chú thích"
                    if s.source == "annotation"
                    else "suy luận từ nhãn"
                    if s.source == "label"
                    else "mặc định",
                    f"{s.confidence:.2f}",
                ]
                for t, s in a.steps.items()
            ],
            flagged=low,
        )
    )
    if a.components:
        parts.append(
            _table(
                ["Thành phần hồ sơ", "Loại giấy tờ", "Hình thức", "Nguồn", "Độ tin cậy"],
                [
                    [
                        c.name,
                        c.document_type or "—",
                        COPY_VI.get(c.copy, c.copy),
                        "chú thích" if c.source == "annotation" else "suy luận từ nhãn",
                        f"{c.confidence:.2f}",
                    ]
                    for c in a.components.values()
                ],
            )
        )
    notes = a.warnings + a.plan.notes
    if notes:
        parts.append("<h2>Ghi chú</h2><ul>" + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def catalogue_html(cat: CatalogueAnalysis) -> str:
    """Self-contained Vietnamese HTML report for the whole catalogue, ranked."""
    t = cat.totals
    rows = []
    for i, e in enumerate(cat.entries, 1):
        s = e["savings"]
        rows.append(
            [
                str(i),
                f"{e['name']} ({e['slug']})",
                f"−{s['steps']}",
                f"−{s['components']}",
                f"−{s['typed_fields']}",
                f"−{s['visits']}",
                _cut(s["time_cut_pct"]),
                _cut(s.get("cost_cut_pct")),
                _vnd(s.get("annual_cost")),
                f"{e['before']['readiness']:g} {e['before']['band']} → {e['after']['readiness']:g} {e['after']['band']}",
            ]
        )
    parts = [
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>Đơn giản hóa danh mục thủ tục</title>",
        f"<style>{_CSS}</style></head><body><h1>Đơn giản hóa toàn bộ danh mục thủ tục hành chính</h1>",
        "<ul>",
        f"<li>Số thủ tục phân tích: {t['procedures']} (không đọc được: {t['failed']})</li>",
        f"<li>Bỏ được {t['steps_removed']} bước, {t['components_removed']} thành phần hồ sơ, "
        f"{t['typed_fields_removed']} trường biểu mẫu, {t['visits_removed']} lượt đi lại</li>",
        f"<li>Chi phí tuân thủ tiết kiệm mỗi năm: {_vnd(t['annual_cost_saved'])}</li>",
        f"<li>Đạt mục tiêu cắt giảm 30% (Nghị quyết 66/NQ-CP): thời gian {t['meeting_time_target']}, chi phí {t['meeting_cost_target']} thủ tục</li>",
        f"<li>Đủ tiêu chí toàn trình: {t['full_online_before']} → {t['full_online_after']} thủ tục; xếp loại trước {_e(t['bands_before'])}, sau {_e(t['bands_after'])}</li>",
        "</ul><h2>Xếp hạng theo mức tiết kiệm</h2>",
        _table(
            [
                "#",
                "Thủ tục",
                "Bước",
                "Thành phần",
                "Trường",
                "Lượt",
                "Thời gian",
                "Chi phí",
                "Chi phí/năm",
                "Sẵn sàng",
            ],
            rows,
        ),
        "<h2>Xếp hạng theo mức sẵn sàng toàn trình</h2>",
        _table(
            ["#", "Thủ tục", "Trước", "Sau"],
            [
                [
                    str(i),
                    e["name"],
                    f"{e['before']['readiness']:g} ({e['before']['band']})",
                    f"{e['after']['readiness']:g} ({e['after']['band']})",
                ]
                for i, e in enumerate(cat.by_readiness, 1)
            ],
        ),
    ]
    if cat.registries:
        parts.append("<h2>Theo cơ sở dữ liệu (kết nối và công bố phạm vi dữ liệu)</h2>")
        parts.append(
            _table(
                [
                    "CSDL",
                    "Kết nối",
                    "Công bố phạm vi",
                    "Số thủ tục liên quan",
                    "Áp dụng",
                    "Bị chặn",
                    "Nếu kết nối",
                ],
                [
                    [
                        r["name_vi"],
                        "có" if r["connected"] else "chưa",
                        "có" if r["scope_published"] else "chưa",
                        str(r["procedures"]),
                        str(r["actionable"]),
                        str(r["blocked"]),
                        str(r["potential"]),
                    ]
                    for r in cat.registries
                ],
            )
        )
    if cat.errors:
        parts.append(
            "<h2>Không đọc được</h2><ul>"
            + "".join(f"<li>{_e(e['slug'])}: {_e(e['error'])}</li>" for e in cat.errors)
            + "</ul>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)
