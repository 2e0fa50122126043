"""Where the files of dossiers are kept: in their database rows, or in a file store.

A dossier's files (``engine/attachments.py``) and the digitized documents kept from them
in the e-data warehouse (``engine/warehouse.py``) are, by default, stored in their rows:
one machine, one database, one backup. A province's volume is another matter — a few
hundred thousand dossiers a year with a few scans of 0.3–3 MB each is a terabyte within
a few years — and files that large make PostgreSQL's backups, replicas and vacuums carry
bytes no query reads. ``TOANTRINH_FILE_STORE`` names a store for them instead, and the
rows keep only their metadata and SHA-256:

* a directory (``/srv/toantrinh/files``; a shared mount when app processes run on
  several hosts): :class:`DirectoryStore`;
* an S3-compatible bucket (``s3://bucket/prefix``: MinIO, Ceph, a government cloud's
  object storage, AWS), with ``TOANTRINH_S3_ENDPOINT_URL`` and the usual ``AWS_*``
  credentials: :class:`S3Store` (needs ``pip install 'toantrinh[s3]'``).

Both are content-addressed: a file is named after its SHA-256 (``ab/cd/abcd…``), written
whole or not at all, never changed afterwards. The same scan uploaded twice, or a file
and the warehouse document kept from it, is one file. Every read checks the hash, so a
file damaged in the store is refused rather than served. A file is written before the
row that names it is committed; a transaction that then fails leaves a file no row
names, which ``toantrinh files sweep`` removes once it is older than a grace period, as
it removes the files of deleted dossiers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy import select, union, update

from toantrinh.engine.attachments import DossierAttachment
from toantrinh.engine.errors import FileStoreError
from toantrinh.engine.warehouse import WarehouseDocument

log = logging.getLogger("toantrinh.filestore")

_HASH = re.compile(r"^[0-9a-f]{64}$")
MARKER = ".toantrinh-store"  # in a directory store's root: it was initialised, and is mounted


def _key(sha256: str) -> str:
    """``ab/cd/abcd…``: a file's place in the store, two levels of 256 folders deep."""
    if not _HASH.match(sha256):
        raise ValueError(f"not a SHA-256 in hex: {sha256!r}")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def _checked(sha256: str, content: bytes, where: str) -> bytes:
    if hashlib.sha256(content).hexdigest() != sha256:
        log.error("file %s in %s does not match its hash", sha256, where)
        raise FileStoreError(f"tệp {sha256[:12]}… trong kho tệp bị hỏng; báo quản trị hệ thống")
    return content


def _missing(sha256: str, where: str) -> FileStoreError:
    log.error("file %s missing from %s", sha256, where)
    return FileStoreError(f"kho tệp thiếu tệp {sha256[:12]}…; báo quản trị hệ thống")


def _same_hash(sha256: str, content: bytes) -> None:
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ValueError("content does not match its SHA-256")


class FileStore(Protocol):
    """Files named by their SHA-256 (hex), written once and never changed."""

    def has(self, sha256: str) -> bool: ...

    def put(self, sha256: str, content: bytes) -> bool:
        """Keep ``content`` under its hash (checked); ``False`` if it was there already,
        and then touched, so that a sweep running meanwhile keeps it (:func:`sweep`)."""
        ...

    def get(self, sha256: str) -> bytes:
        """The file of ``sha256``, checked against it."""
        ...

    def delete(self, sha256: str) -> None: ...

    def hashes(self) -> Iterator[str]:
        """Every file's hash, in order."""
        ...

    def age_seconds(self, sha256: str) -> float:
        """Seconds since the file was written or last reused (0 if it is gone)."""
        ...

    def sweep_parts(self, older_than: float, dry_run: bool) -> int:
        """Remove what writes that never finished left behind; how many."""
        ...

    def ping(self) -> None:
        """Raise :class:`FileStoreError` unless the store is there and writable."""
        ...


