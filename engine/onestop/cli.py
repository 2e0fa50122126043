"""``toantrinh onestop …``: the test CA, the sandboxes of the payment platform and of the
national portal, and one pass of the one-stop work by hand."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
from werkzeug.serving import run_simple

from toantrinh.engine.db import make_engine, make_sessionmaker
from toantrinh.engine.onestop.testca import TEST_PASSPHRASE, write_test_ca
from toantrinh.engine.payments.sandbox import create_app as payment_sandbox_app
from toantrinh.engine.portal.sandbox import create_app as portal_sandbox_app
from toantrinh.engine.registries import build_connectors


@click.group("onestop")
def onestop_command() -> None:
    """Kết quả ký số, thanh toán trực tuyến, Cổng DVCQG (docs/onestop.md)."""


@onestop_command.command("test-ca")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--agency", "agencies", multiple=True, help="Cơ quan có người ký (lặp lại được).")
def test_ca(folder: Path, agencies: tuple[str, ...]) -> None:
    """Tạo CA thử nghiệm, chứng thư người ký (PKCS#12) và signers.json trong FOLDER.
    Chỉ dùng để phát triển, trình diễn, kiểm thử."""
    config = write_test_ca(folder, list(agencies) or None)
    click.echo(
        json.dumps(
            {
                "signers": str(folder / "signers.json"),
                "passphrase_env": "TOANTRINH_TEST_P12_PASSPHRASE",
                "passphrase": TEST_PASSPHRASE,
                "agencies": [s["agency"] for s in config["signers"]],
            },
            ensure_ascii=False,
        )
    )


def _run(app, host: str, port: int) -> None:
    run_simple(host, port, app, threaded=True)


@onestop_command.command("payment-sandbox")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8766, show_default=True, type=int)
def payment_sandbox(host: str, port: int) -> None:
    """Hộp cát nền tảng thanh toán trực tuyến (mã đơn vị, khóa: TOANTRINH_PAYMENT_MERCHANT,
    TOANTRINH_PAYMENT_SECRET)."""
    _run(
        payment_sandbox_app(
            os.environ.get("TOANTRINH_PAYMENT_MERCHANT", "TOANTRINH"),
            os.environ.get("TOANTRINH_PAYMENT_SECRET", "sandbox-secret"),
        ),
        host,
        port,
    )


@onestop_command.command("portal-sandbox")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8767, show_default=True, type=int)
def portal_sandbox(host: str, port: int) -> None:
    """Hộp cát Cổng Dịch vụ công quốc gia (tài khoản: TOANTRINH_PORTAL_USER,
    TOANTRINH_PORTAL_PASSWORD)."""
    _run(
        portal_sandbox_app(
            os.environ.get("TOANTRINH_PORTAL_USER", "toantrinh"),
            os.environ.get("TOANTRINH_PORTAL_PASSWORD", "sandbox"),
        ),
        host,
        port,
    )


@onestop_command.command("tick")
def tick() -> None:
    """Chạy một lượt: ký kết quả mới, hết hạn lệnh chưa trả, đối soát, đồng bộ Cổng DVCQG."""
    # the one-stop passes (signing, payments, the portal) load only for the commands that
    # run them, not for every `toantrinh` command (cli/main.py attaches this group)
    from toantrinh.engine.onestop.passes import OnestopPasses

    url = os.environ.get("TOANTRINH_REGISTRY_URL", "http://127.0.0.1:8765")
    passes = OnestopPasses.from_env(build_connectors({"base_url": url}))
    click.echo(
        json.dumps(passes(make_sessionmaker(make_engine())), ensure_ascii=False, default=str)
    )


@onestop_command.command("retry-refused")
def retry_refused() -> None:
    """Xếp lại hàng đợi ký các kết quả đã bị từ chối (sau khi sửa cấu hình người ký)."""
    # loaded only for this command, as the passes are in `tick`
    from toantrinh.engine.onestop.results import retry_refused as retry

    with make_sessionmaker(make_engine())() as session:
        click.echo(json.dumps({"queued": retry(session)}))


def dev_signers(data_dir: Path, agencies: list[str]) -> Path:
    """For ``toantrinh serve`` without ``TOANTRINH_SIGNERS``: a test CA in the data
    directory with a signer per agency of the library (made once)."""
    folder = data_dir / "test-ca"
    config = folder / "signers.json"
    if not config.exists():
        write_test_ca(folder, agencies)
    os.environ.setdefault("TOANTRINH_TEST_P12_PASSPHRASE", TEST_PASSPHRASE)
    return config
