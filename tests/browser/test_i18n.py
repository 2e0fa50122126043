"""Every UI string the pages and scripts use exists in Vietnamese and English."""

from __future__ import annotations

import re
from pathlib import Path

from toantrinh.web.i18n import LANGUAGES, MESSAGES

WEB = Path(__file__).resolve().parents[2] / "web"
# t("key") / t('key') in templates and scripts; keys built at run time (t(`kind.${k}`)) are
# checked through the value lists below
CALL = re.compile(r"""\bt\((["'])([a-z_]+\.[a-z_.]+)\1""")
DYNAMIC = {
    "kind": [
        "submit",
        "receive",
        "verify",
        "appraise",
        "approve",
        "sign",
        "pay",
        "deliver_result",
        "handoff",
        "inspect",
        "other",
    ],
    "actor": ["citizen", "one_stop_desk", "specialist", "leader", "other_agency", "system"],
    "presence": ["none", "required", "required_by_law"],
    "copy": ["original", "certified_copy", "copy", "electronic"],
    "lane": ["citizen", "one_stop_desk", "specialist", "leader", "other_agency"],
    "role": ["admin", "modeller", "officer", "reformer", "citizen"],
    "status": ["in_progress", "completed", "cancelled", "error"],
    "channel": ["online", "in_person", "postal"],
    "crit": ["a", "b", "c", "d", "dd", "e", "g", "h"],
    "fstatus": ["blocked", "potential"],
    "deadline.state": ["not_received", "running", "paused", "ended", "none"],
    "deadline.cause": ["supplement", "payment"],
    "onestop.payment": ["paid", "unpaid", "refunded"],
    "onestop.signature": ["none", "pending", "signed", "failed", "refused"],
    "onestop.portal": ["none", "pending", "synced", "dead"],
    "onestop.portal.row": ["pending", "sent", "dead"],
    "onestop.portal.status": [
        "submitted",
        "received",
        "processing",
        "supplement_requested",
        "payment_requested",
        "withdrawn",
        "stopped",
        "resolved",
        "returned",
    ],
    "catalogue.verdict": [
        "replaceable_by_database",
        "replaceable_by_e_copy",
        "keep",
        "review",
        "note",
        "online",
        "remove",
    ],
}


def _used_keys() -> set[str]:
    keys = set()
    for path in [*WEB.glob("templates/*.html"), *WEB.glob("static/js/*.js")]:
        keys |= {m.group(2) for m in CALL.finditer(path.read_text(encoding="utf-8"))}
    return keys


def test_every_string_used_by_pages_and_scripts_exists_in_both_languages():
    used = _used_keys() | {f"{prefix}.{v}" for prefix, values in DYNAMIC.items() for v in values}
    assert len(used) > 150
    for lang in LANGUAGES:
        missing = sorted(used - set(MESSAGES[lang]))
        assert not missing, f"{lang}: {missing}"


def test_vietnamese_strings_carry_diacritics_and_differ_from_english():
    vi, en = MESSAGES["vi"], MESSAGES["en"]
    assert set(vi) == set(en)
    assert vi["nav.track"] == "Tra cứu hồ sơ" and en["nav.track"] == "Track a dossier"
    translated = [k for k in vi if vi[k] != en[k]]
    assert len(translated) > 0.9 * len(vi)
    assert all(v.strip() for v in [*vi.values(), *en.values()])
