"""Labels of the simplifier's vocabulary — rules, finding statuses, readiness criteria,
metrics, structural problems, grounds — in Vietnamese and English, read once from
``simplifier/data/labels.json`` and shared by the reports and the web pages."""

from __future__ import annotations

from typing import Literal

from .resources import data

Group = Literal["rules", "statuses", "criteria", "metrics", "problems", "grounds"]


def label(group: Group, key: str, form: str = "vi") -> str:
    """The label of a key (``form``: ``vi``, ``en``, or a group's extra form such as
    ``short`` or ``detail``); the key itself when unknown.

    >>> label("statuses", "review", "short")
    'cần xem xét'
    """
    entry = data("labels")[group].get(key)
    return entry.get(form) or entry["vi"] if entry else key


def label_pairs(group: Group, vi_form: str = "vi") -> dict[str, tuple[str, str]]:
    """Key → (Vietnamese, English), for the web pages' string tables."""
    return {k: (v.get(vi_form) or v["vi"], v["en"]) for k, v in data("labels")[group].items()}
