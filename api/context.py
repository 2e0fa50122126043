"""What a request works with: the database session, the connectors and the engine.

One job: the handles every part of the API shares, kept apart from the app factory
(:mod:`toantrinh.api.app`), which builds the app on top of them. The resources, the
authentication and the notifications import these; nothing here imports them back, so
the API's modules import one another in one direction (docs/architecture.md).
"""

from __future__ import annotations

from flask import current_app, g
from flask_sqlalchemy import SQLAlchemy

from toantrinh.engine.db import Base
from toantrinh.engine.persistence import DossierEvent
from toantrinh.engine.registries import build_connectors
from toantrinh.engine.service import Engine

# Objects stay loaded after a commit, as in the engine's own sessions (engine.db): a view
# that answers with the dossier it has just stepped must not read it back again (issue 7).
# A request that needs another transaction's changes after its own commit re-reads them
# explicitly (the engine's conflict paths roll back, which expires everything).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


def connectors():
    """The connector registry of this app (built once, on first use)."""
    registry = current_app.extensions.get("toantrinh.connectors")
    if registry is None:
        factory = current_app.config.get("TOANTRINH_CONNECTORS")
        if factory is not None:
            registry = factory() if callable(factory) else factory
        else:
            registry = build_connectors({"base_url": current_app.config["TOANTRINH_REGISTRY_URL"]})
        current_app.extensions["toantrinh.connectors"] = registry
    return registry


def collect_event(event: DossierEvent) -> None:
    """``Engine.on_event``: keep the committed event for this request's notifications
    (sent at the end of the request by :mod:`toantrinh.api.notifications`)."""
    g.setdefault("toantrinh_events", []).append(event)


def get_engine() -> Engine:
    """The engine service for this request."""
    if "toantrinh_engine" not in g:
        defer = bool(current_app.config.get("TOANTRINH_DEFER_SERVICES"))
        on_deferred = None
        if defer and current_app.config.get("TOANTRINH_REDIS_URL"):
            # imported only by an app that hands service tasks to workers: the module
            # makes the Celery app and reads the workers' settings when imported
            from toantrinh.engine.tasks import enqueue_advance

            on_deferred = enqueue_advance  # else the scheduler finds them by needs_advance
        g.toantrinh_engine = Engine(
            db.session,
            connectors=connectors(),
            on_event=collect_event,
            defer_services=defer,
            on_deferred=on_deferred,
            files=current_app.extensions["toantrinh.files"],
        )
    return g.toantrinh_engine
