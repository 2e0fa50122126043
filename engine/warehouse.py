"""E-data warehouse (kho dữ liệu điện tử của tổ chức, cá nhân; Decree 45/2020/NĐ-CP, Art. 16).

Results of procedures and digitized documents are stored per applicant, with a result
code and a content hash, so that later dossiers reuse them instead of asking again
("một việc một lần làm; hồ sơ nộp một lần"). Service tasks reach it through the
``edata`` connector: ``edata.find`` (applicant_id + document_type → the newest valid
document) and ``edata.store`` (keep a result).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, LargeBinary, String, or_, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column, undefer

from toantrinh.engine.connectors import ConnectorError, FunctionConnector
from toantrinh.engine.db import Base, UTCDateTime, utcnow
from toantrinh.engine.document_validity import default_until


class WarehouseDocument(Base):
    """One document held for one applicant (giấy tờ trong kho dữ liệu điện tử)."""

    __tablename__ = "warehouse_documents"
    __table_args__ = (
        Index("ix_warehouse_documents_applicant_type", "applicant_id", "document_type"),
        # the files of digitized documents by hash (the file store's sweep and check):
        # only rows with a file are indexed, so a procedure's result pays nothing for it
        Index(
            "ix_warehouse_documents_file_hash",
            "content_hash",
            postgresql_where=text("size IS NOT NULL"),
            sqlite_where=text("size IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[str] = mapped_column(String(32))
    document_type: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str] = mapped_column(String(300))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    result_code: Mapped[str] = mapped_column(String(64), unique=True)
    source_dossier_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # a digitized dossier component keeps its file (Engine.keep_attachment): the code of
    # the dossier file it was kept from (a file is kept once), and the file itself, read
    # only when downloaded — here, or in the file store (engine/filestore.py) by its hash
    source_attachment: Mapped[str | None] = mapped_column(String(40), unique=True)
    filename: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    @property
    def has_file(self) -> bool:
        """A digitized document with its file (in this row or in the file store, under
        ``content_hash``); a procedure's result holds only data."""
        return self.size is not None

    def is_valid(self, at: datetime | None = None) -> bool:
        at = at or utcnow()
        return self.valid_until is None or self.valid_until > at

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "applicant_id": self.applicant_id,
            "document_type": self.document_type,
            "title": self.title,
            "issuer": self.issuer,
            "issued_at": self.issued_at.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "content_hash": self.content_hash,
            "result_code": self.result_code,
            "source_dossier_id": self.source_dossier_id,
            "data": self.data,
            "file": (
                {"filename": self.filename, "media_type": self.media_type, "size": self.size}
                if self.media_type
                else None
            ),
        }


def content_hash(data: Mapping[str, Any] | None = None, content: bytes | None = None) -> str:
    """SHA-256 of the document file, or of its data in canonical JSON when there is no file."""
    if content is None:
        content = json.dumps(
            data or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
        ).encode("utf-8")
    return hashlib.sha256(content).hexdigest()


def new_result_code(document_type: str, issued_at: datetime) -> str:
    """A result code (mã kết quả) like ``KQ-20261123-9F3A1C2B``."""
    return f"KQ-{issued_at:%Y%m%d}-{secrets.token_hex(4).upper()}"


