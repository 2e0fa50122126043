"""Every per-process cache is bounded (issue 27 item 19): a worker's memory levels off
however many versions, forms and dossiers it has served (bench/memory.py measures it)."""

from __future__ import annotations

from tests.helpers.bpmn import TEST_FORMS, script_process
from toantrinh.engine import caches, forms
from toantrinh.engine import deployment as service
from toantrinh.engine.caches import LruCache
from toantrinh.engine.service import Engine
from toantrinh.engine.store.statecache import WORKFLOWS


def test_an_lru_cache_keeps_its_size_and_drops_the_least_recently_used():
    cache = LruCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert len(cache) == 2 and "b" not in cache and cache.get("a") == 1
    LruCache(0).put("x", 1)
    assert len(LruCache(0)) == 0


def test_the_spec_cache_is_bounded_and_an_evicted_version_still_runs(session, monkeypatch):
    monkeypatch.setattr(service, "_SPEC_CACHE", LruCache(2))
    engine = Engine(session)
    dossiers = []
    for n in range(4):  # four versions of one model, a dossier on each
        engine.deploy(script_process(f"x = {n}"), forms=TEST_FORMS)
        dossiers.append(engine.start("script_test"))
    assert len(service._SPEC_CACHE) == 2
    WORKFLOWS.clear()
    first = dossiers[0]
    (task,) = engine.ready_tasks(first.id)  # its version is read back from its stored spec
    engine.complete_task(first.id, task["id"], {"note": "xong"})
    assert (
        engine.get(first.id).status == "completed" and engine.data(engine.get(first.id))["x"] == 0
    )
    assert len(service._SPEC_CACHE) == 2


def test_the_form_caches_are_bounded(monkeypatch):
    monkeypatch.setattr(forms, "FORM_CACHE", 3)
    forms._VALIDATORS.clear()
    for n in range(10):
        schema = {"type": "object", "properties": {f"field_{n}": {"type": "string"}}}
        forms.validate_submission(schema, {f"field_{n}": "x"}, {})
        assert len(forms._VALIDATORS) <= 3


def test_the_settings_read_sizes_from_the_environment(monkeypatch):
    monkeypatch.setenv("TOANTRINH_SPEC_CACHE", "7")
    assert caches.size_setting("TOANTRINH_SPEC_CACHE", 64) == 7
    monkeypatch.setenv("TOANTRINH_SPEC_CACHE", "beaucoup")
    assert caches.size_setting("TOANTRINH_SPEC_CACHE", 64) == 64


def test_a_workflow_the_state_cache_drops_is_freed_without_the_garbage_collector(session):
    """Its objects form cycles (tasks ↔ workflow): left alone they wait for a full
    collection, which a process with a large cache runs rarely, and memory grows."""
    import gc
    import weakref

    from toantrinh.engine.store.statecache import WorkflowCache

    engine = Engine(session)
    engine.deploy(script_process("x = 1"), forms=TEST_FORMS)
    dossier = engine.start("script_test")
    cache = WorkflowCache(1)
    workflow = engine.workflow(engine.get(dossier.id))
    tasks = [weakref.ref(t) for t in workflow.tasks.values()]
    gone = weakref.ref(workflow)
    cache.put("db", 1, ("R-1", 1, "h"), workflow)
    del workflow
    gc.disable()
    try:
        cache.put("db", 2, ("R-2", 1, "h"), engine.workflow(engine.get(dossier.id)))  # evicts
        assert gone() is None and all(t() is None for t in tasks)
        stale = cache.take("db", 2, ("R-2", 2, "h"))  # another commit made it stale: dropped
        assert stale is None and len(cache) == 0
    finally:
        gc.enable()
