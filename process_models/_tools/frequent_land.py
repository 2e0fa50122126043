"""Land procedures people use most: registration of a change in land-use rights after a
transfer or gift, and registration of a mortgage of land-use rights (Văn phòng đăng ký đất
đai, Luật Đất đai 2024)."""

from __future__ import annotations

from bpmn_builder import Model, Node
from common import attachment, comp, form, person_block, pf, service, st, text, user
from frequent_common import estimated, fee, pay_data, portal, standard, time_limit, volume

LAND_LAW = "Luật Đất đai 2024 (31/2024/QH15)"
BIEN_DONG = ("1.013831", "3380/QĐ-BNNMT", "019d2bfa-7ece-728d-9b60-6563e0a7a94e")
THE_CHAP = ("1.011441", "570/QĐ-BTP", "019d2bfd-7e5d-7318-a451-84198f210213")
D151 = "Nghị định 151/2025/NĐ-CP (phân định thẩm quyền chính quyền địa phương 02 cấp trong lĩnh vực đất đai)"
D99 = "Nghị định 99/2022/NĐ-CP về đăng ký biện pháp bảo đảm (sửa đổi bởi Nghị định 18/2026/NĐ-CP)"
LANES = [
    ("citizen", "Citizen", "Người yêu cầu đăng ký"),
    ("one_stop_desk", "Desk", "Bộ phận Một cửa — Trung tâm Phục vụ hành chính công"),
    ("specialist", "Specialist", "Chi nhánh Văn phòng đăng ký đất đai"),
    ("leader", "Leader", "Giám đốc Văn phòng đăng ký đất đai"),
    ("other_agency", "Tax", "Cơ quan thuế (Thuế cơ sở)"),
]


def _prefill() -> Node:
    return service(
        "Task_Prefill",
        "Lấy thông tin người yêu cầu từ CSDL quốc gia về dân cư",
        "citizen",
        "population.lookup",
        {"identity_number": "applicant_id"},
        "citizen",
    )


def _parcel(lane: str = "one_stop_desk") -> Node:
    return service(
        "Task_Parcel",
        "Tra cứu thửa đất, Giấy chứng nhận, tình trạng thế chấp trong CSDL đất đai",
        lane,
        "land.lookup",
        {"land_certificate_number": "land_certificate_number"},
        "parcel",
        kind="verify",
    )


def _contract() -> Node:
    return service(
        "Task_Contract",
        "Xác thực hợp đồng đã công chứng trong CSDL công chứng",
        "one_stop_desk",
        "land_transactions.verify",
        {
            "document_type": '"notarized_contract"',
            "number": "notarial_contract_number",
            "identity_number": "applicant_id",
        },
        "contract_check",
        kind="verify",
    )


