"""Annotation inference from Vietnamese (with or without diacritics) and English labels."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toantrinh.simplifier.cost
import toantrinh.simplifier.graph
import toantrinh.simplifier.infer
import toantrinh.simplifier.load
import toantrinh.simplifier.score
from toantrinh.simplifier.infer import (
    KINDS,
    component_info,
    infer_actor,
    infer_document,
    infer_kind,
    normalise,
    step_info,
)
from toantrinh.simplifier.load import DataObject, Node


@pytest.mark.parametrize(
    "label, kind",
    [
        ("Tiếp nhận hồ sơ", "receive"),
        ("Tiep nhan ho so", "receive"),
        ("Kiểm tra tính hợp lệ của hồ sơ", "verify"),
        ("Kiem tra tinh hop le cua ho so", "verify"),
        ("Thẩm định hồ sơ", "appraise"),
        ("THAM DINH HO SO", "appraise"),
        ("Lãnh đạo phê duyệt", "approve"),
        ("Lanh dao phe duyet", "approve"),
        ("Ký số Phiếu lý lịch tư pháp", "sign"),
        ("Đăng ký khai sinh", "submit"),  # "đăng ký" is not "ký"
        ("Dang ky khai sinh", "submit"),
        ("Nộp lệ phí", "pay"),
        ("Nop le phi", "pay"),
        ("Nộp hồ sơ trực tuyến", "submit"),
        ("Trả kết quả cho công dân", "deliver_result"),
        ("Tra ket qua", "deliver_result"),
        ("Chuyển hồ sơ cho phòng chuyên môn", "handoff"),
        ("Chuyen ho so", "handoff"),
        ("Kiểm tra thực địa", "inspect"),
        ("Kiem tra thuc dia", "inspect"),
        ("Submit the application", "submit"),
        ("Pay the fee online", "pay"),
        ("Forward the dossier to the licensing unit", "handoff"),
        ("Director approves the licence", "approve"),
        ("On-site inspection of the premises", "inspect"),
        ("Review the application", "appraise"),
        ("In danh sách", "other"),
    ],
)
def test_kind_from_label(label, kind):
    assert infer_kind(label)[0] == kind


def test_confidence_is_higher_for_specific_phrases_than_single_words():
    assert infer_kind("Thẩm định hồ sơ")[1] > infer_kind("Xem xét")[1] > infer_kind("Lưu trữ")[1]
    assert infer_kind("")[1] < 0.2


def test_normalise_strips_marks_and_d_bar():
    assert normalise("Đối chiếu BẢN SAO, Sổ hộ khẩu!") == "doi chieu ban sao so ho khau"


@pytest.mark.parametrize(
    "text, actor",
    [
        ("Bộ phận một cửa", "one_stop_desk"),
        ("Bo phan mot cua", "one_stop_desk"),
        ("Lãnh đạo Sở", "leader"),
        ("Chuyên viên phòng Hộ tịch", "specialist"),
        ("Công dân", "citizen"),
        ("Applicant", "citizen"),
        ("Công an tỉnh", "other_agency"),
        ("Hệ thống", "system"),
    ],
)
def test_actor_from_lane_name(text, actor):
    assert infer_actor(text) == actor


def test_explicit_annotation_wins_with_full_confidence():
    node = Node(
        "t",
        "userTask",
        "Chuyển hồ sơ",
        lane="Lãnh đạo",
        step={"kind": "approve", "actor": "specialist", "duration": "PT2H", "presence": "required"},
    )
    info = step_info(node)
    assert (info.kind, info.actor, info.presence, info.duration_min) == (
        "approve",
        "specialist",
        "required",
        120,
    )
    assert info.confidence == 1.0 and info.source == "annotation"


def test_lane_names_the_actor_and_label_the_kind():
    info = step_info(Node("t", "userTask", "Tham dinh ho so", lane="Lanh dao phong"))
    assert (info.kind, info.actor, info.source) == ("appraise", "leader", "label")
    assert 0.5 < info.confidence < 1.0


def test_place_in_a_submit_label_is_not_its_actor_and_marks_presence():
    info = step_info(Node("t", "task", "Nộp hồ sơ trực tiếp tại bộ phận một cửa"))
    assert (info.kind, info.actor, info.presence) == ("submit", "citizen", "required")
    assert step_info(Node("t", "task", "Nộp hồ sơ trực tuyến")).presence == "none"


def test_service_tasks_are_automated_system_steps():
    info = step_info(Node("t", "serviceTask", "Lấy thông tin từ CSDL quốc gia về dân cư"))
    assert info.automated and info.actor == "system" and info.duration_min == 1


@pytest.mark.parametrize(
    "label, doc, copy",
    [
        ("Bản sao giấy khai sinh", "birth_certificate", "copy"),
        ("Ban sao giay khai sinh", "birth_certificate", "copy"),
        ("Sổ hộ khẩu", "household_book", None),
        ("So ho khau", "household_book", None),
        ("CCCD", "identity_card", None),
        ("Căn cước", "identity_card", None),
        ("Bản sao có chứng thực CMND", "identity_card", "certified_copy"),
        ("Giấy xác nhận tình trạng hôn nhân", "marital_status_confirmation", None),
        ("Trích lục khai tử", "death_certificate", None),
        (
            "Certified copy of the business registration certificate",
            "business_registration_certificate",
            "certified_copy",
        ),
        ("Phiếu lý lịch tư pháp", "criminal_record_certificate", None),
        ("Bản chính giấy phép lái xe", "driving_licence", "original"),
        ("Tờ khai", "declaration_form", None),
        ("Hóa đơn điện nước", None, None),
    ],
)
def test_document_type_and_copy_from_data_object_label(label, doc, copy):
    got_doc, got_copy, conf = infer_document(label)
    assert (got_doc, got_copy) == (doc, copy)
    assert (conf > 0) == (doc is not None)


def test_inferred_component_carries_the_fields_its_document_holds():
    info = component_info(DataObject("d", "Bản sao sổ hộ khẩu"))
    assert info.document_type == "household_book" and info.copy == "copy"
    assert "permanent_address" in info.fields and info.source == "label"
    assert component_info(DataObject("d", "Ghi chú nội bộ")) is None


def test_annotated_component_wins_over_its_label():
    do = DataObject(
        "d",
        "Sổ hộ khẩu",
        component={
            "code": "x",
            "documentType": "residence_confirmation",
            "copy": "electronic",
            "fields": ["permanent_address"],
        },
    )
    info = component_info(do)
    assert (info.document_type, info.copy, info.fields, info.confidence) == (
        "residence_confirmation",
        "electronic",
        ("permanent_address",),
        1.0,
    )


@pytest.mark.parametrize(
    "module",
    [
        toantrinh.simplifier.infer,
        toantrinh.simplifier.graph,
        toantrinh.simplifier.load,
        toantrinh.simplifier.cost,
        toantrinh.simplifier.score,
    ],
)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_inference_is_total_and_diacritics_do_not_matter(label):
    kind, confidence = infer_kind(label)
    assert kind in KINDS and 0 <= confidence <= 1
    assert infer_kind(normalise(label))[0] == kind
    assert normalise(normalise(label)) == normalise(label)
    doc, _copy, conf = infer_document(label)
    assert (doc is None) == (conf == 0)
