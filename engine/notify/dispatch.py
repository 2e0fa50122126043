"""Notification dispatch: the engine's committed events → applicant email/SMS and webhook
subscriptions (channels in :mod:`toantrinh.engine.notify`), each outcome logged in ``api_notifications``.

Used by the web app after each request (:mod:`toantrinh.api.notifications` wires it into Flask) and
by the schedulers outside Flask (:func:`worker_hook`: ``toantrinh worker``, Celery), so the
worker never imports the API.

Settings (the app's config, else the environment): ``TOANTRINH_SMTP_HOST``, ``_SMTP_PORT``,
``_SMTP_USER``, ``_SMTP_PASSWORD``, ``_SMTP_STARTTLS``, ``TOANTRINH_MAIL_FROM``,
``TOANTRINH_SMS_URL``, ``TOANTRINH_SMS_API_KEY``, ``TOANTRINH_WEBHOOK_TIMEOUT``,
``TOANTRINH_WEBHOOK_ALLOW``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from toantrinh.engine import clock
from toantrinh.engine.accounts import ApiNotification, ApiWebhook
from toantrinh.engine.notify import (
    APPLICANT_EVENTS,
    Delivery,
    EmailChannel,
    Notifier,
    SmsChannel,
    notices_for,
)
from toantrinh.engine.persistence import Dossier, DossierEvent
from toantrinh.engine.service import Engine
from toantrinh.engine.webhook_guard import Allowance

log = logging.getLogger("toantrinh.notify")


def config_value(config: Mapping[str, Any], key: str, default: Any = None) -> Any:
    value = config.get(key)
    return value if value is not None else os.environ.get(key, default)


def is_on(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "yes")


def build_notifier(config: Mapping[str, Any]) -> Notifier:
    """The channels the settings configure: ``config`` (the app's) first, else the environment."""
    channels = {}
    host = config_value(config, "TOANTRINH_SMTP_HOST")
    if host:
        channels["email"] = EmailChannel(
            host=host,
            port=int(config_value(config, "TOANTRINH_SMTP_PORT", 25)),
            sender=config_value(config, "TOANTRINH_MAIL_FROM", "no-reply@toantrinh.local"),
            username=config_value(config, "TOANTRINH_SMTP_USER"),
            password=config_value(config, "TOANTRINH_SMTP_PASSWORD"),
            starttls=is_on(config_value(config, "TOANTRINH_SMTP_STARTTLS", "")),
        )
    sms_url = config_value(config, "TOANTRINH_SMS_URL")
    if sms_url:
        channels["sms"] = SmsChannel(
            url=sms_url, api_key=config_value(config, "TOANTRINH_SMS_API_KEY")
        )
    return Notifier(
        channels,
        webhook_timeout=float(config_value(config, "TOANTRINH_WEBHOOK_TIMEOUT", 5)),
        webhook_allow=Allowance.parse(config_value(config, "TOANTRINH_WEBHOOK_ALLOW", "")),
    )


@dataclass(frozen=True)
class Hook:
    """An active webhook subscription, detached from any session."""

    url: str
    events: frozenset[str]
    secret: str

    def wants(self, event: str) -> bool:
        return event in self.events or "*" in self.events


def load_hooks(session: Session) -> tuple[Hook, ...]:
    return tuple(
        Hook(h.url, frozenset(h.events or ()), h.secret)
        for h in session.scalars(
            select(ApiWebhook).where(ApiWebhook.active.is_(True)).order_by(ApiWebhook.id)
        )
    )


def contact_of(data: dict[str, Any]) -> dict[str, Any]:
    """The applicant's email and phone from the dossier's data (top level, else as a
    registry supplied them, e.g. ``population.fields.email``)."""
    contact = {
        k: data.get(k) for k in ("email", "phone") if isinstance(data.get(k), str) and data.get(k)
    }
    for value in data.values():
        fields = value.get("fields", value) if isinstance(value, dict) else None
        if isinstance(fields, dict):
            for key in ("email", "phone"):
                if key not in contact and isinstance(fields.get(key), str) and fields.get(key):
                    contact[key] = fields[key]
    return contact


def deliveries_for(
    engine: Engine,
    events: list[DossierEvent],
    notifier: Notifier,
    hooks: Iterable[Hook] | None = None,
) -> list[Delivery]:
    """What to send for a batch of committed events: applicant email/SMS and webhooks.

    Needs only an :class:`~toantrinh.engine.service.Engine` (its session and dossier data), so a
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
        out.extend(
            Delivery(notice, "webhook", hook.url, secret=hook.secret)
            for hook in hooks
            if hook.wants(notice.event)
        )
    return out


def notify_events(
    engine: Engine, events: list[DossierEvent], notifier: Notifier, sessions: sessionmaker
) -> None:
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
                    session.add(
                        ApiNotification(
                            dossier_id=delivery.notice.dossier_id,
                            event=delivery.notice.event,
                            channel=delivery.channel,
                            recipient=delivery.recipient,
                            status="failed" if error else "sent",
                            error=error,
                            payload=delivery.notice.payload(),
                            created_at=clock.now(),
                        )
                    )
        except Exception:
            log.exception("notification delivery failed")


def worker_hook(sessions: sessionmaker, connectors) -> Any:
    """Notifications for a scheduler running outside Flask (``toantrinh worker``, Celery):
    returns a callable to give the events a pass committed. Channels come from the same
    environment settings as the app's."""
    notifier = build_notifier({})

    def deliver(events: list[DossierEvent]) -> None:
        if not events:
            return
        with sessions() as session:
            notify_events(Engine(session, connectors=connectors), events, notifier, sessions)

    return deliver
