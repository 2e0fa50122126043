"""Independent consecutive steps that could run side by side."""

from __future__ import annotations

from ..graph import adjacency, topological_order
from ..infer import ACTOR_VI, StepInfo
from ..law import citation
from .context import Context, Finding, Saving

_CHECKS = ("verify", "appraise", "inspect")


def _eligible(info: StepInfo) -> bool:
    return info.automated or (info.kind in _CHECKS and info.actor != "citizen")


def independent(ctx: Context, u: str, v: str) -> bool:
    """Whether two steps use nothing of each other, by what the model shows: the data
    objects they read and write, the variables their scripts read and write (syntax
    trees), their service parameters and results, and the fields of their forms.

    Unknown behaviour (a form that cannot be seen, a user task without any) is not
    independence.
    """
    nu, nv = ctx.pm.nodes[u], ctx.pm.nodes[v]
    if set(nu.outputs) & (set(nv.inputs) | set(nv.outputs)) or set(nv.outputs) & set(nu.inputs):
        return False
    wu, wv = ctx.task_writes(u), ctx.task_writes(v)
    ru, rv = ctx.task_reads(u), ctx.task_reads(v)
    if wu is None or wv is None or ru is None or rv is None:
        return False
    return not (wu & rv or wv & ru or wu & wv)


def parallelisable_steps(ctx: Context, removed: set[str]) -> list[Finding]:
    """Two consecutive checks (or automated steps) that do not use each other's data.

    People's checks must be by different actors (one person does not work in parallel).
    Running them side by side (a parallel split and join) shortens the critical path by
    the shorter of the two.
    """
    out = []
    used: set[str] = set()
    for u in (n for n in topological_order(ctx.dag) if n in ctx.steps):
        if u in removed or u in used or len(adjacency(ctx.g)[0][u]) != 1:
            continue
        (v,) = ctx.g.successors(u)
        iu, iv = ctx.steps[u], ctx.steps.get(v)
        if iv is None or v in removed or v in used or len(adjacency(ctx.g)[1][v]) != 1:
            continue
        if not (_eligible(iu) and _eligible(iv)):
            continue
        if not iu.automated and not iv.automated and iu.actor == iv.actor:
            continue
        if ctx.pm.nodes[u].parent != ctx.pm.nodes[v].parent:
            continue
        if not (ctx.single_in_out(u) and ctx.single_in_out(v)) or not independent(ctx, u, v):
            continue
        used |= {u, v}
        # a lookup right before a person's check is there for that person, even when the
        # model does not show the check reading it: only to review
        mixed = iu.automated != iv.automated
        evident = not mixed and all(i.automated or i.annotated for i in (iu, iv))
        out.append(
            Finding(
                rule="parallelisable_steps",
                targets=(u, v),
                title_vi=f"Thực hiện song song: “{ctx.name(u)}” và “{ctx.name(v)}”",
                explanation=(
                    f"Hai bước ({ACTOR_VI.get(iu.actor, iu.actor)}; "
                    f"{ACTOR_VI.get(iv.actor, iv.actor)}) không dùng dữ liệu của nhau (theo "
                    "dữ liệu, biểu mẫu và kịch bản mà mô hình thể hiện): chạy song song rút ngắn "
                    "thời gian giải quyết."
                    + (
                        ""
                        if evident
                        else " Cần xem xét: bước tra cứu tự động thường cung cấp dữ liệu cho bước "
                        "sau dù mô hình không thể hiện."
                        if mixed
                        else " Cần xem xét: loại bước được suy ra từ tên gọi."
                    )
                ),
                evidence={
                    "actors": [iu.actor, iv.actor],
                    "durations_min": [iu.duration_min, iv.duration_min],
                },
                legal_basis=(citation("R66"), citation("L3109")),
                saving=Saving(minutes=min(iu.duration_min, iv.duration_min))
                if evident
                else Saving(),
                status="actionable" if evident else "review",
                confidence=min(iu.confidence, iv.confidence),
                grounds=("annotation", "model") if evident else ("label", "model"),
            )
        )
    return out
