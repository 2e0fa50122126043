"""The sandbox data the most-used procedures read (issue 25, item 10): new registries over
real HTTP, holders of documents not keyed by a person, and existing records left as they
were."""

from __future__ import annotations

import pytest

from toantrinh.engine.connectors import ConnectorError
from toantrinh.engine.registries import ADAPTERS
from toantrinh.engine.registries.catalog import load_catalog
from toantrinh.sandbox import sandbox_connectors, synthetic

NEW = synthetic.FREQUENT_REGISTRY_IDS
ADDED_FIELDS = {
    "household_members",
    "old_id_number",
    "taxpayer_name",
    "tax_office",
    "tax_status",
    "tax_registered_address",
    "health_insurance_card_expiry",
    "land_parcel_address",
    "land_mortgage_status",
}


@pytest.fixture(scope="module")
def registry():
    reg = sandbox_connectors()
    yield reg
    reg.close()


def test_each_new_registry_is_catalogued_with_an_adapter_and_an_unpublished_scope():
    catalog = load_catalog()
    for registry_id in NEW:
        entry = catalog.registry(registry_id)
        assert registry_id in ADAPTERS
        assert entry.fields and entry.owner
        assert entry.scope_published is False
        assert set(entry.fields) <= set(catalog.fields)
        assert set(entry.document_types) <= set(catalog.document_types)


def test_new_registries_answer_lookups_over_http(registry):
    violations = registry.call("traffic_violations.lookup", {"vehicle_plate": "30K-123.45"})
    assert violations["unpaid_fine_total"] == 5000000
    assert violations["traffic_violations"][0]["number"] == "VP-2026-0001234"
    coach = registry.call("road_transport.lookup", {"vehicle_plate": "15F-099.01"})
    assert coach["journey_monitoring_status"].startswith("Mất tín hiệu")
    licence = registry.call("road_transport.lookup", {"enterprise_code": "0201234567"})
    assert licence["transport_fleet"] == ["15F-012.34", "15F-056.78", "15F-099.01"]
    inspection = registry.call("vehicles.lookup", {"vehicle_plate": "15F-099.01"})
    assert inspection["vehicle_inspection_expiry"] == "2026-10-01"
    factory = registry.call("vehicles.lookup", {"vehicle_frame_number": "RLHJK1234RY000123"})
    assert factory["vehicle_engine_number"] == "JK12E-0001234"
    contract = registry.call(
        "land_transactions.lookup", {"notarial_contract_number": "CC-2026-012345"}
    )
    assert contract["transferee_identity_number"] == "001205000123"
    unemployment = registry.call(
        "unemployment_insurance.lookup", {"identity_number": "048194006789"}
    )
    assert unemployment["unemployment_insurance_months"] == 74
    assert unemployment["employment_end_date"] == "2026-11-15"
    candidate = registry.call("exam_candidates.lookup", {"identity_number": "038309005555"})
    assert candidate["school_priority_area"] == "KV1"
    mortgaged = registry.call("land.lookup", {"land_certificate_number": "CS 654321"})
    assert mortgaged["land_mortgage_status"].startswith("Đang thế chấp")


def test_documents_of_records_not_keyed_by_a_person_check_their_holder(registry):
    def verify(op: str, kind: str, number: str, holder: str) -> str:
        params = {"document_type": kind, "number": number, "identity_number": holder}
        return registry.call(op, params)["status"]

    cert = "PKT-2026-HD-000123"
    assert verify("vehicles.verify", "vehicle_factory_certificate", cert, "001205000123") == "valid"
    assert (
        verify("vehicles.verify", "vehicle_factory_certificate", cert, "001090012345")
        == "holder_mismatch"
    )
    contract = "TC-2026-000777"
    assert verify("land_transactions.verify", "notarized_contract", contract, "001090012345") == (
        "valid"
    )
    assert verify("land_transactions.verify", "notarized_contract", contract, "001205000123") == (
        "holder_mismatch"
    )
    # the personal identity number serves as the tax code from 1 July 2025
    assert verify("tax.verify", "tax_registration", "001090012345", "001090012345") == "valid"
    assert verify("tax.verify", "tax_registration", "001205000123", "001205000123") == "not_found"


def test_the_new_person_without_an_id_card_and_the_old_id_numbers(registry):
    child = registry.call("population.lookup", {"identity_number": "001312003456"})
    assert child["documents"] == []
    assert (
        registry.call("population.lookup", {"identity_number": "001090012345"})["old_id_number"]
        == "012345678"
    )
    assert (
        registry.call("population.lookup", {"identity_number": "079185001234"})["old_id_number"]
        == ""
    )
    household = registry.call("population.lookup", {"identity_number": "038070007777"})
    assert {m["identity_number"] for m in household["household_members"]} == {
        "038070007777",
        "038172008888",
    }


def test_an_unknown_plate_is_a_404_not_a_crash(registry):
    with pytest.raises(ConnectorError) as err:
        registry.call("traffic_violations.lookup", {"vehicle_plate": "99Z-999.99"})
    assert err.value.retryable is False


def test_the_extension_leaves_the_records_before_it_unchanged(monkeypatch):
    extended = synthetic.generate(11, 120)
    monkeypatch.setattr(synthetic, "extend_for_frequent_procedures", lambda data: None)
    plain = synthetic.generate(11, 120)
    for registry_id, records in plain.records.items():
        for key, record in records.items():
            after = extended.records[registry_id][key]
            fields = {k: v for k, v in after["fields"].items() if k not in ADDED_FIELDS}
            assert fields == record["fields"], (registry_id, key)
            assert after["documents"][: len(record["documents"])] == record["documents"]
