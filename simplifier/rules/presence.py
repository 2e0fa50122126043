"""Steps that need someone physically present (Decree 42/2022 Art. 11)."""

from __future__ import annotations

from ..infer import StepInfo
from ..law import LegalRequirement, citation, presence_waiver
from .context import Context, Finding, Saving


def in_person_steps(ctx: Context) -> list[Finding]:
    """Steps that need the applicant (or an officer on site) to be physically present.

    Presence that law requires (``toantrinh.simplifier.law``: annotated, or inferred from the
    step's wording and legal basis, or from the procedure's kind) is kept and explained;
    any other presence moves online — when the model annotates it; a presence guessed
    from a label is to review.
    """
    out = []
    for tid, info in ctx.steps.items():
        if info.presence == "none" or info.automated:
            continue
        if info.law is not None:
            out.append(_kept_by_law(ctx, tid, info, info.law))
            continue
        on_site = info.kind == "inspect"
        waiver = presence_waiver(ctx.name(tid), info, ctx.ready)
        partner = None if waiver or on_site else _same_visit(ctx, tid)
        visit_law = ctx.steps[partner].law if partner is not None else None
        if partner is not None and visit_law is not None:
            out.append(_during_legal_visit(ctx, tid, info, partner, visit_law))
            continue
        out.append(_moved_online(ctx, tid, info, waiver, on_site))
    return out


def _kept_by_law(ctx: Context, tid: str, info: StepInfo, law: LegalRequirement) -> Finding:
    """Presence the law requires: kept, with its basis (advisory)."""
    return Finding(
        rule="in_person_steps",
        targets=(tid,),
        title_vi=f"Giữ yêu cầu có mặt theo luật: “{ctx.name(tid)}”",
        explanation=(
            f"Pháp luật yêu cầu {law.title_vi} ({law.basis}"
            + ("" if law.confirmed else "; căn cứ chưa được xác nhận, cần rà soát")
            + "). Thông tư 01/2023/TT-VPCP Điều 13 khoản 1 điểm e và Nghị định "
            "42/2022/NĐ-CP Điều 11 loại trừ bước này khỏi dịch vụ toàn trình: giữ "
            "nguyên, trừ khi văn bản được sửa đổi."
            + (f" Căn cứ ghi trên bước: {info.legal_basis}." if info.legal_basis else "")
            + (f" Cần rà soát: {law.note}." if law.id == "annotated" and law.note else "")
        ),
        evidence={
            "presence": info.presence,
            "kind": info.kind,
            "legal_requirement": law.id,
            "legal_basis": info.legal_basis,
        },
        legal_basis=(citation("D42_11"), citation("C01_13")),
        status="advisory",
        confidence=info.confidence,
        grounds=("law",),
    )


def _during_legal_visit(
    ctx: Context, tid: str, info: StepInfo, partner: str, visit_law: LegalRequirement
) -> Finding:
    """A step next to one the law requires attending: done in that visit (advisory), as
    moving it alone online saves no trip."""
    return Finding(
        rule="in_person_steps",
        targets=(tid,),
        title_vi=f"Làm trong cùng lần có mặt theo luật: “{ctx.name(tid)}”",
        explanation=(
            f"Bước này liền với bước “{ctx.name(partner)}”, bước mà pháp luật yêu "
            f"cầu có mặt ({visit_law.title_vi}; {visit_law.basis}"
            + ("" if visit_law.confirmed else "; căn cứ chưa được xác nhận, cần rà soát")
            + "). Người nộp vẫn phải đến một lần: chuyển riêng bước này sang trực "
            "tuyến không bớt được lần đi lại nào. Nên làm gọn trong lần có mặt đó "
            "(ký, đối chiếu trên hệ thống) thay vì thêm thủ tục giấy."
        ),
        evidence={
            "presence": info.presence,
            "kind": info.kind,
            "same_visit_as": partner,
            "legal_requirement": visit_law.id,
        },
        legal_basis=(citation("D42_11"), citation("C01_13")),
        status="advisory",
        confidence=info.confidence,
        grounds=("law",),
    )


def _moved_online(
    ctx: Context, tid: str, info: StepInfo, waiver: LegalRequirement | None, on_site: bool
) -> Finding:
    """Presence no law requires: moves online — actionable when the model annotates it
    (a visit saved, unless it is a site inspection), to review when guessed from a label."""
    annotated = info.presence_source == "annotation"
    return Finding(
        rule="in_person_steps",
        targets=(tid,),
        title_vi=f"Chuyển sang trực tuyến, không yêu cầu có mặt: “{ctx.name(tid)}”",
        explanation=(
            (
                f"Việc {waiver.title_vi} không đòi hỏi có mặt khi thực hiện trực tuyến: "
                f"{waiver.basis}"
                + ("" if waiver.confirmed else " (căn cứ chưa được xác nhận, cần rà soát)")
                + "."
                if waiver
                else "Không văn bản nào được biết yêu cầu có mặt ở bước này."
            )
            + " Người nộp xác thực bằng tài khoản định danh điện tử VNeID, nộp, xác "
            "nhận và nhận kết quả trực tuyến."
            + ("" if annotated else " Cần xem xét: yêu cầu có mặt được suy ra từ tên bước.")
        ),
        evidence={"presence": info.presence, "kind": info.kind, "actor": info.actor},
        legal_basis=(citation("D42_11"), citation("D69"), citation("C01_13")),
        saving=Saving(visits=0 if on_site else 1) if annotated else Saving(),
        status="actionable" if annotated else "review",
        confidence=info.confidence,
        grounds=("annotation",) if annotated else ("label",),
    )


def _same_visit(ctx: Context, tid: str) -> str | None:
    """A step next to ``tid`` (only gateways between them) that the law requires the
    applicant to attend at the agency: ``tid`` is then done during that visit, and moving
    it online saves no trip. Site inspections are not visits to the agency."""
    types = ctx.pm.nodes
    for step in (ctx.g.successors, ctx.g.predecessors):
        seen, stack = {tid}, list(step(tid))
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            info = ctx.steps.get(n)
            if info is not None:
                law = info.law
                if law is not None and law.at_agency and info.presence != "none":
                    return n
                continue
            node = types.get(n)
            if node is not None and node.type.endswith("Gateway"):
                stack.extend(step(n))
    return None
