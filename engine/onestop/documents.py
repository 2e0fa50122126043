"""Printed documents of the one-stop desk as PDF: Jinja2 → HTML → PDF (WeasyPrint), with
a Vietnamese font embedded and the receipt code as a QR code.

WeasyPrint is the renderer because the templates are plain HTML and CSS that a province's
operator can edit (tables, page size, margins, headers), its output embeds subsets of the
fonts it used, and it is well kept; its one system dependency, Pango, comes from Debian
(``./tt`` installs it). Official letters are set in Times New Roman (Decree 30/2020/NĐ-CP,
Appendix I); the free font with its metrics is Liberation Serif (SIL OFL 1.1, Debian
``fonts-liberation2``), with DejaVu Serif (Bitstream Vera licence, ``fonts-dejavu-core``)
as the fallback — both cover Vietnamese. The font files are read from the system, never
vendored; ``TOANTRINH_PDF_FONT_DIR`` points at other files of the same names.

Templates: ``engine/onestop/templates/``; a directory named by
``TOANTRINH_TEMPLATE_DIR`` is searched first, in its ``<province>/`` subdirectory
(``TOANTRINH_PROVINCE``) and then at its top, so an operator overrides one form for one
province by dropping a file of the same name there.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
import qrcode
import qrcode.image.svg
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FONT_DIRS = (
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/dejavu",
)
# (regular, bold, italic) file names, in order of preference
FONT_FILES = (
    ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf"),
    ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"),
)
FONT_FAMILY = "TT Serif"


class DocumentError(Exception):
    """A document cannot be rendered (no font, a template that does not exist or fails)."""


def find_fonts(extra_dir: str | None = None) -> tuple[Path, Path, Path]:
    """The regular, bold and italic files of the first serif font found with all three."""
    dirs = ([extra_dir] if extra_dir else []) + list(FONT_DIRS)
    for names in FONT_FILES:
        for folder in dirs:
            paths = tuple(Path(folder) / name for name in names)
            if all(p.is_file() for p in paths):
                return paths  # type: ignore[return-value]
    raise DocumentError(
        "không tìm thấy phông chữ có dấu tiếng Việt (Liberation Serif hoặc DejaVu Serif); "
        "cài gói fonts-liberation2 hoặc đặt TOANTRINH_PDF_FONT_DIR"
    )


def font_css(fonts: tuple[Path, Path, Path]) -> str:
    """@font-face rules that make WeasyPrint embed exactly these files."""
    regular, bold, italic = fonts
    rules = [(regular, "normal", "normal"), (bold, "bold", "normal"), (italic, "normal", "italic")]
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{path.as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for path, weight, style in rules
    )


def qr_svg(text: str, size_mm: int = 28) -> Markup:
    """An SVG QR code of ``text`` (error correction M), inline in the HTML."""
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode("utf-8").split("?>", 1)[-1].strip()
    svg = svg.replace('width="', f'data-size="{size_mm}" width="', 1)
    return Markup(svg)


def vn_date(value: datetime | None, with_time: bool = False) -> str:
    """``ngày 07 tháng 12 năm 2026`` (with ``14 giờ 05``), in Vietnam's time zone."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(VIETNAM)
    text = f"ngày {local:%d} tháng {local:%m} năm {local:%Y}"
    return f"{local:%H} giờ {local:%M}, {text}" if with_time else text


def vn_money(amount: int | float | None) -> str:
    """``200.000 đồng`` (Vietnamese thousands separator)."""
    if amount is None:
        return ""
    return f"{int(amount):,}".replace(",", ".") + " đồng"


@dataclass
class DocumentSettings:
    """What an operator configures (environment or app config)."""

    template_dir: str | None = None
    province: str | None = None
    # the province's name in headers ("UBND TỈNH …") and the place line ("Hà Nội, ngày …")
    province_name: str = ""
    place: str = ""
    # a QR code holds the tracking URL when the public address is known, else the code
    public_url: str = ""
    font_dir: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, config: dict[str, Any] | None = None) -> DocumentSettings:
        def get(key: str, default: str = "") -> str:
            value = (config or {}).get(key)
            return str(value) if value is not None else os.environ.get(key, default)

        return cls(
            template_dir=get("TOANTRINH_TEMPLATE_DIR") or None,
            province=get("TOANTRINH_PROVINCE") or None,
            province_name=get("TOANTRINH_PROVINCE_NAME"),
            place=get("TOANTRINH_PLACE_NAME"),
            public_url=get("TOANTRINH_PUBLIC_URL").rstrip("/"),
            font_dir=get("TOANTRINH_PDF_FONT_DIR") or None,
        )


class DocumentRenderer:
    """Renders a named template with a context to HTML and to PDF bytes."""

    def __init__(self, settings: DocumentSettings | None = None):
        self.settings = settings or DocumentSettings()
        searched: list[str] = []
        if self.settings.template_dir:
            base = Path(self.settings.template_dir)
            if self.settings.province:
                searched.append(str(base / self.settings.province))
            searched.append(str(base))
        searched.append(str(TEMPLATES))
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(searched),
            autoescape=jinja2.select_autoescape(["html"]),
            undefined=jinja2.StrictUndefined,
        )
        self.env.filters["vn_date"] = vn_date
        self.env.filters["vn_money"] = vn_money
        self.env.globals["qr_svg"] = qr_svg
        self._fonts: tuple[Path, Path, Path] | None = None

    def first_template(self, *names: str) -> str:
        """The first of ``names`` that exists (a procedure's own form before the generic)."""
        for name in names:
            try:
                self.env.get_template(name)
            except jinja2.TemplateNotFound:
                continue
            return name
        raise DocumentError(f"không có mẫu nào trong {', '.join(names)}")

    def tracking_qr_text(self, receipt_code: str) -> str:
        base = self.settings.public_url
        return f"{base}/track/{receipt_code}" if base else receipt_code

    def html(self, template: str, context: dict[str, Any]) -> str:
        if self._fonts is None:
            self._fonts = find_fonts(self.settings.font_dir)
        page = {
            "title": "",
            "font_css": Markup(font_css(self._fonts)),
            "font_family": FONT_FAMILY,
            "province_name": self.settings.province_name,
            "place": self.settings.place,
            **self.settings.extra,
            **context,
        }
        try:
            return self.env.get_template(template).render(**page)
        except jinja2.TemplateNotFound as err:
            raise DocumentError(f"không có mẫu {template}") from err
        except jinja2.TemplateError as err:
            raise DocumentError(f"mẫu {template} lỗi: {err}") from err

    def pdf(self, template: str, context: dict[str, Any], *, title: str = "") -> bytes:
        """The PDF of ``template`` rendered with ``context`` (fonts embedded, PDF/A-free,
        no network: images and fonts come from ``file://`` only)."""
        import weasyprint  # ~0.6 s to load (with Pango): paid by the first PDF, not at start-up

        html = self.html(template, {"title": title, **context})
        document = weasyprint.HTML(string=html, base_url=str(TEMPLATES), url_fetcher=local_only())
        return document.write_pdf()


def local_only() -> Any:
    """WeasyPrint's fetcher of fonts and images, refusing anything but local files: a
    template cannot make the server fetch a URL."""
    import weasyprint  # loaded with the first PDF, as in DocumentRenderer.pdf

    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint ≥ 67
        return weasyprint.URLFetcher(allowed_protocols={"file"})

    def fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if not url.startswith("file://"):
            raise DocumentError(f"mẫu in không được tải tài nguyên từ mạng: {url}")
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return fetch
