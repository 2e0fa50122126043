"""Rules about dossier components (thành phần hồ sơ)."""

from __future__ import annotations

from ..infer import ComponentInfo
from ..law import AbolishedPaper, abolished_papers, citation, never_in_registry, surrendered
from .context import (
    NOT_REPLACEABLE,
    RESIDENCE_DOCS,
    WAREHOUSE,
    Context,
    Finding,
    Registry,
    Saving,
)

COMPONENT_RULES = (
    "components_available_in_registries",
    "abolished_components",
)


def _identified(comp: ComponentInfo) -> bool:
    """Whether the model itself says which document this is (tt:component documentType)."""
    return comp.source == "annotation" and comp.document_type is not None


def abolished_components(ctx: Context) -> list[Finding]:
    """Components that a legal text removed from this procedure (Decree 07/2025: the
    parents' marriage certificate at birth registration, the marital-status confirmation
    at marriage registration; Decree 104/2022: the household and temporary-residence
    books). The finding cites that text; the agency looks the data up itself."""
    papers = abolished_papers(ctx.proc_text)
    out = []
    for comp in ctx.components.values():
        paper = papers.get(comp.document_type or "")
        if paper is None:
            continue
        lookup = ctx.registry(paper.lookup) if paper.lookup else None
        out.append(
            Finding(
                rule="abolished_components",
                targets=(comp.key,),
                title_vi=f"Bỏ thành phần hồ sơ “{comp.name}”: văn bản đã bãi bỏ yêu cầu",
                explanation=_abolished_text(comp, paper, lookup),
                evidence={
                    "component": comp.code,
                    "document_type": comp.document_type,
                    "law": paper.id,
                    "lookup": paper.lookup,
                    "registries": [paper.lookup] if lookup and lookup.ready else [],
                },
                legal_basis=(citation(paper.citation),),
                # the legal text is the evidence: a paper it abolished is dropped whether
                # the model annotates it or only names it
                saving=Saving(components=1),
                status="actionable",
                confidence=comp.confidence,
                grounds=("law", "annotation" if _identified(comp) else "label"),
            )
        )
    return out


def _abolished_text(comp: ComponentInfo, paper: AbolishedPaper, lookup: Registry | None) -> str:
    text = f"Văn bản pháp luật đã bỏ yêu cầu nộp, xuất trình “{comp.name}” trong thủ tục này"
    if paper.exception_vi:
        text += f" ({paper.exception_vi})"
    text += "."
    if lookup is not None:
        text += (
            f" Cơ quan giải quyết tự tra cứu {lookup.name_vi}; không tra cứu được thì xác minh, "
            "không yêu cầu người nộp."
        )
    return text


def _not_reusable(ctx: Context, comp: ComponentInfo) -> str | None:
    """Why a paper cannot be replaced by data, whatever is connected (or None)."""
    doc = comp.document_type
    if doc and doc == ctx.result_document_type:
        return "đây là kết quả của chính thủ tục này"
    if comp.key in ctx.produced:
        return "giấy tờ này do một bước của chính thủ tục tạo ra"
    reason = surrendered(doc, comp.name, ctx.proc_text)
    if reason:
        return reason
    return never_in_registry(doc, ctx.proc_text, comp.name)


def _holders(ctx: Context, doc: str) -> list[Registry]:
    """The registries that can stand for a document: those that issue it; the e-data
    warehouse only for a result no catalogued registry issues (Resolution 66.7/2025's
    published-scope precondition applies to every source)."""
    issuers = [r for r in ctx.registries if r.id != WAREHOUSE and r.issues(doc)]
    if issuers:
        return sorted(issuers, key=lambda r: r.id)
    return [r for r in ctx.registries if r.id == WAREHOUSE and r.holds_document(doc)]


def _status(holders: list[Registry]) -> tuple[str, list[Registry]]:
    ready = [r for r in holders if r.ready]
    if ready:
        return "actionable", ready
    connected = [r for r in holders if r.connected]
    if connected:
        return "blocked", connected
    return "potential", holders


def components_available_in_registries(ctx: Context) -> list[Finding]:
    """Dossier components whose data a registry or the e-data warehouse already holds.

    Actionable when the model names the document (``tt:component documentType``) and a
    registry that issues it is connected with its data scope published (Resolution
    66.7/2025/NQ-CP); blocked when connected without a published scope; potential when
    not connected; to review when the document is only guessed from its label, or only
    its fields (not the document) are held somewhere.
    """
    abolished = abolished_papers(ctx.proc_text)
    out = []
    for comp in ctx.components.values():
        doc = comp.document_type
        if not doc or doc in NOT_REPLACEABLE or doc in abolished:
            continue
        holders = _holders(ctx, doc)
        by_fields = False
        if not holders and comp.fields:
            holders = [r for r in ctx.registries if r.fields and set(comp.fields) <= r.fields]
            by_fields = bool(holders)
        if not holders:
            continue
        kept = _not_reusable(ctx, comp)
        if kept:
            out.append(_kept(comp, kept))
            continue
        status, regs = _status(holders)
        if status == "actionable" and (by_fields or not _identified(comp)):
            status = "review"
        out.append(_component_finding(ctx, comp, status, regs, by_fields))
    return out


