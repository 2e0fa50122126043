"""Correlation of BPMN messages between the dossiers of a linked group.

A linked group (liên thông, Decree 63/2024/NĐ-CP: birth + residence + health-insurance
card; death + residence removal + funeral allowance) is one family's dossiers across
agencies. SpiffWorkflow routes messages only inside one workflow; between dossiers the
engine routes them by message name and the group's key, ``link_id``.

The key is the engine's, never the caller's (issue 27.1): the dossier that starts a
group takes its own receipt code — unique in the ``dossier`` table — as the key; a
dossier started by a message of the group, or started with ``linked_to`` naming a
dossier of the group, takes the group's key. A ``link_id`` a caller supplies is only a
reference (``link_ref`` in the data and the ``dossier_started`` event), so no caller can
make two groups share a key. Every message a dossier throws carries its dossier's key
(the row's ``link_id``, and a ``link_id`` in the payload, if the model put one there, is
overwritten with it), whatever the model's payload says.

A message is delivered to the one dossier of its group that waits for its name. One
that matches several waiting dossiers is refused — recorded on the message
(``refused_at``, ``last_error``) and as a ``message_refused`` event on the dossier that
threw it — never delivered to all of them. A message without a key (thrown before keys
existed, or injected without one) is delivered to no waiting dossier; it may still start
a dossier of a model whose start event catches it, which then starts a group of its own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from toantrinh.engine.persistence import Dossier, Message, MessageSubscription


class AmbiguousMessage(Exception):
    """A message matches more than one waiting dossier."""

    def __init__(self, message: Message, candidates: list[int]):
        self.candidates = candidates
        super().__init__(
            f"thông điệp '{message.name}' của nhóm liên thông '{message.link_id}' khớp "
            f"{len(candidates)} hồ sơ đang chờ ({', '.join(map(str, candidates))}); "
            "không gửi cho hồ sơ nào"
        )


def new_group_key(receipt_code: str) -> str:
    """The key of a group whose first dossier has this receipt code."""
    return receipt_code


def group_of(dossier: Dossier) -> str:
    """The key a dossier joining ``dossier``'s group takes."""
    return dossier.link_id or new_group_key(dossier.receipt_code)


def outgoing(dossier: Dossier, payload: Any) -> tuple[str | None, Any]:
    """The key and payload of a message ``dossier`` throws: its own group's key, in the
    row and in the payload's ``link_id`` where the model put one."""
    if isinstance(payload, dict) and "link_id" in payload:
        payload = {**payload, "link_id": dossier.link_id}
    return dossier.link_id, payload


def waiting_recipient(session: Session, message: Message) -> int | None:
    """The dossier waiting for ``message`` in its group (other than its sender), or
    ``None``; raise :class:`AmbiguousMessage` when several wait for it."""
    if not message.link_id:
        return None
    waiting = sorted(
        set(
            session.scalars(
                select(MessageSubscription.dossier_id).where(
                    MessageSubscription.name == message.name,
                    MessageSubscription.link_id == message.link_id,
                )
            )
        )
        - {message.source_dossier_id}
    )
    if len(waiting) > 1:
        raise AmbiguousMessage(message, waiting)
    return waiting[0] if waiting else None
