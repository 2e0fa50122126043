"""Notifications wired into the app: the engine's committed events → applicant email/SMS
and webhook subscriptions (channels in :mod:`engine.notify`).

The request's :class:`~engine.service.Engine` reports each event after its transaction
commits (``on_event``); at the end of the request the batch is turned into notices and
delivered — in a background thread by default, inline when ``TOANTRINH_NOTIFY_SYNC`` is
set (tests). Every outcome is logged in ``api_notifications``; nothing here can fail the
request.

Configuration (app config, else environment): ``TOANTRINH_SMTP_HOST``, ``_SMTP_PORT``,
``_SMTP_USER``, ``_SMTP_PASSWORD``, ``_SMTP_STARTTLS``, ``TOANTRINH_MAIL_FROM``,
``TOANTRINH_SMS_URL``, ``TOANTRINH_SMS_API_KEY``, ``TOANTRINH_WEBHOOK_TIMEOUT``,
``TOANTRINH_NOTIFY_SYNC``.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from api.app import db, get_engine
from api.models import ApiNotification, ApiWebhook
from engine import clock
from engine.notify import Delivery, EmailChannel, Notifier, SmsChannel, notices_for
from engine.persistence import Dossier, DossierEvent
from engine.service import Engine

log = logging.getLogger("toantrinh.api.notifications")


def _setting(app: Flask, key: str, default: Any = None) -> Any:
    value = app.config.get(key)
    return value if value is not None else os.environ.get(key, default)


def _flag(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "yes")


def build_notifier(app: Flask) -> Notifier:
    channels = {}
    host = _setting(app, "TOANTRINH_SMTP_HOST")
    if host:
        channels["email"] = EmailChannel(
            host=host, port=int(_setting(app, "TOANTRINH_SMTP_PORT", 25)),
            sender=_setting(app, "TOANTRINH_MAIL_FROM", "no-reply@toantrinh.local"),
            username=_setting(app, "TOANTRINH_SMTP_USER"), password=_setting(app, "TOANTRINH_SMTP_PASSWORD"),
            starttls=_flag(_setting(app, "TOANTRINH_SMTP_STARTTLS", "")))
    sms_url = _setting(app, "TOANTRINH_SMS_URL")
    if sms_url:
        channels["sms"] = SmsChannel(url=sms_url, api_key=_setting(app, "TOANTRINH_SMS_API_KEY"))
    return Notifier(channels, webhook_timeout=float(_setting(app, "TOANTRINH_WEBHOOK_TIMEOUT", 5)))


def init_notifications(app: Flask) -> None:
    app.extensions["toantrinh.notifier"] = build_notifier(app)
    app.extensions["toantrinh.notify_pool"] = ThreadPoolExecutor(max_workers=2, thread_name_prefix="notify")
    app.after_request(_dispatch)


def collect_event(event: DossierEvent) -> None:
    """``Engine.on_event``: keep the committed event for this request's notifications."""
    g.setdefault("toantrinh_events", []).append(event)


def contact_of(data: dict[str, Any]) -> dict[str, Any]:
    """The applicant's email and phone from the dossier's data (top level, else as a
    registry supplied them, e.g. ``population.fields.email``)."""
    contact = {k: data.get(k) for k in ("email", "phone") if isinstance(data.get(k), str) and data.get(k)}
    for value in data.values():
        fields = value.get("fields", value) if isinstance(value, dict) else None
        if isinstance(fields, dict):
            for key in ("email", "phone"):
                if key not in contact and isinstance(fields.get(key), str) and fields.get(key):
                    contact[key] = fields[key]
    return contact


def _dispatch(response):
    events = g.pop("toantrinh_events", None)
    if not events:
        return response
    try:
        deliveries = deliveries_for(get_engine(), events, current_app.extensions["toantrinh.notifier"])
    except Exception:
        log.exception("could not prepare notifications")
        return response
    if deliveries:
        notifier: Notifier = current_app.extensions["toantrinh.notifier"]
        sessions = sessionmaker(bind=db.engine)
        job = DeliveryJob(notifier, deliveries, sessions)
        if _flag(_setting(current_app, "TOANTRINH_NOTIFY_SYNC", "")):
            job()
        else:
            current_app.extensions["toantrinh.notify_pool"].submit(job)
    return response


def deliveries_for(engine: Engine, events: list[DossierEvent], notifier: Notifier) -> list[Delivery]:
    """What to send for a batch of committed events: applicant email/SMS and webhooks.

    Needs only an :class:`~engine.service.Engine` (its session and dossier data), so a
    worker outside Flask can use it too (see :func:`notify_events`).
    """
    session = engine.session
    hooks = list(session.scalars(select(ApiWebhook).where(ApiWebhook.active.is_(True))))
    if not hooks and not notifier.channels:
        return []  # nothing configured: do not load any dossier
    notices = notices_for(session, events)
    contacts: dict[int, dict[str, Any]] = {}
    out: list[Delivery] = []
    for notice in notices:
        if not notifier.channels:
            contacts[notice.dossier_id] = {}
        elif notice.dossier_id not in contacts:
            dossier = session.get(Dossier, notice.dossier_id)
            contacts[notice.dossier_id] = contact_of(engine.data(dossier))
        out.extend(notifier.applicant_deliveries(notice, contacts[notice.dossier_id]))
        out.extend(Delivery(notice, "webhook", hook.url, secret=hook.secret)
                   for hook in hooks if notice.event in hook.events or "*" in hook.events)
    return out


def notify_events(engine: Engine, events: list[DossierEvent], notifier: Notifier,
                  sessions: sessionmaker) -> None:
    """Deliver now the notifications of events committed outside a request — a scheduler
    tick that fired a deadline timer, say: pass ``on_event=events.append`` to its Engine,
    then call this after the tick. Never raises."""
    try:
        DeliveryJob(notifier, deliveries_for(engine, events, notifier), sessions)()
    except Exception:
        log.exception("could not notify events")


class DeliveryJob:
    """Deliver, then log each outcome in its own short transaction."""

    def __init__(self, notifier: Notifier, deliveries: list[Delivery], sessions: sessionmaker):
        self.notifier, self.deliveries, self.sessions = notifier, deliveries, sessions

    def __call__(self) -> None:
        try:
            results = self.notifier.deliver(self.deliveries)
            with self.sessions() as session, session.begin():
                for delivery, error in results:
                    session.add(ApiNotification(
                        dossier_id=delivery.notice.dossier_id, event=delivery.notice.event,
                        channel=delivery.channel, recipient=delivery.recipient,
                        status="failed" if error else "sent", error=error,
                        payload=delivery.notice.payload(), created_at=clock.now()))
        except Exception:
            log.exception("notification delivery failed")


def worker_hook(sessions: sessionmaker, connectors) -> Any:
    """Notifications for a scheduler running outside Flask (``toantrinh worker``, Celery):
    returns a callable to give the events a pass committed. Channels come from the same
    environment settings as the app's."""
    notifier = build_notifier(Flask("toantrinh-worker"))

    def deliver(events: list[DossierEvent]) -> None:
        if not events:
            return
        with sessions() as session:
            notify_events(Engine(session, connectors=connectors), events, notifier, sessions)

    return deliver
