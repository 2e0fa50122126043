"""National-registry connectors (kết nối CSDL quốc gia) and the e-data warehouse connector,
assembled into a :class:`~toantrinh.engine.connectors.ConnectorRegistry`. The sandbox registry
service they can talk to is the top-level package :mod:`sandbox`.

Configuration (a dict, else environment variables; see docs/registries.md):

* ``registry_url`` (or ``base_url``) — ``TOANTRINH_REGISTRY_URL``, default
  ``http://127.0.0.1:8765``;
* ``api_key`` — ``TOANTRINH_REGISTRY_API_KEY``; ``timeout`` — ``TOANTRINH_REGISTRY_TIMEOUT``
  (5 s); ``retries`` — ``TOANTRINH_REGISTRY_RETRIES`` (2);
* ``registries`` — per-registry ``url``/``api_key``/``timeout``/``enabled``, also
  ``TOANTRINH_REGISTRY_<ID>_URL`` and ``TOANTRINH_REGISTRY_<ID>_API_KEY``;
* ``session_factory`` — sessions for the ``edata`` connector (default: ``DATABASE_URL``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from toantrinh.engine.connectors import ConnectorRegistry
from toantrinh.engine.db import make_engine, make_sessionmaker
from toantrinh.engine.registries.catalog import load_catalog
from toantrinh.engine.registries.http import ADAPTERS, HttpRegistryConnector
from toantrinh.engine.warehouse import edata_connector

DEFAULT_REGISTRY_URL = "http://127.0.0.1:8765"

__all__ = [
    "ADAPTERS",
    "HttpRegistryConnector",
    "build_connectors",
]


def _setting(config: Mapping[str, Any], key: str, env: str, default: Any) -> Any:
    if config.get(key) is not None:
        return config[key]
    return os.environ.get(env, default)


def build_connectors(config: dict | None = None) -> ConnectorRegistry:
    """Register an HTTP adapter per national database plus the ``edata`` warehouse connector."""
    config = dict(config or {})
    registry = ConnectorRegistry()
    catalog = load_catalog(config.get("catalog"))
    if config.get("registry_url") is None and config.get("base_url"):
        config["registry_url"] = config["base_url"]  # the name cli/main.py uses
    base_url = _setting(config, "registry_url", "TOANTRINH_REGISTRY_URL", DEFAULT_REGISTRY_URL)
    api_key = _setting(config, "api_key", "TOANTRINH_REGISTRY_API_KEY", None)
    timeout = float(_setting(config, "timeout", "TOANTRINH_REGISTRY_TIMEOUT", 5))
    retries = int(_setting(config, "retries", "TOANTRINH_REGISTRY_RETRIES", 2))
    overrides: Mapping[str, Mapping[str, Any]] = config.get("registries") or {}
    for registry_id, adapter in ADAPTERS.items():
        if registry_id not in catalog.registries:
            continue
        own = dict(overrides.get(registry_id, {}))
        if own.get("enabled") is False:
            continue
        env = f"TOANTRINH_REGISTRY_{registry_id.upper()}"
        registry.register(
            adapter(
                own.get("url") or os.environ.get(f"{env}_URL") or base_url,
                api_key=own.get("api_key") or os.environ.get(f"{env}_API_KEY") or api_key,
                timeout=float(own.get("timeout", timeout)),
                retries=int(own.get("retries", retries)),
                backoff=float(own.get("backoff", config.get("backoff", 0.2))),
                catalog=catalog,
            )
        )
    if config.get("edata", True):
        registry.register(edata_connector(config.get("session_factory") or _default_sessions()))
    return registry


def _default_sessions() -> Callable[[], Any]:
    """Sessions on ``DATABASE_URL``, created on first use (not at import)."""
    state: dict[str, Any] = {}

    def factory():
        if "maker" not in state:
            state["maker"] = make_sessionmaker(make_engine())
        return state["maker"]()

    return factory
