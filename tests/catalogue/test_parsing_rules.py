"""Each reading rule of docs/catalogue.md with its examples (simplifier/records)."""

from __future__ import annotations

import pytest

from tests.catalogue.records import (
    FLAT_MARRIAGE,
    FLAT_PERMIT,
    FLAT_RESIDENCE,
    HEADER,
    STRUCTURED,
)
from toantrinh.simplifier.records import RecordRefused, read_record
from toantrinh.simplifier.records.channels import parse_channels, parse_fee, parse_time
from toantrinh.simplifier.records.components import (
    parse_quantity,
    read_component,
    split_rows,
    template_of,
)
from toantrinh.simplifier.records.legal import find_codes, issuer_of, kind_of, parse_legal
from toantrinh.simplifier.records.shape import sections
from toantrinh.simplifier.records.steps import read_step, split_steps
from toantrinh.simplifier.records.text import Phrases, clean, fold, informed

# ---------------------------------------------------------------- text


def test_clean_joins_blanks_and_non_breaking_spaces():
    assert clean("  Bước\xa01:\n Nộp  hồ sơ ") == "Bước 1: Nộp hồ sơ"
    assert informed("Không có thông tin") == ""


def test_fold_keeps_diacritics_and_unifies_tone_placement():
    assert fold("Hoá đơn, UỶ QUYỀN") == fold("Hóa đơn ủy quyền") == "hóa đơn ủy quyền"
    # diacritics are kept: "đủ thì" is not "dự thi", "có thể" is not "thẻ"
    p = Phrases({"exam": ["dự thi"], "card": ["thẻ"]})
    assert p.first("Nếu hồ sơ đầy đủ thì cấp ngay; có thể gửi qua bưu điện") is None


def test_phrases_earliest_wins_and_text_without_diacritics_still_matches():
    p = Phrases({"pay": ["nộp phí"], "submit": ["nộp hồ sơ"]})
    assert p.first("Tổ chức nộp hồ sơ rồi nộp phí").key == "submit"
    assert p.first("to chuc nop phi").key == "pay"


def test_sections_accept_scraper_portal_and_english_keys():
    assert sections({"ma_thu_tuc": "1.000001", "Tên thủ tục": "A", "agency": "Sở"}) == {
        "code": "1.000001",
        "name": "A",
        "agency": "Sở",
    }
    assert sections({"Thành phần hồ sơ": '[{"Tên giấy tờ": "Tờ khai"}]'})["components"] == [
        {"Tên giấy tờ": "Tờ khai"}
    ]


# ---------------------------------------------------------------- channels


@pytest.mark.parametrize(
    ("cell", "amount", "unit"),
    [
        ("2 Ngày làm việc", 2, "working_days"),
        ("15 Ngày", 15, "days"),
        ("24 Giờ", 24, "hours"),
        ("3 Tháng", 3, "months"),
    ],
)
def test_time_units(cell, amount, unit):
    t = parse_time(cell)
    assert (t.amount, t.unit) == (amount, unit)


def test_a_number_without_unit_is_not_a_time():
    assert parse_time("1") is None


def test_working_days_become_a_calendar_timer():
    assert parse_time("5 Ngày làm việc").iso() == "P7D"
    assert parse_time("24 Giờ").iso() == "PT24H"


def test_channel_rows_start_at_a_mode_followed_by_a_number_or_no_information():
    rows = parse_channels(
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến2 Ngày làm việcMiễn phí"
        "(+ Trực tiếp: nộp tại Bộ phận Một cửa)Trực tiếpKhông có thông tin70,000 VNĐ"
    )
    assert [(r.mode, r.time and r.time.amount, r.fee.amount) for r in rows] == [
        ("online", 2, 0),
        ("in_person", None, 70000),
    ]
    assert "Trực tiếp: nộp" in rows[0].description


def test_unitless_one_glued_to_the_fee_digits():
    (row,) = parse_channels("Trực tuyến1100 VNĐ(Phí công bố: 100.000 đồng/lần)")
    assert row.time is None and row.time_text == "1"
    assert row.fee.amount == 100_000 and row.fee.confidence < 1


def test_fee_amounts_exemptions_and_currencies():
    assert parse_fee("4,500,000 VNĐ").amount == 4_500_000
    assert parse_fee("500,000 Việt Nam Đồng").amount == 500_000
    assert parse_fee("Miễn phí").free
    usd = parse_fee("200 USD")
    assert usd.amount is None and usd.currency == "USD"


