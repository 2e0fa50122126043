"""What a dossier owes (phí, lệ phí), with the reductions for online submission applied.

The procedure card (procedure.json ``fee``) gives ``amount`` and, where the law reduces
it for dossiers submitted online, ``online_amount`` with its ``source``: Circular
63/2023/TT-BTC reduced eight fees by 10–50 % for online submission (domain.md), and
provinces set their own (some to zero). Time-bound or province-wide rules are data:
``data/fee_reductions.json`` (``TOANTRINH_FEE_REDUCTIONS``), each rule with its legal
basis, its period and whether it was confirmed against the text; the lowest amount wins.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from toantrinh.bpmn import datafiles

RULES = datafiles.path("data", "fee_reductions.json")
ONLINE_CHANNELS = ("online", "portal")


@dataclass
class FeeQuote:
    """The amount due (VND) and why."""

    amount: int
    base_amount: int
    basis: list[str] = field(default_factory=list)

    @property
    def reduced(self) -> bool:
        return self.amount < self.base_amount


def load_rules(path: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    path = Path(path or os.environ.get("TOANTRINH_FEE_REDUCTIONS") or RULES)
    if not path.is_file():
        return []
    return list(json.loads(path.read_text("utf-8")).get("rules", []))


def _applies(rule: dict[str, Any], slug: str, code: str | None, channel: str, on: date) -> bool:
    if rule.get("procedure", "*") not in ("*", slug) and rule.get("procedure") != code:
        return False
    if channel not in rule.get("channels", list(ONLINE_CHANNELS)):
        return False
    start, until = rule.get("from"), rule.get("until")
    return not (start and on < date.fromisoformat(start)) and not (
        until and on > date.fromisoformat(until)
    )


def quote(
    procedure: dict[str, Any], channel: str, on: date, rules: list[dict[str, Any]] | None = None
) -> FeeQuote:
    """The fee of ``procedure`` for a dossier on ``channel`` on day ``on``."""
    fee = procedure.get("fee") or {}
    base = int(fee.get("amount") or 0)
    result = FeeQuote(base, base, [fee["source"]] if fee.get("source") else [])
    if channel in ONLINE_CHANNELS and fee.get("online_amount") is not None:
        online = int(fee["online_amount"])
        if online < result.amount:
            result.amount = online
            result.basis = [f"Mức thu khi nộp trực tuyến: {fee.get('source') or 'procedure.json'}"]
    slug, code = procedure.get("slug", ""), procedure.get("code")
    for rule in rules if rules is not None else load_rules():
        if not _applies(rule, slug, code, channel, on):
            continue
        amount = rule["amount"] if "amount" in rule else round(base * (100 - rule["percent"]) / 100)
        if int(amount) < result.amount:
            result.amount = int(amount)
            note = "" if rule.get("confirmed") else " (chưa đối chiếu văn bản)"
            result.basis = [f"{rule.get('basis', 'quy định giảm phí')}{note}"]
    return result
