"""Blueprint registration (one place, so the app factory stays small)."""

from __future__ import annotations

from flask import Flask, current_app, jsonify
from flask_smorest import Api

from toantrinh.api.app import db
from toantrinh.engine.filestore import FileStoreError


def register_blueprints(app: Flask, api: Api) -> None:
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

    @app.get("/api/v1/health")
    def health():
        db.session.execute(db.text("SELECT 1"))
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

    from toantrinh.web.views import web_blueprint

    app.register_blueprint(web_blueprint)
