"""Blueprint registration (one place, so the app factory stays small)."""

from __future__ import annotations

from flask import Flask, current_app, jsonify
from flask_smorest import Api

from toantrinh.api.context import db
from toantrinh.api.resources import (
    assignments,
    attachments,
    auth,
    batches,
    deadlines,
    dossiers,
    metrics,
    models,
    onestop,
    payments,
    portal,
    registries,
    results,
    simplification,
    tasks,
    tracking,
    webhooks,
)
from toantrinh.engine.db import ping
from toantrinh.engine.filestore import FileStoreError
from toantrinh.web.views import web_blueprint


def register_blueprints(app: Flask, api: Api) -> None:
    @app.get("/api/v1/health")
    def health():
        ping(db.session)
        files = current_app.extensions["toantrinh.files"]
        if files is not None:  # an unmounted volume or a bucket out of reach takes no upload
            try:
                files.ping()
            except FileStoreError as err:
                return jsonify(status="unavailable", files=str(err)), 503
        return jsonify(status="ok")

    for module in (
        auth,
        models,
        dossiers,
        attachments,
        batches,
        tasks,
        tracking,
        results,
        registries,
        simplification,
        metrics,
        webhooks,
        onestop,
        payments,
        portal,
        deadlines,
        assignments,
    ):
        api.register_blueprint(module.blp)

    app.register_blueprint(web_blueprint)
