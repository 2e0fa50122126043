"""The safe language: an allow-list over Python's syntax tree, and size guards.

BPMN scripts, gateway conditions, timer expressions and service-task parameters are
author input. Here they are:

1. **checked** against a small language (an AST allow-list) — at deploy time for every
   script and expression in the model, and again before running (cached);
2. **rewritten** so that ``*``, ``**``, ``<<``, ``+``, ``%`` and the methods that can
   allocate in one call go through size guards (no ``'a' * 10**10``, no
   ``10 ** 10 ** 10``), and ``range`` is capped.

The language: literals, names, arithmetic, comparisons, boolean logic, ``if``,
``for`` over bounded iterables, comprehensions, subscripts, f-strings, assignments,
calls of the functions in :data:`FUNCTION_NAMES` and of a few methods
(:data:`SAFE_METHODS`). No ``import``, no ``while``, no function/class definitions,
no names or attributes starting with ``_``.

The guards stop the obvious bombs early and with a clear message; what they cannot see
(one builtin call doing quadratic work, a string built from shared nested lists) is
stopped by the worker process's limits (:mod:`toantrinh.engine.safescript.pool`).
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

MAX_RANGE = 1_000_000
MAX_SEQUENCE = 1_000_000
MAX_EXPONENT_BITS = 4096
MAX_FORMAT_WIDTH = 1000
MAX_CONSTANT = 100_000


class UnsafeScriptError(ValueError):
    """A script or expression uses something outside the safe language."""

    def __init__(self, problems: list[str], source: str):
        self.problems = problems
        self.source = source
        super().__init__("; ".join(problems))


class ScriptLimitError(RuntimeError):
    """A script exceeded its time, memory or size budget."""


def _bounded_range(*args: int) -> range:
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise ScriptLimitError(f"range() quá lớn ({len(r)} phần tử, tối đa {MAX_RANGE})")
    return r


def _days_between(start: str, end: str) -> int:
    return (dt.date.fromisoformat(str(end)[:10]) - dt.date.fromisoformat(str(start)[:10])).days


def _add_days(date: str, days: int) -> str:
    return (dt.date.fromisoformat(str(date)[:10]) + dt.timedelta(days=int(days))).isoformat()


def _age_on(today: str) -> Callable[..., int]:
    def age(date_of_birth: str, on: str | None = None) -> int:
        born = dt.date.fromisoformat(str(date_of_birth)[:10])
        ref = dt.date.fromisoformat(str(on or today)[:10])
        return ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))

    return age


_PLAIN_FUNCTIONS: dict[str, Callable[..., Any]] = {
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
    "add_days": _add_days,
    "days_between": _days_between,
}
# today() and age() read the engine clock's date, which the caller passes in (a worker
# process has no engine clock; a replayed operation has its own instant)
FUNCTION_NAMES = frozenset(_PLAIN_FUNCTIONS) | {"today", "age"}

# Methods that can be called on data values. ``format`` and ``format_map`` are excluded:
# format strings can walk attributes ("{0.__class__}").
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
    >>> check("__import__('os')")
    ["hàm '__import__' không được phép (dòng 1)", "tên '__import__' bắt đầu bằng '_' không được phép (dòng 1)"]
    """
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as err:
        return [f"lỗi cú pháp ở dòng {err.lineno}: {err.msg}"]
    except (ValueError, MemoryError, RecursionError) as err:  # NUL bytes, absurd nesting
        return [f"không đọc được biểu thức: {type(err).__name__}"]
    problems: list[str] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", None)
        where = f" (dòng {line})" if line else ""
        problems.extend(_node_problems(node, where))
    return problems


