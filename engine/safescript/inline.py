"""The inline tier: the tiny language that runs in the caller's process.

Gateway conditions, timer expressions, message payloads and most scripts of a procedure
library are one expression (``approved == True``, ``"P5D"``, ``{"link_id": link_id}``)
or a few independent assignments (``result = "issued"``). Sending each to a worker
process would cost a pipe round trip and two pickles for a few microseconds of work
(``bench/script_overhead.py``); they run here instead, when they are in a language that
*cannot run long or build much*:

* an expression, or a script of assignments to plain names none of which reads a name
  an earlier one assigned (straight-line code that cannot compound what it builds);
* no loops or comprehensions; calls only of :data:`FUNCTIONS` and :data:`METHODS`,
  none of which changes a value in place or builds more than its input
  (``round`` with a small constant number of digits only);
* at most :data:`MAX_NODES` syntax nodes;

and when the task data it reads is small (:data:`INPUT_ITEMS` values,
:data:`INPUT_TEXT` characters, :data:`INPUT_DEPTH` levels). Every operation then works
on a bounded input and each value is made once; ``+`` and ``*`` on sequences stop at
:data:`MAX_BUILT` items (lists are not repeated at all, which is how nested shared lists
such as ``[[0]*1000]*3000`` are built). Anything outside this raises
:class:`NeedsWorker` before it does any work or, for a size found at run time, as soon
as an operation would pass the bound; the caller then runs the same source in a worker
process (:mod:`toantrinh.engine.safescript.pool`) with the full language and its limits. An
inline run changes nothing in the data it reads, so running it again there is safe.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from toantrinh.engine.safescript import bounds
from toantrinh.engine.safescript.language import (
    compile_safe,
    guard_add,
    guard_mod,
    guard_mult,
    left_behind,
    names_of,
    namespace,
    parse_safe,
)

FUNCTIONS = frozenset(
    {
        "len",
        "str",
        "int",
        "float",
        "bool",
        "abs",
        "round",
        "min",
        "max",
        "any",
        "all",
        "sum",
        "sorted",
        "list",
        "tuple",
        "dict",
        "today",
        "add_days",
        "days_between",
        "age",
    }
)
METHODS = frozenset(
    {
        "get",
        "keys",
        "values",
        "items",
        "copy",
        "upper",
        "lower",
        "strip",
        "lstrip",
        "rstrip",
        "split",
        "startswith",
        "endswith",
        "title",
        "capitalize",
        "isdigit",
        "isalpha",
        "isalnum",
        "isoformat",
        "index",
        "count",
        "union",
        "intersection",
        "difference",
    }
)
MAX_NODES = 200
INPUT_ITEMS = 1_000
INPUT_TEXT = 10_000
INPUT_DEPTH = 10
MAX_BUILT = 10_000
MAX_ROUND_DIGITS = 100

_EXPRESSION_NODES: tuple[type[ast.AST], ...] = (
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.IfExp,
    ast.Subscript,
    ast.Slice,
    ast.List,
    ast.Tuple,
    ast.Dict,
    ast.Set,
    ast.Call,
    ast.keyword,
    ast.Attribute,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.operator,
    ast.unaryop,
    ast.cmpop,
)


class NeedsWorker(Exception):
    """The inline tier cannot run this source on these data: run it in a worker."""


def _inline_expression(node: ast.AST) -> bool:
    """Whether an expression is in the tiny language (the safe-language check passed)."""
    methods = set()
    for sub in ast.walk(node):
        if not isinstance(sub, _EXPRESSION_NODES):
            return False
        if isinstance(sub, ast.Call):
            if not _inline_call(sub):
                return False
            if isinstance(sub.func, ast.Attribute):
                methods.add(id(sub.func))
        elif isinstance(sub, ast.Attribute) and id(sub) not in methods:
            return False  # a method not called (ast.walk reaches a call before its func)
    return True


def _inline_call(call: ast.Call) -> bool:
    func = call.func
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return False
    if isinstance(func, ast.Attribute):
        return func.attr in METHODS
    if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
        return False
    if func.id == "round" and (len(call.args) > 1 or call.keywords):
        # round(5, -10**9) computes 10**(10**9): only a small constant number of digits
        digits = call.args[1] if len(call.args) > 1 else None
        return (
            not call.keywords
            and isinstance(digits, ast.Constant)
            and type(digits.value) is int
            and abs(digits.value) <= MAX_ROUND_DIGITS
        )
    return True


def _inline_script(tree: ast.Module) -> bool:
    assigned: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.Pass):
            continue
        if not isinstance(statement, ast.Assign) or not all(
            isinstance(t, ast.Name) for t in statement.targets
        ):
            return False
        if not _inline_expression(statement.value):
            return False
        reads = {n.id for n in ast.walk(statement.value) if isinstance(n, ast.Name)}
        if reads & assigned:
            return False
        assigned.update(t.id for t in statement.targets)
    return True


@lru_cache(maxsize=4096)
def plan(source: str, mode: str):
    """The compiled code of ``source`` when it is in the tiny language, else ``None``
    (raises :class:`~toantrinh.engine.safescript.language.UnsafeScriptError` when unsafe)."""
    tree = parse_safe(source, mode)
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        return None
    inline = (
        _inline_expression(tree.body) if mode == "eval" else _inline_script(tree)  # type: ignore[attr-defined]
    )
    return compile_safe(source, mode) if inline else None


def _inline_mult(a: Any, b: Any) -> Any:
    for seq, n in ((a, b), (b, a)):
        if type(n) is int or type(n) is bool:
            if isinstance(seq, list | tuple):
                raise NeedsWorker
            if isinstance(seq, str | bytes) and len(seq) * n > MAX_BUILT:
                raise NeedsWorker
    return guard_mult(a, b)


def _inline_add(a: Any, b: Any) -> Any:
    if (
        isinstance(a, str | bytes | list | tuple)
        and isinstance(b, str | bytes | list | tuple)
        and len(a) + len(b) > MAX_BUILT
    ):
        raise NeedsWorker
    return guard_add(a, b)


def _inline_mod(a: Any, b: Any) -> Any:
    value = guard_mod(a, b)
    if isinstance(value, str) and len(value) > MAX_BUILT:
        raise NeedsWorker
    return value


_GUARDS = {"_tt_mult": _inline_mult, "_tt_add": _inline_add, "_tt_mod": _inline_mod}


def _inputs(source: str, mode: str, data: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    code = plan(source, mode)
    if code is None:
        raise NeedsWorker
    inputs = {n: data[n] for n in names_of(source, mode) if n in data}
    if not bounds.small(inputs.values(), INPUT_ITEMS, INPUT_TEXT, INPUT_DEPTH):
        raise NeedsWorker
    return code, inputs


def evaluate(source: str, data: Mapping[str, Any], today: str) -> Any:
    """The value of the expression ``source`` over ``data``, computed here; raises
    :class:`NeedsWorker` when it must run in a worker instead."""
    code, inputs = _inputs(source, "eval", data)
    ns = namespace(today, _GUARDS)
    ns.update(inputs)
    value = eval(code, ns)
    bounds.check((value,))
    return value


def execute(source: str, data: Mapping[str, Any], today: str) -> dict[str, Any]:
    """What the script ``source`` leaves of the names it uses, run here over ``data``
    (which it does not change); raises :class:`NeedsWorker` as :func:`evaluate`."""
    code, inputs = _inputs(source, "exec", data)
    ns = namespace(today, _GUARDS)
    ns.update(inputs)
    exec(code, ns)
    left = left_behind(ns, names_of(source, "exec"))
    bounds.check(left.values())
    return left
