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
``TOANTRINH_NOTIFY_SYNC``, ``TOANTRINH_WEBHOOK_CACHE_SECONDS``, ``TOANTRINH_WEBHOOK_ALLOW``
(internal networks and hosts webhooks may reach, :mod:`engine.webhook_guard`).

Every request that steps a dossier ends here, so the common case costs nothing: the
active subscriptions are kept per process for a few seconds (:func:`active_hooks`), and
when no channel is configured and no subscription wants what the batch could produce,
no query runs at all (issue 7).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.app import db, get_engine
from api.cache import TtlCache
from api.models import ApiNotification, ApiWebhook
from engine import clock
from engine.notify import (
    APPLICANT_EVENTS,
    Delivery,
    EmailChannel,
    Notifier,
    SmsChannel,
    notices_for,
)
from engine.persistence import Dossier, DossierEvent
from engine.service import Engine
from engine.webhook_guard import Allowance

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
    return Notifier(channels, webhook_timeout=float(_setting(app, "TOANTRINH_WEBHOOK_TIMEOUT", 5)),
                    webhook_allow=Allowance.parse(_setting(app, "TOANTRINH_WEBHOOK_ALLOW", "")))


def init_notifications(app: Flask) -> None:
    app.extensions["toantrinh.notifier"] = build_notifier(app)
    app.extensions["toantrinh.notify_pool"] = ThreadPoolExecutor(max_workers=2, thread_name_prefix="notify")
    app.extensions["toantrinh.hooks"] = TtlCache(
        float(_setting(app, "TOANTRINH_WEBHOOK_CACHE_SECONDS", 5)), size=1)
    app.after_request(_dispatch)


@dataclass(frozen=True)
class Hook:
    """An active webhook subscription, detached from any session."""

    url: str
    events: frozenset[str]
    secret: str

    def wants(self, event: str) -> bool:
        return event in self.events or "*" in self.events


def load_hooks(session: Session) -> tuple[Hook, ...]:
    return tuple(Hook(h.url, frozenset(h.events or ()), h.secret) for h in session.scalars(
        select(ApiWebhook).where(ApiWebhook.active.is_(True)).order_by(ApiWebhook.id)))


def active_hooks() -> tuple[Hook, ...]:
    """The active subscriptions as this process read them in the last
    ``TOANTRINH_WEBHOOK_CACHE_SECONDS`` (default 5; 0 reads them every time). Changes made
    through this process apply at once (:func:`forget_hooks`), through another within
    that time."""
    cache: TtlCache = current_app.extensions["toantrinh.hooks"]
    hooks = cache.get("active")
    if hooks is None:
        hooks = load_hooks(db.session)
        cache.put("active", hooks)
    return hooks


def forget_hooks() -> None:
    """Call after this process changed a subscription."""
    current_app.extensions["toantrinh.hooks"].clear()


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
        deliveries = deliveries_for(get_engine(), events, current_app.extensions["toantrinh.notifier"],
                                    active_hooks())
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


def deliveries_for(engine: Engine, events: list[DossierEvent], notifier: Notifier,
                   hooks: Iterable[Hook] | None = None) -> list[Delivery]:
    """What to send for a batch of committed events: applicant email/SMS and webhooks.

    Needs only an :class:`~engine.service.Engine` (its session and dossier data), so a
    worker outside Flask can use it too (see :func:`notify_events`); ``hooks`` defaults
    to the subscriptions in the database.
    """
    session = engine.session
    hooks = list(load_hooks(session) if hooks is None else hooks)
    wanted = set(APPLICANT_EVENTS) if notifier.channels else set()
    for hook in hooks:
        wanted.update(APPLICANT_EVENTS if "*" in hook.events else hook.events)
    if not wanted:
        return []  # nobody listens: do not load any dossier
    notices = notices_for(session, events, kinds=wanted)
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
                   for hook in hooks if hook.wants(notice.event))
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