# -- Đăng ký biến động (chuyển nhượng, tặng cho) ---------------------------------------------
def dang_ky_bien_dong_dat_dai() -> dict:
    c, d, s, lead, tax = "citizen", "one_stop_desk", "specialist", "leader", "other_agency"
    code, decision, url = BIEN_DONG
    head = [
        _prefill(),
        user(
            "Task_Declare",
            "Khai Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 18)",
            c,
            "bdd-don",
            st(
                "submit",
                "citizen",
                "PT30M",
                legal=f"{D151} (Mẫu số 18); bản ghi TTHC {code}",
                citizen_time="PT1H",
            ),
        ),
        _parcel(),
        _contract(),
        service(
            "Task_Transferee",
            "Đối chiếu thông tin bên nhận chuyển quyền trong CSDL quốc gia về dân cư",
            d,
            "population.lookup",
            {"identity_number": "transferee_identity_number"},
            "transferee",
            kind="verify",
        ),
    ]
    nodes, flows, boundaries = standard(
        start_name="Yêu cầu đăng ký biến động do chuyển nhượng, tặng cho",
        head=head,
        receive_name="Tiếp nhận, kiểm tra thành phần hồ sơ; đối chiếu bản chính Giấy chứng nhận",
        receive_step=st(
            "receive",
            "one_stop_desk",
            "PT30M",
            "required",
            legal=f"Bản ghi TTHC {code}, bước 1–2: nộp bản gốc Giấy chứng nhận",
            citizen_time="PT2H",
        ),
        middle=[
            user(
                "Task_Handoff",
                "Chuyển hồ sơ đến Chi nhánh Văn phòng đăng ký đất đai",
                d,
                "chuyen-ho-so",
                st("handoff", "one_stop_desk", "PT1H", legal=f"Bản ghi TTHC {code}, bước 2"),
            )
        ],
        appraise=user(
            "Task_Appraise",
            "Thẩm định điều kiện thực hiện quyền (Điều 45 Luật Đất đai), tình trạng thế chấp",
            s,
            "tham-dinh-ho-so",
            st(
                "appraise",
                "specialist",
                "P2D",
                legal=f"Điều 45 {LAND_LAW}; bản ghi TTHC {code}, bước 3",
            ),
        ),
        approve_question="Đủ điều kiện thực hiện quyền?",
        refused_name="Thông báo lý do, trả hồ sơ",
        tail=[
            user(
                "Task_TaxTransfer",
                "Chuyển thông tin sang cơ quan thuế (Phiếu chuyển thông tin, Mẫu số 19)",
                s,
                "chuyen-ho-so",
                st(
                    "handoff",
                    "specialist",
                    "PT2H",
                    legal=f"{D151} (Mẫu số 19), sửa đổi bởi Nghị định 226/2025/NĐ-CP",
                ),
            ),
            user(
                "Task_TaxNotice",
                "Xác định, thông báo nộp thuế thu nhập cá nhân và lệ phí trước bạ",
                tax,
                "bdd-thong-bao-thue",
                st(
                    "appraise",
                    "other_agency",
                    "P3D",
                    legal="Luật Quản lý thuế 2019 (38/2019/QH14); Luật Thuế thu nhập cá nhân",
                ),
            ),
            user(
                "Task_PayTax",
                "Nộp tiền thuế thu nhập cá nhân, lệ phí trước bạ",
                c,
                "thanh-toan-le-phi",
                st("pay", "citizen", "PT15M", legal="Luật Quản lý thuế 2019", citizen_time="PT30M"),
            ),
            service(
                "Task_VerifyTax",
                "Xác thực chứng từ hoàn thành nghĩa vụ tài chính trên CSDL thuế",
                s,
                "tax.verify",
                {
                    "document_type": '"tax_payment_proof"',
                    "number": "payment_reference",
                    "identity_number": "applicant_id",
                },
                "tax_check",
                kind="verify",
            ),
            user(
                "Task_Update",
                "Chỉnh lý, cập nhật biến động vào hồ sơ địa chính, CSDL đất đai",
                s,
                "bdd-cap-nhat",
                st("other", "specialist", "P1D", legal=f"Bản ghi TTHC {code}, bước 3"),
            ),
            user(
                "Task_Approve",
                "Ký duyệt cấp Giấy chứng nhận mới hoặc chỉnh lý Giấy chứng nhận đã cấp",
                lead,
                "ky-duyet",
                st("sign", "leader", "PT30M"),
            ),
            user(
                "Task_Deliver",
                "Trao Giấy chứng nhận, thu bản chính giấy tờ (nếu đã nộp bản sao)",
                d,
                "tra-ket-qua",
                st(
                    "deliver_result",
                    "one_stop_desk",
                    "PT15M",
                    "required",
                    legal=f"Bản ghi TTHC {code}, bước 1: nộp bản chính khi nhận kết quả",
                    citizen_time="PT2H",
                ),
            ),
        ],
        result_value="registered",
        done_name="Đã đăng ký biến động",
        deadline="P18D",
    )
    components = [
        comp(
            "DOR_Don",
            "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 18)",
            "change_registration_form",
            "declaration_form",
            "original",
            f"{D151}; bản ghi TTHC {code}",
            [
                "full_name",
                "identity_number",
                "land_certificate_number",
                "land_parcel_number",
                "land_map_sheet",
            ],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_HopDong",
            "Hợp đồng, văn bản chuyển nhượng, tặng cho quyền sử dụng đất (đã công chứng, chứng thực)",
            "transfer_contract",
            "notarized_contract",
            "certified_copy",
            f"Điểm a khoản 3 Điều 27 {LAND_LAW}; bản ghi TTHC {code}",
            [
                "notarial_contract_number",
                "contract_type",
                "transferor_identity_number",
                "transferee_identity_number",
            ],
            ["Task_Receive", "Task_Appraise"],
            note="Hợp đồng công chứng đã có trong CSDL công chứng (Luật Công chứng 2024)",
        ),
        comp(
            "DOR_GCN",
            "Bản gốc Giấy chứng nhận quyền sử dụng đất đã cấp",
            "land_certificate_original",
            "land_use_certificate",
            "original",
            f"Bản ghi TTHC {code}",
            ["land_certificate_number", "land_owner", "land_parcel_number", "land_map_sheet"],
            ["Task_Receive", "Task_Update"],
            note="Bản gốc để xác nhận thay đổi; dữ liệu thửa đất có trong CSDL đất đai",
        ),
        comp(
            "DOR_DongYTheChap",
            "Văn bản đồng ý của bên nhận thế chấp (khi quyền sử dụng đất đang thế chấp)",
            "mortgagee_consent",
            "mortgagee_consent",
            "original",
            f"Bản ghi TTHC {code}",
            ["land_mortgage_status"],
            ["Task_Appraise"],
            required=False,
        ),
        comp(
            "DOR_TrichDo",
            "Mảnh trích đo bản đồ địa chính (khi đo đạc xác định lại kích thước, diện tích)",
            "cadastral_survey",
            "cadastral_extract",
            "original",
            f"Bản ghi TTHC {code}",
            ["land_area", "land_parcel_number", "land_map_sheet"],
            ["Task_Appraise"],
            required=False,
        ),
    ]
    model = Model(
        "dang_ky_bien_dong_dat_dai",
        "Đăng ký biến động quyền sử dụng đất do chuyển nhượng, tặng cho",
        "Văn phòng đăng ký đất đai — Đăng ký biến động",
        code,
        LANES,
        nodes,
        flows,
        boundaries,
        components,
        tag="BDD",
    )
    forms = {
        "bdd-don": form(
            "bdd-don",
            "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 18)",
            {
                **person_block("citizen", who="bên chuyển quyền"),
                "change_type": {
                    "type": "string",
                    "title": "Nội dung biến động",
                    "enum": [
                        "Chuyển nhượng quyền sử dụng đất",
                        "Tặng cho quyền sử dụng đất",
                        "Thừa kế quyền sử dụng đất",
                    ],
                },
                "land_certificate_number": text("Số phát hành Giấy chứng nhận đã cấp"),
                "notarial_contract_number": text("Số công chứng hợp đồng, văn bản chuyển quyền"),
                "transferee_identity_number": {
                    "type": "string",
                    "title": "Số định danh cá nhân của bên nhận chuyển quyền",
                    "pattern": "^[0-9]{12}$",
                },
                "new_certificate_requested": {
                    "type": "boolean",
                    "title": "Đề nghị cấp Giấy chứng nhận mới",
                },
                "contract_file": attachment(
                    "Hợp đồng chuyển quyền (bản số hóa từ bản chính)", "transfer_contract"
                ),
            },
            [
                "change_type",
                "land_certificate_number",
                "notarial_contract_number",
                "transferee_identity_number",
            ],
            "Thông tin bên chuyển quyền lấy từ CSDL quốc gia về dân cư.",
        ),
        "bdd-thong-bao-thue": form(
            "bdd-thong-bao-thue",
            "Thông báo nộp nghĩa vụ tài chính",
            {
                "personal_income_tax": {
                    "type": "integer",
                    "minimum": 0,
                    "title": "Thuế thu nhập cá nhân (đồng)",
                },
                "registration_fee": {
                    "type": "integer",
                    "minimum": 0,
                    "title": "Lệ phí trước bạ (đồng)",
                },
                "tax_notice_number": text("Số thông báo nộp tiền"),
            },
            ["personal_income_tax", "registration_fee", "tax_notice_number"],
        ),
        "bdd-cap-nhat": form(
            "bdd-cap-nhat",
            "Chỉnh lý hồ sơ địa chính",
            {
                "new_owner": pf("Người sử dụng đất mới", "population", "full_name", "transferee"),
                "new_certificate_number": {
                    "type": "string",
                    "title": "Số phát hành Giấy chứng nhận mới (nếu cấp mới)",
                },
                "update_note": text("Nội dung chỉnh lý"),
            },
            ["update_note"],
        ),
    }
    transfer = {
        "change_type": "Chuyển nhượng quyền sử dụng đất",
        "land_certificate_number": "DA 123456",
        "notarial_contract_number": "CC-2026-012345",
        "transferee_identity_number": "001205000123",
        "new_certificate_requested": True,
    }
    gift = {
        "change_type": "Tặng cho quyền sử dụng đất",
        "land_certificate_number": "CS 654321",
        "notarial_contract_number": "CC-2026-018888",
        "transferee_identity_number": "001192034567",
        "new_certificate_requested": False,
    }
    examples = {
        "chuyen-nhuong": {
            "name": "Chuyển nhượng thửa đất ở tại Phường Ba Đình; hợp đồng công chứng khớp CSDL; nộp thuế, cấp GCN mới",
            "applicant": "001090012345",
            "start": {"channel": "online", "data": {"applicant_id": "001090012345"}},
            "steps": [
                {"task": "Task_Declare", "data": transfer},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {
                    "task": "Task_Handoff",
                    "data": {"handoff_note": "Chuyển Chi nhánh VPĐKĐĐ khu vực Ba Đình"},
                },
                {"task": "Task_Appraise", "data": {"approved": True}},
                {
                    "task": "Task_TaxTransfer",
                    "data": {"handoff_note": "Phiếu chuyển thông tin số 2026/PCTT-0456"},
                },
                {
                    "task": "Task_TaxNotice",
                    "data": {
                        "personal_income_tax": 130000000,
                        "registration_fee": 32500000,
                        "tax_notice_number": "TB-2026-0098765",
                    },
                },
                {"task": "Task_PayTax", "data": pay_data("NVTC-2026-0098765", 162500000)},
                {
                    "task": "Task_Update",
                    "data": {
                        "update_note": "Chuyển tên người sử dụng đất sang Đặng Quốc Huy",
                        "new_certificate_number": "DK 778899",
                    },
                },
                {"task": "Task_Approve", "data": {"signed": True}},
                {
                    "task": "Task_Deliver",
                    "data": {"delivery_method": "Trực tiếp tại Bộ phận Một cửa"},
                },
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "registered",
                    "parcel": {"land_mortgage_status": "Không đăng ký thế chấp"},
                    "contract_check": {"valid": True},
                    "tax_check": {"valid": True},
                    "transferee": {"full_name": "Đặng Quốc Huy"},
                },
                "completed_tasks": [
                    "Task_Contract",
                    "Task_TaxNotice",
                    "Task_PayTax",
                    "Task_VerifyTax",
                    "Task_Update",
                ],
            },
        },
        "dang-the-chap": {
            "name": "Tặng cho thửa đất đang thế chấp, thiếu văn bản đồng ý của ngân hàng: bổ sung; quá hạn; trả hồ sơ",
            "applicant": "079185001234",
            "start": {"channel": "online", "data": {"applicant_id": "079185001234"}},
            "steps": [
                {"task": "Task_Declare", "data": gift},
                {
                    "task": "Task_Receive",
                    "data": {
                        "dossier_valid": False,
                        "missing_items": "Văn bản đồng ý của bên nhận thế chấp",
                    },
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Ngân hàng chưa đồng ý; nộp lại để được xem xét"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {"fire_timers": "P19D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Chờ ý kiến bên nhận thế chấp",
                        "new_appointment": "2026-12-30",
                    },
                },
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Quyền sử dụng đất đang thế chấp, không có văn bản đồng ý của bên nhận thế chấp",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused", "parcel": {"land_certificate_number": "CS 654321"}},
                "completed_tasks": ["Task_Supplement", "Task_Apology", "Task_Appraise"],
            },
        },
    }
    procedure = {
        "code": code,
        "name": {
            "vi": "Đăng ký biến động quyền sử dụng đất, tài sản gắn liền với đất do chuyển nhượng, tặng cho",
            "en": "Registration of a change in land-use rights (transfer, gift)",
        },
        "agency_level": "province",
        "agency": "Văn phòng đăng ký đất đai, Chi nhánh Văn phòng đăng ký đất đai (thuộc Sở Nông nghiệp và Môi trường)",
        "field": "Đất đai",
        "legal_basis": [
            f"{LAND_LAW} (Điều 27, 45, 133)",
            "Nghị định 101/2024/NĐ-CP",
            D151,
            "Nghị định 226/2025/NĐ-CP",
            "Nghị định 118/2025/NĐ-CP",
        ],
        "processing_time": time_limit(
            18,
            True,
            portal(
                code,
                decision,
                url,
                "18 ngày làm việc (trực tuyến, trực tiếp) như bản ghi công bố; dòng bưu chính ghi 04 ngày làm việc, nghi là lỗi nhập liệu",
            ),
        ),
        "fee": fee(
            0,
            0,
            portal(
                code,
                decision,
                url,
                "miễn phí theo bản ghi; lệ phí cấp Giấy chứng nhận, phí thẩm định hồ sơ do HĐND cấp tỉnh quyết định; thuế thu nhập cá nhân và lệ phí trước bạ là nghĩa vụ tài chính, không phải phí thủ tục",
            ),
        ),
        "annual_volume": volume(
            2500000,
            estimated(
                "Ước tính của nhóm phát triển; chưa có số liệu công bố của Bộ Nông nghiệp và Môi trường"
            ),
        ),
        "delivery_level": "partial_online",
        "notes": "Chứng từ hoàn thành nghĩa vụ tài chính không phải thành phần hồ sơ nộp ban đầu: cơ "
        "quan thuế thông báo sau khi Văn phòng đăng ký đất đai gửi Phiếu chuyển thông tin; việc nộp "
        "được xác thực trên CSDL thuế.",
        "sources": {
            "code": portal(code, decision, url),
            "agency": portal(
                code,
                decision,
                url,
                "Văn phòng đăng ký đất đai, Chi nhánh Văn phòng đăng ký đất đai; nộp tại Trung tâm Phục vụ hành chính công",
            ),
            "components": {
                "change_registration_form": portal(
                    code,
                    decision,
                    url,
                    "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất theo Mẫu số 18",
                ),
                "transfer_contract": portal(
                    code, decision, url, "Hợp đồng hoặc văn bản về việc chuyển quyền sử dụng đất"
                ),
                "land_certificate_original": portal(
                    code, decision, url, "Bản gốc Giấy chứng nhận đã cấp"
                ),
                "mortgagee_consent": portal(
                    code,
                    decision,
                    url,
                    "Văn bản của bên nhận thế chấp đồng ý cho chuyển nhượng, tặng cho",
                ),
                "cadastral_survey": portal(
                    code,
                    decision,
                    url,
                    "Mảnh trích đo bản đồ địa chính thửa đất (khi có nhu cầu đo đạc)",
                ),
            },
        },
    }
    return {
        "slug": "dang-ky-bien-dong-dat-dai",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


# -- Đăng ký thế chấp quyền sử dụng đất ------------------------------------------------------
def dang_ky_the_chap_dat() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    code, decision, url = THE_CHAP
    head = [
        _prefill(),
        user(
            "Task_Declare",
            "Khai Phiếu yêu cầu đăng ký biện pháp bảo đảm (Mẫu số 01a)",
            c,
            "tcd-phieu-yeu-cau",
            st("submit", "citizen", "PT20M", legal=f"Khoản 1 Điều 27 {D99}", citizen_time="PT30M"),
        ),
        _contract(),
        _parcel(),
        user(
            "Task_Pay",
            "Nộp phí đăng ký biện pháp bảo đảm",
            c,
            "thanh-toan-le-phi",
            st(
                "pay",
                "citizen",
                "PT5M",
                legal="Luật Phí và lệ phí 2015, Phụ lục 01 mục XII.8 (HĐND cấp tỉnh quyết định)",
                citizen_time="PT10M",
            ),
        ),
    ]
    nodes, flows, boundaries = standard(
        start_name="Yêu cầu đăng ký thế chấp quyền sử dụng đất",
        head=head,
        receive_name="Tiếp nhận hồ sơ đăng ký, ghi thời điểm tiếp nhận",
        receive_step=st("receive", "one_stop_desk", "PT15M", legal=f"Điều 16 {D99}"),
        middle=[],
        appraise=user(
            "Task_Appraise",
            "Thẩm định căn cứ từ chối đăng ký (khoản 1 Điều 15 Nghị định 99/2022/NĐ-CP)",
            s,
            "tham-dinh-ho-so",
            st("appraise", "specialist", "PT2H", legal=f"Khoản 1 Điều 15 {D99}"),
        ),
        approve_question="Không có căn cứ từ chối?",
        refused_name="Từ chối đăng ký, nêu rõ lý do",
        tail=[
            user(
                "Task_Record",
                "Cập nhật nội dung, thời điểm đăng ký vào CSDL đất đai; chứng nhận trên Phiếu yêu cầu",
                s,
                "tcd-ghi-nhan",
                st("other", "specialist", "PT30M", legal=f"Bản ghi TTHC {code}; {D99}"),
            ),
            user(
                "Task_Approve",
                "Ký chứng nhận đăng ký biện pháp bảo đảm",
                lead,
                "ky-duyet",
                st("sign", "leader", "PT15M"),
            ),
            user(
                "Task_Deliver",
                "Trả kết quả đăng ký (điện tử hoặc bản giấy)",
                d,
                "tra-ket-qua",
                st("deliver_result", "one_stop_desk", "PT10M"),
            ),
        ],
        result_value="registered",
        done_name="Đã đăng ký thế chấp",
        deadline="P3D",
    )
    components = [
        comp(
            "DOR_PhieuYeuCau",
            "Phiếu yêu cầu đăng ký biện pháp bảo đảm (Mẫu số 01a)",
            "security_request",
            "declaration_form",
            "original",
            f"Khoản 1 Điều 27 {D99}",
            ["full_name", "identity_number", "land_certificate_number"],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_HopDongBaoDam",
            "Hợp đồng bảo đảm (có công chứng, chứng thực khi luật quy định)",
            "security_contract",
            "notarized_contract",
            "certified_copy",
            f"Khoản 2 Điều 27 {D99}",
            ["notarial_contract_number", "contract_type", "mortgagee"],
            ["Task_Appraise"],
            note="Hợp đồng thế chấp đã công chứng có trong CSDL công chứng",
        ),
        comp(
            "DOR_GCN",
            "Giấy chứng nhận quyền sử dụng đất (bản gốc)",
            "land_certificate_original",
            "land_use_certificate",
            "original",
            f"Khoản 3 Điều 27 {D99}; khoản 5a Điều 5 (Nghị định 18/2026/NĐ-CP)",
            ["land_certificate_number", "land_owner", "land_parcel_number"],
            ["Task_Receive"],
            note="Được thay bằng khai thác thông tin từ CSDL đất đai (khoản 5a Điều 5 Nghị định 99/2022/NĐ-CP, "
            "sửa đổi bởi Nghị định 18/2026/NĐ-CP); chỉ yêu cầu khi không khai thác được",
        ),
    ]
    model = Model(
        "dang_ky_the_chap_dat",
        "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
        "Văn phòng đăng ký đất đai — Đăng ký biện pháp bảo đảm",
        code,
        LANES[:4],
        nodes,
        flows,
        boundaries,
        components,
        tag="TCD",
    )
    forms = {
        "tcd-phieu-yeu-cau": form(
            "tcd-phieu-yeu-cau",
            "Phiếu yêu cầu đăng ký biện pháp bảo đảm bằng quyền sử dụng đất (Mẫu số 01a)",
            {
                **person_block("citizen", who="bên bảo đảm"),
                "mortgagee_name": text("Bên nhận bảo đảm"),
                "notarial_contract_number": text("Số công chứng hợp đồng thế chấp"),
                "land_certificate_number": text("Số phát hành Giấy chứng nhận"),
                "secured_obligation": text("Nghĩa vụ được bảo đảm"),
            },
            [
                "mortgagee_name",
                "notarial_contract_number",
                "land_certificate_number",
                "secured_obligation",
            ],
        ),
        "tcd-ghi-nhan": form(
            "tcd-ghi-nhan",
            "Ghi nhận đăng ký biện pháp bảo đảm",
            {
                "registered_at": {
                    "type": "string",
                    "format": "date-time",
                    "title": "Thời điểm đăng ký (giờ, phút, ngày, tháng, năm)",
                }
            },
            ["registered_at"],
        ),
    }
    mortgage = {
        "mortgagee_name": "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam – Chi nhánh Ba Đình",
        "notarial_contract_number": "TC-2026-000777",
        "land_certificate_number": "DA 123456",
        "secured_obligation": "Khoản vay 3.000.000.000 đồng theo hợp đồng tín dụng số 77/2026/HĐTD",
    }
    examples = {
        "the-chap-vay-von": {
            "name": "Thế chấp thửa đất để vay vốn ngân hàng; GCN khai thác từ CSDL đất đai",
            "applicant": "001090012345",
            "start": {"channel": "online", "data": {"applicant_id": "001090012345"}},
            "steps": [
                {"task": "Task_Declare", "data": mortgage},
                {"task": "Task_Pay", "data": pay_data("PAY-2026-DKBD-0777", 80000)},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Appraise", "data": {"approved": True}},
                {"task": "Task_Record", "data": {"registered_at": "2026-12-07T10:15:00+07:00"}},
                {"task": "Task_Approve", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "registered",
                    "contract_check": {"valid": True},
                    "parcel": {"land_owner": "Nguyễn Văn An"},
                },
                "completed_tasks": ["Task_Contract", "Task_Parcel", "Task_Record"],
            },
        },
        "khong-phai-chu-su-dung": {
            "name": "Người yêu cầu không phải bên thế chấp trong hợp đồng: từ chối",
            "applicant": "001205000123",
            "start": {"channel": "online", "data": {"applicant_id": "001205000123"}},
            "steps": [
                {"task": "Task_Declare", "data": mortgage},
                {"task": "Task_Pay", "data": pay_data("PAY-2026-DKBD-0778", 80000)},
                {
                    "task": "Task_Receive",
                    "data": {
                        "dossier_valid": False,
                        "missing_items": "Văn bản ủy quyền của bên thế chấp",
                    },
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Không có văn bản ủy quyền"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P4D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Chờ xác minh bên thế chấp",
                        "new_appointment": "2026-12-14",
                    },
                },
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Người yêu cầu đăng ký không phải bên bảo đảm (khoản 1 Điều 15)",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "refused",
                    "contract_check": {"valid": False, "status": "holder_mismatch"},
                },
                "completed_tasks": ["Task_Supplement", "Task_Apology", "Task_Appraise"],
            },
        },
    }
    procedure = {
        "code": code,
        "name": {
            "vi": "Đăng ký biện pháp bảo đảm (thế chấp) bằng quyền sử dụng đất, tài sản gắn liền với đất",
            "en": "Registration of a mortgage of land-use rights",
        },
        "agency_level": "province",
        "agency": "Văn phòng đăng ký đất đai, Chi nhánh Văn phòng đăng ký đất đai (thuộc Sở Nông nghiệp và Môi trường)",
        "field": "Đăng ký biện pháp bảo đảm",
        "legal_basis": [D99, "Bộ luật Dân sự 2015 (Điều 317–327)", LAND_LAW],
        "processing_time": time_limit(
            3,
            True,
            portal(
                code,
                decision,
                url,
                "trong ngày làm việc nhận hồ sơ hợp lệ (sau 15 giờ thì ngày làm việc tiếp theo); có lý do chính đáng không quá 03 ngày làm việc (khoản 1 Điều 16 Nghị định 99/2022/NĐ-CP)",
            ),
        ),
        "fee": fee(
            80000,
            80000,
            estimated(
                "HĐND cấp tỉnh quyết định mức phí (bản ghi TTHC 1.011441; Luật Phí và lệ phí 2015, Phụ lục 01 mục XII.8); 80.000 đồng là mức ước tính"
            ),
        ),
        "annual_volume": volume(
            1500000,
            estimated("Ước tính của nhóm phát triển; chưa có số liệu công bố của Bộ Tư pháp"),
        ),
        "delivery_level": "full_online",
        "sources": {
            "code": portal(code, decision, url),
            "agency": portal(
                code,
                decision,
                url,
                "Văn phòng đăng ký đất đai trực thuộc Sở Nông nghiệp và Môi trường, Chi nhánh",
            ),
            "components": {
                "security_request": portal(
                    code,
                    decision,
                    url,
                    "Phiếu yêu cầu theo Mẫu số 01a (khoản 1 Điều 27 Nghị định 99/2022/NĐ-CP)",
                ),
                "security_contract": portal(
                    code, decision, url, "Hợp đồng bảo đảm (khoản 2 Điều 27)"
                ),
                "land_certificate_original": portal(
                    code,
                    decision,
                    url,
                    "Giấy chứng nhận (bản gốc), được thay bằng khai thác CSDL đất đai theo Nghị định 18/2026/NĐ-CP",
                ),
            },
        },
    }
    return {
        "slug": "dang-ky-the-chap-dat",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }
