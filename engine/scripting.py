"""Safe scripts and expressions for BPMN models, and their SpiffWorkflow environment.

BPMN scripts, gateway conditions, timer expressions and service-task parameters are
author input. SpiffWorkflow's default environment runs them with ``eval``/``exec`` and
full builtins, which lets a model reach the host. Here they go through the sandbox of
:mod:`toantrinh.engine.safescript`:

1. the **allow-list** (:mod:`toantrinh.engine.safescript.language`): checked at deploy for every
   script and expression of a model, and again before running (cached);
2. the **inline tier** (:mod:`toantrinh.engine.safescript.inline`): an expression or a few
   independent assignments over small data, in a language that cannot call anything
   costly, runs in this process (most conditions and timers: a few microseconds);
3. everything else runs in a **worker process** (:mod:`toantrinh.engine.safescript.pool`) under
   an address-space and a CPU-time limit, killed and replaced when it passes its
   budget (:data:`MAX_SECONDS`, ten times that when a journaled step is replayed);
4. what a script or expression leaves is **bounded** (:mod:`toantrinh.engine.safescript.bounds`:
   values, characters, nesting depth, storable types) before it reaches the task data.

A script sees, and can change, only the task data it names; the rest of the data is
left as it was. Data go to and from a worker as plain values.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import ChainMap
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from toantrinh.engine import clock
from toantrinh.engine.connectors import ConnectorError
from toantrinh.engine.safescript import inline
from toantrinh.engine.safescript.language import (
    ScriptLimitError,
    UnsafeScriptError,
    check,
    names_of,
    parse_safe,
    uses_sets,
)
from toantrinh.engine.safescript.pool import pool
from toantrinh.engine.workflow import current_operation

__all__ = [
    "MAX_SECONDS",
    "REPLAY_BUDGET",
    "SafeEnvironment",
    "SafeScriptEngine",
    "ScriptLimitError",
    "ServiceCallError",
    "UnsafeScriptError",
    "check",
    "evaluate",
    "execute",
    "uses_sets",
]


def _seconds_setting() -> float:
    try:
        return max(0.01, float(os.environ.get("TOANTRINH_SCRIPT_SECONDS", "1") or 1))
    except ValueError:
        return 1.0


#: the wall-clock budget of one script or expression, in seconds
MAX_SECONDS = _seconds_setting()
# a journaled operation's scripts, run again to rebuild a dossier (engine/store/journal.py),
# get this many times their budget
REPLAY_BUDGET = 10


def _budget() -> float:
    operation = current_operation()
    if operation is not None and operation.replaying:
        # it ran to its end within its budget once, on these very data: a replay on a
        # slower or busier host must not fail where the step itself succeeded
        return MAX_SECONDS * REPLAY_BUDGET
    return MAX_SECONDS


def _today() -> str:
    return clock.now().date().isoformat()


def evaluate(expression: str, data: Mapping[str, Any], seconds: float | None = None) -> Any:
    """The value of a safe expression over ``data`` (which it does not change)."""
    source = expression.strip()
    today = _today()
    try:
        return inline.evaluate(source, data, today)
    except inline.NeedsWorker:
        pass
    inputs = {n: data[n] for n in names_of(source, "eval") if n in data}
    return pool().run("eval", source, inputs, today, seconds or MAX_SECONDS)


def execute(script: str, data: dict[str, Any], seconds: float | None = None) -> None:
    """Run a safe script over ``data``; ``data`` is updated only if the script succeeds,
    and only in the names the script uses."""
    today = _today()
    try:
        left = inline.execute(script, data, today)
    except inline.NeedsWorker:
        inputs = {n: data[n] for n in names_of(script, "exec") if n in data}
        left = pool().run("exec", script, inputs, today, seconds or MAX_SECONDS)
    data.update(left)
    for name in names_of(script, "exec"):
        if name not in left:
            data.pop(name, None)  # deleted by the script, or bound to a function


class ServiceCallError(Exception):
    """Carries a connector failure out of SpiffWorkflow without masking it."""

    def __init__(self, original: Exception):
        super().__init__(str(original))
        self.original = original


class SafeEnvironment(BasePythonScriptEngineEnvironment):
    """SpiffWorkflow environment that runs only the safe language."""

    def __init__(self, connectors=None):
        super().__init__({})
        self.connectors = connectors

    def evaluate(self, expression, context, external_context=None):
        data = ChainMap(external_context, context) if external_context else context
        return evaluate(expression, data, _budget())

    def execute(self, script, context, external_context=None):
        execute(script, context, _budget())
        return True

    def call_service(self, context, operation_name=None, operation_params=None, **_):
        operation = current_operation()
        if operation is not None and operation.replaying:
            return operation.recorded_call(operation_name or "")
        answer = self._call(operation_name, operation_params)
        if operation is not None:
            operation.calls.append([operation_name or "", answer])
        return answer

    def _call(self, operation_name, operation_params) -> str:
        params = {name: p["value"] for name, p in (operation_params or {}).items()}
        if self.connectors is None:
            raise ServiceCallError(
                ConnectorError(
                    f"Không có kết nối nào được cấu hình cho '{operation_name}'",
                    operation=operation_name or "",
                    retryable=False,
                )
            )
        try:
            result = self.connectors.call(operation_name, params)
        except ConnectorError as err:
            raise ServiceCallError(err) from err
        return json.dumps(result, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} không chuyển được sang JSON")


class SafeScriptEngine(PythonScriptEngine):
    """PythonScriptEngine whose environment is :class:`SafeEnvironment`.

    ``call_service`` is overridden because SpiffWorkflow 3.x wraps connector exceptions
    in a ``NameError`` about an undefined ``script`` variable, hiding the real cause.
    """

    def __init__(self, connectors=None):
        super().__init__(environment=SafeEnvironment(connectors))

    def validate(self, expression):
        parse_safe(expression, "eval")

    def call_service(self, task, **kwargs):
        return self.environment.call_service(task.data, **kwargs)
