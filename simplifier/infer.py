"""Annotation inference: task kinds, actors and dossier components from labels.

A model drawn by someone else carries no ``tt:`` annotations. This module reads the
labels (Vietnamese with or without diacritics, or English), lane names and BPMN
element types and infers what each task does, who does it, whether the applicant
must be present, and which documents the data objects are, each with a confidence
in 0..1. An explicit annotation always wins with confidence 1.0.

Matching works on a normalised form of the label: Unicode NFD with combining marks
stripped, ``đ`` → ``d``, lower case, punctuation to spaces, so "Thẩm định hồ sơ" and
"Tham dinh ho so" match the same phrase. Phrases match on word boundaries.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from toantrinh.bpmn.vocabulary import STEP_KINDS, labels

from .load import DataObject, Node
from .resources import data

if TYPE_CHECKING:
    from .law import LegalRequirement

KINDS = STEP_KINDS

# Vietnamese labels of the annotation vocabulary (bpmn/vocabulary.json), lower-case for
# use inside a sentence.
ACTOR_VI = {k: v[:1].lower() + v[1:] for k, v in labels("actors").items()}
PRESENCE_VI = labels("presence")
COPY_VI = {k: v[:1].lower() + v[1:] for k, v in labels("copy_forms").items()}

_PHRASES = data("phrases")

# Expected working time of a step, in minutes, when the model does not say
# (tt:step duration); estimates documented in simplifier/data/phrases.json.
DEFAULT_DURATION_MIN: dict[str, float] = {
    k: v for k, v in _PHRASES["default_duration_min"].items() if not k.startswith("$")
}
AUTOMATED_DURATION_MIN = 1  # service, script and business-rule tasks
AUTOMATED_TYPES = frozenset({"serviceTask", "scriptTask", "businessRuleTask", "sendTask"})


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower-case ASCII form of a Vietnamese or English label.

    >>> normalise("Thẩm định hồ sơ, ĐĂNG KÝ")
    'tham dinh ho so dang ky'
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^0-9a-zA-Z]+", " ", text.lower())
    return text.strip()


def _rx(phrases: list[str]) -> re.Pattern:
    alts = sorted((re.escape(normalise(p)) for p in phrases), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b")


def _kind_text(text: str) -> str:
    # Without diacritics some words collide: "đăng ký" (register) is not "ký" (sign),
    # "kiểm tra" (check) is not "trả" (return), "chi trả" (pay out) is not "trả" either.
    return (
        normalise(text)
        .replace("dang ky", "dangky")
        .replace("kiem tra", "kiemtra")
        .replace("tra cuu", "tracuu")
        .replace("chi tra", "chitra")
    )


def _kind_rx(phrases: list[str]) -> re.Pattern:
    alts = sorted((re.escape(_kind_text(p)) for p in phrases), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b")


_STRONG = [(r["kind"], _kind_rx(r["strong"])) for r in _PHRASES["kinds"] if r["strong"]]
_WEAK = [(r["kind"], _kind_rx(r["weak"])) for r in _PHRASES["kinds"] if r["weak"]]
_ACTOR_PATTERNS = [(r["actor"], _rx(r["phrases"])) for r in _PHRASES["actors"]]
_DEFAULT_ACTOR: dict[str, str] = _PHRASES["default_actor"]
_PRESENCE_RX = _rx(_PHRASES["presence"]["required"])
_ONLINE_RX = _rx(_PHRASES["presence"]["online"])
_DOC_PATTERNS = [(r["document_type"], _rx(r["phrases"])) for r in _PHRASES["documents"]]
_COPY_PATTERNS = [(r["copy"], _rx(r["phrases"])) for r in _PHRASES["copy_forms"]]

# Fields a document usually carries (vocabulary of data/registries.json), for
# components whose model does not list tt:field children.
DOC_FIELDS: dict[str, tuple[str, ...]] = {
    k: tuple(v) for k, v in _PHRASES["document_fields"].items()
}


@dataclass(frozen=True)
class StepInfo:
    """What a task does (inferred or annotated)."""

    kind: str
    actor: str
    presence: str  # none | required | required_by_law
    duration_min: float
    citizen_min: float | None  # tt:step citizenTime, if given
    confidence: float  # 1.0 when annotated
    source: str  # of the kind: "annotation" | "label" | "default"
    legal_basis: str = ""
    automated: bool = False
    actor_source: str = "default"  # "annotation" | "lane" | "label" | "default"
    presence_source: str = "default"  # "annotation" | "label" | "default"
    law: LegalRequirement | None = None  # why presence is required by law (simplifier.law)

    @property
    def annotated(self) -> bool:
        """Whether the model itself says what the step does (not a guess from its label)."""
        return self.source == "annotation"


@dataclass(frozen=True)
class ComponentInfo:
    """A dossier component (thành phần hồ sơ), annotated or inferred."""

    key: str
    name: str
    code: str
    document_type: str | None
    copy: str  # original | certified_copy | copy | electronic
    required: bool
    fields: tuple[str, ...]
    legal_basis: str
    confidence: float
    source: str
    refs: tuple[str, ...] = field(default=())
    copy_source: str = "default"  # "annotation" | "label" | "default" (unknown: "original")

    @property
    def paper(self) -> bool:
        """Whether the model says (or its label says) this is an original or certified copy."""
        return self.copy in ("original", "certified_copy") and self.copy_source != "default"


def _earliest(patterns, text: str):
    """The value whose phrase starts first in ``text`` (longer, then earlier rule, on ties)."""
    best = None
    for rank, (value, rx) in enumerate(patterns):
        m = rx.search(text)
        if m and (best is None or (m.start(), -len(m.group()), rank) < best[0]):
            best = ((m.start(), -len(m.group()), rank), value)
    return best[1] if best else None


def _first(patterns, text: str):
    for value, rx in patterns:
        if rx.search(text):
            return value
    return None


@lru_cache(maxsize=65536)
def infer_kind(label: str) -> tuple[str, float]:
    """Infer a task kind from its label, with a confidence.

    >>> infer_kind("Thẩm định hồ sơ")
    ('appraise', 0.85)
    >>> infer_kind("Tham dinh ho so")
    ('appraise', 0.85)
    >>> infer_kind("Pay the fee")
    ('pay', 0.85)
    """
    text = _kind_text(label)
    if not text:
        return "other", 0.1
    # Vietnamese labels lead with their main verb ("Tiếp nhận, kiểm tra hồ sơ" receives):
    # the earliest phrase wins; on a tie the longer one, then the rule order.
    for patterns, confidence in ((_STRONG, 0.85), (_WEAK, 0.6)):
        best = None
        for rank, (kind, rx) in enumerate(patterns):
            m = rx.search(text)
            if m and (best is None or (m.start(), -len(m.group()), rank) < best[0]):
                best = ((m.start(), -len(m.group()), rank), kind)
        if best:
            return best[1], confidence
    return "other", 0.2


@lru_cache(maxsize=65536)
def infer_actor(text: str) -> str | None:
    """Actor named in a lane name, label or assignee, if any."""
    return _first(_ACTOR_PATTERNS, normalise(text)) if text else None


@lru_cache(maxsize=4096)
def parse_duration(value: str | None) -> float | None:
    """ISO 8601 duration to minutes (a day is 8 working hours, a week 5 days).

    >>> parse_duration("P1DT2H30M")
    630.0
    """
    if not value:
        return None
    m = re.fullmatch(
        r"P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?",
        value.strip().upper(),
    )
    if not m or value.strip().upper() in ("P", "PT"):
        return None
    w, d, h, mi, s = (float(x) if x else 0.0 for x in m.groups())
    return w * 5 * 480 + d * 480 + h * 60 + mi + s / 60


def _actor(node: Node, kind: str, automated: bool) -> tuple[str, str]:
    """(actor, where it came from)."""
    if node.step.get("actor"):
        return node.step["actor"], "annotation"
    if automated:
        return "system", "default"
    if node.lane_role:
        return node.lane_role, "lane"
    lane = infer_actor(node.lane or "") or infer_actor(node.hints)
    # A label names the place as often as the person ("nộp hồ sơ tại bộ phận một
    # cửa"), so it is trusted for the actor only when the kind does not fix it.
    label = None if kind in ("submit", "pay") else infer_actor(node.name)
    actor, source = (lane, "lane") if lane else (label, "label") if label else (None, "default")
    if actor is None or (actor == "system" and node.type in ("userTask", "manualTask")):
        return _DEFAULT_ACTOR[kind], "default"
    return actor, source


def _presence(node: Node, kind: str, automated: bool) -> tuple[str, str]:
    """(presence, where it came from)."""
    if node.step.get("presence"):
        return node.step["presence"], "annotation"
    if automated:
        return "none", "default"
    text = normalise(node.name)
    if kind == "inspect":
        return "required", "label"  # an on-site inspection needs someone on site
    if _PRESENCE_RX.search(text) and not _ONLINE_RX.search(text):
        return "required", "label"
    return "none", "default"


def step_info(node: Node, warnings: list[str] | None = None) -> StepInfo:
    """The kind, actor, presence and duration of one task; annotations win."""
    step = node.step
    automated = node.type in AUTOMATED_TYPES
    if step.get("kind"):
        kind, conf, source = step["kind"], 1.0, "annotation"
    else:
        kind, conf = infer_kind(node.name)
        source = "label" if conf > 0.2 else "default"
        if automated and kind == "other":
            conf, source = 0.9, "default"
    actor, actor_source = _actor(node, kind, automated)
    if source != "annotation" and not automated:
        conf = round(conf * (1.0 if node.lane else 0.9), 2)
    presence, presence_source = _presence(node, kind, automated)
    duration = parse_duration(step.get("duration"))
    if step.get("duration") and duration is None and warnings is not None:
        warnings.append(
            f"Bước “{node.name or node.id}”: thời lượng “{step['duration']}” không theo "
            "ISO 8601 (ví dụ PT30M, P2D); dùng thời lượng mặc định."
        )
    if duration is None:
        duration = AUTOMATED_DURATION_MIN if automated else DEFAULT_DURATION_MIN[kind]
    return StepInfo(
        kind=kind,
        actor=actor,
        presence=presence,
        duration_min=duration,
        citizen_min=parse_duration(step.get("citizenTime")),
        confidence=conf,
        source=source,
        legal_basis=step.get("legalBasis", ""),
        automated=automated,
        actor_source=actor_source,
        presence_source=presence_source,
    )


@lru_cache(maxsize=65536)
def infer_document(label: str) -> tuple[str | None, str | None, float]:
    """Document type and copy form named by a data-object label.

    >>> infer_document("Bản sao giấy khai sinh")
    ('birth_certificate', 'copy', 0.85)
    >>> infer_document("So ho khau")
    ('household_book', None, 0.85)
    """
    text = normalise(label)
    doc = _earliest(_DOC_PATTERNS, text)
    copy = _first(_COPY_PATTERNS, text)
    return doc, copy, (0.85 if doc else 0.0)


def component_info(do: DataObject) -> ComponentInfo | None:
    """The dossier component a data object stands for, or None if it is not one."""
    if do.is_store:
        return None
    comp = do.component or {}
    doc, copy, conf = infer_document(do.name)
    if comp:
        document_type = comp.get("documentType") or doc
        copy_form = comp.get("copy") or copy or "original"
        copy_source = "annotation" if comp.get("copy") else "label" if copy else "default"
        fields = tuple(comp.get("fields") or ()) or DOC_FIELDS.get(document_type or "", ())
        return ComponentInfo(
            key=do.key,
            name=do.name or comp.get("code") or do.key,
            code=comp.get("code") or do.key,
            document_type=document_type,
            copy=copy_form,
            copy_source=copy_source,
            required=(comp.get("required", "true").lower() != "false"),
            fields=fields,
            legal_basis=comp.get("legalBasis", ""),
            confidence=1.0,
            source="annotation",
            refs=tuple(do.refs),
        )
    if not doc:
        return None
    return ComponentInfo(
        key=do.key,
        name=do.name,
        code=do.key,
        document_type=doc,
        copy=copy or "original",
        copy_source="label" if copy else "default",
        required=True,
        fields=DOC_FIELDS.get(doc, ()),
        legal_basis="",
        confidence=conf if copy else round(conf * 0.9, 2),
        source="label",
        refs=tuple(do.refs),
    )