def _node_problems(node: ast.AST, where: str) -> list[str]:
    hint = _FORBIDDEN_HINTS.get(type(node))
    if hint:
        return [hint + where]
    if not isinstance(node, _ALLOWED_NODES):
        return [f"cú pháp '{type(node).__name__}' không được phép{where}"]
    if isinstance(node, ast.Name) and node.id.startswith("_"):
        return [f"tên '{node.id}' bắt đầu bằng '_' không được phép{where}"]
    if isinstance(node, ast.Attribute):
        if node.attr.startswith("_"):
            return [f"thuộc tính '{node.attr}' không được phép{where}"]
        if not (isinstance(node.ctx, ast.Load) and node.attr in SAFE_METHODS):
            return [
                f"thuộc tính '.{node.attr}' không được phép; chỉ gọi các phương thức "
                f"an toàn như .get(), .keys(), .upper(){where}"
            ]
    elif isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            if func.id not in FUNCTION_NAMES:
                return [f"hàm '{func.id}' không được phép{where}"]
        elif not isinstance(func, ast.Attribute):
            return [f"chỉ được gọi hàm theo tên{where}"]
    elif (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str | bytes)
        and len(node.value) > MAX_CONSTANT
    ):
        return [f"hằng chuỗi quá dài{where}"]
    elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
        return _format_spec_problems(node.format_spec, where)
    return []


def uses_sets(source: str, mode: str = "exec") -> bool:
    """Whether ``source`` builds a set (a literal, a comprehension or ``set()``): the order
    in which a set of strings is walked changes from one process to the next (hash
    randomisation), so a step that walks one cannot be replayed to the same result.

    >>> uses_sets("names = sorted(set(a))"), uses_sets("x = a + 1")
    (True, False)
    """
    try:
        tree = ast.parse(source, mode=mode)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
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


# ---------------------------------------------------------------- size guards
_SEQUENCES = (str, bytes, list, tuple)


def too_big(n: int, what: str) -> None:
    if n > MAX_SEQUENCE:
        raise ScriptLimitError(f"{what} tạo kết quả quá lớn ({n} phần tử, tối đa {MAX_SEQUENCE})")


def guard_add(a: Any, b: Any) -> Any:
    if isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
        too_big(len(a) + len(b), "phép cộng chuỗi/danh sách")
    return a + b


def guard_mod(a: Any, b: Any) -> Any:
    if isinstance(a, str) and (
        "*" in a or any(int(n) > MAX_FORMAT_WIDTH for n in _WIDTH.findall(a))
    ):
        raise ScriptLimitError("định dạng '%' có độ rộng quá lớn")
    return a % b


