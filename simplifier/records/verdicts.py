"""Verdicts per published component and step: the JSON contract of ``catalogue analyse``.

Precision first (Resolution 66.7/2025/NQ-CP): a component is ``replaceable_by_database``
only when the simplifier, run on the drafted model, finds that a national database which
is connected *and* whose owner has published its data scope holds its data; a database
that holds it but is not connected or has no published scope makes it ``review``, naming
the database (what connecting it would save). The e-data warehouse is not a national
database: it holds a result only if that result was issued electronically, so an earlier
procedure's result is ``replaceable_by_e_copy`` pointing to ``edata_warehouse``
(Decree 45/2020/NĐ-CP) and the analysis runs without it. Forms and declarations are never
dropped (``keep``: they become online forms, Decree 42/2022/NĐ-CP Art. 11(2)). Rows that
are not documents are ``note``.

A step whose text requires presence or an on-site check is ``keep`` with
``presence_required_by_law``; the applicant's own exchanges (submit, supplement, pay,
receive the result) are ``online`` unless a presence phrase, even negated, leaves doubt
(``review``); a pure hand-off the simplifier would remove is ``remove`` only when the step
does nothing else, else ``review``; the rest of the back office is ``keep``.
"""

from __future__ import annotations

import re

from ..analysis import Analysis
from ..rules import C01, D42_11, D42_11_2, D45, L3109, R66_7, Finding

COMPONENT_VERDICTS = ("replaceable_by_database", "replaceable_by_e_copy", "keep", "review", "note")
STEP_VERDICTS = ("keep", "remove", "online", "review")
RESULT_WORDS = ("trả kết quả", "nhận kết quả")  # the applicant receives the result
D45_COPY = (
    "Nghị định 45/2020/NĐ-CP: bản sao điện tử, kết quả giải quyết TTHC điện tử được sử "
    "dụng thay bản giấy"
)
PURE_HANDOFF_MAX = 160  # characters: a step longer than this does more than hand over


def _index(key: str) -> int | None:
    m = re.search(r"_(\d+)$", key or "")
    return int(m.group(1)) if m else None


def _by_target(findings: list[Finding], rule: str) -> dict[str, Finding]:
    return {f.targets[0]: f for f in findings if f.rule == rule and f.targets}


def _registry_of(doc_type: str | None, analysis: Analysis, hints: dict[str, str]) -> str | None:
    """The national database that holds a document type (not the e-data warehouse)."""
    for r in analysis.registries:
        if r.id != "edata_warehouse" and doc_type and doc_type in r.document_types:
            return r.id
    return hints.get(doc_type or "") or None


def component_verdict(
    c: dict, finding: Finding | None, analysis: Analysis, hints: dict[str, str]
) -> dict:
    """The contract entry of one component row (``c`` from ``record.json``)."""
    out = {
        "name": c["name"],
        "source_index": c["source_index"],
        "verdict": "review",
        "database": None,
        "evidence": list(c.get("evidence") or []),
        "legal_basis": [],
    }
    cls = c.get("document_class")
    if c["role"] != "document":
        out["verdict"] = "note"
        return out
    if c.get("surrendered"):
        out["verdict"] = "keep"
        return out
    if cls == "declaration":
        out.update(verdict="keep", legal_basis=[D42_11_2])
        out["evidence"].append("tờ khai, đơn: giữ, chuyển thành biểu mẫu điện tử điền sẵn")
        return out
    if finding is not None:
        regs = list(finding.evidence.get("registries") or [])
        out["database"] = regs[0] if regs else None
        out["legal_basis"] = list(finding.legal_basis)
        out["evidence"].append(finding.explanation)
        out["verdict"] = "replaceable_by_database" if finding.status == "actionable" else "review"
        return out
    registry = _registry_of(c.get("document_type"), analysis, hints)
    if cls in ("registry", "registry_mixed") and registry:
        out.update(database=registry, legal_basis=[R66_7])
        if c.get("mixed"):
            reason = f"dòng nêu giấy tờ thay thế khác (“{c['mixed']}”)"
        elif c.get("disqualified"):
            reason = c["disqualified"]
        elif cls == "registry_mixed":
            reason = "giấy tờ tùy thân chung, có thể là của người nước ngoài"
        else:
            reason = "CSDL giữ dữ liệu này chưa kết nối hoặc chưa công bố phạm vi dữ liệu"
        out["evidence"].append(f"cần xem xét: {reason}")
        return out
    if c.get("disqualified"):
        out["verdict"] = "keep"
        return out
    if cls == "result":
        out.update(
            verdict="replaceable_by_e_copy", database="edata_warehouse", legal_basis=[D45, D45_COPY]
        )
        out["evidence"].append("kết quả của thủ tục trước: dùng bản điện tử trong Kho dữ liệu")
    elif cls == "third_party":
        out.update(verdict="replaceable_by_e_copy", legal_basis=[D45_COPY])
        out["evidence"].append("giấy tờ do bên thứ ba cấp: nộp bản sao điện tử")
    elif cls == "applicant":
        out["verdict"] = "keep"
        out["evidence"].append("tài liệu người nộp lập cho hồ sơ này")
    else:
        out["evidence"].append("chưa xác định được loại giấy tờ")
    return out


