"""Serialising specs and dossier state.

SpiffWorkflow's serializer writes the whole process spec into every workflow dump and
restores it on every load. Here the spec is serialised **once per model version** and a
dossier's state carries only its tasks and data; on load, the already-restored spec of
that version is reused (parsed once, kept in a per-process cache).

Task data may hold ``date``, ``time`` and ``Decimal`` values (from connectors or
scripts); SpiffWorkflow's default registry knows only ``datetime``/``timedelta``/``UUID``,
so converters for the others are registered here.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from decimal import Decimal
from math import isfinite
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import VERSION as SPIFF_STATE_VERSION
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.spiff.specs.data_object import DataObject
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from toantrinh.engine.workflow import DossierDataObject, DossierTask, DossierWorkflow, adopt

_FINISHED = TaskState.COMPLETED | TaskState.CANCELLED
_UNREAD = object()


def _delta(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """A task's data as SpiffWorkflow stores it: what changed from its parent's.

    Most tasks hold what their parent holds, unchanged: one comparison of the two dicts
    (in C) says so, before the key-by-key pass (the same ``==`` on each value). The one
    difference from that pass: the dict comparison takes a value to equal itself, so a
    NaN shared with the parent (which no form or API input lets in) is left out of the
    updates instead of listed; the state restores the same data either way."""
    if after == before:
        return {"updates": {}, "deletions": []}
    return _changes(before, after)


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """:func:`_delta`'s key-by-key pass, for data already known to differ."""
    return {
        "updates": {k: v for k, v in after.items() if k not in before or v != before[k]},
        "deletions": [k for k in before if k not in after],
    }


