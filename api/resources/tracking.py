"""Public tracking by receipt code (tra cứu hồ sơ): no authentication, nothing personal.

Only the procedure's name, the dossier's status and dates and the names of the steps
taken (which come from the model, not from the applicant) are shown: no names,
identity numbers, form data, agencies' staff or actors.
"""

from __future__ import annotations

from flask_smorest import Blueprint

from toantrinh.api.context import get_engine
from toantrinh.api.schemas import TrackingSchema
from toantrinh.engine import outcomes

blp = Blueprint(
    "tracking",
    __name__,
    url_prefix="/api/v1/tracking",
    description="Tra cứu tiến độ hồ sơ theo mã biên nhận (công khai)",
)

STATUS_LABELS = {
    "in_progress": "Đang giải quyết",
    "error": "Đang giải quyết",  # a failed registry call is the agency's problem, not the public's
    "completed": "Đã có kết quả",
    "cancelled": "Đã hủy",
}
# what a finished dossier came to (engine/outcomes.py): a refusal is not "Đã có kết quả"
OUTCOME_LABELS = {
    "issued": "Đã có kết quả",
    "refused": "Bị từ chối giải quyết",
    "withdrawn": "Đã rút hồ sơ",
    "expired": "Hết hạn bổ sung, hồ sơ đã đóng",
}
STEP_LABELS = {
    "dossier_started": "Nộp hồ sơ",
    "dossier_completed": "Hoàn thành",
    "dossier_cancelled": "Hủy hồ sơ",
}


@blp.get("/<string(minlength=1, maxlength=40):receipt_code>")
@blp.response(200, TrackingSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def track(receipt_code: str):
    """Trạng thái, ngày nhận, hạn, ngày hoàn thành và các bước đã qua của hồ sơ."""
    engine = get_engine()
    dossier = engine.by_receipt(receipt_code)
    history = []
    events = engine.events(dossier.id)
    # the outcome only: the officer's reason is free text that may name people, so it is
    # shown to the signed-in applicant on the dossier page, not to whoever has the code
    result = outcomes.recorded(dossier.status, events)["outcome"]
    for event in events:
        label = STEP_LABELS.get(event.kind)
        if event.kind == "dossier_completed" and result:
            label = OUTCOME_LABELS[result]
        if label is None and event.kind == "task_completed":
            label = event.task_name
        if label:
            history.append({"at": event.at, "step": label})
    current = (
        []
        if dossier.status in ("completed", "cancelled")
        else [task["name"] for task in engine.current_tasks(dossier.id)]
    )
    return {
        "receipt_code": dossier.receipt_code,
        "procedure": dossier.version.model.name,
        "status": "in_progress" if dossier.status == "error" else dossier.status,
        "status_label": OUTCOME_LABELS.get(result)
        or STATUS_LABELS.get(dossier.status, dossier.status),
        "outcome": result,
        "received_at": dossier.created_at,
        "due_at": dossier.due_at,
        "completed_at": dossier.completed_at,
        "current_steps": current,
        "history": history,
    }