class DirectoryStore:
    """Files under ``root`` (``root/ab/cd/<sha256>``), each written to a temporary name,
    flushed to disk and renamed into place (mode 0440)."""

    def __init__(self, root: str | os.PathLike[str], *, create: bool = False):
        """Open the store at ``root``, which ``create`` (``toantrinh files init``) makes: a
        directory with a marker file. Without the marker the store is refused, so that
        a shared volume that failed to mount — an empty local directory in its place —
        does not take files the other hosts will never see (Nextcloud's ``.ocdata``
        guards its data directory the same way)."""
        self.root = Path(root)
        marker = self.root / MARKER
        if create and not marker.is_file():
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                marker.write_text(
                    json.dumps({"kind": "toantrinh-file-store", "created_at": time.time()}),
                    encoding="utf-8",
                )
            except OSError as err:
                raise FileStoreError(f"không tạo được kho tệp {self.root}: {err.strerror}") from err
        self.ping()

    def ping(self) -> None:
        """Refuse a store that is not there (unmounted, never initialised) or read-only."""
        if not (self.root / MARKER).is_file():
            raise FileStoreError(
                f"{self.root} không phải kho tệp đã khởi tạo (chưa gắn ổ chia sẻ, hoặc chưa chạy "
                f"'toantrinh files init --store {self.root}')",
                kind="unavailable",
            )
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise FileStoreError(f"không ghi được vào kho tệp {self.root}", kind="unavailable")

    def __repr__(self) -> str:
        return f"DirectoryStore({str(self.root)!r})"

    def path(self, sha256: str) -> Path:
        return self.root / _key(sha256)

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, sha256: str, content: bytes) -> bool:
        _same_hash(sha256, content)
        target = self.path(sha256)
        if target.is_file() and target.stat().st_size == len(content):
            os.utime(target)
            return False
        self.ping()  # never into the empty mount point of a volume that went away
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o440)
            os.replace(tmp, target)  # atomic: a reader sees the whole file or none
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        return True

    def get(self, sha256: str) -> bytes:
        try:
            content = self.path(sha256).read_bytes()
        except FileNotFoundError as err:
            self.ping()  # the whole store gone (503) rather than this one file (500)
            raise _missing(sha256, str(self.root)) from err
        return _checked(sha256, content, str(self.root))

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def hashes(self) -> Iterator[str]:
        for first in sorted(p for p in self.root.iterdir() if p.is_dir()):
            for second in sorted(p for p in first.iterdir() if p.is_dir()):
                for file in sorted(second.iterdir()):
                    if _HASH.match(file.name):
                        yield file.name

    def age_seconds(self, sha256: str) -> float:
        try:
            return time.time() - self.path(sha256).stat().st_mtime
        except FileNotFoundError:
            return 0.0

    def sweep_parts(self, older_than: float, dry_run: bool) -> int:
        """The temporary files of writes a killed process left (``.part-*``)."""
        cutoff = time.time() - older_than
        parts = [p for p in self.root.glob("*/*/.part-*") if p.stat().st_mtime < cutoff]
        if not dry_run:
            for part in parts:
                part.unlink(missing_ok=True)
        return len(parts)


