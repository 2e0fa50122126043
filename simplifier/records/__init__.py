"""Published procedure records → drafted models → catalogue report (pure; no I/O).

The national catalogue path (issue 24; ``docs/catalogue.md``):

* :func:`read_record` reads one record of the National Database on Administrative
  Procedures, in its clean structured shape or as the flattened page text a scrape of
  the portal gives, with tested rules per section (``shape``, ``channels``, ``legal``,
  ``components``, ``steps``; vocabulary in ``data/catalogue_vocabulary.json``);
* :func:`import_record` drafts its BPMN model with DI and its ``procedure.json``
  (``draft``), the reading kept beside it (``reading``) and the review notes
  (``review``), as file contents for the caller to write;
* :func:`assess` runs the simplifier over an imported procedure and gives its verdicts
  (``verdicts``: the JSON contract) and savings; :func:`catalogue_report` groups and ranks
  many, with the data-based simplification plan (``plan``); ``render`` writes the report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .applicants import holders_of
from .assess import assess
from .draft import Draft, draft
from .draft_procedure import slug_of
from .plan import catalogue_report
from .reading import reading
from .record import Record, RecordRefused, read_record
from .render import FORMATS
from .review import review_markdown
from .vocabulary import Vocabulary


@dataclass
class Imported:
    """The files of one imported record, by name (``procedure.json``, ``<code>.bpmn``,
    ``record.json``, ``review.md``)."""

    code: str
    files: dict[str, str]
    record: Record
    draft: Draft


def import_record(raw: dict, vocab: Vocabulary, catalogue: dict, *, folder: str = "") -> Imported:
    """Read and draft one record (``catalogue``: ``data/registries.json``); raises
    :class:`RecordRefused` with a one-line reason."""
    record = read_record(raw, vocab, folder=folder, holders=holders_of(catalogue, vocab))
    d = draft(record, catalogue)
    files = {
        "procedure.json": json.dumps(d.procedure, ensure_ascii=False, indent=2) + "\n",
        f"{record.code}.bpmn": d.bpmn,
        # compact: Python's C JSON encoder only runs without indentation (thousands of files)
        "record.json": json.dumps(reading(record, d), ensure_ascii=False, separators=(",", ":"))
        + "\n",
        "review.md": review_markdown(record, d),
    }
    return Imported(record.code, files, record, d)


def registry_hints(vocab: Vocabulary) -> dict[str, str]:
    """Document type → database, for types ``data/registries.json`` lists for no registry."""
    return {t: d.registry for t, d in vocab.document_types.items() if d.registry}


__all__ = [
    "FORMATS",
    "Draft",
    "Imported",
    "Record",
    "RecordRefused",
    "Vocabulary",
    "assess",
    "catalogue_report",
    "draft",
    "import_record",
    "read_record",
    "registry_hints",
    "slug_of",
]
