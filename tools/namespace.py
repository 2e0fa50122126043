#!/usr/bin/env python3
"""Install the repository's top-level packages under one distribution namespace.

The repository keeps its top-level folders (``engine/``, ``api/``, ``web/``,
``simplifier/``, ``bpmn/`` and any other folder with an ``__init__.py`` but ``tests/``,
``bench/`` and ``tools/``); the wheel installs them as ``toantrinh.engine``,
``toantrinh.api``… (issue 23, item 7: four generic top-level names in site-packages
collide with other software). This script makes the repository say so:

* every import of those packages, in every Python file of the repository (tests, bench,
  migrations, process_models/_tools, conftest files): ``from engine.x import y`` →
  ``from toantrinh.engine.x import y``; ``import engine.x as m`` → ``import
  toantrinh.engine.x as m``; ``import engine.x`` (used as ``engine.x.…``) →
  ``import toantrinh.engine.x`` plus ``from toantrinh import engine`` on the next line;
* every dotted name in a Python string that names one of their modules — ``"engine.cli"``
  in ``-m engine.cli``, mock and monkeypatch targets ``"engine.service.X"``, gunicorn's
  ``"api.app:create_app()"``, ``"python:api.gunicorn_conf"`` — a name is rewritten only when
  its first two or more parts are a module file or package folder of the repository, so
  ordinary text (a blueprint endpoint ``"web.static"``, a URL ``/api/v1``, a variable
  ``engine.start(...)`` inside generated code) is left alone;
* the same dotted names in shell and configuration files (``tt``, ``*.sh``, ``*.cfg``,
  ``*.ini``, ``*.yml``, ``Procfile``), and in Markdown only inside code (fenced blocks and
  inline code spans), never in prose;
* ``pyproject.toml``: the console script, and the setuptools tables — ``packages`` (every
  package folder, and the data folders ``data/``, ``forms/``, ``process_models/``,
  ``migrations/`` as ``toantrinh.<folder>``), ``package-dir`` (``"toantrinh.engine" =
  "engine"``…) and ``package-data`` (every non-Python file they hold), generated from the
  files present.

Python is edited through :mod:`ast` (import statements, by their positions) and
:mod:`tokenize` (string tokens), so comments, formatting and code that merely contains
the words are untouched. Running it twice changes nothing; ``--check`` exits 1 and lists
the files it would change (a test runs it so, to catch a package added without running
it). Usage::

    python tools/namespace.py            # rewrite the repository in place
    python tools/namespace.py --check    # report only
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path

NAMESPACE = "toantrinh"
ROOT = Path(__file__).resolve().parents[1]
# top-level folders with an __init__.py that are not shipped
NOT_SHIPPED = {"tests", "bench", "tools", "build", "dist"}
# data folders read at run time, shipped as package data of toantrinh.<folder>
DATA_FOLDERS = ("data", "forms", "process_models", "migrations")
SKIP_DIRS = {
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".git",
    "build",
    "dist",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "artifacts",
    "instance",
}
# what a wheel does not need from a shipped folder
NOT_DATA_DIRS = {"_tools", "node_modules", "__pycache__"}
NOT_DATA_FILES = {"build.sh", "package.json", "package-lock.json"}
TEXT_NAMES = {"tt", "Procfile", "Dockerfile", "Makefile"}
TEXT_SUFFIXES = {".sh", ".cfg", ".ini", ".yml", ".yaml", ".service", ".conf", ".mako"}
SELF = Path(__file__).resolve()
# a file whose first lines hold this is left alone (this script's own tests: samples in strings)
LEAVE_MARKER = "tools/namespace.py: leave this file"


# ------------------------------------------------------------------ what the packages are


def top_packages(root: Path = ROOT) -> list[str]:
    return sorted(
        p.name
        for p in root.iterdir()
        if p.is_dir()
        and (p / "__init__.py").is_file()
        and p.name not in NOT_SHIPPED
        and not p.name.startswith(".")
    )


def is_module(parts: list[str], root: Path = ROOT) -> bool:
    """Whether ``parts`` (a dotted name split) names a module or package of the repository."""
    path = root.joinpath(*parts)
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def names_module(dotted: str, tops: set[str], root: Path = ROOT) -> bool:
    """A dotted name whose first two or more parts are a module of one of ``tops``
    (``engine.service.Engine``, ``api.app``), not just any word followed by a dot."""
    parts = dotted.split(".")
    if parts[0] not in tops or len(parts) < 2:
        return False
    return any(is_module(parts[:n], root) for n in range(len(parts), 1, -1))


def dotted_pattern(tops: list[str]) -> re.Pattern[str]:
    # not after a word character, a dot (already namespaced), a slash or a hyphen (paths, URLs)
    return re.compile(rf"(?<![\w./\-])(?:{'|'.join(map(re.escape, tops))})(?:\.\w+)+")


def rewrite_dotted(text: str, tops: list[str], root: Path = ROOT) -> str:
    pattern, top_set = dotted_pattern(tops), set(tops)

    def replace(m: re.Match[str]) -> str:
        name = m.group(0)
        if not names_module(name, top_set, root):
            return name
        if m.string.startswith("(", m.end()) and is_module(name.split("."), root):
            return name  # a module is not called: ``engine.workflow(d)`` is a method of a variable
        return f"{NAMESPACE}.{name}"

    return pattern.sub(replace, text)


def rewrite_import_lines(text: str, tops: list[str]) -> str:
    """``from engine.x import y`` / ``import engine.x as m`` written in non-Python text
    (code blocks of the docs, ``python -c`` in shell)."""
    alt = "|".join(map(re.escape, tops))
    text = re.sub(
        rf"(?m)(^|[\s;\"'(])from\s+((?:{alt})(?:\.\w+)*)\s+import\b",
        lambda m: f"{m.group(1)}from {NAMESPACE}.{m.group(2)} import",
        text,
    )
    text = re.sub(
        rf"(?m)(^|[\s;\"'(])import\s+((?:{alt})(?:\.\w+)*)\s+as\b",
        lambda m: f"{m.group(1)}import {NAMESPACE}.{m.group(2)} as",
        text,
    )
    # a line that is only ``import engine.db`` (Alembic's migration template)
    return re.sub(
        rf"(?m)^([ \t]*)import\s+((?:{alt})(?:\.\w+)+)[ \t]*$",
        lambda m: f"{m.group(1)}import {NAMESPACE}.{m.group(2)}",
        text,
    )


# ------------------------------------------------------------------ Python files


def _offsets(source: str) -> list[int]:
    starts, total = [0], 0
    for line in source.splitlines(keepends=True):
        total += len(line)
        starts.append(total)
    return starts


def _scopes(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    """Each import statement's scope: the function, class or module it binds names in."""
    scope_of: dict[ast.AST, ast.AST] = {}

    def visit(node: ast.AST, scope: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                scope_of[child] = scope
            inner = (
                child
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                else scope
            )
            visit(child, inner)

    visit(tree, tree)
    return scope_of


def _bound_otherwise(tree: ast.AST, name: str) -> bool:
    """Whether ``name`` is bound in the module by anything but ``import name.x``
    statements: an assignment, a parameter, a definition, another import."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, ast.arg) and node.arg == name:
            return True
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.name == name
        ):
            return True
        if isinstance(node, ast.Global | ast.Nonlocal) and name in node.names:
            return True
        if isinstance(node, ast.ImportFrom) and any(
            (a.asname or a.name) == name for a in node.names
        ):
            return True
        if isinstance(node, ast.Import) and any(
            (a.asname or a.name) == name or (a.asname is None and a.name == name)
            for a in node.names
        ):
            return True
    return False


def _qualified_use_edits(
    source: str, tree: ast.AST, tops: set[str]
) -> tuple[set[str], list[tuple[int, int, str]]]:
    """``import engine.db`` then ``engine.db.Base``: the uses become ``toantrinh.engine.db.Base``
    when nothing else binds ``engine`` in the module. Returns the packages so qualified and
    the edits."""
    starts = _offsets(source)
    dotted = {
        a.name.split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Import)
        for a in n.names
        if a.asname is None and "." in a.name and a.name.split(".")[0] in tops
    }
    qualified = {t for t in dotted if not _bound_otherwise(tree, t)}
    edits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in qualified and isinstance(node.ctx, ast.Load):
            begin = starts[node.lineno - 1] + node.col_offset
            if (
                source[begin : begin + len(node.id)] == node.id
            ):  # (positions inside f-strings may be off)
                edits.append((begin, begin, f"{NAMESPACE}."))
    return qualified, edits


def _import_edits(source: str, tree: ast.AST, tops: set[str]) -> Iterator[tuple[int, int, str]]:
    starts = _offsets(source)
    qualified, use_edits = _qualified_use_edits(source, tree, tops)
    yield from use_edits
    # the package names the code still uses as names (``engine.db.Base`` after
    # ``import engine.db`` in a module that also binds ``engine`` otherwise)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in tops} - qualified
    bound: set[tuple[int, str]] = (
        set()
    )  # (scope, top) already given a ``from toantrinh import top``
    scope_of = _scopes(tree)
    for node in sorted(scope_of, key=lambda n: (n.lineno, n.col_offset)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] not in tops:
                continue
            begin = starts[node.lineno - 1] + node.col_offset
            m = re.compile(r"from\s+").match(source, begin)
            assert m is not None, (node.lineno, source[begin : begin + 40])
            yield m.end(), m.end(), f"{NAMESPACE}."
        elif isinstance(node, ast.Import):
            if not any(a.name.split(".")[0] in tops for a in node.names):
                continue
            begin = starts[node.lineno - 1] + node.col_offset
            end = starts[node.end_lineno - 1] + node.end_col_offset
            line_start = starts[node.lineno - 1]
            indent = source[line_start:begin]
            separator = "\n" + indent if not indent.strip() else "; "
            statements: list[str] = []
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top not in tops:
                    statements.append(
                        f"import {alias.name}" + (f" as {alias.asname}" if alias.asname else "")
                    )
                    continue
                if alias.asname:
                    statements.append(f"import {NAMESPACE}.{alias.name} as {alias.asname}")
                    continue
                if "." in alias.name:  # loads the module; the code may use it as engine.x.…
                    statements.append(f"import {NAMESPACE}.{alias.name}")
                key = (id(scope_of[node]), top)
                if (top in used or "." not in alias.name) and key not in bound:
                    bound.add(key)
                    # the binding first, so that a trailing comment (noqa) stays on the import
                    statements.insert(
                        len(statements) - ("." in alias.name), f"from {NAMESPACE} import {top}"
                    )
            yield begin, end, separator.join(dict.fromkeys(statements))


def _string_edits(source: str, tops: list[str], root: Path) -> Iterator[tuple[int, int, str]]:
    starts = _offsets(source)
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.STRING:
            continue
        new = rewrite_text(token.string, tops, root)
        if new != token.string:
            begin = starts[token.start[0] - 1] + token.start[1]
            end = starts[token.end[0] - 1] + token.end[1]
            yield begin, end, new


def rewrite_python(source: str, tops: list[str], root: Path = ROOT) -> str:
    tree = ast.parse(source)
    edits = sorted(
        [*_import_edits(source, tree, set(tops)), *_string_edits(source, tops, root)],
        key=lambda e: (e[0], e[1]),
        reverse=True,
    )
    for begin, end, text in edits:
        source = source[:begin] + text + source[end:]
    return source


# ------------------------------------------------------------------ other text


FENCE = re.compile(r"(?ms)^([ \t]*)(```|~~~)[^\n]*\n.*?^\1\2[ \t]*$")
SPAN = re.compile(r"`[^`\n]+`")


def rewrite_markdown(text: str, tops: list[str], root: Path = ROOT) -> str:
    def code(m: re.Match[str]) -> str:
        return rewrite_dotted(rewrite_import_lines(m.group(0), tops), tops, root)

    out, last = [], 0
    for fence in FENCE.finditer(text):
        out.append(SPAN.sub(code, text[last : fence.start()]))
        out.append(code(fence))
        last = fence.end()
    out.append(SPAN.sub(code, text[last:]))
    return "".join(out)


def rewrite_text(text: str, tops: list[str], root: Path = ROOT) -> str:
    return rewrite_dotted(rewrite_import_lines(text, tops), tops, root)


# ------------------------------------------------------------------ pyproject.toml


def _is_package(path: Path) -> bool:
    return (path / "__init__.py").is_file()


def _package_dirs(folder: Path) -> Iterator[Path]:
    """``folder`` and every package folder under it (through package folders only)."""
    yield folder
    for child in sorted(folder.iterdir()):
        if child.is_dir() and child.name not in SKIP_DIRS and _is_package(child):
            yield from _package_dirs(child)


def _data_patterns(folder: Path, data_folder: bool) -> list[str]:
    """The package-data globs of one package folder: its non-Python files by extension and
    every folder that is not a package, whole (``**``)."""
    patterns: set[str] = set()
    for child in sorted(folder.iterdir()):
        if child.name.startswith(".") or child.name in NOT_DATA_FILES:
            continue
        if child.is_file():
            if child.suffix in (".py", ".pyc") and not data_folder:
                continue
            patterns.add(f"*{child.suffix}" if child.suffix else child.name)
        elif (
            child.is_dir()
            and child.name not in SKIP_DIRS | NOT_DATA_DIRS
            and not _is_package(child)
            and any(p.is_file() for p in child.rglob("*") if "__pycache__" not in p.parts)
        ):
            patterns.add(f"{child.name}/**/*")
    return sorted(patterns)


def setuptools_tables(root: Path = ROOT) -> str:
    packages: list[str] = []
    package_dir: dict[str, str] = {}
    package_data: dict[str, list[str]] = {}
    for top in top_packages(root):
        package_dir[f"{NAMESPACE}.{top}"] = top
        for folder in _package_dirs(root / top):
            name = ".".join([NAMESPACE, *folder.relative_to(root).parts])
            packages.append(name)
            data = _data_patterns(folder, data_folder=False)
            if data:
                package_data[name] = data
    for folder_name in DATA_FOLDERS:
        folder = root / folder_name
        if not folder.is_dir():
            continue
        name = f"{NAMESPACE}.{folder_name}"
        package_dir[name] = folder_name
        packages.append(name)
        package_data[name] = _data_patterns(folder, data_folder=True)

    def array(items: list[str], indent: str = "  ") -> str:
        return "[\n" + "".join(f'{indent}"{i}",\n' for i in items) + "]"

    lines = [
        "[tool.setuptools]",
        "# generated by tools/namespace.py (run it again after adding a package or a data folder):",
        f"# the repository's top-level folders install as {NAMESPACE}.<folder>",
        f"packages = {array(packages)}",
        "",
        "[tool.setuptools.package-dir]",
        *(f'"{k}" = "{v}"' for k, v in package_dir.items()),
        "",
        "[tool.setuptools.exclude-package-data]",
        '"*" = ["*.pyc"]',
        "",
        "[tool.setuptools.package-data]",
        *(
            f'"{k}" = [{", ".join(f"{chr(34)}{p}{chr(34)}" for p in v)}]'
            for k, v in package_data.items()
        ),
    ]
    return "\n".join(lines) + "\n"


SETUPTOOLS_TABLE = re.compile(r"(?m)^\[tool\.setuptools(?:\.[\w.-]+)?\]\s*$")
ANY_TABLE = re.compile(r"(?m)^\[{1,2}[^\]\n]+\]{1,2}\s*$")


TYPING_VIEW = (
    "tools/typing"  # mypy's view of the namespace: toantrinh/<package> → ../../../<package>
)


def typing_view_missing(tops: list[str], root: Path = ROOT) -> list[Path]:
    """The links of mypy's view that are not in place. mypy does not run the editable
    install's import hook, so it finds ``toantrinh.bpmn`` through these links instead."""
    base = root / TYPING_VIEW / NAMESPACE
    return [
        base / top
        for top in tops
        if not (base / top).is_symlink() or (base / top).readlink() != Path("../../..", top)
    ]


def make_typing_view(tops: list[str], root: Path = ROOT) -> None:
    for link in typing_view_missing(tops, root):
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(Path("../../..", link.name), target_is_directory=True)


def _rewrite_mypy(text: str, tops: list[str]) -> str:
    """``[tool.mypy]`` checks the packages through :data:`TYPING_VIEW` (module names
    ``toantrinh.<package>``), and the overrides name the modules so."""
    alt = "|".join(map(re.escape, tops))

    def section(m: re.Match[str]) -> str:
        body = m.group(0)
        body = (
            re.sub(rf'"({alt})"', lambda f: f'"{TYPING_VIEW}/{NAMESPACE}/{f.group(1)}"', body)
            if re.search(r"(?m)^files\s*=", body)
            else body
        )
        extra = [
            line
            for line in (
                f'mypy_path = "{TYPING_VIEW}"',
                "explicit_package_bases = true",
                "namespace_packages = true",
            )
            if not re.search(rf"(?m)^{line.split(' ')[0]}\s*=", body)
        ]
        if extra:
            body = re.sub(
                r"(?m)^(files\s*=.*)$", lambda f: "\n".join([f.group(1), *extra]), body, count=1
            )
        return body

    text = re.sub(r"(?ms)^\[tool\.mypy\]\n.*?(?=^\[|\Z)", section, text, count=1)

    def overrides(m: re.Match[str]) -> str:
        return re.sub(
            r"(?m)^(module\s*=.*)$",
            lambda f: re.sub(rf'"(({alt})(\.[^"]*)?)"', rf'"{NAMESPACE}.\1"', f.group(1)),
            m.group(0),
        )

    return re.sub(r"(?ms)^\[\[tool\.mypy\.overrides\]\]\n.*?(?=^\[|\Z)", overrides, text)


def _rewrite_importlinter(text: str, tops: list[str]) -> str:
    """import-linter names packages bare (``root_packages = ["engine"]``, ``layers = ["api",
    "web | sandbox", "engine"]``); a namespace package's portions go by their full names
    (``toantrinh.engine``: its documentation's rule for namespace packages). Contract
    names are prose and stay."""
    alt = "|".join(map(re.escape, tops))
    name = re.compile(rf"(?<![\w.\-])(?:{alt})(?![\w\-])")

    def value(m: re.Match[str]) -> str:
        return name.sub(lambda n: f"{NAMESPACE}.{n.group(0)}", m.group(0))

    def table(m: re.Match[str]) -> str:
        out = []
        for line in m.group(0).splitlines(keepends=True):
            if re.match(r"\s*name\s*=", line) or line.lstrip().startswith("#"):
                out.append(line)
            else:
                out.append(re.sub(r'"[^"\n]*"', value, line))
        return "".join(out)

    return re.sub(r"(?ms)^\[{1,2}tool\.importlinter[^\]]*\]{1,2}\n.*?(?=^\[|\Z)", table, text)


def rewrite_pyproject(text: str, tops: list[str], root: Path = ROOT) -> str:
    text = _rewrite_mypy(text, tops)
    text = _rewrite_importlinter(text, tops)

    # the console scripts and entry points name modules
    def entry_points(m: re.Match[str]) -> str:
        return rewrite_dotted(m.group(0), tops, root)

    text = re.sub(
        r"(?ms)^\[project\.(?:scripts|gui-scripts|entry-points[^\]]*)\]\n.*?(?=^\[|\Z)",
        entry_points,
        text,
    )
    # replace every [tool.setuptools…] table by the generated ones, where the first was
    spans = []
    for m in SETUPTOOLS_TABLE.finditer(text):
        following = ANY_TABLE.search(text, m.end())
        spans.append((m.start(), following.start() if following else len(text)))
    if not re.search(r"(?m)^\[tool\.ruff\.lint\.isort\]", text) and re.search(
        r"(?m)^\[tool\.ruff\.lint\]", text
    ):
        # ruff would take toantrinh (no such folder) for a third-party package
        text = re.sub(
            r"(?ms)(^\[tool\.ruff\.lint\]\n.*?)(?=^\[|\Z)",
            lambda m: (
                m.group(1).rstrip("\n")
                + f'\n\n[tool.ruff.lint.isort]\nknown-first-party = ["{NAMESPACE}"]\n\n'
            ),
            text,
            count=1,
        )
    generated = setuptools_tables(root) + "\n"
    if not spans:
        return text.rstrip("\n") + "\n\n" + generated
    out, last = [], 0
    for i, (begin, end) in enumerate(spans):
        out.append(text[last:begin])
        if i == 0:
            out.append(generated)
        last = end
    out.append(text[last:])
    return "".join(out)


# ------------------------------------------------------------------ the repository


def repository_files(root: Path = ROOT) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(
            part in SKIP_DIRS or (part.startswith(".") and part != ".") for part in rel.parts[:-1]
        ):
            continue
        if path.is_file() and path.resolve() != SELF:
            yield path


def rewrite_file(path: Path, tops: list[str], root: Path = ROOT) -> str | None:
    """The new text of ``path``, or None when it is not a file this script edits."""
    name, suffix = path.name, path.suffix
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None
    if LEAVE_MARKER in "".join(text.splitlines(keepends=True)[:5]):
        return None
    if path == root / "pyproject.toml":
        return rewrite_pyproject(text, tops, root)
    if suffix == ".py":
        return rewrite_python(text, tops, root)
    if suffix == ".md":
        return rewrite_markdown(text, tops, root)
    if suffix in TEXT_SUFFIXES or name in TEXT_NAMES:
        return rewrite_text(text, tops, root)
    return None


def sort_imports(paths: list[Path], root: Path) -> None:
    """Re-sort the imports of the Python files changed (ruff's isort rule, with
    ``toantrinh`` first-party): ``toantrinh.engine`` now sorts after ``tests``."""
    python = [str(p) for p in paths if p.suffix == ".py"]
    if not python:
        return
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "ruff",
                "check",
                "--select",
                "I001",
                "--fix",
                "--quiet",
                "--force-exclude",
                "--exit-zero",
                *python,
            ],
            cwd=root,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as err:  # no ruff: imports stay where they were
        print(f"imports not re-sorted ({err}); run ruff check --select I --fix", file=sys.stderr)


def run(root: Path = ROOT, check: bool = False) -> list[Path]:
    tops = top_packages(root)
    changed = []
    for path in repository_files(root):
        new = rewrite_file(path, tops, root)
        if new is None:
            continue
        if new != path.read_text(encoding="utf-8"):
            changed.append(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    missing = typing_view_missing(tops, root)
    changed.extend(missing)
    if not check:
        sort_imports(changed, root)
        make_typing_view(tops, root)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="report the files it would change; exit 1 if any"
    )
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="the repository (default: this script's)"
    )
    args = parser.parse_args(argv)
    changed = run(args.root.resolve(), check=args.check)
    for path in changed:
        print(path.relative_to(args.root.resolve()))
    verb = "would change" if args.check else "changed"
    print(
        f"{verb} {len(changed)} files (packages: {', '.join(top_packages(args.root.resolve()))})",
        file=sys.stderr,
    )
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
