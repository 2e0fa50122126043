"""The ``toantrinh`` command (``cli.main``): the top of the import layering, above the API,
the web pages, the sandbox registry and the engine (docs/architecture.md)."""

from cli.main import main

__all__ = ["main"]
