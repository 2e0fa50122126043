"""Commands on dossiers: start (one or many), cancel, retry and advance."""

from __future__ import annotations

import os
import secrets
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.specs.defaults import ServiceTask
from SpiffWorkflow.util.task import TaskState

from toantrinh.engine import clock, outcomes
from toantrinh.engine import forms as formlib
from toantrinh.engine.commands import correlation, retries
from toantrinh.engine.commands.receipt_codes import receipt_prefix
from toantrinh.engine.errors import DossierStateError, EngineError
from toantrinh.engine.persistence import (
    Dossier,
    ModelVersion,
)
from toantrinh.engine.spiff_compat import force_state
from toantrinh.engine.store.records import (
    _SERIALIZER,
    RESERVED_KEYS,
    START_KEYS,
    TERMINAL,
    _describe_error,
    _Indexes,
    _Step,
)
from toantrinh.engine.store.statements import (
    _DOSSIER_SEQUENCE,
    _DOSSIER_TABLE,
    _NEXT_IDS,
    _SEQUENCES,
)
from toantrinh.engine.store.unit_of_work import _retry_stale_snapshot
from toantrinh.engine.work_calendar import default_calendar
from toantrinh.engine.workflow import (
    Operation,
    operating,
    run_steps,
)


def _receipt_code(prefix: str | None) -> str:
    stem = "".join(ch for ch in (prefix or "HS") if ch.isalnum()).upper()[:10] or "HS"
    return f"{stem}-{clock.now():%y%m%d}-{secrets.token_hex(4).upper()}"


