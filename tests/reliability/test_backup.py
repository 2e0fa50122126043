"""Backups: the app's own export/import round-trips; pg_dump/pg_restore works too."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import time

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from tests.conftest import _create_pg_database, _drop_pg_database, postgres_url
from tests.helpers.bpmn import TEST_FORMS, sender_process
from tests.helpers.people import CITIZEN_ID, local_connectors
from tests.reliability.conftest import LLTP, STEP_DATA, STEPS, prepare_schema
from toantrinh.engine import clock
from toantrinh.engine.backup import (
    BackupError,
    backup_command,
    export_database,
    import_database,
    table_hashes,
)
from toantrinh.engine.db import make_engine, make_sessionmaker
from toantrinh.engine.filestore import DirectoryStore, move_out
from toantrinh.engine.persistence import (
    Dossier,
    DossierEvent,
    Message,
    ModelVersion,
    ReadyTask,
    Timer,
)
from toantrinh.engine.service import Engine

SCAN = b"%PDF-1.7\n" + bytes(range(256)) + b"\n%%EOF\n"


def _complete(engine: Engine, dossier_id: int, bpmn_id: str) -> None:
    ready = {t["bpmn_id"]: t for t in engine.ready_tasks(dossier_id)}
    assert bpmn_id in ready, f"{bpmn_id} not ready; ready: {sorted(ready)}"
    engine.complete_task(dossier_id, ready[bpmn_id]["id"], STEP_DATA[bpmn_id], actor="test")


def _populate(session) -> dict[str, int]:
    """Two versions of one model, dossiers finished, mid-run and waiting, a pending message,
    a warehouse document (the finished dossier's certificate)."""
    engine = Engine(session, connectors=local_connectors())
    engine.deploy_folder(LLTP)
    engine.deploy(sender_process("backup_msg"), slug="sender", forms=TEST_FORMS)
    engine.deploy(
        sender_process("backup_msg").replace("Phê duyệt", "Phê duyệt (v2)"),
        slug="sender",
        forms=TEST_FORMS,
    )
    done = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    for bpmn_id, _ in STEPS:
        _complete(engine, done.id, bpmn_id)
    mid = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    for bpmn_id in ("Task_Declare", "Task_Pay", "Task_Receive", "Task_Transfer"):
        _complete(engine, mid.id, bpmn_id)
    engine.attach(mid.id, SCAN, filename="Bản chụp.pdf", actor="test")  # bytes, not text
    sent = engine.start("sender", version=1)
    (approve,) = engine.ready_tasks(sent.id)
    engine.complete_task(sent.id, approve["id"], {"result": "Đã cấp bản sao trích lục"})
    session.commit()  # the finished dossier's certificate is in the warehouse (result_document)
    return {"done": done.id, "mid": mid.id, "sent": sent.id}


def test_dossier_exported_mid_run_continues_and_completes_after_import(
    db_url, all_tables, session_factory, fresh_url, tmp_path
):
    session = session_factory()
    ids = _populate(session)
    source = session.get_bind()
    source_counts = {
        "versions": session.scalar(select(func.count()).select_from(ModelVersion)),
        "timers": session.scalar(select(func.count()).select_from(Timer)),
        "messages": session.scalar(select(func.count()).select_from(Message)),
        "inbox": session.scalar(select(func.count()).select_from(ReadyTask)),
    }
    session.close()
    assert source_counts["versions"] == 3 and source_counts["timers"] >= 1
    assert source_counts["messages"] == 1 and source_counts["inbox"] == 1

    path = tmp_path / "backup.jsonl.gz"
    manifest = export_database(source, path)
    assert manifest.counts["dossier"] == 3 and manifest.counts["warehouse_documents"] == 1
    assert manifest.counts["dossier_attachment"] == 1
    assert manifest.counts["model_version"] == 3 and manifest.counts["message"] == 1
    assert manifest.counts["timer"] == source_counts["timers"]
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        lines = [json.loads(line) for line in stream]
    assert lines[0]["kind"] == "header" and lines[-1]["kind"] == "manifest"
    assert sum(1 for r in lines if r["kind"] == "row") == sum(manifest.counts.values())

    target_url = fresh_url()
    target = make_engine(target_url)
    try:
        imported = import_database(target, path)
        assert imported.counts == manifest.counts
        assert table_hashes(target).hashes == table_hashes(source).hashes

        session = make_sessionmaker(target)()
        engine = Engine(session, connectors=local_connectors())
        mid = engine.get(ids["mid"])
        assert mid.version.number == 1 and mid.status == "in_progress"
        (scan,) = engine.attachments(mid.id)
        assert engine.attachment(mid.id, scan.code, with_content=True).content == SCAN
        assert [t["bpmn_id"] for t in engine.ready_tasks(mid.id)] == ["Task_Verify"]
        # the statutory-deadline timer was exported and fires in the restored database
        clock.advance(11 * 86400)
        assert engine.fire_due_timers() == 1
        assert sorted(t["bpmn_id"] for t in engine.ready_tasks(mid.id)) == [
            "Task_Apology",
            "Task_Verify",
        ]
        apology = next(t for t in engine.ready_tasks(mid.id) if t["bpmn_id"] == "Task_Apology")
        engine.complete_task(
            mid.id,
            apology["id"],
            {"new_due_date": "2026-12-20", "reason": "Chờ xác minh liên tỉnh"},
        )
        for bpmn_id in ("Task_Verify", "Task_Sign", "Task_Deliver"):
            _complete(engine, mid.id, bpmn_id)
        assert engine.get(mid.id).status == "completed"
        assert engine.data(engine.get(mid.id))["result"] == "issued"
        kinds = [e.kind for e in engine.events(mid.id)]
        assert kinds.count("task_completed") == 8 and kinds[-1] == "dossier_completed"
        # the pending message and both versions of the sender model came across
        sender_versions = [v.number for v in engine.get_model("sender").versions]
        assert sender_versions == [1, 2]
        assert engine.get(ids["sent"]).version.number == 1
        # new rows get fresh ids (PostgreSQL sequences moved past the imported ids)
        new = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
        assert new.id > max(ids.values())
        assert session.scalar(select(func.max(DossierEvent.id))) > imported.counts["dossier_event"]
        session.close()
    finally:
        target.dispose()


def test_import_refuses_a_database_that_is_not_empty(db_url, all_tables, session_factory, tmp_path):
    session = session_factory()
    _populate(session)
    session.close()
    path = tmp_path / "b.jsonl.gz"
    export_database(session.get_bind(), path)
    with pytest.raises(BackupError, match="không trống"):
        import_database(session.get_bind(), path)


@pytest.mark.parametrize("damage", ["truncate", "tamper", "not-gzip"])
def test_damaged_backup_is_refused_and_nothing_is_written(
    damage, db_url, all_tables, session_factory, fresh_url, tmp_path
):
    session = session_factory()
    _populate(session)
    session.close()
    path = tmp_path / "b.jsonl.gz"
    export_database(session.get_bind(), path)
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        lines = stream.read().splitlines()
    if damage == "truncate":
        lines = lines[: len(lines) // 2]
    elif damage == "tamper":
        index = next(i for i, line in enumerate(lines) if '"table":"dossier"' in line)
        record = json.loads(lines[index])
        record["row"]["status"] = (
            "completed" if record["row"]["status"] != "completed" else "cancelled"
        )
        lines[index] = json.dumps(record, ensure_ascii=False)
    if damage == "not-gzip":
        path.write_bytes(b'{"kind": "header"}\n')
    else:
        with gzip.open(path, "wt", encoding="utf-8") as stream:
            stream.write("\n".join(lines) + "\n")
    target = make_engine(fresh_url())
    try:
        with pytest.raises(BackupError):
            import_database(target, path)
        with make_sessionmaker(target)() as check:
            assert check.scalar(select(func.count()).select_from(Dossier)) == 0
            assert check.scalar(select(func.count()).select_from(ModelVersion)) == 0
    finally:
        target.dispose()


def test_backup_command_exports_and_imports(db_url, all_tables, session_factory, tmp_path):
    session = session_factory()
    _populate(session)
    session.close()
    path = tmp_path / "cli.jsonl.gz"
    runner = CliRunner()
    out = runner.invoke(backup_command, ["export", str(path), "--database-url", db_url])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["counts"]["dossier"] == 3
    # importing into the same, non-empty database is refused with a message, not a traceback
    again = runner.invoke(backup_command, ["import", str(path), "--database-url", db_url])
    assert again.exit_code == 1 and "không trống" in again.output
    if make_url(db_url).get_backend_name() == "sqlite":
        from toantrinh.cli.main import main  # the same group, mounted as `toantrinh backup`

        target = f"sqlite:///{tmp_path / 'cli-target.db'}"
        done = runner.invoke(main, ["backup", "import", str(path), "--database-url", target])
        assert done.exit_code == 0, done.output
        assert json.loads(done.output.strip().splitlines()[-1])["counts"]["dossier"] == 3


def test_files_kept_in_a_file_store_travel_with_the_backup(
    db_url, all_tables, session_factory, fresh_url, tmp_path
):
    session = session_factory()
    ids = _populate(session)
    store = DirectoryStore(tmp_path / "files", create=True)
    assert move_out(session, store)["dossier_attachment"] == 1
    session.close()
    source = session.get_bind()
    path = tmp_path / "with-files.jsonl.gz"
    with pytest.raises(BackupError, match="kho tệp"):  # the rows alone would lose the file
        export_database(source, path)
    assert not path.exists() and not (tmp_path / "with-files.jsonl.gz.part").exists()
    manifest = export_database(source, path, store)
    assert manifest.files == 1
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        kinds = [json.loads(line)["kind"] for line in stream]
    assert kinds.count("file") == 1 and kinds[-1] == "manifest"

    target = make_engine(fresh_url())
    try:
        with pytest.raises(BackupError, match="kho tệp"):  # nowhere to put the file
            import_database(target, path)
        restored = DirectoryStore(tmp_path / "restored", create=True)
        assert import_database(target, path, restored).files == 1
        with make_sessionmaker(target)() as check:
            engine = Engine(check, files=restored)
            (scan,) = engine.attachments(ids["mid"])
            row = engine.attachment(ids["mid"], scan.code, with_content=True)
            assert row.content is None and engine.file_content(row) == SCAN
    finally:
        target.dispose()


@pytest.mark.skipif(
    not postgres_url() or not shutil.which("pg_dump"), reason="needs PostgreSQL and pg_dump"
)
def test_pg_dump_and_pg_restore_into_a_fresh_database_then_the_dossier_continues(tmp_path):
    base = postgres_url()
    source_name, source_url = _create_pg_database(base)
    target_name, target_url = _create_pg_database(base)
    try:
        prepare_schema(source_url)
        source = make_engine(source_url)
        session = make_sessionmaker(source)()
        ids = _populate(session)
        session.close()
        source.dispose()

        def libpq(url: str) -> str:
            return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

        dump = tmp_path / "toantrinh.dump"
        subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", "-f", str(dump), libpq(source_url)],
            check=True,
            timeout=120,
        )
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", libpq(target_url), str(dump)],
            check=True,
            timeout=120,
        )
        target = make_engine(target_url)
        try:
            session = make_sessionmaker(target)()
            engine = Engine(session, connectors=local_connectors())
            assert [t["bpmn_id"] for t in engine.ready_tasks(ids["mid"])] == ["Task_Verify"]
            for bpmn_id in ("Task_Verify", "Task_Sign", "Task_Deliver"):
                _complete(engine, ids["mid"], bpmn_id)
            assert engine.get(ids["mid"]).status == "completed"
            assert engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID).id > max(ids.values())
            session.close()
        finally:
            target.dispose()
    finally:
        _drop_pg_database(base, source_name)
        _drop_pg_database(base, target_name)


