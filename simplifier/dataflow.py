"""What scripts and expressions of a model read and write, from their syntax tree.

SpiffWorkflow scripts and conditions are Python; other tools write JUEL or FEEL
(``${approved}``, ``#{amount > 100}``). Python is read with :mod:`ast`; anything else is
unwrapped and, if it still does not parse, read token by token with :mod:`tokenize`
(names only). Both give a conservative answer: a name that might be read is read.
"""

from __future__ import annotations

import ast
import builtins
import io
import keyword
import tokenize
from functools import lru_cache

_BUILTINS = frozenset(dir(builtins)) | {"true", "false", "null", "not", "and", "or"}


def _unwrap(text: str) -> str:
    """``${x > 1}`` or ``#{x}`` (JUEL) → ``x > 1``; anything else unchanged."""
    stripped = text.strip()
    if stripped[:2] in ("${", "#{") and stripped.endswith("}"):
        return stripped[2:-1]
    return stripped


def _tokens(text: str) -> frozenset[str]:
    names: set[str] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.NAME and not keyword.iskeyword(tok.string):
                names.add(tok.string)
    except (tokenize.TokenError, IndentationError, SyntaxError, ValueError):
        pass
    return frozenset(names - _BUILTINS)


@lru_cache(maxsize=16384)
def expression_names(text: str | None) -> frozenset[str]:
    """Variables an expression reads (gateway conditions, timers, service parameters).

    >>> sorted(expression_names("dossier_valid == True and fee > 0"))
    ['dossier_valid', 'fee']
    >>> sorted(expression_names("${approved && amount > limit}"))
    ['amount', 'approved', 'limit']
    >>> sorted(expression_names("result['status'] == 'ok'"))
    ['result']
    """
    if not text or not text.strip():
        return frozenset()
    source = _unwrap(text)
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _tokens(source.replace("&&", " and ").replace("||", " or "))
    return frozenset(
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in _BUILTINS
    )


@lru_cache(maxsize=16384)
def script_effects(text: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """``(reads, writes)`` of a script: the variables it uses from the workflow data
    before setting them itself, and the variables it sets.

    >>> [sorted(s) for s in script_effects("fee = base * 2\\nif fee > limit:\\n    ok = 1")]
    [['base', 'limit'], ['fee', 'ok']]
    >>> script_effects("applicant['checked'] = True")
    (frozenset({'applicant'}), frozenset({'applicant'}))
    """
    if not text or not text.strip():
        return frozenset(), frozenset()
    try:
        tree = ast.parse(text, mode="exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        names = _tokens(text)
        return names, names
    first_store: dict[str, tuple[int, int]] = {}
    first_load: dict[str, tuple[int, int]] = {}
    writes: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            pos = (node.lineno, node.col_offset)
            if isinstance(node.ctx, ast.Store | ast.Del):
                writes.add(node.id)
                first_store[node.id] = min(first_store.get(node.id, pos), pos)
            elif node.id not in _BUILTINS:
                first_load[node.id] = min(first_load.get(node.id, pos), pos)
        elif isinstance(node, ast.Subscript | ast.Attribute) and isinstance(
            node.ctx, ast.Store | ast.Del
        ):
            base = node.value
            while isinstance(base, ast.Subscript | ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name):  # x["a"] = … changes x, and needs it
                writes.add(base.id)
    # an assignment's value is evaluated before its target: ``x = x + 1`` reads x
    reads = {
        name
        for name, pos in first_load.items()
        if name not in first_store or pos <= first_store[name] or _loaded_in_own_store(tree, name)
    }
    return frozenset(reads), frozenset(writes)


def _loaded_in_own_store(tree: ast.AST, name: str) -> bool:
    """Whether the first assignment to ``name`` also reads it (``x = x + 1``, ``x += 1``)."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.AugAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == name
        ):
            return True
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node.value))
    return False
