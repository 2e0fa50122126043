"""Imports every module that defines tables, so that ``Base.metadata`` is complete."""

from __future__ import annotations

import importlib

TABLE_MODULES = (
    "toantrinh.engine.persistence",
    "toantrinh.engine.warehouse",
    "toantrinh.engine.attachments",
    "toantrinh.engine.onestop.tail",
    "toantrinh.engine.onestop.results",
    "toantrinh.engine.payments.orders",
    "toantrinh.engine.portal.sync",
    "toantrinh.engine.deadlines",
    "toantrinh.engine.assignments",
    "toantrinh.api.models",
)


def import_all_models() -> None:
    for name in TABLE_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
