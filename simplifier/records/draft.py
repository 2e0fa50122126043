"""Draft a BPMN model and its ``procedure.json`` from a read record.

The draft follows the one-stop pattern of Decree 118/2025/NĐ-CP: the applicant submits,
the one-stop desk (Bộ phận Một cửa / Trung tâm Phục vụ hành chính công) receives and
checks the dossier, the agency appraises, the leader decides and signs, the desk returns
the result. The record's own steps become the tasks, in order, in the lane of the actor
each names; the pattern only adds what the record leaves out (submission, reception,
payment when there is a fee, return of the result), and each added task says so. A
supplement loop follows the reception when the text describes one, a refusal branch
follows the deciding step when the text describes refusal, the statutory time of the
fastest channel becomes a non-interrupting deadline timer on the deciding step (with the
apology letter of Decree 118/2025/NĐ-CP), and the result becomes the e-result kept in the
applicant's e-data warehouse. Components become annotated data objects read by the
reception. Ids are stable: ``Step_<i>`` for step *i* of the record, ``Component_<i>`` for
component row *i*, so a report maps every finding back to the published row.

The model is a proposal: a procedure-control officer finishes it in the modeller, helped
by ``review.md`` (:mod:`.review`).

The rooms: the tasks and flows of the pattern (:mod:`.draft_flow`, its pieces in
:mod:`.draft_nodes`), the XML (:mod:`.draft_xml`) with its diagram (:mod:`.draft_diagram`),
and ``procedure.json`` (:mod:`.draft_procedure`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .draft_flow import one_stop_flow
from .draft_procedure import procedure_json
from .draft_xml import Registries, model_xml
from .record import Record
from .steps import channel_runs


@dataclass
class Draft:
    """What ``catalogue import`` writes for one record."""

    procedure: dict
    bpmn: str
    process_id: str
    steps: dict[int, str | None]  # source_index -> task id (None: merged into another)
    components: dict[int, str | None]  # source_index -> data object reference id
    added: list[str]  # tasks the pattern added, for review.md
    alternatives: dict[int, int] = field(default_factory=dict)  # channel alternative → first


def draft(record: Record, catalogue: dict) -> Draft:
    """The BPMN model, ``procedure.json`` and id mapping of a read record.

    ``catalogue`` is ``data/registries.json``: a component's type is written as
    ``documentType`` only when it belongs to its vocabulary, and the note of a component
    names the national database that holds that type.
    """
    flow = one_stop_flow(record)
    process_id = "tthc_" + re.sub(r"\W+", "_", record.code)
    comps = {
        c.index: (f"Component_{c.index}" if c.role == "document" else None)
        for c in record.components
    }
    xml = model_xml(record, flow.builder, process_id, flow.deadline, Registries(catalogue))
    runs = {i: first for i, first in channel_runs(record.steps).items() if i != first}
    return Draft(
        procedure_json(record, process_id),
        xml,
        process_id,
        flow.step_map,
        comps,
        flow.added,
        runs,
    )
