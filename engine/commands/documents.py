"""Commands and reads on a dossier's documents: attachments, components and the
e-data warehouse documents it keeps or reuses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError

from toantrinh.engine import attachments as filelib
from toantrinh.engine import (
    clock,
    filestore,
)
from toantrinh.engine import dossier_view as dossier_views
from toantrinh.engine import forms as formlib
from toantrinh.engine.document_validity import default_until
from toantrinh.engine.documents_needed import documents_needed as needed_documents
from toantrinh.engine.errors import ConflictError, DossierStateError, NotFoundError
from toantrinh.engine.persistence import (
    Dossier,
    ModelVersion,
)
from toantrinh.engine.spiff_compat import document_type_of
from toantrinh.engine.store.records import TERMINAL
from toantrinh.engine.warehouse import WarehouseDocument, find_by_result_code, result_row


class DocumentCommands:
    """A dossier's documents: attachments (thành phần hồ sơ) and kept results.
    Part of :class:`toantrinh.engine.service.Engine`."""

    def attach(
        self,
        dossier_id: int,
        content: bytes,
        *,
        filename: str | None = None,
        component: str | None = None,
        actor: str | None = None,
        limits: filelib.Limits | None = None,
    ) -> filelib.DossierAttachment:
        """Keep a file submitted with a dossier in progress (``engine/attachments.py``),
        once it has passed its checks and the malware scanner ``limits`` name, if any;
        ``component``, when given, must be one a form of the dossier's procedure asks
        for. Audited as ``attachment_added``; committed."""
        limits = limits or filelib.Limits()
        # the file's own checks, the malware scan among them, before the dossier is locked
        filelib.check_file(content, limits)
        filelib.scan(content, limits)
        dossier = self.get(dossier_id, for_update=True)  # one upload at a time per dossier
        if dossier.status in TERMINAL:
            raise DossierStateError("hồ sơ đã kết thúc, không nhận thêm tệp")
        if component is not None:
            wanted = self.components(dossier)
            if component not in wanted:
                raise filelib.AttachmentError(
                    "component",
                    f"thủ tục không có thành phần hồ sơ '{component}'"
                    + (f"; chọn một trong {sorted(wanted)}" if wanted else ""),
                )
        if filelib.count_attachments(self.session, dossier.id) >= limits.max_per_dossier:
            raise filelib.AttachmentError(
                "file",
                f"hồ sơ đã có {limits.max_per_dossier} tệp, không nhận thêm",
                kind="conflict",
            )
        row = filelib.new_attachment(
            dossier.id,
            content,
            filename=filename,
            component=component,
            uploaded_by=actor,
            limits=limits,
        )
        if self.files is not None:
            # in the store before the row is committed: a commit that fails leaves a file
            # that no row names, which the store's sweep removes (never a row without it)
            self.files.put(row.sha256, content)
            row.content = None
        self.session.add(row)
        self._event(
            dossier,
            "attachment_added",
            actor,
            detail={
                "code": row.code,
                "component": component,
                "filename": row.filename,
                "media_type": row.media_type,
                "size": row.size,
                "sha256": row.sha256,
            },
        )
        self._commit()
        return row

    def dossier_view(self, dossier: Dossier) -> dict[str, Any]:
        """The dossier read-only beside a task (engine/dossier_view.py, issue 26 item 1)."""
        loaded = self._loaded(dossier.version)
        return dossier_views.build(
            dossier,
            data=self.data(dossier),
            events=self.events(dossier.id),
            tasks=loaded.info.tasks,
            forms=loaded.forms,
            components=loaded.info.components or {c: {} for c in self.components(dossier)},
            files=self.attachments(dossier.id),
        )

    def documents_needed(
        self,
        version: ModelVersion,
        registries: list[dict[str, Any]],
        dossier: Dossier | None = None,
    ) -> list[dict[str, Any]]:
        """Which documents the applicant supplies (engine/documents_needed.py, issue 26 item
        6): the same list before starting, on the dossier page and for its form."""
        loaded = self._loaded(version)
        forms = [
            loaded.forms[m.form]
            for m in loaded.info.tasks.values()
            if m.lane == "citizen" and m.form and m.form in loaded.forms
        ]
        return needed_documents(
            loaded.info.components or {},
            forms,
            registries,
            data=self.data(dossier) if dossier is not None else None,
            files=self.attachments(dossier.id) if dossier is not None else (),
        )

    def attachments(self, dossier_id: int) -> list[filelib.DossierAttachment]:
        """A dossier's files, oldest first, without their content."""
        return filelib.list_attachments(self.session, dossier_id)

    def used_document(self, dossier: Dossier, result_code: str) -> WarehouseDocument:
        """The warehouse document (with its file) that this dossier uses: one of its
        component fields (``x-component``, checked at completion to hold the applicant's
        document of that type) names it, or it was kept from this dossier. A code typed
        into any other field does not open the applicant's warehouse."""
        doc = find_by_result_code(self.session, result_code, with_content=True)
        if doc is not None and doc.applicant_id == dossier.applicant_id and doc.has_file:
            if doc.source_dossier_id == str(dossier.id):
                return doc
            data = self.data(dossier)
            for refs in self.components(dossier).values():
                if any(data.get(ref.split(".", 1)[1]) == result_code for ref in refs):
                    return doc
        raise NotFoundError(
            f"hồ sơ {dossier.receipt_code} không dùng tệp của giấy tờ {result_code}"
        )

    def kept_attachments(self, codes: list[str]) -> dict[str, str]:
        """File code → the result code of the warehouse document kept from it, for those
        of ``codes`` that were kept (:meth:`keep_attachment`)."""
        if not codes:
            return {}
        rows = self.session.execute(
            select(WarehouseDocument.source_attachment, WarehouseDocument.result_code).where(
                WarehouseDocument.source_attachment.in_(codes)
            )
        )
        return dict(rows.all())

    def file_content(self, row: filelib.DossierAttachment | WarehouseDocument) -> bytes:
        """The file of a dossier attachment or of a digitized warehouse document (read
        with its content), from its row or from the file store."""
        if isinstance(row, WarehouseDocument):
            return filestore.read(self.files, row.content, row.content_hash)
        return filestore.read(self.files, row.content, row.sha256)

    def attachment(
        self, dossier_id: int, code: str, *, with_content: bool = False
    ) -> filelib.DossierAttachment:
        row = filelib.find_attachment(self.session, dossier_id, code, with_content=with_content)
        if row is None:
            raise NotFoundError(f"hồ sơ {dossier_id} không có tệp {code}")
        return row

    def components(self, dossier: Dossier) -> dict[str, list[str]]:
        """The dossier components its procedure's forms ask for: component → the fields
        (``form.field``) that carry it."""
        found: dict[str, list[str]] = {}
        for form_name, schema in sorted(self._loaded(dossier.version).forms.items()):
            for name, component in formlib.component_fields(schema).items():
                found.setdefault(component, []).append(f"{form_name}.{name}")
        return found

    def component_types(self, dossier: Dossier) -> dict[str, str]:
        """Each dossier component its forms ask for → the e-data warehouse's type of
        document it is (:func:`document_type_of`)."""
        kinds = self._loaded(dossier.version).info.components
        return {c: document_type_of(kinds, c) for c in self.components(dossier)}

    def _check_component_refs(
        self,
        dossier_id: int | None,
        applicant_id: str | None,
        schema: dict[str, Any],
        data: dict[str, Any],
        components: dict[str, dict[str, str | None]] | None,
    ) -> None:
        """Each ``x-component`` field given must name a file of this dossier (of that
        component, if the file was filed under one) or a document in force in the
        applicant's e-data warehouse, of the type of document the component is."""
        fields = formlib.component_fields(schema)
        refs = {name: data[name] for name in fields if data.get(name) not in (None, "")}
        if not refs:
            return
        values = [v for v in refs.values() if isinstance(v, str)]
        with self.session.no_autoflush:
            files = (
                filelib.components_of(
                    self.session, dossier_id, [v for v in values if filelib.is_code(v)]
                )
                if dossier_id is not None
                else {}
            )
            results = [v for v in values if v not in files]
            now = clock.now()
            held = (
                dict(
                    self.session.execute(
                        select(
                            WarehouseDocument.result_code, WarehouseDocument.document_type
                        ).where(
                            WarehouseDocument.applicant_id == applicant_id,
                            WarehouseDocument.result_code.in_(results),
                            or_(
                                WarehouseDocument.valid_until.is_(None),
                                WarehouseDocument.valid_until > now,
                            ),
                        )
                    ).all()
                )
                if results and applicant_id
                else {}
            )
        errors = []
        for name, value in refs.items():
            wanted = fields[name]
            if value in files:
                if files[value] not in (None, wanted):
                    errors.append(
                        formlib.FieldError(
                            name,
                            f"tệp {value} thuộc thành phần '{files[value]}', không phải '{wanted}'",
                        )
                    )
            elif value not in held:
                errors.append(
                    formlib.FieldError(
                        name,
                        f"không có tệp đính kèm của hồ sơ hay giấy tờ còn hiệu lực trong kho dữ liệu "
                        f"mang mã {value!r}; tải tệp lên trước",
                    )
                )
            elif held[value] != (kind := document_type_of(components, wanted)):
                errors.append(
                    formlib.FieldError(
                        name,
                        f"giấy tờ {value} trong kho dữ liệu là loại '{held[value]}', "
                        f"thành phần này cần loại '{kind}'",
                    )
                )
        if errors:
            raise formlib.FormValidationError(errors)

    def keep_attachment(
        self,
        dossier_id: int,
        code: str,
        *,
        actor: str,
        valid_until: datetime | None = None,
    ) -> tuple[WarehouseDocument, bool]:
        """Keep a file of a dossier, checked by the officer ``actor``, in the applicant's
        e-data warehouse as a digitized document (Decree 45/2020/NĐ-CP; Circular
        01/2023/TT-VPCP), so that the applicant's later dossiers name it by its result
        code instead of uploading it again. Its type is the type of document its
        component is (``documentType`` of the ``tt:component``, else the component's
        code). A file is kept once: keeping it again returns the same document and
        ``False``. Audited as ``attachment_kept``; committed."""
        dossier = self.get(dossier_id, for_update=True)
        if dossier.status == "cancelled":
            raise DossierStateError("hồ sơ đã bị hủy; không lưu tệp của nó vào kho dữ liệu")
        if not dossier.applicant_id:
            raise filelib.AttachmentError(
                "code", "hồ sơ không có người nộp định danh; không có kho dữ liệu để lưu vào"
            )
        row = self.attachment(dossier_id, code, with_content=True)
        kept = self._kept_from(row.code)
        if kept is not None:
            return kept, False
        if row.component is None:
            raise filelib.AttachmentError(
                "code",
                f"tệp {row.code} không gắn với thành phần hồ sơ nào; không biết đó là giấy tờ gì",
            )
        document = self._digitized(dossier, row, actor=actor, valid_until=valid_until)
        self.session.add(document)
        self._event(
            dossier,
            "attachment_kept",
            actor,
            detail={
                "code": row.code,
                "component": row.component,
                "document_type": document.document_type,
                "result_code": document.result_code,
            },
        )
        try:
            self._commit()
        except (ConflictError, IntegrityError) as err:  # kept at once by another request
            kept = self._kept_from(code)
            if kept is None:
                raise err
            return kept, False
        return document, True

    def _kept_from(self, code: str) -> WarehouseDocument | None:
        """The warehouse document kept from the dossier file ``code``, if it was."""
        return self.session.scalar(
            select(WarehouseDocument).where(WarehouseDocument.source_attachment == code)
        )

    def _digitized(
        self,
        dossier: Dossier,
        row: filelib.DossierAttachment,
        *,
        actor: str,
        valid_until: datetime | None,
    ) -> WarehouseDocument:
        """The warehouse document of the file ``row`` checked by ``actor``: of the type of
        its component, valid until ``valid_until`` or else for its type's term; refused if
        that is already past."""
        components = self._loaded(dossier.version).info.components or {}
        component = components.get(row.component) or {}
        now = clock.now()
        kind = document_type_of(components, row.component)
        valid_until = default_until(kind, now, valid_until)  # else the term of its type
        if valid_until is not None and valid_until <= now:
            raise filelib.AttachmentError("valid_until", "giấy tờ đã hết hiệu lực")
        return WarehouseDocument(
            **result_row(
                applicant_id=dossier.applicant_id,
                document_type=kind,
                title=component.get("name") or row.component,
                issuer=dossier.agency
                or (dossier.version.model.procedure or {}).get("agency")
                or "",
                data={
                    "digitized": True,
                    "component": row.component,
                    "receipt_code": dossier.receipt_code,
                    "checked_by": actor,
                },
                issued_at=now,
                valid_until=valid_until,
                source_dossier_id=str(dossier.id),
                # the file's own hash, whether its bytes are in the row or in the store
                file_hash=row.sha256,
            ),
            source_attachment=row.code,
            filename=row.filename,
            media_type=row.media_type,
            size=row.size,
            content=row.content,
        )
