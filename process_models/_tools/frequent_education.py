"""Upper-secondary graduation exam registration with admission wishes; priority by permanent
residence is checked against the population database's residence history."""

from __future__ import annotations

from bpmn_builder import Flow, Model, Node
from common import (
    attachment,
    comp,
    form,
    intake,
    overdue,
    person_block,
    pf,
    script,
    seq,
    service,
    st,
    text,
    user,
)
from frequent_common import cited, estimated, fee, time_limit, volume

EXAM_RULES = "Quy chế thi tốt nghiệp trung học phổ thông (Thông tư 24/2024/TT-BGDĐT)"
ADMISSION_RULES = "Quy chế tuyển sinh đại học, cao đẳng ngành Giáo dục Mầm non (Thông tư 08/2022/TT-BGDĐT, sửa đổi 2025)"
PRIORITY_MONTHS = 18
# the national portal's record 1.005142 (its publishing decision is not in the copy read)
EXAM_RECORD = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf8-b068-763b-bee4-7ac0773cf0eb"


def exam_record(detail: str) -> dict[str, str]:
    """A fact as the national portal's record of procedure 1.005142 states it."""
    return cited(
        "Cổng Dịch vụ công quốc gia, thủ tục 1.005142 Đăng ký dự thi tốt nghiệp trung học phổ "
        "thông (lĩnh vực Thi, tuyển sinh; căn cứ Quy chế thi ban hành kèm Thông tư "
        "24/2024/TT-BGDĐT; số quyết định công bố chưa đọc được): " + detail,
        EXAM_RECORD,
    )


PRIORITY_SCRIPT = (
    "months = 0\n"
    'for period in citizen["residence_history"]:\n'
    '    if period["type"] == "thường trú" and period["to"] == None:\n'
    '        exam_day = str(candidate["graduation_year"]) + "-06-01"\n'
    '        months = days_between(period["from"] + "-01", exam_day) // 30\n'
    "residence_months = months\n"
    f"residence_priority_ok = months > {PRIORITY_MONTHS}\n"
    "priority_confirmed = claims_residence_priority == False or residence_priority_ok"
)


