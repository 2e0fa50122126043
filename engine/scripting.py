"""Safe scripts and expressions for BPMN models.

BPMN scripts, gateway conditions, timer expressions and service-task parameters are
author input. SpiffWorkflow's default environment runs them with ``eval``/``exec`` and
full builtins, which lets a model reach the host (``__import__('os')``, attribute walks
such as ``().__class__.__base__.__subclasses__()``, ``open``). Here they are:

1. **checked** against a small language (an AST allow-list) — at deploy time for every
   script and expression in the model, and again before running (cached);
2. **rewritten** so that ``*``, ``**`` and ``<<`` go through size guards (no
   ``'a' * 10**10``, no ``10 ** 10 ** 10``), and ``range`` is capped;
3. **run** with a tiny builtins table and a time budget enforced by a line tracer.

The language: literals, names, arithmetic, comparisons, boolean logic, ``if``,
``for`` over bounded iterables, comprehensions, subscripts, f-strings, assignments,
calls of the functions in :data:`SAFE_FUNCTIONS` and of a few read-only methods
(:data:`SAFE_METHODS`). No ``import``, no ``while``, no function/class definitions,
no names or attributes starting with ``_``.
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
import json
import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from engine.workflow import current_operation

MAX_SECONDS = 1.0
# a journaled operation's scripts, run again to rebuild a dossier (engine/journal.py),
# get this many times their budget
REPLAY_BUDGET = 10
MAX_RANGE = 1_000_000
MAX_SEQUENCE = 1_000_000
MAX_EXPONENT_BITS = 4096
MAX_FORMAT_WIDTH = 1000
# growth of the process's resident memory a script may cause, checked by the line tracer
MAX_SCRIPT_MEMORY = 256 * 1024 * 1024


class UnsafeScriptError(ValueError):
    """A script or expression uses something outside the safe language."""

    def __init__(self, problems: list[str], source: str):
        self.problems = problems
        self.source = source
        super().__init__("; ".join(problems))


class ScriptLimitError(RuntimeError):
    """A script exceeded its time or size budget."""


def _bounded_range(*args: int) -> range:
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise ScriptLimitError(f"range() quá lớn ({len(r)} phần tử, tối đa {MAX_RANGE})")
    return r


def _days_between(start: str, end: str) -> int:
    return (dt.date.fromisoformat(str(end)[:10]) - dt.date.fromisoformat(str(start)[:10])).days


def _today() -> str:
    from engine.clock import now

    return now().date().isoformat()


def _add_days(date: str, days: int) -> str:
    return (dt.date.fromisoformat(str(date)[:10]) + dt.timedelta(days=int(days))).isoformat()


def _age(date_of_birth: str, on: str | None = None) -> int:
    born = dt.date.fromisoformat(str(date_of_birth)[:10])
    ref = dt.date.fromisoformat(str(on)[:10]) if on else dt.date.fromisoformat(_today())
    return ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))


SAFE_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "len": len,
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "min": min,
    "max": max,
    "sum": sum,
    "round": round,
    "abs": abs,
    "sorted": sorted,
    "any": any,
    "all": all,
    "range": _bounded_range,
    "list": list,
    "dict": dict,
    "set": set,
    "tuple": tuple,
    "enumerate": enumerate,
    "zip": zip,
    "today": _today,
    "add_days": _add_days,
    "days_between": _days_between,
    "age": _age,
}

SAFE_CONSTANTS = {"True": True, "False": False, "None": None}

# Read-only (or container-local) methods that can be called on data values. ``format``
# and ``format_map`` are excluded: format strings can walk attributes ("{0.__class__}").
SAFE_METHODS = frozenset(
    {
        "get",
        "keys",
        "values",
        "items",
        "copy",
        "append",
        "extend",
        "insert",
        "pop",
        "remove",
        "index",
        "count",
        "update",
        "setdefault",
        "upper",
        "lower",
        "strip",
        "lstrip",
        "rstrip",
        "split",
        "join",
        "startswith",
        "endswith",
        "replace",
        "title",
        "capitalize",
        "isdigit",
        "isalpha",
        "isalnum",
        "zfill",
        "isoformat",
        "add",
        "discard",
        "union",
        "intersection",
        "difference",
    }
)

_ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Module,
    ast.Expression,
    ast.Expr,
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.If,
    ast.For,
    ast.Break,
    ast.Continue,
    ast.Pass,
    ast.Delete,
    ast.Name,
    ast.Load,
    ast.Store,
    ast.Del,
    ast.Constant,
    ast.Attribute,
    ast.Subscript,
    ast.Slice,
    ast.List,
    ast.Tuple,
    ast.Dict,
    ast.Set,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.comprehension,
    ast.BoolOp,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.keyword,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.And,
    ast.Or,
    ast.Not,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.FloorDiv,
    ast.Mod,
    ast.Pow,
    ast.USub,
    ast.UAdd,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
    ast.BitAnd,
    ast.BitOr,
    ast.BitXor,
    ast.LShift,
    ast.RShift,
    ast.Invert,
    ast.Starred,
)

_FORBIDDEN_HINTS = {
    ast.Import: "không được import",
    ast.ImportFrom: "không được import",
    ast.While: "không được dùng vòng lặp while (dùng for trên một dãy hữu hạn)",
    ast.Lambda: "không được dùng lambda",
    ast.FunctionDef: "không được định nghĩa hàm",
    ast.AsyncFunctionDef: "không được định nghĩa hàm",
    ast.ClassDef: "không được định nghĩa lớp",
    ast.Global: "không được dùng global",
    ast.Nonlocal: "không được dùng nonlocal",
    ast.With: "không được dùng with",
    ast.Try: "không được dùng try",
    ast.Raise: "không được dùng raise",
    ast.Yield: "không được dùng yield",
    ast.Await: "không được dùng await",
    ast.NamedExpr: "không được dùng toán tử :=",
}


def check(source: str, mode: str = "exec") -> list[str]:
    """Return the problems that make ``source`` unsafe (empty when it is safe).

    >>> check("x = a + 1")
    []
    >>> check("__import__('os')")[0].startswith("tên")
    True
    """
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as err:
        return [f"lỗi cú pháp ở dòng {err.lineno}: {err.msg}"]
    problems: list[str] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", None)
        where = f" (dòng {line})" if line else ""
        hint = _FORBIDDEN_HINTS.get(type(node))
        if hint:
            problems.append(hint + where)
            continue
        if not isinstance(node, _ALLOWED_NODES):
            problems.append(f"cú pháp '{type(node).__name__}' không được phép{where}")
            continue
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            problems.append(f"tên '{node.id}' bắt đầu bằng '_' không được phép{where}")
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("_"):
                problems.append(f"thuộc tính '{node.attr}' không được phép{where}")
            elif not (isinstance(node.ctx, ast.Load) and node.attr in SAFE_METHODS):
                problems.append(
                    f"thuộc tính '.{node.attr}' không được phép; chỉ gọi các phương thức "
                    f"an toàn như .get(), .keys(), .upper(){where}"
                )
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                if func.id not in SAFE_FUNCTIONS:
                    problems.append(f"hàm '{func.id}' không được phép{where}")
            elif not isinstance(func, ast.Attribute):
                problems.append(f"chỉ được gọi hàm theo tên{where}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str | bytes)
            and len(node.value) > 100_000
        ):
            problems.append(f"hằng chuỗi quá dài{where}")
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            problems.extend(_format_spec_problems(node.format_spec, where))
    return problems


def uses_sets(source: str, mode: str = "exec") -> bool:
    """Whether ``source`` builds a set (a literal, a comprehension or ``set()``): the order
    in which a set of strings is walked changes from one process to the next (hash
    randomisation), so a step that walks one cannot be replayed to the same result.

    >>> uses_sets("names = sorted(set(a))"), uses_sets("x = a + 1")
    (True, False)
    """
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError:
        return False
    return any(
        isinstance(node, ast.Set | ast.SetComp)
        or (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "set"
        )
        for node in ast.walk(tree)
    )


_WIDTH = re.compile(r"\d+")


def _format_spec_problems(spec: ast.AST, where: str) -> list[str]:
    parts = spec.values if isinstance(spec, ast.JoinedStr) else [spec]
    if any(not isinstance(p, ast.Constant) for p in parts):
        return [f"định dạng trong f-string phải là hằng{where}"]
    text = "".join(str(p.value) for p in parts)
    if any(int(n) > MAX_FORMAT_WIDTH for n in _WIDTH.findall(text)):
        return [f"độ rộng định dạng quá lớn (tối đa {MAX_FORMAT_WIDTH}){where}"]
    return []


def _too_big(n: int, what: str) -> None:
    if n > MAX_SEQUENCE:
        raise ScriptLimitError(f"{what} tạo kết quả quá lớn ({n} phần tử, tối đa {MAX_SEQUENCE})")


def _guard_add(a: Any, b: Any) -> Any:
    if isinstance(a, str | bytes | list | tuple) and isinstance(b, str | bytes | list | tuple):
        _too_big(len(a) + len(b), "phép cộng chuỗi/danh sách")
    return a + b


def _guard_mod(a: Any, b: Any) -> Any:
    if isinstance(a, str) and (
        "*" in a or any(int(n) > MAX_FORMAT_WIDTH for n in _WIDTH.findall(a))
    ):
        raise ScriptLimitError("định dạng '%' có độ rộng quá lớn")
    return a % b


def _guard_method(obj: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """Size checks before the methods that can allocate without bound in one call."""
    if name == "zfill" and args:
        _too_big(int(args[0]), "zfill()")
    elif name == "replace" and isinstance(obj, str) and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        count = obj.count(old) if old else len(obj) + 1
        if len(args) > 2 and int(args[2]) >= 0:
            count = min(count, int(args[2]))
        _too_big(len(obj) + count * (len(new) - len(old)), "replace()")
    elif name == "join" and isinstance(obj, str | bytes) and args:
        items = list(args[0])
        _too_big(len(items), "join()")
        _too_big(
            sum(len(i) for i in items if isinstance(i, str | bytes))
            + len(obj) * max(len(items) - 1, 0),
            "join()",
        )
        args = (items,)
    elif name in ("extend", "update", "union") and args:
        extra = args[0] if hasattr(args[0], "__len__") else list(args[0])
        _too_big(len(obj) + len(extra), f"{name}()")
        args = (extra, *args[1:])
    elif name in ("append", "insert", "add", "setdefault") and hasattr(obj, "__len__"):
        _too_big(len(obj) + 1, f"{name}()")
    return getattr(obj, name)(*args, **kwargs)


_GUARDED_METHODS = frozenset(
    {
        "zfill",
        "replace",
        "join",
        "extend",
        "update",
        "union",
        "append",
        "insert",
        "add",
        "setdefault",
    }
)


def _guard_mult(a: Any, b: Any) -> Any:
    for seq, n in ((a, b), (b, a)):
        if (
            isinstance(seq, str | bytes | list | tuple)
            and isinstance(n, int)
            and len(seq) * max(n, 0) > MAX_SEQUENCE
        ):
            raise ScriptLimitError("phép nhân chuỗi/danh sách tạo kết quả quá lớn")
    return a * b


def _guard_pow(a: Any, b: Any) -> Any:
    if (
        isinstance(a, int)
        and isinstance(b, int)
        and abs(a) > 1
        and b > 0
        and b * max(abs(a).bit_length(), 1) > MAX_EXPONENT_BITS
    ):
        raise ScriptLimitError("phép lũy thừa tạo số quá lớn")
    return a**b


def _guard_lshift(a: Any, b: Any) -> Any:
    if isinstance(b, int) and b > MAX_EXPONENT_BITS:
        raise ScriptLimitError("phép dịch bit tạo số quá lớn")
    return a << b


_GUARDS = {
    ast.Mult: "_tt_mult",
    ast.Pow: "_tt_pow",
    ast.LShift: "_tt_lshift",
    ast.Add: "_tt_add",
    ast.Mod: "_tt_mod",
}
_GUARD_FUNCS = {
    "_tt_mult": _guard_mult,
    "_tt_pow": _guard_pow,
    "_tt_lshift": _guard_lshift,
    "_tt_add": _guard_add,
    "_tt_mod": _guard_mod,
    "_tt_method": _guard_method,
}


class _Guarder(ast.NodeTransformer):
    """Route size-sensitive operators and methods through the guards (after :func:`check`)."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _GUARDED_METHODS:
            call = ast.Call(
                func=ast.Name(id="_tt_method", ctx=ast.Load()),
                args=[func.value, ast.Constant(func.attr), *node.args],
                keywords=node.keywords,
            )
            return ast.copy_location(call, node)
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        guard = _GUARDS.get(type(node.op))
        if guard is None:
            return node
        return ast.copy_location(
            ast.Call(
                func=ast.Name(id=guard, ctx=ast.Load()), args=[node.left, node.right], keywords=[]
            ),
            node,
        )

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        guard = _GUARDS.get(type(node.op))
        if guard is None:
            return node
        load_target = copy.deepcopy(node.target)
        for sub in ast.walk(load_target):
            if hasattr(sub, "ctx"):
                sub.ctx = ast.Load()
        call = ast.Call(
            func=ast.Name(id=guard, ctx=ast.Load()), args=[load_target, node.value], keywords=[]
        )
        return ast.copy_location(ast.Assign(targets=[node.target], value=call), node)


