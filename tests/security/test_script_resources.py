"""Scripts that try to exhaust memory fail their own task with the script guard's error.

Each script runs in a child process under an address-space limit (RLIMIT_AS), so a guard
that is missing shows as a ``MemoryError`` in the child, not as a test machine out of
memory. A guarded script never gets near the limit: it fails with "Kịch bản bị chặn".
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT_BYTES = 1_500_000_000

BOMBS = {
    "many big items": "x = ['a' * 1000000 for i in range(100000)]",
    "zfill width": "x = 'a'.zfill(3000000000)",
    "f-string width": "x = f'{1:>3000000000}'",
    "string doubling": "s = 'a' * 1000000\nfor i in range(40):\n    s = s + s",
    "augmented doubling": "s = 'a' * 1000000\nfor i in range(40):\n    s += s",
    "list doubling": "s = [0] * 1000000\nfor i in range(40):\n    s = s + s",
    "extend with itself": "s = [0] * 1000000\nfor i in range(40):\n    s.extend(s)",
    "replace growth": "s = 'a' * 1000000\nfor i in range(10):\n    s = s.replace('a', 'aaaaaaaaaa')",
    "join growth": "x = ('a' * 1000000).join(['b' * 1000] * 1000)",
    "bounded work": "x = sum([len('a' * 1000) for i in range(1000)])\nfor i in range(10 ** 9):\n    pass",
}
CHILD = textwrap.dedent("""
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    sys.path.insert(0, {root!r})
    from toantrinh.engine.db import make_engine, make_sessionmaker
    from toantrinh.engine.models_registry import import_all_models
    from toantrinh.engine.db import Base
    from toantrinh.engine.service import Engine
    from tests.helpers.bpmn import TEST_FORMS, script_process
    import_all_models()
    db = make_engine("sqlite://")
    Base.metadata.create_all(db)
    engine = Engine(make_sessionmaker(db)())
    from toantrinh.engine.parsing import ModelError
    engine.deploy(script_process("ok = 1", process_id="other"), slug="other", forms=TEST_FORMS)
    try:
        engine.deploy(script_process({script!r}), forms=TEST_FORMS)
    except ModelError as err:  # refused before it can run: as good as a failed task
        print(json.dumps({{"status": "refused", "error": str(err), "other": engine.start("other").status}}))
        raise SystemExit(0)
    bad = engine.start("script_test")
    good = engine.start("other")
    print(json.dumps({{"status": bad.status, "error": bad.last_error, "other": good.status}}))
""")


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_memory_bomb_fails_its_task_with_the_script_guard(name):
    code = CHILD.format(limit=LIMIT_BYTES, root=str(ROOT), script=BOMBS[name])
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    outcome = json.loads(proc.stdout.strip().splitlines()[-1])
    assert outcome["other"] == "in_progress"  # the engine carries on with other dossiers
    if outcome["status"] == "refused":  # the deploy-time check saw the bomb
        assert "quá lớn" in outcome["error"] or "không được phép" in outcome["error"], outcome[
            "error"
        ]
        return
    assert outcome["status"] == "error"
    assert outcome["error"].startswith("Kịch bản bị chặn"), outcome["error"]
