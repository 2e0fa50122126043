"""Queries: dossiers by id or receipt code, their workflow and data, events and inbox."""

from __future__ import annotations

import json
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from toantrinh.engine import assignments, logs
from toantrinh.engine import forms as formlib
from toantrinh.engine.access import Principal, dossier_scope, inbox_scope
from toantrinh.engine.commands.retries import needs_attention_clause
from toantrinh.engine.deployment import _Loaded
from toantrinh.engine.errors import NotFoundError
from toantrinh.engine.persistence import (
    Dossier,
    DossierEvent,
    ModelVersion,
    ProcessModel,
    ReadyTask,
)
from toantrinh.engine.serialization import json_default
from toantrinh.engine.spiff_compat import current_data
from toantrinh.engine.store.records import TERMINAL

# built once (issue 7): a dossier's inbox rows
_CURRENT_TASKS = (
    select(ReadyTask.task_id, ReadyTask.name, ReadyTask.lane, ReadyTask.claimed_by)
    .where(ReadyTask.dossier_id == bindparam("dossier_id"))
    .order_by(ReadyTask.id)
)

# built once: constructing a statement and computing its cache key costs ~0.2 ms a
# request, more than the query itself takes in PostgreSQL (issue 7)
_TASK_ROW = (
    select(ReadyTask, Dossier)
    .join(Dossier, ReadyTask.dossier_id == Dossier.id)
    .where(ReadyTask.task_id == bindparam("task_id"))
    .options(joinedload(Dossier.version).joinedload(ModelVersion.model))
)


