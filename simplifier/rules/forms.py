"""Form fields a connected registry could fill (Decree 42/2022 Art. 11(2))."""

from __future__ import annotations

from ..law import citation
from .context import REGISTRY_KEYS, Context, Finding, Saving, document_sets

_SHAPES: dict[str, str] = {
    k: v for k, v in document_sets()["field_shapes"].items() if not k.startswith("$")
}


def fits(prop: dict, field: str) -> bool:
    """Whether a form property can hold a registry field's value: a list of records goes
    only into an array of objects, a single value never into an array or an object.

    >>> fits({"type": "array", "items": {"type": "string"}}, "household_members")
    False
    >>> fits({"type": "string"}, "full_name")
    True
    """
    kind = prop.get("type")
    items = (prop.get("items") or {}).get("type") if isinstance(prop.get("items"), dict) else None
    shape = _SHAPES.get(field)
    if shape is None:
        return kind not in ("array", "object")
    if shape == "object":
        return kind in (None, "object")
    want = "object" if shape == "array of objects" else "string"
    return kind in (None, "array") and items in (None, want)


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


_KIN = ("father_", "mother_", "spouse_")
# In a form about another person, only these fields are surely the applicant's own.
_APPLICANT = frozenset(
    {
        "identity_number",
        "full_name",
        "other_names",
        "date_of_birth",
        "sex",
        "ethnicity",
        "nationality",
        "native_place",
        "permanent_address",
        "temporary_address",
        "current_address",
        "phone",
        "email",
    }
)


def subject_prefixes(form: dict) -> set[str]:
    """Prefixes of the other persons a form is about (``guest_``, ``deceased_``,
    ``child_`` …): the fields named with them are not the applicant's.

    >>> sorted(subject_prefixes({"properties": {"guest_identity_number": {}, "child_sex": {}}}))
    ['child_', 'guest_']
    """
    props = form.get("properties") or {}
    out = {n[: -len("identity_number")] for n in props if n.endswith("_identity_number")}
    if any(n.startswith("child_") for n in props):
        out.add("child_")
    return out


def applicant_lookups(ctx: Context, form: dict, typed: list[tuple[str, str]]) -> list[dict]:
    """Typed fields that the applicant's own record holds, in a registry connected with
    its data scope published and looked up by the applicant's identity number.

    Registries looked up by another key (an enterprise code, a land certificate number)
    do not answer for the applicant: a registration form for a new enterprise has nothing
    in the business register yet. In a form about another person (a child, the deceased,
    a guest), the kin fields (``father_…``) are that person's, not the applicant's.
    """
    ready = sorted(
        (r for r in ctx.registries if r.ready and r.fields and r.id not in REGISTRY_KEYS),
        key=lambda r: r.id != "population",
    )
    others = subject_prefixes(form)
    skip = (*others, *_KIN) if others else ()
    out = []
    for name, key in typed:
        if others and (name.startswith(skip) or key.startswith(skip) or key not in _APPLICANT):
            continue
        reg = next((r for r in ready if key in r.fields), None)
        if reg:
            out.append({"property": name, "field": key, "source": reg.id})
    return out


def prefillable_form_fields(ctx: Context) -> list[Finding]:
    """Typed form fields whose value a registry holds (Decree 42/2022 Art. 11(2)): the
    applicant's own data, and that of the other persons and things the form names by
    their key (a guest's identity number, an enterprise code)."""
    out = []
    seen: set[str] = set()
    for tid, info in ctx.steps.items():
        node = ctx.pm.nodes[tid]
        if info.actor != "citizen" or not node.form or node.form in seen:
            continue
        form = ctx.forms.get(node.form)
        if form is None:
            continue
        seen.add(node.form)
        typed = typed_fields(ctx, form)
        fields = applicant_lookups(ctx, form, typed)
        fields += person_lookups(ctx, form, typed, {f["property"] for f in fields})
        fields += keyed_lookups(ctx, form, typed, {f["property"] for f in fields})
        props = form.get("properties") or {}
        fields = [f for f in fields if fits(props.get(f["property"]) or {}, f["field"])]
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
    if population is None or not population.ready:
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


def keyed_lookups(
    ctx: Context, form: dict, typed: list[tuple[str, str]], taken: set[str]
) -> list[dict]:
    """Typed fields a registry looked up by its own key holds, when the form asks for that
    key (an existing enterprise's code, then its name and address)."""
    names = {key for _name, key in typed}
    out = []
    for rid, (param, _var) in REGISTRY_KEYS.items():
        reg = ctx.registry(rid)
        if reg is None or not reg.ready or param not in names:
            continue
        for name, key in typed:
            if name not in taken and key != param and key in reg.fields:
                out.append({"property": name, "field": key, "source": rid, "key": param})
                taken = taken | {name}
    return out


def _person_note(fields: list[dict]) -> str:
    if not any(f.get("key") for f in fields):
        return ""
    return (
        " Thông tin của người khác hoặc đối tượng khác được nêu trong biểu mẫu được tra cứu "
        "theo số định danh, mã số của chính người, đối tượng đó ngay khi người dân nhập số này."
    )
