"""The dossier as an officer reads it beside a task (issue 26 item 1): one query of the
engine instead of five calls assembled in the browser.

``build`` returns, read-only:

* ``declared`` — each step the applicant completed, with the fields they typed (title and
  value, enum values in words, a component's file code);
* ``prefilled`` — the facts the national databases supplied (``x-prefill``), each with its
  registry;
* ``components`` — the dossier components (thành phần hồ sơ) the model declares, with the
  code each form field holds and the files uploaded for it;
* ``files`` — every file of the dossier, with the path that downloads it;
* ``decisions`` — each step an officer completed: who, when, and what they recorded
  (decisions, reasons, notes);
* ``outcome`` — what the dossier came to, once it ended (engine/outcomes.py).
"""

from __future__ import annotations

from typing import Any

from toantrinh.engine import outcomes
from toantrinh.engine.persistence import Dossier

CITIZEN_LANE = "citizen"


def label_of(prop: dict[str, Any], value: Any) -> Any:
    """A value in words: the title of its ``oneOf``/``anyOf`` ``const``, or its
    ``x-enumNames`` entry; the value itself otherwise."""
    for option in prop.get("oneOf") or prop.get("anyOf") or []:
        if isinstance(option, dict) and option.get("const") == value and option.get("title"):
            return option["title"]
    names = prop.get("x-enumNames")
    if names and value in (prop.get("enum") or []):
        index = prop["enum"].index(value)
        if index < len(names):
            return names[index]
    return value


def _field(name: str, prop: dict[str, Any], value: Any) -> dict[str, Any]:
    return {
        "name": name,
        "title": prop.get("title") or name,
        "value": value,
        "label": label_of(prop, value),
        "component": prop.get("x-component"),
        "source": (prop.get("x-prefill") or {}).get("source"),
    }


def build(
    dossier: Dossier,
    *,
    data: dict[str, Any],
    events: list[Any],
    tasks: dict[str, Any],
    forms: dict[str, Any],
    components: dict[str, dict[str, Any]] | None,
    files: list[Any],
) -> dict[str, Any]:
    """The read-only dossier of ``dossier`` from what the engine already holds: its
    ``data``, ``events``, the version's ``tasks`` (TaskInfo by bpmn id), ``forms`` and
    ``components``, and its ``files``."""
    declared, decisions, prefilled, given = _steps(events, data, tasks, forms)
    file_rows = [_file(dossier.id, row) for row in files]
    by_component: dict[str, list[dict[str, Any]]] = {}
    for item in file_rows:
        if item["component"]:
            by_component.setdefault(item["component"], []).append(item)
    return {
        "id": dossier.id,
        "receipt_code": dossier.receipt_code,
        "status": dossier.status,
        "declared": declared,
        "prefilled": prefilled,
        "components": [
            _component(code, spec or {}, given.get(code, []), by_component.get(code, []))
            for code, spec in (components or {}).items()
        ],
        "files": file_rows,
        "decisions": decisions,
        **(
            outcomes.recorded(dossier.status, events)
            if dossier.status in ("completed", "cancelled")
            else {"outcome": None, "reason": None, "result_code": None}
        ),
    }


def _steps(
    events: list[Any], data: dict[str, Any], tasks: dict[str, Any], forms: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], dict[str, list[str]]]:
    """The completed steps, the applicant's (declared) apart from the officers'
    (decisions), each with the fields it submitted; the pre-filled facts; and component
    code → the file codes the applicant's fields gave for it."""
    declared: list[dict[str, Any]] = []
    decisions: list[dict[str, Any]] = []
    prefilled: dict[str, dict[str, Any]] = {}
    given: dict[str, list[str]] = {}
    for event in events:
        if event.kind != "task_completed":
            continue
        detail = event.detail or {}
        meta = tasks.get(detail.get("bpmn_id"))
        schema = forms.get(meta.form) if meta is not None and meta.form else {}
        props = (schema or {}).get("properties") or {}
        fields = []
        for name in detail.get("fields") or []:
            if name not in data:
                continue
            entry = _field(name, props.get(name) or {}, data[name])
            if entry["source"]:
                prefilled[name] = entry
                continue
            if entry["component"] and isinstance(data[name], str):
                given.setdefault(entry["component"], []).append(data[name])
            fields.append(entry)
        # pre-filled fields are kept by the engine, not submitted: list them from the form
        for name, prop in props.items():
            if isinstance(prop, dict) and prop.get("x-prefill") and name in data:
                prefilled.setdefault(name, _field(name, prop, data[name]))
        step = {
            "step": event.task_name,
            "bpmn_id": detail.get("bpmn_id"),
            "actor": event.actor,
            "at": event.at,
            "kind": (meta.step.get("kind") if meta is not None else None),
            "fields": fields,
        }
        (declared if meta is not None and meta.lane == CITIZEN_LANE else decisions).append(step)
    return declared, decisions, list(prefilled.values()), given


def _file(dossier_id: int, row: Any) -> dict[str, Any]:
    return {
        "code": row.code,
        "filename": row.filename,
        "component": row.component,
        "media_type": row.media_type,
        "size": row.size,
        "created_at": row.created_at,
        "download": f"/api/v1/dossiers/{dossier_id}/attachments/{row.code}",
    }


def _component(
    code: str, spec: dict[str, Any], given: list[str], files: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "code": code,
        "name": spec.get("name") or code,
        "document_type": spec.get("document_type"),
        "given": given,
        "files": files,
    }