class Queries:
    """Reading dossiers: by id or receipt code, their data, events and inbox.
    Part of :class:`toantrinh.engine.service.Engine`."""

    def get(self, dossier_id: int, *, for_update: bool = False) -> Dossier:
        if for_update and self._dialect == "postgresql":
            stmt = select(Dossier).where(Dossier.id == dossier_id).with_for_update(of=Dossier)
            dossier = self.session.scalar(stmt)
        else:  # the identity map answers repeated reads within one transaction
            dossier = self.session.get(Dossier, dossier_id)
        if dossier is None:
            raise NotFoundError(f"không tìm thấy hồ sơ {dossier_id}")
        logs.note_dossier(dossier.id)
        return dossier

    def find(self, dossier_id: int) -> Dossier | None:
        """The dossier, or ``None`` if there is none with that id."""
        return self.session.get(Dossier, dossier_id)

    def by_receipt(self, receipt_code: str) -> Dossier:
        dossier = self.session.scalar(select(Dossier).where(Dossier.receipt_code == receipt_code))
        if dossier is None:
            raise NotFoundError(f"không tìm thấy hồ sơ có mã biên nhận '{receipt_code}'")
        return dossier

    def workflow(self, dossier: Dossier) -> BpmnWorkflow:
        """The dossier's workflow rebuilt from what the database holds (its stored state,
        then its journal replayed): a new object, the caller's."""
        self._load_states([dossier], skip_cached=False)
        return self._rebuild(dossier, self._stored[dossier.id])

    def data(self, dossier: Dossier) -> dict[str, Any]:
        with self._reading(dossier) as workflow:
            return json.loads(json.dumps(current_data(workflow), default=json_default))

    def events(self, dossier_id: int) -> list[DossierEvent]:
        return list(
            self.session.scalars(
                select(DossierEvent)
                .where(DossierEvent.dossier_id == dossier_id)
                .order_by(DossierEvent.id)
            )
        )

    def ready_tasks(self, dossier_id: int, lane: str | None = None) -> list[dict[str, Any]]:
        """The dossier's ready user tasks, each with its form and pre-filled values."""
        dossier = self.get(dossier_id)
        if dossier.status in TERMINAL:
            return []
        loaded = self._loaded(dossier.version)
        claims = {
            task_id: claimed_by
            for task_id, claimed_by in self.session.execute(
                select(ReadyTask.task_id, ReadyTask.claimed_by).where(
                    ReadyTask.dossier_id == dossier.id
                )
            )
        }
        with self._reading(dossier) as workflow:
            return self._task_views(workflow, loaded, lane, claims)

    def _task_views(self, workflow, loaded: _Loaded, lane: str | None, claims) -> list[dict]:
        info = loaded.info
        views = []
        for task in workflow.get_tasks(state=TaskState.READY, manual=True):
            meta = info.tasks.get(task.task_spec.bpmn_id)
            if meta is None or (lane is not None and meta.lane != lane):
                continue
            schema = loaded.forms.get(meta.form) if meta.form else None
            prefilled = formlib.prefill_values(schema, task.data) if schema else {}
            views.append(
                {
                    "id": str(task.id),
                    "bpmn_id": meta.bpmn_id,
                    "name": meta.name,
                    "lane": meta.lane,
                    "step": meta.step,
                    "form_ref": meta.form,
                    "form": schema,
                    "prefill": json.loads(json.dumps(prefilled, default=json_default)),
                    "typed_fields": formlib.typed_fields(schema, prefilled) if schema else [],
                    "claimed_by": claims.get(str(task.id)),
                }
            )
        return views

    def committed_inbox(self, dossier_id: int) -> list[dict[str, Any]] | None:
        """The dossier's inbox rows (``id``, ``name``, ``lane``, ``claimed_by``, in the
        rows' order) as this engine's last commit of the dossier left them, or ``None`` if
        this engine has not written them: the answer to a step, without reading back
        what the step has just written."""
        return self._inbox_committed.get(dossier_id)

    def list_dossiers(
        self,
        principal: Principal,
        *,
        page: int,
        per_page: int,
        status: str | None = None,
        model: str | None = None,
        attention: bool | None = None,
    ) -> tuple[int, list[Dossier]]:
        """(how many, one page of them, newest first): the dossiers ``principal`` may see
        (:func:`toantrinh.engine.access.dossier_scope`), with a status, of a model (its slug), or
        needing an officer's attention (or not)."""
        query = dossier_scope(select(Dossier), principal)
        if status:
            query = query.where(Dossier.status == status)
        if attention is not None:
            clause = needs_attention_clause()
            query = query.where(clause if attention else ~clause)
        if model:
            query = (
                query.join(ModelVersion, Dossier.version_id == ModelVersion.id)
                .join(ProcessModel, ModelVersion.model_id == ProcessModel.id)
                .where(ProcessModel.slug == model)
            )
        total = self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = self.session.scalars(
            query.order_by(Dossier.id.desc()).offset((page - 1) * per_page).limit(per_page)
        )
        return total, list(rows)

    def current_tasks(self, dossier_id: int) -> list[dict[str, Any]]:
        """The dossier's inbox rows (id, name, lane, who claimed it): as this engine's last
        commit left them when it stepped the dossier, else read in one statement."""
        current = self.committed_inbox(dossier_id)
        if current is None:
            rows = self.session.execute(_CURRENT_TASKS, {"dossier_id": dossier_id})
            current = [
                {"id": task_id, "name": name, "lane": lane, "claimed_by": claimed_by}
                for task_id, name, lane, claimed_by in rows
            ]
        return current

    def inbox_rows(self, dossier_id: int) -> dict[str, ReadyTask]:
        """The dossier's inbox rows by task id."""
        rows = self.session.scalars(select(ReadyTask).where(ReadyTask.dossier_id == dossier_id))
        return {row.task_id: row for row in rows}

    def completed_task_dossier(self, task_id: str) -> int | None:
        """The dossier in which the user task ``task_id`` was completed, if one was."""
        return self.session.scalar(
            select(DossierEvent.dossier_id)
            .where(DossierEvent.kind == "task_completed", DossierEvent.task_id == str(task_id))
            .limit(1)
        )

    def completed_task_in(self, task_id: str) -> Dossier | None:
        """The dossier in which the user task ``task_id`` was completed, if one was."""
        dossier_id = self.completed_task_dossier(task_id)
        return self.find(dossier_id) if dossier_id is not None else None

    def task_row(self, task_id: str) -> tuple[ReadyTask, Dossier] | None:
        """The inbox row of a waiting user task and its dossier (with version and model),
        in one query; the engine then finds the dossier in the session's identity map."""
        found = self.session.execute(_TASK_ROW, {"task_id": task_id}).first()
        return None if found is None else (found[0], found[1])

    def task_rows(self, task_ids: list[str]) -> dict[str, tuple[ReadyTask, Dossier]]:
        """The inbox rows of these waiting user tasks, each with its dossier, by task id
        (a task not waiting is left out), in one query."""
        rows = self.session.execute(
            select(ReadyTask, Dossier)
            .join(Dossier, ReadyTask.dossier_id == Dossier.id)
            .where(ReadyTask.task_id.in_(task_ids))
        )
        return {row.task_id: (row, dossier) for row, dossier in rows}

    def process_models(self) -> list[ProcessModel]:
        """Every process model (quy trình), by slug."""
        return list(self.session.scalars(select(ProcessModel).order_by(ProcessModel.slug)))

    def inbox(
        self,
        principal: Principal,
        *,
        page: int,
        per_page: int,
        claimed: str = "all",
        lane: str | None = None,
        agency: str | None = None,
        dossier_id: int | None = None,
    ) -> tuple[int, list[tuple[ReadyTask, Dossier, assignments.Handlers]]]:
        """(how many, one page of (row, dossier, handlers) in the order the rows were
        created): the inbox rows ``principal`` may see (:func:`inbox_scope`), narrowed to a
        lane, an agency, a dossier, and by claim (``mine``, ``unclaimed``, ``assigned`` — the
        dossiers one handles or handles for an officer away — or ``all``)."""
        # the filters are on the inbox rows alone, except a citizen's (their dossiers): an
        # officer's count then reads only the index on (agency, lane, created_at, id), and
        # the page walks it in order (bench/table_scale.py)
        query = inbox_scope(select(ReadyTask), principal, agency=agency, lane=lane)
        if lane:
            query = query.where(ReadyTask.lane == lane)
        if dossier_id:
            query = query.where(ReadyTask.dossier_id == dossier_id)
        if claimed == "mine":
            query = query.where(ReadyTask.claimed_by == principal.actor)
        elif claimed == "unclaimed":
            query = query.where(ReadyTask.claimed_by.is_(None))
        elif claimed == "assigned":
            mine = assignments.assigned_dossiers(self.session, principal.actor)
            query = query.where(ReadyTask.dossier_id.in_(mine or [-1]))
        total = self.session.scalar(select(func.count()).select_from(query.subquery()))
        page_ids = (
            query.with_only_columns(ReadyTask.id)
            .order_by(ReadyTask.created_at, ReadyTask.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
        rows = list(
            self.session.execute(
                select(ReadyTask, Dossier)
                .join(Dossier, ReadyTask.dossier_id == Dossier.id)
                .where(ReadyTask.id.in_(page_ids.scalar_subquery()))
                .order_by(ReadyTask.created_at, ReadyTask.id)
            )
        )
        handlers = assignments.handlers(self.session, list({d.id for _, d in rows}))
        empty = assignments.Handlers()
        return total, [(row, d, handlers.get(d.id, empty)) for row, d in rows]