class DossierCommands:
    """Starting, cancelling, retrying and advancing dossiers (hồ sơ).
    Part of :class:`toantrinh.engine.service.Engine`."""

    @_retry_stale_snapshot
    def start(
        self,
        model: str | int,
        *,
        applicant_id: str | None = None,
        data: dict[str, Any] | None = None,
        channel: str = "online",
        actor: str | None = None,
        version: int | None = None,
        agency: str | None = None,
        link_id: str | None = None,
        trusted_data: bool = False,
        linked_to: int | None = None,
    ) -> Dossier:
        """Start a dossier on the latest (or a given) version of a model.

        ``data`` is validated against the start event's form (``tt:form`` on the start
        event) when the model has one; otherwise only ``applicant_id`` and ``link_id`` are
        accepted, unless ``trusted_data`` (a caller in this process, not a client, sets
        variables the model reads). Strings are NFC-normalised and size-limited in all cases.

        The dossier starts a linked group of its own, or joins the group of the dossier
        ``linked_to`` names; a caller's ``link_id`` is kept as a reference only
        (``engine/commands/correlation.py``).
        """
        pm, mv = self._model_version(model, version)
        dossier, workflow, step = self._prepare_start(
            pm, mv, applicant_id, data, channel, agency, link_id, trusted_data, linked_to
        )
        self._assign_ids([dossier])
        self._run_start(pm, mv, dossier, workflow, actor, step)
        self._commit()
        return dossier

    @_retry_stale_snapshot
    def start_many(
        self,
        model: str | int,
        requests: list[dict[str, Any]],
        *,
        actor: str | None = None,
        version: int | None = None,
    ) -> list[Dossier]:
        """Start several dossiers of one model in one transaction, all or none (a batch
        received from the national public-service portal, say). Each request takes the
        keyword arguments of :meth:`start` (``applicant_id``, ``data``, ``channel``,
        ``agency``, ``link_id``, ``linked_to``); an invalid one refuses the batch and names
        its index."""
        pm, mv = self._model_version(model, version)
        prepared = []
        for n, request in enumerate(requests):
            unknown = sorted(
                set(request) - {"applicant_id", "data", "channel", "agency", "link_id", "linked_to"}
            )
            try:
                if unknown:
                    raise EngineError(f"tham số không hợp lệ: {', '.join(unknown)}")
                prepared.append(
                    self._prepare_start(
                        pm,
                        mv,
                        request.get("applicant_id"),
                        request.get("data"),
                        request.get("channel", "online"),
                        request.get("agency"),
                        request.get("link_id"),
                        False,
                        request.get("linked_to"),
                    )
                )
            except formlib.FormValidationError as err:
                self._discard()
                raise formlib.FormValidationError(
                    [formlib.FieldError(f"{n}.{e.field}", e.message) for e in err.errors]
                ) from err
            except EngineError as err:
                self._discard()
                raise type(err)(f"hồ sơ thứ {n + 1}: {err}") from err
        self._assign_ids([dossier for dossier, _, _ in prepared])
        for dossier, workflow, step in prepared:
            self._run_start(pm, mv, dossier, workflow, actor, step)
        self._commit()
        return [dossier for dossier, _, _ in prepared]

    def _assign_ids(self, dossiers: list[Dossier]) -> None:
        """Give new dossiers their ids before they are stepped (events and index rows
        name them). On PostgreSQL the ids come from the table's sequence in one query and
        each row is inserted once, at commit, with the state its first step left (one
        short INSERT per row, sent pipelined, instead of a multi-row INSERT … RETURNING
        that the driver parses anew for every batch, then an UPDATE of the same rows).
        SQLite, which has no sequence, inserts them now."""
        if self._dialect != "postgresql":
            # The write lock (issue 23): this INSERT takes SQLite's write lock, and the
            # transaction keeps it while the start step runs (its scripts, and its service
            # tasks unless they are deferred), so starts on SQLite are serialised for the
            # length of their first step. Not shortened: the id must exist before the step
            # (the start data carries dossier_id for scripts; events, index rows and the
            # journal name it) and SQLite has no sequence to reserve one without a write.
            # PostgreSQL reserves ids from its sequence and inserts at commit. On SQLite,
            # keep service tasks deferred (TOANTRINH_DEFER_SERVICES) so that no registry
            # call runs under the lock (docs/engine.md).
            for dossier in dossiers:
                dossier.state_version = 1  # inserted at version 1, its steps journaled after
            self._flush()
            return
        conn = self.session.connection()
        sequence = _SEQUENCES.get(self._db_key)
        if sequence is None:
            sequence = conn.scalar(_DOSSIER_SEQUENCE, {"table": _DOSSIER_TABLE.name})
            _SEQUENCES[self._db_key] = sequence
        ids = conn.execute(_NEXT_IDS, {"sequence": sequence, "n": len(dossiers)})
        for dossier, (dossier_id,) in zip(dossiers, ids, strict=True):
            dossier.id = dossier_id

    def _prepare_start(
        self, pm, mv, applicant_id, data, channel, agency, link_ref, trusted_data, linked_to
    ) -> tuple[Dossier, BpmnWorkflow, _Step]:
        """Check a start request, then add its dossier (not yet flushed) and its workflow,
        made within the start's operation (engine/workflow.py)."""
        if channel not in ("online", "in_person", "postal"):
            raise EngineError(f"kênh nộp '{channel}' không hợp lệ (online, in_person, postal)")
        initial = self._start_data(mv, data or {}, applicant_id, trusted_data)
        spoofable = sorted(k for k in initial if k in RESERVED_KEYS or k in self.connectors.ids())
        if spoofable:
            # a connector's result variable carries registry data the forms lock as
            # pre-filled: an applicant must not be able to supply it at start
            raise EngineError(f"dữ liệu khởi tạo không được chứa {', '.join(spoofable)}")
        link_ref = link_ref or initial.pop("link_id", None)
        group = None if linked_to is None else correlation.group_of(self.get(linked_to))
        seed = os.urandom(16)
        operation = Operation(clock.now(), seed, 0)
        with operating(operation):
            dossier = self._new_dossier(pm, mv, applicant_id, channel, agency, group, flush=False)
            initial.update(
                {
                    "receipt_code": dossier.receipt_code,
                    "channel": channel,
                    "applicant_id": applicant_id,
                    "link_id": dossier.link_id,
                }
            )
            if link_ref:
                initial["link_ref"] = link_ref
            workflow = self._new_workflow(mv)
            for task in workflow.get_tasks(state=TaskState.READY):
                task.set_data(**initial)
        return dossier, workflow, _Step(operation, _SERIALIZER.encode_data(initial), seed=seed)

    def _run_start(
        self, pm, mv, dossier: Dossier, workflow: BpmnWorkflow, actor, step: _Step
    ) -> None:
        with operating(step.operation):
            self._indexes[dossier.id] = _Indexes()  # a new dossier has no index rows yet
            self._event(
                dossier,
                "dossier_started",
                actor,
                detail={"model": pm.slug, "version": mv.number, "channel": dossier.channel},
            )
            self._advance(dossier, workflow, actor)
            self._save(dossier, workflow, step=step)

    def _start_data(
        self, mv: ModelVersion, data: dict[str, Any], applicant_id: str | None, trusted: bool
    ) -> dict[str, Any]:
        loaded = self._loaded(mv)
        start_form = next(
            (
                t.form
                for t in loaded.info.tasks.values()
                if t.type.endswith("StartEvent") and t.form
            ),
            None,
        )
        given = formlib.clean_free_data(data)
        if given.get("applicant_id") not in (None, applicant_id):
            raise formlib.FormValidationError(
                [formlib.FieldError("applicant_id", "không khớp với người nộp hồ sơ")]
            )
        fixed = {k: given.pop(k) for k in START_KEYS if k in given}
        if start_form:
            given = formlib.validate_submission(loaded.forms[start_form], given, {})
            # no dossier yet, hence no files: only documents of the e-data warehouse
            self._check_component_refs(
                None, applicant_id, loaded.forms[start_form], given, loaded.info.components
            )
        elif given and not trusted:
            raise formlib.FormValidationError(
                [
                    formlib.FieldError(k, "thủ tục không nhận trường này khi nộp hồ sơ")
                    for k in sorted(given)
                ]
            )
        return {**given, **fixed}

    def _new_dossier(
        self, pm, mv, applicant_id, channel, agency, link_id, *, flush: bool = True
    ) -> Dossier:
        procedure = pm.procedure or {}
        now = clock.now()
        # working days and holidays of the agencies' calendar (engine/work_calendar.py)
        due = default_calendar().due(now, procedure.get("processing_time"))
        dossier = Dossier(
            receipt_code=(receipt := _receipt_code(receipt_prefix(procedure, pm.code, pm.slug))),
            version=mv,
            applicant_id=applicant_id,
            channel=channel,
            agency=agency or procedure.get("agency"),
            # a group's key, or a new group's (engine/commands/correlation.py)
            link_id=link_id or correlation.new_group_key(receipt),
            state="",  # nothing stored yet: engine/store/journal.py
            created_at=now,
            updated_at=now,
            due_at=due,
            full_online=channel == "online",
        )
        self.session.add(dossier)
        if flush:
            dossier.state_version = 1  # inserted at version 1, its steps journaled after
            self._flush()
            self._indexes[dossier.id] = _Indexes()  # a new dossier has no index rows yet
        return dossier

    @_retry_stale_snapshot
    def cancel(self, dossier_id: int, *, actor: str | None = None, reason: str = "") -> Dossier:
        dossier = self.get(dossier_id)
        if dossier.status in TERMINAL:
            raise DossierStateError("hồ sơ đã kết thúc, không hủy được")
        workflow = self._checkout(dossier)
        workflow.cancel()
        retries.cancelled(dossier)
        self._event(
            dossier,
            "dossier_cancelled",
            actor,
            detail={"reason": reason, "outcome": outcomes.outcome("cancelled", {}, reason)},
        )
        self._save(dossier, workflow, status="cancelled")
        self._commit()
        return dossier

    @_retry_stale_snapshot
    def retry(self, dossier_id: int, *, actor: str | None = None) -> Dossier:
        """Run again the task that failed (a registry was down, say)."""
        dossier = self.get(dossier_id)
        if dossier.status != "error":
            raise DossierStateError("hồ sơ không ở trạng thái lỗi")
        workflow = self._checkout(dossier)
        for task in workflow.get_tasks(state=TaskState.ERROR):
            force_state(task, TaskState.READY)
        retries.begin(dossier, actor)
        self._event(
            dossier,
            "dossier_retried",
            actor,
            detail={"error": dossier.last_error, "attempt": dossier.retry_count},
        )
        self._advance(dossier, workflow, actor)
        self._save(dossier, workflow)
        self._commit()
        return dossier

    @_retry_stale_snapshot
    def advance(self, dossier_id: int, *, actor: str = "system:worker") -> Dossier:
        """Run the service tasks a dossier left for a worker (see ``defer_services``)."""
        dossier = self.get(dossier_id, for_update=True)
        if not dossier.needs_advance or dossier.status in TERMINAL:
            self.session.rollback()
            return dossier
        workflow = self._checkout(dossier)
        saved_mode, self.defer_services = self.defer_services, False
        try:
            self._advance(dossier, workflow, actor)
        finally:
            self.defer_services = saved_mode
        self._save(dossier, workflow)
        self._commit()
        return dossier

    def _advance(self, dossier: Dossier, workflow: BpmnWorkflow, actor: str | None) -> None:
        """Run engine steps; a failure marks the dossier in error, keeping its state."""
        completed: list = []
        if dossier.needs_advance:  # each attribute set is an ORM change event: only if changed
            dossier.needs_advance = False
        try:
            deferred = run_steps(workflow, self.defer_services, completed)
            if deferred is not None:
                dossier.needs_advance = True
                self._deferred.append(dossier.id)
                self._event(
                    dossier,
                    "service_queued",
                    "system",
                    task_id=str(deferred.id),
                    task_name=deferred.task_spec.bpmn_name or deferred.task_spec.name,
                    detail={"operation": deferred.task_spec.operation_name, "caused_by": actor},
                )
            else:
                if dossier.last_error is not None or dossier.error_retryable or dossier.retry_at:
                    dossier.last_error, dossier.error_retryable, dossier.retry_at = (
                        None,
                        False,
                        None,
                    )
                if dossier.status == "error":
                    dossier.status = "in_progress"
                retries.succeeded(dossier)
        except Exception as err:  # any model or connector failure: fail the task, not the process
            message, retryable, task_name = _describe_error(err)
            retries.log_failure(dossier, message, err)
            dossier.status = "error"
            dossier.last_error = message
            dossier.error_retryable = retryable
            attention = retries.failed(dossier, retryable, clock.now())
            self._event(
                dossier,
                "task_failed",
                actor,
                task_name=task_name,
                detail={
                    "error": message,
                    "retryable": retryable,
                    "retry_at": dossier.retry_at.isoformat() if dossier.retry_at else None,
                    "attempt": dossier.retry_count,
                    "needs_attention": attention,
                },
            )
        finally:
            for task in completed:
                spec = task.task_spec
                # automatic steps are the system's, triggered by the actor's action
                if isinstance(spec, ServiceTask):
                    self._event(
                        dossier,
                        "service_called",
                        "system",
                        task_id=str(task.id),
                        task_name=spec.bpmn_name or spec.name,
                        detail={"operation": spec.operation_name, "caused_by": actor},
                    )
                elif getattr(spec, "bpmn_id", None) and spec.bpmn_name and not spec.manual:
                    self._event(
                        dossier,
                        "step_completed",
                        "system",
                        task_id=str(task.id),
                        task_name=spec.bpmn_name,
                        detail={"type": type(spec).__name__, "caused_by": actor},
                    )
