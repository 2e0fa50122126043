"""Advice a reformer can sign: never against the law, actionable only on evidence
(issue 28, items 1–6)."""

from __future__ import annotations

import itertools

import pytest

from toantrinh.simplifier import analyse
from toantrinh.simplifier.law import citation, rules

from .builders import PROCEDURE, catalogue, component, linear, model, task


def findings(a, rule, status=None):
    return [f for f in a.findings if f.rule == rule and (status is None or f.status == status)]


def moved_online(a) -> set[str]:
    return {f.targets[0] for f in findings(a, "in_person_steps", "actionable")}


# ---------------------------------------------------------------- 1. presence by law


@pytest.mark.parametrize(
    "name, kind, legal",
    [
        ("Kiểm tra thực địa công trình", "inspect", "Điều 102 Luật Xây dựng 2014"),
        ("Kiểm tra hiện trạng, niêm yết công khai 15 ngày", "appraise", None),
        ("Thu nhận vân tay, ảnh chân dung", "receive", None),
        ("Tổ chức sát hạch lái xe", "appraise", None),
        ("Kiểm tra thực tế phương tiện", "verify", None),
        ("Người yêu cầu ký trước mặt công chức", "sign", None),
        ("Trao giấy chứng nhận", "deliver_result", "Khoản 2 Điều 18 Luật Hộ tịch 2014"),
    ],
)
def test_presence_the_law_requires_is_kept_whatever_the_annotation_says(name, kind, legal):
    """The step's wording or legal basis makes presence required by law, although the
    model only says "required" (as the construction permit's site inspection did)."""
    xml = linear(task("T", name, kind, "specialist", presence="required", legal=legal), ids=("T",))
    a = analyse(xml, catalogue(), PROCEDURE, connected=[])
    (f,) = findings(a, "in_person_steps")
    assert f.status == "advisory" and "T" not in a.plan.online_steps
    assert a.steps["T"].presence == "required_by_law" and a.steps["T"].law is not None
    assert not a.after.readiness.criteria["e"]
    (blocker,) = [b for b in a.after.readiness.blockers if b.criterion == "e"]
    assert "pháp luật quy định" in blocker.message and a.steps["T"].law.title_vi in blocker.message


def test_the_procedures_kind_makes_its_inspection_a_legal_one():
    xml = linear(task("I", "Xác minh", "inspect", "specialist", presence="required"), ids=("I",))
    permit = {**PROCEDURE, "name": {"vi": "Cấp giấy phép xây dựng nhà ở riêng lẻ"}}
    a = analyse(xml, catalogue(), permit)
    assert a.steps["I"].law is not None and a.steps["I"].law.id == "site_inspection"


def test_marriage_registration_keeps_both_parties_present_from_its_kind():
    xml = linear(
        task(
            "D",
            "Trao Giấy chứng nhận kết hôn",
            "deliver_result",
            "one_stop_desk",
            presence="required",
        ),
        ids=("D",),
    )
    marriage = {**PROCEDURE, "name": {"vi": "Đăng ký kết hôn", "en": "Marriage registration"}}
    a = analyse(xml, catalogue(), marriage)
    assert a.steps["D"].law.id == "marriage_both_parties" and moved_online(a) == set()


def test_biometrics_need_no_visit_when_the_population_database_holds_them():
    """Circular 110/2020/TT-BCA Art. 4: fingerprints may be read from the ID-card database."""
    xml = linear(
        task(
            "R", "Tiếp nhận, thu nhận vân tay, ảnh", "receive", "one_stop_desk", presence="required"
        ),
        ids=("R",),
    )
    ready = analyse(xml, catalogue(), PROCEDURE)
    assert ready.steps["R"].law is None and moved_online(ready) == {"R"}
    (f,) = findings(ready, "in_person_steps")
    assert "110/2020/TT-BCA" in f.explanation
    cut_off = analyse(xml, catalogue(), PROCEDURE, connected=[])
    assert cut_off.steps["R"].law.id == "biometrics" and moved_online(cut_off) == set()


def test_a_step_done_during_a_visit_the_law_requires_is_not_moved_online():
    """Signing the ID-card slip right after the biometrics the law requires saves no trip
    when moved online: kept in that visit (advisory), not proposed."""
    xml = linear(
        task("B", "Thu nhận vân tay, ảnh chân dung", "other", "specialist", presence="required"),
        task("K", "Ký Phiếu thu nhận thông tin", "sign", "citizen", presence="required"),
        ids=("B", "K"),
    )
    a = analyse(xml, catalogue(), PROCEDURE, connected=[])
    assert a.steps["B"].law is not None and moved_online(a) == set()
    (f,) = [f for f in findings(a, "in_person_steps") if f.targets == ("K",)]
    assert f.status == "advisory" and f.evidence["same_visit_as"] == "B"
    assert "không bớt được lần đi lại" in f.explanation


