"""The catalogue report as JSON, Markdown, HTML (for a reformer) and CSV.

JSON is the whole report (:func:`.plan.catalogue_report`), including every procedure's
contract entry; CSV has one line per published component row with its verdict and, where
the plan has one, the legal change needed; Markdown and HTML show the totals, the groups,
the ranked opportunities, the plan and the details of the first procedures (the JSON and
the reformer page carry every procedure).
"""

from __future__ import annotations

import csv
import html
import io
import json

VERDICT_VI = {
    "replaceable_by_database": "bỏ, khai thác CSDL",
    "replaceable_by_e_copy": "bản sao điện tử",
    "keep": "giữ",
    "review": "cần xem xét",
    "note": "ghi chú",
    "online": "trực tuyến",
    "remove": "bỏ bước",
}
DETAILS = 100
CSV_COLUMNS = [
    "national_code",
    "procedure",
    "ministry",
    "field",
    "source_index",
    "component",
    "verdict",
    "database",
    "evidence",
    "legal_change",
]


def to_json(report: dict) -> str:
    """Compact JSON (the C encoder: a whole catalogue is tens of megabytes)."""
    return json.dumps(report, ensure_ascii=False, separators=(",", ":"))


def _num(x) -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and not x.is_integer():
        return f"{x:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(x):,}".replace(",", ".")


def to_csv(report: dict) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    changes = {(r["national_code"], r["source_index"]): r["legal_change"] for r in report["plan"]}
    for p in report["procedures"]:
        for c in p["components"]:
            w.writerow(
                [
                    p["national_code"],
                    p["name"],
                    p["ministry"],
                    p["field"],
                    c["source_index"],
                    c["name"],
                    c["verdict"],
                    c["database"] or "",
                    " | ".join(c["evidence"]),
                    changes.get((p["national_code"], c["source_index"]), ""),
                ]
            )
    return buf.getvalue()


def _group_rows(groups: list[dict], limit: int | None = None) -> list[list]:
    return [
        [
            g["name"],
            _num(g["procedures"]),
            _num(g["components"]),
            _num(g["replaceable_now"]),
            _num(g["replaceable_once_connected"]),
            _num(g["e_copy"]),
            _num(g["presence_by_law_steps"]),
            f"{_num(g['readiness_before'])} → {_num(g['readiness_after'])}",
            _num(g["annual_cost_saved"] or None),
        ]
        for g in groups[:limit]
    ]


GROUP_HEAD = [
    "",
    "thủ tục",
    "thành phần",
    "bỏ được ngay (CSDL)",
    "khi kết nối / công bố",
    "bản sao điện tử",
    "bước luật yêu cầu có mặt",
    "sẵn sàng toàn trình (TB)",
    "chi phí tiết kiệm/năm (đ)",
]
DB_HEAD = [
    "CSDL",
    "kết nối",
    "đã công bố phạm vi",
    "thành phần bỏ được ngay",
    "thủ tục",
    "thành phần khi kết nối/công bố",
    "thủ tục",
]
OPP_HEAD = [
    "mã",
    "thủ tục",
    "bộ, ngành",
    "bỏ ngay",
    "khi kết nối",
    "CSDL",
    "sẵn sàng trước → sau",
    "chi phí tiết kiệm/năm (đ)",
]
PLAN_HEAD = [
    "mã",
    "thủ tục",
    "thành phần hồ sơ",
    "nguồn dữ liệu",
    "tình trạng",
    "sửa đổi pháp lý cần thiết",
]


def _sections(report: dict) -> list[tuple[str, list[str], list[list]]]:
    t = report["totals"]
    totals = [
        ["thủ tục đã phân tích", _num(t["procedures"])],
        ["bản ghi bị từ chối khi nhập", _num(t["refused_at_import"])],
        ["thủ tục không phân tích được", _num(t["failed_analysis"])],
        ["thành phần hồ sơ (không kể ghi chú)", _num(t["components"])],
        ["bỏ được ngay: CSDL đã kết nối, đã công bố phạm vi dữ liệu", _num(t["replaceable_now"])],
        ["bỏ được khi kết nối hoặc công bố phạm vi dữ liệu", _num(t["replaceable_once_connected"])],
        ["thay bằng bản sao điện tử", _num(t["e_copy"])],
        ["bước luật yêu cầu có mặt, kiểm tra tại chỗ", _num(t["presence_by_law_steps"])],
        ["bước của người nộp chuyển trực tuyến", _num(t["online_steps"])],
        [
            "điểm sẵn sàng toàn trình (trung bình) trước → sau",
            f"{_num(t['readiness_before'])} → {_num(t['readiness_after'])}",
        ],
        [
            "chi phí tuân thủ tiết kiệm/năm (thủ tục có số hồ sơ/năm), đồng",
            _num(t["annual_cost_saved"]),
        ],
        ["giờ của người dân tiết kiệm/năm", _num(t["citizen_hours_saved_per_year"])],
        ["thủ tục có số hồ sơ/năm", _num(t["with_volume"])],
    ]
    dbs = [
        [
            d["name_vi"],
            "có" if d["connected"] else "chưa",
            "có" if d["scope_published"] else "chưa",
            _num(d["components_now"]),
            _num(d["procedures_now"]),
            _num(d["components_once_connected"]),
            _num(d["procedures_once_connected"]),
        ]
        for d in report["by_database"]
    ]
    opp = [
        [
            o["national_code"],
            o["name"],
            o["ministry"],
            _num(o["replaceable_now"]),
            _num(o["replaceable_once_connected"]),
            ", ".join(o["databases"]),
            f"{_num(o['readiness_before'])} ({o['band_before']}) → {_num(o['readiness_after'])} "
            f"({o['band_after']})",
            _num(o["annual_cost_saved"]),
        ]
        for o in report["opportunities"]
    ]
    plan = [
        [
            r["national_code"],
            r["procedure"],
            r["component"],
            r["data_source"],
            "ngay" if r["status"] == "now" else "khi kết nối/công bố",
            r["legal_change"],
        ]
        for r in report["plan"]
    ]
    refused = [[r.get("source", ""), r.get("code", ""), r["reason"]] for r in report["refused"]]
    return [
        ("Tổng hợp", ["chỉ tiêu", "giá trị"], totals),
        ("Theo cơ sở dữ liệu quốc gia", DB_HEAD, dbs),
        ("Theo bộ, ngành, địa phương", GROUP_HEAD, _group_rows(report["by_ministry"])),
        ("Theo cấp thực hiện", GROUP_HEAD, _group_rows(report["by_level"])),
        ("Theo lĩnh vực (30 lĩnh vực đầu)", GROUP_HEAD, _group_rows(report["by_field"], 30)),
        ("Cơ hội cắt giảm, xếp hạng", OPP_HEAD, opp),
        ("Phương án đơn giản hóa dựa trên dữ liệu (Nghị quyết 66.7/2025/NQ-CP)", PLAN_HEAD, plan),
        ("Bản ghi bị từ chối", ["nguồn", "mã", "lý do"], refused),
    ]


