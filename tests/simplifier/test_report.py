"""Reports for one procedure and the ranked catalogue; the simplify command."""

from __future__ import annotations

import base64
import json
import re
import shutil

import graphviz
import pytest
from click.testing import CliRunner

from toantrinh.simplifier import analyse, analyse_catalogue
from toantrinh.simplifier.cli import simplify_command
from toantrinh.simplifier.report import (
    catalogue_html,
    catalogue_json,
    catalogue_markdown,
    to_html,
    to_json,
    to_markdown,
)
from toantrinh.simplifier.report.view import NO_DOT

from .builders import (
    FIXTURES,
    PROCEDURE,
    ROOT,
    catalogue,
    component,
    cost_model,
    fixture,
    fixture_forms,
    linear,
    model,
    task,
)

HAS_DOT = shutil.which("dot") is not None


@pytest.fixture(scope="module")
def ltp():
    proc = json.loads((FIXTURES / "ltp.procedure.json").read_text(encoding="utf-8"))
    return analyse(fixture("ltp.bpmn"), catalogue(), proc, fixture_forms(), cost_model=cost_model())


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz dot not installed")
def test_html_report_is_self_contained_vietnamese_with_before_and_after_diagrams(ltp):
    page = to_html(ltp)
    assert page.count("<svg") == 2 and page.count('class="diagram-svg"') == 2
    assert "line-through" in page  # removed steps are struck through
    assert "Chuyển hồ sơ cho phòng chuyên môn" in page
    assert "Nghị quyết 66.7/2025/NQ-CP" in page and "Thông tư 01/2023/TT-VPCP" in page
    assert "<script src" not in page and "<link" not in page
    (payload,) = re.findall(r"data:application/xml;base64,([A-Za-z0-9+/=]+)", page)
    assert base64.b64decode(payload).decode("utf-8") == ltp.rewritten_bpmn()
    assert "Mức sẵn sàng cung cấp dịch vụ công trực tuyến toàn trình" in page


def test_html_report_degrades_with_a_clear_message_without_dot(ltp, monkeypatch):
    def missing(*args, **kwargs):
        raise graphviz.ExecutableNotFound(("dot",))

    monkeypatch.setattr(graphviz.Digraph, "pipe", missing)
    page = to_html(ltp)
    assert page.count(NO_DOT) == 2 and "<svg" not in page
    assert "Báo cáo đơn giản hóa thủ tục" in page


def test_json_report_carries_findings_with_evidence_and_legal_basis(ltp):
    data = json.loads(to_json(ltp))
    assert data["procedure"]["code"] == "2.000505"
    rules = {f["rule"] for f in data["findings"]}
    assert {"components_available_in_registries", "handoff_steps", "in_person_steps"} <= rules
    assert all(f["legal_basis"] for f in data["findings"])
    assert data["before"]["readiness"]["band"] == "D" and data["after"]["readiness"]["band"] == "A"
    assert data["savings"]["meets_time_target"] is True
    assert data["after"]["cost"]["per_dossier"] < data["before"]["cost"]["per_dossier"]


def test_markdown_report_lists_what_the_population_database_removes(ltp):
    md = to_markdown(ltp)
    assert "## Dữ liệu do cơ sở dữ liệu cung cấp" in md
    section = md.split("### Cơ sở dữ liệu quốc gia về dân cư")[1].split("###")[0]
    assert "Bản sao Căn cước công dân" in section and "Sổ hộ khẩu" in section
    # fields by their Vietnamese labels, not their property names
    assert "Họ tên cha" in section and "father" not in section
    assert "| Thành phần hồ sơ phải nộp | 4 | 2 | −2 |" in md


def test_cost_is_per_dossier_and_annual_with_province_overrides():
    base = analyse(
        fixture("ltp.bpmn"), catalogue(), PROCEDURE, fixture_forms(), cost_model=cost_model()
    )
    hanoi = analyse(
        fixture("ltp.bpmn"),
        catalogue(),
        PROCEDURE,
        fixture_forms(),
        cost_model=cost_model(),
        province="ha-noi",
    )
    assert base.before.cost.annual == pytest.approx(base.before.cost.per_dossier * 1000)
    assert hanoi.before.cost.hourly_income > base.before.cost.hourly_income
    assert hanoi.before.cost.per_dossier > base.before.cost.per_dossier
    # the reduced online fee applies to online submission (Circular 63/2023/TT-BTC)
    assert (base.before.cost.fee, base.after.cost.fee) == (50000, 25000)
    assert base.after.readiness.full_online


