"""Each simplification rule on a minimal model."""

from __future__ import annotations

import copy

from toantrinh.simplifier import analyse
from toantrinh.simplifier.rules import CD201, D45, D104, R66_7
from toantrinh.simplifier.rules.context import WAREHOUSE

from .builders import PROCEDURE, catalogue, component, cost_model, linear, model, task


def findings(a, rule):
    return [f for f in a.findings if f.rule == rule]


def one_component(
    doc, name="Giấy tờ", copy_form="copy", connected=None, cat=None, rule=None, procedure=None
):
    xml = linear(
        task("T", "Kê khai", "submit", "citizen", reads=("C",)),
        ids=("T",),
        extra=(component("C", name, doc, copy_form),),
    )
    a = analyse(xml, cat or catalogue(), procedure, connected=connected)
    (f,) = findings(a, rule or "components_available_in_registries")
    return a, f


def test_identity_card_copy_is_droppable_through_the_population_database():
    a, f = one_component("identity_card", "Bản sao CCCD")
    assert f.status == "actionable"
    assert f.evidence["registries"][0] == "population"
    assert R66_7 in f.legal_basis and CD201 in f.legal_basis
    assert "yêu cầu người nộp bổ sung" in f.explanation  # the fallback of Resolution 66.7
    assert a.plan.drop_components == {"DO_C": "population"}
    assert (a.before.components, a.after.components) == (1, 0)


def test_household_book_is_dropped_because_decree_104_abolished_it_not_because_of_a_database():
    a, f = one_component(
        "household_book", "Sổ hộ khẩu", "original", connected=[], rule="abolished_components"
    )
    assert f.status == "actionable" and f.legal_basis == (D104,)
    assert a.plan.drop_components == {"DO_C": ""} and a.after.components == 0
    assert findings(a, "components_available_in_registries") == []


def test_decree_07_2025_removed_the_parents_marriage_certificate_from_birth_registration():
    birth = {**PROCEDURE, "name": {"vi": "Đăng ký khai sinh", "en": "Birth registration"}}
    a, f = one_component(
        "marriage_certificate",
        "Giấy chứng nhận kết hôn của cha mẹ",
        rule="abolished_components",
        procedure=birth,
    )
    assert f.status == "actionable" and "07/2025" in f.legal_basis[0]
    assert "Cơ sở dữ liệu hộ tịch" in f.explanation or "hộ tịch" in f.explanation
    assert findings(a, "components_available_in_registries") == []  # not "a database holds it"
    # the same paper in another procedure is not abolished: a database may replace it
    _, f = one_component("marriage_certificate", "Giấy chứng nhận kết hôn")
    assert f.rule == "components_available_in_registries" and "07/2025" not in " ".join(
        f.legal_basis
    )


def test_decree_07_2025_removed_the_marital_status_confirmation_from_marriage_registration():
    marriage = {**PROCEDURE, "name": {"vi": "Đăng ký kết hôn", "en": "Marriage registration"}}
    _, f = one_component(
        "marital_status_confirmation",
        "Giấy xác nhận tình trạng hôn nhân",
        rule="abolished_components",
        procedure=marriage,
    )
    assert f.status == "actionable" and "07/2025" in f.legal_basis[0]


def test_civil_status_database_stands_for_a_birth_certificate_not_the_warehouse():
    _, f = one_component("birth_certificate", "Bản sao giấy khai sinh")
    assert f.status == "actionable" and f.evidence["registries"] == ["civil_status"]


def test_result_no_catalogued_registry_issues_comes_from_the_e_data_warehouse():
    _, f = one_component("construction_permit", "Bản sao Giấy phép xây dựng")
    assert f.status == "actionable"
    assert f.evidence["registries"] == ["edata_warehouse"]
    assert f.legal_basis[0] == D45


def test_a_result_whose_own_database_has_no_published_scope_is_not_dropped_through_the_warehouse():
    """The criminal-record certificate is issued from the judicial-records database, whose
    data scope is not published: Resolution 66.7/2025's precondition holds even when a
    copy sits in the applicant's e-data warehouse."""
    _, f = one_component("criminal_record_certificate", "Phiếu lý lịch tư pháp")
    assert f.status == "blocked"
    assert f.evidence["registries"] == ["judicial_records"]


