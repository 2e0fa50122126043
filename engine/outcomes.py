"""What a dossier came to ("kết quả giải quyết") and whether a step was done in person.

Two small readings of a dossier's data, shared by the engine (which records them), the
EMC indicators (engine/metrics.py) and the pages:

* ``outcome(status, data)``: ``issued`` (a result was granted: issued, registered,
  confirmed …), ``refused`` (the agency refused, with the officer's reason),
  ``withdrawn`` (the citizen or the desk cancelled the dossier), ``expired`` (cancelled by
  the engine because the citizen did not supplement in time), or ``None`` while the dossier
  is still being processed. A refusal is *not* a result (issue 26 item 4): the pages say
  "refused" and show the reason, never "Đã có kết quả".
* ``done_in_person(step, data)``: whether completing a task took the applicant to the
  office, which is what makes a dossier fall out of full-process online (toàn trình,
  Circular 01/2023/TT-VPCP Art. 13(1)(e)).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from toantrinh.engine.persistence import DossierEvent

IN_PERSON = ("required", "required_by_law")
# ways of handing a result over that need no visit (the `delivered_via`/`delivery_method`
# values the library's delivery forms offer)
REMOTE_DELIVERY = frozenset(
    {"vneid", "postal", "online", "email", "Trực tuyến", "Bưu chính công ích"}
)
REFUSED = frozenset({"refused", "vehicle_not_eligible", "rejected"})
# the keys an officer's reason is kept under, most specific first
REASON_KEYS = (
    "decision_reason",
    "refusal_reason",
    "reason",
    "appraisal_opinion",
    "signer_note",
    "missing_items",
    "receipt_note",
)
OUTCOMES = ("issued", "refused", "withdrawn", "expired")


def done_in_person(step: dict[str, Any] | None, data: dict[str, Any]) -> bool:
    """True when a task annotated as needing presence was done in person.

    A delivery step is annotated ``presence="required"`` where the law lets the desk hand
    the result over at the counter, but the officer records how it was handed over: a
    result sent through VNeID or by post took nobody to the office. Before issue 26 the
    annotation alone cleared the dossier's full-online flag, so a dossier submitted, paid
    and delivered online counted 0 % full-online.
    """
    if not step or step.get("presence") not in IN_PERSON:
        return False
    if step.get("kind") == "deliver_result":
        via = data.get("delivered_via", data.get("delivery_method"))
        if via in REMOTE_DELIVERY:
            return False
    return True


def summary(status: str, data: dict[str, Any] | None) -> dict[str, Any]:
    """``{"outcome": …, "reason": …}`` as the engine records it on the dossier's last event
    (``dossier_completed``): the reason only for an outcome other than ``issued``."""
    found = outcome(status, data)
    return {"outcome": found, "reason": reason(data) if found not in (None, "issued") else None}


def recorded(status: str, events: list[Any]) -> dict[str, Any]:
    """The outcome and reason of a dossier from its events (the last terminal one), with
    the result code of the e-result the engine kept in the applicant's warehouse, if any."""
    found = _recorded(status, events)
    found["result_code"] = next(
        (
            e.detail.get("result_code")
            for e in reversed(events)
            if e.kind == "result_stored" and e.detail
        ),
        None,
    )
    return found


def outcomes_of(session: Any, dossiers: list[Any]) -> dict[int, str]:
    """The outcome of each finished dossier of a page, in one query of their last events."""
    ended = {d.id: d.status for d in dossiers if d.status in ("completed", "cancelled")}
    if not ended:
        return {}
    found: dict[int, str] = {}
    rows = session.execute(
        select(DossierEvent.dossier_id, DossierEvent.kind, DossierEvent.detail)
        .where(
            DossierEvent.dossier_id.in_(list(ended)),
            DossierEvent.kind.in_(("dossier_completed", "dossier_cancelled")),
        )
        .order_by(DossierEvent.id)
    )
    for dossier_id, kind, detail in rows:
        detail = detail or {}
        if kind == "dossier_cancelled":
            found[dossier_id] = detail.get("outcome") or outcome(
                "cancelled", {}, detail.get("reason")
            )
        else:
            found[dossier_id] = detail.get("outcome") or outcome(ended[dossier_id], {})
    return found


def _recorded(status: str, events: list[Any]) -> dict[str, Any]:
    for event in reversed(events):
        if event.kind in ("dossier_completed", "dossier_cancelled"):
            detail = event.detail or {}
            if event.kind == "dossier_cancelled":
                return {
                    "outcome": detail.get("outcome")
                    or outcome("cancelled", {}, detail.get("reason")),
                    "reason": detail.get("reason") or None,
                }
            if "outcome" in detail:
                return {"outcome": detail["outcome"], "reason": detail.get("reason")}
            return {"outcome": outcome(status, {}), "reason": None}  # recorded before issue 26
    return {"outcome": None, "reason": None}


def outcome(
    status: str, data: dict[str, Any] | None, cancel_reason: str | None = None
) -> str | None:
    """``issued``, ``refused``, ``withdrawn``, ``expired`` or ``None`` (still in progress)."""
    data = data or {}
    if status == "cancelled":
        return "expired" if cancel_reason == "expired" else "withdrawn"
    if status != "completed":
        return None
    decision = data.get("decision")
    if decision == "refuse" or data.get("result") in REFUSED:
        return "refused"
    if data.get("approved") is False and data.get("result") is None:
        return "refused"
    return "issued"


def reason(data: dict[str, Any] | None) -> str | None:
    """The officer's reason for a decision other than approval, if one was given."""
    data = data or {}
    for key in REASON_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None
