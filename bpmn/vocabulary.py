"""The ``tt:`` annotation vocabulary and its labels (Vietnamese and English).

Loaded once from ``bpmn/vocabulary.json``: the step kinds, actors, presence values and
copy forms a ``tt:`` annotation may carry (docs/annotations.md), each with the label the
reports and the web pages show. Document types and fields live with the registry
catalogue (``data/registries.json``), which is per deployment.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Literal

Language = Literal["vi", "en"]
Group = Literal["step_kinds", "actors", "presence", "copy_forms"]


@cache
def _data() -> dict:
    text = resources.files(__package__).joinpath("vocabulary.json").read_text("utf-8")
    return json.loads(text)


def values(group: Group) -> tuple[str, ...]:
    """The allowed values of one annotation attribute, in their documented order.

    >>> values("presence")
    ('none', 'required', 'required_by_law')
    """
    return tuple(_data()[group])


def label(group: Group, value: str, lang: Language = "vi", *, lower: bool = False) -> str:
    """The label of a value (the value itself when unknown).

    ``lower`` lower-cases the first letter, for use inside a sentence.

    >>> label("actors", "leader"), label("actors", "leader", lower=True)
    ('Lãnh đạo', 'lãnh đạo')
    >>> label("step_kinds", "inspect", "en")
    'On-site inspection'
    """
    entry = _data()[group].get(value)
    text = entry[lang] if entry else value
    return text[:1].lower() + text[1:] if lower else text


def labels(group: Group, lang: Language = "vi") -> dict[str, str]:
    """Value → label for one group."""
    return {k: v[lang] for k, v in _data()[group].items()}


def label_pairs(group: Group) -> dict[str, tuple[str, str]]:
    """Value → (Vietnamese, English) for one group (the web pages' string tables)."""
    return {k: (v["vi"], v["en"]) for k, v in _data()[group].items()}


def kind_alias(value: str) -> str:
    """The canonical step kind of a spelling other tools use ("transfer" → "handoff").

    >>> kind_alias("Deliver-Result")
    'deliver_result'
    """
    low = value.strip().lower()
    return _data()["kind_aliases"].get(low, low)


STEP_KINDS = values("step_kinds")
ACTORS = values("actors")
PRESENCE = values("presence")
COPY_FORMS = values("copy_forms")
