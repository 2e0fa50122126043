"""The Jinja2 environment of the reports (templates in ``simplifier/templates``)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@cache
def environment() -> Environment:
    """Autoescaped for HTML, plain for Markdown; an unknown name is an error, not blank."""
    return Environment(
        loader=PackageLoader("toantrinh.simplifier", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)
