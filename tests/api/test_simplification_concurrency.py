"""Two catalogue reports asked at once with different what-if registries each get their
own answer (issue 27 item 17): the settings travel as arguments, not in shared state."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.api.conftest import ADMIN_TOKEN

ROOT = Path(__file__).resolve().parents[2]
MODELS = (
    "ly-lich-tu-phap",
    "dang-ky-khai-sinh",
    "dang-ky-thuong-tru",
    "cap-ho-chieu-pho-thong",
    "dang-ky-ket-hon",
    "cap-doi-giay-phep-lai-xe",
)


def _summary(report: dict) -> dict:
    return {e["slug"]: (e["savings"], e["after"]["readiness"]) for e in report["ranked_by_saving"]}


def test_concurrent_catalogue_reports_with_different_registries_do_not_mix(live, tokens):
    admin = live.api(ADMIN_TOKEN)
    for slug in MODELS:
        folder = ROOT / "process_models" / slug
        with (
            open(next(folder.glob("*.bpmn")), "rb") as bpmn,
            open(folder / "procedure.json", "rb") as card,
        ):
            answer = admin.post(
                "/api/v1/models",
                files={
                    "bpmn": ("m.bpmn", bpmn, "application/xml"),
                    "procedure": ("procedure.json", card, "application/json"),
                },
            )
        assert answer.status_code == 201, answer.text
    reformer = live.api(tokens["reformer"])
    asks = {"none": "", "population": "population,civil_status"}
    alone = {}
    for name, registries in asks.items():
        answer = reformer.get(f"/api/v1/simplification/catalogue?registries={registries}")
        assert answer.status_code == 200, answer.text
        alone[name] = _summary(answer.json())
    assert alone["none"] != alone["population"]  # the setting matters for these models

    def ask(name: str, registries: str, start: threading.Barrier, out: dict) -> None:
        start.wait()
        out[name] = _summary(
            reformer.as_(tokens["reformer"])
            .get(f"/api/v1/simplification/catalogue?registries={registries}")
            .json()
        )

    for _ in range(4):  # the defect showed in 4 trials of 4
        together: dict = {}
        start = threading.Barrier(len(asks))
        threads = [
            threading.Thread(target=ask, args=(name, registries, start, together))
            for name, registries in asks.items()
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert together == alone
