"""``toantrinh files``: initialise the file store, move files between it and the rows,
check it and sweep it (``engine/filestore.py`` says what the store is)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from toantrinh.engine.db import make_engine, make_sessionmaker
from toantrinh.engine.errors import FileStoreError
from toantrinh.engine.filestore import (
    FileStore,
    check,
    move_in,
    move_out,
    store_from_config,
    sweep,
)

_STORE = click.option(
    "--store",
    default=None,
    help="Kho tệp: thư mục hoặc s3://bucket/tiền-tố; mặc định TOANTRINH_FILE_STORE.",
)
_DATABASE = click.option("--database-url", default=None, help="Mặc định DATABASE_URL.")


def _open(store: str | None, create: bool = False) -> FileStore:
    files = store_from_config(store or os.environ.get("TOANTRINH_FILE_STORE"), create=create)
    if files is None:
        raise click.UsageError(
            "chỉ định kho tệp: --store (thư mục hoặc s3://…) hoặc TOANTRINH_FILE_STORE"
        )
    return files


@contextmanager
def _cli(store: str | None, database_url: str | None) -> Iterator[tuple[Any, FileStore]]:
    """(session, store) for a command; a store's error as a message, not a traceback."""
    try:
        files = _open(store)
        db = make_engine(database_url)
        try:
            with make_sessionmaker(db)() as session:
                yield session, files
        finally:
            db.dispose()
    except FileStoreError as err:
        raise click.ClickException(str(err)) from err


def _echo(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False))


@click.group("files")
def files_command() -> None:
    """Kho tệp của hồ sơ ngoài cơ sở dữ liệu (TOANTRINH_FILE_STORE)."""


@files_command.command("init")
@_STORE
def init_cmd(store: str | None) -> None:
    """Khởi tạo kho tệp dạng thư mục (tạo thư mục và tệp đánh dấu); với S3, kiểm tra bucket."""
    try:
        files = _open(store, create=True)
    except FileStoreError as err:
        raise click.ClickException(str(err)) from err
    _echo({"store": repr(files), "ready": True})


@files_command.command("move-out")
@_STORE
@_DATABASE
def move_out_cmd(store: str | None, database_url: str | None) -> None:
    """Chuyển các tệp đang giữ trong cơ sở dữ liệu sang kho tệp."""
    with _cli(store, database_url) as (session, files):
        _echo({"moved": move_out(session, files)})


@files_command.command("move-in")
@_STORE
@_DATABASE
def move_in_cmd(store: str | None, database_url: str | None) -> None:
    """Đưa các tệp trong kho tệp trở lại cơ sở dữ liệu."""
    with _cli(store, database_url) as (session, files):
        _echo({"moved": move_in(session, files)})


@files_command.command("check")
@_STORE
@_DATABASE
@click.option("--verify", is_flag=True, help="Đọc từng tệp và đối chiếu mã băm.")
def check_cmd(store: str | None, database_url: str | None, verify: bool) -> None:
    """Kiểm tra mọi tệp mà cơ sở dữ liệu ghi là ở kho tệp đều có (mã thoát 1 nếu thiếu)."""
    with _cli(store, database_url) as (session, files):
        missing = check(session, files, verify=verify)
    _echo({"missing": missing})
    if any(missing.values()):
        raise SystemExit(1)


@files_command.command("sweep")
@_STORE
@_DATABASE
@click.option(
    "--older-than-hours",
    type=click.FloatRange(min=1.0),
    default=24.0,
    show_default=True,
    help="Chỉ xóa tệp không dùng đến đã cũ hơn ngần này giờ.",
)
@click.option("--dry-run", is_flag=True, help="Chỉ đếm, không xóa.")
def sweep_cmd(
    store: str | None, database_url: str | None, older_than_hours: float, dry_run: bool
) -> None:
    """Xóa các tệp trong kho tệp không còn dòng nào của cơ sở dữ liệu dùng đến."""
    with _cli(store, database_url) as (session, files):
        counts = sweep(session, files, older_than=older_than_hours * 3600, dry_run=dry_run)
    _echo({"dry_run": dry_run, **counts})