def dang_ky_du_thi_tot_nghiep_thpt() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    lanes = [
        (c, "Citizen", "Thí sinh"),
        (d, "Desk", "Trường trung học phổ thông — điểm tiếp nhận đăng ký dự thi"),
        (s, "Specialist", "Phòng Quản lý thi, Sở Giáo dục và Đào tạo"),
        (lead, "Leader", "Giám đốc Sở Giáo dục và Đào tạo"),
    ]
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after="Gateway_PriorityMerge",
        next_="Task_Appraise",
        receive_name="Trường THPT tiếp nhận hồ sơ đăng ký dự thi của học sinh",
        receive_step=st("receive", "one_stop_desk", "PT10M", legal=EXAM_RULES),
    )
    t_nodes, t_flows, timer = overdue("Task_Appraise", d, "P10D")
    nodes = [
        Node("Start_Request", "start", "Đăng ký dự thi tốt nghiệp THPT trực tuyến", c),
        service(
            "Task_Prefill",
            "Lấy thông tin thí sinh, quá trình cư trú từ CSDL quốc gia về dân cư",
            c,
            "population.lookup",
            {"identity_number": "applicant_id"},
            "citizen",
        ),
        service(
            "Task_Candidate",
            "Lấy trường THPT, khu vực ưu tiên của trường từ hệ thống quản lý thi",
            c,
            "exam_candidates.lookup",
            {"identity_number": "applicant_id"},
            "candidate",
        ),
        user(
            "Task_Declare",
            "Khai Phiếu đăng ký dự thi, nguyện vọng xét tuyển và đối tượng, khu vực ưu tiên",
            c,
            "thpt-dang-ky",
            st(
                "submit",
                "citizen",
                "PT30M",
                legal=f"{EXAM_RULES}; {ADMISSION_RULES}",
                citizen_time="PT1H",
            ),
        ),
        script(
            "Task_CheckResidence",
            f"Tính thời gian thường trú từ CSDL dân cư (ưu tiên khi trên {PRIORITY_MONTHS} tháng)",
            s,
            PRIORITY_SCRIPT,
        ),
        Node("Gateway_Priority", "xor", "Ưu tiên theo nơi thường trú được xác nhận?", s),
        user(
            "Task_PriorityProof",
            "Bổ sung minh chứng nơi thường trú hoặc đăng ký không hưởng ưu tiên",
            c,
            "thpt-uu-tien",
            st("submit", "citizen", "PT20M", legal=ADMISSION_RULES, citizen_time="PT2H"),
        ),
        Node("Gateway_PriorityMerge", "xor", "", d),
        *intake_nodes,
        user(
            "Task_Appraise",
            "Xét duyệt danh sách thí sinh và chế độ ưu tiên",
            s,
            "tham-dinh-ho-so",
            st("appraise", "specialist", "P2D", legal=EXAM_RULES),
        ),
        Node("Gateway_Approved", "xor", "Đủ điều kiện dự thi?", s),
        script("Task_Refused", "Thông báo không đủ điều kiện dự thi", s, 'result = "refused"'),
        Node("End_Refused", "end", "Không đủ điều kiện dự thi", s),
        user(
            "Task_Approve",
            "Phê duyệt danh sách thí sinh, cấp số báo danh",
            lead,
            "thpt-so-bao-danh",
            st("approve", "leader", "PT30M", legal=EXAM_RULES),
        ),
        user(
            "Task_Deliver",
            "Trả kết quả: số báo danh, phòng thi, chế độ ưu tiên được hưởng",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT5M"),
        ),
        script("Task_Result", "Cập nhật kết quả giải quyết", d, 'result = "registered"'),
        Node("End_Done", "end", "Đã đăng ký dự thi", d),
        *t_nodes,
    ]
    flows = [
        *seq(
            "Start_Request",
            "Task_Prefill",
            "Task_Candidate",
            "Task_Declare",
            "Task_CheckResidence",
            "Gateway_Priority",
        ),
        Flow(
            "Gateway_Priority",
            "Gateway_PriorityMerge",
            "Xác nhận từ CSDL",
            "priority_confirmed == True",
        ),
        Flow(
            "Gateway_Priority",
            "Task_PriorityProof",
            "Chưa đủ thời gian thường trú",
            "priority_confirmed == False",
        ),
        Flow("Task_PriorityProof", "Gateway_PriorityMerge"),
        *intake_flows,
        Flow("Task_Appraise", "Gateway_Approved"),
        Flow("Gateway_Approved", "Task_Approve", "Đủ điều kiện", "approved == True"),
        Flow("Gateway_Approved", "Task_Refused", "Không đủ điều kiện", "approved == False"),
        Flow("Task_Refused", "End_Refused"),
        *seq("Task_Approve", "Task_Deliver", "Task_Result", "End_Done"),
        *t_flows,
    ]
    components = [
        comp(
            "DOR_PhieuDangKy",
            "Phiếu đăng ký dự thi (mẫu Phụ lục II, Thông tư 24/2024/TT-BGDĐT; khai trực tuyến trên hệ thống quản lý thi)",
            "exam_registration",
            "declaration_form",
            "electronic",
            EXAM_RULES,
            ["full_name", "identity_number", "date_of_birth", "upper_secondary_school"],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_UuTien",
            "Giấy tờ chứng nhận đối tượng, khu vực ưu tiên (nơi thường trú)",
            "priority_documents",
            "priority_proof",
            "certified_copy",
            EXAM_RULES,
            ["permanent_address", "residence_history", "ethnicity"],
            ["Task_PriorityProof", "Task_Appraise"],
            required=False,
            note="Nơi thường trú và thời gian thường trú có trong CSDL quốc gia về dân cư",
        ),
        comp(
            "DOR_Anh",
            "Ảnh cỡ 4x6 chụp không quá 06 tháng trước khi nộp hồ sơ",
            "portrait_photo",
            "photo",
            "original",
            EXAM_RULES,
            [],
            ["Task_Receive"],
        ),
        comp(
            "DOR_CanCuoc",
            "Bản sao thẻ căn cước",
            "identity_copy",
            "identity_card",
            "copy",
            EXAM_RULES,
            ["identity_number", "full_name", "date_of_birth"],
            ["Task_Receive"],
            note="Dữ liệu đã có trong CSDL quốc gia về dân cư",
        ),
    ]
    model = Model(
        "dang_ky_du_thi_tot_nghiep_thpt",
        "Đăng ký dự thi tốt nghiệp THPT và xét tuyển",
        "Sở Giáo dục và Đào tạo — Đăng ký dự thi tốt nghiệp THPT",
        None,
        lanes,
        nodes,
        flows,
        [timer],
        components,
        tag="THPT",
    )
    forms = {
        "thpt-dang-ky": form(
            "thpt-dang-ky",
            "Phiếu đăng ký dự thi tốt nghiệp THPT và xét tuyển",
            {
                **person_block("citizen", who="thí sinh"),
                "ethnicity": pf("Dân tộc", "population", "ethnicity", "citizen"),
                "upper_secondary_school": pf(
                    "Trường THPT", "exam_candidates", "upper_secondary_school", "candidate"
                ),
                "school_priority_area": pf(
                    "Khu vực ưu tiên của trường",
                    "exam_candidates",
                    "school_priority_area",
                    "candidate",
                ),
                "exam_subjects": text("Môn thi tự chọn"),
                "exam_cluster": text("Điểm thi đăng ký"),
                "claims_residence_priority": {
                    "type": "boolean",
                    "title": "Đề nghị hưởng ưu tiên theo nơi thường trú (khu vực 1, đối tượng 01)",
                },
                "priority_area_claimed": {
                    "type": "string",
                    "title": "Khu vực ưu tiên đề nghị",
                    "enum": ["KV1", "KV2-NT", "KV2", "KV3"],
                },
                "admission_wishes": text("Nguyện vọng xét tuyển (trường, ngành, theo thứ tự)"),
            },
            [
                "exam_subjects",
                "exam_cluster",
                "claims_residence_priority",
                "priority_area_claimed",
                "admission_wishes",
            ],
            "Thông tin nhân thân, nơi thường trú lấy từ CSDL quốc gia về dân cư; trường THPT từ hệ thống quản lý thi.",
        ),
        "thpt-uu-tien": form(
            "thpt-uu-tien",
            "Minh chứng nơi thường trú để hưởng ưu tiên",
            {
                "keeps_priority_claim": {
                    "type": "boolean",
                    "title": "Giữ đề nghị hưởng ưu tiên (đã tải minh chứng)",
                },
                "priority_file": attachment(
                    "Giấy tờ chứng minh nơi thường trú", "priority_documents"
                ),
            },
            ["keeps_priority_claim"],
        ),
        "thpt-so-bao-danh": form(
            "thpt-so-bao-danh",
            "Cấp số báo danh",
            {
                "candidate_number": text("Số báo danh"),
                "priority_granted": {
                    "type": "boolean",
                    "title": "Được hưởng ưu tiên theo nơi thường trú",
                },
            },
            ["candidate_number", "priority_granted"],
        ),
    }
    base = {
        "exam_subjects": "Vật lí, Hóa học",
        "exam_cluster": "Điểm thi Sở Giáo dục và Đào tạo",
        "admission_wishes": "1. Trường Đại học Bách khoa Hà Nội — Kỹ thuật điện",
    }
    examples = {
        "uu-tien-kv1-xac-nhan": {
            "name": "Thí sinh dân tộc Thái thường trú tại Xã Mường Lát từ khi sinh: ưu tiên xác nhận từ CSDL, không nộp giấy tờ",
            "applicant": "038309005555",
            "start": {"channel": "online", "data": {"applicant_id": "038309005555"}},
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": dict(base, claims_residence_priority=True, priority_area_claimed="KV1"),
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Appraise", "data": {"approved": True}},
                {
                    "task": "Task_Approve",
                    "data": {"candidate_number": "28000123", "priority_granted": True},
                },
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "registered",
                    "priority_confirmed": True,
                    "candidate": {"school_priority_area": "KV1"},
                },
                "completed_tasks": ["Task_Candidate", "Task_CheckResidence", "Task_Approve"],
            },
        },
        "uu-tien-chua-du-thoi-gian": {
            "name": "Mới chuyển thường trú về Xã Đà Bắc 6 tháng: phải bổ sung minh chứng; quá hạn",
            "applicant": "025209007777",
            "start": {"channel": "online", "data": {"applicant_id": "025209007777"}},
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": dict(base, claims_residence_priority=True, priority_area_claimed="KV1"),
                },
                {"task": "Task_PriorityProof", "data": {"keeps_priority_claim": False}},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P11D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Rà soát minh chứng ưu tiên",
                        "new_appointment": "2027-04-20",
                    },
                },
                {"task": "Task_Appraise", "data": {"approved": True}},
                {
                    "task": "Task_Approve",
                    "data": {"candidate_number": "15000456", "priority_granted": False},
                },
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "registered",
                    "priority_confirmed": False,
                    "residence_priority_ok": False,
                },
                "completed_tasks": ["Task_PriorityProof", "Task_Apology"],
            },
        },
        "khong-du-dieu-kien": {
            "name": "Thí sinh thành phố không đề nghị ưu tiên; thông tin sai, bổ sung; không đủ điều kiện dự thi",
            "applicant": "001209004321",
            "start": {"channel": "online", "data": {"applicant_id": "001209004321"}},
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": dict(
                        base, claims_residence_priority=False, priority_area_claimed="KV3"
                    ),
                },
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Sai môn thi tự chọn"},
                },
                {"task": "Task_Supplement", "data": {"supplement_note": "Đã sửa môn thi"}},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Chưa hoàn thành chương trình lớp 12 theo xác nhận của trường",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused", "priority_confirmed": True},
                "completed_tasks": ["Task_Supplement", "Task_Appraise"],
            },
        },
    }
    procedure = {
        "code": "1.005142",
        "name": {
            "vi": "Đăng ký dự thi tốt nghiệp trung học phổ thông và đăng ký xét tuyển",
            "en": "Upper-secondary graduation exam registration and admission",
        },
        "agency_level": "province",
        "agency": "Sở Giáo dục và Đào tạo (trường THPT tiếp nhận)",
        "field": "Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân",
        "legal_basis": [EXAM_RULES, ADMISSION_RULES, "Luật Giáo dục 2019"],
        "processing_time": time_limit(
            10,
            True,
            estimated(
                "Ước tính: bản ghi TTHC 1.005142 ghi thời hạn 'theo hướng dẫn tổ chức kỳ thi tốt nghiệp THPT hằng năm của Bộ Giáo dục và Đào tạo' (nơi đăng ký công bố thí sinh không đủ điều kiện chậm nhất 15 ngày trước ngày thi), không nêu số ngày"
            ),
        ),
        "fee": fee(
            0,
            0,
            estimated(
                "Thí sinh đăng ký dự thi tốt nghiệp không nộp lệ phí: bản ghi TTHC 1.005142 không nêu phí, lệ phí (chưa có văn bản xác nhận miễn); lệ phí xét tuyển đại học do trường quy định, không thuộc thủ tục này"
            ),
        ),
        "annual_volume": volume(
            1000000,
            estimated(
                "Khoảng 1 triệu thí sinh mỗi năm, 96,11% đăng ký trực tuyến năm 2024 (báo cáo của Bộ Thông tin và Truyền thông về dịch vụ công trực tuyến, tóm tắt trong tài liệu miền của dự án); số tròn, không phải số đếm"
            ),
        ),
        "delivery_level": "full_online",
        "notes": f"Ưu tiên theo nơi thường trú: thời gian thường trú trên {PRIORITY_MONTHS} tháng tại khu vực "
        "được ưu tiên, tính đến ngày thi (01/6 năm tốt nghiệp) từ quá trình cư trú trong CSDL quốc gia về "
        "dân cư. Ngưỡng 18 tháng theo Quy chế tuyển sinh (đối tượng 01, khu vực 1) chưa đối chiếu được "
        "điều khoản ngày 07/12/2026 — là ước tính.",
        "sources": {
            "code": exam_record("mã và tên thủ tục"),
            "agency": exam_record(
                "cơ quan thực hiện Sở Giáo dục và Đào tạo, cơ sở giáo dục; trường phổ thông nơi học "
                "lớp 12 (hoặc nơi đăng ký do Sở quy định) thu hồ sơ, tra cứu CSDL quốc gia về dân cư "
                "để xác nhận ưu tiên theo nơi thường trú, chuyển dữ liệu cho Sở"
            ),
            "components": {
                "exam_registration": exam_record(
                    "Phiếu đăng ký dự thi theo mẫu Phụ lục II Thông tư 24/2024/TT-BGDĐT (bản chính)"
                ),
                "priority_documents": exam_record(
                    "bản sao các loại chứng nhận hợp lệ để hưởng chế độ ưu tiên, khuyến khích (nếu có)"
                ),
                "portrait_photo": exam_record(
                    "ảnh cỡ 4x6 chụp không quá 06 tháng trước khi nộp hồ sơ (bản chính)"
                ),
                "identity_copy": estimated(
                    "Không có trong bản ghi TTHC 1.005142 (tài khoản thí sinh là số định danh, thông tin lấy từ CSDL dân cư): yêu cầu thường gặp trước khi kết nối CSDL dân cư (thực tiễn, chưa có nguồn)"
                ),
            },
        },
    }
    return {
        "slug": "dang-ky-du-thi-tot-nghiep-thpt",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }
