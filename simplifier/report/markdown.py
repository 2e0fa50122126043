"""The Markdown reports (the same text as the HTML ones, without diagrams)."""

from __future__ import annotations

from ..analysis import Analysis
from ..catalogue import CatalogueAnalysis
from .templates import render
from .view import procedure_view
from .view_catalogue import catalogue_view


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(a: Analysis) -> str:
    return render("report.md", r=procedure_view(a), cell=_cell)


def catalogue_markdown(cat: CatalogueAnalysis) -> str:
    return render("catalogue.md", c=catalogue_view(cat), cell=_cell)