def test_the_warehouse_does_not_stand_for_a_paper_whose_registry_is_not_ready():
    """Resolution 66.7's published-scope precondition holds for every source: a land-use
    certificate (land database not connected), a health certificate or a driving licence
    (connected, scope not published) are not dropped through the e-data warehouse."""
    _, f = one_component("land_use_certificate", "Giấy chứng nhận quyền sử dụng đất")
    assert f.status == "potential" and f.evidence["registries"] == ["land"]
    for doc in ("health_certificate", "driving_licence"):
        _, f = one_component(doc, "Giấy tờ")
        assert f.status == "blocked" and WAREHOUSE not in f.evidence["registries"], doc


def test_the_procedures_own_result_a_surrendered_paper_and_origin_papers_are_never_reused():
    passport = {
        **PROCEDURE,
        "name": {"vi": "Cấp hộ chiếu phổ thông", "en": "Passport"},
        "result_document": {"document_type": "passport"},
    }
    a, f = one_component("passport", "Hộ chiếu cũ", procedure=passport)
    assert f.status == "advisory" and a.plan.drop_components == {}
    _, f = one_component("identity_card", "Căn cước của người đã chết (nộp lại)")
    assert f.status == "advisory" and "nộp lại" in f.explanation
    first = {**PROCEDURE, "name": {"vi": "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu"}}
    cat = catalogue()
    for r in cat["registries"]:
        if r["id"] == "land":
            r["connected"] = r["scope_published"] = True
    for doc in ("cadastral_extract", "land_origin_documents"):
        xml = linear(
            task("T", "Kê khai", "submit", "citizen", reads=("C",)),
            ids=("T",),
            extra=(component("C", "Giấy tờ", doc, "copy", ("land_parcel_number",)),),
        )
        a = analyse(xml, cat, first)
        assert all(f.status != "actionable" for f in a.findings if f.targets == ("DO_C",)), doc
        assert a.plan.drop_components == {}, doc


def test_connected_registry_without_published_scope_blocks_the_drop():
    cat = catalogue()
    for r in cat["registries"]:
        if r["id"] == "population":
            r["scope_published"] = False
    a, f = one_component("identity_card", cat=cat)
    assert f.status == "blocked"
    assert f.evidence["blocked_by"] == "scope_not_published"
    assert a.plan.drop_components == {} and a.after.components == 1
    assert a.savings["components"] == 0


def test_registry_not_connected_is_a_potential_saving():
    _, f = one_component("tax_payment_proof", "Chứng từ nộp thuế")
    assert f.status == "potential" and f.evidence["registries"] == ["tax"]


def test_a_component_guessed_from_its_label_is_to_review_not_dropped():
    xml = linear(
        task("T", "Kê khai", "submit", "citizen", reads=("C",)),
        ids=("T",),
        extra=(component("C", "Bản sao Căn cước công dân"),),  # no tt:component
    )
    a = analyse(xml, catalogue())
    (f,) = findings(a, "components_available_in_registries")
    assert f.status == "review" and a.plan.drop_components == {}


def test_what_if_connection_set_replaces_the_catalogue_flags():
    _, f = one_component("birth_certificate", connected={"population"})
    assert f.status == "potential"
    _, f = one_component("identity_card", connected=set())
    assert f.status == "potential"
    _, f = one_component("business_registration_certificate", connected={"business_registration"})
    assert f.status == "blocked"


def test_declarations_and_photos_are_never_replaced_by_registry_data():
    xml = linear(
        task("T", "Kê khai", "submit", "citizen", reads=("C", "P")),
        ids=("T",),
        extra=(
            component("C", "Tờ khai", "declaration_form", "original", ("full_name",)),
            component("P", "Ảnh", "photo", "original"),
        ),
    )
    assert findings(analyse(xml, catalogue()), "components_available_in_registries") == []


