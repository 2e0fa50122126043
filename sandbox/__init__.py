"""The sandbox registry service (cơ sở dữ liệu quốc gia giả lập): a Flask app serving
synthetic people (:mod:`toantrinh.sandbox.synthetic`) over the same HTTP interface as the national
databases, for development, demos and tests. ``toantrinh serve`` starts it unless real
registries are configured; ``toantrinh registry serve`` runs it alone.

It is not part of the engine: the engine keeps only the connector interface
(:mod:`toantrinh.engine.connectors`, :mod:`toantrinh.engine.registries`), which talks to it over HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from toantrinh.engine.connectors import ConnectorRegistry
from toantrinh.engine.registries import build_connectors
from toantrinh.sandbox.app import SandboxServer, create_app, serve_in_thread

__all__ = ["SandboxConnectorRegistry", "create_app", "sandbox_connectors", "serve_in_thread"]


class SandboxConnectorRegistry(ConnectorRegistry):
    """A connector registry wired to a sandbox running in this process (tests, demos)."""

    server: SandboxServer

    @property
    def url(self) -> str:
        return self.server.url

    def close(self) -> None:
        self.server.close()

    def __enter__(self) -> SandboxConnectorRegistry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def sandbox_connectors(
    session_factory: Callable[[], Any] | None = None,
    *,
    timeout: float = 5.0,
    retries: int = 2,
    backoff: float = 0.05,
    **app_options: Any,
) -> SandboxConnectorRegistry:
    """Start the sandbox on a free localhost port (background thread, real HTTP) and return
    a registry whose adapters talk to it. ``app_options`` go to
    :func:`toantrinh.sandbox.app.create_app` (``delays``, ``failures``, ``api_key`` …).
    The ``edata`` connector is added when ``session_factory`` is given. Call ``close()``.
    """
    server = serve_in_thread(create_app(**app_options))
    built = build_connectors(
        {
            "registry_url": server.url,
            "api_key": app_options.get("api_key"),
            "timeout": timeout,
            "retries": retries,
            "backoff": backoff,
            "edata": session_factory is not None,
            "session_factory": session_factory,
        }
    )
    registry = SandboxConnectorRegistry()
    for connector_id in built.ids():
        registry.register(built._connectors[connector_id])
    registry.server = server
    return registry
