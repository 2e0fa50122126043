"""The ``toantrinh`` command line.

The top of the import layering (docs/architecture.md). Sub-commands import what they run
when they run, so that ``toantrinh --help`` and a short command start fast without loading
Flask, Celery or SpiffWorkflow; that is the reason for the imports inside functions here,
not a cycle (import-linter checks there is none).

``serve`` runs the whole single-machine system (database upgrade, library deployment,
the sandbox registries unless real ones are configured, the scheduler and the web app
under gunicorn); ``deploy``, ``worker`` and ``db`` are the pieces a larger deployment
runs separately.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click

from toantrinh.bpmn import datafiles
from toantrinh.engine import logs
from toantrinh.engine.deploy_checks import FORCE_HINT
from toantrinh.engine.lifeline import child_setup
from toantrinh.engine.parsing import ModelError, StructureError
from toantrinh.engine.settings import current as current_settings


def _session_factory():
    from toantrinh.engine.db import make_engine, make_sessionmaker

    return make_sessionmaker(make_engine())


def _connectors(registry_url: str | None = None):
    from toantrinh.engine.registries import build_connectors

    url = registry_url or os.environ.get("TOANTRINH_REGISTRY_URL", "http://127.0.0.1:8765")
    return build_connectors({"base_url": url})


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Ghi nhật ký chi tiết.")
def main(verbose: bool) -> None:
    """Toàn Trình — chạy và tái cấu trúc thủ tục hành chính trên BPMN."""
    settings = current_settings()
    logs.configure(settings.log_format, logging.DEBUG if verbose else settings.log_level)


@main.group()
def db() -> None:
    """Lược đồ cơ sở dữ liệu (Alembic)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Nâng cấp lược đồ lên phiên bản mới nhất."""
    from toantrinh.engine.db import default_database_url
    from toantrinh.engine.migrate import upgrade

    url = default_database_url()
    upgrade(url, revision)
    click.echo(f"Lược đồ đã ở phiên bản {revision}: {_safe_url(url)}")


@db.command("downgrade")
@click.option("--revision", default="-1", show_default=True)
def db_downgrade(revision: str) -> None:
    """Hạ lược đồ xuống một phiên bản."""
    from toantrinh.engine.migrate import downgrade

    downgrade(None, revision)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path), required=False)
@click.option(
    "--all", "deploy_all", is_flag=True, help="Triển khai toàn bộ thư viện process_models/."
)
@click.option("--actor", default="cli", show_default=True)
@click.option(
    "--force",
    is_flag=True,
    help="Triển khai cả khi kiểm tra cấu trúc (bế tắc, phần tử không tới được…) từ chối.",
)
def deploy(path: Path | None, deploy_all: bool, actor: str, force: bool) -> None:
    """Triển khai một quy trình (thư mục có procedure.json, hoặc tệp .bpmn)."""
    from toantrinh.engine.service import Engine

    if not path and not deploy_all:
        raise click.UsageError("cần PATH hoặc --all")
    session = _session_factory()()
    engine = Engine(session)
    targets = (
        sorted(p.parent for p in datafiles.library().glob("*/procedure.json"))
        if deploy_all
        else [path]
    )
    failed = 0
    for target in targets:
        try:
            if target.is_dir():
                result = engine.deploy_folder(target, actor=actor, force=force)
            else:
                result = engine.deploy(
                    target.read_bytes(), slug=target.stem, actor=actor, force=force
                )
        except ModelError as err:
            failed += 1
            click.echo(f"✗ {target}:", err=True)
            for problem in err.problems:
                click.echo(f"    - {problem}", err=True)
            if isinstance(err, StructureError):
                click.echo(f"  ({FORCE_HINT})", err=True)
            continue
        v = result.version
        state = "phiên bản mới" if result.created else "không đổi"
        click.echo(f"✓ {v.model.slug} v{v.number} ({state}, {v.content_hash[:12]})")
        for warning in result.warnings:
            click.echo(f"    ! {warning}")
    session.close()
    if failed:
        sys.exit(1)


@main.group()
def dossier() -> None:
    """Nộp, xem, xử lý và quản trị một hồ sơ."""


@dossier.command("migrate")
@click.argument("dossier_id", type=int)
@click.argument("to_version", type=int)
@click.option("--actor", default="cli", show_default=True)
@click.option(
    "--dry-run", is_flag=True, help="Chỉ kiểm tra có chuyển được không, không thay đổi gì."
)
def dossier_migrate(dossier_id: int, to_version: int, actor: str, dry_run: bool) -> None:
    """Chuyển hồ sơ đang chạy sang phiên bản TO_VERSION của quy trình (từ chối nếu không an toàn)."""
    from toantrinh.engine.service import Engine, EngineError

    with _session_factory()() as session:
        try:
            moved = Engine(session, connectors=_connectors()).migrate(
                dossier_id, to_version, actor=actor, dry_run=dry_run
            )
        except EngineError as err:
            click.echo(f"✗ {err}", err=True)
            sys.exit(1)
        if dry_run:
            click.echo(f"✓ hồ sơ {moved.receipt_code} chuyển được sang phiên bản {to_version}")
        else:
            click.echo(f"✓ hồ sơ {moved.receipt_code} đã ở phiên bản {moved.version.number}")


@dossier.command("settle")
@click.option("--limit", default=1000, show_default=True, type=int, help="Số hồ sơ tối đa.")
def dossier_settle(limit: int) -> None:
    """Lưu trạng thái đầy đủ của mọi hồ sơ còn bước trong nhật ký (engine/store/journal.py), không
    chờ hồ sơ nghỉ; chạy trước khi hạ cấp cơ sở dữ liệu hay nâng SpiffWorkflow."""
    from sqlalchemy import func, select

    from toantrinh.engine.persistence import DossierJournal
    from toantrinh.engine.service import Engine

    with _session_factory()() as session:
        engine = Engine(session, connectors=_connectors())
        total = 0
        while True:
            settled = engine.settle_journals(limit=limit, idle_seconds=0)
            total += settled
            if settled < limit:
                break
        left = session.scalar(select(func.count()).select_from(DossierJournal))
    click.echo(f"✓ đã lưu trạng thái {total} hồ sơ; còn {left} dòng nhật ký")
    if left:
        sys.exit(1)


@main.command()
@click.option("--once", is_flag=True, help="Chạy một lượt rồi thoát.")
@click.option(
    "--interval", default=1.0, show_default=True, help="Giây nghỉ giữa các lượt khi không có việc."
)
@click.option(
    "--registry-url", default=None, help="Địa chỉ dịch vụ CSDL (mặc định TOANTRINH_REGISTRY_URL)."
)
def worker(once: bool, interval: float, registry_url: str | None) -> None:
    """Bộ lập lịch: kích hoạt hẹn giờ, chuyển thông điệp, thử lại lỗi kết nối, lưu trạng thái
    hồ sơ đã nghỉ."""
    from toantrinh.engine.scheduler import run_forever, tick

    factory = _session_factory()
    connectors = _connectors(registry_url)
    if once:
        session = factory()
        result = tick(session, connectors)
        session.close()
        click.echo(
            json.dumps(
                {
                    "timers": result.timers,
                    "messages": result.messages,
                    "retries": result.retries,
                    "advanced": result.advanced,
                    "settled": result.settled,
                }
            )
        )
        return
    from toantrinh.engine.notify.dispatch import worker_hook
    from toantrinh.engine.onestop.passes import OnestopPasses

    run_forever(
        factory,
        connectors,
        interval,
        on_events=worker_hook(factory, connectors),
        passes=[OnestopPasses.from_env(connectors).tick],
    )


# long (~90 lines): the one start-up sequence of the whole single-machine system, in order
@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="Số tiến trình gunicorn.")
@click.option("--threads", default=4, show_default=True, type=int)
@click.option("--no-deploy", is_flag=True, help="Không triển khai thư viện thủ tục khi khởi động.")
@click.option("--no-worker", is_flag=True, help="Không chạy bộ lập lịch kèm theo (đã chạy riêng).")
@click.option(
    "--registry-url",
    default=None,
    help="Dùng dịch vụ CSDL thật ở địa chỉ này thay cho hộp cát (sandbox).",
)
@click.option(
    "--dev-login",
    is_flag=True,
    help="Cho phép đăng nhập thử với vai trò bất kỳ (chỉ dùng để phát triển, trình diễn).",
)
def serve(
    host: str,
    port: int,
    workers: int,
    threads: int,
    no_deploy: bool,
    no_worker: bool,
    registry_url: str | None,
    dev_login: bool,
) -> None:
    """Chạy máy chủ: nâng cấp CSDL, triển khai thư viện, hộp cát CSDL quốc gia, bộ lập lịch, web."""
    sandbox_port = _registry_sandbox_port(registry_url, port)
    _prepare(dev_login)
    children: list[subprocess.Popen] = []
    env = dict(os.environ)
    if sandbox_port is not None:
        registry_url = f"http://127.0.0.1:{sandbox_port}"
        children.append(
            _child(
                ["-m", "toantrinh.cli.main", "registry", "serve", "--port", str(sandbox_port)], env
            )
        )
        click.echo(f"Hộp cát CSDL quốc gia: {registry_url}")
    if registry_url:
        env["TOANTRINH_REGISTRY_URL"] = registry_url
        os.environ["TOANTRINH_REGISTRY_URL"] = registry_url
    children.extend(_onestop_sandboxes(env))
    if not no_deploy:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "toantrinh.cli.main",
                "deploy",
                "--all",
                "--actor",
                "system:serve",
            ],
            env=env,
            check=True,
            preexec_fn=child_setup(),
        )
    if not no_worker:
        children.append(_child(["-m", "toantrinh.cli.main", "worker"], env))
    signal.signal(signal.SIGTERM, lambda *a: (_stop_children(children), sys.exit(0)))
    try:
        time.sleep(0.5)
        click.echo(f"Toàn Trình: http://{host}:{port}/")
        _run_gunicorn(host, port, workers, threads)
    finally:
        _stop_children(children)


def _registry_sandbox_port(registry_url: str | None, port: int) -> int | None:
    """The port of the registry sandbox ``serve`` starts when no real registry is named
    (``TOANTRINH_SANDBOX_PORT``, 8765), or ``None``; refused if the web app wants it."""
    own_sandbox = registry_url is None and not os.environ.get("TOANTRINH_REGISTRY_URL")
    sandbox_port = int(os.environ.get("TOANTRINH_SANDBOX_PORT", "8765"))
    if own_sandbox and port == sandbox_port:
        raise click.UsageError(
            f"cổng {port} là cổng của hộp cát CSDL quốc gia chạy kèm máy chủ; chọn cổng "
            "khác cho --port, hoặc đặt TOANTRINH_SANDBOX_PORT sang cổng khác"
        )
    return sandbox_port if own_sandbox else None


def _prepare(dev_login: bool) -> None:
    """Open the file store and the seal key (either missing stops ``serve`` here, in one
    line), upgrade the database and say what the server runs with."""
    from toantrinh.engine import seal
    from toantrinh.engine.db import default_database_url
    from toantrinh.engine.filestore import FileStoreError, default_store
    from toantrinh.engine.migrate import upgrade

    try:
        files = default_store()
        sealer = _serve_seal_key()
    except (FileStoreError, seal.SealError) as err:
        raise click.ClickException(str(err)) from err
    url = default_database_url()
    upgrade(url)
    click.echo(f"Cơ sở dữ liệu: {_safe_url(url)}")
    click.echo(f"Tệp của hồ sơ: {files!r}" if files else "Tệp của hồ sơ: trong cơ sở dữ liệu")
    click.echo(f"Khóa ký xác thực kết quả: {os.environ['TOANTRINH_SEAL_KEY']} ({sealer.key_id})")
    if dev_login:
        os.environ["TOANTRINH_DEV_LOGIN"] = "1"
        click.echo("Cảnh báo: đăng nhập thử đang BẬT (--dev-login); không dùng cho hệ thống thật.")


def _child(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    """This Python running ``args``, as a child that dies with ``serve``, even after kill -9."""
    return subprocess.Popen([sys.executable, *args], env=env, preexec_fn=child_setup())


def _stop_children(children: list[subprocess.Popen]) -> None:
    for child in children:
        child.terminate()
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


def _onestop_sandboxes(env: dict[str, str]) -> list[subprocess.Popen]:
    """The sandboxes of the payment platform and of the national portal, and test signers
    for e-results, for whatever the deployment did not configure (docs/onestop.md)."""
    started = []
    for kind, variable, port, extra in (
        (
            "payment",
            "TOANTRINH_PAYMENT_URL",
            int(os.environ.get("TOANTRINH_PAYMENT_SANDBOX_PORT", "8766")),
            {
                "TOANTRINH_PAYMENT_MERCHANT": "TOANTRINH",
                "TOANTRINH_PAYMENT_SECRET": "sandbox-secret",
            },
        ),
        (
            "portal",
            "TOANTRINH_PORTAL_URL",
            int(os.environ.get("TOANTRINH_PORTAL_SANDBOX_PORT", "8767")),
            {"TOANTRINH_PORTAL_USER": "toantrinh", "TOANTRINH_PORTAL_PASSWORD": "sandbox"},
        ),
    ):
        if os.environ.get(variable):
            continue
        for key, value in {variable: f"http://127.0.0.1:{port}", **extra}.items():
            env.setdefault(key, value)
            os.environ.setdefault(key, value)
        started.append(
            _child(
                ["-m", "toantrinh.cli.main", "onestop", f"{kind}-sandbox", "--port", str(port)], env
            )
        )
        click.echo(
            f"Hộp cát {'thanh toán' if kind == 'payment' else 'Cổng DVCQG'}: {env[variable]}"
        )
    if not os.environ.get("TOANTRINH_SIGNERS"):
        from toantrinh.engine.onestop.cli import dev_signers

        agencies = sorted(
            {
                json.loads(p.read_text("utf-8")).get("agency") or ""
                for p in datafiles.library().glob("*/procedure.json")
            }
            - {""}
        )
        path = dev_signers(
            Path(os.environ.get("TOANTRINH_DATA_DIR", "instance")).resolve(), agencies
        )
        env["TOANTRINH_SIGNERS"] = os.environ["TOANTRINH_SIGNERS"] = str(path)
        env["TOANTRINH_TEST_P12_PASSPHRASE"] = os.environ["TOANTRINH_TEST_P12_PASSPHRASE"]
        click.echo(f"Cảnh báo: kết quả điện tử được ký bằng CA THỬ NGHIỆM ({path}).")
    return started


def _serve_seal_key():
    """The key that signs result verifications: ``TOANTRINH_SEAL_KEY``, or, on one
    machine, ``seal-key.pem`` in the data directory, made on first start."""
    from toantrinh.engine import seal

    path = os.environ.get("TOANTRINH_SEAL_KEY")
    if path:
        return seal.load(path)
    key = (Path(os.environ.get("TOANTRINH_DATA_DIR", "instance")) / "seal-key.pem").resolve()
    sealer = seal.load(key) if key.exists() else seal.generate(key)
    os.environ["TOANTRINH_SEAL_KEY"] = str(key)  # for the app processes started below
    return sealer


def _run_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    from toantrinh.api import gunicorn_conf

    class _App(BaseApplication):
        def load_config(self):
            # the settings a province's own gunicorn command reads (-c python:api.gunicorn_conf)
            for name in dir(gunicorn_conf):
                if name in self.cfg.settings:
                    self.cfg.set(name, getattr(gunicorn_conf, name))
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", "-")

        def load(self):
            from toantrinh.api.app import create_app

            return create_app()

    _App().run()


def _attach_commands() -> None:
    """Sub-commands that live beside the code they drive."""
    from toantrinh.engine.backup import backup_command
    from toantrinh.engine.catalogue_cli import catalogue_command
    from toantrinh.engine.dossier_cli import attach_dossier_commands
    from toantrinh.engine.filestore_cli import files_command
    from toantrinh.engine.onestop.cli import onestop_command
    from toantrinh.engine.seal import seal_command
    from toantrinh.sandbox.cli import registry_command
    from toantrinh.simplifier.cli import simplify_command

    main.add_command(registry_command, "registry")
    main.add_command(simplify_command, "simplify")
    main.add_command(catalogue_command, "catalogue")
    main.add_command(backup_command, "backup")
    main.add_command(files_command, "files")
    main.add_command(seal_command, "seal")
    main.add_command(onestop_command, "onestop")
    attach_dossier_commands(dossier)


_attach_commands()

if __name__ == "__main__":
    main()