def guard_method(obj: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """Size checks before the methods that can allocate without bound in one call."""
    if isinstance(obj, type):
        # the method reached through its type (``str.zfill('1', 10**9)``): the same call
        # on the instance, so that the same checks apply
        if args and isinstance(args[0], obj):
            return guard_method(args[0], name, *args[1:], **kwargs)
        return getattr(obj, name)(*args, **kwargs)
    if name == "zfill" and args:
        too_big(int(args[0]), "zfill()")
    elif name == "replace" and isinstance(obj, str | bytes) and len(args) >= 2:
        old, new = args[0], args[1]
        count = obj.count(old) if old else len(obj) + 1
        if len(args) > 2 and int(args[2]) >= 0:
            count = min(count, int(args[2]))
        too_big(len(obj) + count * (len(new) - len(old)), "replace()")
    elif name == "join" and isinstance(obj, str | bytes) and args:
        items = list(args[0])
        too_big(len(items), "join()")
        too_big(
            sum(len(i) for i in items if isinstance(i, str | bytes))
            + len(obj) * max(len(items) - 1, 0),
            "join()",
        )
        args = (items,)
    elif name in ("extend", "update", "union") and args:
        extra = args[0] if hasattr(args[0], "__len__") else list(args[0])
        too_big(len(obj) + len(extra), f"{name}()")
        args = (extra, *args[1:])
    elif name in ("append", "insert", "add", "setdefault") and hasattr(obj, "__len__"):
        too_big(len(obj) + 1, f"{name}()")
    return getattr(obj, name)(*args, **kwargs)


GUARDED_METHODS = frozenset(
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


def guard_mult(a: Any, b: Any) -> Any:
    for seq, n in ((a, b), (b, a)):
        if (
            isinstance(seq, _SEQUENCES)
            and isinstance(n, int)
            and len(seq) * max(n, 0) > MAX_SEQUENCE
        ):
            raise ScriptLimitError("phép nhân chuỗi/danh sách tạo kết quả quá lớn")
    return a * b


def guard_pow(a: Any, b: Any) -> Any:
    if (
        isinstance(a, int)
        and isinstance(b, int)
        and abs(a) > 1
        and b > 0
        and b * max(abs(a).bit_length(), 1) > MAX_EXPONENT_BITS
    ):
        raise ScriptLimitError("phép lũy thừa tạo số quá lớn")
    return a**b


def guard_lshift(a: Any, b: Any) -> Any:
    if isinstance(b, int) and b > MAX_EXPONENT_BITS:
        raise ScriptLimitError("phép dịch bit tạo số quá lớn")
    return a << b


# the operators each compiled program routes through a guard, by the guard's name there
OPERATOR_GUARDS = {
    ast.Mult: "_tt_mult",
    ast.Pow: "_tt_pow",
    ast.LShift: "_tt_lshift",
    ast.Add: "_tt_add",
    ast.Mod: "_tt_mod",
}
GUARDS: dict[str, Callable[..., Any]] = {
    "_tt_mult": guard_mult,
    "_tt_pow": guard_pow,
    "_tt_lshift": guard_lshift,
    "_tt_add": guard_add,
    "_tt_mod": guard_mod,
    "_tt_method": guard_method,
}


class Guarder(ast.NodeTransformer):
    """Route size-sensitive operators and methods through the guards (after :func:`check`)."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in GUARDED_METHODS:
            call = ast.Call(
                func=ast.Name(id="_tt_method", ctx=ast.Load()),
                args=[func.value, ast.Constant(func.attr), *node.args],
                keywords=node.keywords,
            )
            return ast.copy_location(call, node)
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        guard = OPERATOR_GUARDS.get(type(node.op))
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
        guard = OPERATOR_GUARDS.get(type(node.op))
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


def parse_safe(source: str, mode: str) -> ast.AST:
    """The syntax tree of ``source``; raise :class:`UnsafeScriptError` when unsafe."""
    problems = check(source, mode)
    if problems:
        raise UnsafeScriptError(problems, source)
    return ast.parse(source, mode=mode)


@lru_cache(maxsize=4096)
def compile_safe(source: str, mode: str = "exec"):
    """Check and compile ``source`` with its size guards."""
    tree = ast.fix_missing_locations(Guarder().visit(parse_safe(source, mode)))
    return compile(tree, "<bpmn-script>", mode)


RESERVED = FUNCTION_NAMES | set(GUARDS) | {"__builtins__"}


@lru_cache(maxsize=4096)
def names_of(source: str, mode: str) -> tuple[str, ...]:
    """The data names ``source`` reads or writes, in a fixed order (first appearance in
    the tree): the only task data a run needs, and the only names it can change.

    >>> names_of("total = fee + len(items)", "exec")
    ('total', 'fee', 'items')
    """
    seen: dict[str, None] = {}
    for node in ast.walk(parse_safe(source, mode)):
        if isinstance(node, ast.Name) and node.id not in RESERVED:
            seen.setdefault(node.id, None)
    return tuple(seen)


@lru_cache(maxsize=8)
def _base_globals(today: str) -> dict[str, Any]:
    g: dict[str, Any] = {"__builtins__": {}}
    g.update(_PLAIN_FUNCTIONS)
    g["today"] = lambda: today
    g["age"] = _age_on(today)
    g.update(GUARDS)
    return g


def namespace(today: str, guards: dict[str, Callable[..., Any]] | None = None) -> dict[str, Any]:
    """A fresh namespace for one run: the functions (``today()`` is ``today``, an ISO
    date) and the guards (``guards`` replaces some, for the inline tier)."""
    g = dict(_base_globals(today))
    if guards:
        g.update(guards)
    return g


def left_behind(ns: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """What a script run leaves of ``names`` in its namespace, in the namespace's order
    (functions a script bound to a name are not data and are dropped)."""
    wanted = set(names)
    return {k: v for k, v in ns.items() if k in wanted and not callable(v)}
