"""Signed e-results (kết quả điện tử có chữ ký số): after a dossier's result is kept in
the applicant's e-data warehouse (``result_stored``, ``result_document`` in
procedure.json), a pass renders it as PDF from the procedure's template and signs it
with the key of the official who approved it (or of the agency), outside the dossier's
transaction: a token or a time-stamping service that is down delays the signature, never
the dossier. The signed PDF is kept here (``result_file``), by result code, with its
SHA-256, which the public verification of the result states and compares.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, undefer

from toantrinh.engine import clock
from toantrinh.engine.db import Base, UTCDateTime
from toantrinh.engine.onestop import signing
from toantrinh.engine.onestop.documents import DocumentError, DocumentRenderer
from toantrinh.engine.onestop.tail import advance, read_events
from toantrinh.engine.parsing import ModelInfo
from toantrinh.engine.persistence import Dossier, DossierEvent, ModelVersion
from toantrinh.engine.warehouse import WarehouseDocument, find_by_result_code

log = logging.getLogger("toantrinh.onestop.results")
MAX_ATTEMPTS = 8


class ResultFile(Base):
    """The signed PDF of one e-result (or why it is not signed yet)."""

    __tablename__ = "result_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_code: Mapped[str] = mapped_column(String(64), unique=True)
    dossier_id: Mapped[int | None] = mapped_column(
        ForeignKey("dossier.id", ondelete="SET NULL"), nullable=True
    )
    # pending → signed; failed (retried with back-off); refused (no signer, a bad
    # certificate: retried only when asked, after the operator fixed the configuration)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    signer_id: Mapped[str | None] = mapped_column(String(80))
    signer: Mapped[str | None] = mapped_column(String(300))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    def to_dict(self) -> dict[str, Any]:
        return {
            "result_code": self.result_code,
            "status": self.status,
            "signer": self.signer,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "sha256": self.sha256,
            "size": self.size,
            "error": self.error,
        }


@lru_cache(maxsize=256)
def _task_table(content_hash: str, info: str) -> ModelInfo:
    return ModelInfo.from_json(info)


def task_table(version: ModelVersion) -> ModelInfo:
    """The version's task table (step annotations), parsed once per version."""
    return _task_table(version.content_hash, version.info)


def approver_of(session: Session, dossier: Dossier) -> str | None:
    """The actor who completed the dossier's last ``sign`` step (tt:step kind="sign")."""
    info = task_table(dossier.version)
    signing_steps = {b for b, t in info.tasks.items() if (t.step or {}).get("kind") == "sign"}
    events = session.execute(
        select(DossierEvent.actor, DossierEvent.detail)
        .where(DossierEvent.dossier_id == dossier.id, DossierEvent.kind == "task_completed")
        .order_by(DossierEvent.id.desc())
    )
    for actor, detail in events:
        if (detail or {}).get("bpmn_id") in signing_steps:
            return actor
    return None


def field_labels(version: ModelVersion) -> dict[str, str]:
    """Each data key → the title the procedure's forms give it."""
    labels: dict[str, str] = {}
    for schema in (version.forms or {}).values():
        for key, prop in (schema.get("properties") or {}).items():
            if isinstance(prop, dict) and prop.get("title"):
                labels.setdefault(key, prop["title"])
    return labels


def result_context(
    doc: WarehouseDocument,
    dossier: Dossier,
    renderer: DocumentRenderer,
    signer: signing.SignerConfig,
) -> dict[str, Any]:
    procedure = dossier.version.model.procedure or {}
    spec = procedure.get("result_document") or {}
    labels = field_labels(dossier.version)
    public = renderer.settings.public_url
    fields = [
        {"label": labels.get(key, key), "value": _shown(doc.data.get(key))}
        for key in spec.get("fields", [])
        if doc.data.get(key) not in (None, "")
    ]
    return {
        "agency": doc.issuer,
        "number": doc.result_code,
        "issued_at": doc.issued_at,
        "valid_until": doc.valid_until,
        "result_code": doc.result_code,
        "receipt_code": dossier.receipt_code,
        "document_title": spec.get("title") or doc.title,
        "fields": fields,
        "qr_text": f"{public}/verify/{doc.result_code}" if public else doc.result_code,
        "verify_url": f"{public}/verify/{doc.result_code}" if public else "",
        "signer_name": signer.name,
        "signer_title": signer.title,
    }


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


