"""Road procedures people use most: first registration of a motorcycle with its plate,
payment of a camera-detected traffic fine, and registration of a fixed passenger route."""

from __future__ import annotations

from bpmn_builder import Boundary, Flow, Model, Node
from common import (
    APOLOGY_BASIS,
    attachment,
    comp,
    date,
    form,
    intake,
    person_block,
    pf,
    script,
    seq,
    service,
    st,
    text,
    user,
)
from frequent_common import estimated, fee, pay_data, portal, standard, time_limit, volume

ROAD_LAW = "Luật Trật tự, an toàn giao thông đường bộ 2024 (36/2024/QH15)"
TT79 = "Thông tư 79/2024/TT-BCA (sửa đổi bởi Thông tư 13/2025/TT-BCA)"
XE_MAY = ("1.013067", "1383/QĐ-BCA", "019d2bf7-8ebf-754a-8107-e996c9e1c18a")
XE_MAY_ONLINE = ("1.012575", "1383/QĐ-BCA", "019d2bf7-8ec4-71e9-98c9-719f7565b157")
TUYEN = ("2.002285", "662/QĐ-BXD", "019d2bfe-a02c-754e-9e9e-ab0fa592c466")
XLVPHC = "Luật Xử lý vi phạm hành chính 2012 (sửa đổi 2020, 2025)"


