"""Dossier files in their rows against a file store: upload and download time, and what
the files add to PostgreSQL.

The construction-permit procedure (``cap-giay-phep-xay-dung``), ``--dossiers`` dossiers,
``--files`` scans of ``--kb`` KB each per dossier (distinct bytes behind a PDF header),
uploaded through ``Engine.attach`` (the path of ``POST …/attachments``: checks, the
dossier's row lock, the audit event, the commit) and read back through
``Engine.file_content``. Three ways, each on a fresh PostgreSQL database: files in their
rows (the default), a directory store, and, with moto installed (the dev extra), an
S3-compatible bucket served by moto's server over HTTP on this host. For each: upload
and download milliseconds (median, p99), the database's size after the uploads against
before, and the store's bytes.

    python bench/files.py [--dossiers 40] [--files 5] [--kb 500] [--pg postgresql+psycopg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bench.scratch import scratch_database  # noqa: E402
from tests.helpers.gpxd import GPXD  # noqa: E402
from tests.helpers.people import CITIZEN_ID, local_connectors  # noqa: E402
from toantrinh.engine.db import make_engine, make_sessionmaker  # noqa: E402
from toantrinh.engine.filestore import DirectoryStore, S3Store  # noqa: E402
from toantrinh.engine.migrate import upgrade  # noqa: E402
from toantrinh.engine.service import Engine  # noqa: E402


def _scan(i: int, kb: int) -> bytes:
    """A distinct file of ``kb`` KB that reads as a PDF."""
    return b"%PDF-1.7\n" + os.urandom(kb * 1024 - 16) + f"{i:07d}".encode()


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def _database_bytes(session) -> int:
    return session.scalar(text("SELECT pg_database_size(current_database())"))


def _store_bytes(store) -> int:
    if isinstance(store, DirectoryStore):
        return sum(p.stat().st_size for p in store.root.rglob("*") if p.is_file())
    if isinstance(store, S3Store):
        pages = store.client.get_paginator("list_objects_v2").paginate(Bucket=store.bucket)
        return sum(item["Size"] for page in pages for item in page.get("Contents", []))
    return 0


def run(label: str, url: str, store, args) -> dict:
    upgrade(url)
    db = make_engine(url)
    factory = make_sessionmaker(db)
    with factory() as session:
        engine = Engine(session, connectors=local_connectors(), files=store)
        engine.deploy_folder(GPXD)
        ids = [
            engine.start("cap-giay-phep-xay-dung", applicant_id=CITIZEN_ID).id
            for _ in range(args.dossiers)
        ]
        session.execute(text("CHECKPOINT"))
        before = _database_bytes(session)
    uploads: list[float] = []
    codes: list[tuple[int, str]] = []
    number = 0
    for dossier_id in ids:
        for _ in range(args.files):
            content = _scan(number, args.kb)
            number += 1
            with factory() as session:  # one request, one session
                t0 = time.perf_counter()
                row = Engine(session, connectors=local_connectors(), files=store).attach(
                    dossier_id, content, filename="ban-ve.pdf", actor="bench"
                )
                uploads.append((time.perf_counter() - t0) * 1000)
                codes.append((dossier_id, row.code))
    downloads: list[float] = []
    for dossier_id, code in codes:
        with factory() as session:
            t0 = time.perf_counter()
            engine = Engine(session, files=store)
            content = engine.file_content(engine.attachment(dossier_id, code, with_content=True))
            downloads.append((time.perf_counter() - t0) * 1000)
            assert len(content) == args.kb * 1024
    with factory() as session:
        session.execute(text("CHECKPOINT"))
        after = _database_bytes(session)
    db.dispose()
    return {
        "store": label,
        "files": len(codes),
        "upload_ms_p50": round(statistics.median(uploads), 2),
        "upload_ms_p99": round(_percentile(uploads, 0.99), 2),
        "download_ms_p50": round(statistics.median(downloads), 2),
        "download_ms_p99": round(_percentile(downloads, 0.99), 2),
        "database_growth_mb": round((after - before) / 2**20, 1),
        "store_mb": round(_store_bytes(store) / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=40)
    parser.add_argument("--files", type=int, default=5, help="files per dossier")
    parser.add_argument("--kb", type=int, default=500, help="size of each file")
    parser.add_argument(
        "--pg",
        default=os.environ.get("DATABASE_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    )
    parser.add_argument(
        "--out", default=str(Path(__file__).resolve().parent / "results" / "files.json")
    )
    args = parser.parse_args()
    results = []
    with scratch_database(args.pg) as url:
        results.append(run("in the rows", url, None, args))
    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.pg) as url:
        results.append(
            run("directory", url, DirectoryStore(Path(tmp) / "files", create=True), args)
        )
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        ThreadedMotoServer = None
    if ThreadedMotoServer is not None:
        import boto3

        from tests.helpers.s3 import free_port

        os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench-secret")
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port())
        server.start()
        try:
            host, port = server.get_host_and_port()
            endpoint = f"http://{host}:{port}"
            boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="bench")
            with scratch_database(args.pg) as url:
                store = S3Store("s3://bench/files", endpoint_url=endpoint)
                results.append(run("S3 (moto, this host)", url, store, args))
        finally:
            server.stop()

    header = (
        f"{'store':<22} {'files':>6} {'upload p50':>11} {'p99':>8} {'download p50':>13} "
        f"{'p99':>8} {'DB growth MB':>13} {'store MB':>9}"
    )
    print(f"{args.dossiers} dossiers × {args.files} files of {args.kb} KB, PostgreSQL\n")
    print(header)
    for r in results:
        print(
            f"{r['store']:<22} {r['files']:>6} {r['upload_ms_p50']:>11} {r['upload_ms_p99']:>8} "
            f"{r['download_ms_p50']:>13} {r['download_ms_p99']:>8} "
            f"{r['database_growth_mb']:>13} {r['store_mb']:>9}"
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "args": vars(args) | {"pg": "…"},
                "python": platform.python_version(),
                "load_average": os.getloadavg(),
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    print(f"\nJSON: {out}")


if __name__ == "__main__":
    main()
