"""Rules that remove intermediate steps: verification-only checks, hand-offs, and one of
two consecutive approvals by the same actor (Letter 3109/BTTTT-CĐSQG item 11)."""

from __future__ import annotations

from ..graph import adjacency, topological_order
from ..infer import ACTOR_VI, StepInfo
from ..law import citation
from .components import droppable
from .context import Context, Finding, Saving

REMOVING_RULES = ("verification_only_steps", "handoff_steps", "consecutive_approvals")
_DECIDES = (
    " Bước này ghi dữ liệu mà bước sau dùng (điều kiện rẽ nhánh, kịch bản hoặc tham số dịch "
    "vụ) nên được giữ lại."
)
_TANGLED = " Bước có nhiều luồng vào hoặc ra (hoặc trao đổi thông điệp) nên cần sửa tay."
_GUESSED = " Cần xem xét: loại bước được suy ra từ tên gọi, mô hình chưa chú thích."


def _removal_status(ctx: Context, tid: str, info: StepInfo, evident: bool) -> tuple[str, str]:
    """(status, why) of removing a step: kept when it decides something later or cannot
    be rewired; to review when its kind is only guessed from its label."""
    if ctx.decides(tid):
        return "advisory", _DECIDES
    if not ctx.single_in_out(tid):
        return "advisory", _TANGLED
    if not evident:
        return "review", _GUESSED
    return "actionable", ""


def verification_only_steps(ctx: Context, component_findings: list[Finding]) -> list[Finding]:
    """Verification steps whose only inputs are components a registry now provides (or a
    law removed): once the data come from the registry there is nothing to check by hand."""
    drop = droppable(component_findings)
    out = []
    for tid, info in ctx.steps.items():
        node = ctx.pm.nodes[tid]
        if info.kind != "verify" or not node.inputs or info.automated or info.law:
            continue
        if not all(k in drop for k in node.inputs):
            continue
        status, why = _removal_status(ctx, tid, info, info.annotated)
        names = ", ".join(ctx.components[k].name for k in node.inputs)
        out.append(
            Finding(
                rule="verification_only_steps",
                targets=(tid,),
                title_vi=f"Bỏ bước chỉ kiểm tra giấy tờ: “{ctx.name(tid)}”",
                explanation=(
                    "Bước này chỉ kiểm tra các thành phần hồ sơ mà dữ liệu đã được khai thác từ "
                    f"cơ sở dữ liệu hoặc văn bản đã bỏ yêu cầu ({names})."
                    + (why or "")
                    + (" Hãy thay bằng kiểm tra tự động." if status == "advisory" else "")
                ),
                evidence={
                    "inputs": list(node.inputs),
                    "decides_gateway": ctx.decides(tid),
                    "kind": info.kind,
                },
                legal_basis=(citation("L3109"), citation("R66_7")),
                saving=Saving(minutes=info.duration_min, steps=1)
                if status == "actionable"
                else Saving(),
                status=status,
                confidence=info.confidence,
                grounds=("annotation", "registry") if info.annotated else ("label", "registry"),
            )
        )
    return out


def handoff_steps(ctx: Context) -> list[Finding]:
    """Pure hand-offs (chuyển hồ sơ) between desks, which electronic routing makes moot."""
    out = []
    for tid, info in ctx.steps.items():
        if info.kind != "handoff" or info.actor == "citizen" or info.automated or info.law:
            continue
        node = ctx.pm.nodes[tid]
        status, why = _removal_status(ctx, tid, info, info.annotated)
        out.append(
            Finding(
                rule="handoff_steps",
                targets=(tid,),
                title_vi=f"Bỏ bước chuyển hồ sơ trung gian: “{ctx.name(tid)}”",
                explanation=(
                    "Bước chỉ chuyển hồ sơ giữa các bộ phận; trên Hệ thống thông tin giải quyết "
                    "thủ tục hành chính, hồ sơ điện tử được chuyển tự động cho người xử lý tiếp "
                    "theo." + why
                ),
                evidence={
                    "kind": info.kind,
                    "actor": info.actor,
                    "lane": node.lane,
                    "decides_gateway": ctx.decides(tid),
                },
                legal_basis=(citation("L3109"), citation("D118")),
                saving=Saving(minutes=info.duration_min, steps=1)
                if status == "actionable"
                else Saving(),
                status=status,
                confidence=info.confidence,
                grounds=("annotation",) if info.annotated else ("label",),
            )
        )
    return out


def _same_actor_evident(a: StepInfo, b: StepInfo) -> bool:
    return a.actor_source in ("annotation", "lane") and b.actor_source in ("annotation", "lane")


def consecutive_approvals(ctx: Context) -> list[Finding]:
    """Two approve/sign steps in a row by the same actor: merge them into one (the
    signature is kept, since it produces the electronic result)."""
    out = []
    dropped: set[str] = set()
    for u in (n for n in topological_order(ctx.dag) if n in ctx.steps):
        iu = ctx.steps[u]
        if iu.kind not in ("approve", "sign") or len(adjacency(ctx.g)[0][u]) != 1 or u in dropped:
            continue
        (v,) = ctx.g.successors(u)
        iv = ctx.steps.get(v)
        if iv is None or iv.kind not in ("approve", "sign") or iv.actor != iu.actor:
            continue
        if len(adjacency(ctx.g)[1][v]) != 1 or iu.law or iv.law:
            continue
        first, second = (u, v) if iu.kind == "approve" or iv.kind != "approve" else (v, u)
        target = next(
            (c for c in (first, second) if not ctx.decides(c) and ctx.single_in_out(c)), None
        )
        evident = iu.annotated and iv.annotated and _same_actor_evident(iu, iv)
        status = "advisory" if target is None else "actionable" if evident else "review"
        target = target or u
        keep = v if target == u else u
        if status == "actionable":
            dropped.add(target)
        out.append(
            Finding(
                rule="consecutive_approvals",
                targets=(target,),
                title_vi=(
                    f"Gộp hai bước duyệt, ký liên tiếp của {ACTOR_VI.get(iu.actor, iu.actor)}: "
                    f"“{ctx.name(u)}” và “{ctx.name(v)}”"
                ),
                explanation=(
                    "Cùng một người (vai trò) phê duyệt rồi ký liên tiếp; gộp thành một bước phê "
                    f"duyệt và ký số “{ctx.name(keep)}”."
                    + (_GUESSED if status == "review" else "")
                    + (_DECIDES if status == "advisory" else "")
                ),
                evidence={
                    "pair": [u, v],
                    "actor": iu.actor,
                    "kinds": [iu.kind, iv.kind],
                    "kept": keep,
                },
                legal_basis=(citation("L3109"), citation("R66")),
                saving=Saving(minutes=ctx.steps[target].duration_min, steps=1)
                if status == "actionable"
                else Saving(),
                status=status,
                confidence=min(iu.confidence, iv.confidence),
                grounds=("annotation",) if evident else ("label",),
            )
        )
    return out