@pytest.mark.skipif(not postgres_url(), reason="needs PostgreSQL")
def test_a_sqlite_export_imports_into_postgresql_and_the_dossier_continues(tmp_path):
    source_url = f"sqlite:///{tmp_path / 'source.db'}"
    prepare_schema(source_url)
    source = make_engine(source_url)
    session = make_sessionmaker(source)()
    ids = _populate(session)
    session.close()
    path = tmp_path / "sqlite.jsonl.gz"
    manifest = export_database(source, path)
    base = postgres_url()
    name, target_url = _create_pg_database(base)
    try:
        prepare_schema(target_url)
        target = make_engine(target_url)
        try:
            assert import_database(target, path).counts == manifest.counts
            assert table_hashes(target).hashes == table_hashes(source).hashes
            session = make_sessionmaker(target)()
            engine = Engine(session, connectors=local_connectors())
            for bpmn_id in ("Task_Verify", "Task_Sign", "Task_Deliver"):
                _complete(engine, ids["mid"], bpmn_id)
            assert engine.get(ids["mid"]).status == "completed"
            session.close()
        finally:
            target.dispose()
    finally:
        source.dispose()
        _drop_pg_database(base, name)


def test_an_export_taken_while_dossiers_move_is_one_consistent_snapshot(
    db_url, all_tables, session_factory, fresh_url, tmp_path, monkeypatch
):
    """Officers keep completing steps while the export runs (slowed to span many commits):
    the restored inbox and timer indexes agree with every restored dossier's state."""
    import threading

    import toantrinh.engine.backup as backup_module

    session = session_factory()
    engine = Engine(session, connectors=local_connectors())
    engine.deploy_folder(LLTP)
    ids = [engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID).id for _ in range(6)]
    session.close()
    stop, moved = threading.Event(), []

    def officers():
        with session_factory() as s:
            eng = Engine(s, connectors=local_connectors())
            for bpmn_id, _ in STEPS:
                for dossier_id in ids:
                    if stop.is_set():
                        return
                    _complete(eng, dossier_id, bpmn_id)
                    moved.append(dossier_id)

    original = backup_module._write

    def slow_write(out, record):
        if record.get("table") in ("dossier", "dossier_event"):
            time.sleep(0.01)
        original(out, record)

    monkeypatch.setattr(backup_module, "_write", slow_write)
    worker = threading.Thread(target=officers)
    worker.start()
    try:
        time.sleep(0.05)
        path = tmp_path / "live.jsonl.gz"
        before = len(moved)
        manifest = export_database(session.get_bind(), path)
        during = len(moved) - before
    finally:
        stop.set()
        worker.join(60)
    assert during > 0, "no step committed while the export ran"

    target = make_engine(fresh_url())
    try:
        assert import_database(target, path).counts == manifest.counts
        with make_sessionmaker(target)() as restored:
            eng = Engine(restored, connectors=local_connectors())
            for dossier_id in ids:
                from_state = sorted(t["id"] for t in eng.ready_tasks(dossier_id))
                indexed = sorted(
                    restored.scalars(
                        select(ReadyTask.task_id).where(ReadyTask.dossier_id == dossier_id)
                    )
                )
                assert from_state == indexed, dossier_id
                completed = [e for e in eng.events(dossier_id) if e.kind == "task_completed"]
                assert eng.get(dossier_id).lock_version >= len(completed) + 1
    finally:
        target.dispose()


