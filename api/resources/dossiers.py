"""Dossiers (hồ sơ): start, list, read, events, ready tasks, cancel, retry, migrate."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from toantrinh.api.auth import (
    can_act_on_task,
    current_principal,
    forbidden,
    requires,
)
from toantrinh.api.context import db, get_engine
from toantrinh.api.resources.common import (
    ID_RULE,
    dossier_view,
    load_dossier,
    registry_rows,
    task_detail,
)
from toantrinh.api.schemas import (
    CancelSchema,
    DocumentNeededSchema,
    DossierPageSchema,
    DossierQuerySchema,
    DossierSchema,
    DossierStartSchema,
    DossierViewSchema,
    EventSchema,
    MigrationRequestSchema,
    MigrationSchema,
    TaskDetailSchema,
)
from toantrinh.engine import outcomes
from toantrinh.engine.access import start_terms

blp = Blueprint(
    "dossiers",
    __name__,
    url_prefix="/api/v1/dossiers",
    description="Hồ sơ: nộp, xem, lịch sử xử lý, hủy, chạy lại bước lỗi",
)


@blp.post("")
@requires("citizen", "officer", "admin")
@blp.arguments(DossierStartSchema)
@blp.response(201, DossierSchema)
@blp.alt_response(404, response="NOT_FOUND")
def start_dossier(args: dict[str, Any]):
    """Nộp hồ sơ: công dân nộp trực tuyến cho chính mình; Bộ phận Một cửa tiếp nhận mọi kênh."""
    principal = current_principal()
    applicant, agency = start_terms(principal, args["applicant_id"], args["channel"])
    dossier = get_engine().start(
        args["model"],
        applicant_id=applicant,
        data=args["data"],
        channel=args["channel"],
        actor=principal.actor,
        version=args["version"],
        agency=agency,
    )
    return dossier_view(dossier), 201


@blp.get("")
@requires("citizen", "officer", "admin")
@blp.arguments(DossierQuerySchema, location="query", as_kwargs=True)
@blp.response(200, DossierPageSchema)
def list_dossiers(
    page: int,
    per_page: int,
    status: str | None = None,
    model: str | None = None,
    attention: bool | None = None,
):
    """Hồ sơ mà người gọi được xem (công dân: của mình; cán bộ: của cơ quan mình);
    `attention=true`: những hồ sơ lỗi không còn được tự động thử lại, chờ cán bộ xử lý."""
    total, rows = get_engine().list_dossiers(
        current_principal(),
        page=page,
        per_page=per_page,
        status=status,
        model=model,
        attention=attention,
    )
    ended = outcomes.outcomes_of(db.session, rows)  # a refusal is listed as one (issue 26)
    return {
        "items": [dossier_view(d, with_data=False) | {"outcome": ended.get(d.id)} for d in rows],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


@blp.get(f"/{ID_RULE}")
@requires("citizen", "officer", "admin")
@blp.response(200, DossierSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_dossier(dossier_id: int):
    """Trạng thái, mã biên nhận, hạn giải quyết, các bước đang chờ và dữ liệu hồ sơ."""
    return dossier_view(load_dossier(dossier_id, current_principal()))


@blp.get(f"/{ID_RULE}/events")
@requires("citizen", "officer", "admin")
@blp.response(200, EventSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def dossier_events(dossier_id: int):
    """Nhật ký xử lý hồ sơ (công dân không thấy tên cán bộ và chi tiết nội bộ)."""
    principal = current_principal()
    load_dossier(dossier_id, principal)
    citizen = principal.role == "citizen"
    return [
        {
            "id": e.id,
            "at": e.at,
            "kind": e.kind,
            "task_name": e.task_name,
            "actor": (e.actor if e.actor == principal.actor else None) if citizen else e.actor,
            "detail": {} if citizen else (e.detail or {}),
        }
        for e in get_engine().events(dossier_id)
    ]


@blp.get(f"/{ID_RULE}/view")
@requires("officer", "admin")
@blp.response(200, DossierViewSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(404, response="NOT_FOUND")
def dossier_read_view(dossier_id: int):
    """Hồ sơ để cán bộ xem bên cạnh tác vụ: dữ liệu kê khai, thông tin điền sẵn (nguồn),
    thành phần hồ sơ và tệp, các quyết định và ghi chú trước đó, kết quả (chỉ đọc)."""
    return get_engine().dossier_view(load_dossier(dossier_id, current_principal()))


@blp.get(f"/{ID_RULE}/documents")
@requires("citizen", "officer", "admin")
@blp.response(200, DocumentNeededSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def dossier_documents(dossier_id: int):
    """Giấy tờ của hồ sơ: phải nộp, kê khai trực tuyến, không phải nộp; đã nộp gì, còn thiếu gì."""
    dossier = load_dossier(dossier_id, current_principal())
    return get_engine().documents_needed(dossier.version, registry_rows(), dossier)


@blp.get(f"/{ID_RULE}/tasks")
@requires("citizen", "officer", "admin")
@blp.response(200, TaskDetailSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def dossier_tasks(dossier_id: int):
    """Các bước đang chờ của hồ sơ mà người gọi được xử lý, kèm biểu mẫu và dữ liệu điền sẵn."""
    principal = current_principal()
    dossier = load_dossier(dossier_id, principal)
    engine = get_engine()
    rows = engine.inbox_rows(dossier.id)
    out = []
    for view in engine.ready_tasks(dossier.id):
        row = rows.get(view["id"])
        if row is None or not can_act_on_task(principal, row, dossier):
            continue
        out.append(task_detail(row, dossier, view))
    return out


@blp.post(f"/{ID_RULE}/cancel")
@requires("citizen", "officer", "admin")
@blp.arguments(CancelSchema)
@blp.response(200, DossierSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def cancel_dossier(args: dict[str, Any], dossier_id: int):
    """Hủy hồ sơ: công dân rút hồ sơ của mình; Bộ phận Một cửa hoặc lãnh đạo của cơ quan."""
    principal = current_principal()
    load_dossier(dossier_id, principal)
    if principal.role == "officer" and not {"one_stop_desk", "leader"} & set(principal.lanes):
        raise forbidden("Chỉ Bộ phận Một cửa hoặc lãnh đạo được hủy hồ sơ.")
    dossier = get_engine().cancel(dossier_id, actor=principal.actor, reason=args["reason"])
    return dossier_view(dossier)


@blp.post(f"/{ID_RULE}/retry")
@requires("officer", "admin")
@blp.response(200, DossierSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def retry_dossier(dossier_id: int):
    """Chạy lại bước bị lỗi (ví dụ cơ sở dữ liệu quốc gia tạm thời không trả lời)."""
    principal = current_principal()
    load_dossier(dossier_id, principal)
    return dossier_view(get_engine().retry(dossier_id, actor=principal.actor))


@blp.post(f"/{ID_RULE}/migrate")
@requires("modeller", "admin")
@blp.arguments(MigrationRequestSchema)
@blp.response(200, MigrationSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def migrate_dossier(args: dict[str, Any], dossier_id: int):
    """Chuyển hồ sơ đang chạy sang phiên bản khác của quy trình (ví dụ bản đã sửa lỗi).

    Chỉ chuyển khi mọi bước đã chạy và đang chờ đều có trong phiên bản đích; nếu không,
    trả 409 nêu các bước không tương ứng và không thay đổi gì. `dry_run` chỉ kiểm tra."""
    principal = current_principal()
    engine = get_engine()
    from_version = engine.get(dossier_id).version.number
    dossier = engine.migrate(
        dossier_id, args["version"], actor=principal.actor, dry_run=args["dry_run"]
    )
    return {
        "dossier_id": dossier.id,
        "receipt_code": dossier.receipt_code,
        "from_version": from_version,
        "to_version": args["version"],
        "migrated": not args["dry_run"],
    }
