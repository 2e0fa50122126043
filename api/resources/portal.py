"""The exchange with the National Public Service Portal as an administrator sees it: the
outbox of statuses (pending, sent, refused) and the dossiers received (engine/portal/)."""

from __future__ import annotations

from flask_smorest import Blueprint
from sqlalchemy import select

from api.app import db
from api.auth import requires
from engine.portal.sync import PortalInbound, PortalOutbox, outbox_summary

blp = Blueprint("portal", __name__, url_prefix="/api/v1/portal",
                description="Đồng bộ hồ sơ với Cổng Dịch vụ công quốc gia")


@blp.get("/outbox")
@requires("admin")
@blp.response(200, description="Số thông điệp chờ gửi, đã gửi, bị từ chối; 50 thông điệp gần nhất")
def outbox():
    """Hàng đợi trạng thái hồ sơ gửi Cổng DVCQG."""
    rows = db.session.scalars(select(PortalOutbox).order_by(PortalOutbox.id.desc()).limit(50))
    return {**outbox_summary(db.session), "recent": [row.to_dict() for row in rows]}


@blp.get("/inbound")
@requires("admin")
@blp.response(200, description="Hồ sơ nhận từ Cổng DVCQG (50 gần nhất)")
def inbound():
    """Hồ sơ công dân nộp trên Cổng DVCQG đã chuyển về hệ thống."""
    rows = db.session.scalars(select(PortalInbound).order_by(PortalInbound.id.desc()).limit(50))
    return [{"portal_code": r.portal_code, "receipt_code": r.receipt_code, "status": r.status,
             "error": r.error, "received_at": r.received_at.isoformat()} for r in rows]