def queue_new_results(session: Session, limit: int = 500) -> int:
    """Read the events after the ``results`` cursor and queue a ``result_file`` row for
    each result stored; commits. Returns how many were queued."""
    events, cursor = read_events(session, "results", limit)
    queued = 0
    for event in events:
        code = (event.detail or {}).get("result_code")
        if event.kind != "result_stored" or not code:
            continue
        if session.scalar(select(ResultFile.id).where(ResultFile.result_code == code)) is None:
            session.add(
                ResultFile(
                    result_code=code,
                    dossier_id=event.dossier_id,
                    status="pending",
                    next_attempt_at=clock.now(),
                    created_at=clock.now(),
                )
            )
            queued += 1
    advance(cursor, events)
    session.commit()
    return queued


def sign_pending(
    session: Session, renderer: DocumentRenderer, setup: signing.SigningSetup, limit: int = 20
) -> int:
    """Render and sign the queued results that are due; each in its own transaction.
    Returns how many were signed."""
    now = clock.now()
    ids = list(
        session.scalars(
            select(ResultFile.id)
            .where(ResultFile.status.in_(("pending", "failed")), ResultFile.next_attempt_at <= now)
            .order_by(ResultFile.id)
            .limit(limit)
        )
    )
    session.rollback()
    signed = 0
    for row_id in ids:
        signed += sign_one(session, row_id, renderer, setup)
    return signed


def sign_one(
    session: Session, row_id: int, renderer: DocumentRenderer, setup: signing.SigningSetup
) -> int:
    row = session.get(ResultFile, row_id, with_for_update=True)
    if row is None or row.status not in ("pending", "failed"):
        session.rollback()
        return 0
    row.attempts += 1
    try:
        pdf, signer = render_and_sign(session, row.result_code, renderer, setup)
    except signing.SigningRefused as err:
        row.status, row.error, row.next_attempt_at = "refused", str(err), None
    except (signing.SigningError, DocumentError) as err:
        row.status, row.error = "failed", str(err)
        row.next_attempt_at = (
            None
            if row.attempts >= MAX_ATTEMPTS
            else (clock.now() + timedelta(seconds=min(3600, 30 * 2**row.attempts)))
        )
    else:
        row.status, row.error, row.next_attempt_at = "signed", None, None
        row.content, row.size = pdf, len(pdf)
        row.sha256 = hashlib.sha256(pdf).hexdigest()
        row.signer_id, row.signer, row.signed_at = signer.id, signer.name, clock.now()
    log.info("result %s: %s %s", row.result_code, row.status, row.error or "")
    session.commit()
    return int(row.status == "signed")


def render_and_sign(
    session: Session, result_code: str, renderer: DocumentRenderer, setup: signing.SigningSetup
) -> tuple[bytes, signing.SignerConfig]:
    doc = find_by_result_code(session, result_code)
    if doc is None or not doc.source_dossier_id:
        raise signing.SigningRefused(f"không có kết quả {result_code}")
    dossier = session.get(Dossier, int(doc.source_dossier_id))
    if dossier is None:
        raise signing.SigningRefused(f"không còn hồ sơ của kết quả {result_code}")
    agency = dossier.agency or doc.issuer
    signer = setup.signer_for(agency, approver_of(session, dossier))
    if signer is None:
        raise signing.SigningRefused(f"chưa cấu hình người ký cho {agency}")
    template = renderer.first_template(f"result-{doc.document_type}.html", "result.html")
    pdf = renderer.pdf(template, result_context(doc, dossier, renderer, signer), title=doc.title)
    signed = signing.sign_pdf(
        pdf,
        setup,
        signer,
        reason=f"Ký số kết quả {doc.result_code}",
        location=renderer.settings.place,
    )
    return signed, signer


def result_file(
    session: Session, result_code: str, *, with_content: bool = False
) -> ResultFile | None:
    query = select(ResultFile).where(ResultFile.result_code == result_code)
    if with_content:
        query = query.options(undefer(ResultFile.content))
    return session.scalar(query)


def stored_result_code(session: Session, dossier_id: int) -> str | None:
    """The result code of the dossier's last result kept in the e-data warehouse
    (its ``result_stored`` event), if it has one."""
    detail = session.scalar(
        select(DossierEvent.detail)
        .where(DossierEvent.dossier_id == dossier_id, DossierEvent.kind == "result_stored")
        .order_by(DossierEvent.id.desc())
        .limit(1)
    )
    return (detail or {}).get("result_code")


def retry_refused(session: Session) -> int:
    """Queue again the results refused for their configuration (after the operator added
    a signer or renewed a certificate)."""
    rows = list(session.scalars(select(ResultFile).where(ResultFile.status == "refused")))
    for row in rows:
        row.status, row.next_attempt_at, row.attempts = "pending", clock.now(), 0
    session.commit()
    return len(rows)