def _md_table(head: list[str], rows: list[list]) -> str:
    def cell(x) -> str:
        return str(x).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(x) for x in r) + " |" for r in rows]
    return "\n".join(lines)


def to_markdown(report: dict) -> str:
    out = [
        "# Báo cáo rà soát danh mục thủ tục hành chính",
        "",
        "Thành phần hồ sơ chỉ được đề xuất bỏ khi CSDL quốc gia giữ dữ liệu đã kết nối và chủ "
        "quản đã công bố phạm vi dữ liệu (Nghị quyết 66.7/2025/NQ-CP); còn lại là “cần xem "
        "xét”. Tờ khai, đơn không bao giờ bị bỏ: chuyển thành biểu mẫu điện tử.",
        "",
    ]
    for title, head, rows in _sections(report):
        out += [f"## {title}", "", _md_table(head, rows) if rows else "(không có)", ""]
    return "\n".join(out)


_CSS = """body{font-family:system-ui,sans-serif;margin:2rem;max-width:1400px;color:#1b1b1b}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f3f7}td.n{text-align:right}details{margin:.4rem 0}
.v-replaceable_by_database{background:#e3f6e8}.v-review{background:#fff6d9}
.v-replaceable_by_e_copy{background:#e8f0fd}.v-note{color:#666}.v-online{background:#e8f0fd}
.law{font-weight:600;color:#8a1c1c}"""


def _html_table(head: list[str], rows: list[list]) -> str:
    h = "".join(f"<th>{html.escape(x)}</th>" for x in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in r) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


def _procedure_html(p: dict) -> str:
    e = html.escape
    comps = "".join(
        f"<tr class='v-{c['verdict']}'><td>{c['source_index']}</td><td>{e(c['name'])}</td>"
        f"<td>{e(VERDICT_VI[c['verdict']])}</td><td>{e(c['database'] or '')}</td>"
        f"<td>{e(' | '.join(c['evidence']))}</td></tr>"
        for c in p["components"]
    )
    steps = "".join(
        f"<tr class='v-{s['verdict']}'><td>{s['source_index']}</td><td>{e(s['name'][:400])}</td>"
        f"<td>{e(VERDICT_VI[s['verdict']])}</td><td class='{'law' if s['presence_required_by_law'] else ''}'>"
        f"{'có' if s['presence_required_by_law'] else ''}</td><td>{e(' | '.join(s['evidence']))}</td></tr>"
        for s in p["steps"]
    )
    return (
        f"<details id='p-{e(p['national_code'])}'><summary>{e(p['national_code'])} — "
        f"{e(p['name'])}</summary><p>{e(p['ministry'])} · {e(p['field'])} · "
        f"{e(p['agency'])}</p><table><thead><tr><th>#</th><th>thành phần hồ sơ</th>"
        f"<th>đề xuất</th><th>CSDL</th><th>căn cứ</th></tr></thead><tbody>{comps}</tbody>"
        f"</table><table><thead><tr><th>#</th><th>bước</th><th>đề xuất</th>"
        f"<th>luật yêu cầu có mặt</th><th>căn cứ</th></tr></thead><tbody>{steps}</tbody>"
        f"</table></details>"
    )


def to_html(report: dict) -> str:
    parts = [
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>",
        "<title>Báo cáo rà soát danh mục thủ tục hành chính</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Báo cáo rà soát danh mục thủ tục hành chính</h1>",
        "<p>Thành phần hồ sơ chỉ được đề xuất bỏ khi CSDL quốc gia giữ dữ liệu đã kết nối và "
        "chủ quản đã công bố phạm vi dữ liệu (Nghị quyết 66.7/2025/NQ-CP); còn lại là “cần "
        "xem xét”, ghi rõ CSDL cần kết nối. Tờ khai, đơn không bao giờ bị bỏ.</p>",
    ]
    for title, head, rows in _sections(report):
        parts.append(f"<h2>{html.escape(title)}</h2>")
        parts.append(_html_table(head, rows) if rows else "<p>(không có)</p>")
    parts.append(
        f"<h2>Chi tiết {min(DETAILS, len(report['procedures']))} thủ tục đầu bảng xếp hạng</h2>"
    )
    parts += [_procedure_html(p) for p in report["procedures"][:DETAILS]]
    parts.append("</body></html>")
    return "\n".join(parts)


FORMATS = {"json": to_json, "md": to_markdown, "html": to_html, "csv": to_csv}
