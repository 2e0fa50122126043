"""E-data warehouse: store results per applicant, find valid ones, expiry (SQLite, PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, delete
from sqlalchemy.orm import sessionmaker

from toantrinh.engine.db import Base, install_sqlite_pragmas
from toantrinh.engine.warehouse import (
    WarehouseDocument,
    content_hash,
    edata_connector,
    find_by_result_code,
    find_valid,
    store_result,
)

URLS = ["sqlite"]
if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
    URLS.append("postgresql")


@pytest.fixture(params=URLS)
def sessions(request, tmp_path):
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'kho.db'}")
        install_sqlite_pragmas(engine)
    else:
        engine = create_engine(os.environ["DATABASE_URL"])
    Base.metadata.create_all(engine, tables=[WarehouseDocument.__table__])
    maker = sessionmaker(bind=engine, expire_on_commit=False)
    yield maker
    with maker.begin() as s:
        s.execute(delete(WarehouseDocument))
    engine.dispose()


def applicant() -> str:
    return f"0010900{uuid.uuid4().int % 10**5:05d}"


def test_store_then_find_valid_document(sessions):
    who = applicant()
    with sessions.begin() as s:
        doc = store_result(
            s,
            applicant_id=who,
            document_type="criminal_record_certificate",
            title="Phiếu lý lịch tư pháp số 1",
            issuer="Sở Tư pháp Thành phố Hà Nội",
            data={"criminal_record": "Không có án tích"},
            valid_until=datetime.now(UTC) + timedelta(days=180),
            source_dossier_id="HS-1",
        )
        code = doc.result_code
    with sessions() as s:
        found = find_valid(s, who, "criminal_record_certificate")
        assert [d.result_code for d in found] == [code]
        assert found[0].content_hash == content_hash({"criminal_record": "Không có án tích"})
        assert found[0].data["criminal_record"] == "Không có án tích"
        assert find_by_result_code(s, code).source_dossier_id == "HS-1"
        assert find_valid(s, who, "passport") == []
        assert find_valid(s, applicant(), "criminal_record_certificate") == []


def test_expired_documents_are_not_reused(sessions):
    who = applicant()
    now = datetime.now(UTC)
    with sessions.begin() as s:
        store_result(
            s,
            applicant_id=who,
            document_type="health_certificate",
            title="Giấy khám sức khỏe",
            issuer="Bệnh viện Bạch Mai",
            issued_at=now - timedelta(days=200),
            valid_until=now - timedelta(days=20),
        )
        fresh = store_result(
            s,
            applicant_id=who,
            document_type="health_certificate",
            title="Giấy khám sức khỏe",
            issuer="Bệnh viện Bạch Mai",
            issued_at=now - timedelta(days=10),
            valid_until=now + timedelta(days=170),
        )
        store_result(
            s,
            applicant_id=who,
            document_type="birth_certificate",
            title="Giấy khai sinh",
            issuer="UBND Phường Ba Đình",
            issued_at=now - timedelta(days=9000),
        )
        fresh_code = fresh.result_code
    with sessions() as s:
        assert [d.result_code for d in find_valid(s, who, "health_certificate")] == [fresh_code]
        later = now + timedelta(days=200)
        assert find_valid(s, who, "health_certificate", at=later) == []
        assert len(find_valid(s, who, "birth_certificate", at=later)) == 1
        assert len(find_valid(s, who)) == 2


def test_valid_until_must_follow_issue(sessions):
    with sessions() as s, pytest.raises(ValueError):
        store_result(
            s,
            applicant_id=applicant(),
            document_type="passport",
            title="Hộ chiếu",
            issuer="Cục Quản lý xuất nhập cảnh",
            issued_at="2026-01-10",
            valid_until="2025-01-10",
        )


def test_edata_connector_stores_and_finds_for_service_tasks(sessions):
    who = applicant()
    edata = edata_connector(sessions)
    assert (
        edata.call("find", {"applicant_id": who, "document_type": "birth_certificate"})["found"]
        is False
    )
    stored = edata.call(
        "store",
        {
            "applicant_id": who,
            "document_type": "birth_certificate",
            "title": "Trích lục khai sinh",
            "issuer": "UBND Phường Ba Đình",
            "data": {"birth_registration_number": "KS.2026.001.000123"},
        },
    )
    assert stored["result_code"].startswith("KQ-")
    found = edata.call("find", {"applicant_id": who, "document_type": "birth_certificate"})
    assert found["found"] is True
    assert found["data"]["birth_registration_number"] == "KS.2026.001.000123"
    assert found["provenance"]["record_id"] == stored["result_code"]
