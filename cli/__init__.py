"""The ``toantrinh`` command (``toantrinh.cli.main``): the top of the import layering, above the API,
the web pages, the sandbox registry and the engine (docs/architecture.md)."""

from toantrinh.cli.main import main

__all__ = ["main"]