# -- Đăng ký xe mô tô, cấp biển số lần đầu -------------------------------------------------
def dang_ky_xe_mo_to() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    code, decision, url = XE_MAY
    lanes = [
        (c, "Citizen", "Chủ xe"),
        (d, "Desk", "Bộ phận tiếp nhận — Công an cấp xã"),
        (s, "Specialist", "Cán bộ đăng ký xe, Công an cấp xã"),
        (lead, "Leader", "Trưởng Công an cấp xã"),
    ]
    head = [
        service(
            "Task_Prefill",
            "Lấy thông tin chủ xe từ CSDL quốc gia về dân cư",
            c,
            "population.lookup",
            {"identity_number": "applicant_id"},
            "citizen",
        ),
        user(
            "Task_Declare",
            "Kê khai Giấy khai đăng ký xe (ĐKX10) trên Cổng Dịch vụ công, ký số",
            c,
            "dkx-giay-khai",
            st(
                "submit",
                "citizen",
                "PT20M",
                legal=f"{TT79} (mẫu ĐKX10/79); bản ghi TTHC {code}, bước 1",
                citizen_time="PT30M",
            ),
        ),
        service(
            "Task_FactoryLookup",
            "Lấy dữ liệu Phiếu kiểm tra chất lượng xuất xưởng theo số khung",
            d,
            "vehicles.lookup",
            {"vehicle_frame_number": "vehicle_frame_number"},
            "factory",
            kind="verify",
        ),
        service(
            "Task_VerifyInvoice",
            "Xác thực hóa đơn điện tử mua xe trên CSDL thuế",
            d,
            "tax.verify",
            {
                "document_type": '"e_invoice"',
                "number": "invoice_number",
                "identity_number": "applicant_id",
            },
            "invoice_check",
            kind="verify",
        ),
        service(
            "Task_VerifyRegistrationFee",
            "Xác thực chứng từ nộp lệ phí trước bạ trên CSDL thuế",
            d,
            "tax.verify",
            {
                "document_type": '"tax_payment_proof"',
                "number": "registration_tax_receipt",
                "identity_number": "applicant_id",
            },
            "fee_check",
            kind="verify",
        ),
    ]
    nodes, flows, boundaries = standard(
        start_name="Đề nghị đăng ký xe, cấp biển số lần đầu",
        head=head,
        receive_name="Tiếp nhận mã hồ sơ trực tuyến, giấy tờ chủ xe và giấy tờ xe",
        receive_step=st(
            "receive",
            "one_stop_desk",
            "PT15M",
            "required",
            legal=f"Bản ghi TTHC {code}, bước 3",
            citizen_time="PT2H",
        ),
        middle=[],
        appraise=user(
            "Task_Inspect",
            "Kiểm tra thực tế xe: đối chiếu số khung, số máy với hồ sơ",
            s,
            "dkx-kiem-tra-xe",
            st(
                "inspect",
                "specialist",
                "PT15M",
                "required_by_law",
                legal=f"Bản ghi TTHC {code}, bước 3 (Quyết định 1383/QĐ-BCA): chủ xe đưa xe đến để kiểm tra thực tế, theo {TT79} — điều khoản của thông tư chưa đối chiếu",
                citizen_time="PT30M",
            ),
        ),
        approve_question="Xe và hồ sơ hợp lệ?",
        refused_name="Hướng dẫn bổ sung, không đăng ký",
        tail=[
            user(
                "Task_Plate",
                "Cấp biển số (biển số định danh mới hoặc biển số định danh đã có)",
                s,
                "dkx-bien-so",
                st(
                    "other",
                    "specialist",
                    "PT10M",
                    legal=f"Bản ghi TTHC {code}, bước 4: cấp ngay sau khi nhận đủ hồ sơ hợp lệ",
                ),
            ),
            user(
                "Task_Pay",
                "Nộp lệ phí đăng ký, cấp biển số",
                c,
                "thanh-toan-le-phi",
                st(
                    "pay",
                    "citizen",
                    "PT10M",
                    legal="Thông tư 60/2023/TT-BTC (sửa đổi bởi Thông tư 06/2025/TT-BTC)",
                    citizen_time="PT15M",
                ),
            ),
            user(
                "Task_Approve",
                "Ký chứng nhận đăng ký xe",
                lead,
                "ky-duyet",
                st("sign", "leader", "PT15M"),
            ),
            user(
                "Task_Deliver",
                "Trả chứng nhận đăng ký xe (bưu chính hoặc tại cơ quan đăng ký)",
                d,
                "tra-ket-qua",
                st(
                    "deliver_result",
                    "one_stop_desk",
                    "PT10M",
                    legal=f"Bản ghi TTHC {code}: không quá 02 ngày làm việc",
                ),
            ),
        ],
        result_value="registered",
        done_name="Đã đăng ký xe, cấp biển số",
        deadline="P2D",
    )
    components = [
        comp(
            "DOR_GiayKhai",
            "Giấy khai đăng ký xe (mẫu ĐKX10/79)",
            "vehicle_declaration",
            "declaration_form",
            "original",
            f"{TT79}; Thông tư 13/2025/TT-BCA (mẫu ĐKX10/79)",
            [
                "full_name",
                "identity_number",
                "vehicle_frame_number",
                "vehicle_engine_number",
                "vehicle_brand",
            ],
            ["Task_Receive", "Task_Inspect"],
        ),
        comp(
            "DOR_GiayToChuXe",
            "Giấy tờ của chủ xe (thẻ căn cước)",
            "owner_identity",
            "identity_card",
            "original",
            f"{TT79}; bản ghi TTHC {code}",
            ["identity_number", "full_name", "permanent_address"],
            ["Task_Receive"],
            note="Dữ liệu đã có trong CSDL quốc gia về dân cư; tài khoản định danh điện tử mức độ 2 thay giấy tờ (bản ghi TTHC 1.012575)",
        ),
        comp(
            "DOR_NguonGoc",
            "Chứng nhận nguồn gốc xe (Phiếu kiểm tra chất lượng xuất xưởng)",
            "vehicle_origin",
            "vehicle_factory_certificate",
            "original",
            f"{TT79}; bản ghi TTHC {code}",
            ["vehicle_frame_number", "vehicle_engine_number", "vehicle_factory_certificate_number"],
            ["Task_Receive", "Task_Inspect"],
            note="Dữ liệu điện tử của phiếu xuất xưởng do cơ sở sản xuất truyền lên (bản ghi TTHC 1.012575)",
        ),
        comp(
            "DOR_HoaDon",
            "Chứng nhận quyền sở hữu hợp pháp (hóa đơn bán xe)",
            "vehicle_invoice",
            "e_invoice",
            "original",
            f"{TT79}; bản ghi TTHC {code}",
            ["full_name", "vehicle_frame_number"],
            ["Task_Receive"],
            note="Hóa đơn điện tử có trong CSDL của cơ quan thuế",
        ),
        comp(
            "DOR_LePhiTruocBa",
            "Chứng từ hoàn thành nghĩa vụ tài chính (lệ phí trước bạ)",
            "registration_tax_receipt",
            "tax_payment_proof",
            "original",
            f"{TT79}; bản ghi TTHC {code}",
            ["tax_code"],
            ["Task_Receive"],
            note="Chứng từ điện tử nộp lệ phí trước bạ có trong CSDL của cơ quan thuế",
        ),
    ]
    model = Model(
        "dang_ky_xe_mo_to",
        "Đăng ký xe mô tô, xe gắn máy, cấp biển số lần đầu",
        "Công an cấp xã — Đăng ký xe mô tô, xe gắn máy",
        code,
        lanes,
        nodes,
        flows,
        boundaries,
        components,
        tag="DKX",
    )
    forms = {
        "dkx-giay-khai": form(
            "dkx-giay-khai",
            "Giấy khai đăng ký xe (ĐKX10/79)",
            {
                **person_block("citizen", who="chủ xe"),
                "phone": pf("Số điện thoại", "population", "phone", "citizen"),
                "vehicle_frame_number": text("Số khung", pattern="^[A-Z0-9]{17}$"),
                "vehicle_engine_number": text("Số máy"),
                "vehicle_brand": text("Nhãn hiệu"),
                "vehicle_model": text("Số loại"),
                "vehicle_colour": text("Màu sơn"),
                "invoice_number": text("Số hóa đơn điện tử mua xe"),
                "registration_tax_receipt": text("Số chứng từ nộp lệ phí trước bạ"),
                "plate_choice": {
                    "type": "string",
                    "title": "Biển số",
                    "enum": ["Cấp biển số định danh mới", "Dùng biển số định danh đã có"],
                },
                "delivery_by_post": {
                    "type": "boolean",
                    "title": "Nhận chứng nhận đăng ký xe qua bưu chính",
                },
                "invoice_file": attachment(
                    "Hóa đơn mua xe (nếu không có hóa đơn điện tử)", "vehicle_invoice"
                ),
            },
            [
                "vehicle_frame_number",
                "vehicle_engine_number",
                "vehicle_brand",
                "invoice_number",
                "registration_tax_receipt",
                "plate_choice",
            ],
            "Thông tin chủ xe lấy từ CSDL quốc gia về dân cư.",
        ),
        "dkx-kiem-tra-xe": form(
            "dkx-kiem-tra-xe",
            "Kiểm tra thực tế xe",
            {
                "frame_matches": {"type": "boolean", "title": "Số khung đúng với hồ sơ"},
                "engine_matches": {"type": "boolean", "title": "Số máy đúng với hồ sơ"},
                "approved": {"type": "boolean", "title": "Xe và hồ sơ hợp lệ"},
                "refusal_reason": {"type": "string", "title": "Nội dung cần bổ sung, hoàn thiện"},
            },
            ["frame_matches", "engine_matches", "approved"],
        ),
        "dkx-bien-so": form(
            "dkx-bien-so",
            "Cấp biển số xe",
            {
                "vehicle_plate": text("Biển số được cấp"),
                "registration_certificate_number": text("Số chứng nhận đăng ký xe"),
            },
            ["vehicle_plate", "registration_certificate_number"],
        ),
    }
    honda = {
        "vehicle_frame_number": "RLHJK1234RY000123",
        "vehicle_engine_number": "JK12E-0001234",
        "vehicle_brand": "Honda",
        "vehicle_model": "Vision 110",
        "vehicle_colour": "Đỏ đen",
        "invoice_number": "HDDT-2026-00045678",
        "registration_tax_receipt": "LPTB-2026-001234",
        "plate_choice": "Cấp biển số định danh mới",
        "delivery_by_post": True,
    }
    yamaha = {
        "vehicle_frame_number": "RLCUE5678RY000456",
        "vehicle_engine_number": "E3Y6E-0005679",
        "vehicle_brand": "Yamaha",
        "vehicle_model": "Janus 125",
        "vehicle_colour": "Trắng",
        "invoice_number": "HDDT-2026-00049999",
        "registration_tax_receipt": "LPTB-2026-004321",
        "plate_choice": "Cấp biển số định danh mới",
    }
    examples = {
        "xe-moi-hop-le": {
            "name": "Xe mô tô mới mua, giấy tờ điện tử khớp CSDL, kiểm tra xe đạt",
            "applicant": "001205000123",
            "start": {"channel": "online", "data": {"applicant_id": "001205000123"}},
            "steps": [
                {"task": "Task_Declare", "data": honda},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {
                    "task": "Task_Inspect",
                    "data": {"frame_matches": True, "engine_matches": True, "approved": True},
                },
                {
                    "task": "Task_Plate",
                    "data": {
                        "vehicle_plate": "29K1-234.56",
                        "registration_certificate_number": "ĐKX-001-2026-045678",
                    },
                },
                {"task": "Task_Pay", "data": pay_data("PAY-2026-DKX-0091", 2000000)},
                {"task": "Task_Approve", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Bưu chính công ích"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "registered",
                    "factory": {"vehicle_engine_number": "JK12E-0001234", "vehicle_brand": "Honda"},
                    "invoice_check": {"valid": True},
                    "fee_check": {"valid": True},
                },
                "completed_tasks": [
                    "Task_FactoryLookup",
                    "Task_VerifyInvoice",
                    "Task_Inspect",
                    "Task_Plate",
                ],
            },
        },
        "so-may-khong-khop": {
            "name": "Số máy khai sai: bổ sung; quá hạn; kiểm tra thực tế không khớp",
            "applicant": "031303009876",
            "start": {"channel": "online", "data": {"applicant_id": "031303009876"}},
            "steps": [
                {"task": "Task_Declare", "data": yamaha},
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Bản chà số khung, số máy"},
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Đã nộp bản chà số khung, số máy"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P3D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Chờ xác minh nguồn gốc xe",
                        "new_appointment": "2026-12-11",
                    },
                },
                {
                    "task": "Task_Inspect",
                    "data": {
                        "frame_matches": True,
                        "engine_matches": False,
                        "approved": False,
                        "refusal_reason": "Số máy thực tế E3Y6E-0005678 khác số máy kê khai",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "refused",
                    "factory": {"vehicle_engine_number": "E3Y6E-0005678"},
                },
                "completed_tasks": ["Task_Supplement", "Task_Apology", "Task_Inspect"],
            },
        },
    }
    procedure = {
        "code": code,
        "name": {
            "vi": "Đăng ký xe mô tô, xe gắn máy, cấp biển số lần đầu (dịch vụ công một phần, trực tiếp)",
            "en": "First registration and plates of a motorcycle or moped",
        },
        "agency_level": "commune",
        "agency": "Công an cấp xã",
        "field": "Đăng ký, quản lý phương tiện giao thông cơ giới đường bộ",
        "legal_basis": [
            ROAD_LAW,
            TT79,
            "Thông tư 60/2023/TT-BTC (sửa đổi bởi Thông tư 06/2025/TT-BTC): lệ phí đăng ký, cấp biển số",
        ],
        "processing_time": time_limit(
            2,
            True,
            portal(
                code,
                decision,
                url,
                "cấp biển số ngay khi nhận đủ hồ sơ hợp lệ; cấp chứng nhận đăng ký xe không quá 02 ngày làm việc",
            ),
        ),
        "fee": fee(
            2000000,
            2000000,
            estimated(
                "Thông tư 60/2023/TT-BTC: xe mô tô trị giá trên 15 đến 40 triệu đồng tại khu vực I "
                "(Hà Nội, TP. Hồ Chí Minh) 2.000.000 đồng — mức chưa đối chiếu được; bản ghi TTHC "
                "1.013067 chỉ dẫn chiếu Thông tư 60/2023/TT-BTC và Thông tư 06/2025/TT-BTC"
            ),
        ),
        "annual_volume": volume(
            3000000, estimated("Ước tính của nhóm phát triển (số xe máy đăng ký mới mỗi năm)")
        ),
        "delivery_level": "partial_online",
        "notes": "Kiểm tra thực tế xe là bước pháp luật yêu cầu chủ xe đưa xe đến. Với xe sản xuất, "
        "lắp ráp trong nước, thủ tục toàn trình 1.012575 (Quyết định 1383/QĐ-BCA) thay bước này bằng "
        "dữ liệu điện tử của phiếu xuất xưởng, hóa đơn điện tử và lệ phí trước bạ, chủ xe nộp lại "
        "phiếu có bản chà số khung, số máy khi nhận kết quả.",
        "sources": {
            "code": portal(code, decision, url),
            "agency": portal(
                code,
                decision,
                url,
                "Cục Cảnh sát giao thông, Công an tỉnh, Công an cấp xã; xe mô tô của cá nhân đăng ký tại Công an cấp xã",
            ),
            "components": {
                "vehicle_declaration": portal(
                    code,
                    decision,
                    url,
                    "Giấy khai đăng ký xe (mẫu ĐKX10/79, Thông tư 13/2025/TT-BCA)",
                ),
                "owner_identity": portal(code, decision, url, "giấy tờ của chủ xe theo quy định"),
                "vehicle_origin": portal(
                    code, decision, url, "giấy tờ của xe: chứng nhận nguồn gốc xe"
                ),
                "vehicle_invoice": portal(
                    code, decision, url, "giấy tờ của xe: chứng nhận quyền sở hữu hợp pháp"
                ),
                "registration_tax_receipt": portal(
                    code, decision, url, "giấy tờ của xe: chứng từ hoàn thành nghĩa vụ tài chính"
                ),
            },
        },
    }
    return {
        "slug": "dang-ky-xe-mo-to",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


# -- Nộp phạt vi phạm giao thông phát hiện qua hình ảnh (phạt nguội) -------------------------
def nop_phat_vi_pham_giao_thong() -> dict:
    c, s, lead, d = "citizen", "specialist", "leader", "one_stop_desk"
    lanes = [
        (c, "Citizen", "Chủ phương tiện, người vi phạm"),
        (d, "Desk", "Bộ phận xử lý vi phạm qua hình ảnh — Phòng Cảnh sát giao thông"),
        (s, "Specialist", "Cán bộ xử lý vi phạm, Phòng Cảnh sát giao thông Công an cấp tỉnh"),
        (lead, "Leader", "Người có thẩm quyền xử phạt"),
    ]
    nodes = [
        Node(
            "Start_Request",
            "start",
            "Tra cứu vi phạm, nộp phạt trực tuyến",
            c,
            form="phatnguoi-tra-cuu",
        ),
        service(
            "Task_Prefill",
            "Lấy thông tin người nộp từ CSDL quốc gia về dân cư",
            c,
            "population.lookup",
            {"identity_number": "applicant_id"},
            "citizen",
        ),
        service(
            "Task_Violations",
            "Tra cứu vi phạm của phương tiện trong CSDL xử lý vi phạm giao thông",
            c,
            "traffic_violations.lookup",
            {"vehicle_plate": "vehicle_plate"},
            "violations",
            kind="verify",
        ),
        script(
            "Task_PickViolation",
            "Lọc vi phạm còn tồn đọng",
            c,
            "violation = {}\n"
            'for item in violations["traffic_violations"]:\n'
            '    if item["status"] == "Chưa nộp phạt" and violation == {}:\n'
            "        violation = item\n"
            "has_unpaid = violation != {}",
        ),
        Node("Gateway_HasUnpaid", "xor", "Có vi phạm chưa nộp phạt?", c),
        Node("End_Nothing", "end", "Không có vi phạm chưa nộp phạt", c),
        user(
            "Task_Acknowledge",
            "Khai báo: thừa nhận vi phạm hoặc giải trình (xem hình ảnh vi phạm)",
            c,
            "phatnguoi-xac-nhan",
            st(
                "submit",
                "citizen",
                "PT10M",
                legal=f"{XLVPHC}: quyền giải trình",
                citizen_time="PT15M",
            ),
        ),
        Node("Gateway_Accepts", "xor", "Người vi phạm thừa nhận?", c),
        user(
            "Task_Review",
            "Xem xét hồ sơ giải trình, hình ảnh và dữ liệu của phương tiện kỹ thuật nghiệp vụ",
            s,
            "tham-dinh-ho-so",
            st(
                "appraise",
                "specialist",
                "PT1H",
                legal="Nghị định 135/2021/NĐ-CP (sử dụng phương tiện kỹ thuật nghiệp vụ)",
            ),
        ),
        Node("Gateway_Approved", "xor", "Vi phạm được xác định?", s),
        script(
            "Task_Refused",
            "Hủy thông báo vi phạm, thông báo cho chủ phương tiện",
            s,
            'result = "cancelled"',
        ),
        Node("End_Refused", "end", "Không xử phạt", s),
        Node("Gateway_Decide", "xor", "", lead),
        user(
            "Task_Decide",
            "Ra quyết định xử phạt vi phạm hành chính (ký số), gửi điện tử",
            lead,
            "phatnguoi-quyet-dinh",
            st("sign", "leader", "PT15M", legal=f"{XLVPHC}; Nghị định 168/2024/NĐ-CP (mức phạt)"),
        ),
        user(
            "Task_PayFine",
            "Nộp tiền phạt trực tuyến qua Nền tảng thanh toán của Cổng Dịch vụ công",
            c,
            "thanh-toan-le-phi",
            st(
                "pay",
                "citizen",
                "PT10M",
                legal=f"{XLVPHC}: nộp tiền phạt qua dịch vụ thanh toán trực tuyến",
                citizen_time="PT10M",
            ),
        ),
        user(
            "Task_Close",
            "Trả kết quả: cập nhật đã nộp phạt vào CSDL, trả lại giấy tờ tạm giữ (nếu có)",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT10M"),
        ),
        script("Task_Result", "Cập nhật kết quả giải quyết", d, 'result = "paid"'),
        Node("End_Done", "end", "Đã nộp phạt", d),
        user(
            "Task_Remind",
            "Thông báo quá hạn nộp phạt 10 ngày (tính tiền chậm nộp, chuẩn bị cưỡng chế)",
            d,
            "phatnguoi-nhac",
            st(
                "other",
                "one_stop_desk",
                "PT10M",
                legal=f"{XLVPHC}: thời hạn chấp hành quyết định xử phạt, tiền chậm nộp phạt",
            ),
        ),
        Node("End_Remind", "end", "Đã nhắc nộp phạt", d),
    ]
    flows = [
        *seq(
            "Start_Request",
            "Task_Prefill",
            "Task_Violations",
            "Task_PickViolation",
            "Gateway_HasUnpaid",
        ),
        Flow("Gateway_HasUnpaid", "Task_Acknowledge", "Có", "has_unpaid == True"),
        Flow("Gateway_HasUnpaid", "End_Nothing", "Không", "has_unpaid == False"),
        Flow("Task_Acknowledge", "Gateway_Accepts"),
        Flow("Gateway_Accepts", "Gateway_Decide", "Thừa nhận", "accepts_violation == True"),
        Flow("Gateway_Accepts", "Task_Review", "Giải trình", "accepts_violation == False"),
        Flow("Task_Review", "Gateway_Approved"),
        Flow("Gateway_Approved", "Gateway_Decide", "Có vi phạm", "approved == True"),
        Flow("Gateway_Approved", "Task_Refused", "Không vi phạm", "approved == False"),
        Flow("Task_Refused", "End_Refused"),
        *seq(
            "Gateway_Decide", "Task_Decide", "Task_PayFine", "Task_Close", "Task_Result", "End_Done"
        ),
        Flow("Timer_PayDeadline", "Task_Remind"),
        Flow("Task_Remind", "End_Remind"),
    ]
    boundaries = [
        Boundary("Timer_PayDeadline", "Quá 10 ngày chưa nộp phạt", "Task_PayFine", '"P10D"')
    ]
    components = [
        comp(
            "DOR_ThongBao",
            "Thông báo vi phạm kèm hình ảnh do phương tiện kỹ thuật nghiệp vụ ghi nhận",
            "violation_notice",
            "traffic_violation_notice",
            "electronic",
            "Nghị định 135/2021/NĐ-CP",
            ["vehicle_plate", "traffic_violations"],
            ["Task_Acknowledge", "Task_Review"],
        ),
        comp(
            "DOR_GiaiTrinh",
            "Văn bản giải trình của người vi phạm (nếu có)",
            "explanation",
            "declaration_form",
            "electronic",
            XLVPHC,
            ["full_name", "identity_number"],
            ["Task_Review"],
            required=False,
        ),
        comp(
            "DOR_QuyetDinh",
            "Quyết định xử phạt vi phạm hành chính (điện tử)",
            "penalty_decision",
            "penalty_decision",
            "electronic",
            f"{XLVPHC}; Nghị định 168/2024/NĐ-CP",
            ["vehicle_plate"],
            ["Task_PayFine"],
        ),
    ]
    model = Model(
        "nop_phat_vi_pham_giao_thong",
        "Nộp tiền phạt vi phạm giao thông phát hiện qua hình ảnh",
        "Phòng Cảnh sát giao thông, Công an cấp tỉnh — Xử phạt vi phạm qua hình ảnh",
        None,
        lanes,
        nodes,
        flows,
        boundaries,
        components,
        tag="PHATNGUOI",
    )
    forms = {
        "phatnguoi-tra-cuu": form(
            "phatnguoi-tra-cuu",
            "Tra cứu vi phạm giao thông của phương tiện",
            {
                "vehicle_plate": text(
                    "Biển số xe", pattern="^[0-9]{2}[A-Z][A-Z0-9]?-[0-9]{3}\\.[0-9]{2}$"
                )
            },
            ["vehicle_plate"],
        ),
        "phatnguoi-xac-nhan": form(
            "phatnguoi-xac-nhan",
            "Xác nhận vi phạm hoặc giải trình",
            {
                **person_block("citizen", who="người vi phạm"),
                "accepts_violation": {"type": "boolean", "title": "Tôi thừa nhận vi phạm"},
                "driver_is_owner": {
                    "type": "boolean",
                    "title": "Chủ phương tiện là người điều khiển",
                },
                "explanation": {
                    "type": "string",
                    "title": "Nội dung giải trình (nếu không thừa nhận)",
                },
            },
            ["accepts_violation", "driver_is_owner"],
        ),
        "phatnguoi-quyet-dinh": form(
            "phatnguoi-quyet-dinh",
            "Quyết định xử phạt vi phạm hành chính",
            {
                "penalty_decision_number": text("Số quyết định xử phạt"),
                "fine_amount": {"type": "integer", "minimum": 0, "title": "Số tiền phạt (đồng)"},
                "signed": {"type": "boolean", "title": "Đã ký số quyết định", "const": True},
            },
            ["penalty_decision_number", "fine_amount", "signed"],
        ),
        "phatnguoi-nhac": form(
            "phatnguoi-nhac",
            "Nhắc nộp phạt quá hạn",
            {"reminder_note": text("Nội dung nhắc nộp phạt")},
            ["reminder_note"],
        ),
    }
    decide = {"penalty_decision_number": "1234/QĐ-XPHC", "fine_amount": 5000000, "signed": True}
    plate_an = {
        "channel": "online",
        "data": {"applicant_id": "001090012345", "vehicle_plate": "30K-123.45"},
    }
    examples = {
        "thua-nhan-nop-phat": {
            "name": "Ô tô chạy quá tốc độ bị camera ghi nhận: thừa nhận, nộp phạt trực tuyến",
            "applicant": "001090012345",
            "start": plate_an,
            "steps": [
                {
                    "task": "Task_Acknowledge",
                    "data": {"accepts_violation": True, "driver_is_owner": True},
                },
                {"task": "Task_Decide", "data": decide},
                {"task": "Task_PayFine", "data": pay_data("PAY-2026-XPHC-5501", 5000000)},
                {"task": "Task_Close", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "paid",
                    "has_unpaid": True,
                    "violation": {"number": "VP-2026-0001234", "fine": 5000000},
                },
                "completed_tasks": [
                    "Task_Violations",
                    "Task_PickViolation",
                    "Task_Decide",
                    "Task_PayFine",
                ],
            },
        },
        "giai-trinh-duoc-chap-nhan": {
            "name": "Giải trình: xe đã bán trước ngày vi phạm, hủy thông báo",
            "applicant": "001090012345",
            "start": plate_an,
            "steps": [
                {
                    "task": "Task_Acknowledge",
                    "data": {
                        "accepts_violation": False,
                        "driver_is_owner": False,
                        "explanation": "Xe đang sửa chữa tại xưởng ngày 20/11/2026",
                    },
                },
                {
                    "task": "Task_Review",
                    "data": {
                        "approved": False,
                        "appraisal_opinion": "Hình ảnh biển số bị nhận dạng sai",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "cancelled"},
                "completed_tasks": ["Task_Review"],
            },
        },
        "giai-trinh-khong-chap-nhan-qua-han": {
            "name": "Giải trình không được chấp nhận; quá 10 ngày mới nộp phạt",
            "applicant": "001090012345",
            "start": plate_an,
            "steps": [
                {
                    "task": "Task_Acknowledge",
                    "data": {
                        "accepts_violation": False,
                        "driver_is_owner": True,
                        "explanation": "Không nhớ đã đi qua đoạn đường",
                    },
                },
                {"task": "Task_Review", "data": {"approved": True}},
                {"task": "Task_Decide", "data": decide},
                {"fire_timers": "P11D"},
                {
                    "task": "Task_Remind",
                    "data": {
                        "reminder_note": "Đề nghị nộp phạt, tính tiền chậm nộp từ ngày thứ 11"
                    },
                },
                {"task": "Task_PayFine", "data": pay_data("PAY-2026-XPHC-5502", 5025000)},
                {"task": "Task_Close", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "paid"},
                "completed_tasks": ["Task_Review", "Task_Remind"],
            },
        },
        "khong-co-vi-pham": {
            "name": "Xe máy đã nộp phạt trước đó: không còn vi phạm chưa nộp",
            "applicant": "048088004567",
            "start": {
                "channel": "online",
                "data": {"applicant_id": "048088004567", "vehicle_plate": "43E1-234.56"},
            },
            "steps": [],
            "expect": {
                "status": "completed",
                "data": {"has_unpaid": False},
                "completed_tasks": ["Task_PickViolation"],
            },
        },
    }
    procedure = {
        "code": None,
        "code_note": "Trên Cổng Dịch vụ công quốc gia, nộp phạt vi phạm giao thông là dịch vụ thanh toán gắn với quyết định xử phạt, không có bản ghi TTHC riêng trong dữ liệu thu thập (07/12/2026).",
        "name": {
            "vi": "Nộp tiền phạt vi phạm giao thông phát hiện qua hình ảnh (phạt nguội)",
            "en": "Payment of camera-detected traffic fines",
        },
        "agency_level": "province",
        "agency": "Phòng Cảnh sát giao thông, Công an cấp tỉnh (nơi phát hiện vi phạm)",
        "field": "Xử lý vi phạm hành chính về giao thông đường bộ",
        "legal_basis": [
            XLVPHC,
            ROAD_LAW,
            "Nghị định 168/2024/NĐ-CP (xử phạt vi phạm hành chính về trật tự, an toàn giao thông đường bộ)",
            "Nghị định 135/2021/NĐ-CP (phương tiện, thiết bị kỹ thuật nghiệp vụ phát hiện vi phạm)",
        ],
        "processing_time": time_limit(
            10,
            False,
            estimated(
                "Thời hạn chấp hành quyết định xử phạt 10 ngày kể từ ngày nhận quyết định (Luật Xử lý "
                "vi phạm hành chính); điều khoản chưa đối chiếu được bằng công cụ tra cứu ngày 07/12/2026"
            ),
        ),
        "fee": fee(
            0,
            0,
            estimated(
                "Không thu phí, lệ phí; tiền phạt theo Nghị định 168/2024/NĐ-CP không phải lệ phí"
            ),
        ),
        "annual_volume": volume(
            2000000,
            estimated(
                "Ước tính của nhóm phát triển; chưa có số liệu công bố về vi phạm phát hiện qua hình ảnh"
            ),
        ),
        "delivery_level": "full_online",
        "sources": {
            "code": estimated(
                "Không tìm thấy bản ghi TTHC riêng trên Cổng Dịch vụ công quốc gia (dữ liệu thu thập tháng 3/2026; danh mục thủ tục thu thập tháng 7/2026 cũng không có thủ tục nộp phạt vi phạm giao thông)"
            ),
            "agency": estimated(
                "Người có thẩm quyền xử phạt nơi phát hiện vi phạm (Luật Xử lý vi phạm hành chính; Nghị định 135/2021/NĐ-CP) — điều khoản chưa đối chiếu"
            ),
            "components": {
                "violation_notice": estimated(
                    "Thông báo vi phạm gửi chủ phương tiện (Nghị định 135/2021/NĐ-CP) — điều khoản chưa đối chiếu"
                ),
                "explanation": estimated(
                    "Quyền giải trình (Luật Xử lý vi phạm hành chính) — điều khoản chưa đối chiếu"
                ),
                "penalty_decision": estimated(
                    "Quyết định xử phạt (Luật Xử lý vi phạm hành chính) — điều khoản chưa đối chiếu"
                ),
            },
        },
    }
    return {
        "slug": "nop-phat-vi-pham-giao-thong",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


# -- Đăng ký khai thác tuyến vận tải hành khách cố định ---------------------------------------
def dang_ky_khai_thac_tuyen() -> dict:
    c, d, s, lead, other = "citizen", "one_stop_desk", "specialist", "leader", "other_agency"
    code, decision, url = TUYEN
    lanes = [
        (c, "Citizen", "Đơn vị kinh doanh vận tải"),
        (d, "Desk", "Sở Xây dựng nơi cấp Giấy phép kinh doanh — tiếp nhận trên hệ thống"),
        (s, "Specialist", "Phòng Quản lý vận tải, Sở Xây dựng"),
        (lead, "Leader", "Lãnh đạo Sở Xây dựng"),
        (other, "OtherEnd", "Sở Xây dựng đầu tuyến bên kia"),
    ]
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after="Gateway_VehicleOk",
        next_="Task_Appraise",
        receive_name="Tiếp nhận hồ sơ trên Hệ thống dịch vụ công Bộ Xây dựng",
        receive_step=st(
            "receive",
            "one_stop_desk",
            "PT30M",
            legal=f"Bản ghi TTHC {code}: 03 ngày làm việc kiểm tra hồ sơ",
        ),
        supplement_legal=f"Bản ghi TTHC {code}: hoàn thiện trong 02 ngày làm việc",
    )
    nodes = [
        Node(
            "Start_Request", "start", "Đăng ký khai thác tuyến trực tuyến", c, form="tuyen-bat-dau"
        ),
        service(
            "Task_Business",
            "Lấy thông tin doanh nghiệp từ CSDL quốc gia về đăng ký doanh nghiệp",
            c,
            "business_registration.lookup",
            {"enterprise_code": "enterprise_code"},
            "enterprise",
        ),
        service(
            "Task_Licence",
            "Lấy Giấy phép kinh doanh vận tải, danh sách xe từ CSDL vận tải đường bộ",
            c,
            "road_transport.lookup",
            {"enterprise_code": "enterprise_code"},
            "licence",
        ),
        user(
            "Task_Declare",
            "Khai Giấy đăng ký khai thác tuyến (tuyến, bến đi, bến đến, giờ xuất bến, xe)",
            c,
            "tuyen-dang-ky",
            st(
                "submit",
                "citizen",
                "PT30M",
                legal=f"Nghị định 158/2024/NĐ-CP; bản ghi TTHC {code}",
                citizen_time="PT45M",
            ),
        ),
        service(
            "Task_Inspection",
            "Tra cứu hạn kiểm định của xe trong CSDL đăng kiểm",
            d,
            "vehicles.lookup",
            {"vehicle_plate": "operated_vehicle_plate"},
            "inspection",
            kind="verify",
        ),
        service(
            "Task_Monitoring",
            "Tra cứu dữ liệu thiết bị giám sát hành trình của xe",
            d,
            "road_transport.lookup",
            {"vehicle_plate": "operated_vehicle_plate"},
            "monitoring",
            kind="verify",
        ),
        script(
            "Task_CheckVehicle",
            "Tính điều kiện của xe từ dữ liệu giấy phép, kiểm định, giám sát hành trình",
            d,
            'vehicle_in_fleet = operated_vehicle_plate in licence["transport_fleet"]\n'
            'inspection_valid = inspection["vehicle_inspection_expiry"] >= operation_start_date\n'
            'monitoring_ok = monitoring["journey_monitoring_status"] == "Đang truyền dữ liệu"\n'
            "vehicle_ok = vehicle_in_fleet and inspection_valid and monitoring_ok",
        ),
        Node("Gateway_VehicleOk", "xor", "Xe đủ điều kiện theo dữ liệu?", d),
        *intake_nodes,
        script(
            "Task_VehicleRefused",
            "Thông báo trên hệ thống: xe chưa đủ điều kiện (kiểm định, giám sát hành trình)",
            d,
            'result = "vehicle_not_eligible"',
        ),
        Node("End_VehicleRefused", "end", "Xe chưa đủ điều kiện", d),
        user(
            "Task_Appraise",
            "Thẩm định tuyến, biểu đồ chạy xe, giờ xuất bến trùng",
            s,
            "tham-dinh-ho-so",
            st(
                "appraise",
                "specialist",
                "PT2H",
                legal=f"Bản ghi TTHC {code}: rà soát trong 02 ngày làm việc",
            ),
        ),
        Node("Gateway_Approved", "xor", "Phù hợp biểu đồ chạy xe?", s),
        script("Task_Refused", "Thông báo lý do không chấp thuận", s, 'result = "refused"'),
        Node("End_Refused", "end", "Không chấp thuận", s),
        user(
            "Task_Consult",
            "Chuyển hồ sơ lấy ý kiến Sở Xây dựng đầu tuyến bên kia",
            other,
            "tuyen-y-kien",
            st(
                "handoff",
                "other_agency",
                "PT1H",
                legal=f"Bản ghi TTHC {code}: trả lời trong 01 ngày làm việc",
            ),
        ),
        script(
            "Task_AutoAgree",
            "Hết 01 ngày làm việc không trả lời: hệ thống tự chuyển đã đồng ý",
            other,
            "other_end_agrees = True",
        ),
        Node("Gateway_Answer", "xor", "", other),
        Node("Gateway_OtherEnd", "xor", "Đầu tuyến bên kia đồng ý?", other),
        script(
            "Task_OtherRefused",
            "Thông báo không chấp thuận (đầu tuyến bên kia không đồng ý)",
            other,
            'result = "refused"',
        ),
        Node("End_OtherRefused", "end", "Không chấp thuận", other),
        user(
            "Task_Approve",
            "Ký số Thông báo đăng ký khai thác tuyến thành công",
            lead,
            "ky-duyet",
            st("sign", "leader", "PT15M"),
        ),
        user(
            "Task_Deliver",
            "Gửi kết quả cho đơn vị vận tải, Sở đầu tuyến bên kia, bến xe hai đầu tuyến",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT10M"),
        ),
        script("Task_Result", "Cập nhật kết quả giải quyết", d, 'result = "registered"'),
        Node("End_Done", "end", "Đăng ký khai thác tuyến thành công", d),
        user(
            "Task_Apology",
            "Gửi văn bản xin lỗi, hẹn lại ngày trả kết quả",
            d,
            "xin-loi-qua-han",
            st("other", "one_stop_desk", "PT30M", legal=APOLOGY_BASIS),
        ),
        Node("End_Apology", "end", "Đã hẹn lại ngày trả", d),
    ]
    flows = [
        *seq(
            "Start_Request",
            "Task_Business",
            "Task_Licence",
            "Task_Declare",
            "Task_Inspection",
            "Task_Monitoring",
            "Task_CheckVehicle",
            "Gateway_VehicleOk",
        ),
        Flow(
            "Gateway_VehicleOk", "Task_VehicleRefused", "Chưa đủ điều kiện", "vehicle_ok == False"
        ),
        Flow("Task_VehicleRefused", "End_VehicleRefused"),
        *[
            Flow(f.source, f.target, "Đủ điều kiện", "vehicle_ok == True")
            if f.source == "Gateway_VehicleOk"
            else f
            for f in intake_flows
        ],
        Flow("Task_Appraise", "Gateway_Approved"),
        Flow("Gateway_Approved", "Task_Consult", "Phù hợp", "approved == True"),
        Flow("Gateway_Approved", "Task_Refused", "Không phù hợp", "approved == False"),
        Flow("Task_Refused", "End_Refused"),
        Flow("Task_Consult", "Gateway_Answer"),
        Flow("Timer_Consult", "Task_AutoAgree"),
        Flow("Task_AutoAgree", "Gateway_Answer"),
        Flow("Gateway_Answer", "Gateway_OtherEnd"),
        Flow("Gateway_OtherEnd", "Task_Approve", "Đồng ý", "other_end_agrees == True"),
        Flow("Gateway_OtherEnd", "Task_OtherRefused", "Không đồng ý", "other_end_agrees == False"),
        Flow("Task_OtherRefused", "End_OtherRefused"),
        *seq("Task_Approve", "Task_Deliver", "Task_Result", "End_Done"),
        Flow("Timer_Deadline", "Task_Apology"),
        Flow("Task_Apology", "End_Apology"),
    ]
    boundaries = [
        Boundary("Timer_Deadline", "Hết thời hạn giải quyết", "Task_Appraise", '"P3D"'),
        Boundary(
            "Timer_Consult", "Hết 01 ngày làm việc", "Task_Consult", '"P1D"', interrupting=True
        ),
    ]
    components = [
        comp(
            "DOR_DangKy",
            "Giấy đăng ký khai thác tuyến theo mẫu",
            "route_registration_form",
            "declaration_form",
            "electronic",
            f"Nghị định 158/2024/NĐ-CP; bản ghi TTHC {code}",
            ["enterprise_code", "enterprise_name", "vehicle_plate"],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_ThongNhatBenXe",
            "Văn bản thống nhất giữa bến xe hai đầu tuyến với đơn vị vận tải (khi tuyến phải điều chỉnh, bổ sung)",
            "bus_station_agreement",
            "route_agreement",
            "copy",
            f"Bản ghi TTHC {code}",
            ["enterprise_name"],
            ["Task_Appraise"],
            required=False,
        ),
    ]
    model = Model(
        "dang_ky_khai_thac_tuyen",
        "Đăng ký khai thác tuyến vận tải hành khách cố định",
        "Sở Xây dựng — Đăng ký khai thác tuyến vận tải hành khách cố định",
        code,
        lanes,
        nodes,
        flows,
        boundaries,
        components,
        tag="TUYEN",
    )
    forms = {
        "tuyen-bat-dau": form(
            "tuyen-bat-dau",
            "Đơn vị đăng ký khai thác tuyến",
            {"enterprise_code": text("Mã số doanh nghiệp", pattern="^[0-9]{10}$")},
            ["enterprise_code"],
        ),
        "tuyen-dang-ky": form(
            "tuyen-dang-ky",
            "Giấy đăng ký khai thác tuyến vận tải hành khách cố định",
            {
                "enterprise_name": pf(
                    "Tên đơn vị kinh doanh vận tải",
                    "business_registration",
                    "enterprise_name",
                    "enterprise",
                ),
                "legal_representative": pf(
                    "Người đại diện theo pháp luật",
                    "business_registration",
                    "legal_representative",
                    "enterprise",
                ),
                "transport_licence_number": pf(
                    "Số Giấy phép kinh doanh vận tải",
                    "road_transport",
                    "transport_licence_number",
                    "licence",
                ),
                "route_code": text("Mã số tuyến (theo danh mục tuyến đã công bố)"),
                "departure_station": text("Bến xe nơi đi"),
                "arrival_station": text("Bến xe nơi đến"),
                "departure_times": text("Giờ xuất bến đăng ký"),
                "operated_vehicle_plate": text("Biển số xe đưa vào khai thác"),
                "operation_start_date": date("Ngày bắt đầu khai thác"),
                "agreement_file": attachment(
                    "Văn bản thống nhất của bến xe hai đầu tuyến (nếu tuyến điều chỉnh)",
                    "bus_station_agreement",
                ),
            },
            [
                "route_code",
                "departure_station",
                "arrival_station",
                "departure_times",
                "operated_vehicle_plate",
                "operation_start_date",
            ],
            "Giấy phép kinh doanh, đăng ký doanh nghiệp, kiểm định và giám sát hành trình được tra cứu từ CSDL; không đính kèm.",
        ),
        "tuyen-y-kien": form(
            "tuyen-y-kien",
            "Ý kiến của Sở Xây dựng đầu tuyến bên kia",
            {
                "other_end_agrees": {"type": "boolean", "title": "Đồng ý"},
                "other_end_reason": {"type": "string", "title": "Lý do (nếu không đồng ý)"},
            },
            ["other_end_agrees"],
        ),
    }
    declare = {
        "route_code": "1529.1111.A",
        "departure_station": "Bến xe Niệm Nghĩa (Hải Phòng)",
        "arrival_station": "Bến xe Mỹ Đình (Hà Nội)",
        "departure_times": "06:00, 13:30",
        "operated_vehicle_plate": "15F-012.34",
        "operation_start_date": "2026-12-20",
    }
    start = {
        "channel": "online",
        "data": {"applicant_id": "031078002468", "enterprise_code": "0201234567"},
    }
    examples = {
        "dang-ky-thanh-cong": {
            "name": "Tuyến Hải Phòng – Hà Nội, xe còn hạn kiểm định, GSHT truyền dữ liệu; đầu tuyến bên kia không trả lời: tự động đồng ý",
            "applicant": "031078002468",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Appraise", "data": {"approved": True}},
                {"fire_timers": "P2D"},
                {"task": "Task_Approve", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "registered",
                    "vehicle_ok": True,
                    "other_end_agrees": True,
                    "enterprise": {"enterprise_name": "Công ty TNHH Vận tải Hành khách Hải Phong"},
                },
                "completed_tasks": [
                    "Task_Business",
                    "Task_Licence",
                    "Task_Inspection",
                    "Task_Monitoring",
                    "Task_AutoAgree",
                ],
            },
        },
        "xe-het-han-kiem-dinh": {
            "name": "Xe hết hạn kiểm định, mất tín hiệu giám sát hành trình: hệ thống từ chối ngay",
            "applicant": "031078002468",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": dict(declare, operated_vehicle_plate="15F-099.01")}
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "vehicle_not_eligible",
                    "inspection_valid": False,
                    "monitoring_ok": False,
                },
                "completed_tasks": ["Task_CheckVehicle"],
            },
        },
        "dau-tuyen-khong-dong-y": {
            "name": "Bổ sung; quá hạn; đầu tuyến bên kia không đồng ý giờ xuất bến",
            "applicant": "031078002468",
            "start": start,
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": dict(declare, operated_vehicle_plate="15F-056.78"),
                },
                {
                    "task": "Task_Receive",
                    "data": {
                        "dossier_valid": False,
                        "missing_items": "Văn bản thống nhất của bến xe",
                    },
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Đã cập nhật văn bản thống nhất"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P4D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Nhiều hồ sơ trùng giờ xuất bến",
                        "new_appointment": "2026-12-14",
                    },
                },
                {"task": "Task_Appraise", "data": {"approved": True}},
                {
                    "task": "Task_Consult",
                    "data": {
                        "other_end_agrees": False,
                        "other_end_reason": "Giờ 06:00 đã kín biểu đồ tại Bến xe Mỹ Đình",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Apology", "Task_Consult"],
            },
        },
        "khong-phu-hop-bieu-do": {
            "name": "Giờ xuất bến không phù hợp biểu đồ chạy xe",
            "applicant": "031078002468",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Giờ xuất bến ngoài biểu đồ chạy xe đã công bố",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Appraise"],
            },
        },
    }
    procedure = {
        "code": code,
        "name": {
            "vi": "Đăng ký khai thác tuyến vận tải hành khách cố định",
            "en": "Registration to operate a fixed passenger road route",
        },
        "agency_level": "province",
        "agency": "Sở Xây dựng (nơi cấp Giấy phép kinh doanh vận tải)",
        "field": "Đường bộ",
        "legal_basis": [
            "Nghị định 158/2024/NĐ-CP quy định về hoạt động vận tải đường bộ",
            "Nghị quyết 24/2026/NQ-CP (cắt giảm, phân cấp, đơn giản hóa thủ tục hành chính)",
            ROAD_LAW,
        ],
        "processing_time": time_limit(
            3,
            True,
            portal(
                code,
                decision,
                url,
                "trực tuyến, 03 ngày làm việc kiểm tra hồ sơ; lấy ý kiến đầu tuyến bên kia 01 ngày làm việc (không trả lời thì hệ thống tự chuyển đồng ý)",
            ),
        ),
        "fee": fee(
            0, 0, estimated('Bản ghi TTHC 2.002285 không nêu phí, lệ phí ("Không có thông tin")')
        ),
        "annual_volume": volume(
            20000, estimated("Ước tính của nhóm phát triển; chưa có số liệu công bố")
        ),
        "delivery_level": "full_online",
        "notes": "Chỉ nộp trực tuyến trên Hệ thống dịch vụ công của Bộ Xây dựng. Giấy phép kinh doanh, "
        "đăng ký doanh nghiệp, kiểm định xe và dữ liệu giám sát hành trình được tra cứu từ CSDL thay "
        "cho giấy tờ; chỉ còn Giấy đăng ký khai thác tuyến theo mẫu.",
        "sources": {
            "code": portal(code, decision, url),
            "agency": portal(code, decision, url, "Sở Xây dựng nơi đã cấp Giấy phép kinh doanh"),
            "components": {
                "route_registration_form": portal(
                    code, decision, url, "Đăng ký khai thác tuyến theo mẫu (TK 2.002285)"
                ),
                "bus_station_agreement": portal(
                    code,
                    decision,
                    url,
                    "văn bản trao đổi thống nhất giữa bến xe hai đầu tuyến với đơn vị kinh doanh vận tải (khi tuyến phải điều chỉnh, bổ sung)",
                ),
            },
        },
    }
    return {
        "slug": "dang-ky-khai-thac-tuyen",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }
