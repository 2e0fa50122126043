"""``toantrinh catalogue``: import published procedure records, analyse the catalogue.

    toantrinh catalogue import SOURCE... --out DIR [--workers N]
    toantrinh catalogue analyse DIR --format json|md|html|csv [--out FILE] [--registries …]
                                    [--workers N] [--province P] [--default-volume N]

See ``docs/catalogue.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toantrinh.simplifier.records import FORMATS

from .catalogue_files import ROOT, analyse_folder, import_records

_ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=ROOT,
    show_default=False,
    help="Thư mục dự án chứa data/ (mặc định: thư mục cài đặt Toàn Trình).",
)


@click.group("catalogue")
def catalogue_command() -> None:
    """Danh mục TTHC quốc gia: nhập bản ghi công bố, dựng mô hình, phân tích hàng loạt."""


@catalogue_command.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Thư mục ghi các thủ tục đã dựng (DIR/<mã>/).",
)
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Số tiến trình."
)
@_ROOT_OPTION
def import_command(sources: tuple[Path, ...], out: Path, workers: int, root: Path) -> None:
    """Dựng mô hình BPMN, procedure.json và ghi chú rà soát cho từng bản ghi trong SOURCES
    (tệp hoặc thư mục JSON, JSONL, CSV, XLSX)."""
    summary = import_records(list(sources), out, root=root, workers=workers)
    click.echo(
        f"Đã nhập {len(summary.imported)} thủ tục vào {out}; từ chối "
        f"{len(summary.refused)} bản ghi ({summary.seconds:.1f} giây)."
    )
    for reason, count in summary.by_reason.most_common():
        click.echo(f"  - {count} × {reason}")
    for r in summary.refused[:20]:
        click.echo(f"    {r['source']}: {r['reason']}", err=True)
    if len(summary.refused) > 20:
        click.echo(
            f"    … và {len(summary.refused) - 20} bản ghi khác (xem {out}/import-summary.json)",
            err=True,
        )
    if not summary.imported:
        sys.exit(1)


@catalogue_command.command("analyse")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(sorted(FORMATS)), default="html", show_default=True
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp kết quả (mặc định: stdout).",
)
@click.option(
    "--registries",
    default=None,
    help="Giả định đúng các CSDL này đã kết nối (what-if), ví dụ: population,land.",
)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--province", default=None, help="Tham số chi phí của tỉnh (data/cost_model.json).")
@click.option(
    "--default-volume",
    type=click.IntRange(0),
    default=None,
    help="Số hồ sơ/năm giả định cho thủ tục không có số liệu (ước tính).",
)
@_ROOT_OPTION
def analyse_command(
    folder: Path,
    fmt: str,
    out: Path | None,
    registries: str | None,
    workers: int,
    province: str | None,
    default_volume: int | None,
    root: Path,
) -> None:
    """Phân tích mọi thủ tục đã nhập trong FOLDER và ghi báo cáo danh mục."""
    connected = (
        [r.strip() for r in registries.split(",") if r.strip()] if registries is not None else None
    )
    try:
        report = analyse_folder(
            folder,
            root=root,
            workers=workers,
            connected=connected,
            province=province,
            default_volume=default_volume,
        )
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    if not report["procedures"] and not report["failed"]:
        raise click.ClickException(
            f"{folder}: không có thủ tục nào đã nhập (chạy catalogue import)"
        )
    text = FORMATS[fmt](report)
    t = report["totals"]
    message = (
        f"Đã phân tích {t['procedures']} thủ tục ({t['failed_analysis']} lỗi): "
        f"{t['replaceable_now']} thành phần bỏ được ngay, {t['replaceable_once_connected']} "
        f"khi kết nối/công bố phạm vi dữ liệu."
    )
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        click.echo(f"{message} Đã ghi {out}", err=True)
    else:
        click.echo(text)
        click.echo(message, err=True)