def _as_datetime(value: datetime | date | str | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def result_row(
    *,
    applicant_id: str,
    document_type: str,
    title: str,
    issuer: str,
    data: Mapping[str, Any] | None = None,
    content: bytes | None = None,
    file_hash: str | None = None,
    issued_at: datetime | date | str | None = None,
    valid_until: datetime | date | str | None = None,
    result_code: str | None = None,
    source_dossier_id: str | None = None,
) -> dict[str, Any]:
    """The checked column values of a new document (every column but ``id``), for the
    ORM (:func:`store_result`) or a bulk INSERT (the engine, at commit). ``file_hash``:
    the SHA-256 of a file already hashed (a dossier's, whose bytes may be in the file
    store), instead of ``content``."""
    if not applicant_id or not document_type:
        raise ValueError("Cần mã người nộp (applicant_id) và loại giấy tờ (document_type)")
    issued = _as_datetime(issued_at) or utcnow()
    # no stated expiry: the term of its type (a portrait photo 6 months, …)
    until = default_until(document_type, issued, _as_datetime(valid_until))
    if until is not None and until <= issued:
        raise ValueError("Ngày hết hiệu lực phải sau ngày cấp")
    return {
        "applicant_id": str(applicant_id),
        "document_type": document_type,
        "title": title,
        "issuer": issuer,
        "issued_at": issued,
        "valid_until": until,
        "content_hash": file_hash or content_hash(data, content),
        "result_code": result_code or new_result_code(document_type, issued),
        "source_dossier_id": source_dossier_id,
        "data": dict(data or {}),
        "created_at": utcnow(),
    }


def store_result(session: Session, **document: Any) -> WarehouseDocument:
    """Keep a result or digitized document for ``applicant_id`` (the keyword arguments
    of :func:`result_row`); flushes, does not commit."""
    doc = WarehouseDocument(**result_row(**document))
    session.add(doc)
    session.flush()
    return doc


def find_valid(
    session: Session,
    applicant_id: str,
    document_type: str | None = None,
    at: datetime | None = None,
) -> list[WarehouseDocument]:
    """Documents of ``applicant_id`` still in force at ``at`` (default now), newest first."""
    at = at or utcnow()
    query = select(WarehouseDocument).where(
        WarehouseDocument.applicant_id == str(applicant_id),
        WarehouseDocument.issued_at <= at,
        or_(WarehouseDocument.valid_until.is_(None), WarehouseDocument.valid_until > at),
    )
    if document_type:
        query = query.where(WarehouseDocument.document_type == document_type)
    query = query.order_by(WarehouseDocument.issued_at.desc(), WarehouseDocument.id.desc())
    return list(session.scalars(query))


def find_by_result_code(
    session: Session, result_code: str, *, with_content: bool = False
) -> WarehouseDocument | None:
    query = select(WarehouseDocument).where(WarehouseDocument.result_code == result_code)
    if with_content:
        query = query.options(undefer(WarehouseDocument.content))
    return session.scalar(query)


def public_statement(
    doc: WarehouseDocument, at: datetime, identity_number: str | None = None
) -> dict[str, Any]:
    """What anyone holding a result code may learn of its document (``engine/seal.py``):
    what it is, who issued it, when, whether it is in force at ``at``, and the SHA-256 of
    its file (a digitized copy) or of its data — nothing about the person. With
    ``identity_number``, also whether the document is that person's (``holder_matches``),
    which is how a verifier who has seen the holder's identity card ties the two."""
    if doc.issued_at > at:
        status = "not_yet_valid"
    elif doc.valid_until is not None and doc.valid_until <= at:
        status = "expired"
    else:
        status = "valid"
    statement: dict[str, Any] = {
        "result_code": doc.result_code,
        "document_type": doc.document_type,
        "title": doc.title,
        "issuer": doc.issuer,
        "issued_at": _iso(doc.issued_at),
        "valid_until": _iso(doc.valid_until) if doc.valid_until else None,
        "digitized_copy": doc.has_file,
        "content_hash": doc.content_hash,
        "status": status,
        "checked_at": _iso(at),
    }
    if identity_number is not None:
        statement["holder_matches"] = hmac.compare_digest(
            doc.applicant_id.encode(), identity_number.encode()
        )
    return statement


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


def edata_connector(session_factory: Callable[[], Session]) -> FunctionConnector:
    """The ``edata`` connector for service tasks, over sessions from ``session_factory``.

    Each call runs in its own short transaction: ``find`` only reads, ``store`` commits
    the result so that it is there for the applicant's next dossier.
    """

    def find(applicant_id: str, document_type: str, **_: Any) -> dict[str, Any]:
        with session_factory() as session:
            docs = find_valid(session, applicant_id, document_type)
            if not docs:
                return {
                    "registry": "edata_warehouse",
                    "found": False,
                    "document": None,
                    "provenance": _provenance(None),
                }
            doc = docs[0]
            return {
                "registry": "edata_warehouse",
                "found": True,
                "document": doc.to_dict(),
                "data": doc.data,
                "provenance": _provenance(doc.result_code),
            }

    def store(
        applicant_id: str,
        document_type: str,
        title: str,
        issuer: str,
        data: Mapping[str, Any] | None = None,
        valid_until: str | None = None,
        source_dossier_id: str | None = None,
        **_: Any,
    ) -> dict[str, Any]:
        try:
            with session_factory() as session, session.begin():
                doc = store_result(
                    session,
                    applicant_id=applicant_id,
                    document_type=document_type,
                    title=title,
                    issuer=issuer,
                    data=data,
                    valid_until=valid_until,
                    source_dossier_id=source_dossier_id,
                )
                out = doc.to_dict()
        except ValueError as err:
            raise ConnectorError(str(err), operation="edata.store", retryable=False) from err
        return {
            "registry": "edata_warehouse",
            "stored": True,
            "document": out,
            "result_code": out["result_code"],
            "provenance": _provenance(out["result_code"]),
        }

    return FunctionConnector("edata", {"find": find, "store": store})


def _provenance(record_id: str | None) -> dict[str, Any]:
    return {
        "registry": "edata_warehouse",
        "record_id": record_id,
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