def test_fee_under_a_thousand_dong_takes_the_amount_the_description_states():
    fee = parse_fee("135 VNĐ", "Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.")
    assert fee.amount == 135_000 and "135.000" in fee.note
    assert parse_fee("50 VNĐ").confidence < 0.5  # nothing to correct it: flagged


def test_free_cell_contradicted_by_the_description_is_flagged():
    fee = parse_fee("Miễn phí", "Lệ phí cấp mới 200 USD/lần")
    assert fee.free and fee.note and fee.confidence < 1


def test_structured_channels():
    rows = parse_channels(STRUCTURED["Cách thức thực hiện"])
    assert [(r.mode, r.time.unit, r.fee.amount) for r in rows] == [
        ("online", "working_days", 0),
        ("postal", "days", 20000),
    ]


# ---------------------------------------------------------------- legal codes


def test_legal_codes_with_year_without_year_and_glued():
    assert find_codes("theo Thông tư số 79/2024/TT-BCA và Quyết định 06/QĐ-TTg") == [
        "79/2024/TT-BCA",
        "06/QĐ-TTg",
    ]
    # a law's code cell glued to the code in its title
    assert find_codes("Luật Căn cước số 26/2023/QH1526/2023/QH15") == ["26/2023/QH15"]
    # the next row's title glued to a code cell
    assert find_codes("123/2015/NĐ-CPNghị định") == ["123/2015/NĐ-CP"]


def test_kind_of_a_legal_document():
    assert kind_of("118/2025/NĐ-CP") == "Nghị định"
    assert kind_of("79/2024/TT-BCA") == "Thông tư"
    assert kind_of("26/2023/QH15", "Luật Căn cước") == "Luật"


def test_legal_table_rows_end_at_their_code_cell_and_cut_cells_keep_the_full_code():
    docs = parse_legal(FLAT_PERMIT["can_cu_phap_ly"])
    assert [d.code for d in docs] == ["60/2014/QH13", "123/2015/NĐ-CP", "04/2024/TT-BTP"]
    assert docs[1].title.startswith("Nghị định số 123/2015/NĐ-CP ngày 15/11/2015")
    assert [d.kind for d in docs] == ["Luật", "Nghị định", "Thông tư"]


def test_decision_number_names_the_ministry_under_the_2025_structure():
    issuers = {"BTP": "Bộ Tư pháp", "BCA": "Bộ Công an", "BGTVT": "Bộ Xây dựng"}
    assert issuer_of("1940/QĐ-BTP", issuers) == "Bộ Tư pháp"
    assert issuer_of("77/QĐ-BCA-C06", issuers) == "Bộ Công an"
    assert issuer_of("12/QĐ-BGTVT", issuers) == "Bộ Xây dựng"
    assert issuer_of("5/QĐ-XYZ", issuers) == ""


# ---------------------------------------------------------------- component rows


def test_quantities():
    assert parse_quantity("1 bản chính, 1 bản sao") == (1, 1)
    assert parse_quantity("0 bản chính,1 bản sao") == (0, 1)
    assert parse_quantity("02 bản sao") == (0, 2)
    assert parse_quantity("") == (1, 0)


def test_rows_end_at_quantity_cells_and_headings_are_not_rows():
    text = (
        "Trường hợp A:" + HEADER + "Tờ khai1 bản chínhBản sao Giấy khai sinh0 bản chính,"
        "1 bản saoTrường hợp B:" + HEADER + "Đơn đề nghị1 bản chính"
    )
    rows = split_rows(text)
    assert [(r.index, r.name, r.group, r.originals, r.copies) for r in rows] == [
        (0, "Tờ khai", "Trường hợp A:", 1, 0),
        (1, "Bản sao Giấy khai sinh", "Trường hợp A:", 0, 1),
        (2, "Đơn đề nghị", "Trường hợp B:", 1, 0),
    ]


def test_a_quantity_in_running_text_or_zero_padded_is_not_a_cell():
    rows = split_rows(HEADER + "Nộp 01 bản chính; kèm 1 bản chính. Bản kê1 bản chính")
    assert [r.name for r in rows] == ["Nộp 01 bản chính; kèm 1 bản chính. Bản kê"]


