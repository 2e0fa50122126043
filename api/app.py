"""Flask application factory.

The app is thin: it holds configuration and wires the parts together. The database
session (Flask-SQLAlchemy over the engine's own metadata), the connectors and the one
:class:`toantrinh.engine.service.Engine` per request live in :mod:`toantrinh.api.context`;
the engine's committed events feed the notifications (``toantrinh.api.notifications``).
This module sits on top of the API: it imports the blueprints, and nothing in the API
imports it (only the entry points: gunicorn, the CLI, the tests). The OpenAPI document is
built from the blueprints' schemas.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_compress import Compress
from werkzeug.middleware.proxy_fix import ProxyFix

from toantrinh.api.blueprints import register_blueprints
from toantrinh.api.context import db
from toantrinh.api.errors import register_error_handlers
from toantrinh.api.guards import register_input_guards
from toantrinh.api.notifications import init_notifications
from toantrinh.api.openapi import init_api
from toantrinh.api.ratelimit import init_rate_limits
from toantrinh.api.requestlog import init_request_log
from toantrinh.engine import seal
from toantrinh.engine.db import default_database_url, engine_options, install_sqlite_pragmas
from toantrinh.engine.filestore import store_from_config
from toantrinh.engine.models_registry import import_all_models
from toantrinh.engine.onestop.documents import DocumentRenderer, DocumentSettings
from toantrinh.engine.onestop.signing import SigningSetup
from toantrinh.engine.payments.connector import connector_from_env
from toantrinh.engine.settings import Settings

# the database handle the app is built on, also named here for the tests and scripts that
# open a session on an app they made (api/context.py holds it for the app's own modules)
__all__ = ["create_app", "db"]


def create_app(config: dict[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    """The app, with ``settings`` (default: read from the environment now, once) as the
    defaults of its config; ``config`` overrides them."""
    import_all_models()
    settings = settings or Settings.from_env()
    app = Flask(__name__, static_folder=None)
    app.extensions["toantrinh.settings"] = settings
    url = (config or {}).get("SQLALCHEMY_DATABASE_URI") or default_database_url()
    app.config.update(
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=engine_options(url),
        JSON_AS_ASCII=False,
        MAX_CONTENT_LENGTH=settings.max_upload,
        # one attached file (engine/attachments.py): below the request's cap, which also
        # holds the multipart framing
        TOANTRINH_ATTACHMENT_MAX_BYTES=settings.attachment_max_bytes,
        TOANTRINH_ATTACHMENTS_PER_DOSSIER=settings.attachments_per_dossier,
        # a malware scanner each uploaded file goes through, as ClamAV's "clamdscan -"
        # (reads the file on stdin; exit 0 clean, 1 infected): engine/attachments.py
        TOANTRINH_UPLOAD_SCAN=settings.upload_scan,
        TOANTRINH_UPLOAD_SCAN_SECONDS=settings.upload_scan_seconds,
        # where the files of dossiers go instead of their database rows: a directory or
        # s3://bucket/prefix (engine/filestore.py; shared by every app process)
        TOANTRINH_FILE_STORE=settings.file_store,
        # the Ed25519 key that signs answers to public result verification (engine/seal.py)
        TOANTRINH_SEAL_KEY=settings.seal_key,
        TOANTRINH_REGISTRY_URL=settings.registry_url,
        # service tasks run on workers instead of in the request (see docs/deployment.md)
        TOANTRINH_DEFER_SERVICES=settings.defer_services,
        # read per request below: from the settings the app started with
        TOANTRINH_ADMIN_TOKEN=settings.admin_token,
        TOANTRINH_TOKEN_CACHE_SECONDS=settings.token_cache_seconds,
        TOANTRINH_DEV_LOGIN=settings.dev_login,
        TOANTRINH_SIGNERS=settings.signers,
        TOANTRINH_REDIS_URL=settings.redis_url,
        TOANTRINH_PROXIES=settings.proxies,
        TOANTRINH_WEBHOOK_CACHE_SECONDS=settings.webhook_cache_seconds,
        TOANTRINH_NOTIFY_SYNC=settings.notify_sync,
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False  # forms keep the field order their authors gave
    if config:
        app.config.update(config)
    # behind nginx (docs/deployment.md) the caller's address is in X-Forwarded-For, which
    # only the given number of proxies in front may set: request budgets count by it
    proxies = int(app.config["TOANTRINH_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    # opened here, so that a store or a key that is not there stops the app at start-up
    app.extensions["toantrinh.files"] = store_from_config(app.config["TOANTRINH_FILE_STORE"])
    app.extensions["toantrinh.seal"] = seal.from_config(app.config["TOANTRINH_SEAL_KEY"])
    init_onestop(app)
    db.init_app(app)
    with app.app_context():
        install_sqlite_pragmas(db.engine)
    init_request_log(app)
    register_error_handlers(app)
    register_input_guards(app)
    init_compression(app)
    init_rate_limits(app)
    api = init_api(app)
    app.extensions["toantrinh.api"] = api
    register_blueprints(app, api)
    init_notifications(app)
    return app


def init_compression(app: Flask) -> None:
    """Pages and API answers sent brotli- or gzip-compressed (Flask-Compress), by the
    client's Accept-Encoding. Streamed responses (file downloads) go out as they are; the
    pages' static files are compressed once and cached by web/assets.py."""
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault(
        "COMPRESS_MIMETYPES",
        [
            "text/html",
            "text/css",
            "text/plain",
            "text/csv",
            "text/markdown",
            "text/javascript",
            "application/json",
            "application/problem+json",
            "application/xml",
            "image/svg+xml",
        ],
    )
    Compress(app)


def init_onestop(app: Flask) -> None:
    """The one-stop parts this deployment configured (docs/onestop.md): the printed forms,
    the e-result signers, the payment platform."""
    config = {k: v for k, v in app.config.items() if k.startswith("TOANTRINH_")}
    app.extensions["toantrinh.documents"] = DocumentRenderer(DocumentSettings.from_env(config))
    signers = config.get("TOANTRINH_SIGNERS")
    app.extensions["toantrinh.signing"] = SigningSetup.load(signers) if signers else None
    app.extensions["toantrinh.payments"] = connector_from_env(config)
