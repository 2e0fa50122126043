"""tools/namespace.py: what it rewrites, what it leaves alone, and that the repository is
in its final shape (running it again would change nothing)."""
# tools/namespace.py: leave this file (its samples must stay as written)

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("namespace_tool", ROOT / "tools" / "namespace.py")
namespace = importlib.util.module_from_spec(spec)
sys.modules["namespace_tool"] = namespace
spec.loader.exec_module(namespace)

TOPS = ["api", "bpmn", "engine", "simplifier", "web"]


def test_python_imports_and_module_strings_move_under_the_namespace():
    source = '''"""Uses :class:`engine.service.Engine` and web.static files."""
from __future__ import annotations

import engine.db
import engine.journal
import engine.backup as backup, json
from engine.service import Engine
from . import sibling
from api import app as api_app

MODELS = ["engine.persistence", "api.models"]
TARGET = "engine.service.Engine.start"
CMD = [sys.executable, "-m", "engine.tasks", "serve"]
APP = "python:api.gunicorn_conf", "api.app:create_app()"
URL = "/api/v1/engine.cli"
ENDPOINT = url_for("web.static", filename="x")
CODE = "engine.start('x'); engine.workflow(d)"
HYPHEN = "tt-engine.cli"

def f():
    import simplifier.cost
    return engine.db.UTCDateTime, simplifier.cost  # engine.service in a comment stays
'''
    out = namespace.rewrite_python(source, TOPS, ROOT)
    # ``import engine.db`` used as ``engine.db.…``: the uses are qualified too
    assert "import toantrinh.engine.db\nimport toantrinh.engine.journal\n" in out
    assert "return toantrinh.engine.db.UTCDateTime, toantrinh.simplifier.cost  #" in out
    assert "import toantrinh.engine.backup as backup\nimport json\n" in out
    assert "from toantrinh.engine.service import Engine" in out and "from . import sibling" in out
    assert "from toantrinh.api import app as api_app" in out
    assert '["toantrinh.engine.persistence", "toantrinh.api.models"]' in out
    assert '"toantrinh.engine.service.Engine.start"' in out
    assert '"-m", "toantrinh.engine.tasks"' in out
    assert '"python:toantrinh.api.gunicorn_conf", "toantrinh.api.app:create_app()"' in out
    assert ":class:`toantrinh.engine.service.Engine` and web.static files" in out
    # left alone: URLs, endpoints, code that calls a variable, hyphenated words, comments
    for kept in (
        '"/api/v1/engine.cli"',
        '"web.static"',
        "engine.start('x'); engine.workflow(d)",
        '"tt-engine.cli"',
        "# engine.service in a comment stays",
    ):
        assert kept in out
    assert "    import toantrinh.simplifier.cost\n" in out
    compile(out, "x.py", "exec")
    assert namespace.rewrite_python(out, TOPS, ROOT) == out  # idempotent


def test_markdown_changes_code_only():
    text = (
        "The engine.service module talks to the api. Run `celery -A engine.tasks worker`:\n\n"
        "```sh\ngunicorn 'api.app:create_app()'\n```\n\n```python\nfrom engine.service import Engine\n```\n"
    )
    out = namespace.rewrite_markdown(text, TOPS, ROOT)
    assert out.startswith("The engine.service module talks to the api.")
    assert "`celery -A toantrinh.engine.tasks worker`" in out
    assert "gunicorn 'toantrinh.api.app:create_app()'" in out
    assert "from toantrinh.engine.service import Engine" in out
    assert namespace.rewrite_markdown(out, TOPS, ROOT) == out


def test_pyproject_maps_every_package_folder_and_data_folder():
    tables = namespace.setuptools_tables(ROOT)
    for folder in ("engine", "engine.safescript", "api.resources", "simplifier.rules"):
        assert f'"toantrinh.{folder}",' in tables
    for data in ("data", "forms", "process_models", "migrations"):
        assert f'"toantrinh.{data}" = "{data}"' in tables
    assert '"toantrinh.web" = ["static/**/*", "templates/**/*"]' in tables
    assert "_tools" not in tables and "node_modules" not in tables


@pytest.mark.slow
def test_the_repository_is_already_namespaced():
    """Fails when a package, an import or a module name was added without running
    ``python tools/namespace.py`` (which then fixes it)."""
    assert [str(p.relative_to(ROOT)) for p in namespace.run(ROOT, check=True)] == []


def test_an_import_for_its_side_effect_binds_no_unused_name():
    out = namespace.rewrite_python("import api.messages  # noqa: F401  (messages)\n", TOPS, ROOT)
    assert out == "import toantrinh.api.messages  # noqa: F401  (messages)\n"


def test_a_package_name_also_used_as_a_variable_is_bound_once_instead():
    source = "import engine.db\nimport engine.journal\n\nengine.db.X\n\ndef f(engine):\n    return engine.start()\n"
    out = namespace.rewrite_python(source, TOPS, ROOT)
    assert out.startswith(
        "from toantrinh import engine\nimport toantrinh.engine.db\nimport toantrinh.engine.journal\n"
    )
    assert "\nengine.db.X\n" in out and "return engine.start()" in out
    assert namespace.rewrite_python(out, TOPS, ROOT) == out


def test_import_linter_contracts_name_the_namespace_portions():
    text = (
        '[tool.importlinter]\n# the layering\nroot_packages = ["cli", "api", "web", "engine"]\n\n'
        '[[tool.importlinter.contracts]]\nname = "cli → api → web | engine"\ntype = "layers"\n'
        'layers = ["cli", "api", "web | sandbox", "engine"]\n\n[tool.pytest.ini_options]\nx = ["api"]\n'
    )
    out = namespace._rewrite_importlinter(text, [*TOPS, "cli", "sandbox"])
    assert (
        'root_packages = ["toantrinh.cli", "toantrinh.api", "toantrinh.web", "toantrinh.engine"]'
        in out
    )
    assert (
        'layers = ["toantrinh.cli", "toantrinh.api", "toantrinh.web | toantrinh.sandbox", "toantrinh.engine"]'
        in out
    )
    assert 'name = "cli → api → web | engine"' in out and 'x = ["api"]' in out
    assert namespace._rewrite_importlinter(out, [*TOPS, "cli", "sandbox"]) == out
