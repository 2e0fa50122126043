"""Every procedure of the library is a valid, executable, annotated BPMN model with DI,
facts that validate, forms that resolve and examples that fit their forms."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys

import pytest
from jsonschema import Draft202012Validator
from lxml import etree
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from tests.library.library import (
    FLOW_NODES,
    FORMS,
    LIBRARY,
    NS,
    ROOT,
    bpmn_tree,
    examples,
    folders,
    form,
    procedure,
)
from toantrinh.engine.forms import FormValidationError, validate_submission
from toantrinh.engine.parsing import check_scripts
from toantrinh.engine.registries import build_connectors
from toantrinh.engine.registries.catalog import load_catalog

FOLDERS = folders()
IDS = [f.name for f in FOLDERS]
CATALOG = load_catalog()
STEP_KINDS = {
    "submit",
    "receive",
    "verify",
    "appraise",
    "approve",
    "sign",
    "pay",
    "deliver_result",
    "handoff",
    "inspect",
    "other",
}
ACTORS = {"citizen", "one_stop_desk", "specialist", "leader", "other_agency", "system"}
PRESENCE = {"none", "required", "required_by_law"}
COPIES = {"original", "certified_copy", "copy", "electronic"}
ISO_DURATION = re.compile(r"^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?)?$")

REQUIRED_SLUGS = {
    "cap-ho-chieu-pho-thong",
    "thong-bao-luu-tru",
    "dang-ky-khai-sinh",
    "dang-ky-thuong-tru",
    "dang-ky-ket-hon",
    "cap-giay-phep-xay-dung",
    "dang-ky-ho-kinh-doanh",
    "dang-ky-thanh-lap-doanh-nghiep",
    "cap-doi-giay-phep-lai-xe",
    "cap-giay-chung-nhan-dat-lan-dau",
    "tro-cap-mai-tang",
    "cap-the-bhyt-tre-em",
    "dang-ky-khai-tu",
    "xoa-dang-ky-thuong-tru",
    "lien-thong-khai-sinh",
    "lien-thong-thuong-tru-tre-em",
    "lien-thong-bhyt-tre-em",
    "lien-thong-khai-tu",
    "lien-thong-xoa-thuong-tru",
    "lien-thong-tro-cap-mai-tang",
}


def test_library_covers_the_required_procedures():
    assert set(IDS) >= REQUIRED_SLUGS


def test_procedure_schema_is_valid_and_every_procedure_json_conforms():
    schema = json.loads((LIBRARY / "procedure.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    problems = {f.name: [e.message for e in validator.iter_errors(procedure(f))] for f in FOLDERS}
    assert {k: v for k, v in problems.items() if v} == {}
    for f in FOLDERS:
        assert procedure(f)["slug"] == f.name


def test_schema_rejects_a_district_level_agency():
    schema = json.loads((LIBRARY / "procedure.schema.json").read_text(encoding="utf-8"))
    proc = procedure(LIBRARY / "dang-ky-khai-sinh")
    errors = list(
        Draft202012Validator(schema).iter_errors(
            dict(proc, agency_level="district", agency="Ủy ban nhân dân huyện Gia Lâm")
        )
    )
    assert len(errors) == 2


@pytest.mark.parametrize("folder", FOLDERS, ids=IDS)
def test_model_parses_with_spiff_parser_and_is_safe(folder):
    proc = procedure(folder)
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(folder / proc["bpmn"]))
    spec = parser.get_spec(proc["process_id"])
    assert spec.name == proc["process_id"]
    assert check_scripts(bpmn_tree(folder)) == []


def _bounds(shape) -> tuple[float, float, float, float]:
    b = shape.find("dc:Bounds", NS)
    return tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))


@pytest.mark.parametrize("folder", FOLDERS, ids=IDS)
def test_every_element_has_diagram_interchange(folder):
    root = bpmn_tree(folder)
    shapes = {s.get("bpmnElement"): s for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement"): e for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    nodes = [el for tag in FLOW_NODES for el in root.iterfind(f".//bpmn:process//bpmn:{tag}", NS)]
    assert nodes
    assert [n.get("id") for n in nodes if n.get("id") not in shapes] == []
    for kind in ("dataObjectReference", "lane"):
        missing = [
            el.get("id")
            for el in root.iterfind(f".//bpmn:{kind}", NS)
            if el.get("id") not in shapes
        ]
        assert missing == [], kind
    flows = root.findall(".//bpmn:sequenceFlow", NS)
    assert [f.get("id") for f in flows if f.get("id") not in edges] == []
    for edge in edges.values():
        assert len(edge.findall("di:waypoint", NS)) >= 2
    plane = root.find(".//bpmndi:BPMNPlane", NS)
    ids = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    assert plane.get("bpmnElement") in ids


def test_own_models_put_each_node_inside_its_lane_without_overlaps():
    """Layout quality of the models built by process_models/_tools (the modeller's view)."""
    for folder in FOLDERS:
        if folder.name == "ly-lich-tu-phap":
            continue
        root = bpmn_tree(folder)
        shapes = {
            s.get("bpmnElement"): _bounds(s) for s in root.iterfind(".//bpmndi:BPMNShape", NS)
        }
        for lane in root.iterfind(".//bpmn:lane", NS):
            lx, ly, lw, lh = shapes[lane.get("id")]
            for ref in lane.iterfind("bpmn:flowNodeRef", NS):
                x, y, w, h = shapes[ref.text]
                assert lx <= x and x + w <= lx + lw and ly <= y and y + h <= ly + lh, (
                    folder.name,
                    ref.text,
                )
        boxes = [
            (n.get("id"), shapes[n.get("id")])
            for tag in FLOW_NODES
            if tag != "boundaryEvent"
            for n in root.iterfind(f".//bpmn:process//bpmn:{tag}", NS)
        ]
        for i, (a, (ax, ay, aw, ah)) in enumerate(boxes):
            for b, (bx, by, bw, bh) in boxes[i + 1 :]:
                assert ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay, (
                    folder.name,
                    a,
                    b,
                )


def _cuts(p, q, box) -> bool:
    x, y, w, h = box
    if p[1] == q[1]:
        lo, hi = sorted((p[0], q[0]))
        return y < p[1] < y + h and lo < x + w and hi > x
    if p[0] == q[0]:
        lo, hi = sorted((p[1], q[1]))
        return x < p[0] < x + w and lo < y + h and hi > y
    return False


def test_own_models_route_flows_around_other_shapes():
    for folder in FOLDERS:
        if folder.name == "ly-lich-tu-phap":
            continue
        root = bpmn_tree(folder)
        shapes = {
            s.get("bpmnElement"): _bounds(s) for s in root.iterfind(".//bpmndi:BPMNShape", NS)
        }
        nodes = {
            n.get("id")
            for tag in FLOW_NODES
            if tag != "boundaryEvent"
            for n in root.iterfind(f".//bpmn:process//bpmn:{tag}", NS)
        }
        for flow in root.iterfind(".//bpmn:sequenceFlow", NS):
            edge = root.find(f".//bpmndi:BPMNEdge[@bpmnElement='{flow.get('id')}']", NS)
            pts = [(float(w.get("x")), float(w.get("y"))) for w in edge.findall("di:waypoint", NS)]
            ends = {flow.get("sourceRef"), flow.get("targetRef")}
            for p, q in itertools.pairwise(pts):
                assert p[0] == q[0] or p[1] == q[1], (folder.name, flow.get("id"), "not orthogonal")
                hit = [n for n in nodes - ends if _cuts(p, q, shapes[n])]
                assert hit == [], (folder.name, flow.get("id"), hit)


@pytest.mark.parametrize("folder", FOLDERS, ids=IDS)
def test_no_model_routes_to_a_district_level_agency(folder):
    proc = procedure(folder)
    assert proc["agency_level"] in {"ministry", "province", "commune"}
    root = bpmn_tree(folder)
    names = [el.get("name") or "" for el in root.iter() if isinstance(el.tag, str)]
    names += [el.get("label") or "" for el in root.iterfind(".//tt:lane", NS)]
    district = re.compile(r"(cấp huyện|[Hh]uyện|[Qq]uận|[Tt]hị xã)")
    assert [n for n in names if district.search(n)] == []


@pytest.mark.parametrize("folder", FOLDERS, ids=IDS)
def test_tasks_are_annotated_lanes_carry_roles_and_forms_resolve(folder):
    root = bpmn_tree(folder)
    process = root.find("bpmn:process", NS)
    lanes = process.findall(".//bpmn:lane", NS)
    assert lanes, "lanes give the role of each user task"
    in_lane = {ref.text for lane in lanes for ref in lane.iterfind("bpmn:flowNodeRef", NS)}
    for task in process.iterfind(".//bpmn:userTask", NS):
        assert task.get("id") in in_lane
        ref = task.find("bpmn:extensionElements/tt:form", NS)
        assert ref is not None, task.get("id")
        assert (FORMS / f"{ref.get('ref')}.json").is_file(), ref.get("ref")
    for tag in ("userTask", "serviceTask", "scriptTask"):
        for task in process.iterfind(f".//bpmn:{tag}", NS):
            step = task.find("bpmn:extensionElements/tt:step", NS)
            if step is None:
                assert folder.name == "ly-lich-tu-phap", task.get("id")
                continue
            assert step.get("kind") in STEP_KINDS
            assert step.get("actor") in ACTORS
            assert step.get("presence", "none") in PRESENCE
            assert ISO_DURATION.match(step.get("duration", "")), step.get("duration")


@pytest.mark.parametrize("folder", FOLDERS, ids=IDS)
def test_components_use_the_vocabulary_and_are_read_by_tasks(folder):
    root = bpmn_tree(folder)
    read = {s.text for s in root.iterfind(".//bpmn:dataInputAssociation/bpmn:sourceRef", NS)}
    for ref in root.iterfind(".//bpmn:dataObjectReference", NS):
        comp = ref.find("bpmn:extensionElements/tt:component", NS)
        assert comp is not None, ref.get("id")
        assert comp.get("documentType") in CATALOG.document_types, comp.get("documentType")
        assert comp.get("copy") in COPIES
        assert comp.get("required") in ("true", "false")
        assert comp.get("legalBasis")
        assert ref.get("id") in read, f"{ref.get('id')} is read by no task"
        for field in comp.iterfind("tt:field", NS):
            assert field.get("name") in CATALOG.fields, field.get("name")


def test_every_form_is_a_valid_json_schema_with_vietnamese_titles_and_sound_prefill():
    connectors = set(build_connectors({"edata": True, "session_factory": lambda: None}).ids())
    for path in sorted(FORMS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        assert schema.get("type") == "object", path.name
        assert schema.get("title"), path.name
        for name, prop in schema["properties"].items():
            assert prop.get("title"), f"{path.name}: {name} has no title"
            spec = prop.get("x-prefill")
            if spec is None:
                continue
            assert prop.get("readOnly") is True, f"{path.name}: {name}"
            registry = CATALOG.registries.get(spec["source"])
            assert registry is not None or spec["source"] in connectors, spec
            if registry is not None and registry.fields:
                assert spec["field"] in registry.fields, f"{path.name}: {name} ← {spec}"


@pytest.mark.parametrize("folder", FOLDERS, ids=IDS)
def test_service_tasks_call_registered_connectors(folder):
    known = set(build_connectors({"edata": True, "session_factory": lambda: None}).ids())
    for op in bpmn_tree(folder).iterfind(".//spiffworkflow:serviceTaskOperator", NS):
        connector, _, operation = op.get("id").partition(".")
        assert connector in known, op.get("id")
        assert operation in {"lookup", "verify", "find", "store", "describe"}
        assert op.get("resultVariable")


def _typed_part(schema: dict) -> dict:
    """The form as the applicant types it: pre-filled fields come from registries at run time."""
    prefilled = {k for k, v in schema["properties"].items() if v.get("x-prefill")}
    return dict(schema, required=[r for r in schema.get("required", []) if r not in prefilled])


@pytest.mark.parametrize("folder", FOLDERS, ids=IDS)
def test_examples_cover_both_branches_and_fit_their_forms(folder):
    root = bpmn_tree(folder)
    forms_of = {
        t.get("id"): t.find("bpmn:extensionElements/tt:form", NS).get("ref")
        for t in root.iterfind(".//bpmn:userTask", NS)
    }
    exs = examples(folder)
    assert len(exs) >= 2
    outcomes = set()
    for name, ex in exs.items():
        assert ex["name"] and ex["expect"]["status"] in {"completed", "in_progress", "error"}
        outcomes.add(json.dumps(ex["expect"].get("data"), sort_keys=True))
        for step in ex["steps"]:
            if "task" not in step:
                assert {"fire_timers"} <= set(step) or {"message", "payload"} <= set(step), step
                continue
            assert step["task"] in forms_of, f"{name}: {step['task']} is not a user task"
            try:
                validate_submission(_typed_part(form(forms_of[step["task"]])), step["data"], {})
            except FormValidationError as err:
                pytest.fail(f"{name}/{step['task']}: {err}")
    assert len(outcomes) >= 2, "examples must reach different outcomes (both gateway branches)"


def test_committed_library_matches_its_descriptions():
    result = subprocess.run(
        [sys.executable, str(LIBRARY / "_tools" / "build.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_xml_declares_the_documented_namespaces():
    for folder in FOLDERS:
        root = bpmn_tree(folder)
        assert root.nsmap.get("tt") == NS["tt"]
        assert root.nsmap.get("spiffworkflow") == NS["spiffworkflow"]
        assert etree.QName(root).localname == "definitions"
