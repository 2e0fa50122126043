"""The application's own backup: every table to one gzip JSON-lines file, and back.

A backup file is a gzip stream of JSON lines:

1. a header ``{"kind": "header", "format": "toantrinh-backup", "format_version": 1,
   "created_at", "dialect", "schema_revision", "tables": [...]}``;
2. one ``{"kind": "row", "table": name, "row": {column: value}}`` per row, table by table
   in foreign-key order (models and versions before dossiers, dossiers before their
   events, timers, subscriptions, messages and inbox rows), rows by primary key;
3. one ``{"kind": "file", "sha256", "content"}`` (base64) per file that rows keep in the
   file store instead of in themselves (``engine/filestore.py``), in hash order;
4. a trailer ``{"kind": "manifest", "counts": {table: n}, "hashes": {table: sha256},
   "files": n}``.

Everything the application keeps is included: process models with every version (BPMN,
forms, the procedure card, the serialised spec), dossiers (state, lock version), their
events, timers, message subscriptions, messages, the task inbox, e-data warehouse
documents and the API's tables (token digests, webhooks with their signing secrets,
consents, notifications). The file is therefore as sensitive as the database.

Export reads one consistent snapshot (a single REPEATABLE READ transaction on
PostgreSQL; a single read transaction in SQLite's WAL mode) and streams, so memory
stays flat whatever the size. Import refuses a database that is not empty, inserts in
one transaction, checks every count and hash against the trailer before it commits,
and moves PostgreSQL's id sequences past the imported ids. A table's hash is the
SHA-256 of its rows in canonical JSON, so the same hash computed on the restored
database proves the round trip.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import click
from sqlalchemy import (
    Boolean,
    DateTime,
    Integer,
    LargeBinary,
    Table,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine

from toantrinh.engine.db import Base, UTCDateTime, default_database_url, make_engine
from toantrinh.engine.filestore import (
    FileStore,
    FileStoreError,
    default_store,
    hashes_in_store,
    store_from_config,
)
from toantrinh.engine.models_registry import import_all_models
from toantrinh.engine.store.statecache import WORKFLOWS

FORMAT = "toantrinh-backup"
FORMAT_VERSION = 2  # 2: file records (the file store's files); 1 is still read
READABLE_VERSIONS = (1, 2)
BATCH = 500


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why."""


@dataclass
class Manifest:
    counts: dict[str, int] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    header: dict[str, Any] = field(default_factory=dict)
    files: int = 0  # file records (files kept in the file store)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "manifest",
            "counts": self.counts,
            "hashes": self.hashes,
            "files": self.files,
        }


# Tables whose rows the migrations write into a new database (the one-stop passes'
# cursors, migration 9bb1f6665fb1): an upgraded, empty database is still empty for an
# import, which replaces those rows with the backup's.
SEEDED_TABLES = frozenset({"onestop_cursor"})


def tables() -> list[Table]:
    """Every application table, parents before children."""
    import_all_models()
    return list(Base.metadata.sorted_tables)


def _is_datetime(column) -> bool:
    return isinstance(column.type, UTCDateTime | DateTime)


def _encode_value(column, value: Any) -> Any:
    if value is None:
        return None
    if _is_datetime(column):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(column.type, LargeBinary):  # a dossier's files: base64 in the JSON lines
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decode_value(column, value: Any) -> Any:
    if value is None:
        return None
    if _is_datetime(column):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Boolean):
        return bool(value)
    if isinstance(column.type, LargeBinary):
        return base64.b64decode(value)
    return value


def _encode_row(table: Table, row) -> dict[str, Any]:
    mapping = row._mapping
    return {c.name: _encode_value(c, mapping[c.name]) for c in table.columns}


def _canonical(row: dict[str, Any]) -> bytes:
    return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def _ordered(table: Table):
    return select(table).order_by(*table.primary_key.columns)


