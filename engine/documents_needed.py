"""Which documents a citizen must supply: one computation for the start page, the dossier
page and the form (issue 26 item 6).

The birth-registration start page used to say the birth notice and the identity card
were "Không phải nộp" (a connected national database holds them) while the dossier page
and its form then asked for both: the browser decided from the BPMN and the registries,
without the forms. Here a dossier component (thành phần hồ sơ, ``tt:component``) is

* ``form`` — asked by a form field of the applicant's steps (``x-component``): to supply,
  whatever a database holds, because the model asks for it (the simplifier's finding
  "components available in registries" is how such a field gets dropped);
* ``online_form`` — the declaration itself (``documentType="declaration_form"``), filled
  in online;
* ``not_needed`` — no form asks for it and a connected, available registry holds its type
  of document (Resolution 66.7/2025/NQ-CP: the agency reads it), with that registry;
* ``supply`` — none of these: the applicant provides it (uploads it to the dossier).

For a dossier each component also lists what was ``given`` (codes in the form's fields,
files uploaded under it) and whether it is ``missing`` (required, to supply, nothing given).
"""

from __future__ import annotations

from typing import Any

DECLARATION = "declaration_form"


def documents_needed(
    components: dict[str, dict[str, Any]],
    applicant_forms: list[dict[str, Any]],
    registries: list[dict[str, Any]],
    *,
    data: dict[str, Any] | None = None,
    files: list[Any] = (),
) -> list[dict[str, Any]]:
    """The components in declaration order, each with its ``status`` (above), the registry
    that holds it (``source``: id and names) when not needed, the form fields that ask for
    it, and for a dossier (``data`` given) what was given and whether it is missing."""
    asked: dict[str, list[str]] = {}
    for schema in applicant_forms:
        for name, prop in ((schema or {}).get("properties") or {}).items():
            if isinstance(prop, dict) and prop.get("x-component"):
                asked.setdefault(prop["x-component"], []).append(name)
    holders = [r for r in registries if r.get("connected") and r.get("available", True)]
    out = []
    for code, spec in components.items():
        kind = spec.get("document_type") or code
        source = next((r for r in holders if kind in (r.get("document_types") or [])), None)
        if code in asked:
            status = "form"
        elif kind == DECLARATION:
            status = "online_form"
        elif source is not None:
            status = "not_needed"
        else:
            status = "supply"
        item = {
            "code": code,
            "name": spec.get("name") or code,
            "document_type": spec.get("document_type"),
            "required": spec.get("required", True),
            "status": status,
            "fields": asked.get(code, []),
            "source": (
                {
                    "id": source["id"],
                    "name_vi": source.get("name_vi"),
                    "name_en": source.get("name_en"),
                }
                if status == "not_needed"
                else None
            ),
        }
        if data is not None:
            given = [
                data[f] for f in asked.get(code, []) if isinstance(data.get(f), str) and data[f]
            ]
            given += [row.code for row in files if row.component == code]
            item["given"] = given
            item["missing"] = status in ("form", "supply") and item["required"] and not given
        out.append(item)
    return out
