"""The construction-permit procedure (two dossier-component fields) as the tests of
dossier files use it: its folder and the applicant's declaration, taken from its own
example dossier so that the two cannot drift apart."""

from __future__ import annotations

import json
from pathlib import Path

GPXD = Path(__file__).resolve().parents[2] / "process_models" / "cap-giay-phep-xay-dung"


def declaration() -> dict:
    """The data of ``Task_Declare`` in ``examples/du-dieu-kien.json`` (no files in it)."""
    example = json.loads((GPXD / "examples" / "du-dieu-kien.json").read_text(encoding="utf-8"))
    return next(s["data"] for s in example["steps"] if s["task"] == "Task_Declare")
