"""Imports every module that defines tables, so that ``Base.metadata`` is complete."""

from __future__ import annotations

import importlib

TABLE_MODULES = (
    "engine.persistence",
    "engine.warehouse",
    "engine.attachments",
    "engine.onestop.tail",
    "engine.onestop.results",
    "engine.payments.orders",
    "engine.portal.sync",
    "engine.deadlines",
    "engine.assignments",
    "api.models",
)


def import_all_models() -> None:
    for name in TABLE_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