def test_a_desk_step_next_to_a_site_inspection_still_moves_online():
    """A site inspection is not a visit to the agency: the desk step beside it moves."""
    xml = linear(
        task("R", "Tiếp nhận hồ sơ", "receive", "one_stop_desk", presence="required"),
        task("I", "Kiểm tra thực địa", "inspect", "specialist", presence="required"),
        ids=("R", "I"),
    )
    a = analyse(xml, catalogue(), PROCEDURE)
    assert a.steps["I"].law.id == "site_inspection" and moved_online(a) == {"R"}


def test_what_a_step_says_names_its_legal_rule_before_its_kind():
    """Checking a vehicle the owner brings is a physical check at the agency, not a site
    inspection, although the model calls it an inspection."""
    xml = linear(
        task(
            "I",
            "Kiểm tra thực tế xe, đối chiếu số khung",
            "inspect",
            "specialist",
            presence="required",
        ),
        ids=("I",),
    )
    a = analyse(xml, catalogue(), PROCEDURE)
    assert a.steps["I"].law.id == "physical_check" and a.steps["I"].law.at_agency


def test_a_paper_the_procedure_takes_back_is_not_replaced_by_data():
    xml = linear(
        task("T", "Nộp hồ sơ", "submit", "citizen", reads=("C",)),
        ids=("T",),
        extra=(
            component(
                "C",
                "Thẻ căn cước đang sử dụng (thu lại khi trả thẻ mới)",
                "identity_card",
                "original",
            ),
        ),
    )
    a = analyse(xml, catalogue(), PROCEDURE)
    assert not [f for f in a.findings if f.targets == ("C",) and f.status == "actionable"]


@pytest.mark.parametrize(
    "procedure, legal",
    [
        ("Đăng ký khai sinh", "Khoản 2 Điều 16 Luật Hộ tịch 2014"),
        ("Đăng ký khai tử", "Khoản 2 Điều 34 Luật Hộ tịch 2014"),
    ],
)
def test_signing_the_civil_status_register_gets_one_answer_for_birth_and_death(procedure, legal):
    """One rule (simplifier/data/legal_rules.json): signing the register is what an
    in-person registration does; registered online, the applicant confirms the electronic
    extract (Decree 87/2020 Art. 12(4))."""
    xml = linear(
        task(
            "D",
            "Trả kết quả; người đi đăng ký ký vào Sổ hộ tịch",
            "deliver_result",
            "one_stop_desk",
            presence="required",
            legal=legal,
        ),
        ids=("D",),
    )
    a = analyse(xml, catalogue(), {**PROCEDURE, "name": {"vi": procedure}})
    assert moved_online(a) == {"D"}
    (f,) = findings(a, "in_person_steps")
    assert "87/2020" in f.explanation
    assert a.after.readiness.criteria["e"] and a.after.readiness.criteria["h"]


def test_ky_so_is_a_digital_signature_not_the_register():
    """Without diacritics "ký số" (digital signature) and "ký sổ" (the register) are the
    same letters: neither the presence inference nor the law may read one as the other."""
    xml = linear(task("A", "Ký số", "sign", "leader"), ids=("A",))
    a = analyse(xml, catalogue(), PROCEDURE)
    assert a.steps["A"].presence == "none" and findings(a, "in_person_steps") == []


def test_an_annotated_legal_presence_is_respected_and_a_contradiction_flagged():
    xml = linear(
        task(
            "D",
            "Trả kết quả",
            "deliver_result",
            "one_stop_desk",
            presence="required_by_law",
            legal="Khoản 2 Điều 16 Luật Hộ tịch 2014",
        ),
        ids=("D",),
    )
    a = analyse(xml, catalogue(), PROCEDURE)
    (f,) = findings(a, "in_person_steps")
    assert f.status == "advisory" and "Cần rà soát" in f.explanation


def test_every_legal_fact_has_its_source_and_the_date_it_was_checked():
    data = rules()
    assert data["checked"] == "2026-12-07"
    for key, entry in data["citations"].items():
        assert entry["text"] and isinstance(entry["confirmed"], bool), key
        assert entry.get("evidence") if entry["confirmed"] else entry.get("note"), key
        if not entry["confirmed"]:
            assert "chưa đối chiếu nguyên văn" in citation(key)
    for rule in data["presence"] + data["not_presence"]:
        assert rule["basis"] and isinstance(rule["confirmed"], bool), rule["id"]


# ---------------------------------------------------------------- 5. actionable or to review


