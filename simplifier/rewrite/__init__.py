"""The rewrite, in three rooms: the plan (:mod:`.plan`), the XML edit (:mod:`.edit`) and
the diagram layout (:mod:`.layout`, which keeps the source layout in :mod:`.kept_layout`
or draws a fresh one in :mod:`.fresh_layout`)."""

from __future__ import annotations

from .edit import rewrite_xml
from .layout import layout_di
from .plan import Plan, apply_plan, fetch_step, make_plan

__all__ = ["Plan", "apply_plan", "fetch_step", "layout_di", "make_plan", "rewrite_xml"]
