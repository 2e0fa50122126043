"""Which rows a national database may stand in for: the rules that keep
``replaceable_by_database`` precise (simplifier/records/components.py, applicants.py).

Every record and row here is written for these tests (codes 1.9xxxxx); the rules are
those of docs/catalogue.md §2 "whose paper".
"""

from __future__ import annotations

import pytest

from tests.catalogue.records import HEADER, flat
from toantrinh.simplifier.records import read_record
from toantrinh.simplifier.records.applicants import holders_of, read_applicants
from toantrinh.simplifier.records.components import (
    head_sentence,
    own_text,
    read_component,
    split_rows,
)

IDENTITY_ROW = (
    "Hộ chiếu/Thẻ căn cước/Căn cước điện tử hoặc các giấy tờ khác có dán ảnh do cơ quan "
    "có thẩm quyền cấp (sau đây gọi là giấy tờ tùy thân)"
)
RESIDENCE_ROW = (
    "Giấy tờ chứng minh nơi cư trú của công dân trong trường hợp cơ quan đăng ký không "
    "khai thác được thông tin về nơi cư trú"
)
LOOKUP_NOTE = (
    "Trường hợp giấy tờ tùy thân là Hộ chiếu, Thẻ căn cước thì người yêu cầu chỉ cung cấp "
    "số định danh cá nhân, cơ quan đăng ký có trách nhiệm tra cứu thông tin trong Cơ sở "
    "dữ liệu quốc gia về dân cư"
)


def _record(vocab, catalogue, rows: list[tuple[str, str]], *, name: str, subjects: str):
    """A record whose component table is ``rows`` (name, quantity cell)."""
    table = HEADER + "".join(n + q for n, q in rows)
    raw = flat(
        "1.909001", name, thanh_phan_ho_so=table, doi_tuong_thuc_hien=subjects, linh_vuc="Hộ tịch"
    )
    return read_record(raw, vocab, holders=holders_of(catalogue, vocab))


def _row(name: str, vocab, quantity: str = "1 bản chính"):
    return read_component(split_rows(HEADER + name + quantity)[0], vocab)


# ---------------------------------------------------------------- who applies


def test_applicants_are_foreign_by_the_name_or_by_the_subjects_not_by_overseas_vietnamese(vocab):
    assert read_applicants(
        "Đăng ký kết hôn có yếu tố nước ngoài", "Công dân Việt Nam", vocab
    ).foreign
    assert read_applicants("Đăng ký giám hộ", "Công dân Việt Nam, Người nước ngoài", vocab).foreign
    overseas = "Người Việt Nam định cư ở nước ngoài, Công dân Việt Nam"
    assert not read_applicants("Đăng ký giám hộ", overseas, vocab).foreign
    assert read_applicants("Đăng ký lại khai tử", "Công dân Việt Nam", vocab).re_registration


def test_a_record_note_that_the_agency_looks_identity_papers_up_covers_a_passport_alternative(
    vocab, catalogue
):
    rows = [(IDENTITY_ROW, "1 bản chính"), (LOOKUP_NOTE, "0 bản chính")]
    record = _record(vocab, catalogue, rows, name="Đăng ký giám hộ", subjects="Công dân Việt Nam")
    assert record.components[0].replaceable_type == "identity_card"
    # without the note, a passport alternative keeps the row for review
    alone = _record(
        vocab, catalogue, rows[:1], name="Đăng ký giám hộ", subjects="Công dân Việt Nam"
    )
    assert alone.components[0].mixed == "hộ chiếu"
    assert alone.components[0].replaceable_type is None


@pytest.mark.parametrize(
    ("name", "subjects"),
    [
        ("Đăng ký giám hộ có yếu tố nước ngoài", "Công dân Việt Nam"),
        ("Đăng ký giám hộ", "Công dân Việt Nam, Người nước ngoài"),
    ],
)
def test_foreign_applicants_keep_passports_and_civil_status_events_for_review(
    vocab, catalogue, name, subjects
):
    rows = [
        (IDENTITY_ROW, "1 bản chính"),
        (LOOKUP_NOTE, "0 bản chính"),
        (RESIDENCE_ROW, "1 bản chính"),
        ("Bản sao Giấy chứng nhận kết hôn", "0 bản chính,1 bản sao"),
        ("Bản sao thẻ Căn cước công dân", "0 bản chính,1 bản sao"),
        ("Giấy tờ chứng minh nơi cư trú cuối cùng của người chết", "1 bản chính"),
    ]
    identity, _, residence, marriage, card, deceased = _record(
        vocab, catalogue, rows, name=name, subjects=subjects
    ).components
    assert identity.replaceable_type is None and "nước ngoài" in identity.disqualified
    assert marriage.replaceable_type is None  # the marriage may have been registered abroad
    # residence papers (the Law on Residence governs citizens) and a card only citizens
    # hold stay replaceable
    assert residence.replaceable_type == deceased.replaceable_type == "residence_confirmation"
    assert card.replaceable_type == "identity_card"


def test_re_registration_reviews_the_lost_event_not_the_residence(vocab, catalogue):
    rows = [("Bản sao Giấy khai sinh cấp trước đây", "1 bản chính"), (RESIDENCE_ROW, "1 bản chính")]
    birth, residence = _record(
        vocab, catalogue, rows, name="Đăng ký lại khai sinh", subjects="Công dân Việt Nam"
    ).components
    assert birth.replaceable_type is None and "Điều 24" in birth.disqualified
    assert residence.replaceable_type == "residence_confirmation"