def _applicant_facing(s: dict) -> bool:
    """The applicant's own exchange: their step, a payment, or receiving the result (an
    agency "thông báo" to the applicant is back-office work that ends in a notice)."""
    if s["actor"] == "citizen" or s["kind"] == "pay":
        return True
    return s["kind"] == "deliver_result" and s.get("kind_words") in RESULT_WORDS


def step_verdict(s: dict, analysis: Analysis, handoffs: dict[str, Finding]) -> dict:
    """The contract entry of one step (``s`` from ``record.json``)."""
    by_law = s["presence"] == "required_by_law"
    out = {
        "name": s["name"],
        "source_index": s["source_index"],
        "presence_required_by_law": by_law,
        "verdict": "keep",
        "evidence": list(s.get("evidence") or []),
        "legal_basis": [],
    }
    # a channel alternative shares the task of the first: it is still the applicant's act
    own_task = s.get("task") == f"Step_{s['source_index']}" or s.get("alternative_of") is not None
    if by_law:
        out["legal_basis"] = [D42_11, C01]
        return out
    if not own_task:
        out["evidence"].append("dòng mô tả thuộc bước trước, không phải một việc riêng")
        return out
    if _applicant_facing(s):
        if s.get("presence_doubt"):
            out["verdict"] = "review"
            out["evidence"].append(f"có nhắc “{s['presence_doubt']}”: kiểm tra yêu cầu có mặt")
        else:
            out.update(verdict="online", legal_basis=[D42_11, C01])
            out["evidence"].append("việc của người nộp: thực hiện trực tuyến")
        return out
    finding = handoffs.get(s["task"])
    if finding is not None and finding.status == "actionable":
        pure = len(s["name"]) <= PURE_HANDOFF_MAX
        out.update(verdict="remove" if pure else "review", legal_basis=list(finding.legal_basis))
        out["evidence"].append(finding.explanation)
    return out


def procedure_verdicts(reading: dict, analysis: Analysis, hints: dict[str, str]) -> dict:
    """The contract entry of one procedure: components and steps with their verdicts."""
    by_component = _by_target(analysis.findings, "components_available_in_registries")
    handoffs = _by_target(analysis.findings, "handoff_steps")
    findings = {_index(k): f for k, f in by_component.items()}
    components = [
        component_verdict(
            c, findings.get(c["source_index"]) if c.get("data_object") else None, analysis, hints
        )
        for c in reading["components"]
    ]
    steps = [step_verdict(s, analysis, handoffs) for s in reading["steps"]]
    return {
        "national_code": reading["national_code"],
        "name": reading["name"],
        "components": components,
        "steps": steps,
    }


def plan_rows(reading: dict, verdicts: dict, analysis: Analysis) -> list[dict]:
    """Rows of the data-based simplification plan (Resolution 66.7/2025/NQ-CP's shape):
    procedure, component, data source, legal change needed."""
    names = {r.id: r for r in analysis.registries}
    texts = (
        "; ".join(d["code"] or d["title"] for d in reading["legal_basis"][:3])
        or "văn bản quy định thủ tục"
    )
    rows = []
    for c in verdicts["components"]:
        if c["verdict"] not in ("replaceable_by_database", "review") or not c["database"]:
            continue
        reg = names.get(c["database"])
        now = c["verdict"] == "replaceable_by_database"
        if now:
            change = (
                f"Không bắt buộc để áp dụng ngay (Nghị quyết 66.7/2025/NQ-CP); sửa {texts} "
                "để bãi bỏ thành phần này lâu dài"
            )
        elif reg is not None and not reg.connected:
            change = f"Kết nối {reg.name_vi}; sau đó sửa {texts}"
        elif reg is not None and not reg.scope_published:
            change = f"{reg.name_vi}: chủ quản công bố phạm vi dữ liệu; sau đó sửa {texts}"
        else:
            change = f"Xem xét lại thành phần (dòng có nhiều loại giấy tờ); sửa {texts}"
        rows.append(
            {
                "national_code": reading["national_code"],
                "procedure": reading["name"],
                "component": c["name"],
                "source_index": c["source_index"],
                "database": c["database"],
                "data_source": reg.name_vi if reg else c["database"],
                "status": "now" if now else "once_connected",
                "legal_change": change,
                "legal_basis": [R66_7, L3109],
            }
        )
    return rows
