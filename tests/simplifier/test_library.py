"""The simplifier on the procedure library, and its rewrites run through the real engine.

Every folder of ``process_models/`` is analysed; the rewritten model of each must parse,
deploy, and reach the same end state as the original on the folder's example dossiers
(``examples/*.json``; the criminal-record procedure also has examples kept with these
tests). Steps the rewrite removed are skipped when replaying on the rewritten model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import XSD_PATH, BpmnValidator
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from toantrinh.simplifier import analyse
from toantrinh.simplifier.cli import load_forms, load_procedure
from toantrinh.simplifier.load import BPMNDI_NS
from toantrinh.simplifier.report import registry_contributions, to_markdown

from .builders import ROOT, catalogue, cost_model

LIBRARY = sorted(
    p
    for p in (ROOT / "process_models").glob("*")
    if p.is_dir() and (p / "procedure.json").is_file()
)
LTP = ROOT / "process_models" / "ly-lich-tu-phap"
XSD = etree.XMLSchema(etree.parse(XSD_PATH))  # the OMG schema SpiffWorkflow ships


def examples(folder: Path) -> list[Path]:
    return sorted((folder / "examples").glob("*.json"))


@pytest.fixture(scope="module")
def forms():
    return load_forms(ROOT)


def analysed(folder: Path, forms):
    xml, procedure, _slug = load_procedure(folder)
    return analyse(xml, catalogue(), procedure, forms, cost_model=cost_model())


@pytest.mark.skipif(not LIBRARY, reason="the procedure library is empty")
@pytest.mark.parametrize("folder", LIBRARY, ids=lambda p: p.name)
def test_every_library_procedure_is_analysed_and_its_rewrite_is_valid(folder, forms, session):
    a = analysed(folder, forms)
    assert a.steps and a.structure.sound, a.structure.problems
    assert a.after.steps <= a.before.steps
    assert a.after.readiness.score >= a.before.readiness.score
    out = a.rewritten_bpmn()
    parser = SpiffBpmnParser(validator=BpmnValidator())
    parser.add_bpmn_str(out.encode())
    for pid in a.pm.executable:
        parser.get_spec(pid)
    root = etree.fromstring(out.encode())
    assert XSD.validate(root), XSD.error_log.last_error  # BPMNDiagram before relationship, …
    drawn = {
        el.get("bpmnElement")
        for el in root.iter(f"{{{BPMNDI_NS}}}BPMNShape", f"{{{BPMNDI_NS}}}BPMNEdge")
    }
    after = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    assert (set(a.pm.nodes) | set(a.pm.flows)) & after <= drawn  # all that is left is drawn
    from toantrinh.engine.service import Engine

    info = Engine(session).validate_model(
        out, a.procedure.get("process_id"), forms=a.rewritten_forms()
    )
    assert info.process_id == a.procedure.get("process_id")


@pytest.mark.skipif(
    not (LTP / "procedure.json").is_file(), reason="ly-lich-tu-phap not in the library yet"
)
def test_criminal_record_report_shows_what_the_population_database_removes(forms):
    a = analysed(LTP, forms)
    (pop,) = [c for c in registry_contributions(a) if c["id"] == "population"]
    # the declaration's personal fields come from the population database (17 of 23 on VNeID)
    assert {"full_name", "date_of_birth", "permanent_address", "father_name", "mother_name"} <= set(
        pop["prefilled"] + pop["new_prefill"]
    )
    # the identity-card copy and the proof of residence are no longer asked for
    dropped = {
        a.components[k].document_type
        for k, r in a.plan.drop_components.items()
        if r == "population"
    }
    assert {"identity_card", "residence_confirmation"} <= dropped
    md = to_markdown(a)
    section = md.split("### Cơ sở dữ liệu quốc gia về dân cư")[1].split("\n## ")[0]
    # fields by their labels, the two components named
    assert "Họ, chữ đệm và tên" in section and "full_name" not in section
    assert "Thành phần hồ sơ được bỏ: Bản chụp Căn cước công dân hoặc Hộ chiếu và" in section
    assert a.after.components < a.before.components


CASES = [(folder, ex) for folder in LIBRARY for ex in examples(folder)]


@pytest.fixture
def engine_for(session, session_factory, db_engine):
    """The real engine, over the registry sandbox (real HTTP on localhost) and the e-data
    warehouse; for the criminal-record procedure over the in-process test people that its
    engine tests use (the sandbox's residence history does not fit its declaration form)."""
    from tests.helpers.people import local_connectors
    from toantrinh.engine.db import Base
    from toantrinh.engine.service import Engine
    from toantrinh.engine.warehouse import WarehouseDocument
    from toantrinh.sandbox import sandbox_connectors

    Base.metadata.create_all(db_engine, tables=[WarehouseDocument.__table__])
    opened = []

    def make(folder: Path):
        if folder.name == "ly-lich-tu-phap":
            connectors = local_connectors()
        else:
            connectors = sandbox_connectors(session_factory=session_factory)
            opened.append(connectors)
        return Engine(session, connectors=connectors, forms_dir=ROOT / "forms")

    yield make
    for registry in opened:
        registry.close()


@pytest.mark.skipif(not CASES, reason="no library procedure has example dossiers yet")
@pytest.mark.parametrize(
    "folder, example_path", CASES, ids=[f"{f.name}/{e.stem}" for f, e in CASES]
)
def test_rewritten_model_deploys_and_reaches_the_same_end_state(
    folder, example_path, forms, session, engine_for
):
    from tests.library.library import completed_bpmn_ids, contains, drive_example

    eng = engine_for(folder)
    a = analysed(folder, forms)
    example = json.loads(example_path.read_text(encoding="utf-8"))
    removed = set(a.plan.remove_tasks)

    eng.deploy_folder(folder)
    original = drive_example(eng, session, folder, example)
    done_original = completed_bpmn_ids(eng, original)

    # the rewrite becomes the procedure's next version; steps it removed are not replayed
    result = eng.deploy(a.rewritten_bpmn(), procedure=a.procedure, forms=a.rewritten_forms())
    assert result.created and result.version.number == 2
    # fields the rewrite pre-fills are locked (the registry's value stands): not re-sent
    prefilled = {
        prop
        for fid, schema in a.rewritten_forms().items()
        for prop, spec in (schema.get("properties") or {}).items()
        if "x-prefill" in spec
        and "x-prefill" not in ((forms.get(fid) or {}).get("properties") or {}).get(prop, {})
    }
    trimmed = {
        **example,
        "steps": [
            {**s, "data": {k: v for k, v in s["data"].items() if k not in prefilled}}
            if s.get("data")
            else s
            for s in example["steps"]
            if s.get("task") not in removed
        ],
    }
    simplified = drive_example(eng, session, folder, trimmed)
    assert simplified.version.number == 2
    done_simplified = completed_bpmn_ids(eng, simplified)

    expect = example.get("expect") or {}
    assert original.status == simplified.status == expect.get("status", original.status), (
        simplified.last_error
    )
    written_by_removed = {
        k for s in example["steps"] if s.get("task") in removed for k in (s.get("data") or {})
    }
    wanted = {
        k: v
        for k, v in (expect.get("data") or {}).items()
        if k not in written_by_removed and k not in prefilled
    }
    assert contains(eng.data(original), expect.get("data") or {})
    assert contains(eng.data(simplified), wanted)
    assert done_original - removed <= done_simplified
    added = done_simplified - done_original
    assert all(t.startswith(("Task_Fetch_", "Gateway_Split_", "Gateway_Join_")) for t in added), (
        added
    )


@pytest.mark.skipif(len(LIBRARY) < 5, reason="too few library procedures to measure inference")
def test_inference_recovers_the_library_annotations_from_labels_and_lanes():
    """Strip every tt:step from the library and infer kinds and actors back."""
    from lxml import etree

    from toantrinh.simplifier.infer import step_info
    from toantrinh.simplifier.load import TT_NS, load

    total = kind_ok = actor_ok = presence_ok = 0
    for folder in LIBRARY:
        xml, _procedure, _slug = load_procedure(folder)
        annotated = load(xml)
        root = etree.fromstring(xml)
        for el in list(root.iter(f"{{{TT_NS}}}step")):
            el.getparent().remove(el)
        bare = load(etree.tostring(root))
        for tid, node in annotated.nodes.items():
            if not node.is_task or "kind" not in node.step:
                continue
            truth, guess = step_info(node), step_info(bare.nodes[tid])
            assert guess.source != "annotation" and guess.confidence < 1.0
            total += 1
            kind_ok += truth.kind == guess.kind
            actor_ok += truth.actor == guess.actor
            presence_ok += (truth.presence == "none") == (guess.presence == "none")
    assert total >= 50
    assert kind_ok / total >= 0.9, f"kinds: {kind_ok}/{total}"
    assert actor_ok / total >= 0.9, f"actors: {actor_ok}/{total}"
    assert presence_ok / total >= 0.9, f"presence: {presence_ok}/{total}"


@pytest.mark.skipif(len(LIBRARY) < 5, reason="too few library procedures to measure inference")
def test_inference_recovers_the_library_document_types_from_data_object_labels():
    """Strip every tt:component and infer the document types back from the labels."""
    from lxml import etree

    from toantrinh.simplifier.infer import component_info
    from toantrinh.simplifier.load import TT_NS, load

    vocabulary = set(catalogue()["document_types"])
    total = ok = 0
    for folder in LIBRARY:
        xml, _procedure, _slug = load_procedure(folder)
        annotated = load(xml)
        root = etree.fromstring(xml)
        for el in list(root.iter(f"{{{TT_NS}}}component")):
            el.getparent().remove(el)
        bare = load(etree.tostring(root))
        for key, do in annotated.data_objects.items():
            truth = component_info(do)
            if truth is None or truth.document_type not in vocabulary:
                continue  # types outside data/registries.json cannot be inferred
            guess = component_info(bare.data_objects[key])
            total += 1
            ok += guess is not None and guess.document_type == truth.document_type
    assert total >= 30
    assert ok / total >= 0.9, f"document types: {ok}/{total}"


# ---------------------------------------------------------------- scores that match reality


def _library(forms):
    return {folder.name: analysed(folder, forms) for folder in LIBRARY}


@pytest.fixture(scope="module")
def library(forms):
    return _library(forms)


def test_full_online_procedures_score_full_online_unless_the_law_requires_presence(library):
    """Issue 28, item 8: what the portal delivers full-online scores full-online after
    simplification; nothing whose law requires presence or on-site checks does."""
    for slug, a in library.items():
        legal = [t for t, s in a.state_after.steps.items() if s.law is not None]
        if legal:
            assert not a.after.readiness.full_online, slug
            assert a.after.readiness.criteria["e"] is False, slug
        elif (a.procedure or {}).get("delivery_level") == "full_online":
            assert a.after.readiness.full_online, (slug, a.after.readiness.blockers)


def test_back_office_parts_of_linked_groups_are_not_scored_on_citizen_criteria(library):
    parts = [a for a in library.values() if a.state_before.back_office]
    assert parts, "the library has back-office parts of linked groups"
    for a in parts:
        crit = a.before.readiness.criteria
        assert crit["a"] is crit["b"] is crit["c"] is crit["dd"] is None, a.slug
        assert a.before.cost is None or a.before.cost.per_dossier == 0


def test_the_criminal_record_declaration_goes_from_23_typed_fields_to_6(library):
    """Issue 28, item 10 (the VNeID pilot: 6 of the 23 fields of the traditional form)."""
    a = library["ly-lich-tu-phap"]
    assert len(a.state_before.typed["ltp-to-khai"]) == 23
    assert len(a.state_after.typed["ltp-to-khai"]) == 6


def test_the_residence_notification_looks_up_the_guest_by_identity_number(library):
    a = library["thong-bao-luu-tru"]
    typed = [name for name, _field in a.state_after.typed["ltru-thong-bao"]]
    assert typed == ["stay_address", "guest_identity_number", "stay_reason", "stay_from", "stay_to"]
    (f,) = [f for f in a.findings if f.rule == "prefillable_form_fields"]
    assert {
        "property": "guest_full_name",
        "field": "full_name",
        "source": "population",
        "key": "guest_identity_number",
    } in f.evidence["fields"]
    # the engine cannot yet look a person up by a number typed in the same form: no x-prefill
    # that would fall back to the applicant's own name
    assert "x-prefill" not in a.rewritten_forms()["ltru-thong-bao"]["properties"]["guest_full_name"]


def test_the_passport_is_full_online_with_the_reduced_online_fee(library):
    a = library["cap-ho-chieu-pho-thong"]
    fee = a.procedure["fee"]
    assert a.after.readiness.full_online
    assert a.before.cost.fee == fee["amount"] and a.after.cost.fee == fee["online_amount"]