def _unannotated() -> str:
    """A generic model in another tool's shape: no tt: annotations, no registries."""
    elements = [
        '<bpmn:startEvent id="S"/>',
        '<bpmn:task id="T1" name="Receive invoice"/>',
        '<bpmn:task id="T2" name="Approve invoice"/>',
        '<bpmn:task id="T3" name="Prepare Bank Transfer"/>',
        '<bpmn:task id="T4" name="Forward the dossier to accounting"/>',
        '<bpmn:task id="T5" name="Hand over certificate at the counter"/>',
        '<bpmn:task id="T6" name="Archive"/>',
        '<bpmn:endEvent id="E"/>',
    ]
    chain = ["S", "T1", "T2", "T3", "T4", "T5", "T6", "E"]
    return model(elements, list(itertools.pairwise(chain)))


def test_without_annotations_or_registries_the_rewrite_removes_no_task():
    a = analyse(_unannotated(), {"registries": []})
    assert a.plan.remove_tasks == [] and a.after.steps == a.before.steps
    assert all(f.status != "actionable" for f in a.findings if f.rule != "prefillable_form_fields")
    handoffs = findings(a, "handoff_steps")
    assert [f.targets for f in handoffs] == [("T4",)] and handoffs[0].status == "review"
    assert "Cần xem xét" in handoffs[0].explanation


def test_a_bank_transfer_is_a_payment_and_handing_over_a_certificate_a_delivery():
    a = analyse(_unannotated(), {"registries": []})
    assert a.steps["T3"].kind == "pay" and a.steps["T5"].kind == "deliver_result"


def test_presence_guessed_from_a_label_is_only_to_review():
    xml = linear(task("R", "Tiếp nhận hồ sơ trực tiếp"), ids=("R",))
    a = analyse(xml, catalogue(), PROCEDURE)
    (f,) = findings(a, "in_person_steps")
    assert f.status == "review" and f.saving.visits == 0 and a.plan.online_steps == []


# ---------------------------------------------------------------- 6. parallel from data flow


def _two_lookups(script_b: str) -> str:
    a = (
        '<bpmn:scriptTask id="A" name="Tính phí"><bpmn:script>fee = base_fee * 2'
        "</bpmn:script></bpmn:scriptTask>"
    )
    b = f'<bpmn:scriptTask id="B" name="Tính hạn"><bpmn:script>{script_b}</bpmn:script></bpmn:scriptTask>'
    return linear(a, b, ids=("A", "B"))


def test_independent_scripts_run_in_parallel_and_dependent_ones_do_not():
    a = analyse(_two_lookups("deadline = received_at + 5"), catalogue())
    (f,) = findings(a, "parallelisable_steps")
    assert f.targets == ("A", "B") and f.status == "actionable" and a.plan.parallel == [("A", "B")]
    dependent = analyse(_two_lookups("deadline = 5 if fee > 0 else 3"), catalogue())
    assert findings(dependent, "parallelisable_steps") == []
    # a name inside a string or a comment is not a read (the syntax tree, not a regex)
    a = analyse(_two_lookups("deadline = 'fee' and 5  # fee"), catalogue())
    assert len(findings(a, "parallelisable_steps")) == 1


def test_checks_linked_by_a_data_object_stay_in_sequence():
    elements = [
        '<bpmn:startEvent id="S"/>',
        '<bpmn:userTask id="A" name="Xác minh"><bpmn:extensionElements>'
        '<tt:step kind="verify" actor="specialist"/></bpmn:extensionElements>'
        '<bpmn:dataOutputAssociation id="O"><bpmn:targetRef>R</bpmn:targetRef>'
        "</bpmn:dataOutputAssociation></bpmn:userTask>",
        task("B", "Thẩm định", "appraise", "other_agency", reads=("R",)),
        '<bpmn:dataObject id="DO_R"/><bpmn:dataObjectReference id="R" name="Biên bản xác minh" '
        'dataObjectRef="DO_R"/>',
        '<bpmn:endEvent id="E"/>',
    ]
    a = analyse(model(elements, [("S", "A"), ("A", "B"), ("B", "E")]), catalogue())
    assert findings(a, "parallelisable_steps") == []


def test_a_foreigners_paper_is_not_replaced_by_a_national_database():
    """The national databases know people by a Vietnamese personal identification number:
    a foreigner's passport stays a paper, a citizen's goes."""
    own = "Bản sao hộ chiếu"
    foreign = "Bản sao hộ chiếu (người nước ngoài, không có số định danh)"
    for name, dropped in ((own, True), (foreign, False)):
        xml = linear(
            task("T", "Nộp hồ sơ", "submit", "citizen", reads=("C",)),
            ids=("T",),
            extra=(component("C", name, "passport", "copy"),),
        )
        a = analyse(xml, catalogue(), PROCEDURE)
        drops = findings(a, "components_available_in_registries", "actionable")
        assert bool(drops) is dropped, name
