"""``record.json``: what the importer read from a record, kept beside the drafted model.

The analysis maps the simplifier's findings on the drafted BPMN back to the rows as
published through this file (component row *i* is ``Component_<i>`` / ``DataObject_<i>``,
step *i* is ``Step_<i>`` or the task it was merged into), and takes the names as
published, the evidence and the presence read from the text from it.
"""

from __future__ import annotations

from .draft import Draft
from .record import Record

READING_VERSION = 1


def reading(record: Record, draft: Draft) -> dict:
    """The JSON-ready reading of one record."""
    return {
        "version": READING_VERSION,
        "national_code": record.code,
        "name": record.name,
        "ministry": record.ministry,
        "decision": record.decision,
        "field": record.field,
        "agency": record.agency,
        "agency_level": record.agency_level,
        "levels": record.levels,
        "shape": record.shape,
        "legal_basis": [{"title": d.title, "code": d.code, "kind": d.kind} for d in record.legal],
        "components": [
            {
                "source_index": c.index,
                "name": c.name,
                "group": c.row.group,
                "originals": c.row.originals,
                "copies": c.row.copies,
                "template": c.row.template,
                "role": c.role,
                "document_type": c.document_type,
                "document_class": c.document_class,
                "replaceable_type": c.replaceable_type,
                "copy": c.copy,
                "confidence": c.confidence,
                "conditional": c.conditional,
                "case": c.case,
                "mixed": c.mixed,
                "surrendered": c.surrendered,
                "disqualified": c.disqualified,
                "database_support": c.database_support,
                "evidence": c.evidence,
                "data_object": draft.components.get(c.index),
            }
            for c in record.components
        ],
        "steps": [
            {
                "source_index": s.index,
                "name": s.text,
                "kind": s.kind,
                "kind_words": s.kind_words,
                "actor": s.actor,
                "presence": s.presence,
                "presence_reason": s.presence_reason,
                "presence_words": s.presence_words,
                "presence_doubt": s.presence_doubt,
                "confidence": s.confidence,
                "evidence": s.evidence,
                "task": draft.steps.get(s.index),
                "alternative_of": draft.alternatives.get(s.index),
            }
            for s in record.steps
        ],
        "added_tasks": draft.added,
        "problems": record.problems,
    }
