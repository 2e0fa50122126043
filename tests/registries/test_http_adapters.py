"""HTTP adapters against the real sandbox over HTTP (werkzeug server on a free port)."""

from __future__ import annotations

import socket
import time

import pytest

from toantrinh.engine.connectors import ConnectorError
from toantrinh.engine.registries import build_connectors
from toantrinh.engine.registries.catalog import load_catalog
from toantrinh.engine.registries.http import ADAPTERS, PopulationConnector
from toantrinh.sandbox import sandbox_connectors


@pytest.fixture(scope="module")
def registry():
    reg = sandbox_connectors()
    yield reg
    reg.close()


def test_every_catalogue_database_has_an_adapter(registry):
    catalog = load_catalog()
    http_ids = {r for r in catalog.registries if r != "edata_warehouse"}
    assert http_ids == set(ADAPTERS)
    assert http_ids <= set(registry.ids())


def test_lookup_returns_catalogue_fields_with_provenance(registry):
    result = registry.call("population.lookup", {"identity_number": "001090012345"})
    assert result["found"] is True
    assert result["full_name"] == "Nguyễn Văn An"
    assert result["permanent_address"].endswith("Phường Ba Đình, Thành phố Hà Nội")
    declared = set(load_catalog().registry("population").fields)
    envelope = {"registry", "found", "documents", "provenance"}
    assert not envelope & declared
    assert set(result) - envelope <= declared
    assert "residence_history" in result and "household_head" in result
    prov = result["provenance"]
    assert prov["registry"] == "population"
    assert prov["record_id"] == "DC-001090012345"
    assert prov["fetched_at"].startswith("20")


def test_lookup_by_alternative_key(registry):
    result = registry.call("business_registration.lookup", {"enterprise_code": "0318765432"})
    assert result["legal_representative"] == "Lê Thị Cúc"
    hkd = registry.call("business_registration.lookup", {"household_business_code": "26A8001234"})
    assert hkd["household_business_name"] == "Hộ kinh doanh Bùi Sơn"


def test_verify_genuine_foreign_and_unknown_documents(registry):
    ks = registry.call("civil_status.lookup", {"identity_number": "001090012345"})
    number = ks["birth_registration_number"]
    ok = registry.call(
        "civil_status.verify",
        {"document_type": "birth_certificate", "number": number, "identity_number": "001090012345"},
    )
    assert ok["valid"] is True and ok["status"] == "valid"
    other = registry.call(
        "civil_status.verify",
        {"document_type": "birth_certificate", "number": number, "identity_number": "001192034567"},
    )
    assert other["valid"] is False and other["status"] == "holder_mismatch"
    fake = registry.call(
        "civil_status.verify",
        {"document_type": "birth_certificate", "number": "KS.1990.001.999999"},
    )
    assert fake["valid"] is False and fake["status"] == "not_found"


def test_verify_refuses_a_document_type_the_registry_does_not_hold(registry):
    with pytest.raises(ConnectorError) as err:
        registry.call("population.verify", {"document_type": "land_use_certificate", "number": "1"})
    assert err.value.retryable is False


def test_unknown_person_is_404_and_not_retryable(registry):
    with pytest.raises(ConnectorError) as err:
        registry.call("population.lookup", {"identity_number": "001099999999"})
    assert err.value.retryable is False
    assert "Không tìm thấy" in str(err.value)
    assert err.value.operation == "population.lookup"


def test_an_optional_lookup_finding_no_record_is_an_empty_answer(registry):
    empty = registry.call(
        "health.lookup", {"identity_number": "001099999999", "if_not_found": "empty"}
    )
    assert empty["found"] is False and empty["documents"] == []
    assert set(empty) == {"registry", "found", "documents", "provenance"}  # no fields
    assert empty["registry"] == "health" and empty["provenance"]["record_id"] is None
    # a record that exists is answered the same way whether the lookup is optional or not
    params = {"identity_number": "001192034567"}
    found = registry.call("health.lookup", {**params, "if_not_found": "empty"})
    plain = registry.call("health.lookup", params)
    assert found["found"] and found["birth_notice_number"] == plain["birth_notice_number"]
    # "error" is the default, stated or not
    with pytest.raises(ConnectorError, match="Không tìm thấy"):
        registry.call("health.lookup", {"identity_number": "001099999999", "if_not_found": "error"})


def test_an_optional_lookup_refuses_an_unknown_mode_and_still_needs_its_key(registry):
    with pytest.raises(ConnectorError, match="if_not_found") as err:
        registry.call(
            "population.lookup", {"identity_number": "001090012345", "if_not_found": "skip"}
        )
    assert err.value.retryable is False
    with pytest.raises(ConnectorError, match="Thiếu khóa"):
        registry.call("population.lookup", {"if_not_found": "empty"})


