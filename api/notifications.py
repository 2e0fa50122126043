"""Notifications wired into the app: the engine's committed events → applicant email/SMS
and webhook subscriptions (the dispatch is :mod:`toantrinh.engine.notify.dispatch`).

The request's :class:`~toantrinh.engine.service.Engine` reports each event after its transaction
commits (``on_event``); at the end of the request the batch is turned into notices and
delivered — in a background thread by default, inline when ``TOANTRINH_NOTIFY_SYNC`` is
set (tests). Every outcome is logged in ``api_notifications``; nothing here can fail the
request.

Every request that steps a dossier ends here, so the common case costs nothing: the
active subscriptions are kept per process for a few seconds (:func:`active_hooks`,
``TOANTRINH_WEBHOOK_CACHE_SECONDS``), and when no channel is configured and no subscription
wants what the batch could produce, no query runs at all (issue 7).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, current_app, g
from sqlalchemy.orm import sessionmaker

from toantrinh.api.context import collect_event, db, get_engine
from toantrinh.engine.caches import TtlCache
from toantrinh.engine.notify import Notifier
from toantrinh.engine.notify.dispatch import (
    DeliveryJob,
    Hook,
    build_notifier,
    config_value,
    contact_of,
    deliveries_for,
    is_on,
    load_hooks,
    notify_events,
    worker_hook,
)

__all__ = [
    "DeliveryJob",
    "Hook",
    "build_notifier",
    "collect_event",
    "contact_of",
    "deliveries_for",
    "init_notifications",
    "load_hooks",
    "notify_events",
    "worker_hook",
]

log = logging.getLogger("toantrinh.api.notifications")


def init_notifications(app: Flask) -> None:
    app.extensions["toantrinh.notifier"] = build_notifier(app.config)
    app.extensions["toantrinh.notify_pool"] = ThreadPoolExecutor(
        max_workers=2, thread_name_prefix="notify"
    )
    app.extensions["toantrinh.hooks"] = TtlCache(
        float(config_value(app.config, "TOANTRINH_WEBHOOK_CACHE_SECONDS", 5)), size=1
    )
    app.after_request(_dispatch)


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


def _dispatch(response):
    events = g.pop("toantrinh_events", None)
    if not events:
        return response
    try:
        deliveries = deliveries_for(
            get_engine(), events, current_app.extensions["toantrinh.notifier"], active_hooks()
        )
    except Exception:
        log.exception("could not prepare notifications")
        return response
    if deliveries:
        notifier: Notifier = current_app.extensions["toantrinh.notifier"]
        sessions = sessionmaker(bind=db.engine)
        job = DeliveryJob(notifier, deliveries, sessions)
        if is_on(config_value(current_app.config, "TOANTRINH_NOTIFY_SYNC", "")):
            job()
        else:
            current_app.extensions["toantrinh.notify_pool"].submit(job)
    return response
