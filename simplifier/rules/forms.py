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
        typed = typed_fields(ctx, form)
        fields = []
        for name, key in typed:
            reg = next((r for r in connected if key in r.fields), None)
            if reg:
                fields.append({"property": name, "field": key, "source": reg.id})
        fields += person_lookups(ctx, form, typed, {f["property"] for f in fields})
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
                    f"{len(fields)} trong {len(typed)} trường người dân đang tự nhập (biểu mẫu có "
                    f"{total} trường) đã có trong {names} (đã kết nối): điền sẵn và chỉ cho người "
                    f"dân xác nhận; còn {len(typed) - len(fields)} trường phải nhập."
                    + _person_note(fields)
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


def person_lookups(
    ctx: Context, form: dict, typed: list[tuple[str, str]], taken: set[str]
) -> list[dict]:
    """Typed fields about another person the form names by identity number (the guest of a
    residence notification, a parent): ``guest_full_name`` is read from the population
    database by ``guest_identity_number``. The number itself stays typed: it is the key."""
    population = ctx.registry("population")
    if population is None or not population.connected:
        return []
    props = form.get("properties") or {}
    prefixes = [n[: -len("identity_number")] for n in props if n.endswith("_identity_number")]
    out = []
    for name, key in typed:
        if name in taken:
            continue
        for prefix in prefixes:
            field = key[len(prefix) :] if key.startswith(prefix) else None
            if field and field != "identity_number" and field in population.fields:
                out.append(
                    {
                        "property": name,
                        "field": field,
                        "source": "population",
                        "key": f"{prefix}identity_number",
                    }
                )
                break
    return out


def _person_note(fields: list[dict]) -> str:
    keys = sorted({f["key"] for f in fields if f.get("key")})
    if not keys:
        return ""
    return (
        " Thông tin của người khác được nêu trong biểu mẫu được tra cứu theo số định danh của "
        "chính người đó ngay khi người dân nhập số này."
    )