def _fsync_dir(path: Path) -> None:
    """Make a rename into ``path`` durable (POSIX; a no-op where directories cannot be
    opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class S3Store:
    """Files in an S3-compatible bucket, under ``prefix/ab/cd/<sha256>``.

    An object is written by one ``PutObject`` (whole or not at all) with its SHA-256
    checksum, which the service verifies on receipt; reused, it is copied onto itself,
    which renews its ``LastModified`` (the age a sweep reads). The bucket must exist;
    grant the app ``s3:GetObject``, ``PutObject``, ``DeleteObject`` and ``ListBucket`` on
    it. A store that does not answer is a 503 (try again later), not a lost file."""

    def __init__(self, url: str, *, endpoint_url: str | None = None, client: Any = None):
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise FileStoreError(f"địa chỉ kho tệp S3 phải có dạng s3://bucket/tiền-tố: {url}")
        self.bucket, self.prefix = parts.netloc, parts.path.strip("/")
        self.url = url
        if client is None:
            try:  # boto3 is the optional s3 extra (pyproject.toml), loaded only for this store
                import boto3
                from botocore.config import Config
            except ImportError as err:
                raise FileStoreError(
                    "kho tệp S3 cần thư viện boto3: pip install 'toantrinh[s3]'"
                ) from err
            client = boto3.client(
                "s3",
                endpoint_url=endpoint_url or os.environ.get("TOANTRINH_S3_ENDPOINT_URL") or None,
                config=Config(
                    retries={"max_attempts": 3, "mode": "standard"},
                    connect_timeout=5,
                    read_timeout=30,
                ),
            )
        self.client = client
        from botocore.exceptions import BotoCoreError, ClientError  # botocore: with boto3

        self._errors = (BotoCoreError, ClientError)
        self.ping()

    def ping(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except self._errors as err:
            raise FileStoreError(
                f"không mở được kho tệp {self.url}: {err}", kind="unavailable"
            ) from err

    def __repr__(self) -> str:
        return f"S3Store({self.url!r})"

    def key(self, sha256: str) -> str:
        return f"{self.prefix}/{_key(sha256)}" if self.prefix else _key(sha256)

    def _unreachable(self, err: Exception) -> FileStoreError:
        log.error("file store %s: %s", self.url, err)
        return FileStoreError(
            "kho tệp không trả lời lúc này; hãy thử lại sau ít phút", kind="unavailable"
        )

    def _absent(self, err: Exception) -> bool:
        code = getattr(err, "response", {}).get("Error", {}).get("Code")
        return code in ("404", "NoSuchKey", "NotFound")

    def _head(self, sha256: str) -> dict[str, Any] | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except self._errors as err:
            if self._absent(err):
                return None
            raise self._unreachable(err) from err

    def has(self, sha256: str) -> bool:
        return self._head(sha256) is not None

    def put(self, sha256: str, content: bytes) -> bool:
        _same_hash(sha256, content)
        key = self.key(sha256)
        try:
            head = self._head(sha256)
            if head is not None and head.get("ContentLength") == len(content):
                self.client.copy_object(
                    Bucket=self.bucket,
                    Key=key,
                    CopySource={"Bucket": self.bucket, "Key": key},
                    MetadataDirective="REPLACE",
                    Metadata={"reused-at": str(int(time.time()))},
                )
                return False
            self.client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=content,
                ChecksumSHA256=base64.b64encode(bytes.fromhex(sha256)).decode("ascii"),
            )
        except self._errors as err:
            raise self._unreachable(err) from err
        return True

    def get(self, sha256: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
            content = answer["Body"].read()
        except self._errors as err:
            if self._absent(err):
                raise _missing(sha256, self.url) from err
            raise self._unreachable(err) from err
        return _checked(sha256, content, self.url)

    def delete(self, sha256: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))
        except self._errors as err:
            raise self._unreachable(err) from err

    def hashes(self) -> Iterator[str]:
        # keys of one length under one prefix: the listing's order is the hashes' order
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{self.prefix}/" if self.prefix else ""
        )
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    name = item["Key"].rsplit("/", 1)[-1]
                    if _HASH.match(name) and item["Key"] == self.key(name):
                        yield name
        except self._errors as err:
            raise self._unreachable(err) from err

    def age_seconds(self, sha256: str) -> float:
        head = self._head(sha256)
        if head is None:
            return 0.0
        return time.time() - head["LastModified"].timestamp()

    def sweep_parts(self, older_than: float, dry_run: bool) -> int:
        return 0  # a PutObject is whole or absent: nothing half-written to remove


def store_from_config(
    value: str | os.PathLike[str] | FileStore | None, *, create: bool = False
) -> FileStore | None:
    """The store a setting names: ``s3://bucket/prefix``, a directory path (initialised
    by ``toantrinh files init``, or here with ``create``), or nothing (files in their
    rows)."""
    if value is None or value == "":
        return None
    if isinstance(value, DirectoryStore | S3Store):
        return value
    if str(value).startswith("s3://"):
        return S3Store(str(value))
    return DirectoryStore(value, create=create)


def default_store() -> FileStore | None:
    """The store ``TOANTRINH_FILE_STORE`` names, if any."""
    return store_from_config(os.environ.get("TOANTRINH_FILE_STORE"))


def read(store: FileStore | None, inline: bytes | None, sha256: str) -> bytes:
    """A file's content: from its row when it is there, else from ``store``."""
    if inline is not None:
        return inline
    if store is None:
        raise FileStoreError(
            "tệp được giữ trong kho tệp ngoài cơ sở dữ liệu, nhưng máy chủ này chưa cấu hình "
            "kho tệp (TOANTRINH_FILE_STORE)"
        )
    return store.get(sha256)


