"""Legal questions, decided once (``simplifier/data/legal_rules.json``) and applied everywhere.

* **Presence required by law** (Decree 42/2022 Art. 11; Circular 01/2023 Art. 13(1)(e)):
  inferred from a step's annotation (``presence="required_by_law"``), from its wording
  and legal basis (site inspection, biometrics, signing the civil-status register,
  exams, physical checks, witnessed signatures) and from the procedure's kind. Such a
  step is never removed or moved online.
* **Abolished papers**: a decree removed the paper itself (Decree 07/2025, Decree
  104/2022); the finding cites that decree, not a database.
* **Papers that cannot be reused**: the procedure's own result, a paper it produces,
  a paper surrendered by the procedure (the previous passport), a paper no registry can
  hold yet (land origin papers at first registration).

Every answer carries its citation and whether the fact was confirmed (``confirmed``);
unconfirmed facts are shown as estimates in the reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from .infer import StepInfo, normalise
from .resources import data


@dataclass(frozen=True)
class LegalRequirement:
    """A requirement that law itself imposes (why a step is kept)."""

    id: str
    title_vi: str
    basis: str
    confirmed: bool
    note: str = ""
    at_agency: bool = True  # the applicant comes to the agency for it (not a site visit)


@dataclass(frozen=True)
class AbolishedPaper:
    """A paper a legal text removed from a procedure."""

    id: str
    document_type: str
    citation: str
    confirmed: bool
    lookup: str | None
    exception_vi: str


def rules() -> dict:
    """The parsed legal rules (read once)."""
    return data("legal_rules")


def citation(key: str) -> str:
    """The text of a citation ("D104", "R66_7", …); one not yet checked against the text of
    the law itself (only against the maintainers' summary) says so.

    >>> citation("D104").startswith("Nghị định 104/2022/NĐ-CP")
    True
    """
    entry = rules()["citations"][key]
    return entry["text"] if entry.get("confirmed") else f"{entry['text']} {UNCHECKED}"


UNCHECKED = "(chưa đối chiếu nguyên văn)"


def is_confirmed(key: str) -> bool:
    return bool(rules()["citations"][key].get("confirmed"))


def _phrase_rx(phrases: list[str]) -> re.Pattern | None:
    return _compiled(tuple(phrases))


@cache
def _compiled(phrases: tuple[str, ...]) -> re.Pattern | None:
    alts = sorted({re.escape(normalise(p)) for p in phrases if normalise(p)}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b") if alts else None


@cache
def _presence_rules() -> list[tuple[dict, re.Pattern | None, re.Pattern | None]]:
    return [
        (r, _phrase_rx(r["phrases"]), _phrase_rx(r.get("articles", [])))
        for r in rules()["presence"]
    ]


@cache
def _waiver_rules() -> list[tuple[dict, re.Pattern | None, re.Pattern | None]]:
    return [
        (r, _phrase_rx(r["phrases"]), _phrase_rx(r.get("articles", [])))
        for r in rules().get("not_presence", [])
    ]


def presence_waiver(
    label: str, info: StepInfo, ready: frozenset[str] = frozenset()
) -> LegalRequirement | None:
    """The decided rule that a presence a step's wording suggests is not one the law
    requires (signing the civil-status register when registering online; biometrics the
    ID-card database already holds, when the population database is ``ready``), or None."""
    text = normalise(f"{label} {info.legal_basis}")
    basis = normalise(info.legal_basis)
    for rule, words, _articles in _presence_rules():
        if rule.get("waived_if_ready") in ready and words is not None and words.search(text):
            return LegalRequirement(
                rule["id"], rule["title_vi"], rule["waiver_basis"], bool(rule["waiver_confirmed"])
            )
    for rule, words, articles in _waiver_rules():
        if (words is not None and words.search(text)) or (
            articles is not None and articles.search(basis)
        ):
            return _requirement(rule)
    return None


@cache
def _procedure_rules() -> list[tuple[dict, re.Pattern]]:
    out = []
    for r in rules()["procedures"]:
        rx = _phrase_rx(r["phrases"])
        if rx is not None:
            out.append((r, rx))
    return out


def _requirement(rule: dict) -> LegalRequirement:
    return LegalRequirement(
        rule["id"],
        rule["title_vi"],
        rule["basis"],
        bool(rule["confirmed"]),
        rule.get("note", ""),
        bool(rule.get("at_agency", True)),
    )


def procedure_text(procedure: dict | None, process_name: str = "") -> str:
    """Normalised names of a procedure (procedure.json names and slug, the process name)."""
    proc = procedure or {}
    names = proc.get("name") or {}
    parts = [
        names.get("vi", "") if isinstance(names, dict) else str(names),
        names.get("en", "") if isinstance(names, dict) else "",
        process_name,
        str(proc.get("slug") or "").replace("-", " "),
    ]
    return normalise(" ".join(p for p in parts if p))


def presence_requirement(
    label: str, info: StepInfo, proc_text: str = "", ready: frozenset[str] = frozenset()
) -> LegalRequirement | None:
    """The legal requirement that makes a step need presence, or None.

    Only steps that need someone present (by annotation or wording) or that inspect on
    site are read: an explicit ``presence="none"`` annotation stays as it is. ``ready``
    names the registries connected with a published scope: a requirement the law lifts
    when a database holds the data (biometrics) does not hold then.
    """
    if info.presence == "none" and info.kind != "inspect":
        return None
    if info.presence == "none" and info.presence_source == "annotation":
        return None
    text = normalise(f"{label} {info.legal_basis}")
    basis = normalise(info.legal_basis)
    live = [r for r in _presence_rules() if r[0].get("waived_if_ready") not in ready]
    for rule, words, articles in live:  # what the step says first, then what kind it is
        if words is not None and words.search(text):
            return _requirement(rule)
        if articles is not None and info.kind in rule["article_kinds"] and articles.search(basis):
            return _requirement(rule)
    for rule, _words, _articles in live:
        if info.kind in rule["kinds"]:
            return _requirement(rule)
    if proc_text:
        for rule, rx in _procedure_rules():
            if info.kind in rule["kinds"] and rx.search(proc_text):
                (presence,) = [r for r in rules()["presence"] if r["id"] == rule["presence"]]
                return _requirement(presence)
    if info.presence == "required_by_law":  # the model says so and names no rule we know
        waiver = presence_waiver(label, info)
        return LegalRequirement(
            "annotated",
            "có mặt theo quy định của pháp luật (theo chú thích của mô hình)",
            info.legal_basis or "mô hình chưa ghi căn cứ",
            False,
            f"trái với quy tắc chung: {waiver.basis}" if waiver else "",
            info.kind != "inspect",
        )
    return None


def apply_presence_law(
    steps: dict[str, StepInfo],
    names: dict[str, str],
    proc_text: str,
    ready: frozenset[str] = frozenset(),
) -> dict[str, StepInfo]:
    """Steps with ``presence="required_by_law"`` wherever a legal rule requires presence."""
    out = {}
    for tid, info in steps.items():
        if info.automated:
            out[tid] = info
            continue
        req = presence_requirement(names.get(tid, ""), info, proc_text, ready)
        out[tid] = replace(info, presence="required_by_law", law=req) if req else info
    return out


@lru_cache(maxsize=4096)
def abolished_papers(proc_text: str) -> dict[str, AbolishedPaper]:
    """Document type → the legal text that removed it from this procedure."""
    out: dict[str, AbolishedPaper] = {}
    for r in rules()["abolished_papers"]:
        rx = _phrase_rx(r["procedure_phrases"])
        if r["procedure_phrases"] and (rx is None or not rx.search(proc_text)):
            continue
        out[r["document_type"]] = AbolishedPaper(
            r["id"],
            r["document_type"],
            r["citation"],
            is_confirmed(r["citation"]),
            r.get("lookup"),
            r.get("exception_vi", ""),
        )
    return out


@cache
def _surrender_rx() -> re.Pattern | None:
    return _phrase_rx(rules()["surrender_phrases"])


def surrendered(document_type: str | None, component_label: str, proc_text: str) -> str | None:
    """Why a paper cannot be reused because the procedure takes it back, or None."""
    if not document_type:
        return None
    for r in rules()["surrendered_papers"]:
        rx = _phrase_rx(r["procedure_phrases"])
        if r["document_type"] == document_type and rx is not None and rx.search(proc_text):
            return r["reason_vi"]
    srx = _surrender_rx()
    if srx is not None and srx.search(normalise(component_label)):
        return "giấy tờ này phải nộp lại (thu hồi) trong thủ tục"
    return None


@cache
def _no_id_rx() -> re.Pattern | None:
    return _phrase_rx(rules()["no_identity_number"]["phrases"])


def never_in_registry(
    document_type: str | None, proc_text: str = "", component_label: str = ""
) -> str | None:
    """Why no registry can hold this paper (yet), or None: papers no database holds by
    definition (land origin papers at first registration), papers this kind of procedure
    itself draws up (the cadastral extract of a first registration), papers of people the
    national databases do not know by a personal identification number (foreigners)."""
    reason = rules()["never_in_registry"].get(document_type or "")
    if reason:
        return reason
    rx = _no_id_rx()
    if component_label and rx is not None and rx.search(normalise(component_label)):
        return str(rules()["no_identity_number"]["reason_vi"])
    for r in rules().get("produced_papers", []):
        rx = _phrase_rx(r["procedure_phrases"])
        if r["document_type"] == document_type and rx is not None and rx.search(proc_text):
            return r["reason_vi"]
    return None
