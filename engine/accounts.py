"""Accounts and subscriptions: bearer tokens, consents, webhook subscriptions, notifications.

The API authenticates with these tables, the CLI names tokens by them and the notification
dispatch (:mod:`toantrinh.engine.notify`) logs its deliveries in them, so they live in the engine.

They live on the engine's :class:`~toantrinh.engine.db.Base` (so one Alembic history covers them),
with names prefixed ``api_``. Mutations of these tables are audited as
:class:`~toantrinh.engine.persistence.DossierEvent` rows with ``dossier_id`` None.

The commands below make each change with its audit row and commit them together (the API's
views call them, docs/architecture.md "Inside the API"); :func:`record_event` commits an
audit row on its own, for a read of personal data or a printed notice.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    bindparam,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from toantrinh.engine import clock
from toantrinh.engine.db import Base, UTCDateTime, utcnow
from toantrinh.engine.persistence import DossierEvent

ROLES = ("admin", "modeller", "officer", "reformer", "citizen")
LANES = ("one_stop_desk", "specialist", "leader")


class ApiToken(Base):
    """A bearer token; only its SHA-256 digest is stored, never the token itself."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), index=True)
    agency: Mapped[str | None] = mapped_column(String(200))
    lanes: Mapped[list[str]] = mapped_column(JSON, default=list)
    identity_number: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiConsent(Base):
    """A citizen's consent (sự đồng ý) to let agencies read one registry for one purpose.

    Law on Data 60/2024/QH15 and Decree 13/2023/NĐ-CP on personal data protection: an
    agency reads personal data held in a database for a stated purpose, with the data
    subject's consent; the consent can be withdrawn.
    """

    __tablename__ = "api_consents"
    __table_args__ = (Index("ix_api_consents_subject", "identity_number", "registry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    identity_number: Mapped[str] = mapped_column(String(64))
    registry_id: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(500))
    agency: Mapped[str | None] = mapped_column(String(200))
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiWebhook(Base):
    """A webhook subscription: dossier events POSTed as HMAC-signed JSON to ``url``."""

    __tablename__ = "api_webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(1000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200))


class ApiNotification(Base):
    """One delivery attempt of a notification (email, SMS or webhook): the delivery log."""

    __tablename__ = "api_notifications"
    __table_args__ = (Index("ix_api_notifications_dossier", "dossier_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# built once (issue 7): the token of a request whose digest the process has not cached
_TOKEN_BY_DIGEST = select(ApiToken).where(ApiToken.token_hash == bindparam("digest"))


def token_by_digest(session: Session, digest: str) -> ApiToken | None:
    """The token row whose SHA-256 digest is ``digest`` (revoked or expired included)."""
    return session.scalar(_TOKEN_BY_DIGEST, {"digest": digest})


def token(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def officers_of(session: Session, agency: str | None) -> dict[str, list[str]]:
    """The agency's officers (actor ``officer:<name>`` → lanes), from their live tokens."""
    now = clock.now()
    rows = session.execute(
        select(ApiToken.name, ApiToken.lanes).where(
            ApiToken.role == "officer",
            ApiToken.agency == agency,
            ApiToken.revoked_at.is_(None),
            or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now),
        )
    )
    out: dict[str, list[str]] = {}
    for name, lanes in rows:
        out.setdefault(f"officer:{name}", [])
        out[f"officer:{name}"] = sorted(set(out[f"officer:{name}"]) | set(lanes or []))
    return out


def active_consent(
    session: Session, identity_number: str, registry: str, agency: str | None, now: datetime
) -> ApiConsent | None:
    """The newest consent in force at ``now`` for reading ``registry`` about a person by
    ``agency``: one given to that agency or to every agency (``agency`` None: only the
    latter)."""
    query = select(ApiConsent).where(
        ApiConsent.identity_number == identity_number,
        ApiConsent.registry_id == registry,
        ApiConsent.revoked_at.is_(None),
        or_(ApiConsent.expires_at.is_(None), ApiConsent.expires_at > now),
    )
    if agency:
        query = query.where(or_(ApiConsent.agency.is_(None), ApiConsent.agency == agency))
    else:
        query = query.where(ApiConsent.agency.is_(None))
    return session.scalars(query.order_by(ApiConsent.id.desc())).first()


def consents_of(session: Session, identity_number: str | None) -> list[ApiConsent]:
    """One person's consents, in the order given."""
    query = select(ApiConsent).where(ApiConsent.identity_number == identity_number)
    return list(session.scalars(query.order_by(ApiConsent.id)))


def all_consents(session: Session) -> list[ApiConsent]:
    """Everyone's consents, in the order given."""
    return list(session.scalars(select(ApiConsent).order_by(ApiConsent.id)))


def consent(session: Session, consent_id: int) -> ApiConsent | None:
    return session.get(ApiConsent, consent_id)


def webhooks(session: Session) -> list[ApiWebhook]:
    """Every webhook subscription, in the order made."""
    return list(session.scalars(select(ApiWebhook).order_by(ApiWebhook.id)))


def webhook(session: Session, webhook_id: int) -> ApiWebhook | None:
    return session.get(ApiWebhook, webhook_id)


# ------------------------------------------------------------------------------ commands


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return "tt_" + secrets.token_urlsafe(32)


def _audit(
    session: Session, kind: str, actor: str, detail: dict[str, Any], dossier_id: int | None = None
) -> None:
    session.add(
        DossierEvent(dossier_id=dossier_id, at=clock.now(), actor=actor, kind=kind, detail=detail)
    )


def record_event(
    session: Session, kind: str, actor: str, detail: dict[str, Any], dossier_id: int | None = None
) -> None:
    """Write one row of the audit trail (a read of personal data, a notice printed); commits."""
    _audit(session, kind, actor, detail, dossier_id)
    session.commit()


def issue_token(
    session: Session,
    *,
    name: str,
    role: str,
    agency: str | None = None,
    lanes: list[str] | None = None,
    identity_number: str | None = None,
    created_by: str,
    expires_in: timedelta | None = None,
) -> tuple[str, ApiToken]:
    """Create a token row with its ``token_created`` audit row; commits. Returns the clear
    token, shown once, and the row."""
    token = new_token()
    row = ApiToken(
        token_hash=hash_token(token),
        name=name,
        role=role,
        agency=agency,
        lanes=list(lanes or []),
        identity_number=identity_number,
        created_by=created_by,
        created_at=clock.now(),
        expires_at=clock.now() + expires_in if expires_in else None,
    )
    session.add(row)
    session.flush()
    _audit(
        session,
        "token_created",
        created_by,
        {"token_id": row.id, "role": row.role, "name": row.name, "agency": row.agency},
    )
    session.commit()
    return token, row


def revoke_token(session: Session, row: ApiToken, by: str) -> None:
    """Revoke the token (audited, committed); nothing to do when it is revoked already."""
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        _audit(session, "token_revoked", by, {"token_id": row.id})
        session.commit()


def grant_consent(
    session: Session,
    identity_number: str | None,
    registry: str,
    purpose: str,
    *,
    agency: str | None,
    dossier_id: int | None,
    expires_at: datetime | None,
    by: str,
) -> ApiConsent:
    """Record a person's consent with its ``consent_granted`` audit row; commits."""
    consent = ApiConsent(
        identity_number=identity_number,
        registry_id=registry,
        purpose=purpose,
        agency=agency,
        dossier_id=dossier_id,
        granted_at=clock.now(),
        expires_at=expires_at,
    )
    session.add(consent)
    session.flush()
    _audit(
        session,
        "consent_granted",
        by,
        {
            "consent_id": consent.id,
            "registry": consent.registry_id,
            "purpose": consent.purpose,
            "agency": consent.agency,
        },
        dossier_id=consent.dossier_id,
    )
    session.commit()
    return consent


def revoke_consent(session: Session, consent: ApiConsent, by: str) -> None:
    """Withdraw the consent (audited, committed); nothing to do when it is withdrawn already."""
    if consent.revoked_at is None:
        consent.revoked_at = clock.now()
        _audit(
            session,
            "consent_revoked",
            by,
            {"consent_id": consent.id, "registry": consent.registry_id},
            dossier_id=consent.dossier_id,
        )
        session.commit()


def create_webhook(
    session: Session, url: str, events: list[str], secret: str | None, by: str
) -> ApiWebhook:
    """Subscribe ``url`` to ``events`` (a secret made here when none is given), with its
    ``webhook_created`` audit row; commits."""
    hook = ApiWebhook(
        url=url,
        events=sorted(set(events)),
        secret=secret or secrets.token_urlsafe(32),
        active=True,
        created_at=clock.now(),
        created_by=by,
    )
    session.add(hook)
    session.flush()
    _audit(
        session,
        "webhook_created",
        by,
        {"webhook_id": hook.id, "url": hook.url, "events": hook.events},
    )
    session.commit()
    return hook


def delete_webhook(session: Session, hook: ApiWebhook, by: str) -> None:
    """Remove the subscription, with its ``webhook_deleted`` audit row; commits."""
    session.delete(hook)
    _audit(session, "webhook_deleted", by, {"webhook_id": hook.id, "url": hook.url})
    session.commit()
