"""A sandbox of the National Public Service Portal's integration adapter: it keeps every
dossier record and progress step it receives, and hands over the dossiers queued as if
citizens had submitted them on the portal (the protocol of engine/portal/connector.py).

Test controls: ``GET /_sandbox/received`` (what it got, in order), ``POST /_sandbox/submit``
(queue a dossier: ``{"MaHoSo", "MaTTHC", "SoDinhDanh", "DuLieu"}``), ``POST /_sandbox/outage``
(``{"down": true}``: every call answers 503), ``GET /_sandbox/inbound`` (queued and
acknowledged dossiers).
"""

from __future__ import annotations

import secrets
import threading
from typing import Any

from flask import Flask, abort, request


def create_app(username: str = "toantrinh", password: str = "sandbox") -> Flask:
    app = Flask("toantrinh-portal-sandbox")
    app.json.ensure_ascii = False
    lock = threading.Lock()
    state: dict[str, Any] = {
        "down": False,
        "sessions": set(),
        "dossiers": {},
        "progress": [],
        "calls": [],
        "queue": {},
        "acknowledged": {},
    }

    def guard() -> None:
        if state["down"]:
            abort(503)

    @app.get("/health")
    def health():
        return {"status": "down" if state["down"] else "ok"}

    @app.post("/auth")
    def auth():
        guard()
        body = request.get_json(force=True)
        if body.get("username") != username or body.get("password") != password:
            return {"error_code": 1, "message": "Sai tài khoản kết nối"}
        session = secrets.token_hex(16)
        state["sessions"].add(session)
        return {"error_code": 0, "session": session}

    @app.post("/integration")
    def integration():
        guard()
        body = request.get_json(force=True)
        if body.get("session") not in state["sessions"]:
            return {"error_code": 401, "message": "Phiên làm việc hết hạn"}
        service = body.get("service")
        with lock:
            state["calls"].append({"service": service, "madonvi": body.get("madonvi")})
            if service == "DongBoHoSoMC":
                for record in body.get("data", []):
                    state["dossiers"][record["MaHoSo"]] = record
                return {"error_code": 0}
            if service == "CapNhatTienDoHoSoMC":
                state["progress"].extend(body.get("data", []))
                return {"error_code": 0}
            if service == "LayDanhSachHoSoMoi":
                return {"error_code": 0, "result": list(state["queue"].values())}
            if service == "XacNhanNhanHoSo":
                item = state["queue"].pop(body.get("MaHoSo"), None)
                if item is None and body.get("MaHoSo") not in state["acknowledged"]:
                    return {"error_code": 2, "message": "Không có hồ sơ"}
                state["acknowledged"][body["MaHoSo"]] = body.get("MaHoSoDiaPhuong")
                return {"error_code": 0}
        return {"error_code": 3, "message": f"Dịch vụ không hỗ trợ: {service}"}

    @app.get("/_sandbox/received")
    def received():
        return {"dossiers": state["dossiers"], "progress": state["progress"]}

    @app.post("/_sandbox/submit")
    def submit():
        item = request.get_json(force=True)
        item.setdefault("MaHoSo", f"G22.{secrets.token_hex(4).upper()}")
        with lock:
            state["queue"][item["MaHoSo"]] = item
        return item, 201

    @app.get("/_sandbox/inbound")
    def inbound():
        return {"queued": list(state["queue"]), "acknowledged": state["acknowledged"]}

    @app.post("/_sandbox/outage")
    def outage():
        state["down"] = bool((request.get_json(silent=True) or {}).get("down"))
        return {"down": state["down"]}

    return app
