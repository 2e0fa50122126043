"""The import layering of docs/architecture.md holds: cli → api → web | sandbox → engine →
simplifier → bpmn, nothing pointing back (issue 23, item 2). The contract is the
``[tool.importlinter]`` table of pyproject.toml, checked by import-linter."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("cli", "api", "web", "sandbox", "engine", "simplifier", "bpmn")


def _lint(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_the_repository_keeps_its_import_layers():
    result = _lint(ROOT, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_catches_an_import_against_the_layers(tmp_path):
    """A tree shaped like ours where the engine imports the API (inside a function, the
    usual way of hiding a cycle) breaks the same contract."""
    # tools/namespace.py: leave this file (its samples are the installed names already)
    root = tmp_path / "toantrinh"  # a namespace package, as the installed one is
    root.mkdir()
    for name in PACKAGES:
        (root / name).mkdir()
        (root / name / "__init__.py").write_text("")
    (root / "engine" / "worker.py").write_text(
        "def hook():\n    from toantrinh.api import notifications  # noqa\n    return notifications\n"
    )
    (root / "api" / "notifications.py").write_text("import toantrinh.engine.worker  # noqa\n")
    result = _lint(tmp_path, tmp_path)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
    assert "toantrinh.engine.worker -> toantrinh.api.notifications" in result.stdout


# ------------------------------------------------- the API neither queries nor writes
# docs/architecture.md, "Inside the API": a view parses, checks, makes one engine call and
# serialises (issue 23 items 1, 5). Reading tables is the engine's: engine/queries.py, the
# module that owns the table (engine/accounts.py, engine/assignments.py, …), and who may
# see what is engine/access.py. Writing is the engine's too: a command of the module that
# owns the table (``accounts.issue_token``, ``assignments.assign``, ``orders.refund``, …)
# or an ``Engine`` method makes the change with its audit row and commits (or rolls back
# what it refused). A module under api/ hands ``db.session`` to those functions and does
# nothing with it itself.

#: the session's (or a connection's) methods that read the database
QUERY_METHODS = {"execute", "scalar", "scalars", "get", "get_one", "query", "exec_driver_sql"}
#: what builds a statement, imported from SQLAlchemy or called on Flask-SQLAlchemy's ``db``
STATEMENT_BUILDERS = {"select", "insert", "update", "delete", "text", "func", "bindparam"}
#: (path under the repository, what is found) → why it may stay. Empty: nothing in api/
#: needs one now (the health check's ``SELECT 1`` is engine/db.py's ``ping``).
ALLOWED: dict[tuple[str, str], str] = {}
#: the session's methods that change what it holds or end its transaction
WRITE_METHODS = {"add", "add_all", "delete", "merge", "flush", "commit", "rollback"}
#: (path under the repository, what is found) → why it may stay. Empty: no hook of the
#: request's life cycle under api/ commits or rolls back (Flask-SQLAlchemy closes the
#: session at the end of the request; api/errors.py only renders the engine's errors).
ALLOWED_WRITES: dict[tuple[str, str], str] = {}


def _receiver(node: ast.expr) -> str:
    """The last name of a call's receiver: ``db.session.get`` → ``session``."""
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _reads(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):  # the others are caught where they are imported
        return func.id == "select"
    if not isinstance(func, ast.Attribute):
        return False
    receiver = _receiver(func.value)
    return (func.attr in QUERY_METHODS and receiver in ("session", "connection", "conn")) or (
        func.attr in STATEMENT_BUILDERS and receiver in ("db", "sqlalchemy", "sa")
    )


def database_reads(source: str) -> list[str]:
    """What a module does that only the engine should: a query method called on a
    session or connection, a statement built with SQLAlchemy; as ``line: code``, in the
    order written."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            names = {alias.name for alias in node.names} & STATEMENT_BUILDERS
            found += [
                (node.lineno, node.col_offset, f"from {node.module} import {n}")
                for n in sorted(names)
            ]
        elif isinstance(node, ast.Call) and _reads(node.func):
            found.append((node.lineno, node.col_offset, f"{ast.unparse(node.func)}(…)"))
    return [f"{line}: {what}" for line, _, what in sorted(found)]


def database_writes(source: str) -> list[str]:
    """What a module does that only an engine command should: add, delete or merge a row,
    flush, commit or roll back, called on a session; as ``line: code``, in the order
    written."""
    found = [
        (node.lineno, node.col_offset, f"{ast.unparse(node.func)}(…)")
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITE_METHODS
        and _receiver(node.func.value) == "session"
    ]
    return [f"{line}: {what}" for line, _, what in sorted(found)]


def _offences(find, allowed: dict[tuple[str, str], str]) -> list[str]:
    offences = []
    for path in sorted((ROOT / "api").rglob("*.py")):
        shown = str(path.relative_to(ROOT))
        for where in find(path.read_text(encoding="utf-8")):
            if (shown, where.split(": ", 1)[1]) not in allowed:
                offences.append(f"{shown}:{where}")
    return offences


def test_the_api_leaves_queries_to_the_engine():
    offences = _offences(database_reads, ALLOWED)
    assert offences == [], "queries in api/ (move them to the engine):\n" + "\n".join(offences)


def test_the_api_leaves_writes_to_the_engine():
    offences = _offences(database_writes, ALLOWED_WRITES)
    assert offences == [], "writes in api/ (make them engine commands):\n" + "\n".join(offences)


def test_the_rule_catches_a_view_that_queries():
    view = (
        "from sqlalchemy import select\n"
        "from toantrinh.api.context import db, get_engine\n"
        "def view(code):\n"
        "    row = db.session.scalar(select(Order).where(Order.code == code))\n"
        "    hook = db.session.get(Hook, 1)\n"
        "    db.session.execute(db.text('SELECT 1'))\n"
        "    db.session.commit()\n"
        "    return get_engine().get(row.id), request.args.get('q'), hook\n"
    )
    assert database_reads(view) == [
        "1: from sqlalchemy import select",
        "4: db.session.scalar(…)",
        "4: select(…)",
        "5: db.session.get(…)",
        "6: db.session.execute(…)",
        "6: db.text(…)",
    ]


def test_the_rule_catches_a_view_that_writes():
    view = (
        "from toantrinh.api.context import db, get_engine\n"
        "def view(args):\n"
        "    hook = Hook(url=args['url'])\n"
        "    db.session.add(hook)\n"
        "    db.session.flush()\n"
        "    session = db.session\n"
        "    session.merge(hook); session.delete(hook)\n"
        "    try:\n"
        "        get_engine().session.commit()\n"
        "    except Exception:\n"
        "        db.session.rollback()\n"
        "    seen = set(); seen.add(hook.id); args.delete('x')\n"
        "    return accounts.create_webhook(db.session, args['url'], [], None, 'admin')\n"
    )
    assert database_writes(view) == [
        "4: db.session.add(…)",
        "5: db.session.flush(…)",
        "7: session.merge(…)",
        "7: session.delete(…)",
        "9: get_engine().session.commit(…)",
        "11: db.session.rollback(…)",
    ]