@lru_cache(maxsize=4096)
def compile_safe(source: str, mode: str = "exec"):
    """Check and compile ``source``; raise :class:`UnsafeScriptError` when unsafe."""
    problems = check(source, mode)
    if problems:
        raise UnsafeScriptError(problems, source)
    tree = ast.fix_missing_locations(_Guarder().visit(ast.parse(source, mode=mode)))
    return compile(tree, "<bpmn-script>", mode)


def _resident_bytes() -> int:
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except OSError:  # not Linux: rely on the per-operation size guards alone
        return 0


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class _Deadline:
    """A line tracer that stops a script past its time or memory budget."""

    def __init__(self, seconds: float):
        self.until = time.monotonic() + seconds
        self.ticks = 0
        # the memory baseline is read at the first check, not before every script: most
        # conditions and scripts end before it (a read of /proc costs as much as they do)
        self.memory_limit: int | None = None

    def __call__(self, frame, event, arg):
        self.ticks += 1
        if self.ticks & 0xF == 0:
            if self.ticks & 0x3FF == 0 and time.monotonic() > self.until:
                raise ScriptLimitError("kịch bản chạy quá thời gian cho phép")
            resident = _resident_bytes()
            if self.memory_limit is None:
                self.memory_limit = resident + MAX_SCRIPT_MEMORY
            elif resident > self.memory_limit:
                raise ScriptLimitError("kịch bản dùng quá nhiều bộ nhớ")
        return self


