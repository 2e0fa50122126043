"""``toantrinh simplify``: the simplifier from the command line.

The only module of ``simplifier`` that reads files: it loads the registry catalogue
(``data/registries.json``), the cost model (``data/cost_model.json``), the forms
(``forms/*.json``) and the procedure folders, calls the pure functions and writes
the report. The lead wires ``simplify_command`` into the ``toantrinh`` group.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from toantrinh.bpmn import datafiles

from . import report
from .analysis import analyse
from .catalogue import analyse_catalogue
from .load import ModelLoadError


def load_json(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def load_catalogue(root: Path) -> dict:
    return load_json(root / "data" / "registries.json")


def load_cost_model(root: Path) -> dict | None:
    path = root / "data" / "cost_model.json"
    return load_json(path) if path.exists() else None


def _ids(value: str) -> list[str]:
    return [r.strip() for r in value.split(",") if r.strip()]


def load_groups(root: Path) -> list[dict]:
    """The linked groups of the procedure library (``process_models/groups.json``)."""
    path = root / "process_models" / "groups.json"
    return load_json(path) if path.exists() else []  # type: ignore[return-value]


def load_forms(root: Path) -> dict[str, dict]:
    forms = {}
    for p in sorted((root / "forms").glob("*.json")):
        try:
            forms[p.stem] = load_json(p)
        except (OSError, ValueError) as exc:
            click.echo(f"Bỏ qua biểu mẫu {p}: {exc}", err=True)
    return forms


def load_procedure(path: Path) -> tuple[bytes, dict | None, str]:
    """(BPMN bytes, procedure.json or None, slug) for a folder or a .bpmn file."""
    if path.is_dir():
        proc_file = path / "procedure.json"
        procedure = load_json(proc_file) if proc_file.exists() else None
        bpmn = path / procedure["bpmn"] if procedure and procedure.get("bpmn") else None
        if bpmn is None or not bpmn.exists():
            candidates = sorted(path.glob("*.bpmn"))
            if not candidates:
                raise click.ClickException(f"{path}: không có tệp .bpmn")
            bpmn = candidates[0]
        return bpmn.read_bytes(), procedure, (procedure or {}).get("slug") or path.name
    proc_file = path.parent / "procedure.json"
    procedure = load_json(proc_file) if proc_file.exists() else None
    if procedure and procedure.get("bpmn") and procedure["bpmn"] != path.name:
        procedure = None
    return path.read_bytes(), procedure, (procedure or {}).get("slug") or path.stem


def library_folders(root: Path) -> list[Path]:
    base = root / "process_models"
    return (
        sorted(
            p
            for p in base.iterdir()
            if p.is_dir() and not p.name.startswith(("_", ".")) and any(p.glob("*.bpmn"))
        )
        if base.exists()
        else []
    )


@click.command("simplify")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--all", "all_", is_flag=True, help="Phân tích mọi thư mục trong process_models/.")
@click.option(
    "--connect",
    "connect",
    default=None,
    help="Giả định kết nối thêm các CSDL này vào những CSDL danh mục đã ghi là kết nối "
    "(what-if), ví dụ: land,tax.",
)
@click.option(
    "--registries",
    default=None,
    help="Nêu toàn bộ tập CSDL coi như đã kết nối (thay cho danh mục), ví dụ: "
    "population,civil_status; để trống để coi như không kết nối CSDL nào.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "json", "md", "bpmn"]),
    default="html",
    show_default=True,
    help="bpmn: mô hình đã đơn giản hóa (chỉ với một thủ tục).",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Tệp kết quả (mặc định: stdout)."
)
@click.option(
    "--province", default=None, help="Tham số chi phí theo tỉnh (khóa trong data/cost_model.json)."
)
@click.option("--workers", default=1, show_default=True, help="Số tiến trình khi dùng --all.")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Thư mục chứa data/, forms/, process_models/ (mặc định: thư viện đi kèm gói cài đặt).",
)
@click.option("--no-diagrams", is_flag=True, help="Không vẽ sơ đồ trong báo cáo HTML.")
@click.option(
    "--forms-out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Ghi các biểu mẫu đã thêm x-prefill (đi kèm mô hình đã đơn giản hóa) vào thư mục này.",
)
def simplify_command(
    path, all_, connect, registries, fmt, out, province, workers, root, no_diagrams, forms_out
):
    """Phân tích và đơn giản hóa thủ tục: PATH là thư mục process_models/<slug> hoặc tệp .bpmn."""
    if bool(path) == bool(all_):
        raise click.UsageError("Cần đúng một trong hai: PATH hoặc --all.")
    root = root or datafiles.root()
    catalogue = load_catalogue(root)
    cost_model = load_cost_model(root)
    forms = load_forms(root)
    connected = _ids(registries) if registries is not None else None
    added = _ids(connect) if connect is not None else []
    known = {r.get("id") for r in catalogue.get("registries", [])}
    unknown = sorted({*(connected or ()), *added} - known)
    if unknown:
        raise click.UsageError("CSDL không có trong danh mục: " + ", ".join(unknown))
    if all_:
        if fmt == "bpmn" or forms_out:
            raise click.UsageError("--format bpmn và --forms-out chỉ dùng cho một thủ tục.")
        items = []
        for folder in library_folders(root):
            xml, procedure, slug = load_procedure(folder)
            items.append({"xml": xml, "procedure": procedure, "slug": slug})
        if not items:
            raise click.ClickException(f"Không có thủ tục nào trong {root / 'process_models'}")
        cat = analyse_catalogue(
            items,
            catalogue,
            forms=forms,
            connected=connected,
            connect=added,
            cost_model=cost_model,
            groups=load_groups(root),
            province=province,
            workers=workers,
        )
        text = {
            "html": report.catalogue_html,
            "json": report.catalogue_json,
            "md": report.catalogue_markdown,
        }[fmt](cat)
    else:
        xml, procedure, _slug = load_procedure(path)
        try:
            a = analyse(
                xml,
                catalogue,
                procedure,
                forms,
                connected,
                connect=added,
                cost_model=cost_model,
                province=province,
            )
        except ModelLoadError as exc:
            raise click.ClickException(f"{path}: {exc}") from None
        if fmt == "html":
            text = report.to_html(a, diagrams=not no_diagrams)
        elif fmt == "json":
            text = report.to_json(a)
        elif fmt == "md":
            text = report.to_markdown(a)
        else:
            text = a.rewritten_bpmn()
        if forms_out:
            forms_out.mkdir(parents=True, exist_ok=True)
            for form_id, schema in a.rewritten_forms().items():
                target = forms_out / f"{form_id}.json"
                target.write_text(
                    json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
                )
                click.echo(f"Đã ghi {target}", err=True)
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Đã ghi {out}", err=True)
    else:
        click.echo(text)
