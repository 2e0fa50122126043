"""Dossier files in an S3-compatible bucket, against a real S3 API over HTTP (moto's
server, as MinIO or a cloud's object storage would answer)."""

from __future__ import annotations

import hashlib

import pytest

from tests.helpers.gpxd import GPXD
from tests.helpers.people import CITIZEN_ID, local_connectors
from tests.helpers.s3 import free_port
from toantrinh.engine.filestore import FileStoreError, S3Store, move_out, store_from_config, sweep
from toantrinh.engine.service import Engine
from toantrinh.engine.warehouse import find_by_result_code

boto3 = pytest.importorskip("boto3")

SCAN = b"%PDF-1.7\n" + bytes(range(256)) + b"\n%%EOF\n"
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_a_bucket_keeps_each_file_once_and_every_read_is_checked(bucket):
    store = store_from_config(f"s3://{bucket}/ho-so")
    assert isinstance(store, S3Store) and store.prefix == "ho-so"
    sha = _sha(SCAN)
    assert store.put(sha, SCAN) is True and store.put(sha, SCAN) is False
    assert store.get(sha) == SCAN and store.has(sha)
    assert list(store.hashes()) == [sha] and store.age_seconds(sha) < 60
    assert store.key(sha) == f"ho-so/{sha[:2]}/{sha[2:4]}/{sha}"
    with pytest.raises(ValueError, match="does not match"):
        store.put(_sha(PHOTO), SCAN)

    # an object replaced behind the store's back, another one outside its layout
    store.client.put_object(Bucket=bucket, Key=store.key(sha), Body=SCAN + b"!")
    store.client.put_object(Bucket=bucket, Key="ho-so/readme.txt", Body=b"x")
    with pytest.raises(FileStoreError, match="bị hỏng") as damaged:
        store.get(sha)
    assert damaged.value.status == 500
    assert list(store.hashes()) == [sha]
    store.delete(sha)
    with pytest.raises(FileStoreError, match="thiếu tệp"):
        store.get(sha)
    assert not store.has(sha) and store.age_seconds(sha) == 0.0


def test_a_store_that_cannot_be_reached_is_refused_or_answers_503(bucket, monkeypatch):
    with pytest.raises(FileStoreError, match="không mở được"):
        S3Store(f"s3://{bucket}-does-not-exist")
    with pytest.raises(FileStoreError, match="s3://bucket"):
        S3Store("s3:///no-bucket")
    store = S3Store(f"s3://{bucket}")
    sha = _sha(SCAN)
    store.put(sha, SCAN)
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    gone = S3Store(
        f"s3://{bucket}",
        client=_client_to(dead, store),
    )
    with pytest.raises(FileStoreError) as down:
        gone.get(sha)
    assert down.value.status == 503 and "thử lại" in str(down.value)


def _client_to(endpoint: str, store: S3Store):
    """A client to ``endpoint`` that passes the store's opening check (made against the
    live server), then talks to nothing."""
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        config=Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=1),
    )
    client.head_bucket = store.client.head_bucket
    return client


def test_dossier_files_go_to_the_bucket_and_the_sweep_keeps_what_rows_need(session, bucket):
    store = S3Store(f"s3://{bucket}/files")
    plain = Engine(session, connectors=local_connectors())
    plain.deploy_folder(GPXD)
    dossier = plain.start("cap-giay-phep-xay-dung", applicant_id=CITIZEN_ID)
    before = plain.attach(dossier.id, PHOTO)  # kept in its row, then moved out
    assert move_out(session, store)["dossier_attachment"] == 1

    engine = Engine(session, connectors=local_connectors(), files=store)
    scan = engine.attach(dossier.id, SCAN, component="land_certificate_copy")
    assert engine.attachment(dossier.id, scan.code, with_content=True).content is None
    assert engine.file_content(engine.attachment(dossier.id, before.code)) == PHOTO
    doc, _ = engine.keep_attachment(dossier.id, scan.code, actor="officer:Lê")
    kept = find_by_result_code(session, doc.result_code, with_content=True)
    assert engine.file_content(kept) == SCAN
    assert sorted(store.hashes()) == sorted([_sha(SCAN), _sha(PHOTO)])

    orphan = _sha(b"%PDF-1.4 orphan")
    store.put(orphan, b"%PDF-1.4 orphan")  # as a failed upload's transaction leaves it
    assert sweep(session, store, older_than=0.0) == {"kept": 2, "deleted": 1, "parts": 0}
    assert not store.has(orphan) and store.has(_sha(SCAN)) and store.has(_sha(PHOTO))