def _run(code, namespace: dict[str, Any], mode: str, seconds: float) -> Any:
    previous = sys.gettrace()
    tracer = _Deadline(seconds)
    sys.settrace(tracer)
    try:
        if mode == "eval":
            return eval(code, namespace)
        exec(code, namespace)
        return None
    finally:
        sys.settrace(previous)


def _globals() -> dict[str, Any]:
    g: dict[str, Any] = {"__builtins__": {}}
    g.update(SAFE_FUNCTIONS)
    g.update(_GUARD_FUNCS)
    return g


_IMMUTABLE = frozenset(
    {str, int, float, bool, type(None), bytes, dt.date, dt.datetime, dt.time, Decimal}
)
_RESERVED = set(SAFE_FUNCTIONS) | set(_GUARD_FUNCS) | {"__builtins__"}


def _copied(value: Any) -> Any:
    """A copy of a data value that shares nothing mutable with it. Task data is JSON-like
    (dicts and lists of strings, numbers, dates): those are copied by a plain walk,
    several times faster than ``copy.deepcopy`` and its memo; anything else by deepcopy."""
    kind = type(value)
    if kind in _IMMUTABLE:
        return value
    if kind is dict:
        return {k: _copied(v) for k, v in value.items()}
    if kind is list:
        return [_copied(v) for v in value]
    return copy.deepcopy(value)


