"""The HTML reports: one procedure (with the model drawn before and after) and the whole
catalogue, self-contained and in Vietnamese, from Jinja2 templates."""

from __future__ import annotations

import base64

from markupsafe import Markup

from ..analysis import Analysis
from ..catalogue import CatalogueAnalysis
from .svg import diagram_svg
from .templates import render
from .view import procedure_view
from .view_catalogue import catalogue_view


def to_html(a: Analysis, diagrams: bool = True) -> str:
    """Self-contained Vietnamese HTML report for one procedure."""
    drawn = None
    if diagrams:
        drawn = {side: diagram_svg(a, side) for side in ("before", "after")}
        drawn = {k: Markup(v) if v else None for k, v in drawn.items()}  # Graphviz escapes labels
    bpmn = base64.b64encode(a.rewritten_bpmn().encode("utf-8")).decode("ascii")
    return render(
        "report.html",
        r=procedure_view(a, drawn),
        download=f"data:application/xml;base64,{bpmn}",
        filename=f"{a.slug}-don-gian-hoa.bpmn",
    )


def catalogue_html(cat: CatalogueAnalysis) -> str:
    """Self-contained Vietnamese HTML report for the whole catalogue, ranked."""
    return render("catalogue.html", c=catalogue_view(cat))