def _scalar_text(value: Any, encode) -> str:
    """``encode(value)`` for the numbers and flags of a task, without the encoder."""
    kind = type(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and isfinite(value):
        return float.__repr__(value)
    return encode(value)


def _verifying() -> bool:
    """``TOANTRINH_VERIFY_STATE_MEMO=1``: check every reused task dict and text."""
    return os.environ.get("TOANTRINH_VERIFY_STATE_MEMO", "") == "1"


# the text of a task id, formatted once (a dump names every open task and its links),
# keyed by the id's integer: a dict of ints and strings is invisible to the garbage
# collector (an lru_cache of UUIDs added 3 tracked objects an entry to every full pass),
# and looking it up calls no Python-level UUID.__hash__ (150 against 400 ns)
_ID_TEXTS: dict[int, str] = {}
_ID_TEXTS_MAX = 1 << 16


def _uuid_text(value: UUID) -> str:
    text = _ID_TEXTS.get(value.int)
    if text is None:
        if len(_ID_TEXTS) >= _ID_TEXTS_MAX:
            _ID_TEXTS.clear()
        text = _ID_TEXTS[value.int] = str(value)
    return text


class DossierStateConverter(BpmnWorkflowConverter):
    """Workflow converter that leaves the (versioned, shared) specs out of the state."""

    def __init__(self, target_class, registry, *args, **kwargs):
        super().__init__(target_class, registry, *args, **kwargs)
        registry.dossier_state_converter = self  # StateSerializer.dump_state's way in

    def to_dict(self, workflow):
        # WorkflowConverter.to_dict, every top-level task through _task_to_dict
        return {
            **self.head_dict(workflow),
            "tasks": {_uuid_text(i): self._task_to_dict(t) for i, t in workflow.tasks.items()},
        }

    def head_dict(self, workflow) -> dict[str, Any]:
        """The state without its top-level tasks."""
        return {
            "data": self.registry.convert(self.registry.clean(workflow.data)),
            "correlations": workflow.correlations,
            "last_task": str(workflow.last_task.id) if workflow.last_task is not None else None,
            "success": workflow.success,
            "completed": workflow.completed,
            "root": str(workflow.task_tree.id),
            "subprocesses": self.mapping_to_dict(workflow.subprocesses),
            "bpmn_events": self.registry.convert(workflow.bpmn_events),
        }

    def task_texts(self, workflow, encode) -> list[str]:
        """The members of the state's ``tasks`` object as JSON text (``"id":{…}``); a
        finished task's text is reused from the last dump of this workflow object while
        nothing it is made from has changed.

        A completed or cancelled task is done with: SpiffWorkflow no longer changes its
        data or internal data, only, rarely, its links (a compacted tree drops its
        parent, a pruned branch its children). Its text is therefore kept under a
        signature of its state, last state change, parent, children and trigger flag.
        In a dossier of 20–40 tasks most are finished, and this turns a dump from
        converting and encoding every task (diffing its data against its parent's) into
        doing so for the few open ones.

        The same holds for an open task with no data of its own under a parent with none
        either (the predicted rest of the process, MAYBE/LIKELY/FUTURE): its dict is made
        of the signature's fields alone, and SpiffWorkflow gives it data only as it
        changes state, which changes the signature. Under a finished parent that has data
        (the next step, FUTURE), such a task's text also lists the parent's keys as
        deleted: they no longer change, and the parent's last state change joins the
        signature in case the workflow is reset to it.

        Only the signature (of numbers alone) and the text are kept, not the dict: the
        workflow stays in the per-process cache between steps, and a kept dict (with its
        lists and inner dicts) and a signature holding UUID objects were eight more
        objects per task for the garbage collector to walk — half of what a cached
        workflow held. A text is written by :meth:`_task_json`, not by encoding a dict.
        ``TOANTRINH_VERIFY_STATE_MEMO=1`` (set by the test suite) encodes SpiffWorkflow's
        own dict of every task, reused or written, compares the texts and fails loudly at
        the first difference.
        """
        memo = workflow.__dict__.get("_tt_task_texts", {})
        kept_now: dict[int, tuple[tuple, str]] = {}
        verify = _verifying()
        parts: list[str] = []
        tasks = workflow.tasks
        for task_id, task in tasks.items():
            parent = _UNREAD  # looked up only when needed (a UUID's hash is Python code)
            after = None  # what, of the parent, the text depends on (beyond its id)
            if task._state & _FINISHED:
                reusable = True
            elif task.data or task.internal_data:
                reusable = False
            else:
                parent = tasks.get(task._parent) if task._parent is not None else None
                if parent is None or not parent.data:
                    reusable = True
                else:
                    # no data under a finished parent's (the next step of the process):
                    # the text lists the parent's keys as deleted, and a finished task's
                    # data no longer changes (its own last state change marks a reset)
                    reusable = bool(parent._state & _FINISHED)
                    after = parent.last_state_change
            if reusable:
                # ids as integers: a tuple of numbers alone drops out of the garbage
                # collector's sight (one holding UUID objects stays in it)
                key = task_id.int
                signature = (
                    task._state,
                    task.last_state_change,
                    task._parent.int if task._parent is not None else None,
                    tuple([child.int for child in task._children]),
                    task.triggered,
                    after,
                )
                kept = memo.get(key)
                if kept is not None and kept[0] == signature:
                    if verify and kept[1] != f'"{task_id}":{encode(self.registry.convert(task))}':
                        raise AssertionError(f"task {task_id} changed, its signature did not")
                    kept_now[key] = kept
                    parts.append(kept[1])
                    continue
            if parent is _UNREAD:
                parent = tasks.get(task._parent) if task._parent is not None else None
            text = f'"{_uuid_text(task_id)}":{self._task_json(task, parent, encode, verify)}'
            if reusable:
                kept_now[key] = (signature, text)
            parts.append(text)
        workflow.__dict__["_tt_task_texts"] = kept_now
        return parts

    def _task_json(self, task, parent, encode, verify: bool) -> str:
        """``encode(self._task_to_dict(task))``, written from its parts: the fixed keys as
        text, the encoder called only for what holds data (most tasks hold none)."""
        internal = task.internal_data and self.registry.convert(task.internal_data)
        ids = _ID_TEXTS  # looked up inline: a call of _uuid_text per id costs more than this
        if parent is None:
            parent_text, data, delta = "null", encode(task.data) if task.data else "{}", "{}"
        else:
            parent_text = f'"{ids.get(task._parent.int) or _uuid_text(task._parent)}"'
            data = "{}"
            if task.data == parent.data:  # _delta's own first test, without its dict
                delta = '{"updates":{},"deletions":[]}'
            else:
                found = _changes(parent.data, task.data)
                if found["updates"] or found["deletions"]:
                    delta = encode(found)
                else:
                    delta = '{"updates":{},"deletions":[]}'
        children = ",".join(
            [f'"{ids.get(child.int) or _uuid_text(child)}"' for child in task._children]
        )
        changed, state, triggered = task.last_state_change, task._state, task.triggered
        text = (
            f'{{"id":"{ids.get(task.id.int) or _uuid_text(task.id)}","parent":{parent_text}'
            f',"children":[{children}]'
            f',"last_state_change":{_scalar_text(changed, encode)}'
            f',"state":{int.__repr__(state) if type(state) is int else _scalar_text(state, encode)}'
            f',"task_spec":{self._name_text(task.task_spec.name)}'
            f',"triggered":{"false" if triggered is False else _scalar_text(triggered, encode)}'
            f',"internal_data":{encode(internal) if internal else "{}"}'
            f',"data":{data},"delta":{delta},"typename":{self._task_typename_text}}}'
        )
        if verify:
            spiffs = encode(self.registry.convert(task))
            if text != spiffs:
                raise AssertionError(f"task {task.id}: {text} is not SpiffWorkflow's {spiffs}")
        return text

    def _name_text(self, name: str) -> str:
        """A task spec's name as a JSON string (a model has a few dozen)."""
        text = self._name_texts.get(name)
        if text is None:
            text = self._name_texts[name] = json.dumps(name)
        return text

    @functools.cached_property
    def _name_texts(self) -> dict[str, str]:
        return {}

    @functools.cached_property
    def _task_typename_text(self) -> str:
        return json.dumps(self._task_typename)

    def _task_to_dict(self, task) -> dict[str, Any]:
        """What SpiffWorkflow's ``TaskConverter.to_dict`` makes of a task (in the encoder
        mode the dumps use), key for key and in the same order, without looking the
        parent up three times or formatting the same UUIDs again at every dump."""
        parent = task.workflow.tasks.get(task._parent) if task._parent is not None else None
        if parent is None:
            data, delta = task.data, {}
        else:
            data, delta = {}, _delta(parent.data, task.data)
        return {
            "id": _uuid_text(task.id),
            "parent": _uuid_text(task._parent) if parent is not None else None,
            "children": [_uuid_text(child) for child in task._children],
            "last_state_change": task.last_state_change,
            "state": task._state,
            "task_spec": task.task_spec.name,
            "triggered": task.triggered,
            "internal_data": self.registry.convert(task.internal_data),
            "data": data,
            "delta": delta,
            "typename": self._task_typename,
        }

    @functools.cached_property
    def _task_typename(self) -> str:
        return self.registry.typenames[Task]

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        # a dossier's workflow is a DossierWorkflow (a BpmnWorkflow with a cheaper walk)
        workflow = DossierWorkflow(spec, subprocess_specs or {}, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        adopt(workflow.tasks.values())
        for sub in workflow.subprocesses.values():
            adopt(sub.tasks.values())
        return workflow


def _make_registry():
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = DossierStateConverter
    registry = BpmnWorkflowSerializer.configure(config)
    # dossiers run as DossierWorkflow; their states keep the typename "BpmnWorkflow"
    registry.typenames[DossierWorkflow] = registry.typenames[BpmnWorkflow]
    registry.typenames[DossierTask] = registry.typenames[Task]
    registry.typenames[DossierDataObject] = registry.typenames[DataObject]
    registry.register(
        dt.date,
        lambda v: {"value": v.isoformat()},
        lambda v: dt.date.fromisoformat(v["value"]),
        typename="date",
    )
    registry.register(
        dt.time,
        lambda v: {"value": v.isoformat()},
        lambda v: dt.time.fromisoformat(v["value"]),
        typename="time",
    )
    registry.register(
        Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]), typename="Decimal"
    )
    return registry


