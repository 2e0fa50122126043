"""Tables: process models and versions, dossiers, their events, timers and messages.

* A model version (``ModelVersion``) holds the BPMN, its forms and its serialised spec,
  once; it is immutable and identified by a content hash.
* A dossier (``Dossier``, hồ sơ) holds only its instance state; ``lock_version`` gives
  optimistic concurrency control: an update whose version no longer matches affects no
  row and fails, so two officers completing one task cannot both succeed.
* ``DossierJournal`` holds, for a dossier, the steps committed since its state was last
  dumped, each as the command that made it (``engine/store/journal.py``).
* ``DossierEvent`` is append-only: who did what, when.
* ``Timer`` and ``MessageSubscription`` index what dossiers wait for, so workers find
  due timers and message recipients without loading every dossier; ``Message`` is the
  durable outbox of BPMN messages between dossiers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from toantrinh.engine.db import Base, UTCDateTime, utcnow


class ProcessModel(Base):
    """A procedure (thủ tục hành chính) in the library; its versions hold the BPMN."""

    __tablename__ = "process_model"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    process_id: Mapped[str] = mapped_column(String(200), index=True)
    code: Mapped[str | None] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(500))
    name_en: Mapped[str | None] = mapped_column(String(500))
    procedure: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[ModelVersion]] = relationship(
        back_populates="model", order_by="ModelVersion.number", lazy="selectin"
    )

    @property
    def latest(self) -> ModelVersion | None:
        return self.versions[-1] if self.versions else None


class ModelVersion(Base):
    """One immutable version of a model: BPMN, forms and the parsed spec, stored once."""

    __tablename__ = "model_version"
    __table_args__ = (
        UniqueConstraint("model_id", "number", name="uq_model_version_number"),
        UniqueConstraint("model_id", "content_hash", name="uq_model_version_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("process_model.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    # the large columns load only when read: a dossier step needs just the hash (its spec,
    # forms and task table come from the per-process cache keyed by it)
    bpmn: Mapped[str] = mapped_column(Text, deferred=True)
    forms: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, deferred=True)
    info: Mapped[str] = mapped_column(Text, deferred=True)
    spec: Mapped[str] = mapped_column(Text, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200))

    model: Mapped[ProcessModel] = relationship(back_populates="versions")


class Dossier(Base):
    """A dossier (hồ sơ): one application running one model version.

    Rewritten at every step; on PostgreSQL its pages are filled to 70 % so that those
    updates stay on their page and write no index entry (migration c4d81f07a2e6)."""

    __tablename__ = "dossier"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_code: Mapped[str] = mapped_column(String(40), unique=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("model_version.id"), index=True)
    applicant_id: Mapped[str | None] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="online")
    agency: Mapped[str | None] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(20), default="in_progress", index=True)
    # ~5–15 KB of JSON: the state as it was at lock_version ``state_version`` (empty
    # before the first dump), the steps since then in ``dossier_journal``; read only when
    # the workflow is not in this process's cache (Engine._load_states)
    state: Mapped[str] = mapped_column(Text, deferred=True)
    link_id: Mapped[str | None] = mapped_column(String(120), index=True)
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    state_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    error_retryable: Mapped[bool] = mapped_column(Boolean, default=False)
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # automatic retries made in the current round (engine/commands/retries.py)
    retry_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    full_online: Mapped[bool] = mapped_column(Boolean, default=True)
    # a service task is waiting for a worker (Engine(defer_services=True)); workers and the
    # scheduler pick these up, so a lost queue message delays work but never loses it
    needs_advance: Mapped[bool] = mapped_column(Boolean, default=False, index=True)

    version: Mapped[ModelVersion] = relationship(lazy="joined")

    __table_args__ = (
        # the scheduler's scan of due retries: only the rows with one scheduled (few)
        Index(
            "ix_dossier_retry_due",
            "retry_at",
            postgresql_where=text("retry_at IS NOT NULL"),
            sqlite_where=text("retry_at IS NOT NULL"),
        ),
    )
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": lock_version}

    @property
    def needs_attention(self) -> bool:
        """In error with no automatic retry to come: an officer must look (engine/commands/retries.py)."""
        return self.status == "error" and self.retry_at is None


class DossierJournal(Base):
    """One commit's operations on a dossier, kept as commands (engine/store/journal.py): the
    rows after the dossier's ``state_version``, up to its ``lock_version``, replayed on
    its stored state rebuild it. Deleted when a later state is stored."""

    __tablename__ = "dossier_journal"

    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True
    )
    lock_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry: Mapped[str] = mapped_column(Text)


class DossierEvent(Base):
    """Append-only audit trail of a dossier (and of model deployments)."""

    __tablename__ = "dossier_event"
    __table_args__ = (
        Index("ix_dossier_event_dossier_at", "dossier_id", "id"),
        # who completed a task no longer in the inbox (a lost race is a 409, not a 404):
        # one entry per completion, none for the other events (migration c1e7a4f93b25)
        Index(
            "ix_dossier_event_completed_task",
            "task_id",
            postgresql_where=text("kind = 'task_completed'"),
            sqlite_where=text("kind = 'task_completed'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    # read by dossier (the index above), never by time or kind alone: no index of their
    # own, which every step would pay for (migration c4d81f07a2e6)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    task_id: Mapped[str | None] = mapped_column(String(200))
    task_name: Mapped[str | None] = mapped_column(String(500))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Timer(Base):
    """A timer a dossier waits on; refreshed from the workflow after every step."""

    __tablename__ = "timer"
    __table_args__ = (Index("ix_timer_due", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(500))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReadyTask(Base):
    """A user task ready to be worked: the inbox index, refreshed after every step."""

    __tablename__ = "ready_task"
    __table_args__ = (
        # also the index of every lookup by dossier (its leading column)
        UniqueConstraint("dossier_id", "task_id", name="uq_ready_task_task"),
        # an officer's inbox (agency, lanes), counted and paged in order of arrival
        Index("ix_ready_task_inbox", "agency", "lane", "created_at", "id"),
        # the tasks an officer has claimed: few rows, so only the claimed ones are indexed
        Index(
            "ix_ready_task_claimed",
            "claimed_by",
            postgresql_where=text("claimed_by IS NOT NULL"),
            sqlite_where=text("claimed_by IS NOT NULL"),
        ),
        # the API finds a task by its id alone (GET/POST /tasks/{id}, batches)
        Index("ix_ready_task_task_id", "task_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    task_id: Mapped[str] = mapped_column(String(64))
    bpmn_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(500))
    lane: Mapped[str | None] = mapped_column(String(200))
    agency: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MessageSubscription(Base):
    """A message name a dossier is waiting to catch."""

    __tablename__ = "message_subscription"
    __table_args__ = (Index("ix_message_subscription_name_link", "name", "link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    link_id: Mapped[str | None] = mapped_column(String(120))


class Message(Base):
    """A BPMN message thrown by a dossier, kept until it is delivered (durable outbox)."""

    __tablename__ = "message"
    __table_args__ = (Index("ix_message_pending", "delivered", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    link_id: Mapped[str | None] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source_dossier_id: Mapped[int | None] = mapped_column(
        ForeignKey("dossier.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered: Mapped[bool] = mapped_column(Boolean, default=False)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_to: Mapped[list[int]] = mapped_column(JSON, default=list)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # set when the engine refuses to deliver it (engine/commands/correlation.py: it matched several
    # waiting dossiers); a refused message is final, ``last_error`` says why
    refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