def test_form_template_read_from_the_row():
    assert template_of("Đơn đề nghị theo mẫuMẫu TP-HGTM-02.docx") == "Mẫu TP-HGTM-02.docx"
    assert template_of("Tờ khai (Mẫu CT01)") == ""
    assert split_rows(FLAT_PERMIT["thanh_phan_ho_so"])[0].template == "Mẫu TP-01.docx"


def test_structured_rows_with_case_groups():
    rows = split_rows(STRUCTURED["Thành phần hồ sơ"])
    assert [(r.index, r.name, r.group) for r in rows] == [
        (0, "Tờ khai đề nghị cấp lại thẻ", ""),
        (1, "Thẻ cũ bị hỏng", "Trường hợp thẻ bị hỏng"),
        (2, "Bản sao Giấy khai sinh", "Trường hợp thẻ bị hỏng"),
    ]
    assert rows[0].template == "Mẫu 02.docx"


# ---------------------------------------------------------------- what a component is


def _read(name: str, vocab, quantity: str = "1 bản chính"):
    return read_component(split_rows(HEADER + name + quantity)[0], vocab)


def test_document_types_from_the_vocabulary(vocab):
    assert _read("Bản sao Căn cước công dân", vocab).document_type == "identity_card"
    assert _read("Giấy tờ chứng minh nơi cư trú", vocab).document_type == "residence_confirmation"
    assert _read("Sổ bảo hiểm xã hội", vocab).document_type == "insurance_book"
    assert _read("Phương án kinh doanh", vocab).document_class == "applicant"
    assert _read("Hợp đồng thuê nhà", vocab).document_class == "third_party"
    assert _read("Giấy phép kinh doanh đã được cấp", vocab).document_class == "result"


def test_the_earliest_name_wins_so_a_form_naming_a_card_is_a_form(vocab):
    c = _read("Tờ khai đề nghị cấp thẻ căn cước", vocab)
    assert c.document_type == "declaration_form"


def test_copy_form_from_the_name_else_from_the_quantity(vocab):
    assert _read("Bản sao có chứng thực Giấy khai sinh", vocab).copy == "certified_copy"
    assert _read("Giấy khai sinh", vocab, "0 bản chính,1 bản sao").copy == "copy"
    assert _read("Giấy khai sinh", vocab).copy == "original"


def test_notes_case_headings_and_instructions_are_not_documents(vocab):
    assert _read("Trường hợp nộp trực tuyến:", vocab).role == "case_heading"
    assert _read("Số lượng hồ sơ: 01 bộ", vocab, "0 bản chính,0 bản sao").role == "note"
    assert (
        _read("Trường hợp đã có tài khoản định danh thì không phải nộp bản sao", vocab).role
        == "note"
    )
    assert _read("Người tiếp nhận hồ sơ khai thác thông tin trong CSDL", vocab).role == "note"
    # a zero quantity that plainly names a paper is still a document
    assert _read("Giấy khai sinh", vocab, "0 bản chính,0 bản sao").role == "document"


def test_a_conditional_document_is_read_after_its_case_clause(vocab):
    c = _read("Trường hợp ủy quyền thì nộp thêm văn bản ủy quyền", vocab)
    assert (c.role, c.document_type, c.conditional) == ("document", "power_of_attorney", True)


def test_alternatives_mixed_rows_and_foreign_papers(vocab):
    both = _read("Hộ chiếu/Thẻ căn cước công dân", vocab)
    assert both.document_type == "identity_card"  # passport or card: an identity paper
    mixed = _read("Sổ hộ khẩu hoặc giấy tờ hợp lệ khác", vocab)
    assert mixed.mixed and mixed.replaceable_type is None
    foreign = _read("Hộ chiếu của người nước ngoài, đã hợp pháp hóa lãnh sự", vocab)
    assert foreign.disqualified and foreign.replaceable_type is None
    civil = _read("Bản sao Giấy khai sinh hoặc trích lục kết hôn", vocab)
    assert not civil.mixed and civil.replaceable_type == "birth_certificate"


def test_text_that_lets_the_agency_read_the_data_supports_a_database(vocab):
    c = _read("Giấy tờ tùy thân, chỉ nộp trong trường hợp không khai thác được dữ liệu", vocab)
    assert c.database_support and c.replaceable_type == "identity_card"
    assert _read("Giấy tờ tùy thân", vocab).replaceable_type is None


def test_an_original_taken_back_is_not_replaced(vocab):
    c = _read("Giấy phép cũ (bản chính) để thu hồi", vocab)
    assert c.surrendered and c.replaceable_type is None


