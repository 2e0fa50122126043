"""Blueprint registration (one place, so the app factory stays small)."""

from __future__ import annotations

from flask import Flask, jsonify

from api.app import db


def register_blueprints(app: Flask) -> None:
    @app.get("/api/v1/health")
    def health():
        db.session.execute(db.text("SELECT 1"))
        return jsonify(status="ok")
