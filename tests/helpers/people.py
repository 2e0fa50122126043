"""In-process connectors with realistic records, for engine tests that are not about HTTP.

The citizen is the sandbox registry's first test person (docs/registries.md): identity
number 001090012345 — province code 001 (Hà Nội), 0 = male born in the 20th century
(Circular 59/2021/TT-BCA), year 90.

(The registry adapters and the sandbox service are tested over real HTTP in
tests/registries.)
"""

from __future__ import annotations

from toantrinh.engine.connectors import ConnectorError, ConnectorRegistry, FunctionConnector

CITIZEN_ID = "001090012345"

POPULATION = {
    CITIZEN_ID: {
        "identity_number": CITIZEN_ID,
        "full_name": "Nguyễn Văn An",
        "other_names": "",
        "sex": "Nam",
        "date_of_birth": "1990-03-15",
        "place_of_birth": "Bệnh viện Phụ sản Trung ương, Hà Nội",
        "native_place": "Xã Kiến Xương, tỉnh Hưng Yên",
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
        "permanent_address": "Số 12 ngõ 45 phố Hào Nam, phường Ô Chợ Dừa, thành phố Hà Nội",
        "temporary_address": "",
        "father_name": "Nguyễn Văn Bình",
        "mother_name": "Lê Thị Lan",
        "spouse_name": "Trần Thị Bình",
        "phone": "0912345678",
        "email": "an.nv@example.vn",
        "residence_history": [
            {"from": "2004-05", "to": "2012-08", "address": "Xã Kiến Xương, tỉnh Hưng Yên"},
            {"from": "2012-09", "to": "nay", "address": "Phường Ô Chợ Dừa, thành phố Hà Nội"},
        ],
    }
}


def _population_lookup(identity_number: str) -> dict:
    record = POPULATION.get(str(identity_number))
    if record is None:
        raise ConnectorError(
            f"không có công dân mang số định danh {identity_number}", retryable=False
        )
    return dict(record, provenance={"registry": "population", "record_id": identity_number})


def local_connectors(**overrides) -> ConnectorRegistry:
    registry = ConnectorRegistry()
    registry.register(FunctionConnector("population", {"lookup": _population_lookup}))
    registry.register(
        FunctionConnector(
            "judicial_records",
            {
                "lookup": lambda identity_number: {
                    "criminal_record": "none",
                    "identity_number": identity_number,
                }
            },
        )
    )
    for connector in overrides.values():
        registry.register(connector)
    return registry


def ltp_declaration(**overrides) -> dict:
    """What the citizen types in the criminal-record declaration (``ltp-to-khai``).

    The library models the procedure before re-engineering: nothing on the 23-field form is
    pre-filled, so the person's identity is typed (here from their population record) along
    with the request itself."""
    person = POPULATION[CITIZEN_ID]
    identity = (
        "identity_number",
        "full_name",
        "sex",
        "date_of_birth",
        "place_of_birth",
        "native_place",
        "ethnicity",
        "nationality",
        "permanent_address",
        "father_name",
        "mother_name",
    )
    request = {
        "certificate_type": "so_1",
        "purpose": "Bổ sung hồ sơ xin việc",
        "copies": 1,
        "delivery_method": "vneid",
    }
    return {**{k: person[k] for k in identity}, **request, **overrides}


def reengineered_ltp_forms() -> dict:
    """The criminal-record declaration as re-engineered on VNeID: every field the population
    database holds is pre-filled (read-only, ``x-prefill``), which leaves 6 of the 23 typed.
    This is what the simplifier's rewrite adds to the library's traditional form."""
    import json
    from pathlib import Path

    from toantrinh.engine.registries.catalog import load_catalog

    root = Path(__file__).resolve().parents[2]
    form = json.loads((root / "forms" / "ltp-to-khai.json").read_text(encoding="utf-8"))
    held = set(load_catalog().registry("population").fields)
    for name, prop in form["properties"].items():
        if name in held:
            prop.update({"readOnly": True, "x-prefill": {"source": "population", "field": name}})
    return {"ltp-to-khai": form}
