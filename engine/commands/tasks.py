"""Commands on user tasks: claim and complete, one or a batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import (
    or_,
    select,
    update,
)
from sqlalchemy.exc import OperationalError

from toantrinh.engine import (
    audit,
    clock,
    outcomes,
)
from toantrinh.engine import forms as formlib
from toantrinh.engine.db import sqlite_write_intent
from toantrinh.engine.errors import ConflictError, DossierStateError, EngineError, NotFoundError
from toantrinh.engine.persistence import (
    Dossier,
    DossierEvent,
    ReadyTask,
)
from toantrinh.engine.store.records import (
    _NO_FORM,
    _SERIALIZER,
    RESERVED_KEYS,
    TERMINAL,
    _Indexes,
    _Step,
)
from toantrinh.engine.store.statements import _READ_DOSSIERS
from toantrinh.engine.store.unit_of_work import _retry_stale_snapshot
from toantrinh.engine.workflow import (
    Operation,
    operating,
)

_ALREADY_DONE = "hồ sơ vừa được người khác cập nhật: tác vụ này đã được hoàn thành; hãy tải lại"


class _Rejected(Exception):
    """An item of a batch refused before anything changed; ``args[0]`` says why."""


def _outcome(dossier_id: int, task_id: str, err: Exception) -> BatchOutcome:
    if isinstance(err, formlib.FormValidationError):
        return BatchOutcome(
            dossier_id,
            str(task_id),
            False,
            422,
            str(err),
            [{"field": e.field, "message": e.message} for e in err.errors],
        )
    status = getattr(err, "status", 400)
    return BatchOutcome(dossier_id, str(task_id), False, status, str(err))


@dataclass
class BatchOutcome:
    """One item of :meth:`Engine.complete_tasks`: done, or why not (``status`` as HTTP)."""

    dossier_id: int
    task_id: str
    ok: bool
    status: int = 200
    error: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)


class TaskCommands:
    """Claiming and completing user tasks (tác vụ), one or a batch.
    Part of :class:`toantrinh.engine.service.Engine`."""

    @_retry_stale_snapshot
    def claim_task(self, dossier_id: int, task_id: str, actor: str) -> ReadyTask:
        self._inbox_committed.pop(dossier_id, None)  # a claim changes a row
        row = self.session.scalar(
            select(ReadyTask).where(
                ReadyTask.dossier_id == dossier_id, ReadyTask.task_id == task_id
            )
        )
        if row is None:
            raise DossierStateError("tác vụ không ở trạng thái sẵn sàng")
        if row.claimed_by and row.claimed_by != actor:
            raise ConflictError(f"tác vụ đã được {row.claimed_by} nhận xử lý")
        # conditional on the row still being unclaimed (or ours): of two officers claiming
        # at once, exactly one gets it, on PostgreSQL's read-committed as on SQLite
        try:
            claimed = self.session.execute(
                update(ReadyTask)
                .where(
                    ReadyTask.id == row.id,
                    or_(ReadyTask.claimed_by.is_(None), ReadyTask.claimed_by == actor),
                )
                .values(claimed_by=actor, claimed_at=clock.now())
                .execution_options(synchronize_session=False)
            ).rowcount
        except OperationalError as err:
            self._raise_conflict(err)
        if claimed != 1:
            self.session.rollback()
            holder = self.session.scalar(select(ReadyTask.claimed_by).where(ReadyTask.id == row.id))
            self.session.rollback()
            raise ConflictError(f"tác vụ đã được {holder or 'người khác'} nhận xử lý")
        self._event_by_id(dossier_id, "task_claimed", actor, task_id=task_id, task_name=row.name)
        self._commit()
        self.session.refresh(row)
        return row

    @_retry_stale_snapshot
    def complete_task(
        self,
        dossier_id: int,
        task_id: str,
        data: dict[str, Any] | None = None,
        *,
        actor: str | None = None,
    ) -> Dossier:
        """Complete a ready user task with form data validated against its form."""
        dossier = self.get(dossier_id)
        indexes = self._read_indexes([dossier.id])
        try:
            self._complete(dossier, task_id, data, actor, indexes[dossier.id])
        except _Rejected as rejected:
            raise rejected.args[0]  # noqa: B904 — the refusal itself, as the caller expects
        self._commit()
        return dossier

    def complete_tasks(
        self, items: list[tuple[int, str, dict[str, Any] | None]], *, actor: str | None = None
    ) -> list[BatchOutcome]:
        """Complete ready tasks of several dossiers (an officer signing a batch, a portal
        syncing submissions) in one transaction: one read of the dossiers, one of their
        index rows, one write of each kind, one commit.

        Each item stands alone: an item that cannot be done (task not ready, claimed by
        someone else, invalid form data) gets its error in its outcome and changes
        nothing, the others go ahead. If the batch's commit loses a race (another step
        on one of its dossiers committed first), the items are done one by one instead,
        each in its own transaction, so that only the dossier in conflict reports it.
        """
        ids = [dossier_id for dossier_id, _, _ in items]
        if len(set(ids)) != len(ids):
            raise EngineError("mỗi hồ sơ chỉ có một tác vụ trong một lô")
        token = None
        if self._dialect == "sqlite" and not (
            self.session.new or self.session.dirty or self.session.deleted
        ):
            # one snapshot for the whole batch, taken with the write lock (see db.py)
            self.session.commit()
            token = sqlite_write_intent.set(True)
        outcomes: list[BatchOutcome | None] = [None] * len(items)
        try:
            dossiers = {
                d.id: d
                for d in self.session.scalars(_READ_DOSSIERS[self._ids_as_array], {"ids": ids})
            }
            indexes = self._read_indexes(list(dossiers))
            self._load_states(dossiers.values())  # those not in the cache, in one query
            for n, (dossier_id, task_id, data) in enumerate(items):
                dossier = dossiers.get(dossier_id)
                try:
                    if dossier is None:
                        raise NotFoundError(f"không tìm thấy hồ sơ {dossier_id}")
                    self._complete(dossier, task_id, data, actor, indexes[dossier_id])
                    outcomes[n] = BatchOutcome(dossier_id, str(task_id), True)
                except _Rejected as rejected:
                    outcomes[n] = _outcome(dossier_id, task_id, rejected.args[0])
            self._commit()
            return [o for o in outcomes if o is not None]
        except EngineError:
            # lost a race somewhere in the batch (ConflictError), or one dossier cannot be
            # saved: one by one below, so that only that dossier reports it
            self._discard()
        except BaseException:
            self._discard()
            raise
        finally:
            if token is not None:
                sqlite_write_intent.reset(token)
        done = []
        for n, (dossier_id, task_id, data) in enumerate(items):
            previous = outcomes[n]
            if previous is not None and not previous.ok:
                done.append(previous)
                continue
            try:
                self.complete_task(dossier_id, task_id, data, actor=actor)
                done.append(BatchOutcome(dossier_id, str(task_id), True))
            except (EngineError, formlib.FormValidationError) as err:
                self._discard()
                done.append(_outcome(dossier_id, task_id, err))
        return done

    def _complete(
        self,
        dossier: Dossier,
        task_id: str,
        data: dict[str, Any] | None,
        actor: str | None,
        indexes: _Indexes,
    ) -> None:
        """Check, then complete one task. Everything that can refuse the completion is
        checked before anything changes; a refusal is raised as :class:`_Rejected`."""
        try:
            if dossier.status in TERMINAL:
                self._refuse_if_done(dossier.id, task_id)
                raise DossierStateError(
                    f"hồ sơ đã {'hoàn thành' if dossier.status == 'completed' else 'bị hủy'}"
                )
            workflow = self._checkout(dossier)
            task = self._ready_user_task(workflow, task_id, dossier.id)
            claim = indexes.ready.get(str(task.id))
            if claim and actor != claim:
                raise ConflictError(f"tác vụ đang do {claim} xử lý")
            loaded = self._loaded(dossier.version)
            meta = loaded.info.tasks.get(task.task_spec.bpmn_id)
            schema = loaded.forms.get(meta.form) if meta and meta.form else _NO_FORM
            prefilled = formlib.prefill_values(schema, task.data)
            clean = formlib.validate_submission(schema, data or {}, prefilled)
            self._check_component_refs(
                dossier.id, dossier.applicant_id, schema, clean, loaded.info.components
            )
        except (EngineError, formlib.FormValidationError) as err:
            raise _Rejected(err) from err
        for key in RESERVED_KEYS:
            clean.pop(key, None)
        if meta and outcomes.done_in_person(meta.step, clean):
            dossier.full_online = False  # Circular 01/2023/TT-VPCP Art. 13(1)(e)
        # the data encoded before the step runs: what it puts in, whatever scripts do later
        step = _Step(
            self._operation(dossier, workflow),
            _SERIALIZER.encode_data(clean),
            task_id=str(task.id),
            version=dossier.lock_version or 0,
        )
        # old and new values, personal data masked (engine/audit.py)
        changed = audit.changes(schema, task.data, clean)
        with operating(step.operation):
            task.set_data(**clean)
            task.run()
            self._event(
                dossier,
                "task_completed",
                actor,
                task_id=str(task.id),
                task_name=meta.name if meta else task.task_spec.name,
                detail={
                    "bpmn_id": task.task_spec.bpmn_id,
                    "fields": sorted(clean),
                    "changes": changed,
                },
            )
            self._advance(dossier, workflow, actor)
            self._save(dossier, workflow, step=step)

    def _operation(self, dossier: Dossier, workflow: BpmnWorkflow) -> Operation:
        """A new operation on an existing dossier: its instant is after the dossier's last
        (a clock set back must not give two operations the same ids, engine/workflow.py)."""
        at = clock.now()
        last = dossier.updated_at
        if last is not None and at <= last:
            at = last + timedelta(microseconds=1)
        return Operation(at, workflow.task_tree.id.bytes, dossier.lock_version or 0)

    def _ready_user_task(self, workflow: BpmnWorkflow, task_id: str, dossier_id: int):
        try:
            task = workflow.get_task_from_id(UUID(str(task_id)))
        except (ValueError, KeyError, TypeError):
            task = None
        except Exception:  # SpiffWorkflow raises TaskNotFoundException
            task = None
        if task is None:
            self._refuse_if_done(dossier_id, task_id)  # compacted away after completion
            raise NotFoundError(f"không tìm thấy tác vụ {task_id} trong hồ sơ")
        if task.state == TaskState.COMPLETED and task.task_spec.manual:
            raise ConflictError(_ALREADY_DONE)
        if task.state != TaskState.READY or not task.task_spec.manual:
            raise DossierStateError(
                f"tác vụ '{task.task_spec.bpmn_name or task.task_spec.name}' không chờ xử lý "
                f"(trạng thái {TaskState.get_name(task.state)})"
            )
        return task

    def _refuse_if_done(self, dossier_id: int, task_id: str) -> None:
        """A task someone has completed already: whoever comes next lost a race for it
        (HTTP 409 ``conflict``, as when both commit at once), not a missing task."""
        done = self.session.scalar(
            select(DossierEvent.id)
            .where(
                DossierEvent.kind == "task_completed",
                DossierEvent.task_id == str(task_id),
                DossierEvent.dossier_id == dossier_id,
            )
            .limit(1)
        )
        if done is not None:
            raise ConflictError(_ALREADY_DONE)
