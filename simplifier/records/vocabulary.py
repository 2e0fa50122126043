"""The reading vocabulary (``data/catalogue_vocabulary.json``) compiled for matching.

The file is data with its sources; this module only turns its phrase lists into
:class:`~toantrinh.simplifier.records.text.Phrases` once, so that thousands of records are read
with the same compiled patterns. The caller reads the file (the simplifier does no I/O).
"""

from __future__ import annotations

from dataclasses import dataclass

from .text import Phrases, fold


@dataclass(frozen=True)
class DocumentType:
    type: str
    cls: (
        str  # registry | registry_mixed | declaration | applicant | result | third_party | evidence
    )
    registry: str = ""  # the database that holds it, when data/registries.json does not say
    as_type: str = ""  # the registry type it stands for when the text lets the agency read it


class Vocabulary:
    """Compiled phrase lists of the reading vocabulary."""

    def __init__(self, data: dict):
        self.data = data
        docs = data["document_types"]["entries"]
        self.document_types = {
            d["type"]: DocumentType(d["type"], d["class"], d.get("registry", ""), d.get("as", ""))
            for d in docs
        }
        # generic words ("giấy tờ", "văn bản") apart: they would swallow the start of a
        # specific name ("giấy tờ chứng minh nơi cư trú") in one left-to-right scan
        self.documents = Phrases(
            [(d["type"], d["phrases"]) for d in docs if d["class"] != "evidence"]
        )
        self.generic_documents = Phrases(
            [(d["type"], d["phrases"]) for d in docs if d["class"] == "evidence"]
        )
        disqualifiers = data["database_disqualifiers"]["entries"]
        self.disqualifiers = Phrases([(e["reason"], e["phrases"]) for e in disqualifiers])
        self.foreign_reason: str = next(e["reason"] for e in disqualifiers if e.get("foreign"))
        self.database_support = Phrases({"support": data["database_support"]["phrases"]})
        self.copies = Phrases([(e["copy"], e["phrases"]) for e in data["copy_forms"]["entries"]])
        notes = data["component_notes"]
        self.alternatives = Phrases({"alternative": data["alternatives"]["phrases"]})
        self.surrendered = Phrases({"surrendered": data["surrendered"]["phrases"]})
        self.exemptions = Phrases({"exemption": notes["exemption"]})
        self.instructions = Phrases({"instruction": notes["instruction"]})
        self.case_words = Phrases({"case": notes["case"]})
        self.demands = Phrases({"demand": notes["demand"]})
        actors = data["actors"]
        self.actors = Phrases([(e["role"], e["phrases"]) for e in actors["entries"]])
        self.lane_labels: dict[str, str] = actors["lane_labels"]
        self.kinds = Phrases([(e["kind"], e["phrases"]) for e in data["step_kinds"]["entries"]])
        self.presence_by_law = Phrases(
            [(e["reason"], e["phrases"]) for e in data["presence_by_law"]["entries"]]
        )
        self.presence_source: str = data["presence_by_law"]["source"]
        self.presence_named_after = frozenset(data["presence_by_law"]["named_after"])
        alternatives = data["channel_alternatives"]
        self.channel_condition = Phrases({"if": alternatives["condition"]})
        self.channel_act = Phrases({"act": alternatives["act"]})
        self.channels = Phrases(list(alternatives["channels"].items()))
        self.presence_by_procedure = [
            (Phrases({"p": e["procedure"]}), Phrases({"s": e["steps"]}), e["reason"], e["source"])
            for e in data["presence_by_procedure"]["entries"]
        ]
        self.in_person = Phrases({"in_person": data["in_person"]["phrases"]})
        self.physical = Phrases({"physical": data["in_person"]["physical"]})
        self.online = Phrases({"online": data["in_person"]["online"]})
        self.supplement = Phrases({"supplement": data["flow"]["supplement"]})
        self.refusal = Phrases({"refusal": data["flow"]["refusal"]})
        self.levels = {fold(k): v for k, v in data["levels"]["map"].items()}
        self.district_rewrites: list[tuple[str, str]] = [
            (a, b) for a, b in data["district_rewrites"]["entries"]
        ]
        self.issuers: dict[str, str] = data["issuers"]["map"]
        self.ministry_folders: dict[str, str] = data["ministry_folders"]["map"]
        mentions = data["paper_mentions"]
        self.source_before = frozenset(mentions["source_before"])
        self.certification_before = frozenset(mentions["certification_before"])
        self.certification_names = frozenset(mentions["certification_names"])
        self.result_before = frozenset(mentions["result_before"])
        who = data["applicants"]
        self.foreign_element = Phrases({"foreign": who["foreign_element"]})
        self.foreign_subjects = Phrases({"foreign": who["foreign_subjects"]})
        self.re_registration = Phrases({"again": who["re_registration"]})
        self.vietnamese_passport = Phrases({"vn_passport": who["vietnamese_passport"]})
        self.vietnamese_only = frozenset(who["vietnamese_only"])
        self.civil_status_events = frozenset(who["civil_status_events"])

    def document_class(self, doc_type: str | None) -> str | None:
        entry = self.document_types.get(doc_type or "")
        return entry.cls if entry else None
