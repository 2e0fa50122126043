"""Where the distribution's data folders are: the one helper that resolves them.

``data/`` (registry catalogue, cost model, calendars…), ``forms/`` (the JSON Schema forms),
``process_models/`` (the procedure library) and ``migrations/`` (Alembic) are top-level
folders of the repository. A wheel installs them as package data of the distribution's
namespace (``toantrinh.data``, ``toantrinh.forms``…, docs/deployment.md), so they are found
through the import system (:func:`importlib.util.find_spec`, as :mod:`importlib.resources`
does) wherever the code runs from: the repository, an editable install or a wheel. Until
the namespace is in place (``tools/namespace.py``) they are the repository's folders
beside this package.

Wheels install unzipped, so every folder is a real directory (Alembic and the library's
glob need one). The procedure library is a default: ``TOANTRINH_LIBRARY`` replaces it.
"""

from __future__ import annotations

import importlib.util
import os
from functools import cache
from pathlib import Path

FOLDERS = ("data", "forms", "process_models", "migrations")
# "toantrinh" once the packages install under the distribution's namespace, "" before
NAMESPACE = __package__.rpartition(".")[0] if __package__ else ""


@cache
def folder(name: str) -> Path:
    """The directory of the data folder ``name`` (one of :data:`FOLDERS`).

    >>> (folder("data") / "registries.json").is_file()
    True
    """
    if name not in FOLDERS:
        raise ValueError(f"no data folder {name!r} (known: {', '.join(FOLDERS)})")
    if NAMESPACE:
        spec = importlib.util.find_spec(f"{NAMESPACE}.{name}")
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError(f"the installed distribution has no {NAMESPACE}.{name}")
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parent.parent / name


def path(name: str, *parts: str) -> Path:
    """A file in a data folder: ``path("data", "registries.json")``."""
    return folder(name).joinpath(*parts)


def root() -> Path:
    """The directory holding the data folders (the repository, or the installed namespace):
    what ``--root`` of the simplifier and the catalogue commands defaults to."""
    return folder("data").parent


def library() -> Path:
    """The procedure library: ``TOANTRINH_LIBRARY`` when set, else the shipped one."""
    configured = os.environ.get("TOANTRINH_LIBRARY")
    return Path(configured) if configured else folder("process_models")
