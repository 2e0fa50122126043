"""Connectors: how service tasks reach national databases and other systems.

A BPMN service task names an operation ``<connector>.<operation>`` (for example
``population.lookup``) with parameters evaluated over the dossier's data. The engine
hands the call to a :class:`ConnectorRegistry`, which dispatches it to the connector
registered under that prefix. A connector returns a JSON-serialisable ``dict``.

Failures are raised as :class:`ConnectorError` so that the engine can fail the task with
a clear message (SpiffWorkflow would otherwise mask them as ``NameError: script``) and
leave the dossier retryable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol


class ConnectorError(Exception):
    """A connector call failed; the dossier stays where it was and can be retried.

    ``retryable`` says whether trying again later may succeed (timeout, registry down)
    or not (unknown operation, record not found, bad parameters).
    """

    def __init__(self, message: str, *, operation: str = "", retryable: bool = True):
        super().__init__(message)
        self.operation = operation
        self.retryable = retryable


class Connector(Protocol):
    """One external system (a national database, a payment gateway, …)."""

    id: str

    def call(self, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """Run ``operation`` with ``params``; return a JSON-serialisable dict."""
        ...


class FunctionConnector:
    """A connector made of plain functions, one per operation (in-process systems)."""

    def __init__(self, id: str, operations: Mapping[str, Callable[..., dict[str, Any]]]):
        self.id = id
        self._operations = dict(operations)

    def call(self, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
        func = self._operations.get(operation)
        if func is None:
            raise ConnectorError(
                f"Kết nối '{self.id}' không có thao tác '{operation}'",
                operation=f"{self.id}.{operation}",
                retryable=False,
            )
        return func(**params)


class ConnectorRegistry:
    """Dispatches ``<connector>.<operation>`` calls to registered connectors."""

    def __init__(self, connectors: Mapping[str, Connector] | None = None):
        self._connectors: dict[str, Connector] = dict(connectors or {})

    def register(self, connector: Connector) -> None:
        self._connectors[connector.id] = connector

    def __contains__(self, connector_id: str) -> bool:
        return connector_id in self._connectors

    def ids(self) -> list[str]:
        return sorted(self._connectors)

    def has_operation(self, name: str) -> bool:
        return name.partition(".")[0] in self._connectors

    def call(self, name: str, params: Mapping[str, Any]) -> dict[str, Any]:
        connector_id, _, operation = name.partition(".")
        connector = self._connectors.get(connector_id)
        if connector is None or not operation:
            raise ConnectorError(
                f"Không có kết nối cho thao tác '{name}'", operation=name, retryable=False
            )
        try:
            result = connector.call(operation, params)
        except ConnectorError as err:
            err.operation = err.operation or name
            raise
        except Exception as err:  # a connector bug must not look like a script error
            raise ConnectorError(
                f"Lỗi khi gọi '{name}': {type(err).__name__}: {err}", operation=name
            ) from err
        if not isinstance(result, dict):
            raise ConnectorError(
                f"Thao tác '{name}' trả về {type(result).__name__}, cần một đối tượng JSON",
                operation=name,
                retryable=False,
            )
        return result
