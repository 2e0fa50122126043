"""The prefix of a dossier's receipt code (mã biên nhận hồ sơ): whose procedure it is.

``receipt_prefix`` of ``procedure.json`` when given (``LLTP`` for the criminal record
certificate); else the procedure's national code (``1.000894`` → ``1000894``); else the
initials of its slug, so that a procedure without either — the linked procedures of
Decree 63/2024/NĐ-CP, a model deployed without its card — still gets its own prefix
(``lien-thong-bhyt-tre-em`` → ``LTBTE``) instead of the generic ``HS``.
"""

from __future__ import annotations

from typing import Any

GENERIC = "HS"
MAX_LENGTH = 10


def receipt_prefix(procedure: dict[str, Any] | None, code: str | None, slug: str | None) -> str:
    """The prefix for dossiers of a procedure: letters and digits, upper case, ≤ 10."""
    for candidate in ((procedure or {}).get("receipt_prefix"), code, _initials(slug)):
        stem = "".join(ch for ch in str(candidate or "") if ch.isascii() and ch.isalnum())
        if stem:
            return stem.upper()[:MAX_LENGTH]
    return GENERIC


def _initials(slug: str | None) -> str:
    words = [w for w in (slug or "").replace("_", "-").split("-") if w]
    return (
        "".join(w[0] for w in words) if len(words) > 1 else (words[0][:MAX_LENGTH] if words else "")
    )
