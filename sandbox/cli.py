"""``toantrinh registry …``: run the sandbox registry service."""

from __future__ import annotations

import click

from toantrinh.sandbox.synthetic import DEFAULT_SEED, DEFAULT_SIZE


@click.group("registry")
def registry_command() -> None:
    """Cơ sở dữ liệu quốc gia giả lập (sandbox) cho phát triển và kiểm thử."""


@registry_command.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, type=int)
@click.option(
    "--seed",
    default=DEFAULT_SEED,
    show_default=True,
    type=int,
    help="Hạt giống sinh dữ liệu (cùng hạt giống → cùng dữ liệu).",
)
@click.option(
    "--size",
    default=DEFAULT_SIZE,
    show_default=True,
    type=int,
    help="Số người sinh ngẫu nhiên, ngoài các nhân vật kiểm thử cố định.",
)
@click.option(
    "--api-key",
    envvar="TOANTRINH_REGISTRY_API_KEY",
    default=None,
    help="Nếu đặt, mọi yêu cầu phải mang tiêu đề X-API-Key này.",
)
def serve(host: str, port: int, seed: int, size: int, api_key: str | None) -> None:
    """Phục vụ các CSDL giả lập qua HTTP."""
    from werkzeug.serving import run_simple

    from toantrinh.sandbox.app import create_app

    app = create_app(seed=seed, size=size, api_key=api_key)
    click.echo(f"Hệ thống CSDL giả lập: http://{host}:{port}/api/v1/registries (seed={seed})")
    run_simple(host, port, app, threaded=True)


@registry_command.command("person")
@click.argument("identity_number")
@click.option("--seed", default=DEFAULT_SEED, type=int)
def person(identity_number: str, seed: int) -> None:
    """In mọi bản ghi của một người trong dữ liệu giả lập."""
    import json

    from toantrinh.sandbox.synthetic import generate

    data = generate(seed)
    found = {
        r: recs[identity_number] for r, recs in data.records.items() if identity_number in recs
    }
    if not found:
        raise click.ClickException(f"Không có người với số định danh {identity_number}")
    click.echo(json.dumps(found, ensure_ascii=False, indent=2, default=str))