def evaluate(expression: str, data: Mapping[str, Any], seconds: float = MAX_SECONDS) -> Any:
    """Evaluate a safe expression over ``data``."""
    code = compile_safe(expression.strip(), "eval")
    namespace = _globals()
    namespace.update({k: v for k, v in data.items() if k not in _RESERVED})
    return _run(code, namespace, "eval", seconds)


def execute(script: str, data: dict[str, Any], seconds: float = MAX_SECONDS) -> None:
    """Run a safe script; ``data`` is updated only if the script succeeds."""
    code = compile_safe(script, "exec")
    namespace = _globals()
    # a copy, so that a script that fails changes nothing; values of immutable types need
    # none (most of a dossier's data: strings, numbers, dates)
    namespace.update({k: _copied(v) for k, v in data.items() if k not in _RESERVED})
    _run(code, namespace, "exec", seconds)
    result = {
        k: v
        for k, v in namespace.items()
        if k not in _RESERVED and not callable(v) and not k.startswith("_")
    }
    data.clear()
    data.update(result)


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
        data = dict(context)
        if external_context:
            data.update(external_context)
        operation = current_operation()
        if operation is not None and operation.replaying:
            return evaluate(expression, data, MAX_SECONDS * REPLAY_BUDGET)
        return evaluate(expression, data)

    def execute(self, script, context, external_context=None):
        operation = current_operation()
        if operation is not None and operation.replaying:
            # it ran to its end within its budget once, on these very data: a replay on a
            # slower or busier host must not fail where the step itself succeeded
            execute(script, context, MAX_SECONDS * REPLAY_BUDGET)
        else:
            execute(script, context)
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
        from engine.connectors import ConnectorError

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
        compile_safe(expression, "eval")

    def call_service(self, task, **kwargs):
        return self.environment.call_service(task.data, **kwargs)
