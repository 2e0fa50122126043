"""Webhook subscriptions: dossier events POSTed as HMAC-SHA256-signed JSON."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from toantrinh.api.auth import current_principal, requires
from toantrinh.api.context import db
from toantrinh.api.errors import ApiProblem
from toantrinh.api.models import ApiWebhook
from toantrinh.api.notifications import forget_hooks
from toantrinh.engine import accounts
from toantrinh.engine.notify import APPLICANT_EVENTS, Notifier
from toantrinh.engine.webhook_guard import WebhookTargetError, check_target

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/api/v1/webhooks",
    description="Đăng ký nhận sự kiện hồ sơ qua webhook (ký HMAC-SHA256)",
)

EVENTS = (*APPLICANT_EVENTS, "*")


class WebhookCreateSchema(Schema):
    url = fields.Url(
        required=True,
        schemes={"http", "https"},
        require_tld=False,
        validate=validate.Length(max=1000),
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENTS)),
        required=True,
        validate=validate.Length(min=1, max=len(EVENTS)),
    )
    secret = fields.String(
        validate=validate.Length(min=16, max=200),
        load_default=None,
        metadata={"description": "khóa ký HMAC; bỏ trống để máy chủ tạo"},
    )


class WebhookSchema(Schema):
    id = fields.Integer()
    url = fields.String()
    events = fields.List(fields.String())
    active = fields.Boolean()
    created_at = fields.DateTime()
    secret = fields.String(metadata={"description": "chỉ trả về khi tạo"})


def _view(hook: ApiWebhook, with_secret: bool = False) -> dict[str, Any]:
    view = {
        "id": hook.id,
        "url": hook.url,
        "events": hook.events,
        "active": hook.active,
        "created_at": hook.created_at,
    }
    if with_secret:
        view["secret"] = hook.secret
    return view


@blp.post("")
@requires("admin")
@blp.arguments(WebhookCreateSchema)
@blp.response(201, WebhookSchema)
def create_webhook(args: dict[str, Any]):
    """Đăng ký một webhook; khóa ký chỉ hiện một lần."""
    principal = current_principal()
    notifier: Notifier = current_app.extensions["toantrinh.notifier"]
    try:  # the same check runs again at every delivery (DNS may change meanwhile)
        check_target(args["url"], notifier.webhook_allow)
    except WebhookTargetError as err:
        raise ApiProblem(
            422,
            "Địa chỉ webhook không được phép.",
            kind="validation",
            errors=[{"field": "url", "message": str(err)}],
        ) from err
    hook = accounts.create_webhook(
        db.session, args["url"], args["events"], args["secret"], principal.actor
    )
    forget_hooks()
    return _view(hook, with_secret=True), 201


@blp.get("")
@requires("admin")
@blp.response(200, WebhookSchema(many=True))
def list_webhooks():
    """Các webhook đang đăng ký."""
    return [_view(h) for h in accounts.webhooks(db.session)]


@blp.delete("/<int(min=1, max=2147483647):webhook_id>")
@requires("admin")
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def delete_webhook(webhook_id: int):
    """Hủy đăng ký một webhook."""
    hook = accounts.webhook(db.session, webhook_id)
    if hook is None:
        raise ApiProblem(404, f"Không có webhook {webhook_id}.", kind="not-found")
    accounts.delete_webhook(db.session, hook, current_principal().actor)
    forget_hooks()
    return ""