def _existing(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


def _schema_revision(conn: Connection) -> str | None:
    if "alembic_version" not in _existing(conn):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _snapshot(engine: Engine) -> Connection:
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def _hash_tables(conn: Connection) -> Manifest:
    manifest = Manifest()
    present = _existing(conn)
    for table in tables():
        if table.name not in present:
            continue
        digest, count = hashlib.sha256(), 0
        for row in conn.execution_options(stream_results=True, yield_per=BATCH).execute(
            _ordered(table)
        ):
            digest.update(_canonical(_encode_row(table, row)) + b"\n")
            count += 1
        manifest.counts[table.name] = count
        manifest.hashes[table.name] = digest.hexdigest()
    return manifest


def table_hashes(engine: Engine) -> Manifest:
    """Counts and hashes of every table, computed as an export would compute them."""
    with _snapshot(engine) as conn, conn.begin():
        return _hash_tables(conn)


def _write(out: IO[bytes], record: dict[str, Any]) -> None:
    out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")


def export_database(engine: Engine, path: str | Path, files: FileStore | None = None) -> Manifest:
    """Write every table of ``engine`` to ``path`` (gzip JSON lines), and the files its
    rows keep in the file store ``files``; return the manifest. A database whose rows
    keep files in a store cannot be exported without that store."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    manifest = Manifest()
    with _snapshot(engine) as conn, conn.begin():
        present = _existing(conn)
        names = [t.name for t in tables() if t.name in present]
        manifest.header = {
            "kind": "header",
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(),
            "dialect": engine.dialect.name,
            "schema_revision": _schema_revision(conn),
            "tables": names,
        }
        try:
            _export_rows(conn, tmp, present, manifest, files)
        except BaseException:
            tmp.unlink(missing_ok=True)  # never leave a partial file that looks like a backup
            raise
    tmp.replace(path)
    return manifest


def _export_rows(
    conn: Connection,
    tmp: Path,
    present: set[str],
    manifest: Manifest,
    files: FileStore | None,
) -> None:
    with gzip.open(tmp, "wb") as out:
        _write(out, manifest.header)
        for table in tables():
            if table.name not in present:
                continue
            digest, count = hashlib.sha256(), 0
            result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
                _ordered(table)
            )
            for row in result:
                encoded = _encode_row(table, row)
                digest.update(_canonical(encoded) + b"\n")
                _write(out, {"kind": "row", "table": table.name, "row": encoded})
                count += 1
            manifest.counts[table.name] = count
            manifest.hashes[table.name] = digest.hexdigest()
        outside = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
            hashes_in_store()
        )
        for (sha256,) in outside:
            if files is None:
                raise BackupError(
                    "các tệp của hồ sơ được giữ trong kho tệp ngoài cơ sở dữ liệu: chỉ định kho "
                    "tệp (--files hoặc TOANTRINH_FILE_STORE) để sao lưu cả chúng"
                )
            content = base64.b64encode(files.get(sha256)).decode("ascii")
            _write(out, {"kind": "file", "sha256": sha256, "content": content})
            manifest.files += 1
        _write(out, manifest.to_json())


def read_records(path: str | Path) -> Iterator[dict[str, Any]]:
    try:
        with gzip.open(path, "rb") as stream:
            for number, line in enumerate(stream, start=1):
                try:
                    yield json.loads(line)
                except ValueError as err:
                    raise BackupError(
                        f"dòng {number} của bản sao lưu không phải JSON hợp lệ: {err}"
                    ) from err
    except (OSError, EOFError) as err:
        raise BackupError(f"không đọc được bản sao lưu {path}: {err}") from err


def read_manifest(path: str | Path) -> Manifest:
    """Header and trailer of a backup, checked for completeness (reads the whole file)."""
    manifest, last = Manifest(), None
    for record in read_records(path):
        if record.get("kind") == "header":
            manifest.header = record
        last = record
    if manifest.header.get("format") != FORMAT:
        raise BackupError("tệp không phải bản sao lưu Toàn Trình (thiếu phần đầu)")
    if not last or last.get("kind") != "manifest":
        raise BackupError("bản sao lưu bị cắt cụt: không có phần kê khai (manifest) ở cuối")
    manifest.counts, manifest.hashes = last["counts"], last["hashes"]
    manifest.files = last.get("files", 0)
    return manifest


def _reset_sequences(conn: Connection) -> None:
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        seq = conn.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name}
        ).scalar()
        if seq:
            top = conn.execute(select(func.max(pk[0]))).scalar()
            conn.execute(
                text("SELECT setval(:s, :v, :called)"),
                {"s": seq, "v": top or 1, "called": top is not None},
            )


def import_database(engine: Engine, path: str | Path, files: FileStore | None = None) -> Manifest:
    """Restore a backup into an empty database with the schema in place, and its file
    records into the file store ``files`` (required when it has any).

    All or nothing for the database: one transaction, committed only when every table's
    count and hash and the number of files equal the backup's manifest. Files written
    to the store before a failure stay there unnamed, for its sweep.
    """
    by_name = {t.name: t for t in tables()}
    with engine.connect() as conn, conn.begin():
        _make_room(conn, by_name)
        restore = _Restore(conn, by_name, files)
        expected = restore.read(path)
        restore.verify(expected)
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn)
    # this process may have cached workflows of dossiers a database at this URL held before
    # (engine/store/statecache.py): the restored rows are the truth now
    WORKFLOWS.clear()
    return expected


def _make_room(conn: Connection, by_name: dict[str, Table]) -> None:
    """Refuse a target without every table or with rows in any, then clear the rows the
    migrations seeded (``SEEDED_TABLES``)."""
    present = _existing(conn)
    missing = [name for name in by_name if name not in present]
    if missing:
        raise BackupError(
            f"cơ sở dữ liệu đích chưa có các bảng: {', '.join(missing)} "
            "(chạy 'toantrinh db upgrade' trước)"
        )
    busy = [
        name
        for name, t in by_name.items()
        if name not in SEEDED_TABLES and conn.execute(select(func.count()).select_from(t)).scalar()
    ]
    if busy:
        raise BackupError(f"cơ sở dữ liệu đích không trống (bảng có dữ liệu: {', '.join(busy)})")
    for name in SEEDED_TABLES:
        # the migration's starting rows give way to the backup's own
        conn.execute(by_name[name].delete())


def _mismatched(expected: Manifest, found: Manifest) -> list[str]:
    """The tables whose count or hash in ``found`` differs from ``expected``."""
    return sorted(
        n
        for n in expected.counts
        if found.counts.get(n) != expected.counts[n] or found.hashes.get(n) != expected.hashes[n]
    )


class _Restore:
    """One backup's records written into ``conn``: rows in batches of ``BATCH``, files into
    the store; every row counted and hashed on its way in, for :meth:`verify`."""

    def __init__(self, conn: Connection, by_name: dict[str, Table], files: FileStore | None):
        self.conn, self.by_name, self.files = conn, by_name, files
        self.header: dict[str, Any] = {}
        self.counts: dict[str, int] = {}
        self.digests: dict[str, Any] = {}
        self.restored_files = 0
        self.batch: list[dict[str, Any]] = []
        self.batch_table: Table | None = None

    def read(self, path: str | Path) -> Manifest:
        """Write every record of the backup at ``path``; its manifest."""
        for record in read_records(path):
            kind = record.get("kind")
            if kind == "header":
                self._header(record)
                continue
            if not self.header:
                raise BackupError("tệp không phải bản sao lưu Toàn Trình (thiếu phần đầu)")
            if kind == "manifest":
                self._flush()
                return Manifest(
                    record["counts"], record["hashes"], self.header, record.get("files", 0)
                )
            if kind == "file":
                self._file(record)
            elif kind == "row":
                self._row(record)
            else:
                raise BackupError(f"bản ghi lạ trong bản sao lưu: {kind!r}")
        raise BackupError("bản sao lưu bị cắt cụt: không có phần kê khai (manifest) ở cuối")

    def _header(self, record: dict[str, Any]) -> None:
        self.header = record
        if record.get("format") != FORMAT or record.get("format_version") not in READABLE_VERSIONS:
            raise BackupError("định dạng bản sao lưu không được hỗ trợ")
        unknown = [n for n in record.get("tables", []) if n not in self.by_name]
        if unknown:
            raise BackupError(f"bản sao lưu có bảng lạ với phiên bản này: {', '.join(unknown)}")

    def _file(self, record: dict[str, Any]) -> None:
        self._flush()
        if self.files is None:
            raise BackupError(
                "bản sao lưu có tệp của kho tệp ngoài cơ sở dữ liệu: chỉ định kho tệp "
                "(--files hoặc TOANTRINH_FILE_STORE) để khôi phục cả chúng"
            )
        try:
            self.files.put(record["sha256"], base64.b64decode(record["content"]))
        except (KeyError, ValueError) as err:
            raise BackupError(f"tệp hỏng trong bản sao lưu: {err}") from err
        self.restored_files += 1

    def _row(self, record: dict[str, Any]) -> None:
        table = self.by_name.get(record.get("table"))
        if table is None:
            raise BackupError(f"bảng lạ trong bản sao lưu: {record.get('table')!r}")
        if table is not self.batch_table:
            self._flush()
            self.batch_table = table
        row = record["row"]
        self.digests.setdefault(table.name, hashlib.sha256()).update(_canonical(row) + b"\n")
        self.counts[table.name] = self.counts.get(table.name, 0) + 1
        self.batch.append({c.name: _decode_value(c, row.get(c.name)) for c in table.columns})
        if len(self.batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.batch:
            self.conn.execute(self.batch_table.insert(), self.batch)
            self.batch.clear()

    def verify(self, expected: Manifest) -> None:
        """Refuse unless what was read equals the manifest, and the stored rows, read
        back, hash as the exported ones did."""
        empty = hashlib.sha256().hexdigest()
        got = Manifest(
            {n: self.counts.get(n, 0) for n in expected.counts},
            {
                n: self.digests[n].hexdigest() if n in self.digests else empty
                for n in expected.hashes
            },
        )
        if self.restored_files != expected.files:
            raise BackupError(
                f"bản sao lưu hỏng: có {self.restored_files} tệp, phần kê khai ghi {expected.files}"
            )
        if got.counts != expected.counts or got.hashes != expected.hashes:
            bad = ", ".join(_mismatched(expected, got))
            raise BackupError(f"bản sao lưu hỏng: số dòng hoặc mã băm không khớp ở bảng {bad}")
        if drift := _mismatched(expected, _hash_tables(self.conn)):
            raise BackupError(f"dữ liệu sau khi nhập khác bản sao lưu ở bảng {', '.join(drift)}")


# ---------------------------------------------------------------------------- CLI
_FILES_HELP = "Kho tệp (thư mục hoặc s3://bucket/tiền-tố); mặc định TOANTRINH_FILE_STORE."


def _store(path: str | None) -> FileStore | None:
    return store_from_config(path) if path else default_store()


@click.group("backup")
def backup_command() -> None:
    """Sao lưu và khôi phục dữ liệu của ứng dụng (JSON lines nén gzip)."""


@backup_command.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--database-url", default=None, help="Mặc định DATABASE_URL.")
@click.option("--files", "files_dir", default=None, help=_FILES_HELP)
def export_cmd(path: Path, database_url: str | None, files_dir: str | None) -> None:
    """Xuất toàn bộ quy trình, hồ sơ và dữ liệu kèm theo ra PATH (.jsonl.gz)."""
    engine = make_engine(database_url)
    try:
        manifest = export_database(engine, path, _store(files_dir))
    except (BackupError, FileStoreError) as err:
        raise click.ClickException(str(err)) from err
    finally:
        engine.dispose()
    click.echo(
        json.dumps(
            {"path": str(path), "counts": manifest.counts, "files": manifest.files},
            ensure_ascii=False,
        )
    )


@backup_command.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--database-url", default=None, help="Mặc định DATABASE_URL.")
@click.option("--no-upgrade", is_flag=True, help="Không tự nâng cấp lược đồ trước khi nhập.")
@click.option("--files", "files_dir", default=None, help=_FILES_HELP)
def import_cmd(
    path: Path, database_url: str | None, no_upgrade: bool, files_dir: str | None
) -> None:
    """Nhập bản sao lưu PATH vào một cơ sở dữ liệu trống (tất cả hoặc không gì cả)."""
    # Alembic loads only for an import that upgrades, not for every `toantrinh` command
    from toantrinh.engine.migrate import upgrade

    url = database_url or default_database_url()
    engine = make_engine(url)
    try:
        if not no_upgrade:
            upgrade(url)
            # tables defined in code but not (yet) in the migrations: create them
            Base.metadata.create_all(engine, tables=tables(), checkfirst=True)
        manifest = import_database(engine, path, _store(files_dir))
    except (BackupError, FileStoreError) as err:
        raise click.ClickException(str(err)) from err
    finally:
        engine.dispose()
    click.echo(json.dumps({"path": str(path), "counts": manifest.counts}, ensure_ascii=False))


if __name__ == "__main__":
    backup_command()