def test_an_alternative_held_by_another_database_makes_the_row_mixed(vocab, catalogue):
    rows = [
        ("Giấy chứng tử hoặc báo tử", "1 bản chính"),
        ("Giấy khai sinh hoặc trích lục kết hôn", "1 bản chính"),
    ]
    death, birth = _record(
        vocab, catalogue, rows, name="Trợ cấp mai táng", subjects="Công dân Việt Nam"
    ).components
    assert death.mixed == "báo tử" and death.replaceable_type is None  # health database
    assert birth.replaceable_type == "birth_certificate"  # both in the civil-status database


def test_a_note_naming_cards_does_not_cover_every_identity_paper(vocab, catalogue):
    note = (
        "Lưu ý: Giấy tờ chứng minh nhân thân: đối với Căn cước công dân, Thẻ căn cước, người "
        "yêu cầu chỉ nộp trong trường hợp cơ quan không khai thác được thông tin"
    )
    rows = [
        (note, "0 bản chính,1 bản sao"),
        ("Giấy tờ chứng minh nhân thân của người yêu cầu;", "1 bản chính"),
    ]
    record = _record(
        vocab, catalogue, rows, name="Yêu cầu bồi thường", subjects="Công dân Việt Nam"
    )
    generic = record.components[1]
    assert generic.document_type == "identity_papers" and generic.replaceable_type is None


# ---------------------------------------------------------------- what a row asks for


def test_papers_in_an_exclusion_clause_are_not_asked_for(vocab):
    assert own_text("Giấy tờ chứng minh người phụ thuộc (trừ bản chụp giấy khai sinh)") == (
        "Giấy tờ chứng minh người phụ thuộc ( )"
    )
    c = _row(
        "Các giấy tờ chứng minh người phụ thuộc (trừ bản chụp giấy khai sinh hoặc căn cước)", vocab
    )
    assert c.document_type == "evidence" and c.replaceable_type is None
    c = _row(
        "Trường hợp trẻ ở nhờ thì ngoài bản sao Giấy khai sinh, phải có ý kiến của chủ hộ", vocab
    )
    assert c.document_type != "birth_certificate"


def test_a_source_a_field_a_certification_or_the_result_is_a_mention_not_the_paper(vocab):
    c = _row("Thông tin về chỗ ở được khai thác trong căn cước điện tử của công dân", vocab)
    assert c.document_type != "identity_card"
    c = _row("Nội dung khai báo gồm: họ tên, số hộ chiếu của người khai báo", vocab)
    assert c.document_type != "passport"
    c = _row("Giấy khai sinh (có chứng nhận của Ủy ban nhân dân xã hoặc công chứng)", vocab)
    assert not c.mixed and c.replaceable_type == "birth_certificate"
    note = "Bản chụp các giấy tờ gửi kèm hồ sơ cấp Giấy xác nhận tình trạng hôn nhân phải rõ nét"
    assert _row(note, vocab, "0 bản chính,0 bản sao").role == "note"


def test_the_paper_is_named_in_the_head_sentence_not_in_examples_or_fallbacks(vocab):
    text = (
        "Giấy tờ chứng minh quan hệ với chủ hộ (không yêu cầu khi cơ quan khai thác được thông "
        "tin về giấy khai sinh). Ví dụ: giấy chứng nhận kết hôn, giấy khai sinh."
    )
    assert head_sentence(vocab, text) == "Giấy tờ chứng minh quan hệ với chủ hộ"
    c = _row(text, vocab)
    assert c.document_type == "evidence" and c.replaceable_type is None


def test_a_row_bundling_another_paper_is_mixed(vocab):
    c = _row("Tài liệu chứng minh việc thừa kế, Tài liệu chứng minh quan hệ; Giấy chứng tử", vocab)
    assert c.document_type == "death_certificate" and c.mixed and c.replaceable_type is None
    # a list of names of one paper is not a bundle
    c = _row("Bản sao Hộ chiếu Việt Nam, thẻ Căn cước công dân, Thẻ căn cước", vocab)
    assert not c.mixed and c.replaceable_type == "identity_card"


def test_a_person_without_an_identity_number_is_not_in_the_database(vocab):
    c = _row("Bản sao giấy khai sinh đối với trẻ em chưa được cấp số định danh cá nhân", vocab)
    assert c.disqualified and c.replaceable_type is None


def test_an_instruction_to_prepare_the_dossier_is_a_note(vocab):
    c = _row("Công dân chuẩn bị hồ sơ và làm đồng thời thủ tục cấp căn cước điện tử", vocab)
    assert c.role == "note"


def test_a_slip_issued_by_someone_else_is_not_the_applicants_form(vocab):
    for name in ("Phiếu xuất kho: 01 bản chụp;", "Phiếu báo điểm thi", "Phiếu xét nghiệm"):
        assert _row(name, vocab).document_class == "third_party", name
    assert _row("Phiếu đăng ký dự thi theo mẫu", vocab).document_class == "declaration"


def test_a_case_row_that_asks_the_dossier_for_a_paper_is_a_document_even_with_no_quantity(vocab):
    text = (
        "Trường hợp chưa có tài khoản định danh điện tử thì hồ sơ phải kèm theo bản sao thẻ "
        "Căn cước của người ủy quyền"
    )
    c = _row(text, vocab, "0 bản chính,0 bản sao")
    assert c.role == "document" and c.replaceable_type == "identity_card"
    shown = "Trường hợp nhận kết quả tại Trung tâm thì phải xuất trình giấy tờ tùy thân"
    assert _row(shown, vocab, "0 bản chính,0 bản sao").role == "note"