def test_a_failed_export_leaves_no_file_behind(
    db_url, all_tables, session_factory, tmp_path, monkeypatch
):
    import toantrinh.engine.backup as backup_module

    session = session_factory()
    _populate(session)
    session.close()
    calls = {"n": 0}
    original = backup_module._write

    def failing_write(out, record):
        calls["n"] += 1
        if calls["n"] == 20:
            raise OSError("disk full")
        original(out, record)

    monkeypatch.setattr(backup_module, "_write", failing_write)
    path = tmp_path / "b.jsonl.gz"
    with pytest.raises(OSError):
        export_database(session.get_bind(), path)
    assert list(tmp_path.iterdir()) == []


CHILD_IMPORT = """
import sys, time
sys.path.insert(0, {root!r})
import toantrinh.engine.backup as backup
from toantrinh.engine.db import make_engine
original = backup.read_records
def slow(path):
    for record in original(path):
        time.sleep(0.02)
        yield record
backup.read_records = slow
backup.BATCH = 5
print("importing", flush=True)
backup.import_database(make_engine({url!r}), {path!r})
print("finished", flush=True)
"""


def test_an_import_killed_midway_leaves_the_database_empty_and_can_run_again(
    db_url, all_tables, session_factory, fresh_url, tmp_path
):
    import os
    import signal
    import subprocess
    import sys

    from tests.reliability.conftest import ROOT

    session = session_factory()
    _populate(session)
    session.close()
    path = tmp_path / "b.jsonl.gz"
    manifest = export_database(session.get_bind(), path)
    target_url = fresh_url()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD_IMPORT.format(root=str(ROOT), url=target_url, path=str(path))],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "importing"
    time.sleep(0.6)  # well inside the (slowed) import: rows written, nothing committed
    assert child.poll() is None, child.stderr.read()
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    target = make_engine(target_url)
    try:
        with make_sessionmaker(target)() as check:
            assert check.scalar(select(func.count()).select_from(Dossier)) == 0
            assert check.scalar(select(func.count()).select_from(ModelVersion)) == 0
            assert check.scalar(select(func.count()).select_from(DossierEvent)) == 0
        assert import_database(target, path).counts == manifest.counts
        assert table_hashes(target).hashes == manifest.hashes
    finally:
        target.dispose()
