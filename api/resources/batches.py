"""Completing many tasks in one request: a leader signing a batch of dossiers, the one-stop
desk receiving a stack of checked submissions (``Engine.complete_tasks``)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate, validates_schema
from marshmallow import ValidationError as SchemaError

from toantrinh.api.auth import can_read_dossier, current_principal, requires
from toantrinh.api.context import db, get_engine
from toantrinh.engine.access import refusal_in_batch
from toantrinh.engine.persistence import Dossier
from toantrinh.engine.service import BatchOutcome

MAX_ITEMS = 200

blp = Blueprint(
    "task_batches",
    __name__,
    url_prefix="/api/v1/tasks",
    description="Hoàn thành nhiều tác vụ trong một yêu cầu (ký duyệt, tiếp nhận theo lô)",
)


class BatchItemSchema(Schema):
    task_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    data = fields.Dict(keys=fields.String(validate=validate.Length(max=200)), load_default=dict)


class BatchRequestSchema(Schema):
    items = fields.List(
        fields.Nested(BatchItemSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_ITEMS),
    )

    @validates_schema
    def _one_item_per_task(self, data: dict[str, Any], **_: Any) -> None:
        seen: set[str] = set()
        for n, item in enumerate(data.get("items", [])):
            if item["task_id"] in seen:
                raise SchemaError({"items": {n: {"task_id": ["tác vụ lặp lại trong lô"]}}})
            seen.add(item["task_id"])


class BatchOutcomeSchema(Schema):
    task_id = fields.String()
    dossier_id = fields.Integer(allow_none=True)
    receipt_code = fields.String(allow_none=True)
    ok = fields.Boolean()
    status = fields.Integer(metadata={"description": "mã HTTP của riêng mục này"})
    error = fields.String(allow_none=True)
    errors = fields.List(fields.Dict(), metadata={"description": "lỗi theo từng trường"})


class BatchResultSchema(Schema):
    items = fields.List(fields.Nested(BatchOutcomeSchema))
    completed = fields.Integer()
    failed = fields.Integer()


def _refused(task_id: str, status: int, error: str, dossier: Dossier | None = None) -> dict:
    return {
        "task_id": task_id,
        "dossier_id": dossier.id if dossier else None,
        "receipt_code": dossier.receipt_code if dossier else None,
        "ok": False,
        "status": status,
        "error": error,
        "errors": [],
    }


@blp.post("/complete-batch")
@requires("officer", "admin")
@blp.arguments(BatchRequestSchema)
@blp.response(200, BatchResultSchema)
def complete_batch(args: dict[str, Any]):
    """Hoàn thành nhiều tác vụ (tối đa 200, mỗi hồ sơ một tác vụ) trong một giao dịch.

    Mỗi mục có kết quả riêng (``status`` như mã HTTP): mục không làm được — không có tác
    vụ, không thuộc quyền, đã có người nhận, dữ liệu sai biểu mẫu — không thay đổi gì, các
    mục khác vẫn được hoàn thành.
    """
    principal = current_principal()
    items = args["items"]
    wanted = [item["task_id"] for item in items]
    rows = get_engine().task_rows(wanted)
    results: list[dict | None] = [None] * len(items)
    runnable: list[tuple[int, str, dict[str, Any]]] = []
    where: list[int] = []
    dossiers_seen: set[int] = set()
    receipt = {task_id: found[1].receipt_code for task_id, found in rows.items()}
    for n, item in enumerate(items):
        task_id = item["task_id"]
        found = rows.get(task_id)
        if found is None:
            dossier = get_engine().completed_task_in(task_id)
            if dossier is not None and can_read_dossier(principal, dossier):  # a lost race
                results[n] = _refused(
                    task_id,
                    409,
                    "hồ sơ vừa được người khác cập nhật: tác vụ "
                    "này đã được hoàn thành; hãy tải lại",
                    dossier,
                )
            else:
                results[n] = _refused(task_id, 404, f"Không có tác vụ đang chờ với mã {task_id}.")
            continue
        row, dossier = found
        if refusal := refusal_in_batch(db.session, principal, row, dossier):
            results[n] = _refused(task_id, refusal.status, str(refusal), dossier)
        elif dossier.id in dossiers_seen:
            results[n] = _refused(task_id, 409, "hồ sơ đã có một tác vụ khác trong lô này", dossier)
        else:
            dossiers_seen.add(dossier.id)
            runnable.append((dossier.id, task_id, item["data"]))
            where.append(n)
    if runnable:
        outcomes: list[BatchOutcome] = get_engine().complete_tasks(runnable, actor=principal.actor)
        for n, outcome in zip(where, outcomes, strict=True):
            results[n] = {
                "task_id": outcome.task_id,
                "dossier_id": outcome.dossier_id,
                "receipt_code": receipt[outcome.task_id],
                "ok": outcome.ok,
                "status": outcome.status,
                "error": outcome.error,
                "errors": outcome.errors,
            }
    done = [r for r in results if r is not None]
    completed = sum(1 for r in done if r["ok"])
    return {"items": done, "completed": completed, "failed": len(done) - completed}