def _items():
    slow = linear(
        *[task(f"T{i}", f"Chuyển hồ sơ {i}", "handoff") for i in range(3)], ids=("T0", "T1", "T2")
    )
    plain = linear(task("A", "Thẩm định", "appraise"), ids=("A",))
    return [
        {"slug": "ltp", "xml": fixture("ltp.bpmn"), "procedure": PROCEDURE},
        {"slug": "handoffs", "xml": slow},
        {"slug": "plain", "xml": plain},
        {"slug": "broken", "xml": b"<not-bpmn/>"},
    ]


def test_catalogue_is_ranked_by_saving_and_by_readiness():
    cat = analyse_catalogue(_items(), catalogue(), forms=fixture_forms(), cost_model=cost_model())
    assert [e["slug"] for e in cat.entries] == ["ltp", "handoffs", "plain"]
    assert cat.errors == [{"slug": "broken", "error": cat.errors[0]["error"]}]
    assert "không phải <definitions> của BPMN 2.0" in cat.errors[0]["error"]
    assert cat.by_readiness[0]["slug"] == "ltp"
    assert cat.totals["steps_removed"] == 3 + cat.entries[0]["savings"]["steps"]
    reg = {r["id"]: r for r in cat.registries}
    assert reg["population"]["actionable"] >= 2
    md = catalogue_markdown(cat)
    assert "Thủ tục thử" in md and "Xếp hạng" in catalogue_html(cat)
    assert json.loads(catalogue_json(cat))["ranked_by_readiness"][0] == "ltp"


def test_catalogue_on_two_workers_matches_one():
    items = _items() * 20
    one = analyse_catalogue(items, catalogue(), forms=fixture_forms(), cost_model=cost_model())
    two = analyse_catalogue(
        items, catalogue(), forms=fixture_forms(), cost_model=cost_model(), workers=2, chunksize=8
    )
    assert one.as_dict() == two.as_dict()


@pytest.fixture
def project(tmp_path):
    (tmp_path / "data").mkdir()
    for name in ("registries.json", "cost_model.json"):
        shutil.copy(ROOT / "data" / name, tmp_path / "data" / name)
    shutil.copytree(FIXTURES / "forms", tmp_path / "forms")
    folder = tmp_path / "process_models" / "ly-lich-tu-phap"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "ltp.bpmn", folder / "ltp.bpmn")
    shutil.copy(FIXTURES / "ltp.procedure.json", folder / "procedure.json")
    other = tmp_path / "process_models" / "khai-sinh"
    other.mkdir()
    shutil.copy(FIXTURES / "camunda.bpmn", other / "khai-sinh.bpmn")
    (tmp_path / "process_models" / "_tools").mkdir()
    return tmp_path


def run(project, *args):
    return CliRunner().invoke(
        simplify_command, [*args, "--root", str(project)], catch_exceptions=False
    )