def test_paper_only_components_move_to_electronic_copies():
    xml = linear(
        task("T", "Kê khai", "submit", "citizen", reads=("C",)),
        ids=("T",),
        extra=(
            component(
                "C", "Bản sao chứng thực văn bản ủy quyền", "power_of_attorney", "certified_copy"
            ),
        ),
    )
    a = analyse(xml, catalogue())
    (f,) = findings(a, "paper_components")
    assert f.status == "actionable" and a.plan.electronic_components == ["DO_C"]
    assert not a.before.readiness.criteria["d"] and a.after.readiness.criteria["d"]


def _verify_model(form=None, appraise_form="f-check"):
    verify = task(
        "V", "Đối chiếu bản sao với bản chính", "verify", "one_stop_desk", reads=("C",), form=form
    )
    elements = [
        '<bpmn:startEvent id="S"/>',
        verify,
        task("A", "Thẩm định", "appraise", "specialist", form=appraise_form),
        '<bpmn:exclusiveGateway id="G"/>',
        '<bpmn:endEvent id="E"/>',
        '<bpmn:endEvent id="E2"/>',
        component("C", "Bản sao CCCD", "identity_card", "copy"),
    ]
    flows = [
        ("S", "V"),
        ("V", "A"),
        ("A", "G"),
        ("G", "E", "dossier_valid == True"),
        ("G", "E2", "dossier_valid == False"),
    ]
    return model(elements, flows)


FORMS = {
    "f-check": {"properties": {"dossier_valid": {"type": "boolean"}}},
    "f-appraise": {"properties": {"note": {"type": "string"}}},
    "f-look": {"properties": {"lookup_note": {"type": "string"}}},
}


def test_step_that_only_verifies_droppable_components_is_removed():
    a = analyse(_verify_model(), catalogue(), forms=FORMS)
    (f,) = findings(a, "verification_only_steps")
    assert f.status == "actionable" and f.saving.steps == 1
    assert "V" in a.plan.remove_tasks and a.after.steps == a.before.steps - 1


def test_verification_step_that_decides_a_gateway_is_kept():
    a = analyse(_verify_model(form="f-check", appraise_form="f-appraise"), catalogue(), forms=FORMS)
    (f,) = findings(a, "verification_only_steps")
    assert f.status == "advisory" and f.evidence["decides_gateway"] is True
    assert "V" not in a.plan.remove_tasks


def test_step_with_an_unseen_form_is_assumed_to_decide():
    a = analyse(
        _verify_model(form="f-missing", appraise_form="f-appraise"), catalogue(), forms=FORMS
    )
    assert findings(a, "verification_only_steps")[0].status == "advisory"
    # ... unless another step is known to write every variable the gateway reads
    a = analyse(_verify_model(form="f-missing"), catalogue(), forms=FORMS)
    assert findings(a, "verification_only_steps")[0].status == "actionable"


def test_pure_handoff_is_removed():
    xml = linear(
        task("H", "Chuyển hồ sơ cho phòng chuyên môn", "handoff", "one_stop_desk", duration="PT4H"),
        task("A", "Thẩm định", "appraise"),
        ids=("H", "A"),
    )
    a = analyse(xml, catalogue())
    (f,) = findings(a, "handoff_steps")
    assert f.status == "actionable" and f.saving.minutes == 240
    assert a.plan.remove_tasks == ["H"]
    assert a.savings["critical_path_min"] == 240


def test_unannotated_handoff_is_found_from_its_label():
    xml = linear(
        task("H", "Chuyen ho so cho lanh dao"), task("A", "Tham dinh ho so"), ids=("H", "A")
    )
    (f,) = findings(analyse(xml, catalogue()), "handoff_steps")
    assert f.targets == ("H",) and f.confidence < 1.0


def test_consecutive_approval_and_signature_by_one_leader_merge():
    xml = linear(
        task("A1", "Phê duyệt", "approve", "leader"),
        task("A2", "Ký số", "sign", "leader"),
        ids=("A1", "A2"),
    )
    a = analyse(xml, catalogue())
    (f,) = findings(a, "consecutive_approvals")
    assert f.targets == ("A1",) and f.evidence["kept"] == "A2" and f.status == "actionable"


