"""What several resources share: the dossier in a URL and the caller's right to it, the
answer for a dossier and for one of its tasks, the registries' rows.

Kept here rather than in one resource module, so that a resource uses another's helpers
without importing its blueprint (docs/architecture.md: the API's layering).
"""

from __future__ import annotations

from typing import Any

from toantrinh.api.auth import Principal, ensure_dossier_access
from toantrinh.api.context import connectors, get_engine
from toantrinh.engine import outcomes
from toantrinh.engine.persistence import Dossier, ReadyTask
from toantrinh.engine.registries.catalog import load_catalog

# a dossier id in a URL: a positive integer that the 32-bit key column can hold
ID_RULE = "<int(min=1, max=2147483647):dossier_id>"


def dossier_view(dossier: Dossier, *, with_data: bool = True) -> dict[str, Any]:
    """A dossier as the API answers it; ``with_data`` adds its waiting tasks, its data and
    (once ended) its outcome, which a list leaves out."""
    view = {
        "id": dossier.id,
        "receipt_code": dossier.receipt_code,
        "model": dossier.version.model.slug,
        "model_name": dossier.version.model.name,
        "version": dossier.version.number,
        "status": dossier.status,
        "channel": dossier.channel,
        "agency": dossier.agency,
        "applicant_id": dossier.applicant_id,
        "full_online": dossier.full_online,
        "created_at": dossier.created_at,
        "updated_at": dossier.updated_at,
        "due_at": dossier.due_at,
        "completed_at": dossier.completed_at,
        "last_error": dossier.last_error,
        "needs_attention": dossier.needs_attention,
        "retry_at": dossier.retry_at,
        "retry_count": dossier.retry_count or 0,
    }
    if with_data:
        engine = get_engine()
        view["current_tasks"] = engine.current_tasks(dossier.id)
        view["data"] = engine.data(dossier)
        if dossier.status in ("completed", "cancelled"):
            view.update(outcomes.recorded(dossier.status, engine.events(dossier.id)))
    return view


def load_dossier(dossier_id: int, principal: Principal) -> Dossier:
    """The dossier, if ``principal`` may see it (else the engine's 404 or a 403)."""
    dossier = get_engine().get(dossier_id)
    ensure_dossier_access(principal, dossier)
    return dossier


def task_fields(row: ReadyTask, dossier: Dossier) -> dict[str, Any]:
    """What the inbox and a task's own page both say of a waiting task."""
    return {
        "id": row.task_id,
        "dossier_id": dossier.id,
        "receipt_code": dossier.receipt_code,
        "model": dossier.version.model.slug,
        "bpmn_id": row.bpmn_id,
        "name": row.name,
        "lane": row.lane,
        "agency": row.agency,
        "created_at": row.created_at,
        "due_at": dossier.due_at,
        "claimed_by": row.claimed_by,
        "claimed_at": row.claimed_at,
    }


def task_detail(row: ReadyTask, dossier: Dossier, view: dict[str, Any]) -> dict[str, Any]:
    """One waiting task of ``dossier`` (its inbox ``row`` and the engine's ``view``)."""
    return {
        **task_fields(row, dossier),
        "step": view.get("step") or {},
        "form_ref": view.get("form_ref"),
        "form": view.get("form"),
        "prefill": view.get("prefill") or {},
        "typed_fields": view.get("typed_fields") or [],
    }


def registry_rows() -> list[dict[str, Any]]:
    """The registries' catalogue with whether this deployment has a connector for each."""
    registry = connectors()
    return [
        {
            "id": r.id,
            "name_vi": r.name_vi,
            "name_en": r.name_en,
            "owner": r.owner,
            "connected": r.connected,
            "scope_published": r.scope_published,
            "available": r.id in registry,
            "fields_": list(r.fields),
            "document_types": list(r.document_types),
        }
        for r in load_catalog().registries.values()
    ]
