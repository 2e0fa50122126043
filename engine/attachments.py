"""Files attached to a dossier (tệp đính kèm thành phần hồ sơ).

A dossier component that no national database or e-data warehouse holds is still
submitted, as an electronic file: a scan or photo of the paper (bản chụp) or the
e-document itself (Decree 45/2020/NĐ-CP, Art. 9; Decree 107/2021/NĐ-CP on digitising
dossiers at the one-stop desk). A form field marked ``x-component`` (``docs/forms.md``)
carries the file's code, ``TL-…``, or the result code (``KQ-…``) of a document already
in the applicant's e-data warehouse, which is then not uploaded again (once-only).

The file is kept in the database with the dossier (deleted with it) or, where a file
store is configured, in that store under its SHA-256 (``engine/filestore.py``); its type
is read from its first bytes, never taken from the client's word, and its SHA-256
recorded, so that an officer's copy can be checked against what the applicant sent.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import subprocess
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, undefer

from toantrinh.engine.db import Base, UTCDateTime, utcnow
from toantrinh.engine.errors import AttachmentError

# a scanned A4 page is 0.3–1 MB as JPEG; a set of design drawings as PDF a few MB
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PER_DOSSIER = 30
DEFAULT_SCAN_SECONDS = 30.0
_SCAN_DOWN = "chưa quét được mã độc trong tệp lúc này; hãy gửi lại sau ít phút"
log = logging.getLogger("toantrinh.attachments")

# (media type, extension, test on the first bytes)
_KINDS: tuple[tuple[str, str, Any], ...] = (
    ("application/pdf", "pdf", lambda b: b.startswith(b"%PDF-")),
    ("image/png", "png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", "jpg", lambda b: b.startswith(b"\xff\xd8\xff")),
    ("image/tiff", "tif", lambda b: b[:4] in (b"II*\x00", b"MM\x00*")),
    ("image/webp", "webp", lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP"),
)
_CODE = re.compile(r"^TL-[0-9A-F]{16}$")


class DossierAttachment(Base):
    """One file submitted with a dossier (tệp đính kèm)."""

    __tablename__ = "dossier_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    component: Mapped[str | None] = mapped_column(String(120))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the file itself, read only when downloaded; NULL when it is in the file store, named
    # there by ``sha256`` (engine/filestore.py)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "dossier_id": self.dossier_id,
            "component": self.component,
            "filename": self.filename,
            "media_type": self.media_type,
            "size": self.size,
            "sha256": self.sha256,
            "uploaded_by": self.uploaded_by,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_per_dossier: int = DEFAULT_MAX_PER_DOSSIER
    # the malware scanner each file goes through before it is kept (see scan())
    scan_command: tuple[str, ...] = ()
    scan_seconds: float = DEFAULT_SCAN_SECONDS


def scan(content: bytes, limits: Limits) -> None:
    """Pass ``content`` through the configured malware scanner, or refuse it.

    The scanner is a command that reads the file on its standard input and answers by its
    exit status as ClamAV's ``clamdscan -`` and ``clamscan -`` do: 0 clean, 1 infected
    (its output names what it found), anything else a failure. A failure, a timeout or a
    scanner that cannot be started refuses the file as well (503: try again later), so
    that no file goes unscanned while one is configured. Without one, nothing is done."""
    if not limits.scan_command:
        return
    try:
        done = subprocess.run(
            limits.scan_command,
            input=content,
            capture_output=True,
            timeout=limits.scan_seconds,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        log.error("malware scanner %s failed: %s", limits.scan_command[0], err)
        raise AttachmentError("file", _SCAN_DOWN, kind="unavailable") from err
    if done.returncode == 0:
        return
    output = done.stdout.decode("utf-8", "replace").strip()
    if done.returncode == 1:
        found = re.search(r":\s*(\S+)\s+FOUND", output)
        name = found.group(1) if found else "mã độc"
        log.warning("malware scanner refused a file: %s", output[:500])
        raise AttachmentError("file", f"tệp bị phát hiện chứa {name}; không nhận tệp này")
    log.error(
        "malware scanner %s exited %s: %s",
        limits.scan_command[0],
        done.returncode,
        (done.stderr or done.stdout).decode("utf-8", "replace")[:500],
    )
    raise AttachmentError("file", _SCAN_DOWN, kind="unavailable")


def sniff(content: bytes) -> str | None:
    """The media type of ``content`` read from its first bytes, if it is one accepted."""
    head = content[:16]
    for media_type, _ext, test in _KINDS:
        if test(head):
            return media_type
    return None


def clean_filename(name: str | None, media_type: str) -> str:
    """The file's name as shown to officers: the last path segment, NFC, no control
    characters, at most 200 characters; a generic name with the right extension if
    nothing is left."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if not name:
        ext = next(kind[1] for kind in _KINDS if kind[0] == media_type)
        name = f"tep-dinh-kem.{ext}"
    return name[:200]


def is_code(value: Any) -> bool:
    return isinstance(value, str) and bool(_CODE.match(value))


def new_code() -> str:
    """A file code (mã tệp) like ``TL-9F3A1C2B7E4D5A60``: 64 random bits, not guessable."""
    return f"TL-{secrets.token_hex(8).upper()}"


def check_file(content: bytes, limits: Limits) -> str:
    """The accepted media type of ``content``, or :class:`AttachmentError`."""
    if not content:
        raise AttachmentError("file", "tệp rỗng")
    if len(content) > limits.max_bytes:
        raise AttachmentError(
            "file",
            f"tệp {len(content):,} byte vượt giới hạn {limits.max_bytes:,} byte".replace(",", "."),
            kind="too-large",
        )
    media_type = sniff(content)
    if media_type is None:
        raise AttachmentError(
            "file", "chỉ nhận tệp PDF, PNG, JPEG, TIFF hoặc WebP (đọc theo nội dung tệp)"
        )
    return media_type


def new_attachment(
    dossier_id: int,
    content: bytes,
    *,
    filename: str | None,
    component: str | None,
    uploaded_by: str | None,
    limits: Limits,
) -> DossierAttachment:
    """The row of a checked file (not added to any session)."""
    media_type = check_file(content, limits)
    return DossierAttachment(
        code=new_code(),
        dossier_id=dossier_id,
        component=component,
        filename=clean_filename(filename, media_type),
        media_type=media_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=uploaded_by,
        created_at=utcnow(),
        content=content,
    )


def list_attachments(session: Session, dossier_id: int) -> list[DossierAttachment]:
    """A dossier's files in the order they came, without their content."""
    return list(
        session.scalars(
            select(DossierAttachment)
            .where(DossierAttachment.dossier_id == dossier_id)
            .order_by(DossierAttachment.id)
        )
    )


def count_attachments(session: Session, dossier_id: int) -> int:
    return (
        session.scalar(select(func.count()).where(DossierAttachment.dossier_id == dossier_id)) or 0
    )


def find_attachment(
    session: Session, dossier_id: int, code: str, *, with_content: bool = False
) -> DossierAttachment | None:
    query = select(DossierAttachment).where(
        DossierAttachment.dossier_id == dossier_id, DossierAttachment.code == code
    )
    if with_content:
        query = query.options(undefer(DossierAttachment.content))
    return session.scalar(query)


def components_of(session: Session, dossier_id: int, codes: list[str]) -> dict[str, str | None]:
    """code → component of those of ``codes`` that are files of this dossier."""
    if not codes:
        return {}
    rows = session.execute(
        select(DossierAttachment.code, DossierAttachment.component).where(
            DossierAttachment.dossier_id == dossier_id, DossierAttachment.code.in_(codes)
        )
    )
    return dict(rows.all())