def test_approvals_by_different_actors_are_not_merged():
    xml = linear(
        task("A1", "Phê duyệt", "approve", "specialist"),
        task("A2", "Ký số", "sign", "leader"),
        ids=("A1", "A2"),
    )
    assert findings(analyse(xml, catalogue()), "consecutive_approvals") == []


def test_deciding_approval_is_kept_and_the_signature_merged_into_it():
    elements = [
        '<bpmn:startEvent id="S"/>',
        task("A1", "Phê duyệt", "approve", "leader", form="f-check"),
        task("A2", "Ký", "sign", "leader", form="f-appraise"),
        '<bpmn:exclusiveGateway id="G"/>',
        '<bpmn:endEvent id="E"/>',
        '<bpmn:endEvent id="E2"/>',
    ]
    flows = [
        ("S", "A1"),
        ("A1", "A2"),
        ("A2", "G"),
        ("G", "E", "dossier_valid"),
        ("G", "E2", "not dossier_valid"),
    ]
    a = analyse(model(elements, flows), catalogue(), forms=FORMS)
    (f,) = findings(a, "consecutive_approvals")
    assert f.targets == ("A2",) and f.evidence["kept"] == "A1"


def test_in_person_step_moves_online_and_saves_a_visit():
    xml = linear(
        task("R", "Tiếp nhận hồ sơ", "receive", "one_stop_desk", presence="required"), ids=("R",)
    )
    a = analyse(xml, catalogue(), PROCEDURE)
    (f,) = findings(a, "in_person_steps")
    assert f.status == "actionable" and f.saving.visits == 1
    assert (a.before.visits, a.after.visits) == (1, 0)


def test_presence_required_by_law_is_kept_and_blocks_full_online():
    xml = linear(
        task(
            "R",
            "Kiểm tra thực địa",
            "inspect",
            "specialist",
            presence="required_by_law",
            legal="Điều 10 Luật thử",
        ),
        ids=("R",),
    )
    a = analyse(xml, catalogue(), PROCEDURE)
    (f,) = findings(a, "in_person_steps")
    assert f.status == "advisory" and "Điều 10 Luật thử" in f.explanation
    assert not a.after.readiness.criteria["e"]
    assert a.after.on_site_checks == 1


def test_independent_checks_by_different_agencies_run_in_parallel():
    xml = linear(
        task("L", "Tra cứu", "appraise", "specialist", duration="P2D", form="f-look"),
        task(
            "P",
            "Xác minh tại Công an",
            "appraise",
            "other_agency",
            duration="P3D",
            form="f-appraise",
        ),
        ids=("L", "P"),
    )
    a = analyse(xml, catalogue(), forms=FORMS)
    (f,) = findings(a, "parallelisable_steps")
    assert f.targets == ("L", "P") and f.saving.minutes == 960
    assert a.savings["critical_path_min"] == 960


def test_checks_by_the_same_actor_stay_in_sequence():
    xml = linear(
        task("L", "Tra cứu", "appraise", "specialist", form="f-look"),
        task("P", "Xác minh", "appraise", "specialist", form="f-appraise"),
        ids=("L", "P"),
    )
    assert findings(analyse(xml, catalogue(), forms=FORMS), "parallelisable_steps") == []


DECL = {
    "properties": {
        "identity_number": {
            "type": "string",
            "x-prefill": {"source": "population", "field": "identity_number"},
        },
        "full_name": {"type": "string"},
        "father": {"type": "string", "x-field": "father_name"},
        "purpose": {"type": "string"},
    }
}


def test_typed_fields_held_by_a_connected_registry_are_prefillable():
    xml = linear(task("T", "Kê khai", "submit", "citizen", form="decl"), ids=("T",))
    a = analyse(xml, catalogue(), forms={"decl": DECL})
    (f,) = findings(a, "prefillable_form_fields")
    assert [x["property"] for x in f.evidence["fields"]] == ["full_name", "father"]
    assert {x["source"] for x in f.evidence["fields"]} == {"population"}
    assert (a.before.typed_fields, a.after.typed_fields) == (3, 1)
    props = a.rewritten_forms()["decl"]["properties"]
    assert props["father"]["x-prefill"] == {
        "source": "population",
        "field": "father_name",
        "from": "population_data.father_name",  # the lookup the rewrite inserts
    }
    assert "population" in a.plan.fetch and "Task_Fetch_population" in a.rewritten_bpmn()
    assert "x-prefill" not in DECL["properties"]["father"]  # the input is not mutated


