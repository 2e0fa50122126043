"""Whose papers a procedure asks for, and what that means for a national database.

One row of thành phần hồ sơ rarely says whose paper it is; the record does. The rows are
read one by one (:mod:`.components`); this module then settles, for the whole record,
which rows a national database may stand in for (the vocabulary's ``applicants``):

1. **Foreign element or foreign applicants.** A procedure whose name gives it a foreign
   element or places it abroad ("có yếu tố nước ngoài", "ở nước ngoài", "cơ quan đại
   diện"), or whose đối tượng thực hiện admits foreigners ("Người nước ngoài", "Tổ chức
   nước ngoài"), may be filed by people the population database does not hold (it holds
   Vietnamese citizens and persons of Vietnamese origin living in Vietnam, Luật Căn cước
   2023 Art. 2). There an identity paper that may be a passport (a generic identity
   paper, or a card named beside a passport), a civil-status paper (the event may have
   been registered abroad) and any other database's paper that is not a citizen's by
   law are reviewed, not replaced. An identity card named alone, and a residence paper
   (the Law on Residence governs citizens; foreigners declare their stay under another
   law, with other papers), are a citizen's.
   "Người Việt Nam định cư ở nước ngoài" alone in đối tượng thực hiện is not a foreign
   applicant: the portal lists it for most civil-status procedures done in Vietnam.
2. **Re-registration.** "Đăng ký lại" khai sinh, kết hôn, khai tử exists only when the
   register and the original were lost (Nghị định 123/2015/NĐ-CP Art. 24(1)): the
   civil-status papers of that event are reviewed.
3. **Another database's paper as an alternative** ("Giấy chứng tử hoặc báo tử": civil
   status or health) makes the row mixed; alternatives held by one database do not.
4. **What the record says the agency reads.** A note row saying the agency looks the data
   up itself ("cơ quan … có trách nhiệm tra cứu … Cơ sở dữ liệu quốc gia về dân cư")
   covers the papers it names for every row of the record, as a row's own sentence covers
   the papers in it: a row naming alternatives is replaceable only when every paper it
   names is covered (see :func:`.components.replaceable_type`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .components import Component, replaceable_type, support_coverage
from .vocabulary import Vocabulary

_IDENTITY = frozenset({"identity_card", "identity_papers", "passport"})
_CARDS = _IDENTITY - {"passport"}
FOREIGN_REASON = (
    "thủ tục có yếu tố nước ngoài hoặc người nộp có thể là người nước ngoài: giấy tờ có thể "
    "là hộ chiếu, giấy tờ của người nước ngoài hoặc sự kiện đăng ký ở nước ngoài, không có "
    "trong CSDL quốc gia (Luật Căn cước 2023, Điều 2)"
)
REREGISTRATION_REASON = (
    "đăng ký lại: sự kiện hộ tịch đã đăng ký trước 01/01/2016 mà Sổ hộ tịch và bản chính "
    "đều bị mất, có thể không có trong CSDL hộ tịch điện tử (Nghị định 123/2015/NĐ-CP, "
    "Điều 24 khoản 1)"
)


@dataclass(frozen=True)
class Applicants:
    """Who files the procedure, as far as its name and đối tượng thực hiện tell."""

    foreign: str = ""  # the words that admit foreign applicants or a foreign element
    re_registration: str = ""  # the words of a re-registration procedure's name


def read_applicants(name: str, subjects: str, vocab: Vocabulary) -> Applicants:
    """The applicants of a procedure from its name and đối tượng thực hiện.

    ``foreign`` is set by the name ("Đăng ký kết hôn có yếu tố nước ngoài") or by the
    subjects ("Công dân Việt Nam, Người nước ngoài"); "Người Việt Nam định cư ở nước ngoài"
    alone does not set it.
    """
    in_name = vocab.foreign_element.first(name)
    in_subjects = vocab.foreign_subjects.first(subjects)
    again = vocab.re_registration.first(name)
    foreign = in_name or in_subjects
    return Applicants(
        foreign=foreign.words if foreign else "",
        re_registration=again.words if again else "",
    )


def record_coverage(components: list[Component], vocab: Vocabulary) -> frozenset[str]:
    """The document types the record's notes say the agency reads itself."""
    covered: set[str] = set()
    for comp in components:
        if comp.role == "note":
            covered |= support_coverage(vocab, comp.name, whole=True)[1]
    return frozenset(covered)


def settle_components(
    components: list[Component],
    who: Applicants,
    vocab: Vocabulary,
    holders: Mapping[str, str],
) -> None:
    """Set each document row's ``replaceable_type`` with the record's context (rules 1–4)."""
    covers = record_coverage(components, vocab)
    for comp in components:
        if comp.role != "document" or comp.document_type is None:
            continue
        _other_database(comp, vocab, holders)
        reason = _context_reason(comp, who, vocab)
        if reason and not comp.disqualified:
            comp.disqualified = reason
            comp.evidence.append(f"cần xem xét: {reason}")
        comp.replaceable_type = replaceable_type(comp, vocab, covers)


def _other_database(comp: Component, vocab: Vocabulary, holders: Mapping[str, str]) -> None:
    """A database's paper named as an alternative but held by another database."""
    own = holders.get(comp.document_type or "")
    for key, words in comp.alternatives.items():
        if vocab.document_class(key) not in ("registry", "registry_mixed"):
            continue
        if {key, comp.document_type} <= _CARDS or holders.get(key) == own:
            continue
        if not comp.mixed:
            comp.mixed = words
            comp.evidence.append(f"dòng nêu giấy tờ thay thế thuộc CSDL khác: “{words}”")
        return


def _context_reason(comp: Component, who: Applicants, vocab: Vocabulary) -> str:
    """Why the record's applicants rule a database out for this row ("" when they don't)."""
    doc = comp.document_type or ""
    if vocab.document_class(doc) not in ("registry", "registry_mixed"):
        return ""
    if who.re_registration and doc in vocab.civil_status_events:
        return REREGISTRATION_REASON
    if not who.foreign:
        return ""
    if doc in vocab.civil_status_events:
        return FOREIGN_REASON
    if doc in _IDENTITY:
        alone = doc == "identity_card" and "passport" not in comp.alternatives
        return "" if alone and not comp.mixed else FOREIGN_REASON
    return "" if doc in vocab.vietnamese_only else FOREIGN_REASON


def holders_of(catalogue: Mapping, vocab: Vocabulary) -> dict[str, str]:
    """Document type → the national database that holds it: ``data/registries.json``, then
    the vocabulary's own hints (the e-data warehouse is not a database here)."""
    out = {t: d.registry for t, d in vocab.document_types.items() if d.registry}
    for registry in catalogue.get("registries", []):
        if registry.get("id") == "edata_warehouse":
            continue
        for t in registry.get("document_types", []):
            out[t] = registry["id"]
    return out


def describe(who: Applicants) -> list[str]:
    """What ``review.md`` says about the applicants."""
    out = []
    if who.foreign:
        out.append(f"người nộp có thể là người nước ngoài hoặc ở nước ngoài (“{who.foreign}”)")
    if who.re_registration:
        out.append(f"thủ tục đăng ký lại (“{who.re_registration}”)")
    return out


__all__ = [
    "Applicants",
    "describe",
    "holders_of",
    "read_applicants",
    "record_coverage",
    "settle_components",
]