# ------------------------------------------------------------- the database's side
def _tables():
    """(model, its hash column, the condition that its file is in the store, the condition
    that its file is in the row) for each table whose rows have files."""
    return (
        (
            DossierAttachment,
            DossierAttachment.sha256,
            DossierAttachment.content.is_(None),
            DossierAttachment.content.is_not(None),
        ),
        (
            WarehouseDocument,  # a procedure's result has data, no file
            WarehouseDocument.content_hash,
            WarehouseDocument.content.is_(None) & WarehouseDocument.size.is_not(None),
            WarehouseDocument.content.is_not(None),
        ),
    )


def needed(session, hashes: list[str]) -> set[str]:
    """Those of ``hashes`` that some row keeps in the store."""
    found: set[str] = set()
    for _, column, in_store, _ in _tables():
        found.update(session.scalars(select(column).where(column.in_(hashes), in_store)))
    return found


def hashes_in_store():
    """Every hash some row keeps in the store, once each and in order (a statement to
    execute, streamed by the backup)."""
    parts = [select(column.label("sha256")).where(in_store) for _, column, in_store, _ in _tables()]
    return union(*parts).order_by("sha256")


def move_out(session, store: FileStore, batch: int = 100) -> dict[str, int]:
    """Move every file kept in its row into ``store`` (the row keeps its hash): a batch
    at a time, each batch's files written before its rows are committed. Run it once
    ``TOANTRINH_FILE_STORE`` is set; it may be stopped and run again."""
    moved: dict[str, int] = {}
    for model, column, _, in_row in _tables():
        count = 0
        while rows := session.execute(
            select(model.id, column, model.content).where(in_row).order_by(model.id).limit(batch)
        ).all():
            for row_id, sha256, content in rows:
                if hashlib.sha256(content).hexdigest() != sha256:
                    raise FileStoreError(
                        f"{model.__tablename__} {row_id}: nội dung không khớp mã băm đã ghi"
                    )
                store.put(sha256, content)
            ids = [row[0] for row in rows]
            session.execute(update(model).where(model.id.in_(ids)).values(content=None))
            session.commit()
            count += len(rows)
        moved[model.__tablename__] = count
    return moved


def move_in(session, store: FileStore, batch: int = 100) -> dict[str, int]:
    """Bring every file the rows keep in ``store`` back into the rows (to leave the
    store, or before a downgrade); the store's files stay until a sweep."""
    moved: dict[str, int] = {}
    for model, column, in_store, _ in _tables():
        count = 0
        while rows := session.execute(
            select(model.id, column).where(in_store).order_by(model.id).limit(batch)
        ).all():
            for row_id, sha256 in rows:
                content = store.get(sha256)
                session.execute(update(model).where(model.id == row_id).values(content=content))
            session.commit()
            count += len(rows)
        moved[model.__tablename__] = count
    return moved


def check(session, store: FileStore, *, verify: bool = False) -> dict[str, list[str]]:
    """table → the hashes its rows keep in the store that the store does not have (or,
    with ``verify``, has damaged)."""
    missing: dict[str, list[str]] = {}
    for model, column, in_store, _ in _tables():
        bad = []
        for sha256 in session.scalars(select(column).where(in_store).distinct().order_by(column)):
            if verify:
                try:
                    store.get(sha256)
                except FileStoreError:
                    bad.append(sha256)
            elif not store.has(sha256):
                bad.append(sha256)
        missing[model.__tablename__] = bad
    return missing


def sweep(
    session, store: FileStore, *, older_than: float = 86400.0, dry_run: bool = False
) -> dict[str, int]:
    """Delete the files no row keeps in the store (a failed upload's, a deleted dossier's,
    one moved back into its row) once they are ``older_than`` seconds old, and the
    temporary files of writes that never finished. A file a row has just named is not
    among them: an upload touches the file it reuses (``put``) before its row commits."""
    counts = {"kept": 0, "deleted": 0, "parts": 0}
    hashes = store.hashes()
    while chunk := list(islice(hashes, 500)):
        used = needed(session, chunk)
        session.rollback()  # the next batch reads what is committed by then
        for sha256 in chunk:
            # the age is read after the rows: a file named by a row committed meanwhile
            # was touched before that commit, so it is young here
            if sha256 in used or store.age_seconds(sha256) < older_than:
                counts["kept"] += 1
                continue
            if not dry_run:
                store.delete(sha256)
            counts["deleted"] += 1
    counts["parts"] = store.sweep_parts(older_than, dry_run)
    return counts
