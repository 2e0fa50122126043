"""Migration of running dossiers to another version of their model."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from sqlalchemy import (
    select,
)

from toantrinh.engine.commands import inbox
from toantrinh.engine.deployment import _Loaded
from toantrinh.engine.errors import ConflictError, MigrationRefused, NotFoundError
from toantrinh.engine.persistence import (
    Dossier,
)
from toantrinh.engine.store.records import _SERIALIZER, TERMINAL
from toantrinh.engine.store.unit_of_work import _retry_stale_snapshot


@dataclass
class MigrationReport:
    """What :meth:`Engine.migrate_running` did: the dossiers moved (in a dry run, those
    that would move), the ones refused with the reason, and whether more are waiting."""

    model: str
    from_version: int
    to_version: int
    dry_run: bool
    moved: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    more: bool = False


class MigrationCommands:
    """Moving running dossiers to another version of their model. Part of :class:`toantrinh.engine.service.Engine`."""

    @_retry_stale_snapshot
    def migrate(
        self,
        dossier_id: int,
        to_version: int,
        *,
        actor: str | None = None,
        dry_run: bool = False,
    ) -> Dossier:
        """Move a running dossier to another version of its model, explicitly.

        Refused (:class:`MigrationRefused`) when the dossier has finished, when any task of
        its history or its present has no counterpart in the target version (its state
        could not be read back), or when the target has no such version. ``dry_run``
        makes the same checks and changes nothing.
        """
        dossier = self.get(dossier_id, for_update=not dry_run)
        if dossier.status in TERMINAL:
            raise MigrationRefused("hồ sơ đã kết thúc, không chuyển phiên bản")
        model = dossier.version.model
        target = next((v for v in model.versions if v.number == to_version), None)
        if target is None:
            raise NotFoundError(f"quy trình '{model.slug}' không có phiên bản {to_version}")
        if target.id == dossier.version_id:
            raise MigrationRefused(f"hồ sơ đã ở phiên bản {to_version}")
        new = self._loaded(target)
        if dry_run:
            with self._reading(dossier) as workflow:
                self._migration_diff(workflow, new, to_version)
            return dossier
        workflow = self._checkout(dossier)
        top_diff, sub_diffs = self._migration_diff(workflow, new, to_version)
        migrate_workflow(top_diff, workflow, new.spec)
        for sp_id, sp_diff in sub_diffs.items():
            sub = workflow.subprocesses[sp_id]
            migrate_workflow(sp_diff, sub, new.subprocess_specs[sub.spec.name])
        workflow.subprocess_specs = new.subprocess_specs
        from_number = dossier.version.number
        dossier.version = target
        self._event(
            dossier, "dossier_migrated", actor, detail={"from": from_number, "to": to_version}
        )
        self._advance(dossier, workflow, actor)
        self._save(dossier, workflow)
        wanted = self._index_writes[dossier.id][1]  # the target version's names and lanes
        inbox.retitle(self.session.connection(), dossier.id, wanted.ready, wanted.timers)
        self._commit()
        return dossier

    def migrate_running(
        self,
        model: str | int,
        from_version: int,
        to_version: int,
        *,
        actor: str | None = None,
        dry_run: bool = False,
        limit: int = 500,
    ) -> MigrationReport:
        """Move every running dossier (in progress or in error) of one version of a model
        to another, oldest first, at most ``limit`` of them, each in its own transaction:
        those that can move, move; the others stay where they are and are listed with the
        reason (:meth:`migrate`). ``dry_run`` only checks."""
        pm, source = self._model_version(model, from_version)
        self._model_version(pm.id, to_version)  # NotFoundError before anything is tried
        if from_version == to_version:
            raise MigrationRefused(f"phiên bản nguồn và đích đều là {to_version}")
        rows = self.session.execute(
            select(Dossier.id, Dossier.receipt_code)
            .where(Dossier.version_id == source.id, Dossier.status.not_in(TERMINAL))
            .order_by(Dossier.id)
            .limit(limit + 1)
        ).all()
        self.session.rollback()  # each dossier below in a transaction of its own
        report = MigrationReport(pm.slug, from_version, to_version, dry_run, more=len(rows) > limit)
        for dossier_id, receipt_code in rows[:limit]:
            try:
                self.migrate(dossier_id, to_version, actor=actor, dry_run=dry_run)
                report.moved.append({"dossier_id": dossier_id, "receipt_code": receipt_code})
            except (MigrationRefused, ConflictError, NotFoundError) as err:
                # refused, finished or taken a step meanwhile: it stays as it is
                report.refused.append(
                    {"dossier_id": dossier_id, "receipt_code": receipt_code, "reason": str(err)}
                )
            finally:
                self._discard()  # a refusal's lock, a dry run's read; nothing after a commit
        return report

    def _migration_diff(self, workflow: BpmnWorkflow, new: _Loaded, to_version: int):
        """SpiffWorkflow's diff of the dossier's workflow against the target version, or
        :class:`MigrationRefused` naming what has no counterpart there."""
        top_diff, sub_diffs = diff_workflow(
            _SERIALIZER._registry, workflow, new.spec, new.subprocess_specs
        )
        problems = sorted(
            {
                f"bước '{t.task_spec.bpmn_name or t.task_spec.name}' không còn trong phiên bản {to_version}"
                for t in top_diff.removed
                if getattr(t.task_spec, "bpmn_id", None)
            }
        )
        if top_diff.removed and not problems:
            problems = [f"cấu trúc phiên bản {to_version} khác phiên bản hiện tại ở phần đã chạy"]
        if any(d is None or d.removed for d in sub_diffs.values()):
            problems.append(
                f"quy trình con của hồ sơ không còn tương ứng trong phiên bản {to_version}"
            )
        if problems:
            raise MigrationRefused("không thể chuyển phiên bản an toàn: " + "; ".join(problems))
        return top_diff, sub_diffs
