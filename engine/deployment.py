"""Deployment: validating and deploying process models, their versions and the cache of
parsed specs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from sqlalchemy import (
    func,
    select,
)

from toantrinh.bpmn import datafiles
from toantrinh.engine import (
    deploy_checks,
    event_subprocesses,
    result_document,
)
from toantrinh.engine.caches import LruCache, size_setting
from toantrinh.engine.errors import NotFoundError
from toantrinh.engine.parsing import (
    ModelError,
    ModelInfo,
    ParsedModel,
    StructureError,
    bpmn_text,
    components_of_bpmn,
    content_hash,
    interrupting_of_bpmn,
    load_forms,
    parse_model,
    replayable_bpmn,
)
from toantrinh.engine.persistence import (
    ModelVersion,
    ProcessModel,
)
from toantrinh.engine.store.ids import row_id
from toantrinh.engine.store.records import _SERIALIZER
from toantrinh.engine.store.unit_of_work import _retry_stale_snapshot
from toantrinh.engine.workflow import (
    DossierWorkflow,
    adopt_specs,
)

FORMS_DIR = datafiles.folder("forms")
LIBRARY_DIR = datafiles.folder(
    "process_models"
)  # the shipped library; TOANTRINH_LIBRARY replaces it


@dataclass
class DeployResult:
    version: ModelVersion
    created: bool
    warnings: list[str]


@dataclass
class _Loaded:
    spec: Any
    subprocess_specs: dict[str, Any]
    info: ModelInfo
    forms: dict[str, Any]


# parsed specs by content hash, LRU (TOANTRINH_SPEC_CACHE versions, engine/caches.py)
_SPEC_CACHE = LruCache(size_setting("TOANTRINH_SPEC_CACHE", 64))


def deploy_library(
    engine: Deployment, root: Path | None = None, actor: str | None = None
) -> list[DeployResult]:
    """Deploy every procedure folder of the library (folders with a procedure.json)."""
    root = root or datafiles.library()
    return [
        engine.deploy_folder(p.parent, actor=actor) for p in sorted(root.glob("*/procedure.json"))
    ]


class Deployment:
    """Deploying process models (mô hình quy trình): validation, versions, the spec cache.
    Part of :class:`toantrinh.engine.service.Engine`."""

    def validate_model(
        self,
        bpmn: bytes | str,
        process_id: str | None = None,
        forms: dict[str, Any] | None = None,
        procedure: dict[str, Any] | None = None,
        slug: str | None = None,
    ) -> ModelInfo:
        """Check a model as deploy would (without ``force``), storing nothing: raises
        :class:`ModelError`, or :class:`StructureError` when only the structural checks
        refuse it."""
        return self._checked(bpmn, process_id, forms, procedure, slug, force=False)[0].info

    def _checked(self, raw, process_id, forms, procedure, slug, *, force: bool):
        """The parsed model and its forms, once every deploy check has passed."""
        procedure = procedure or {}
        parsed = parse_model(raw, process_id or procedure.get("process_id"))
        slug = slug or procedure.get("slug") or parsed.info.process_id
        problems = deploy_checks.procedure_problems(procedure, slug)
        problems += result_document.problems(procedure)
        try:
            form_map = load_forms(parsed.info, self.forms_dir, extra=forms)
        except ModelError as err:
            problems += err.problems
        if problems:  # every problem said at once; these are never forceable
            raise ModelError(problems + ([] if force else parsed.structure))
        if parsed.structure and not force:
            raise StructureError(parsed.structure)
        return parsed, form_map, slug

    @_retry_stale_snapshot
    def deploy(
        self,
        bpmn: bytes | str,
        *,
        slug: str | None = None,
        procedure: dict[str, Any] | None = None,
        process_id: str | None = None,
        forms: dict[str, Any] | None = None,
        actor: str | None = None,
        force: bool = False,
    ) -> DeployResult:
        """Deploy a model version; the same content deploys once (by content hash).
        ``force`` deploys a model the structural checks refuse (engine/deploy_checks.py);
        their findings are then kept as the version's warnings."""
        raw = bpmn.encode("utf-8") if isinstance(bpmn, str) else bpmn
        procedure = dict(procedure or {})
        parsed, form_map, slug = self._checked(raw, process_id, forms, procedure, slug, force=force)
        # a forced model keeps what the structural checks found as its warnings
        info = replace(parsed.info, warnings=[*parsed.structure, *parsed.info.warnings])
        digest = content_hash(raw, form_map)
        model = self.session.scalar(select(ProcessModel).where(ProcessModel.slug == slug))
        names = procedure.get("name") or {}
        if model is None:
            model = ProcessModel(
                slug=slug,
                process_id=parsed.info.process_id,
                code=procedure.get("code") or parsed.info.code,
                name=names.get("vi") or parsed.info.name,
                name_en=names.get("en"),
                procedure=procedure,
            )
            self.session.add(model)
            self._flush()
        else:
            if procedure:
                model.procedure = procedure
                model.name = names.get("vi") or model.name
                model.name_en = names.get("en") or model.name_en
                model.code = procedure.get("code") or model.code
            for existing in model.versions:
                if existing.content_hash == digest:
                    self._commit()
                    return DeployResult(existing, False, info.warnings)
            model.process_id = parsed.info.process_id
        version = self._add_version(model, parsed, info, raw, digest, form_map, actor)
        adopt_specs(parsed.spec, parsed.subprocess_specs)
        event_subprocesses.mark(
            parsed.subprocess_specs, parsed.info.interrupting_event_subprocesses or []
        )
        _SPEC_CACHE.put(digest, _Loaded(parsed.spec, parsed.subprocess_specs, info, form_map))
        self._event(
            None,
            "model_deployed",
            actor,
            detail={
                "slug": slug,
                "version": version.number,
                "content_hash": digest,
                "warnings": info.warnings,
                **({"forced": True} if parsed.structure else {}),
            },
        )
        self._commit()
        return DeployResult(version, True, info.warnings)

    def _add_version(
        self,
        model: ProcessModel,
        parsed: ParsedModel,
        info: ModelInfo,
        raw: bytes,
        digest: str,
        form_map: dict[str, Any],
        actor: str | None,
    ) -> ModelVersion:
        """The model's next version (numbered after its highest), stored with its
        serialised spec; flushed, not committed."""
        number = (
            self.session.scalar(
                select(func.max(ModelVersion.number)).where(ModelVersion.model_id == model.id)
            )
            or 0
        ) + 1
        version = ModelVersion(
            model=model,
            number=number,
            content_hash=digest,
            bpmn=bpmn_text(raw),
            forms=form_map,
            info=info.to_json(),
            spec=_SERIALIZER.dump_specs(parsed.spec, parsed.subprocess_specs),
            created_by=actor,
        )
        self.session.add(version)
        self._flush()
        return version

    def deploy_folder(
        self, folder: Path | str, actor: str | None = None, *, force: bool = False
    ) -> DeployResult:
        """Deploy a library folder (``procedure.json`` + BPMN)."""
        folder = Path(folder)
        procedure_path = folder / "procedure.json"
        if not procedure_path.is_file():
            raise ModelError([f"thư mục {folder} không có procedure.json"])
        procedure = json.loads(procedure_path.read_text(encoding="utf-8"))
        procedure.setdefault("slug", folder.name)
        bpmn_name = procedure.get("bpmn")
        bpmn_path = (
            folder / bpmn_name if bpmn_name else next(iter(sorted(folder.glob("*.bpmn"))), None)
        )
        if bpmn_path is None or not bpmn_path.is_file():
            raise ModelError([f"thư mục {folder} không có tệp BPMN"])
        return self.deploy(bpmn_path.read_bytes(), procedure=procedure, actor=actor, force=force)

    def get_model(self, ref: str | int) -> ProcessModel:
        model = None
        if (model_id := row_id(ref)) is not None:
            model = self.session.get(ProcessModel, model_id)
        if model is None:
            model = self.session.scalar(select(ProcessModel).where(ProcessModel.slug == str(ref)))
        if model is None:
            model = self.session.scalar(
                select(ProcessModel)
                .where(ProcessModel.process_id == str(ref))
                .order_by(ProcessModel.id)
            )
        if model is None:
            raise NotFoundError(f"không tìm thấy quy trình '{ref}'")
        return model

    def _loaded(self, version: ModelVersion) -> _Loaded:
        loaded = _SPEC_CACHE.get(version.content_hash)
        if loaded is None:
            spec, subs = _SERIALIZER.load_specs(version.spec)
            adopt_specs(spec, subs)
            info = ModelInfo.from_json(version.info)
            if info.components is None:  # deployed before the table kept its components
                info.components = components_of_bpmn(version.bpmn, info.process_id)
            if info.replayable is None:  # deployed before the journal
                info.replayable = replayable_bpmn(version.bpmn)
            if info.interrupting_event_subprocesses is None:  # deployed before it was kept
                info.interrupting_event_subprocesses = interrupting_of_bpmn(
                    version.bpmn, info.process_id
                )
            event_subprocesses.mark(subs, info.interrupting_event_subprocesses)
            loaded = _Loaded(spec, subs, info, dict(version.forms or {}))
            _SPEC_CACHE.put(version.content_hash, loaded)
        return loaded

    def _model_version(self, model: str | int, version: int | None):
        pm = self.get_model(model)
        mv = (
            pm.latest
            if version is None
            else next((v for v in pm.versions if v.number == version), None)
        )
        if mv is None:
            raise NotFoundError(f"quy trình '{pm.slug}' không có phiên bản {version or ''}".strip())
        return pm, mv

    def _new_workflow(self, mv: ModelVersion) -> BpmnWorkflow:
        loaded = self._loaded(mv)
        return DossierWorkflow(
            loaded.spec, loaded.subprocess_specs, script_engine=self.script_engine
        )
