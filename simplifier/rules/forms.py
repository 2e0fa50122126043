"""Form fields a connected registry could fill (Decree 42/2022 Art. 11(2))."""

from __future__ import annotations

from ..law import citation
from .context import Context, Finding, Saving


def form_fields(form: dict) -> list[tuple[str, str, dict]]:
    """(property name, vocabulary field, property) of a JSON Schema form's top-level fields."""
    props = form.get("properties") or {}
    return [(name, p.get("x-field", name), p) for name, p in props.items() if isinstance(p, dict)]


def typed_fields(ctx: Context, form: dict) -> list[tuple[str, str]]:
    """Fields the citizen types: no x-prefill, or x-prefill from a registry not connected."""
    connected = {r.id for r in ctx.registries if r.connected}
    out = []
    for name, key, prop in form_fields(form):
        if prop.get("readOnly") and "x-prefill" not in prop:
            continue
        pre = prop.get("x-prefill")
        if isinstance(pre, dict) and pre.get("source") in connected:
            continue
        out.append((name, key))
    return out


def prefillable_form_fields(ctx: Context) -> list[Finding]:
    """Typed form fields whose value a connected registry holds."""
    out = []
    seen: set[str] = set()
    connected = sorted(
        (r for r in ctx.registries if r.connected and r.fields), key=lambda r: r.id != "population"
    )
    for tid, info in ctx.steps.items():
        node = ctx.pm.nodes[tid]
        if info.actor != "citizen" or not node.form or node.form in seen:
            continue
        form = ctx.forms.get(node.form)
        if form is None:
            continue
        seen.add(node.form)
        fields = []
        for name, key in typed_fields(ctx, form):
            reg = next((r for r in connected if key in r.fields), None)
            if reg:
                fields.append({"property": name, "field": key, "source": reg.id})
        if not fields:
            continue
        total = len(form_fields(form))
        sources = sorted({f["source"] for f in fields})
        names = ", ".join(r.name_vi for r in ctx.registries if r.id in sources)
        title = form.get("title") or node.name or node.form
        out.append(
            Finding(
                rule="prefillable_form_fields",
                targets=(tid,),
                title_vi=f"Tự động điền {len(fields)} trường của biểu mẫu “{title}”",
                explanation=(
                    f"{len(fields)}/{total} trường người dân đang tự nhập đã có trong {names} "
                    "(đã kết nối): điền sẵn và chỉ cho người dân xác nhận."
                ),
                evidence={"form": node.form, "fields": fields, "form_fields": total},
                legal_basis=(citation("D42_11_2"), citation("LDT2025"), citation("L3109")),
                saving=Saving(fields=len(fields)),
                status="actionable",
                confidence=1.0,
                grounds=("form", "registry"),
            )
        )
    return out
