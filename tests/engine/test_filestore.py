"""Dossier files kept in a content-addressed directory instead of their rows."""

from __future__ import annotations

import hashlib
import json
import os
import time

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import undefer

from tests.helpers.gpxd import GPXD
from tests.helpers.people import CITIZEN_ID, local_connectors
from toantrinh.cli.main import main
from toantrinh.engine.attachments import DossierAttachment
from toantrinh.engine.filestore import (
    MARKER,
    DirectoryStore,
    FileStoreError,
    check,
    move_in,
    move_out,
    store_from_config,
    sweep,
)
from toantrinh.engine.service import Engine
from toantrinh.engine.warehouse import WarehouseDocument, find_by_result_code

SCAN = b"%PDF-1.7\n" + bytes(range(256)) + b"\n%%EOF\n"
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _age(store: DirectoryStore, sha256: str, seconds: float) -> None:
    """Make a stored file look ``seconds`` old."""
    then = time.time() - seconds
    os.utime(store.path(sha256), (then, then))


def test_a_directory_is_a_store_only_once_initialised_and_while_mounted(tmp_path):
    root = tmp_path / "mnt" / "files"
    with pytest.raises(FileStoreError, match="files init") as fresh:
        DirectoryStore(root)  # never initialised, or a volume that did not mount
    assert fresh.value.status == 503 and not root.exists()
    store = DirectoryStore(root, create=True)
    assert (root / MARKER).is_file() and DirectoryStore(root).root == root
    sha = _sha(SCAN)
    store.put(sha, SCAN)
    # the volume goes away under a running process: the mount point is an empty directory
    moved = root.rename(tmp_path / "elsewhere")
    root.mkdir()
    with pytest.raises(FileStoreError, match="files init") as unmounted:
        store.put(_sha(PHOTO), PHOTO)
    assert unmounted.value.status == 503 and list(root.iterdir()) == []
    with pytest.raises(FileStoreError) as reading:
        store.get(sha)
    assert reading.value.status == 503  # the store is gone, not the file
    root.rmdir()
    moved.rename(root)
    assert store.get(sha) == SCAN


def test_a_file_is_kept_once_under_its_hash_and_checked_when_read(tmp_path):
    store = DirectoryStore(tmp_path / "files", create=True)
    sha = _sha(SCAN)
    assert store.put(sha, SCAN) is True
    assert store.put(sha, SCAN) is False  # the same bytes again: the same file
    path = store.path(sha)
    assert path == tmp_path / "files" / sha[:2] / sha[2:4] / sha
    assert store.get(sha) == SCAN and list(store.hashes()) == [sha]
    assert not list(path.parent.glob(".part-*"))  # the write left no temporary file
    with pytest.raises(ValueError, match="does not match"):
        store.put(_sha(PHOTO), SCAN)
    with pytest.raises(ValueError, match="SHA-256"):
        store.path("../../etc/passwd")

    path.chmod(0o640)
    path.write_bytes(SCAN[:-1] + b"!")  # damaged on disk: refused, not served
    with pytest.raises(FileStoreError, match="bị hỏng"):
        store.get(sha)
    path.unlink()
    with pytest.raises(FileStoreError, match="thiếu tệp"):
        store.get(sha)
    assert store_from_config("") is None and store_from_config(None) is None


def test_uploads_go_to_the_store_and_the_warehouse_copy_is_the_same_file(session, tmp_path):
    store = DirectoryStore(tmp_path / "files", create=True)
    engine = Engine(session, connectors=local_connectors(), files=store)
    engine.deploy_folder(GPXD)
    dossier = engine.start("cap-giay-phep-xay-dung", applicant_id=CITIZEN_ID)
    scan = engine.attach(dossier.id, SCAN, component="land_certificate_copy", actor="citizen")
    twice = engine.attach(dossier.id, SCAN, filename="lại.pdf", actor="citizen")
    row = engine.attachment(dossier.id, scan.code, with_content=True)
    assert row.content is None and row.sha256 == _sha(SCAN)
    assert engine.file_content(row) == SCAN
    assert twice.sha256 == scan.sha256 and list(store.hashes()) == [scan.sha256]

    doc, created = engine.keep_attachment(dossier.id, scan.code, actor="officer:Lê")
    assert created
    stored = find_by_result_code(session, doc.result_code, with_content=True)
    assert stored.content is None and stored.has_file and stored.content_hash == scan.sha256
    assert engine.file_content(stored) == SCAN
    assert list(store.hashes()) == [scan.sha256]  # no second copy

    # an engine with no store configured says so instead of serving nothing
    with pytest.raises(FileStoreError, match="TOANTRINH_FILE_STORE"):
        Engine(session).file_content(row)