def test_prefill_from_a_disconnected_registry_counts_as_typed():
    xml = linear(task("T", "Kê khai", "submit", "citizen", form="decl"), ids=("T",))
    a = analyse(xml, catalogue(), forms={"decl": copy.deepcopy(DECL)}, connected=[])
    assert a.before.typed_fields == 4 and findings(a, "prefillable_form_fields") == []


def test_what_if_shows_what_connecting_or_publishing_one_more_registry_saves():
    xml = linear(
        task("T", "Kê khai", "submit", "citizen", reads=("C1", "C2", "C3")),
        ids=("T",),
        extra=(
            component("C1", "Chứng từ nộp thuế", "tax_payment_proof", "copy"),
            component("C2", "Giấy chứng sinh", "birth_notice", "original"),
            component("C3", "Bản sao CCCD", "identity_card", "copy"),
        ),
    )
    a = analyse(xml, catalogue(), PROCEDURE, cost_model=cost_model())
    rows = {w["id"]: w for w in a.what_if()}
    assert set(rows) == {"tax", "health"}
    assert rows["tax"]["components"] == 1 and rows["tax"]["connected"] is False
    assert rows["health"]["components"] == 1
    assert rows["health"]["connected"] is True and rows["health"]["scope_published"] is False
    assert rows["tax"]["cost_per_dossier"] > 0
    assert a.after.components == 2  # the analysis itself is unchanged by the what-if


def test_step_that_decides_the_next_round_of_a_loop_is_kept():
    elements = [
        '<bpmn:startEvent id="S"/>',
        task("A", "Thẩm định", "appraise", "specialist", form="f-appraise"),
        '<bpmn:exclusiveGateway id="G"/>',
        task("H", "Chuyển hồ sơ để thẩm định lại", "handoff", "one_stop_desk", form="f-again"),
        '<bpmn:endEvent id="E"/>',
    ]
    flows = [
        ("S", "A"),
        ("A", "G"),
        ("G", "H", "again == True"),
        ("G", "E", "again == False"),
        ("H", "A"),
    ]
    forms = {**FORMS, "f-again": {"properties": {"again": {"type": "boolean"}}}}
    a = analyse(model(elements, flows), catalogue(), forms=forms)
    (f,) = findings(a, "handoff_steps")
    assert f.status == "advisory" and f.evidence["decides_gateway"] is True
    assert "H" not in a.plan.remove_tasks
    # the same hand-off writing nothing the gateway reads is removed
    forms["f-again"] = {"properties": {"note": {"type": "string"}}}
    a = analyse(model(elements, flows).replace("again ==", "x_again =="), catalogue(), forms=forms)
    assert findings(a, "handoff_steps")[0].status == "actionable"


def test_step_whose_data_a_later_script_or_service_uses_is_kept():
    script = (
        '<bpmn:scriptTask id="Sc" name="Ghi kết quả"><bpmn:script>result = "issued" if approved else "refused"'
        "</bpmn:script></bpmn:scriptTask>"
    )
    xml = linear(
        task("A1", "Phê duyệt", "approve", "leader", form="f-approve"),
        task("A2", "Ký số", "sign", "leader", form="f-sign"),
        script,
        ids=("A1", "A2", "Sc"),
    )
    forms = {"f-approve": {"properties": {"approved": {}}}, "f-sign": {"properties": {"note": {}}}}
    (f,) = findings(analyse(xml, catalogue(), forms=forms), "consecutive_approvals")
    assert f.targets == ("A2",) and f.evidence["kept"] == "A1"  # the approval feeds the script

    service = (
        '<bpmn:serviceTask id="Sv" name="Tra cứu"><bpmn:extensionElements>'
        '<spiffworkflow:serviceTaskOperator id="population.lookup" resultVariable="p"><spiffworkflow:parameters>'
        '<spiffworkflow:parameter id="identity_number" type="str" value="subject_id"/>'
        "</spiffworkflow:parameters></spiffworkflow:serviceTaskOperator></bpmn:extensionElements></bpmn:serviceTask>"
    )
    xml = linear(
        task("H", "Chuyển hồ sơ", "handoff", form="f-h"), service, ids=("H", "Sv")
    ).replace(
        "xmlns:tt=", 'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" xmlns:tt='
    )
    a = analyse(xml, catalogue(), forms={"f-h": {"properties": {"subject_id": {}}}})
    assert findings(a, "handoff_steps")[0].status == "advisory"


