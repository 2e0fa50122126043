"""Drive one dossier action in a fresh process (used to test real restarts).

    python tests/helpers/drive.py DATABASE_URL ACTION [JSON-ARGS]

Each call is a new Python process: no spec cache, no session, nothing in memory from
the previous step. Prints the outcome as one JSON line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.helpers.people import local_connectors  # noqa: E402
from toantrinh.engine.db import make_engine, make_sessionmaker  # noqa: E402
from toantrinh.engine.scheduler import tick  # noqa: E402
from toantrinh.engine.service import Engine  # noqa: E402


def main() -> None:
    url, action = sys.argv[1], sys.argv[2]
    args = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    session = make_sessionmaker(make_engine(url))()
    connectors = local_connectors()
    engine = Engine(session, connectors=connectors)
    out: dict = {}
    if action == "deploy":
        result = engine.deploy_folder(ROOT / args["folder"])
        out = {"version": result.version.number}
    elif action == "start":
        d = engine.start(args["model"], applicant_id=args.get("applicant"), data=args.get("data"))
        out = {"dossier": d.id}
    elif action == "complete":
        tasks = [t for t in engine.ready_tasks(args["dossier"]) if t["bpmn_id"] == args["task"]]
        if not tasks:
            out = {
                "error": "not_ready",
                "ready": [t["bpmn_id"] for t in engine.ready_tasks(args["dossier"])],
            }
        else:
            engine.complete_task(
                args["dossier"], tasks[0]["id"], args.get("data", {}), actor=args.get("actor")
            )
            out = {"ok": True}
    elif action == "tick":
        result = tick(session, connectors)
        out = {"timers": result.timers, "messages": result.messages, "retries": result.retries}
    elif action == "status":
        d = engine.get(args["dossier"])
        out = {
            "status": d.status,
            "ready": [t["bpmn_id"] for t in engine.ready_tasks(d.id)],
            "data": engine.data(d),
            "events": [e.kind for e in engine.events(d.id)],
        }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
