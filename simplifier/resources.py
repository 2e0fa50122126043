"""The simplifier's own data files (``simplifier/data/*.json``), each read once.

Phrase tables for inference and the legal rules are knowledge of the simplifier, shipped
with the package and read through :mod:`importlib.resources`; per-deployment settings
(the registry catalogue, the cost model) are passed in by the caller instead.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def data(name: str) -> Any:
    """The parsed JSON of ``simplifier/data/<name>.json`` (cached; do not mutate)."""
    path = resources.files(__package__).joinpath("data", f"{name}.json")
    return json.loads(path.read_text("utf-8"))