def test_an_optional_lookup_still_fails_when_the_registry_is_down_or_slow():
    adapter = PopulationConnector(
        f"http://127.0.0.1:{_closed_port()}", timeout=1, retries=1, backoff=0.01
    )
    with pytest.raises(ConnectorError, match="Không kết nối được") as err:
        adapter.call("lookup", {"identity_number": "001099999999", "if_not_found": "empty"})
    assert err.value.retryable is True
    with sandbox_connectors(failures={"health": 10}, retries=1) as reg:
        with pytest.raises(ConnectorError, match="HTTP 503") as err:
            reg.call("health.lookup", {"identity_number": "001099999999", "if_not_found": "empty"})
        assert err.value.retryable is True
    with (
        sandbox_connectors(timeout=0.3, delays={"health": 2.0}) as reg,
        pytest.raises(ConnectorError, match="không phản hồi"),
    ):
        reg.call("health.lookup", {"identity_number": "001099999999", "if_not_found": "empty"})


def test_missing_key_is_not_retryable(registry):
    with pytest.raises(ConnectorError) as err:
        registry.call("population.lookup", {"full_name": "Nguyễn Văn An"})
    assert err.value.retryable is False


def test_slow_registry_times_out_as_retryable():
    with sandbox_connectors(timeout=0.3, delays={"judicial_records": 2.0}) as reg:
        started = time.monotonic()
        with pytest.raises(ConnectorError) as err:
            reg.call("judicial_records.lookup", {"identity_number": "001090012345"})
        assert time.monotonic() - started < 1.5
        assert err.value.retryable is True
        assert "không phản hồi" in str(err.value)
        # other registries of the same sandbox are unaffected
        assert reg.call("population.lookup", {"identity_number": "001090012345"})["found"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_registry_down_is_retryable_after_bounded_retries():
    adapter = PopulationConnector(
        f"http://127.0.0.1:{_closed_port()}", timeout=1, retries=2, backoff=0.01
    )
    with pytest.raises(ConnectorError) as err:
        adapter.call("lookup", {"identity_number": "001090012345"})
    assert err.value.retryable is True
    assert "Không kết nối được" in str(err.value)


def test_transient_5xx_is_retried_then_succeeds():
    with sandbox_connectors(failures={"population": 2}, retries=2) as reg:
        assert reg.call("population.lookup", {"identity_number": "001090012345"})["found"]


def test_persistent_5xx_gives_up_as_retryable():
    with sandbox_connectors(failures={"population": 10}, retries=1) as reg:
        with pytest.raises(ConnectorError) as err:
            reg.call("population.lookup", {"identity_number": "001090012345"})
        assert err.value.retryable is True
        assert "HTTP 503" in str(err.value)


def test_api_key_is_sent_and_a_wrong_key_is_refused():
    with sandbox_connectors(api_key="khoa-bi-mat") as reg:
        assert reg.call("tax.lookup", {"identity_number": "001090012345"})["tax_code"]
        wrong = build_connectors({"registry_url": reg.url, "api_key": "sai", "edata": False})
        with pytest.raises(ConnectorError) as err:
            wrong.call("tax.lookup", {"identity_number": "001090012345"})
        assert err.value.retryable is False


def test_build_connectors_reads_urls_from_environment(monkeypatch):
    monkeypatch.setenv("TOANTRINH_REGISTRY_URL", "http://registries.example.gov.vn")
    monkeypatch.setenv("TOANTRINH_REGISTRY_LAND_URL", "http://land.example.gov.vn/")
    monkeypatch.setenv("TOANTRINH_REGISTRY_TIMEOUT", "2.5")
    reg = build_connectors({"edata": False, "registries": {"vehicles": {"enabled": False}}})
    assert "vehicles" not in reg and "edata" not in reg
    population = reg._connectors["population"]
    assert population.base_url == "http://registries.example.gov.vn"
    assert population.timeout == 2.5
    assert reg._connectors["land"].base_url == "http://land.example.gov.vn"


def test_base_url_is_accepted_as_the_registry_url():
    reg = build_connectors({"base_url": "http://10.0.0.5:9000/", "edata": False})
    assert {c.base_url for c in reg._connectors.values()} == {"http://10.0.0.5:9000"}


def test_supplied_fields_come_from_the_catalogue(registry, tmp_path):
    import json

    from toantrinh.engine.registries.catalog import DEFAULT_CATALOG

    raw = json.loads(DEFAULT_CATALOG.read_text(encoding="utf-8"))
    population = next(r for r in raw["registries"] if r["id"] == "population")
    population["fields"] = ["identity_number", "full_name"]
    population["document_types"] = []
    path = tmp_path / "registries.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    adapter = PopulationConnector(registry.url, catalog=load_catalog(path))
    assert adapter.describe()["fields"] == ["identity_number", "full_name"]
    result = adapter.lookup(identity_number="001090012345")
    assert {k for k in result if k not in {"registry", "found", "documents", "provenance"}} == {
        "identity_number",
        "full_name",
    }
    assert result["documents"] == []


def test_verify_reports_an_expired_document(registry):
    from datetime import date

    from toantrinh.sandbox.synthetic import generate

    today = date.today().isoformat()
    expired = next(
        (holder, rec["fields"]["driving_licence_number"])
        for holder, rec in generate().records["driving_licences"].items()
        if rec["fields"]["driving_licence_expiry"] < today
    )
    result = registry.call(
        "driving_licences.verify",
        {"document_type": "driving_licence", "number": expired[1], "identity_number": expired[0]},
    )
    assert result["valid"] is False and result["status"] == "expired"