# ---------------------------------------------------------------- steps


def test_steps_split_at_markers_not_at_references():
    rows = split_steps("Chuẩn bị. Bước 1: Nộp hồ sơ như Bước 2. Bước 2. Trả kết quả")
    assert [r.text for r in rows] == ["Bước 1: Nộp hồ sơ như Bước 2.", "Bước 2. Trả kết quả"]


def test_steps_without_markers_are_lines_hard_wrapped_lines_join():
    rows = split_steps("- Nộp hồ sơ tại\nSở Tư pháp;\nb) Sở Tư pháp cấp\nphép ngay.")
    # "Sở" starts with a capital: its own line; "phép" continues "b) …"
    assert [r.text for r in rows] == [
        "- Nộp hồ sơ tại",
        "Sở Tư pháp;",
        "b) Sở Tư pháp cấp phép ngay.",
    ]


def test_a_single_line_is_cut_into_sentences():
    rows = split_steps("Nộp hồ sơ. Sở xem xét; (1) trả kết quả.")
    assert [r.text for r in rows] == ["Nộp hồ sơ.", "Sở xem xét;", "(1) trả kết quả."]


def test_structured_steps_are_the_list_items():
    assert [r.index for r in split_steps(STRUCTURED["Trình tự thực hiện"])] == [0, 1, 2]


def _step(text: str, vocab):
    return read_step(split_steps(text)[0], vocab)


def test_actor_and_kind_of_a_step(vocab):
    s = _step("Bước 1: Tổ chức, cá nhân nộp hồ sơ qua Cổng dịch vụ công", vocab)
    assert (s.actor, s.kind, s.presence) == ("citizen", "submit", "none")
    s = _step("Bước 2: Sở Xây dựng thẩm định hồ sơ", vocab)
    assert (s.actor, s.kind) == ("specialist", "appraise")
    s = _step("Bước 3: Giám đốc Sở ký Giấy phép", vocab)
    assert (s.actor, s.kind) == ("leader", "sign")
    s = _step("Bước 4: Bộ phận Một cửa trả kết quả", vocab)
    assert (s.actor, s.kind) == ("one_stop_desk", "deliver_result")


@pytest.mark.parametrize(
    "text",
    [
        "Công dân đến cơ quan Công an để thu nhận vân tay và ảnh khuôn mặt",
        "Đoàn thẩm định kiểm tra thực tế tại cơ sở sản xuất",
        "Hải quan kiểm tra thực tế hàng hóa và niêm phong",
        "Tổ chức kỳ thi sát hạch cho người đề nghị",
    ],
)
def test_presence_the_law_requires_is_read_with_its_words(vocab, text):
    s = _step(text, vocab)
    assert s.presence == "required_by_law" and s.presence_words and s.presence_reason


def test_negated_presence_is_not_required_but_leaves_a_doubt(vocab):
    s = _step("Sở thẩm định hồ sơ, không phải kiểm tra thực tế", vocab)
    assert s.presence == "none" and s.presence_doubt == "kiểm tra thực tế"


def test_paper_habit_is_presence_not_required_by_law(vocab):
    s = _step("Tổ chức nộp hồ sơ trực tiếp tại Sở", vocab)
    assert s.presence == "required"
    assert _step("Tổ chức nộp hồ sơ trực tiếp hoặc trực tuyến", vocab).presence == "none"


def test_supplement_and_refusal_are_read(vocab):
    s = _step(
        "Sở kiểm tra; hồ sơ chưa đầy đủ thì hướng dẫn bổ sung; không đủ điều kiện thì "
        "trả lời nêu rõ lý do",
        vocab,
    )
    assert s.supplement and s.refusal


def test_presence_a_law_requires_for_a_kind_of_procedure(vocab):
    record = read_record(FLAT_MARRIAGE, vocab)
    deliver = record.steps[3]
    assert deliver.presence == "required_by_law" and "Luật Hộ tịch 2014" in deliver.evidence[-1]
    assert record.steps[0].presence == "none"  # the declaration itself can be sent online


# ---------------------------------------------------------------- the record


def test_agency_mapped_to_the_two_level_government(vocab):
    record = read_record(FLAT_RESIDENCE, vocab)
    assert record.agency == "Ủy ban nhân dân cấp xã" and record.agency_level == "commune"
    assert any("cấp huyện" in p for p in record.problems)