def _kept(comp: ComponentInfo, reason: str) -> Finding:
    return Finding(
        rule="components_available_in_registries",
        targets=(comp.key,),
        title_vi=f"Giữ thành phần hồ sơ “{comp.name}”",
        explanation=f"Không thay được bằng dữ liệu từ cơ sở dữ liệu: {reason}.",
        evidence={"component": comp.code, "document_type": comp.document_type, "kept": reason},
        legal_basis=(citation("R66_7"),),
        status="advisory",
        confidence=comp.confidence,
        grounds=("model",),
    )


def _component_finding(
    ctx: Context, comp: ComponentInfo, status: str, regs: list[Registry], by_fields: bool
) -> Finding:
    reg = regs[0]
    basis = [citation(k) for k in ("R66_7", "L3109", "CD201", "LDT2025")]
    if comp.document_type in RESIDENCE_DOCS:
        basis.insert(0, citation("D104"))
    if reg.id == WAREHOUSE:
        basis.insert(0, citation("D45"))
    names = ", ".join(r.name_vi for r in regs)
    if status in ("actionable", "review"):
        explanation = (
            f"Dữ liệu của “{comp.name}” đã có trong {names}; cơ quan quản lý đã công bố phạm vi "
            f"dữ liệu ({reg.scope_source}). Bỏ thành phần này, khai thác dữ liệu qua kết nối. "
            "Nếu không khai thác được hoặc dữ liệu sai, yêu cầu người nộp bổ sung và đề nghị "
            "cơ quan quản lý cơ sở dữ liệu điều chỉnh."
        )
        title = f"Bỏ thành phần hồ sơ “{comp.name}”"
        if status == "review":
            explanation += " Cần xem xét: " + (
                "chỉ các trường thông tin (không phải chính giấy tờ) có trong cơ sở dữ liệu."
                if by_fields
                else "loại giấy tờ được suy ra từ tên gọi, mô hình chưa chú thích."
            )
    elif status == "blocked":
        explanation = (
            f"Dữ liệu của “{comp.name}” có trong {names} (đã kết nối) nhưng cơ quan quản lý chưa "
            "công bố phạm vi dữ liệu, nên chưa đủ điều kiện bỏ thành phần theo Nghị quyết "
            "66.7/2025/NQ-CP."
        )
        title = f"Chờ công bố phạm vi dữ liệu: “{comp.name}”"
    else:
        explanation = f"Nếu kết nối {names}" + (
            "" if all(r.scope_published for r in regs) else " và công bố phạm vi dữ liệu"
        )
        explanation += f", có thể bỏ thành phần “{comp.name}”."
        title = f"Có thể bỏ “{comp.name}” khi kết nối cơ sở dữ liệu"
    return Finding(
        rule="components_available_in_registries",
        targets=(comp.key,),
        title_vi=title,
        explanation=explanation,
        evidence={
            "component": comp.code,
            "document_type": comp.document_type,
            "copy": comp.copy,
            "registries": [r.id for r in regs],
            "scope_published": [r.id for r in regs if r.scope_published],
            "fields": list(comp.fields),
            "read_by": list(ctx.readers.get(comp.key, ())),
            "blocked_by": "scope_not_published" if status == "blocked" else None,
            "by_fields": by_fields,
        },
        legal_basis=tuple(basis),
        saving=Saving(components=1, fields=len(comp.fields)),
        status=status,
        confidence=comp.confidence,
        grounds=("registry", "annotation" if _identified(comp) else "label"),
    )


def droppable(findings: list[Finding]) -> dict[str, Finding]:
    """Component key → the actionable finding that drops it."""
    return {
        f.targets[0]: f for f in findings if f.rule in COMPONENT_RULES and f.status == "actionable"
    }


def paper_components(ctx: Context, component_findings: list[Finding]) -> list[Finding]:
    """Components still required on paper (original or certified copy): accept e-copies.

    A declaration filled in the procedure's e-form is not paper and is skipped.
    """
    drop = droppable(component_findings)
    eform = ctx.eform_declaration()
    out = []
    for comp in ctx.components.values():
        if comp.key in drop or not comp.paper:
            continue
        if eform and comp.document_type == "declaration_form":
            continue
        if surrendered(comp.document_type, comp.name, ctx.proc_text):
            continue  # the paper itself is handed back: an e-copy does not replace it
        annotated = comp.copy_source == "annotation"
        out.append(
            Finding(
                rule="paper_components",
                targets=(comp.key,),
                title_vi=f"Nhận bản điện tử thay bản giấy: “{comp.name}”",
                explanation=(
                    "Thành phần đang yêu cầu "
                    + ("bản chính" if comp.copy == "original" else "bản sao có chứng thực")
                    + "; chấp nhận bản sao điện tử (chứng thực điện tử hoặc số hóa từ bản chính) "
                    "để toàn bộ hồ sơ được nộp trực tuyến (tiêu chí d, Thông tư 01/2023/TT-VPCP "
                    "Điều 13)."
                    + ("" if annotated else " Cần xem xét: hình thức bản được suy ra từ tên gọi.")
                ),
                evidence={"copy": comp.copy, "document_type": comp.document_type},
                legal_basis=(citation("D45"), citation("C01_13"), citation("LGDDT")),
                saving=Saving(),
                status="actionable" if annotated else "review",
                confidence=comp.confidence,
                grounds=("annotation",) if annotated else ("label",),
            )
        )
    return out
