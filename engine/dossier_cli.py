"""``toantrinh dossier start | show | complete``: drive a dossier from a terminal.

On the configured database (``DATABASE_URL``, else the SQLite file of ``serve``), with the
registries of ``TOANTRINH_REGISTRY_URL`` (``--registry-url``), so that a modeller tries a
model without HTTP and scripts drive the engine. Each command acts as the role ``--as``
names and applies the same checks as the API for it (engine/access.py):

* ``--as citizen:IDENTITY_NUMBER`` — a citizen: their own dossiers, citizen steps;
* ``--as officer:TOKEN`` — the officer of an API token (its number or its name), with its
  agency and lanes (``toantrinh`` makes none itself: issue it with the API);
* ``--as admin[:NAME]`` — the default: whoever runs the command has the database anyway.

Output is readable Vietnamese, or with ``--json`` the JSON the API would answer (a
refusal: ``{"error", "status", "errors"}``, exit status 1).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from sqlalchemy import select

from toantrinh.engine.access import (
    AccessDenied,
    Principal,
    StartRefused,
    ensure_dossier_access,
    ensure_not_claimed_by_another,
    ensure_task_access,
    start_terms,
)
from toantrinh.engine.accounts import ApiToken
from toantrinh.engine.db import make_engine, make_sessionmaker
from toantrinh.engine.forms import FormValidationError
from toantrinh.engine.persistence import Dossier, ReadyTask
from toantrinh.engine.registries import build_connectors
from toantrinh.engine.service import Engine, EngineError, NotFoundError
from toantrinh.engine.store.ids import row_id

STATUS_VI = {
    "in_progress": "đang giải quyết",
    "completed": "đã có kết quả",
    "cancelled": "đã hủy",
    "error": "lỗi khi xử lý",
}
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
_AS_HELP = "Vai trò thực hiện: citizen:SỐ_ĐỊNH_DANH, officer:MÃ_HOẶC_TÊN_TOKEN, admin[:TÊN]."


def _session():
    return make_sessionmaker(make_engine())()


def _engine(session, registry_url: str | None):
    url = registry_url or os.environ.get("TOANTRINH_REGISTRY_URL", "http://127.0.0.1:8765")
    return Engine(session, connectors=build_connectors({"base_url": url}))


def principal_of(session, spec: str) -> Principal:
    """The principal ``--as`` names (``ROLE:ID``)."""
    role, _, ident = spec.partition(":")
    role, ident = role.strip().lower(), ident.strip()
    if role == "citizen":
        if not ident:
            raise click.UsageError("--as citizen:SỐ_ĐỊNH_DANH (12 chữ số)")
        return Principal(id=f"cli:{ident}", role="citizen", name=ident, identity_number=ident)
    if role == "admin":
        return Principal(id="cli", role="admin", name=ident or "cli")
    if role in ("officer", "modeller", "reformer"):
        return _token_principal(session, role, ident)
    raise click.UsageError(
        f"vai trò '{role}' không có; dùng citizen, officer, modeller, reformer, admin"
    )


def _token_principal(session, role: str, ident: str) -> Principal:
    query = select(ApiToken).where(ApiToken.role == role, ApiToken.revoked_at.is_(None))
    token_id = row_id(ident)  # digits past the INTEGER key name no token, on any database
    query = (
        query.where(ApiToken.id == token_id)
        if token_id is not None
        else (query.where(ApiToken.name == ident))
    )
    rows = session.scalars(query).all()
    if len(rows) != 1:
        found = "không có" if not rows else f"có {len(rows)}"
        raise click.UsageError(
            f"{found} mã truy cập {role} còn hiệu lực mang số hoặc tên '{ident}'"
        )
    row = rows[0]
    return Principal(
        id=str(row.id),
        role=row.role,
        name=row.name,
        agency=row.agency,
        lanes=tuple(row.lanes or ()),
        identity_number=row.identity_number,
    )


def _data(value: str | None) -> dict[str, Any]:
    """``--data``: JSON text, ``@file.json``, or ``-`` for standard input."""
    if not value:
        return {}
    try:
        if value == "-":
            text = sys.stdin.read()
        elif value.startswith("@"):
            text = Path(value[1:]).read_text(encoding="utf-8")
        else:
            text = value
        data = json.loads(text)
    except (OSError, ValueError) as err:
        raise click.UsageError(f"--data không phải JSON đọc được: {err}") from err
    if not isinstance(data, dict):
        raise click.UsageError("--data phải là một đối tượng JSON")
    return data


def dossier_view(engine, dossier: Dossier, principal: Principal) -> dict[str, Any]:
    """The dossier as the API's ``GET /dossiers/{id}`` shows it, with its history."""
    # columns, not entities: a row id SQLite reuses would come back as the stale object
    rows = engine.session.execute(_INBOX.where(ReadyTask.dossier_id == dossier.id)).all()
    citizen = principal.role == "citizen"
    return {
        "id": dossier.id,
        "receipt_code": dossier.receipt_code,
        "model": dossier.version.model.slug,
        "model_name": dossier.version.model.name,
        "version": dossier.version.number,
        "status": dossier.status,
        "channel": dossier.channel,
        "agency": dossier.agency,
        "applicant_id": dossier.applicant_id,
        "created_at": _iso(dossier.created_at),
        "due_at": _iso(dossier.due_at),
        "completed_at": _iso(dossier.completed_at),
        "last_error": dossier.last_error,
        "needs_attention": dossier.needs_attention,
        "current_tasks": [
            {
                "id": r.task_id,
                "bpmn_id": r.bpmn_id,
                "name": r.name,
                "lane": r.lane,
                "claimed_by": r.claimed_by,
            }
            for r in rows
        ],
        "data": engine.data(dossier),
        "events": [
            {
                "at": _iso(e.at),
                "kind": e.kind,
                "task_name": e.task_name,
                "actor": (e.actor if e.actor == principal.actor else None) if citizen else e.actor,
                "detail": {} if citizen else (e.detail or {}),
            }
            for e in engine.events(dossier.id)
        ],
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _local(value: str | None) -> str:
    if not value:
        return "—"
    return datetime.fromisoformat(value).astimezone(LOCAL).strftime("%H:%M ngày %d/%m/%Y")


def _text(view: dict[str, Any], with_history: bool) -> str:
    lines = [
        f"Hồ sơ {view['receipt_code']} (số {view['id']})",
        f"  Thủ tục: {view['model_name']} — {view['model']}, phiên bản {view['version']}",
        f"  Trạng thái: {STATUS_VI.get(view['status'], view['status'])}"
        + (" — cần cán bộ xử lý" if view["needs_attention"] else ""),
        f"  Người nộp: {view['applicant_id'] or '—'}; cơ quan: {view['agency'] or '—'}",
        f"  Tiếp nhận: {_local(view['created_at'])}; hạn giải quyết: {_local(view['due_at'])}",
    ]
    if view["last_error"]:
        lines.append(f"  Lỗi: {view['last_error']}")
    if view["current_tasks"]:
        lines.append("  Bước đang chờ:")
        lines += [
            f"    - {t['name']} [{t['lane'] or '—'}] — {t['bpmn_id']} ({t['id']})"
            + (f", do {t['claimed_by']} nhận" if t["claimed_by"] else "")
            for t in view["current_tasks"]
        ]
    if with_history:
        lines.append("  Lịch sử:")
        lines += [
            f"    {_local(e['at'])}  {e['kind']}"
            + (f": {e['task_name']}" if e["task_name"] else "")
            for e in view["events"]
        ]
    return "\n".join(lines)


def _emit(view: dict[str, Any], as_json: bool, with_history: bool = False) -> None:
    if as_json:
        click.echo(json.dumps(view, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(_text(view, with_history))


def _fail(err: Exception, as_json: bool) -> None:
    status = getattr(err, "status", 400)
    errors = []
    if isinstance(err, FormValidationError):
        status, errors = 422, [e.to_dict() for e in err.errors]
    elif isinstance(err, StartRefused):
        errors = [{"field": err.field, "message": err.message}]
    if as_json:
        click.echo(
            json.dumps(
                {"error": str(err), "status": status, "errors": errors},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        click.echo(f"✗ {err}", err=True)
        for e in errors:
            click.echo(f"    - {e['field']}: {e['message']}", err=True)
    sys.exit(1)


_REFUSALS = (EngineError, FormValidationError, AccessDenied)
_INBOX = select(
    ReadyTask.task_id,
    ReadyTask.bpmn_id,
    ReadyTask.name,
    ReadyTask.lane,
    ReadyTask.agency,
    ReadyTask.claimed_by,
).order_by(ReadyTask.id)


def _load(engine, dossier_id: int, principal: Principal) -> Dossier:
    dossier = engine.get(dossier_id)
    ensure_dossier_access(principal, dossier)
    return dossier


@click.command("start")
@click.argument("model")
@click.option(
    "--data", "data", default=None, help="Dữ liệu nộp (JSON, @tệp.json hoặc - để đọc stdin)."
)
@click.option("--as", "who", default="admin", show_default=True, help=_AS_HELP)
@click.option(
    "--applicant", default=None, help="Số định danh người nộp (cán bộ, quản trị nộp thay)."
)
@click.option(
    "--channel",
    default="online",
    show_default=True,
    type=click.Choice(["online", "in_person", "postal"]),
)
@click.option(
    "--version", "version", type=int, default=None, help="Phiên bản quy trình (mặc định mới nhất)."
)
@click.option(
    "--registry-url", default=None, help="Dịch vụ CSDL (mặc định TOANTRINH_REGISTRY_URL)."
)
@click.option("--json", "as_json", is_flag=True, help="In JSON.")
def start_command(model, data, who, applicant, channel, version, registry_url, as_json) -> None:
    """Nộp một hồ sơ của quy trình MODEL (mã, slug hoặc process id)."""
    with _session() as session:
        engine = _engine(session, registry_url)
        principal = principal_of(session, who)
        try:
            applicant_id, agency = start_terms(principal, applicant, channel)
            dossier = engine.start(
                model,
                applicant_id=applicant_id,
                data=_data(data),
                channel=channel,
                actor=principal.actor,
                version=version,
                agency=agency,
            )
            _emit(dossier_view(engine, engine.get(dossier.id), principal), as_json)
        except _REFUSALS as err:
            _fail(err, as_json)


@click.command("show")
@click.argument("dossier_id", type=int)
@click.option("--as", "who", default="admin", show_default=True, help=_AS_HELP)
@click.option("--json", "as_json", is_flag=True, help="In JSON.")
def show_command(dossier_id, who, as_json) -> None:
    """Trạng thái, hạn, các bước đang chờ, dữ liệu và lịch sử của hồ sơ DOSSIER_ID."""
    with _session() as session:
        engine = _engine(session, None)
        principal = principal_of(session, who)
        try:
            view = dossier_view(engine, _load(engine, dossier_id, principal), principal)
        except _REFUSALS as err:
            _fail(err, as_json)
        _emit(view, as_json, with_history=True)


@click.command("complete")
@click.argument("dossier_id", type=int)
@click.argument("task")
@click.option("--data", "data", default=None, help="Dữ liệu biểu mẫu (JSON, @tệp.json hoặc -).")
@click.option("--as", "who", default="admin", show_default=True, help=_AS_HELP)
@click.option(
    "--registry-url", default=None, help="Dịch vụ CSDL (mặc định TOANTRINH_REGISTRY_URL)."
)
@click.option("--json", "as_json", is_flag=True, help="In JSON.")
def complete_command(dossier_id, task, data, who, registry_url, as_json) -> None:
    """Hoàn thành bước TASK (mã tác vụ, hoặc mã BPMN như Task_Declare) của hồ sơ DOSSIER_ID."""
    with _session() as session:
        engine = _engine(session, registry_url)
        principal = principal_of(session, who)
        try:
            dossier = _load(engine, dossier_id, principal)
            row = _ready_row(session, dossier.id, task)
            ensure_task_access(principal, row, dossier)
            ensure_not_claimed_by_another(principal, row.claimed_by)
            engine.complete_task(dossier.id, row.task_id, _data(data), actor=principal.actor)
            _emit(dossier_view(engine, engine.get(dossier.id), principal), as_json)
        except _REFUSALS as err:
            _fail(err, as_json)


def _ready_row(session, dossier_id: int, task: str):
    """The inbox row of the dossier's ready task named by its id or its BPMN id."""
    rows = session.execute(_INBOX.where(ReadyTask.dossier_id == dossier_id)).all()
    found = [r for r in rows if task in (r.task_id, r.bpmn_id)]
    if len(found) != 1:
        waiting = ", ".join(f"{r.bpmn_id} ({r.name})" for r in rows) or "không có"
        reason = "không có" if not found else "có nhiều"
        raise NotFoundError(
            f"hồ sơ {dossier_id} {reason} bước đang chờ '{task}'; đang chờ: {waiting}"
        )
    return found[0]


def attach_dossier_commands(group: click.Group) -> None:
    """Add start, show and complete to the ``toantrinh dossier`` group."""
    for command in (start_command, show_command, complete_command):
        group.add_command(command)
