"""The exchange with the National Public Service Portal as an administrator sees it: the
outbox of statuses (pending, sent, refused) and the dossiers received (engine/portal/)."""

from __future__ import annotations

from flask_smorest import Blueprint

from toantrinh.api.auth import current_principal, forbidden, requires
from toantrinh.api.context import db
from toantrinh.api.resources.common import load_dossier
from toantrinh.engine.portal.sync import (
    outbox_summary,
    recent_inbound,
    recent_outbox,
    sync_status,
)

blp = Blueprint(
    "portal",
    __name__,
    url_prefix="/api/v1/portal",
    description="Đồng bộ hồ sơ với Cổng Dịch vụ công quốc gia",
)


@blp.get("/outbox")
@requires("admin")
@blp.response(200, description="Số thông điệp chờ gửi, đã gửi, bị từ chối; 50 thông điệp gần nhất")
def outbox():
    """Hàng đợi trạng thái hồ sơ gửi Cổng DVCQG."""
    rows = recent_outbox(db.session, limit=50)
    return {**outbox_summary(db.session), "recent": [row.to_dict() for row in rows]}


@blp.get("/inbound")
@requires("admin")
@blp.response(200, description="Hồ sơ nhận từ Cổng DVCQG (50 gần nhất)")
def inbound():
    """Hồ sơ công dân nộp trên Cổng DVCQG đã chuyển về hệ thống."""
    rows = recent_inbound(db.session, limit=50)
    return [
        {
            "portal_code": r.portal_code,
            "receipt_code": r.receipt_code,
            "status": r.status,
            "error": r.error,
            "received_at": r.received_at.isoformat(),
        }
        for r in rows
    ]


@blp.get("/dossiers/<int(min=1, max=2147483647):dossier_id>")
@requires("officer", "admin")
@blp.response(200, description="Trạng thái đồng bộ của một hồ sơ với Cổng DVCQG")
@blp.alt_response(404, response="NOT_FOUND")
def dossier_sync(dossier_id: int):
    """Hồ sơ này đã được đồng bộ lên Cổng DVCQG đến đâu: từng trạng thái, đã gửi hay đang chờ
    (cán bộ của cơ quan giải quyết)."""
    principal = current_principal()
    dossier = load_dossier(dossier_id, principal)
    if principal.role == "citizen":
        raise forbidden("Trạng thái đồng bộ do cán bộ theo dõi.")
    return sync_status(db.session, dossier)
