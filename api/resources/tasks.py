"""Task inbox (hộp công việc) from the ReadyTask index; one task: read, claim, complete."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from toantrinh.api.auth import (
    Principal,
    can_read_dossier,
    current_principal,
    ensure_task_access,
    requires,
)
from toantrinh.api.context import db, get_engine
from toantrinh.api.errors import ApiProblem
from toantrinh.api.resources.common import dossier_view, task_detail, task_fields
from toantrinh.api.schemas import (
    DossierSchema,
    InboxQuerySchema,
    TaskCompleteSchema,
    TaskDetailSchema,
    TaskPageSchema,
)
from toantrinh.engine import assignments
from toantrinh.engine.access import ensure_may_handle, ensure_not_claimed_by_another
from toantrinh.engine.persistence import Dossier, ReadyTask
from toantrinh.engine.service import ConflictError

blp = Blueprint(
    "tasks",
    __name__,
    url_prefix="/api/v1/tasks",
    description="Hộp công việc theo cơ quan và vai trò xử lý; nhận và hoàn thành tác vụ",
)

TASK_RULE = "<string(minlength=1, maxlength=64):task_id>"


def _task_row(
    task_id: str, principal: Principal, *, acting: bool = False
) -> tuple[ReadyTask, Dossier]:
    """The inbox row and its dossier (``Engine.task_row``), if the principal may act on it.
    ``acting``: to claim or complete it (a task completed meanwhile is then a lost race,
    409)."""
    found = get_engine().task_row(task_id)
    if found is None:
        if acting:
            _refuse_if_done(task_id, principal)
        raise ApiProblem(404, f"Không có tác vụ đang chờ với mã {task_id}.", kind="not-found")
    row, dossier = found
    ensure_task_access(principal, row, dossier)
    return row, dossier


def _refuse_if_done(task_id: str, principal: Principal) -> None:
    """A task gone from the inbox because someone completed it: whoever comes next (and
    may see the dossier) lost a race for it — 409, as when both commit at once."""
    dossier = get_engine().completed_task_in(task_id)
    if dossier is not None and can_read_dossier(principal, dossier):
        raise ConflictError(
            "hồ sơ vừa được người khác cập nhật: tác vụ này đã được hoàn thành; hãy tải lại"
        )


def _row_view(
    row: ReadyTask, dossier: Dossier, handlers: assignments.Handlers | None = None
) -> dict[str, Any]:
    handlers = handlers or assignments.Handlers()
    return {
        **task_fields(row, dossier),
        "lead": handlers.lead,
        "co_handlers": handlers.co_handlers,
    }


@blp.get("")
@requires("citizen", "officer", "admin")
@blp.arguments(InboxQuerySchema, location="query", as_kwargs=True)
@blp.response(200, TaskPageSchema)
def inbox(
    page: int,
    per_page: int,
    claimed: str,
    lane: str | None = None,
    agency: str | None = None,
    dossier_id: int | None = None,
):
    """Hộp công việc: cán bộ thấy tác vụ của cơ quan và lane của mình; công dân thấy bước của mình."""
    total, rows = get_engine().inbox(
        current_principal(),
        page=page,
        per_page=per_page,
        claimed=claimed,
        lane=lane,
        agency=agency,
        dossier_id=dossier_id,
    )
    return {
        "items": [_row_view(task, dossier, handlers) for task, dossier, handlers in rows],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


@blp.get(f"/{TASK_RULE}")
@requires("citizen", "officer", "admin")
@blp.response(200, TaskDetailSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_task(task_id: str):
    """Một tác vụ với biểu mẫu, dữ liệu điền sẵn từ cơ sở dữ liệu và các trường cần nhập."""
    row, dossier = _task_row(task_id, current_principal())
    view = next((v for v in get_engine().ready_tasks(dossier.id) if v["id"] == task_id), None)
    if view is None:
        raise ApiProblem(404, f"Không có tác vụ đang chờ với mã {task_id}.", kind="not-found")
    return task_detail(row, dossier, view)


@blp.post(f"/{TASK_RULE}/claim")
@requires("citizen", "officer", "admin")
@blp.response(200, TaskDetailSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def claim_task(task_id: str):
    """Nhận xử lý một tác vụ (người khác đã nhận → 409)."""
    principal = current_principal()
    row, dossier = _task_row(task_id, principal, acting=True)
    ensure_may_handle(db.session, principal, row)
    row = get_engine().claim_task(dossier.id, task_id, principal.actor)
    view = next((v for v in get_engine().ready_tasks(dossier.id) if v["id"] == task_id), {})
    return task_detail(row, dossier, view)


@blp.post(f"/{TASK_RULE}/complete")
@requires("citizen", "officer", "admin")
@blp.arguments(TaskCompleteSchema)
@blp.response(200, DossierSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def complete_task(args: dict[str, Any], task_id: str):
    """Hoàn thành tác vụ với dữ liệu biểu mẫu (kiểm tra theo JSON Schema; lỗi nêu từng trường)."""
    principal = current_principal()
    row, dossier = _task_row(task_id, principal, acting=True)
    ensure_not_claimed_by_another(principal, row.claimed_by)
    ensure_may_handle(db.session, principal, row)
    dossier = get_engine().complete_task(dossier.id, task_id, args["data"], actor=principal.actor)
    return dossier_view(dossier)
