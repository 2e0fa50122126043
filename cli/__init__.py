"""The ``toantrinh`` command (``toantrinh.cli.main``): the top of the import layering, above the API,
the web pages, the sandbox registry and the engine (docs/architecture.md).

Nothing is imported here: ``python -m toantrinh.cli.main`` (how ``serve`` starts its
children) would otherwise find the module already imported by its package and warn."""
