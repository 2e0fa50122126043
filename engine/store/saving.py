"""Saving steps in the unit of work: what a step leaves (the dossier's status, its journal
entry or a dump of its state, the index rows it must have, its events and the e-data
warehouse documents its result makes), held until the commit.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from toantrinh.engine import (
    clock,
    deadlines,
    logs,
    outcomes,
    result_document,
)
from toantrinh.engine.commands import correlation, timers
from toantrinh.engine.errors import (
    EngineError,
)
from toantrinh.engine.persistence import (
    Dossier,
    Message,
)
from toantrinh.engine.serialization import json_default
from toantrinh.engine.spiff_compat import _message_names, _ready_manual_tasks, current_data
from toantrinh.engine.store import journal
from toantrinh.engine.store.records import _SERIALIZER, TERMINAL, _Indexes, _Step
from toantrinh.engine.warehouse import result_row
from toantrinh.engine.workflow import (
    TreeTooDeep,
    compact_completed,
    settle,
)


class Saving:
    """Saving a step: state or journal entry, index rows, events, kept results.
    Part of :class:`toantrinh.engine.service.Engine`."""

    def _save(
        self,
        dossier: Dossier,
        workflow: BpmnWorkflow,
        status: str | None = None,
        step: _Step | None = None,
    ) -> None:
        """Keep what a step left, for the commit: the dossier's columns, and either the
        step in the dossier's journal (``step``, when :meth:`_journals` allows) or a dump
        of the whole state."""
        logs.note_dossier(dossier.id)
        try:
            thrown = settle(workflow, check_completion=status is None)
        except TreeTooDeep as err:
            raise EngineError(
                f"hồ sơ {dossier.receipt_code}: cây tác vụ quá sâu ({err.depth} cấp, tối đa "
                f"{err.limit}); quy trình lặp quá nhiều lần"
            ) from err
        now = clock.now()
        if status is not None:
            dossier.status = status
        elif workflow.is_completed():
            dossier.status = "completed"
        elif dossier.status not in ("error",):
            dossier.status = "in_progress"
        if dossier.status in TERMINAL and dossier.completed_at is None:
            dossier.completed_at = now
            if dossier.status == "completed":
                self._keep_result(dossier, workflow)  # its row is written at commit
                # the state keeps the final data, the event the path taken
                steps = compact_completed(workflow)
                # what it came to, and the officer's reason for a refusal (engine/outcomes.py)
                detail = {"steps": steps, **outcomes.summary("completed", current_data(workflow))}
                self._event(dossier, "dossier_completed", "system", detail=detail)
        indexes = self._index_state(dossier, workflow)
        # the statutory clock (receipt, stops, due_at, its timers): engine/deadlines.py
        realigned = deadlines.follow(self, dossier, workflow, indexes)
        if step is not None and self._journals(dossier):
            due = dossier.due_at if realigned else None
            self._journal.setdefault(dossier.id, []).append(step.entry(self.defer_services, due))
        else:
            new = dossier in self.session.new
            if not new and dossier.lock_version > dossier.state_version:
                self._truncate.add(dossier.id)  # its journal rows are in this dump
            dossier.state = _SERIALIZER.dump_state(workflow)
            # the lock_version this commit gives the row (a new row is inserted at 1)
            dossier.state_version = 1 if new else dossier.lock_version + 1
            self._journal.pop(dossier.id, None)
            self._dumped.add(dossier.id)
        dossier.updated_at = now
        # the index rows are written at commit, after the dossier's conditional UPDATE
        # (the optimistic lock): a step that lost its race never touches them
        self._index_writes[dossier.id] = (dossier, indexes)
        for event in thrown:
            for name in _message_names(event.event_definition):
                payload = json.loads(json.dumps(event.payload, default=json_default))
                link, payload = correlation.outgoing(dossier, payload)
                self.session.add(
                    Message(name=name, payload=payload, link_id=link, source_dossier_id=dossier.id)
                )
                self._event(dossier, "message_sent", "system", detail={"message": name})
        self._saved[dossier.id] = (dossier, workflow)

    def _journals(self, dossier: Dossier) -> bool:
        """Whether a step of this dossier may be kept in its journal instead of a dump of
        its state (engine/store/journal.py): a running dossier, not dumped earlier in this
        transaction, of a model whose steps replay, with fewer than ``JOURNAL_MAX`` rows."""
        if journal.JOURNAL_MAX == 0 or dossier.status != "in_progress":
            return False
        if dossier.id in self._dumped or not self._loaded(dossier.version).info.replayable:
            return False
        if dossier in self.session.new:
            return True
        return dossier.lock_version - dossier.state_version < journal.JOURNAL_MAX

    def _keep_result(self, dossier: Dossier, workflow: BpmnWorkflow) -> None:
        """Put the dossier's result in the applicant's e-data warehouse (Decree 45/2020,
        once-only), when its procedure declares one (``result_document`` in procedure.json)
        and the dossier ended with it (``when``, a safe expression over the data)."""
        with self.session.no_autoflush:  # written with the batch at commit
            procedure = dossier.version.model.procedure or {}
        spec = procedure.get("result_document")
        if not spec or not dossier.applicant_id:
            return
        data = current_data(workflow)
        try:
            if not result_document.applies(spec, data):
                return
        except result_document.WhenFailed as err:
            self._event(dossier, "result_not_stored", "system", detail={"error": str(err)})
            return
        number = data.get(spec["number_field"]) if spec.get("number_field") else None
        issued = clock.now()
        valid_days = spec.get("valid_days")
        kept = {k: data[k] for k in spec.get("fields", []) if k in data}
        kept["receipt_code"] = dossier.receipt_code
        document = result_row(
            applicant_id=dossier.applicant_id,
            document_type=spec["document_type"],
            title=f"{spec.get('title', spec['document_type'])}{f' số {number}' if number else ''}",
            issuer=procedure.get("agency") or dossier.agency or "",
            data=json.loads(json.dumps(kept, default=json_default)),
            issued_at=issued,
            valid_until=issued + timedelta(days=int(valid_days)) if valid_days else None,
            source_dossier_id=str(dossier.id),
        )
        self._pending_results.append(document)  # inserted at commit, with the events
        self._event(
            dossier,
            "result_stored",
            "system",
            detail={
                "document_type": document["document_type"],
                "result_code": document["result_code"],
            },
        )

    def _index_state(self, dossier: Dossier, workflow: BpmnWorkflow) -> _Indexes:
        """The timer, message-subscription and inbox rows the workflow calls for."""
        wanted = _Indexes()
        if dossier.status in TERMINAL:
            return wanted
        for task in workflow.event_manager.tasks.values():
            definition = task.task_spec.event_definition
            if timers.has_timer(definition):
                due = timers.due_at(task)
                if due is not None:
                    wanted.timers[str(task.id)] = (due, task.task_spec.bpmn_name)
            wanted.subs.update(_message_names(definition))
        info = self._loaded(dossier.version).info
        for task in _ready_manual_tasks(workflow):
            meta = info.tasks.get(task.task_spec.bpmn_id)
            wanted.ready[str(task.id)] = {
                "bpmn_id": task.task_spec.bpmn_id,
                "name": meta.name if meta else task.task_spec.name,
                "lane": meta.lane if meta else task.task_spec.lane,
            }
        return wanted

    def _event(
        self,
        dossier: Dossier | None,
        kind: str,
        actor: str | None,
        *,
        task_id: str | None = None,
        task_name: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self._pending_events.append(
            {
                "dossier_id": dossier.id if dossier is not None else None,
                "at": clock.now(),
                "actor": actor,
                "kind": kind,
                "task_id": task_id,
                "task_name": task_name,
                "detail": detail or {},
            }
        )

    def _event_by_id(self, dossier_id: int, kind: str, actor: str | None, **kwargs) -> None:
        self._event(self.session.get(Dossier, dossier_id), kind, actor, **kwargs)
