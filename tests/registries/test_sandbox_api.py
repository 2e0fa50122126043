"""The sandbox's own HTTP API (what a real registry endpoint would answer)."""

from __future__ import annotations

import pytest

from toantrinh.sandbox.app import create_app


@pytest.fixture(scope="module")
def client():
    return create_app(api_key="khoa").test_client()


def test_health_and_catalogue_listing(client):
    assert client.get("/health").get_json()["status"] == "ok"
    listing = client.get("/api/v1/registries").get_json()["registries"]
    by_id = {r["id"]: r for r in listing}
    assert by_id["population"]["name_vi"] == "Cơ sở dữ liệu quốc gia về dân cư"
    assert by_id["population"]["records"] > 400


def test_lookup_requires_the_key_and_exactly_one_parameter(client):
    assert client.get("/api/v1/population/records?identity_number=001090012345").status_code == 401
    headers = {"X-API-Key": "khoa"}
    ok = client.get("/api/v1/population/records?identity_number=001090012345", headers=headers)
    assert ok.status_code == 200 and ok.get_json()["fields"]["full_name"] == "Nguyễn Văn An"
    bad = client.get("/api/v1/population/records?identity_number=1&full_name=x", headers=headers)
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    missing = client.get("/api/v1/population/records?identity_number=001099999999", headers=headers)
    assert missing.status_code == 404 and "Không có bản ghi" in missing.get_json()["detail"]
    unknown = client.get("/api/v1/weather/records?identity_number=001090012345", headers=headers)
    assert unknown.status_code == 404


def test_secondary_keys_resolve_to_the_same_record(client):
    headers = {"X-API-Key": "khoa"}
    by_number = client.get(
        "/api/v1/driving_licences/records?driving_licence_number=010123456789", headers=headers
    ).get_json()
    assert by_number["key"] == "001090012345"
    by_certificate = client.get(
        "/api/v1/land/records?land_certificate_number=DA%20123456", headers=headers
    )
    assert by_certificate.get_json()["fields"]["land_owner"] == "Nguyễn Văn An"