class StateSerializer:
    """Dumps and loads specs and dossier states as JSON text."""

    def __init__(self):
        self._registry = _make_registry()
        # A full serializer (with the specs) for the spec dumps.
        self._spiff = BpmnWorkflowSerializer(self._registry)
        self._encoder = self._spiff._encoder_cls(separators=(",", ":"))

    # -- specs (once per version) -------------------------------------------------
    def dump_specs(self, spec, subprocess_specs: dict) -> str:
        return json.dumps(
            {
                "spec": self._registry.convert(spec),
                "subprocess_specs": {
                    k: self._registry.convert(v) for k, v in subprocess_specs.items()
                },
            }
        )

    def load_specs(self, text: str):
        dct = json.loads(text)
        spec = self._registry.restore(dct["spec"])
        subs = {k: self._registry.restore(v) for k, v in dct["subprocess_specs"].items()}
        return spec, subs

    # -- dossier state ------------------------------------------------------------
    def dump_state(self, workflow: BpmnWorkflow) -> str:
        converter = self._registry.dossier_state_converter
        encode = self._encoder.encode
        self._registry._encoder_mode = True
        try:
            head = converter.head_dict(workflow)
            tasks = converter.task_texts(workflow, encode)
        finally:
            self._registry._encoder_mode = False
        head["typename"] = self._registry.typenames[DossierWorkflow]
        head["serializer_version"] = SPIFF_STATE_VERSION
        text = encode(head)  # a non-empty object: "{...}"
        return text[:-1] + ',"tasks":{' + ",".join(tasks) + "}}"

    def load_state(self, text: str, spec, subprocess_specs: dict) -> BpmnWorkflow:
        dct = json.loads(text, cls=self._spiff.json_decoder_cls)
        dct.pop("serializer_version", None)
        return self._registry.restore(dct, spec=spec, subprocess_specs=subprocess_specs)

    def encode_data(self, data: Any) -> str:
        """Task data as JSON text the way a state dump writes it (dates, decimals and the
        other types the registry knows as typed objects): :meth:`decode_data` gives the
        same values back."""
        return self._encoder.encode(data)

    def decode_data(self, value: Any) -> Any:
        """Task data from what :meth:`encode_data` wrote, once parsed."""
        return self._registry.restore(value)

    def data_to_json(self, data: dict[str, Any]) -> str:
        """Task data as plain JSON (dates and decimals as strings) for events and APIs."""
        return json.dumps(data, default=json_default, ensure_ascii=False)


def json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} không chuyển được sang JSON")