def test_cli_one_procedure_as_json(project):
    res = run(project, str(project / "process_models" / "ly-lich-tu-phap"), "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["procedure"]["slug"] == "ly-lich-tu-phap" and data["after"]["cost"]


def _component_statuses(output: str) -> dict[str, str]:
    return {
        f["targets"][0]: f["status"]
        for f in json.loads(output)["findings"]
        if f["rule"] == "components_available_in_registries"
    }


def test_cli_what_if_registries_states_the_whole_connected_set(project):
    path = str(project / "process_models" / "ly-lich-tu-phap")
    res = run(project, path, "--format", "json", "--registries", "civil_status")
    assert _component_statuses(res.output)["DO_CCCD"] == "potential"


def test_cli_connect_adds_to_what_is_connected(project):
    """Asking "what if we connect X" never lowers what the catalogue already connects."""
    path = str(project / "process_models" / "ly-lich-tu-phap")
    base = json.loads(run(project, path, "--format", "json").output)
    more = run(project, path, "--format", "json", "--connect", "land,tax")
    assert more.exit_code == 0
    data = json.loads(more.output)
    assert _component_statuses(more.output)["DO_CCCD"] == "actionable"  # population still on
    assert data["savings"]["components"] >= base["savings"]["components"]
    bad = run(project, path, "--connect", "atlantis")
    assert bad.exit_code == 2 and "atlantis" in bad.output


def test_the_catalogue_says_which_connection_assumption_it_used(project):
    res = run(project, "--all", "--format", "md", "--connect", "land")
    assert "giả định kết nối thêm Cơ sở dữ liệu quốc gia về đất đai" in res.output
    res = run(project, "--all", "--format", "md", "--registries", "population")
    assert (
        "Giả định đúng các cơ sở dữ liệu sau đã kết nối: Cơ sở dữ liệu quốc gia về dân cư"
        in res.output
    )


def test_cli_all_writes_a_ranked_catalogue(project):
    out = project / "catalogue.md"
    res = run(project, "--all", "--format", "md", "--out", str(out))
    assert res.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "Số thủ tục phân tích: 2" in text and "Cấp Phiếu lý lịch tư pháp" in text


def test_cli_writes_the_rewritten_bpmn_of_a_file(project):
    out = project / "out.bpmn"
    res = run(
        project,
        str(project / "process_models" / "khai-sinh" / "khai-sinh.bpmn"),
        "--format",
        "bpmn",
        "--out",
        str(out),
    )
    assert res.exit_code == 0
    assert "BPMNDiagram" in out.read_text(encoding="utf-8")


def test_cli_reports_a_broken_model_and_usage_errors(project):
    bad = project / "bad.bpmn"
    bad.write_text("<bpmn:definitions", encoding="utf-8")
    res = CliRunner().invoke(simplify_command, [str(bad), "--root", str(project)])
    assert res.exit_code == 1 and "không hợp lệ" in res.output
    res = CliRunner().invoke(simplify_command, ["--root", str(project)])
    assert res.exit_code == 2 and "PATH" in res.output


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz dot not installed")
def test_collaboration_diagram_draws_message_flows():
    from toantrinh.simplifier.report import diagram_svg

    a = analyse(fixture("collaboration.bpmn"), catalogue())
    svg = diagram_svg(a, "before")
    assert svg.startswith("<svg") and "n_C_Send&#45;&gt;n_A_Start" in svg


def test_one_failing_model_does_not_stop_the_catalogue(monkeypatch):
    import toantrinh.simplifier.catalogue as catalogue_module

    real = catalogue_module.analyse

    def flaky(xml, *args, **kwargs):
        if b'id="T1"' in (xml if isinstance(xml, bytes) else xml.encode()):
            raise RuntimeError("boom")
        return real(xml, *args, **kwargs)

    monkeypatch.setattr(catalogue_module, "analyse", flaky)
    cat = analyse_catalogue(_items(), catalogue())
    assert [e["slug"] for e in cat.entries] == ["ltp", "plain"]
    internal = [e for e in cat.errors if e.get("internal")]
    assert [e["slug"] for e in internal] == ["handoffs"] and "RuntimeError: boom" in internal[0][
        "error"
    ]


def test_cli_writes_the_prefilled_forms_beside_the_simplified_model(project):
    out = project / "forms-simplified"
    res = run(
        project,
        str(project / "process_models" / "ly-lich-tu-phap"),
        "--format",
        "bpmn",
        "--out",
        str(project / "x.bpmn"),
        "--forms-out",
        str(out),
    )
    assert res.exit_code == 0
    form = json.loads((out / "ltp-to-khai.json").read_text(encoding="utf-8"))
    assert form["properties"]["full_name"]["x-prefill"] == {
        "source": "population",
        "field": "full_name",
        "from": "population_data.full_name",  # the lookup the rewrite inserts
    }
    res = CliRunner().invoke(
        simplify_command, ["--all", "--forms-out", str(out), "--root", str(project)]
    )
    assert res.exit_code == 2


def test_low_confidence_inferences_are_flagged_for_review():
    page = to_html(analyse(fixture("signavio.bpmn"), catalogue()), diagrams=False)
    assert "độ tin cậy thấp" in page and '<tr class="low">' in page
    page = to_html(analyse(fixture("ltp.bpmn"), catalogue()), diagrams=False)
    assert "độ tin cậy thấp" not in page  # every step annotated


# ---------------------------------------------------------------- a report a ministry can publish


def prose(html_page: str) -> str:
    """The text a reader sees: no tags, no diagrams, no download payload."""
    page = re.sub(r"<svg.*?</svg>", " ", html_page, flags=re.S)
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    page = re.sub(r'href="data:[^"]*"', "", page)
    return re.sub(r"<[^>]+>", " ", page)


RAW = [
    r"\{'",  # a Python dict
    r"\bTrue\b",
    r"\bFalse\b",
    r"\bNone\b",
    r"\d,\d{3}\b",  # English thousands
    r"\b\d+\.\d{1,2}(?![\d/])",  # a decimal point
]
IDS = ["Task_", "DO_", "DOR_", "Flow_", "Gateway_", "StartEvent", "_steps", "_components"]
KEYS = ["population", "civil_status", "edata_warehouse", "actionable", "advisory", "identity_card"]


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_report_text_has_vietnamese_numbers_and_no_raw_values_ids_or_rule_names(ltp, fmt):
    text = prose(to_html(ltp, diagrams=False)) if fmt == "html" else to_markdown(ltp)
    for pattern in RAW:
        assert not re.search(pattern, text), (pattern, re.search(pattern, text))
    for word in IDS + KEYS:
        assert word not in text, word
    assert "1.500.000 hồ sơ" in text  # thousands with a point
    assert re.search(r"\d,\d (ngày|giờ)", text)  # decimals with a comma


def test_catalogue_text_has_no_raw_values(ltp):
    cat = analyse_catalogue(_items(), catalogue(), forms=fixture_forms(), cost_model=cost_model())
    for text in (prose(catalogue_html(cat)), catalogue_markdown(cat)):
        assert "{'" not in text and "A: " in text
        for word in KEYS:
            assert word not in text, word


def test_each_activity_is_counted_once_in_the_compliance_cost():
    """Issue 28, item 9: an in-person step's annotated citizen time already includes the
    visit (no extra travel and queue); the supplement loop is weighted by its share; an
    e-form declaration is typed, not prepared; a step moved online loses its visit."""
    deliver = task("R", "Nhận kết quả", "deliver_result", "one_stop_desk", presence="required")
    elements = [
        '<bpmn:startEvent id="S0"/>',
        task("D", "Kê khai", "submit", "citizen", form="decl", reads=("C",)),
        '<bpmn:exclusiveGateway id="G"/>',
        task("S", "Bổ sung hồ sơ", "submit", "citizen", duration="PT1H"),
        deliver.replace('presence="required"', 'presence="required" citizenTime="PT2H"'),
        '<bpmn:endEvent id="E"/>',
        component("C", "Tờ khai", "declaration_form", "original"),
    ]
    flows = [
        ("S0", "D"),
        ("D", "G"),
        ("G", "S", "complete == False"),  # the supplement loop
        ("S", "G"),
        ("G", "R", "complete == True"),
        ("R", "E"),
    ]
    model_xml = model(elements, flows)
    forms = {"decl": {"properties": {"purpose": {}, "copies": {}}}}
    cm = cost_model()
    p = {k: v["value"] for k, v in cm["parameters"].items() if isinstance(v, dict)}
    a = analyse(model_xml, catalogue(), PROCEDURE, forms, cost_model=cm)
    acts = {x.activity: x for x in a.before.cost.activities}
    visit = acts["Bước “Nhận kết quả” (đến cơ quan)"]
    assert visit.minutes == 120 and visit.outlay == p["travel_cost"]  # no extra 105 minutes
    loop = acts["Bước “Bổ sung hồ sơ”"]
    assert loop.weight == p["supplement_rate"]
    assert not any("Tờ khai" in name for name in acts)  # typed, not prepared
    assert acts["Nhập 2 trường của biểu mẫu “Kê khai”"].minutes == 2 * p["typed_field_min"]
    after = {x.activity: x for x in a.after.cost.activities}
    online = after["Bước “Nhận kết quả”"]
    assert online.minutes == p["citizen_step_min"]["deliver_result"] and online.outlay == 0
    hourly = round(p["monthly_income"] / p["working_hours_per_month"])
    assert a.before.cost.hourly_income == hourly == 40385
    expected = sum(x.minutes * x.weight for x in acts.values()) / 60 * hourly
    # submitted online: the reduced online fee (Circular 63/2023/TT-BTC), before as after
    assert a.before.cost.fee == PROCEDURE["fee"]["online_amount"]
    assert a.before.cost.per_dossier == pytest.approx(
        expected + PROCEDURE["fee"]["online_amount"] + p["travel_cost"]
    )