def test_levels_ministry_result_codes_and_statutory_time(vocab):
    record = read_record(FLAT_PERMIT, vocab)
    assert (record.agency_level, record.ministry) == ("province", "Bộ Tư pháp")
    assert [(r.name, r.code) for r in record.results] == [
        ("Giấy phép hoạt động thử nghiệm", "KQ.G15.999001")
    ]
    time, source = record.statutory_time()
    assert time.amount == 5 and "Trực tuyến" in source
    assert record.fee()[:2] == (100_000, 50_000)


def test_structured_record_reads_like_a_flat_one(vocab):
    record = read_record(STRUCTURED, vocab)
    assert (record.code, record.shape, record.agency_level) == (
        "1.900011",
        "structured",
        "ministry",
    )
    assert record.ministry == "Bộ Nội vụ"  # 300/QĐ-BNV
    assert [c.document_type for c in record.components] == [
        "declaration_form",
        "licence",
        "birth_certificate",
    ]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ({}, "không có mã và tên thủ tục"),
        ({"ten_thu_tuc": "A"}, "không có mã thủ tục"),
        ({"ma_thu_tuc": "X.1", "ten_thu_tuc": "A"}, "không đúng dạng"),
        ({"ma_thu_tuc": "1.000001"}, "không có tên thủ tục"),
        ({"ma_thu_tuc": "1.000001", "ten_thu_tuc": "A"}, "không có trình tự"),
    ],
)
def test_a_record_that_cannot_be_used_is_refused_with_a_reason(vocab, raw, reason):
    with pytest.raises(RecordRefused) as err:
        read_record(raw, vocab)
    assert reason in err.value.reason


@pytest.mark.parametrize(("published", "read"), [("12.500", 12500), ("1.000²", None), ("①", None)])
def test_an_annual_volume_is_read_from_ascii_digits_only(vocab, published, read):
    """A superscript or circled digit passes ``str.isdigit()`` and fails ``int()``: the
    record was refused with a ValueError instead of read without a volume (issue 27.9)."""
    assert read_record(dict(FLAT_RESIDENCE, so_ho_so_nam=published), vocab).volume == read


# ---------------------------------------------------------------- presence wording (Set C)


@pytest.mark.parametrize(
    "text",
    [
        "Hội đồng tổ chức kiểm tra thực hành hàn cho thí sinh",
        "Tổ chức kiểm tra sức khỏe cho công dân dự tuyển",
        "Sở Tư pháp tổ chức lễ giao nhận con nuôi có mặt cha mẹ nuôi",
        "Cơ quan giải quyết bồi thường tổ chức thương lượng với người yêu cầu",
        "Công chức làm việc trực tiếp với các bên để làm rõ sự tự nguyện",
        "Công chức hải quan ghi và xác nhận vào sổ ATA",
        "Cơ quan chuyên môn bàn giao đất trên thực địa cho người sử dụng đất",
        "Rà soát, kiểm tra hồ sơ; kiểm tra thực địa.",
        "Đoàn đánh giá điều kiện thực tế của cơ sở sản xuất",
    ],
)
def test_presence_by_law_for_tests_handovers_negotiations_interviews_and_site_work(vocab, text):
    s = _step(text, vocab)
    assert s.presence == "required_by_law", s.evidence


@pytest.mark.parametrize(
    "text",
    [
        "Thí sinh lập Phiếu đăng ký dự thi trực tuyến",
        "Chuẩn bị hồ sơ đăng ký dự thi theo quy định",
        "Cơ sở đăng kiểm cấp giấy chứng nhận kiểm định trong ngày",
        "Hội đồng khám sức khỏe tổng hợp danh sách",
        "Cá nhân đề nghị chuyển đổi chứng chỉ thì không yêu cầu sát hạch",
    ],
)
def test_a_phrase_naming_a_paper_a_body_or_a_registration_or_negated_is_not_presence(vocab, text):
    assert _step(text, vocab).presence != "required_by_law"


def test_organise_is_a_verb_not_the_applicant_organisation(vocab):
    assert _step("Tổ chức kiểm tra sức khỏe cho công dân", vocab).actor != "citizen"
    assert _step("Tổ chức, cá nhân nộp hồ sơ", vocab).actor == "citizen"
    assert _step("Tổ chức nộp hồ sơ trực tuyến", vocab).actor == "citizen"