def _declare(form: dict, cat=None):
    xml = linear(task("T", "Kê khai", "submit", "citizen", form="f"), ids=("T",))
    a = analyse(xml, cat or catalogue(), forms={"f": form})
    found = findings(a, "prefillable_form_fields")
    return {x["property"]: x for f in found for x in f.evidence["fields"]}


def test_a_form_about_another_person_is_not_filled_with_the_applicants_kin():
    """In a birth declaration "father_identity_number" is the child's father, not the
    applicant's own father that the population database returns for the applicant."""
    birth = {
        "properties": {
            "child_full_name": {},
            "father_identity_number": {},
            "father_full_name": {},
            "mother_identity_number": {},
            "date_of_death": {},
        }
    }
    got = _declare(birth)
    assert "father_identity_number" not in got and "mother_identity_number" not in got
    assert "date_of_death" not in got  # nor the applicant's own date of death
    assert got["father_full_name"]["key"] == "father_identity_number"  # looked up by his number


def test_fields_of_a_registry_keyed_otherwise_are_filled_only_from_that_key():
    cat = catalogue()
    for r in cat["registries"]:
        if r["id"] == "business_registration":
            r["scope_published"] = True
    new_company = {"properties": {"enterprise_name": {}, "enterprise_address": {}}}
    assert _declare(new_company, cat) == {}  # nothing in the register yet
    existing = {"properties": {"enterprise_code": {}, "enterprise_name": {}}}
    got = _declare(existing, cat)
    assert got["enterprise_name"]["key"] == "enterprise_code"


def test_a_registry_without_a_published_scope_fills_nothing():
    form = {"properties": {"child_date_of_birth": {}, "place_of_delivery": {}}}
    assert _declare(form) == {}  # the health database's scope is not published


def test_a_registry_list_prefills_only_a_form_field_of_the_same_shape():
    """The population record lists household members as records: a form field that is a
    list of names cannot take them (the engine would refuse the dossier)."""
    for items, expected in (("string", []), ("object", ["members"])):
        form = {
            "properties": {
                "members": {
                    "type": "array",
                    "items": {"type": items},
                    "x-field": "household_members",
                }
            }
        }
        xml = linear(task("T", "Kê khai", "submit", "citizen", form="f"), ids=("T",))
        a = analyse(xml, catalogue(), forms={"f": form})
        found = findings(a, "prefillable_form_fields")
        assert [x["property"] for f in found for x in f.evidence["fields"]] == expected


def test_a_new_prefill_reads_the_variable_of_the_models_own_lookup():
    """The engine fills ``x-prefill`` from the dossier's data: the rewritten form names the
    variable the model's lookup of the applicant writes (``from``)."""
    xml = linear(
        '<bpmn:serviceTask id="L" name="Tra cứu CSDL dân cư"><bpmn:extensionElements>'
        '<spiffworkflow:serviceTaskOperator xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/'
        'schema/1.0/core" id="population.lookup" resultVariable="citizen">'
        '<spiffworkflow:parameters><spiffworkflow:parameter id="identity_number" type="str" '
        'value="applicant_id"/></spiffworkflow:parameters></spiffworkflow:serviceTaskOperator>'
        "</bpmn:extensionElements></bpmn:serviceTask>",
        task("T", "Kê khai", "submit", "citizen", form="decl"),
        ids=("L", "T"),
    )
    a = analyse(xml, catalogue(), forms={"decl": copy.deepcopy(DECL)})
    props = a.rewritten_forms()["decl"]["properties"]
    assert props["father"]["x-prefill"]["from"] == "citizen.father_name"