def test_files_move_out_and_back_in_without_loss(session, tmp_path):
    engine = Engine(session, connectors=local_connectors())  # files in their rows
    engine.deploy_folder(GPXD)
    dossier = engine.start("cap-giay-phep-xay-dung", applicant_id=CITIZEN_ID)
    scan = engine.attach(dossier.id, SCAN, component="land_certificate_copy")
    photo = engine.attach(dossier.id, PHOTO)
    doc, _ = engine.keep_attachment(dossier.id, scan.code, actor="officer:Lê")
    store = DirectoryStore(tmp_path / "files", create=True)

    assert move_out(session, store, batch=1) == {
        "dossier_attachment": 2,
        "warehouse_documents": 1,
    }
    session.expire_all()
    contents = session.scalars(select(DossierAttachment.content)).all()
    assert contents == [None, None]
    assert sorted(store.hashes()) == sorted({_sha(SCAN), _sha(PHOTO)})
    assert check(session, store) == {"dossier_attachment": [], "warehouse_documents": []}
    moved = Engine(session, files=store)
    assert moved.file_content(moved.attachment(dossier.id, photo.code)) == PHOTO
    assert move_out(session, store) == {"dossier_attachment": 0, "warehouse_documents": 0}

    store.path(_sha(PHOTO)).unlink()  # lost on disk: the check names it
    assert check(session, store)["dossier_attachment"] == [_sha(PHOTO)]
    store.put(_sha(PHOTO), PHOTO)

    assert move_in(session, store) == {"dossier_attachment": 2, "warehouse_documents": 1}
    session.expire_all()
    rows = session.scalars(
        select(DossierAttachment).options(undefer(DossierAttachment.content))
    ).all()
    assert sorted(r.content for r in rows) == sorted([SCAN, PHOTO])
    kept = session.scalar(
        select(WarehouseDocument)
        .where(WarehouseDocument.result_code == doc.result_code)
        .options(undefer(WarehouseDocument.content))
    )
    assert kept.content == SCAN
    # a result without a file is left alone by both moves
    assert session.scalar(select(WarehouseDocument).where(WarehouseDocument.size.is_(None))) is None


def test_sweep_removes_only_old_files_no_row_keeps_in_the_store(session, tmp_path):
    store = DirectoryStore(tmp_path / "files", create=True)
    engine = Engine(session, connectors=local_connectors(), files=store)
    engine.deploy_folder(GPXD)
    dossier = engine.start("cap-giay-phep-xay-dung", applicant_id=CITIZEN_ID)
    used = engine.attach(dossier.id, SCAN)
    orphan, young = _sha(PHOTO), _sha(b"%PDF-1.4 young")
    store.put(orphan, PHOTO)  # as a failed upload's transaction leaves it
    store.put(young, b"%PDF-1.4 young")
    for sha in (used.sha256, orphan):
        _age(store, sha, 3 * 86400)
    part = store.path(orphan).parent / ".part-crashed"
    part.write_bytes(b"half")
    os.utime(part, (time.time() - 3 * 86400,) * 2)

    assert sweep(session, store, dry_run=True) == {"kept": 2, "deleted": 1, "parts": 1}
    assert store.has(orphan) and part.exists()
    assert sweep(session, store) == {"kept": 2, "deleted": 1, "parts": 1}
    assert not store.has(orphan) and not part.exists()
    assert store.has(used.sha256) and store.has(young)

    # a file reused by a new upload is young again, so a sweep now keeps it
    store.put(orphan, PHOTO)
    _age(store, orphan, 3 * 86400)
    engine.attach(dossier.id, PHOTO)
    assert store.age_seconds(orphan) < 60
    assert sweep(session, store)["deleted"] == 0


def test_files_commands_report_as_json_and_fail_on_a_missing_file(db_url, session, tmp_path):
    engine = Engine(session, connectors=local_connectors())
    engine.deploy_folder(GPXD)
    dossier = engine.start("cap-giay-phep-xay-dung", applicant_id=CITIZEN_ID)
    engine.attach(dossier.id, SCAN)
    session.close()
    runner = CliRunner()
    store = str(tmp_path / "files")
    args = ["--store", store, "--database-url", db_url]
    no_store = runner.invoke(main, ["files", "check", "--database-url", db_url], env={})
    assert no_store.exit_code == 2 and "TOANTRINH_FILE_STORE" in no_store.output
    early = runner.invoke(main, ["files", "move-out", *args])
    assert early.exit_code == 1 and "files init" in early.output  # not initialised yet
    init = runner.invoke(main, ["files", "init", "--store", store])
    assert init.exit_code == 0 and json.loads(init.output)["ready"] is True
    out = runner.invoke(main, ["files", "move-out", *args])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["moved"]["dossier_attachment"] == 1
    ok = runner.invoke(main, ["files", "check", "--verify", *args])
    assert ok.exit_code == 0 and json.loads(ok.output)["missing"]["dossier_attachment"] == []
    DirectoryStore(store).path(_sha(SCAN)).unlink()
    bad = runner.invoke(main, ["files", "check", *args])
    assert bad.exit_code == 1 and json.loads(bad.output)["missing"]["dossier_attachment"] == [
        _sha(SCAN)
    ]
    swept = runner.invoke(main, ["files", "sweep", "--dry-run", *args])
    assert swept.exit_code == 0 and json.loads(swept.output)["dry_run"] is True
