"""``procedure.json`` of a drafted record: the library contract (``docs/process-models.md``)
filled from what the record publishes, with a source for every figure and a ``null`` with
a reason for what it does not."""

from __future__ import annotations

import re

from .channels import Channel
from .record import Record


def slug_of(code: str) -> str:
    """Folder slug of a code: ``1.000894`` → ``tthc-1-000894``."""
    return "tthc-" + re.sub(r"[^0-9a-z]+", "-", code.lower()).strip("-")


def procedure_json(record: Record, process_id: str) -> dict:
    """The ``procedure.json`` of a record whose model has the process ``process_id``."""
    time, time_source = record.statutory_time()
    fee, online_fee, fee_source = record.fee()
    days = None
    working = True
    if time:
        working = time.unit in ("working_days", "hours", "working_hours", "minutes")
        days = (
            max(1, round(time.working_days))
            if time.working_days is not None
            else max(1, round(time.calendar_days))
        )
    online = any(c.mode == "online" for c in record.channels)
    agency = (
        record.agency
        if len(record.agency) >= 3
        else (record.ministry or "Cơ quan có thẩm quyền (bản ghi không nêu)")
    )
    legal = [
        f"{d.title} ({d.code})" if d.code and d.code not in d.title else d.title
        for d in record.legal
        if len(d.title) >= 5
    ] or ["Bản ghi không nêu căn cứ pháp lý"]
    result = record.results[0] if record.results else None
    out: dict = {
        "code": record.code,
        "code_note": "Mã trên Cơ sở dữ liệu quốc gia về thủ tục hành chính; mô hình dự thảo "
        "từ bản ghi công bố (toantrinh catalogue import)",
        "slug": slug_of(record.code),
        "name": {"vi": record.name, "en": f"Procedure {record.code} (English name not published)"},
        "agency_level": record.agency_level,
        "agency": agency,
        "field": record.field or "Chưa xác định",
        "legal_basis": legal,
        "processing_time": {
            "days": days,
            "working_days": working,
            "source": time_source or "Bản ghi không nêu thời hạn giải quyết",
        },
        "fee": {
            "amount": fee,
            "online_amount": online_fee,
            "currency": "VND",
            "source": fee_source if fee is not None else "Bản ghi không nêu mức phí",
        },
        "annual_volume": {
            "dossiers": record.volume,
            "source": "Bản ghi công bố"
            if record.volume
            else "Bản ghi không nêu số hồ sơ/năm; cần số liệu của Hệ thống thông tin giải quyết TTHC",
            "estimate": record.volume is None,
        },
        "delivery_level": "partial_online" if online else "information",
        "bpmn": f"{record.code}.bpmn",
        "process_id": process_id,
        "catalogue": _catalogue(record),
    }
    if result:
        out["result_document"] = {
            "document_type": result.code or "ket_qua_" + record.code,
            "title": result.name,
            "when": "result == 'issued'",
        }
    return out


def _catalogue(record: Record) -> dict:
    """What the record says beyond the contract."""
    return {
        "decision": record.decision,
        "ministry": record.ministry,
        "levels": record.levels,
        "kind": record.kind,
        "subjects": record.subjects,
        "channels": [_channel_json(c) for c in record.channels],
        "results": [{"name": r.name, "code": r.code} for r in record.results],
        "legal": [{"title": d.title, "code": d.code, "kind": d.kind} for d in record.legal],
        "source_url": record.url,
        "shape": record.shape,
    }


def _channel_json(c: Channel) -> dict:
    return {
        "mode": c.mode,
        "label": c.label,
        "time": {"amount": c.time.amount, "unit": c.time.unit, "text": c.time.text}
        if c.time
        else None,
        "fee": {
            "amount": c.fee.amount,
            "free": c.fee.free,
            "text": c.fee.text,
            "currency": c.fee.currency,
            "note": c.fee.note,
        },
        "description": c.description[:500],
    }
