"""Reports, one module per output: HTML (:mod:`.html`), Markdown (:mod:`.markdown`), JSON
(:mod:`.json`) and the SVG diagrams (:mod:`.svg`); what they say is built once in
:mod:`.view` and formatted the Vietnamese way by :mod:`.fmt`."""

from __future__ import annotations

from .html import catalogue_html, to_html
from .json import catalogue_json, to_json
from .markdown import catalogue_markdown, to_markdown
from .svg import diagram_svg
from .view import Names, procedure_view, registry_contributions, registry_rows
from .view_catalogue import catalogue_view

__all__ = [
    "Names",
    "catalogue_html",
    "catalogue_json",
    "catalogue_markdown",
    "catalogue_view",
    "diagram_svg",
    "procedure_view",
    "registry_contributions",
    "registry_rows",
    "to_html",
    "to_json",
    "to_markdown",
]
