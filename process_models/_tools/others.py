"""Passport, construction, business, driving licence, land and insurance procedures."""

from __future__ import annotations

from bpmn_builder import Flow, Model, Node
from common import (
    DECREE_104,
    VSS_AGENCY,
    VSS_AGENCY_SOURCE,
    attachment,
    cited,
    comp,
    date,
    estimated,
    form,
    intake,
    overdue,
    person_block,
    pf,
    portal,
    script,
    seq,
    service,
    st,
    text,
    user,
)

IDENTITY_COPY_NOTE = "Dữ liệu đã có trong CSDL quốc gia về dân cư"
NOT_IN_RECORD = (
    "Không có trong bản ghi {code} trên Cổng Dịch vụ công quốc gia: yêu cầu còn gặp ở một số "
    "nơi tiếp nhận (thực tiễn, chưa có nguồn)"
)

# the national portal's records of these procedures (code, publishing decision, record id)
REC_HC = ("1.001456", "5568/QĐ-BCA", "019d2bf7-5fda-7370-bc07-6f1fd02ffcc4")
REC_GPXD = ("1.013225", "56/QĐ-BXD", "019d2bfe-9088-744d-aa0a-e846b6dce3d5")
# the same record as republished in 2026 (Decree 14/2026/NĐ-CP cut the permit's time limit)
REC_GPXD_2026 = ("1.013225", "1077/QĐ-BXD", REC_GPXD[2])
REC_HKD = ("1.001612", "2353/QĐ-BTC", "019d2bfb-d76d-737f-81b9-69258b07240b")
REC_DN = ("2.001199", "92/QĐ-BTC", "019d2bfc-d9ec-752c-8a4c-606fd43a5881")
REC_GPLX = ("3.000347", "1025/QĐ-BCA", "019d2bf7-bda8-740c-9f49-ddaae438530d")
REC_GCN = ("1.013978", "3380/QĐ-BNNMT", "019d2bfa-8678-770b-8917-1872078767cd")
REC_TUTUAT = ("2.000821", "1474/QĐ-BTC", "019d2bfc-d9c7-75c6-bfa0-631818e8ba0c")
# the Ministry of Home Affairs' record of the funeral allowance under the 2024 law
REC_MAI_TANG = ("1.014177", "863/QĐ-BNV", "019d2bfb-236e-71b0-8d75-1d77a69b881f")
REC_BHYT = ("1.001939", "1474/QĐ-BTC", "019d2bfb-d79c-73cd-8614-c7a7882c5e05")
ND140 = "Nghị định 140/2025/NĐ-CP (phân định thẩm quyền chính quyền địa phương 02 cấp, lĩnh vực xây dựng)"
ND151 = "Nghị định 151/2025/NĐ-CP (phân định thẩm quyền chính quyền địa phương 02 cấp, lĩnh vực đất đai)"


def _standard(
    *,
    c="citizen",
    d="one_stop_desk",
    s="specialist",
    lead="leader",
    start_name: str,
    prefills: list[Node],
    declare: Node,
    pay: Node | None,
    receive_name: str,
    receive_step: dict,
    after_intake: list[Node],
    appraise: Node,
    approve_question: str,
    approve_condition: str,
    refuse_condition: str,
    refused_name: str,
    sign: Node,
    after_sign: list[Node],
    deliver: Node,
    result_value: str,
    done_name: str,
    deadline: str | None,
    checks: list[Node] = (),
):
    """Prefill → declare → [pay] → [checks] → intake → after_intake… → appraise → approved? →
    sign → after_sign… → deliver → result → end; refusal branch; optional deadline timer."""
    head = (
        [n.id for n in prefills] + [declare.id] + ([pay.id] if pay else []) + [n.id for n in checks]
    )
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after=head[-1],
        next_=(after_intake[0].id if after_intake else appraise.id),
        receive_name=receive_name,
        receive_step=receive_step,
    )
    nodes = [
        Node("Start_Request", "start", start_name, c),
        *prefills,
        declare,
        *([pay] if pay else []),
        *checks,
        *intake_nodes,
        *after_intake,
        appraise,
        Node("Gateway_Approved", "xor", approve_question, s),
        script(
            "Task_Refused", "Thông báo bằng văn bản lý do không giải quyết", s, 'result = "refused"'
        ),
        Node("End_Refused", "end", refused_name, s),
        sign,
        *after_sign,
        deliver,
        script("Task_Result", "Cập nhật kết quả giải quyết", d, f'result = "{result_value}"'),
        Node("End_Done", "end", done_name, d),
    ]
    flows = [
        *seq("Start_Request", *head),
        *intake_flows,
        *seq(*[n.id for n in after_intake], appraise.id, "Gateway_Approved"),
        Flow("Gateway_Approved", sign.id, "Đủ điều kiện", approve_condition),
        Flow("Gateway_Approved", "Task_Refused", "Không đủ điều kiện", refuse_condition),
        Flow("Task_Refused", "End_Refused"),
        *seq(sign.id, *[n.id for n in after_sign], deliver.id, "Task_Result", "End_Done"),
    ]
    boundaries = []
    if deadline:
        t_nodes, t_flows, timer = overdue(appraise.id, d, deadline)
        nodes += t_nodes
        flows += t_flows
        boundaries.append(timer)
    return nodes, flows, boundaries


def cap_ho_chieu_pho_thong() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    lanes = [
        (c, "Citizen", "Công dân"),
        (d, "Desk", "Bộ phận tiếp nhận — Phòng Quản lý xuất nhập cảnh, Công an cấp tỉnh"),
        (s, "Specialist", "Cán bộ xét duyệt hồ sơ xuất nhập cảnh"),
        (lead, "Leader", "Lãnh đạo Phòng Quản lý xuất nhập cảnh"),
    ]
    nodes, flows, boundaries = _standard(
        start_name="Đề nghị cấp hộ chiếu phổ thông",
        prefills=[
            service(
                "Task_Prefill",
                "Lấy thông tin công dân từ CSDL quốc gia về dân cư",
                c,
                "population.lookup",
                {"identity_number": "applicant_id"},
                "citizen",
            )
        ],
        declare=user(
            "Task_Declare",
            "Khai Tờ khai đề nghị cấp hộ chiếu (TK01), tải ảnh chân dung",
            c,
            "hc-to-khai",
            st(
                "submit",
                "citizen",
                "PT20M",
                legal="Khoản 1 Điều 15 Luật Xuất nhập cảnh của công dân Việt Nam 2019",
                citizen_time="PT40M",
            ),
        ),
        pay=user(
            "Task_Pay",
            "Nộp lệ phí cấp hộ chiếu trực tuyến",
            c,
            "thanh-toan-le-phi",
            st(
                "pay",
                "citizen",
                "PT10M",
                legal="Thông tư 25/2021/TT-BTC; mức nộp trực tuyến 160.000 đồng (bản ghi 1.001456)",
                citizen_time="PT15M",
            ),
        ),
        receive_name="Tiếp nhận, kiểm tra hồ sơ, đối chiếu Căn cước, thu nhận vân tay, ảnh",
        receive_step=st(
            "receive",
            "one_stop_desk",
            "PT20M",
            "required",
            legal="Luật Xuất nhập cảnh của công dân Việt Nam 2019 (sửa đổi 2023): thu nhận sinh trắc học khi cấp hộ chiếu có gắn chíp",
            citizen_time="PT3H",
        ),
        after_intake=[
            user(
                "Task_Handoff",
                "Chuyển hồ sơ sang bộ phận xét duyệt",
                d,
                "chuyen-ho-so",
                st("handoff", "one_stop_desk", "PT4H"),
            )
        ],
        appraise=user(
            "Task_Appraise",
            "Tra cứu, xác minh nhân thân và điều kiện cấp hộ chiếu",
            s,
            "tham-dinh-ho-so",
            st(
                "appraise",
                "specialist",
                "PT4H",
                legal="Điều 21 Luật Xuất nhập cảnh 2019 (trường hợp chưa được cấp)",
            ),
        ),
        approve_question="Đủ điều kiện cấp hộ chiếu?",
        approve_condition="approved == True",
        refuse_condition="approved == False",
        refused_name="Không cấp hộ chiếu",
        sign=user(
            "Task_Approve",
            "Phê duyệt cấp hộ chiếu",
            lead,
            "ky-duyet",
            st("approve", "leader", "PT1H"),
        ),
        after_sign=[
            user(
                "Task_Print",
                "In, cá thể hóa hộ chiếu",
                s,
                "hc-in",
                st("other", "specialist", "P1D"),
            )
        ],
        deliver=user(
            "Task_Deliver",
            "Trả hộ chiếu (qua bưu chính công ích hoặc tại nơi nộp)",
            d,
            "tra-ket-qua",
            st(
                "deliver_result",
                "one_stop_desk",
                "PT15M",
                legal="Khoản 2 Điều 15 Luật Xuất nhập cảnh 2019",
            ),
        ),
        result_value="issued",
        done_name="Đã trả hộ chiếu",
        deadline="P8D",
    )
    components = [
        comp(
            "DOR_TK01",
            "Tờ khai đề nghị cấp hộ chiếu phổ thông (Mẫu TK01)",
            "passport_declaration",
            "declaration_form",
            "original",
            "Điều 15 Luật Xuất nhập cảnh 2019; thông tư của Bộ Công an về biểu mẫu xuất nhập cảnh (mẫu TK01)",
            [
                "full_name",
                "date_of_birth",
                "sex",
                "place_of_birth",
                "permanent_address",
                "identity_number",
            ],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_Anh",
            "02 ảnh chân dung 4x6 cm",
            "portrait_photos",
            "photo",
            "original",
            "Điểm a khoản 1 Điều 15 Luật Xuất nhập cảnh 2019",
            [],
            ["Task_Receive"],
        ),
        comp(
            "DOR_CCCD",
            "Căn cước (xuất trình) và bản chụp",
            "identity_card_copy",
            "identity_card",
            "copy",
            "Khoản 2 Điều 15 Luật Xuất nhập cảnh 2019",
            ["identity_number", "full_name", "date_of_birth"],
            ["Task_Receive"],
            note=IDENTITY_COPY_NOTE,
        ),
        comp(
            "DOR_HoChieuCu",
            "Hộ chiếu phổ thông cấp lần gần nhất (nếu có)",
            "previous_passport",
            "passport",
            "original",
            "Điểm c khoản 1 Điều 15 Luật Xuất nhập cảnh 2019",
            ["passport_number"],
            ["Task_Appraise"],
            required=False,
        ),
        comp(
            "DOR_KhaiSinh",
            "Bản sao Giấy khai sinh (người chưa đủ 14 tuổi)",
            "birth_certificate_copy",
            "birth_certificate",
            "certified_copy",
            "Điểm b khoản 1 Điều 15 Luật Xuất nhập cảnh 2019",
            ["full_name", "date_of_birth", "father_name", "mother_name"],
            ["Task_Receive"],
            required=False,
            note="Khai sinh đã có trong CSDL hộ tịch điện tử",
        ),
    ]
    model = Model(
        "cap_ho_chieu_pho_thong",
        "Cấp hộ chiếu phổ thông ở trong nước",
        "Công an cấp tỉnh — Cấp hộ chiếu phổ thông",
        REC_HC[0],
        lanes,
        nodes,
        flows,
        boundaries,
        components,
        tag="HC",
    )
    forms = {
        "hc-to-khai": form(
            "hc-to-khai",
            "Tờ khai đề nghị cấp hộ chiếu phổ thông (TK01)",
            {
                **person_block("citizen"),
                "place_of_birth": pf("Nơi sinh", "population", "place_of_birth", "citizen"),
                "ethnicity": pf("Dân tộc", "population", "ethnicity", "citizen"),
                "religion": pf("Tôn giáo", "population", "religion", "citizen"),
                "phone": pf("Số điện thoại", "population", "phone", "citizen"),
                "occupation": text("Nghề nghiệp"),
                "workplace": {"type": "string", "title": "Tên và địa chỉ cơ quan (nếu có)"},
                # the population database holds both (x-field: what the simplifier sees)
                "father_full_name": text("Họ tên cha", **{"x-field": "father_name"}),
                "mother_full_name": text("Họ tên mẹ", **{"x-field": "mother_name"}),
                "request_type": {
                    "type": "string",
                    "title": "Nội dung đề nghị",
                    "enum": [
                        "Cấp hộ chiếu lần đầu",
                        "Cấp lại hộ chiếu (hết hạn, hết trang)",
                        "Cấp lại hộ chiếu (bị mất)",
                    ],
                },
                "previous_passport_number": {
                    "type": "string",
                    "title": "Số hộ chiếu gần nhất (nếu có)",
                },
                "delivery_address": text("Địa chỉ nhận hộ chiếu qua bưu chính"),
                "photo_file": attachment("Ảnh chân dung", "portrait_photos"),
            },
            [
                "occupation",
                "father_full_name",
                "mother_full_name",
                "request_type",
                "delivery_address",
            ],
            "Mẫu TK01; thông tin nhân thân lấy từ CSDL quốc gia về dân cư.",
        ),
        "hc-in": form(
            "hc-in",
            "In, cá thể hóa hộ chiếu",
            {
                "passport_number": {
                    "type": "string",
                    "title": "Số hộ chiếu",
                    "pattern": "^[A-Z][0-9]{7}$",
                },
                "passport_valid_until": date("Có giá trị đến"),
            },
            ["passport_number", "passport_valid_until"],
        ),
    }
    declare = {
        "occupation": "Kỹ sư phần mềm",
        "father_full_name": "Nguyễn Văn Bảo",
        "mother_full_name": "Lê Thị Hoa",
        "request_type": "Cấp hộ chiếu lần đầu",
        "delivery_address": "Số 18, Phố Kim Mã, Phường Ba Đình, Thành phố Hà Nội",
    }
    pay = {
        "payment_reference": "PAY-2026-HC-004521",
        "amount": 160000,
        "payment_method": "Nền tảng thanh toán Cổng Dịch vụ công quốc gia",
    }
    start = {"channel": "online", "data": {"applicant_id": "001090012345"}}
    examples = {
        "cap-lan-dau": {
            "name": "Cấp hộ chiếu lần đầu, nhận qua bưu chính",
            "applicant": "001090012345",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Pay", "data": pay},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {"task": "Task_Appraise", "data": {"approved": True}},
                {"task": "Task_Approve", "data": {"signed": True}},
                {
                    "task": "Task_Print",
                    "data": {"passport_number": "C1234567", "passport_valid_until": "2036-11-30"},
                },
                {"task": "Task_Deliver", "data": {"delivery_method": "Bưu chính công ích"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "issued", "passport_number": "C1234567"},
                "completed_tasks": [
                    "Task_Declare",
                    "Task_Pay",
                    "Task_Receive",
                    "Task_Appraise",
                    "Task_Approve",
                    "Task_Print",
                    "Task_Deliver",
                ],
            },
        },
        "chua-duoc-xuat-canh": {
            "name": "Ảnh không đạt phải bổ sung; quá hạn; người đề nghị thuộc diện chưa được cấp",
            "applicant": "048088004567",
            "start": {"channel": "online", "data": {"applicant_id": "048088004567"}},
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": declare
                    | {
                        "father_full_name": "Phạm Văn Hùng",
                        "mother_full_name": "Đỗ Thị Hằng",
                        "delivery_address": "Số 7, Đường Phan Chu Trinh, Phường Hải Châu, Thành phố Đà Nẵng",
                    },
                },
                {"task": "Task_Pay", "data": pay | {"payment_reference": "PAY-2026-HC-004522"}},
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Ảnh nền trắng"},
                },
                {"task": "Task_Supplement", "data": {"supplement_note": "Đã chụp lại ảnh"}},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {"fire_timers": "P9D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Chờ cơ quan tiến hành tố tụng trả lời",
                        "new_appointment": "2026-12-20",
                    },
                },
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Thuộc trường hợp chưa được cấp giấy tờ xuất nhập cảnh (Điều 21)",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Apology", "Task_Appraise"],
            },
        },
    }
    procedure = {
        "code": REC_HC[0],
        "name": {
            "vi": "Cấp hộ chiếu phổ thông ở trong nước",
            "en": "Ordinary passport issuance (in Vietnam)",
        },
        "agency_level": "province",
        "agency": "Phòng Quản lý xuất nhập cảnh, Công an cấp tỉnh",
        "field": "Quản lý xuất nhập cảnh",
        "legal_basis": [
            "Luật Xuất nhập cảnh của công dân Việt Nam 2019 (sửa đổi, bổ sung 2023) (Điều 15, 21)",
            "Thông tư 31/2023/TT-BCA (mẫu tờ khai TK01, TK01a)",
            "Thông tư 25/2021/TT-BTC (lệ phí)",
            "Thông tư 63/2023/TT-BTC (giảm lệ phí nộp trực tuyến)",
        ],
        "processing_time": {
            "days": 8,
            "working_days": True,
            **portal(
                *REC_HC,
                "08 ngày làm việc (trực tuyến, bưu chính, trực tiếp); Điều 15 Luật Xuất nhập cảnh của công dân Việt Nam 2019",
            ),
        },
        "fee": {
            "amount": 200000,
            "online_amount": 160000,
            "currency": "VND",
            **portal(
                *REC_HC,
                "trực tiếp 200.000 đồng/hộ chiếu (Thông tư 25/2021/TT-BTC); trực tuyến và bưu chính 160.000 đồng/hộ chiếu",
            ),
        },
        "annual_volume": {
            "dossiers": 2870000,
            "estimate": True,
            "source": "Ngoại suy từ 2,15 triệu hồ sơ 9 tháng đầu năm 2023 (94,28% trực tuyến), báo cáo của Bộ Thông tin và Truyền thông",
        },
        "delivery_level": "full_online",
        "sources": {
            "code": portal(*REC_HC, "Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)"),
            "agency": portal(
                *REC_HC, "cơ quan thực hiện: Công an cấp tỉnh (Cơ quan Quản lý xuất nhập cảnh)"
            ),
            "components": {
                "passport_declaration": portal(
                    *REC_HC,
                    "Tờ khai đề nghị cấp hộ chiếu phổ thông ở trong nước (mẫu TK01, Thông tư 31/2023/TT-BCA)",
                ),
                "portrait_photos": portal(
                    *REC_HC, "ảnh mới chụp không quá 06 tháng, cỡ 4cm x 6cm, nền trắng"
                ),
                "identity_card_copy": portal(
                    *REC_HC,
                    "người nộp trực tiếp xuất trình Căn cước công dân hoặc hộ chiếu còn giá trị; bản chụp không có trong danh mục thành phần",
                ),
                "previous_passport": portal(
                    *REC_HC, "hộ chiếu phổ thông cấp lần gần nhất còn giá trị (người đã được cấp)"
                ),
                "birth_certificate_copy": portal(
                    *REC_HC,
                    "bản sao giấy khai sinh hoặc trích lục khai sinh (người chưa đủ 14 tuổi chưa có số định danh)",
                ),
            },
        },
    }
    return {
        "slug": "cap-ho-chieu-pho-thong",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def cap_giay_phep_xay_dung() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    lanes = [
        (c, "Citizen", "Chủ đầu tư (hộ gia đình, cá nhân)"),
        (d, "Desk", "Bộ phận Một cửa — Trung tâm Phục vụ hành chính công cấp xã"),
        (s, "Specialist", "Công chức địa chính – xây dựng cấp xã"),
        (lead, "Leader", "Chủ tịch Ủy ban nhân dân cấp xã"),
    ]
    nodes, flows, boundaries = _standard(
        start_name="Đề nghị cấp giấy phép xây dựng",
        prefills=[
            service(
                "Task_Prefill",
                "Lấy thông tin chủ đầu tư từ CSDL quốc gia về dân cư",
                c,
                "population.lookup",
                {"identity_number": "applicant_id"},
                "citizen",
            )
        ],
        declare=user(
            "Task_Declare",
            "Khai Đơn đề nghị cấp giấy phép xây dựng, nộp bản vẽ thiết kế",
            c,
            "gpxd-don",
            st(
                "submit",
                "citizen",
                "PT1H",
                legal="Điều 95 Luật Xây dựng 2014 (sửa đổi 2020)",
                citizen_time="P1D",
            ),
        ),
        pay=None,
        checks=[
            service(
                "Task_FindLandCertificate",
                "Tra cứu Giấy chứng nhận quyền sử dụng đất trong Kho dữ liệu điện tử",
                d,
                "edata.find",
                {"applicant_id": "applicant_id", "document_type": '"land_use_certificate"'},
                "land_certificate_in_warehouse",
                kind="verify",
            )
        ],
        receive_name="Tiếp nhận, kiểm tra hồ sơ đề nghị cấp giấy phép xây dựng",
        receive_step=st(
            "receive",
            "one_stop_desk",
            "PT30M",
            "required",
            legal="Khoản 1 Điều 102 Luật Xây dựng 2014",
            citizen_time="PT3H",
        ),
        after_intake=[
            user(
                "Task_Handoff",
                "Chuyển hồ sơ cho công chức địa chính – xây dựng",
                d,
                "chuyen-ho-so",
                st("handoff", "one_stop_desk", "PT4H"),
            ),
            user(
                "Task_Inspect",
                "Kiểm tra thực địa công trình",
                s,
                "kiem-tra-thuc-dia",
                st(
                    "inspect",
                    "specialist",
                    "PT4H",
                    "required_by_law",
                    legal=(
                        "Khoản 2 Điều 102 Luật Xây dựng 2014 (sửa đổi 2020): cơ quan cấp phép tổ chức "
                        "thẩm định hồ sơ, kiểm tra thực địa trong 07 ngày làm việc (bản ghi 1.013225)"
                    ),
                    citizen_time="PT2H",
                ),
            ),
        ],
        appraise=user(
            "Task_Appraise",
            "Thẩm định hồ sơ, đối chiếu quy hoạch, lập tờ trình",
            s,
            "tham-dinh-ho-so",
            st(
                "appraise",
                "specialist",
                "P2D",
                legal="Điều 93 Luật Xây dựng 2014 (điều kiện cấp phép nhà ở riêng lẻ)",
            ),
        ),
        approve_question="Đủ điều kiện cấp phép?",
        approve_condition="approved == True",
        refuse_condition="approved == False",
        refused_name="Không cấp giấy phép",
        sign=user(
            "Task_Sign", "Ký giấy phép xây dựng", lead, "ky-duyet", st("sign", "leader", "PT2H")
        ),
        after_sign=[],
        deliver=user(
            "Task_Deliver",
            "Trả giấy phép xây dựng kèm bản vẽ được đóng dấu",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT30M", "required", citizen_time="PT2H"),
        ),
        result_value="issued",
        done_name="Đã cấp giấy phép xây dựng",
        deadline="P7D",
    )
    components = [
        comp(
            "DOR_Don",
            "Đơn đề nghị cấp giấy phép xây dựng",
            "permit_application",
            "declaration_form",
            "original",
            "Khoản 1 Điều 95 Luật Xây dựng 2014; Nghị định 175/2024/NĐ-CP (mẫu đơn)",
            [
                "full_name",
                "identity_number",
                "permanent_address",
                "land_parcel_number",
                "land_map_sheet",
            ],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_GCN",
            "Bản sao Giấy chứng nhận quyền sử dụng đất",
            "land_certificate_copy",
            "land_use_certificate",
            "certified_copy",
            "Khoản 1 Điều 95 Luật Xây dựng 2014",
            [
                "land_certificate_number",
                "land_parcel_number",
                "land_map_sheet",
                "land_area",
                "land_owner",
            ],
            ["Task_Appraise"],
            note="Dữ liệu có trong CSDL quốc gia về đất đai (chưa kết nối ở nhiều tỉnh)",
        ),
        comp(
            "DOR_BanVe",
            "02 bộ bản vẽ thiết kế xây dựng",
            "construction_drawings",
            "construction_drawings",
            "original",
            "Khoản 1 Điều 95 Luật Xây dựng 2014",
            [],
            ["Task_Appraise", "Task_Inspect"],
        ),
        comp(
            "DOR_CCCD",
            "Bản sao Căn cước của chủ đầu tư",
            "identity_card_copy",
            "identity_card",
            "copy",
            "Yêu cầu còn tồn tại ở một số nơi tiếp nhận; không có trong Điều 95 Luật Xây dựng",
            ["identity_number", "full_name"],
            ["Task_Receive"],
            note=IDENTITY_COPY_NOTE,
        ),
    ]
    model = Model(
        "cap_giay_phep_xay_dung",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Ủy ban nhân dân cấp xã — Cấp giấy phép xây dựng",
        REC_GPXD[0],
        lanes,
        nodes,
        flows,
        boundaries,
        components,
        tag="GPXD",
    )
    forms = {
        "gpxd-don": form(
            "gpxd-don",
            "Đơn đề nghị cấp giấy phép xây dựng nhà ở riêng lẻ",
            {
                **person_block("citizen", who="chủ đầu tư"),
                "phone": pf("Số điện thoại", "population", "phone", "citizen"),
                "construction_address": text("Địa điểm xây dựng"),
                "land_certificate_number": text("Số Giấy chứng nhận quyền sử dụng đất"),
                "land_map_sheet": text("Số tờ bản đồ"),
                "land_parcel_number": text("Số thửa đất"),
                "land_area": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "title": "Diện tích thửa đất (m²)",
                },
                "building_footprint": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "title": "Diện tích xây dựng tầng 1 (m²)",
                },
                "floors": {"type": "integer", "minimum": 1, "maximum": 7, "title": "Số tầng"},
                "total_floor_area": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "title": "Tổng diện tích sàn (m²)",
                },
                "designer": text("Đơn vị, cá nhân thiết kế"),
                "drawings_file": attachment("Bản vẽ thiết kế", "construction_drawings"),
                "land_certificate_file": attachment(
                    "Bản sao Giấy chứng nhận quyền sử dụng đất", "land_certificate_copy"
                ),
            },
            [
                "construction_address",
                "land_certificate_number",
                "land_map_sheet",
                "land_parcel_number",
                "land_area",
                "building_footprint",
                "floors",
                "total_floor_area",
                "designer",
            ],
            "Mẫu đơn theo Nghị định 175/2024/NĐ-CP. Thông tin thửa đất do người dân tự khai (CSDL đất đai chưa kết nối).",
        )
    }
    declare = {
        "construction_address": "Số 18, Phố Kim Mã, Phường Ba Đình, Thành phố Hà Nội",
        "land_certificate_number": "DA 123456",
        "land_map_sheet": "12",
        "land_parcel_number": "245",
        "land_area": 86.5,
        "building_footprint": 70,
        "floors": 5,
        "total_floor_area": 350,
        "designer": "Công ty TNHH Tư vấn thiết kế Kiến Việt",
    }
    start = {"channel": "online", "data": {"applicant_id": "001090012345"}}
    examples = {
        "du-dieu-kien": {
            "name": "Nhà 5 tầng phù hợp quy hoạch, cấp phép",
            "applicant": "001090012345",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {
                    "task": "Task_Inspect",
                    "data": {"inspection_date": "2026-11-25", "site_matches": True},
                },
                {"task": "Task_Appraise", "data": {"approved": True}},
                {"task": "Task_Sign", "data": {"signed": True}},
                {
                    "task": "Task_Deliver",
                    "data": {"delivery_method": "Trực tiếp tại Bộ phận Một cửa"},
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "issued", "land_certificate_in_warehouse": {"found": False}},
                "completed_tasks": [
                    "Task_Declare",
                    "Task_Receive",
                    "Task_Inspect",
                    "Task_Appraise",
                    "Task_Sign",
                    "Task_Deliver",
                ],
            },
        },
        "vuot-tang-tu-choi": {
            "name": "Thiếu bản vẽ, bổ sung; quá 07 ngày làm việc; vượt số tầng theo quy hoạch nên không cấp",
            "applicant": "001090012345",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare | {"floors": 7, "total_floor_area": 490}},
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Bản vẽ mặt cắt"},
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Đã bổ sung bản vẽ mặt cắt"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {
                    "task": "Task_Inspect",
                    "data": {"inspection_date": "2026-11-26", "site_matches": True},
                },
                {"fire_timers": "P16D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Chờ ý kiến về quy hoạch",
                        "new_appointment": "2026-12-20",
                    },
                },
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Vượt chiều cao tối đa 5 tầng theo quy hoạch",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": [
                    "Task_Supplement",
                    "Task_Inspect",
                    "Task_Apology",
                    "Task_Appraise",
                ],
            },
        },
    }
    procedure = {
        "code": REC_GPXD[0],
        "name": {
            "vi": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            "en": "Construction permit for a detached house",
        },
        "agency_level": "commune",
        "agency": "Ủy ban nhân dân cấp xã",
        "field": "Hoạt động xây dựng",
        "legal_basis": [
            "Luật Xây dựng 2014 (sửa đổi, bổ sung 2020) (Điều 89, 93, 95, 102, 103)",
            "Nghị định 175/2024/NĐ-CP (quản lý hoạt động xây dựng)",
            "Nghị định 14/2026/NĐ-CP (cắt giảm, đơn giản hóa thủ tục hành chính thuộc phạm vi quản lý của Bộ Xây dựng)",
            ND140,
        ],
        "processing_time": {
            "days": 7,
            "working_days": True,
            **portal(
                *REC_GPXD_2026,
                "07 ngày làm việc đối với nhà ở riêng lẻ (10 ngày làm việc đối với công trình) kể từ "
                "ngày nhận đủ hồ sơ hợp lệ, trực tuyến, bưu chính và trực tiếp (căn cứ bổ sung Nghị "
                "định 14/2026/NĐ-CP, Nghị quyết 66.18/2026/NQ-CP); bản công bố trước (Quyết định "
                "56/QĐ-BXD) ghi 15 ngày trực tiếp, 20 ngày trực tuyến theo Khoản 2 Điều 102 Luật Xây "
                "dựng 2014 — theo bản công bố mới hơn",
            ),
        },
        "fee": {
            "amount": 75000,
            "online_amount": 37500,
            "currency": "VND",
            "estimate": True,
            "source": "Lệ phí do HĐND cấp tỉnh quyết định (bản ghi 1.013225; Thông tư 85/2019/TT-BTC); 75.000 đồng và mức giảm 50% trực tuyến là mức phổ biến, cần xác nhận theo tỉnh",
        },
        "annual_volume": {
            "dossiers": 250000,
            "estimate": True,
            "source": "Ước tính của nhóm phát triển; cần số liệu của Bộ Xây dựng",
        },
        "delivery_level": "partial_online",
        "sources": {
            "code": portal(
                *REC_GPXD,
                "Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV và nhà ở riêng lẻ, cấp xã",
            ),
            "agency": portal(
                *REC_GPXD,
                "cơ quan thực hiện: Ủy ban nhân dân cấp xã; " + ND140,
            ),
            "components": {
                "permit_application": portal(
                    *REC_GPXD,
                    "Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 1 Phụ lục II Nghị định 175/2024/NĐ-CP)",
                ),
                "land_certificate_copy": portal(
                    *REC_GPXD,
                    "một trong những giấy tờ hợp pháp về đất đai (Điều 53 Nghị định 175/2024/NĐ-CP); thay bằng dữ liệu khi CSDL quốc gia về đất đai vận hành",
                ),
                "construction_drawings": cited(
                    "Khoản 1 Điều 95 Luật Xây dựng 2014 (sửa đổi 2020): 02 bộ bản vẽ thiết kế xây dựng; bản ghi 1.013225",
                    "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/" + REC_GPXD[2],
                ),
                "identity_card_copy": estimated(NOT_IN_RECORD.format(code=REC_GPXD[0])),
            },
        },
    }
    return {
        "slug": "cap-giay-phep-xay-dung",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def dang_ky_ho_kinh_doanh() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    lanes = [
        (c, "Citizen", "Chủ hộ kinh doanh"),
        (d, "Desk", "Bộ phận Một cửa — Trung tâm Phục vụ hành chính công cấp xã"),
        (s, "Specialist", "Cơ quan đăng ký kinh doanh cấp xã (công chức)"),
        (lead, "Leader", "Lãnh đạo Ủy ban nhân dân cấp xã"),
    ]
    nodes, flows, boundaries = _standard(
        start_name="Đề nghị đăng ký hộ kinh doanh",
        prefills=[
            service(
                "Task_Prefill",
                "Lấy thông tin chủ hộ kinh doanh từ CSDL quốc gia về dân cư",
                c,
                "population.lookup",
                {"identity_number": "applicant_id"},
                "citizen",
            )
        ],
        declare=user(
            "Task_Declare",
            "Khai Giấy đề nghị đăng ký hộ kinh doanh",
            c,
            "hkd-de-nghi",
            st("submit", "citizen", "PT45M", legal="Nghị định 168/2025/NĐ-CP", citizen_time="PT2H"),
        ),
        pay=user(
            "Task_Pay",
            "Nộp lệ phí đăng ký hộ kinh doanh",
            c,
            "thanh-toan-le-phi",
            st("pay", "citizen", "PT10M", citizen_time="PT15M"),
        ),
        receive_name="Tiếp nhận hồ sơ, cấp Giấy biên nhận",
        receive_step=st("receive", "one_stop_desk", "PT20M"),
        after_intake=[
            user(
                "Task_Handoff",
                "Chuyển hồ sơ cho cơ quan đăng ký kinh doanh cấp xã",
                d,
                "chuyen-ho-so",
                st("handoff", "one_stop_desk", "PT4H"),
            )
        ],
        appraise=user(
            "Task_Appraise",
            "Kiểm tra tên hộ kinh doanh, ngành nghề; cấp mã số hộ kinh doanh",
            s,
            "hkd-tham-dinh",
            st("appraise", "specialist", "PT4H", legal="Nghị định 168/2025/NĐ-CP"),
        ),
        approve_question="Đủ điều kiện đăng ký?",
        approve_condition="approved == True",
        refuse_condition="approved == False",
        refused_name="Từ chối đăng ký hộ kinh doanh",
        sign=user(
            "Task_Sign",
            "Ký Giấy chứng nhận đăng ký hộ kinh doanh",
            lead,
            "ky-duyet",
            st("sign", "leader", "PT1H"),
        ),
        after_sign=[],
        deliver=user(
            "Task_Deliver",
            "Trả Giấy chứng nhận đăng ký hộ kinh doanh",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT15M"),
        ),
        result_value="registered",
        done_name="Đã đăng ký hộ kinh doanh",
        deadline="P3D",
    )
    components = [
        comp(
            "DOR_GiayDeNghi",
            "Giấy đề nghị đăng ký hộ kinh doanh",
            "household_business_application",
            "declaration_form",
            "original",
            "Nghị định 168/2025/NĐ-CP (hồ sơ đăng ký hộ kinh doanh)",
            [
                "household_business_name",
                "business_lines",
                "full_name",
                "identity_number",
                "permanent_address",
            ],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_CCCD",
            "Bản sao giấy tờ pháp lý của chủ hộ kinh doanh (Căn cước)",
            "identity_card_copy",
            "identity_card",
            "copy",
            "Nghị định 168/2025/NĐ-CP (trường hợp chưa kết nối CSDL dân cư)",
            ["identity_number", "full_name", "date_of_birth", "permanent_address"],
            ["Task_Receive"],
            note=IDENTITY_COPY_NOTE,
        ),
        comp(
            "DOR_BienBanHop",
            "Biên bản họp thành viên hộ gia đình về việc đăng ký hộ kinh doanh",
            "household_meeting_minutes",
            "declaration_form",
            "copy",
            "Nghị định 168/2025/NĐ-CP (khi các thành viên hộ gia đình cùng đăng ký)",
            ["full_name"],
            ["Task_Appraise"],
            required=False,
        ),
        comp(
            "DOR_HopDongThue",
            "Bản sao hợp đồng thuê địa điểm kinh doanh",
            "premises_lease",
            "legal_residence_proof",
            "copy",
            "Yêu cầu của một số địa phương; không có trong hồ sơ theo Nghị định 168/2025/NĐ-CP",
            ["enterprise_address"],
            ["Task_Appraise"],
            required=False,
        ),
    ]
    model = Model(
        "dang_ky_ho_kinh_doanh",
        "Đăng ký thành lập hộ kinh doanh",
        "Ủy ban nhân dân cấp xã — Đăng ký hộ kinh doanh",
        REC_HKD[0],
        lanes,
        nodes,
        flows,
        boundaries,
        components,
        tag="HKD",
    )
    forms = {
        "hkd-de-nghi": form(
            "hkd-de-nghi",
            "Giấy đề nghị đăng ký hộ kinh doanh",
            {
                **person_block("citizen", who="chủ hộ kinh doanh"),
                "ethnicity": pf("Dân tộc", "population", "ethnicity", "citizen"),
                "phone": pf("Số điện thoại", "population", "phone", "citizen"),
                "household_business_name": text("Tên hộ kinh doanh"),
                "business_address": text("Địa điểm kinh doanh"),
                "business_lines": {
                    "type": "array",
                    "title": "Ngành, nghề kinh doanh (mã VSIC)",
                    "items": {"type": "string", "minLength": 4},
                    "minItems": 1,
                },
                "capital": {"type": "integer", "minimum": 0, "title": "Vốn kinh doanh (đồng)"},
                "employees": {"type": "integer", "minimum": 0, "title": "Số lượng lao động"},
                "identity_card_file": attachment(
                    "Bản sao Căn cước của chủ hộ", "identity_card_copy"
                ),
            },
            ["household_business_name", "business_address", "business_lines", "capital"],
            "Mẫu theo Nghị định 168/2025/NĐ-CP.",
        ),
        "hkd-tham-dinh": form(
            "hkd-tham-dinh",
            "Kiểm tra hồ sơ, cấp mã số hộ kinh doanh",
            {
                "approved": {"type": "boolean", "title": "Đủ điều kiện đăng ký"},
                "household_business_code": {"type": "string", "title": "Mã số hộ kinh doanh"},
                "refusal_reason": {"type": "string", "title": "Lý do từ chối (nếu có)"},
            },
            ["approved"],
        )
        | {
            "allOf": [
                {
                    "if": {"properties": {"approved": {"const": True}}, "required": ["approved"]},
                    "then": {"required": ["household_business_code"]},
                }
            ]
        },
    }
    declare = {
        "household_business_name": "Hộ kinh doanh Tiệm tóc Lan Vy",
        "business_address": "Số 31, Đường Hai Bà Trưng, Phường Lê Chân, Thành phố Hải Phòng",
        "business_lines": ["9631 - Cắt tóc, làm đầu, gội đầu"],
        "capital": 80000000,
        "employees": 2,
    }
    pay = {
        "payment_reference": "PAY-2026-HKD-000311",
        "amount": 50000,
        "payment_method": "Chuyển khoản ngân hàng",
    }
    start = {"channel": "online", "data": {"applicant_id": "031303009876"}}
    examples = {
        "dang-ky-moi": {
            "name": "Đăng ký hộ kinh doanh dịch vụ cắt tóc",
            "applicant": "031303009876",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Pay", "data": pay},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {
                    "task": "Task_Appraise",
                    "data": {"approved": True, "household_business_code": "31A8009876"},
                },
                {"task": "Task_Sign", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "registered", "household_business_code": "31A8009876"},
                "completed_tasks": [
                    "Task_Declare",
                    "Task_Pay",
                    "Task_Appraise",
                    "Task_Sign",
                    "Task_Deliver",
                ],
            },
        },
        "trung-ten-tu-choi": {
            "name": "Bổ sung hồ sơ; tên trùng với hộ kinh doanh đã đăng ký nên bị từ chối",
            "applicant": "031303009876",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Pay", "data": pay},
                {
                    "task": "Task_Receive",
                    "data": {
                        "dossier_valid": False,
                        "missing_items": "Ngành nghề ghi chưa đúng mã",
                    },
                },
                {"task": "Task_Supplement", "data": {"supplement_note": "Đã sửa mã ngành 9631"}},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Tên trùng hộ kinh doanh đã đăng ký trên địa bàn",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Appraise"],
            },
        },
    }
    procedure = {
        "code": REC_HKD[0],
        "name": {"vi": "Đăng ký thành lập hộ kinh doanh", "en": "Household business registration"},
        "agency_level": "commune",
        "agency": "Ủy ban nhân dân cấp xã (cơ quan đăng ký kinh doanh cấp xã)",
        "field": "Thành lập và hoạt động của hộ kinh doanh",
        "legal_basis": [
            "Nghị định 168/2025/NĐ-CP về đăng ký doanh nghiệp (đăng ký hộ kinh doanh)",
            "Thông tư 68/2025/TT-BTC (biểu mẫu đăng ký doanh nghiệp, hộ kinh doanh)",
            "Thông tư 85/2019/TT-BTC (lệ phí do HĐND cấp tỉnh quyết định)",
        ],
        "processing_time": {
            "days": 3,
            "working_days": True,
            "estimate": True,
            "source": "03 ngày làm việc kể từ ngày nhận hồ sơ hợp lệ (như Nghị định 01/2021/NĐ-CP); bản ghi 1.001612 (Quyết định 2353/QĐ-BTC) ghi thời hạn 'không có thông tin'",
        },
        "fee": {
            "amount": 100000,
            "online_amount": 50000,
            "currency": "VND",
            "estimate": True,
            "source": "Lệ phí do HĐND cấp tỉnh quyết định (Thông tư 85/2019/TT-BTC; bản ghi 1.001612 nêu ví dụ 150.000 đồng trực tuyến, 50.000 đồng trực tiếp); 100.000/50.000 đồng là mức phổ biến, cần xác nhận theo tỉnh",
        },
        "annual_volume": {
            "dossiers": 200000,
            "estimate": True,
            "source": "Ước tính của nhóm phát triển; cần số liệu của Bộ Tài chính",
        },
        "delivery_level": "full_online",
        "sources": {
            "code": portal(*REC_HKD, "Đăng ký thành lập hộ kinh doanh, cấp xã"),
            "agency": cited(
                "Cơ quan đăng ký kinh doanh cấp xã (Nghị định 168/2025/NĐ-CP); bản ghi 1.001612 (Quyết định 2353/QĐ-BTC)",
                "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/" + REC_HKD[2],
            ),
            "components": {
                "household_business_application": portal(
                    *REC_HKD, "Giấy đề nghị đăng ký hộ kinh doanh"
                ),
                "identity_card_copy": portal(
                    *REC_HKD,
                    "bản sao thẻ Căn cước chỉ khi chưa có tài khoản định danh điện tử để xác thực",
                ),
                "household_meeting_minutes": portal(
                    *REC_HKD,
                    "bản sao văn bản ủy quyền (công chứng, chứng thực) của thành viên hộ gia đình cho một thành viên làm chủ hộ kinh doanh",
                ),
                "premises_lease": estimated(NOT_IN_RECORD.format(code=REC_HKD[0])),
            },
        },
    }
    return {
        "slug": "dang-ky-ho-kinh-doanh",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def dang_ky_thanh_lap_doanh_nghiep() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    lanes = [
        (c, "Citizen", "Người thành lập doanh nghiệp"),
        (d, "Desk", "Bộ phận Một cửa — Trung tâm Phục vụ hành chính công cấp tỉnh"),
        (s, "Specialist", "Phòng Đăng ký kinh doanh, Sở Tài chính (chuyên viên)"),
        (lead, "Leader", "Trưởng phòng Đăng ký kinh doanh"),
        ("other_agency", "Tax", "Cơ quan thuế"),
    ]
    nodes, flows, boundaries = _standard(
        start_name="Đề nghị đăng ký thành lập doanh nghiệp",
        prefills=[
            service(
                "Task_Prefill",
                "Lấy thông tin người đại diện từ CSDL quốc gia về dân cư",
                c,
                "population.lookup",
                {"identity_number": "applicant_id"},
                "citizen",
            )
        ],
        declare=user(
            "Task_Declare",
            "Khai Giấy đề nghị đăng ký doanh nghiệp, tải Điều lệ và danh sách thành viên",
            c,
            "dn-de-nghi",
            st(
                "submit",
                "citizen",
                "PT2H",
                legal="Điều 21–23 Luật Doanh nghiệp 2020",
                citizen_time="P1D",
            ),
        ),
        pay=user(
            "Task_Pay",
            "Nộp phí công bố nội dung đăng ký doanh nghiệp",
            c,
            "thanh-toan-le-phi",
            st("pay", "citizen", "PT10M", legal="Thông tư 47/2019/TT-BTC", citizen_time="PT15M"),
        ),
        receive_name="Tiếp nhận hồ sơ đăng ký doanh nghiệp",
        receive_step=st(
            "receive", "one_stop_desk", "PT30M", legal="Điều 26 Luật Doanh nghiệp 2020"
        ),
        after_intake=[],
        appraise=user(
            "Task_Appraise",
            "Kiểm tra tính hợp lệ, tên doanh nghiệp, ngành nghề",
            s,
            "tham-dinh-ho-so",
            st("appraise", "specialist", "PT4H", legal="Khoản 2 Điều 26 Luật Doanh nghiệp 2020"),
        ),
        approve_question="Hồ sơ hợp lệ để cấp đăng ký?",
        approve_condition="approved == True",
        refuse_condition="approved == False",
        refused_name="Thông báo sửa đổi, bổ sung / từ chối",
        sign=user(
            "Task_Sign",
            "Ký Giấy chứng nhận đăng ký doanh nghiệp",
            lead,
            "ky-duyet",
            st("sign", "leader", "PT1H"),
        ),
        after_sign=[
            user(
                "Task_TaxCode",
                "Tạo mã số doanh nghiệp (mã số thuế) qua kết nối với cơ quan thuế",
                "other_agency",
                "dn-ma-so",
                st("other", "other_agency", "PT2H", legal="Điều 29 Luật Doanh nghiệp 2020"),
            )
        ],
        deliver=user(
            "Task_Deliver",
            "Trả Giấy chứng nhận đăng ký doanh nghiệp",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT15M"),
        ),
        result_value="registered",
        done_name="Đã cấp Giấy chứng nhận đăng ký doanh nghiệp",
        deadline="P3D",
    )
    components = [
        comp(
            "DOR_GiayDeNghi",
            "Giấy đề nghị đăng ký doanh nghiệp",
            "enterprise_application",
            "declaration_form",
            "original",
            "Điều 21–23 Luật Doanh nghiệp 2020",
            [
                "enterprise_name",
                "enterprise_address",
                "business_lines",
                "charter_capital",
                "legal_representative",
            ],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_DieuLe",
            "Điều lệ công ty",
            "company_charter",
            "company_charter",
            "original",
            "Khoản 2 Điều 21 Luật Doanh nghiệp 2020",
            ["enterprise_name", "charter_capital"],
            ["Task_Appraise"],
        ),
        comp(
            "DOR_DanhSachThanhVien",
            "Danh sách thành viên",
            "member_list",
            "member_list",
            "original",
            "Khoản 3 Điều 21 Luật Doanh nghiệp 2020",
            ["full_name", "identity_number"],
            ["Task_Appraise"],
        ),
        comp(
            "DOR_CCCD",
            "Bản sao giấy tờ pháp lý của cá nhân (người đại diện, thành viên)",
            "identity_card_copy",
            "identity_card",
            "copy",
            "Khoản 4 Điều 21 Luật Doanh nghiệp 2020",
            ["identity_number", "full_name", "date_of_birth", "permanent_address"],
            ["Task_Receive"],
            note=IDENTITY_COPY_NOTE,
        ),
    ]
    model = Model(
        "dang_ky_thanh_lap_doanh_nghiep",
        "Đăng ký thành lập công ty trách nhiệm hữu hạn",
        "Sở Tài chính — Đăng ký thành lập doanh nghiệp",
        REC_DN[0],
        lanes,
        nodes,
        flows,
        boundaries,
        components,
        tag="DN",
    )
    forms = {
        "dn-de-nghi": form(
            "dn-de-nghi",
            "Giấy đề nghị đăng ký công ty trách nhiệm hữu hạn",
            {
                **person_block("citizen", who="người đại diện theo pháp luật"),
                "ethnicity": pf("Dân tộc", "population", "ethnicity", "citizen"),
                "enterprise_type": {
                    "type": "string",
                    "title": "Loại hình doanh nghiệp",
                    "enum": [
                        "Công ty TNHH một thành viên",
                        "Công ty TNHH hai thành viên trở lên",
                        "Công ty cổ phần",
                    ],
                },
                "enterprise_name": text("Tên doanh nghiệp viết bằng tiếng Việt"),
                "enterprise_name_foreign": {
                    "type": "string",
                    "title": "Tên doanh nghiệp viết bằng tiếng nước ngoài",
                },
                "enterprise_address": text("Địa chỉ trụ sở chính"),
                "business_lines": {
                    "type": "array",
                    "title": "Ngành, nghề kinh doanh (mã VSIC)",
                    "items": {"type": "string", "minLength": 4},
                    "minItems": 1,
                },
                "charter_capital": {"type": "integer", "minimum": 1, "title": "Vốn điều lệ (đồng)"},
                "members": {
                    "type": "array",
                    "title": "Danh sách thành viên",
                    "items": {
                        "type": "object",
                        "properties": {
                            "full_name": {"type": "string", "title": "Họ tên"},
                            "identity_number": {
                                "type": "string",
                                "title": "Số định danh",
                                "pattern": "^[0-9]{12}$",
                            },
                            "capital_share": {
                                "type": "integer",
                                "minimum": 1,
                                "title": "Phần vốn góp (đồng)",
                            },
                        },
                        "required": ["full_name", "identity_number", "capital_share"],
                    },
                },
                "charter_file": attachment("Điều lệ công ty", "company_charter"),
                "member_list_file": attachment("Danh sách thành viên", "member_list"),
            },
            [
                "enterprise_type",
                "enterprise_name",
                "enterprise_address",
                "business_lines",
                "charter_capital",
            ],
            "Mẫu Giấy đề nghị theo Nghị định 168/2025/NĐ-CP.",
        ),
        "dn-ma-so": form(
            "dn-ma-so",
            "Mã số doanh nghiệp do cơ quan thuế tạo",
            {
                "enterprise_code": {
                    "type": "string",
                    "title": "Mã số doanh nghiệp",
                    "pattern": "^[0-9]{10}$",
                },
            },
            ["enterprise_code"],
        ),
    }
    declare = {
        "enterprise_type": "Công ty TNHH hai thành viên trở lên",
        "enterprise_name": "Công ty TNHH Ẩm thực Bến Thành Xanh",
        "enterprise_address": "Số 42, Đường Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh",
        "business_lines": ["5610 - Nhà hàng và các dịch vụ ăn uống phục vụ lưu động"],
        "charter_capital": 1500000000,
        "members": [
            {
                "full_name": "Lê Thị Cúc",
                "identity_number": "079185001234",
                "capital_share": 900000000,
            },
            {
                "full_name": "Nguyễn Văn An",
                "identity_number": "001090012345",
                "capital_share": 600000000,
            },
        ],
    }
    pay = {
        "payment_reference": "PAY-2026-DN-009912",
        "amount": 100000,
        "payment_method": "Nền tảng thanh toán Cổng Dịch vụ công quốc gia",
    }
    start = {"channel": "online", "data": {"applicant_id": "079185001234"}}
    examples = {
        "cap-dang-ky": {
            "name": "Thành lập công ty TNHH hai thành viên, hồ sơ hợp lệ",
            "applicant": "079185001234",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Pay", "data": pay},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Appraise", "data": {"approved": True}},
                {"task": "Task_Sign", "data": {"signed": True}},
                {"task": "Task_TaxCode", "data": {"enterprise_code": "0319001122"}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "registered", "enterprise_code": "0319001122"},
                "completed_tasks": [
                    "Task_Declare",
                    "Task_Pay",
                    "Task_Appraise",
                    "Task_Sign",
                    "Task_TaxCode",
                    "Task_Deliver",
                ],
            },
        },
        "ten-gay-nham-lan": {
            "name": "Bổ sung hồ sơ; quá 3 ngày; tên gây nhầm lẫn nên không cấp",
            "applicant": "079185001234",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Pay", "data": pay},
                {
                    "task": "Task_Receive",
                    "data": {
                        "dossier_valid": False,
                        "missing_items": "Danh sách thành viên có chữ ký",
                    },
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Đã ký số danh sách thành viên"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P4D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Hệ thống đăng ký kinh doanh gián đoạn",
                        "new_appointment": "2026-12-02",
                    },
                },
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Tên gây nhầm lẫn với doanh nghiệp đã đăng ký (Điều 41 Luật Doanh nghiệp)",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Apology", "Task_Appraise"],
            },
        },
    }
    procedure = {
        "code": REC_DN[0],
        "name": {
            "vi": "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên",
            "en": "Enterprise (limited liability company) registration",
        },
        "agency_level": "province",
        "agency": "Phòng Đăng ký kinh doanh, Sở Tài chính",
        "field": "Thành lập và hoạt động của doanh nghiệp",
        "legal_basis": [
            "Luật Doanh nghiệp 2020 (sửa đổi, bổ sung 2025) (Điều 21–29)",
            "Nghị định 168/2025/NĐ-CP về đăng ký doanh nghiệp",
            "Thông tư 68/2025/TT-BTC (biểu mẫu đăng ký doanh nghiệp)",
            "Thông tư 47/2019/TT-BTC (lệ phí đăng ký doanh nghiệp, phí công bố); Thông tư 64/2025/TT-BTC",
        ],
        "processing_time": {
            "days": 3,
            "working_days": True,
            **portal(*REC_DN, "03 ngày làm việc; Điều 26 Luật Doanh nghiệp 2020"),
        },
        "fee": {
            "amount": 150000,
            "online_amount": 100000,
            "currency": "VND",
            "estimate": True,
            "source": "Bản ghi 2.001199: trực tuyến 100.000 đồng (phí công bố, Thông tư 47/2019/TT-BTC); trực tiếp lệ phí bằng 50% mức Thông tư 47/2019/TT-BTC (Thông tư 64/2025/TT-BTC) cộng phí công bố: 150.000 đồng là mức chưa giảm, cần xác nhận",
        },
        "annual_volume": {
            "dossiers": 160000,
            "estimate": True,
            "source": "Khoảng 157 nghìn doanh nghiệp đăng ký thành lập mới năm 2024 (Tổng cục Thống kê); làm tròn",
        },
        "delivery_level": "full_online",
        "sources": {
            "code": portal(*REC_DN, "Đăng ký thành lập công ty TNHH hai thành viên trở lên"),
            "agency": portal(
                *REC_DN,
                "cơ quan thực hiện: Sở Tài chính các tỉnh, thành phố (Phòng Đăng ký kinh doanh)",
            ),
            "components": {
                "enterprise_application": portal(*REC_DN, "Giấy đề nghị đăng ký doanh nghiệp"),
                "company_charter": portal(*REC_DN, "Điều lệ công ty"),
                "member_list": portal(
                    *REC_DN, "Danh sách thành viên; danh sách chủ sở hữu hưởng lợi (nếu có)"
                ),
                "identity_card_copy": portal(
                    *REC_DN,
                    "bản sao giấy tờ pháp lý của cá nhân, trừ khi kê khai số định danh cá nhân (Khoản 1 Điều 11 Nghị định 168/2025/NĐ-CP)",
                ),
            },
        },
    }
    return {
        "slug": "dang-ky-thanh-lap-doanh-nghiep",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def cap_doi_giay_phep_lai_xe() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    lanes = [
        (c, "Citizen", "Người đề nghị đổi giấy phép lái xe"),
        (d, "Desk", "Bộ phận Một cửa — Phòng Cảnh sát giao thông, Công an cấp tỉnh"),
        (s, "Specialist", "Cán bộ quản lý giấy phép lái xe"),
        (lead, "Leader", "Lãnh đạo Phòng Cảnh sát giao thông"),
    ]
    nodes, flows, boundaries = _standard(
        start_name="Đề nghị cấp đổi giấy phép lái xe",
        prefills=[
            service(
                "Task_Prefill",
                "Lấy thông tin công dân từ CSDL quốc gia về dân cư",
                c,
                "population.lookup",
                {"identity_number": "applicant_id"},
                "citizen",
            ),
            service(
                "Task_LicenceLookup",
                "Lấy thông tin giấy phép lái xe từ CSDL giấy phép lái xe",
                c,
                "driving_licences.lookup",
                {"identity_number": "applicant_id"},
                "licence",
            ),
            service(
                "Task_HealthLookup",
                "Lấy Giấy khám sức khỏe điện tử từ CSDL y tế",
                c,
                "health.lookup",
                {"identity_number": "applicant_id"},
                "health",
            ),
        ],
        declare=user(
            "Task_Declare",
            "Khai Đơn đề nghị đổi giấy phép lái xe",
            c,
            "gplx-don",
            st(
                "submit",
                "citizen",
                "PT15M",
                legal="Luật Trật tự, an toàn giao thông đường bộ 2024 (Điều 62)",
                citizen_time="PT30M",
            ),
        ),
        pay=user(
            "Task_Pay",
            "Nộp lệ phí cấp đổi giấy phép lái xe",
            c,
            "thanh-toan-le-phi",
            st(
                "pay",
                "citizen",
                "PT10M",
                legal="Thông tư 37/2023/TT-BTC; Thông tư 63/2023/TT-BTC",
                citizen_time="PT15M",
            ),
        ),
        checks=[
            service(
                "Task_VerifyLicence",
                "Xác thực giấy phép lái xe trên CSDL giấy phép lái xe",
                d,
                "driving_licences.verify",
                {
                    "document_type": '"driving_licence"',
                    "number": 'licence["driving_licence_number"]',
                    "identity_number": "applicant_id",
                },
                "licence_check",
                kind="verify",
            )
        ],
        receive_name="Tiếp nhận hồ sơ, đối chiếu bản chính giấy phép lái xe và Căn cước",
        receive_step=st("receive", "one_stop_desk", "PT20M", "required", citizen_time="PT2H"),
        after_intake=[],
        appraise=user(
            "Task_Appraise",
            "Kiểm tra hồ sơ gốc, kết quả khám sức khỏe, tình trạng giấy phép",
            s,
            "tham-dinh-ho-so",
            st("verify", "specialist", "PT2H"),
        ),
        approve_question="Đủ điều kiện đổi?",
        approve_condition="approved == True",
        refuse_condition="approved == False",
        refused_name="Không đổi giấy phép lái xe",
        sign=user(
            "Task_Approve", "Phê duyệt cấp đổi", lead, "ky-duyet", st("approve", "leader", "PT30M")
        ),
        after_sign=[
            user(
                "Task_Print",
                "In giấy phép lái xe mới",
                s,
                "gplx-in",
                st("other", "specialist", "P1D"),
            )
        ],
        deliver=user(
            "Task_Deliver",
            "Trả giấy phép lái xe (bưu chính hoặc tại nơi nộp)",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT15M"),
        ),
        result_value="issued",
        done_name="Đã đổi giấy phép lái xe",
        deadline="P5D",
    )
    components = [
        comp(
            "DOR_Don",
            "Đơn đề nghị đổi giấy phép lái xe",
            "licence_application",
            "declaration_form",
            "original",
            "Thông tư của Bộ Công an về cấp, đổi giấy phép lái xe (2025)",
            ["full_name", "identity_number", "driving_licence_number", "driving_licence_class"],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_GiayKhamSucKhoe",
            "Giấy khám sức khỏe của người lái xe",
            "health_certificate",
            "health_certificate",
            "original",
            "Luật Trật tự, an toàn giao thông đường bộ 2024 (Điều 60)",
            ["health_check_result"],
            ["Task_Appraise"],
            note="Giấy khám sức khỏe điện tử đã liên thông lên CSDL y tế",
        ),
        comp(
            "DOR_GPLX",
            "Bản sao giấy phép lái xe (xuất trình bản chính)",
            "licence_copy",
            "driving_licence",
            "copy",
            "Thông tư của Bộ Công an về cấp, đổi giấy phép lái xe (2025)",
            ["driving_licence_number", "driving_licence_class", "driving_licence_expiry"],
            ["Task_Receive"],
        ),
        comp(
            "DOR_CCCD",
            "Bản sao Căn cước",
            "identity_card_copy",
            "identity_card",
            "copy",
            "Yêu cầu trước khi kết nối CSDL dân cư",
            ["identity_number", "full_name", "date_of_birth"],
            ["Task_Receive"],
            note=IDENTITY_COPY_NOTE,
        ),
    ]
    model = Model(
        "cap_doi_giay_phep_lai_xe",
        "Cấp đổi giấy phép lái xe",
        "Công an cấp tỉnh — Cấp đổi giấy phép lái xe",
        REC_GPLX[0],
        lanes,
        nodes,
        flows,
        boundaries,
        components,
        tag="GPLX",
    )
    forms = {
        "gplx-don": form(
            "gplx-don",
            "Đơn đề nghị đổi giấy phép lái xe",
            {
                **person_block("citizen"),
                "driving_licence_number": pf(
                    "Số giấy phép lái xe", "driving_licences", "driving_licence_number", "licence"
                ),
                "driving_licence_class": pf(
                    "Hạng giấy phép lái xe", "driving_licences", "driving_licence_class", "licence"
                ),
                "driving_licence_expiry": pf(
                    "Ngày hết hạn",
                    "driving_licences",
                    "driving_licence_expiry",
                    "licence",
                    format="date",
                ),
                "renewal_reason": {
                    "type": "string",
                    "title": "Lý do đổi",
                    "enum": ["Hết hạn", "Hư hỏng", "Thay đổi thông tin"],
                },
                "health_certificate_number": text("Số Giấy khám sức khỏe"),
                "delivery_address": text("Địa chỉ nhận giấy phép lái xe"),
                "licence_copy_file": attachment("Bản sao giấy phép lái xe", "licence_copy"),
            },
            ["renewal_reason", "health_certificate_number", "delivery_address"],
            "Thông tin giấy phép lấy từ CSDL giấy phép lái xe.",
        ),
        "gplx-in": form(
            "gplx-in",
            "In giấy phép lái xe",
            {
                "new_licence_number": {
                    "type": "string",
                    "title": "Số giấy phép lái xe mới",
                    "pattern": "^[0-9]{12}$",
                },
                "new_licence_expiry": date("Có giá trị đến"),
            },
            ["new_licence_number", "new_licence_expiry"],
        ),
    }
    declare = {
        "renewal_reason": "Hết hạn",
        "health_certificate_number": "GKSK-2026-000001",
        "delivery_address": "Số 18, Phố Kim Mã, Phường Ba Đình, Thành phố Hà Nội",
    }
    pay = {
        "payment_reference": "PAY-2026-GPLX-1203",
        "amount": 115000,
        "payment_method": "Nền tảng thanh toán Cổng Dịch vụ công quốc gia",
    }
    start = {"channel": "online", "data": {"applicant_id": "001090012345"}}
    examples = {
        "doi-het-han": {
            "name": "Đổi giấy phép lái xe hạng B sắp hết hạn",
            "applicant": "001090012345",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Pay", "data": pay},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Appraise", "data": {"approved": True}},
                {"task": "Task_Approve", "data": {"signed": True}},
                {
                    "task": "Task_Print",
                    "data": {
                        "new_licence_number": "010123456790",
                        "new_licence_expiry": "2036-12-20",
                    },
                },
                {"task": "Task_Deliver", "data": {"delivery_method": "Bưu chính công ích"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "issued",
                    "licence": {"driving_licence_class": "B"},
                    "licence_check": {"valid": True, "status": "valid"},
                },
                "completed_tasks": [
                    "Task_Declare",
                    "Task_Pay",
                    "Task_Appraise",
                    "Task_Approve",
                    "Task_Print",
                    "Task_Deliver",
                ],
            },
        },
        "suc-khoe-khong-dat": {
            "name": "Thiếu giấy khám sức khỏe, bổ sung; quá hạn; kết quả khám không đạt",
            "applicant": "001090012345",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Pay", "data": pay},
                {
                    "task": "Task_Receive",
                    "data": {
                        "dossier_valid": False,
                        "missing_items": "Giấy khám sức khỏe bản chính",
                    },
                },
                {"task": "Task_Supplement", "data": {"supplement_note": "Đã nộp bản chính"}},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P6D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Chờ xác minh kết quả khám sức khỏe",
                        "new_appointment": "2026-12-05",
                    },
                },
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Kết luận không đủ sức khỏe lái xe hạng B",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Apology", "Task_Appraise"],
            },
        },
    }
    procedure = {
        "code": REC_GPLX[0],
        "name": {"vi": "Đổi giấy phép lái xe", "en": "Driving licence renewal"},
        "agency_level": "province",
        "agency": "Phòng Cảnh sát giao thông, Công an cấp tỉnh",
        "field": "Đường bộ",
        "legal_basis": [
            "Luật Trật tự, an toàn giao thông đường bộ 2024 (Điều 57–62)",
            "Thông tư 12/2025/TT-BCA (sát hạch, cấp giấy phép lái xe)",
            "Thông tư 37/2023/TT-BTC (lệ phí cấp giấy phép lái xe)",
            "Thông tư 63/2023/TT-BTC (giảm lệ phí khi nộp trực tuyến)",
        ],
        "processing_time": {
            "days": 5,
            "working_days": True,
            **portal(
                *REC_GPLX,
                "05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ (trực tuyến, trực tiếp)",
            ),
        },
        "fee": {
            "amount": 135000,
            "online_amount": 115000,
            "currency": "VND",
            "estimate": True,
            "source": "Bản ghi 3.000347: 135.000 đồng/lần (Thông tư 37/2023/TT-BTC); trực tuyến 115.000 đồng từ 01/12/2023 đến hết 31/12/2025 (Thông tư 63/2023/TT-BTC): mức trực tuyến năm 2026 chưa xác nhận",
        },
        "annual_volume": {
            "dossiers": 1500000,
            "estimate": True,
            "source": "Ước tính của nhóm phát triển; cần số liệu của Bộ Công an",
        },
        "delivery_level": "full_online",
        "sources": {
            "code": portal(*REC_GPLX, "Đổi giấy phép lái xe"),
            "agency": portal(
                *REC_GPLX,
                "cơ quan thực hiện: Cục Cảnh sát giao thông, Công an cấp tỉnh (Phòng Cảnh sát giao thông), Công an cấp xã được bố trí điểm tiếp nhận",
            ),
            "components": {
                "licence_application": portal(
                    *REC_GPLX,
                    "Đề nghị đổi giấy phép lái xe (mẫu Phụ lục XII Thông tư 12/2025/TT-BCA)",
                ),
                "health_certificate": portal(
                    *REC_GPLX,
                    "Giấy khám sức khỏe của người lái xe còn hiệu lực (trừ hạng A1, A, B1)",
                ),
                "licence_copy": portal(
                    *REC_GPLX,
                    "bản sao hoặc bản sao điện tử giấy phép lái xe (tra cứu hệ thống thông tin giấy phép lái xe khi tiếp nhận)",
                ),
                "identity_card_copy": estimated(NOT_IN_RECORD.format(code=REC_GPLX[0])),
            },
        },
    }
    return {
        "slug": "cap-doi-giay-phep-lai-xe",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def cap_giay_chung_nhan_dat_lan_dau() -> dict:
    c, d, s, lead, o = "citizen", "one_stop_desk", "specialist", "leader", "other_agency"
    lanes = [
        (c, "Citizen", "Người sử dụng đất (hộ gia đình, cá nhân)"),
        (d, "Desk", "Bộ phận Một cửa — Trung tâm Phục vụ hành chính công cấp xã"),
        (s, "Specialist", "Công chức địa chính cấp xã"),
        (o, "LandOffice", "Văn phòng đăng ký đất đai (chi nhánh) và cơ quan thuế"),
        (lead, "Leader", "Chủ tịch Ủy ban nhân dân cấp xã"),
    ]
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after="Task_Declare",
        next_="Task_Handoff",
        receive_name="Tiếp nhận hồ sơ đăng ký, cấp Giấy chứng nhận lần đầu",
        receive_step=st("receive", "one_stop_desk", "PT30M", "required", citizen_time="PT3H"),
    )
    t_nodes, t_flows, timer = overdue("Task_Cadastral", d, "P20D")
    nodes = [
        Node("Start_Request", "start", "Đề nghị cấp Giấy chứng nhận lần đầu", c),
        service(
            "Task_Prefill",
            "Lấy thông tin người sử dụng đất từ CSDL quốc gia về dân cư",
            c,
            "population.lookup",
            {"identity_number": "applicant_id"},
            "citizen",
        ),
        user(
            "Task_Declare",
            "Khai Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu 04/ĐK)",
            c,
            "gcn-don",
            st(
                "submit",
                "citizen",
                "PT1H",
                legal="Luật Đất đai 2024 (Điều 132); Nghị định 101/2024/NĐ-CP",
                citizen_time="P1D",
            ),
        ),
        *intake_nodes,
        user(
            "Task_Handoff",
            "Chuyển hồ sơ cho công chức địa chính",
            d,
            "chuyen-ho-so",
            st("handoff", "one_stop_desk", "PT4H"),
        ),
        user(
            "Task_Inspect",
            "Kiểm tra hiện trạng, xác nhận nguồn gốc, thời điểm sử dụng đất; niêm yết công khai 15 ngày",
            s,
            "gcn-xac-nhan",
            st(
                "inspect",
                "specialist",
                "P15D",
                "required_by_law",
                legal=(
                    "Nghị định 101/2024/NĐ-CP (kiểm tra hiện trạng, xác nhận nguồn gốc); "
                    + ND151
                    + ": "
                    "niêm yết công khai kết quả kiểm tra 15 ngày tại trụ sở Ủy ban nhân dân cấp xã và khu "
                    "dân cư nơi có đất (Mẫu số 17; bản ghi 1.013978)"
                ),
                citizen_time="PT3H",
            ),
        ),
        Node("Gateway_Eligible", "xor", "Đủ điều kiện công nhận?", s),
        script(
            "Task_Refused",
            "Thông báo bằng văn bản lý do không đủ điều kiện",
            s,
            'result = "refused"',
        ),
        Node("End_Refused", "end", "Không đủ điều kiện cấp Giấy chứng nhận", s),
        user(
            "Task_Cadastral",
            "Trích lục/trích đo bản đồ địa chính, kiểm tra hồ sơ, gửi thông tin sang cơ quan thuế",
            o,
            "gcn-dia-chinh",
            st(
                "appraise",
                "other_agency",
                "P5D",
                legal="Luật Đất đai 2024; Nghị định 101/2024/NĐ-CP",
            ),
        ),
        user(
            "Task_Tax",
            "Xác định nghĩa vụ tài chính, ra thông báo nộp tiền",
            o,
            "gcn-nghia-vu-tai-chinh",
            st("appraise", "other_agency", "P3D", legal="Luật Quản lý thuế 2019"),
        ),
        user(
            "Task_PayObligations",
            "Nộp tiền sử dụng đất, lệ phí trước bạ, lệ phí cấp Giấy chứng nhận",
            c,
            "thanh-toan-le-phi",
            st("pay", "citizen", "PT1H", "required", citizen_time="PT3H"),
        ),
        user(
            "Task_Sign",
            "Ký Giấy chứng nhận quyền sử dụng đất",
            lead,
            "ky-duyet",
            st(
                "sign",
                "leader",
                "PT2H",
                legal="Luật Đất đai 2024 (Điều 136); " + ND151,
            ),
        ),
        user(
            "Task_Update",
            "Cập nhật CSDL đất đai, chỉnh lý hồ sơ địa chính",
            o,
            "chuyen-ho-so",
            st("other", "other_agency", "P1D"),
        ),
        user(
            "Task_Deliver",
            "Trao Giấy chứng nhận, thu chứng từ nộp nghĩa vụ tài chính",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT30M", "required", citizen_time="PT2H"),
        ),
        script("Task_Result", "Cập nhật kết quả giải quyết", d, 'result = "issued"'),
        Node("End_Done", "end", "Đã cấp Giấy chứng nhận", d),
        *t_nodes,
    ]
    flows = [
        *seq("Start_Request", "Task_Prefill", "Task_Declare"),
        *intake_flows,
        *seq("Task_Handoff", "Task_Inspect", "Gateway_Eligible"),
        Flow("Gateway_Eligible", "Task_Cadastral", "Đủ điều kiện", "eligible == True"),
        Flow("Gateway_Eligible", "Task_Refused", "Không đủ điều kiện", "eligible == False"),
        Flow("Task_Refused", "End_Refused"),
        *seq(
            "Task_Cadastral",
            "Task_Tax",
            "Task_PayObligations",
            "Task_Sign",
            "Task_Update",
            "Task_Deliver",
            "Task_Result",
            "End_Done",
        ),
        *t_flows,
    ]
    components = [
        comp(
            "DOR_Don",
            "Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu 04/ĐK)",
            "land_application",
            "declaration_form",
            "original",
            "Nghị định 101/2024/NĐ-CP (mẫu đơn)",
            [
                "full_name",
                "identity_number",
                "permanent_address",
                "land_map_sheet",
                "land_parcel_number",
                "land_area",
                "land_use_purpose",
            ],
            ["Task_Receive", "Task_Inspect"],
        ),
        comp(
            "DOR_NguonGoc",
            "Giấy tờ về quyền sử dụng đất, nguồn gốc sử dụng đất",
            "land_origin",
            "land_origin_documents",
            "certified_copy",
            "Điều 137 Luật Đất đai 2024",
            ["land_owner", "land_area"],
            ["Task_Inspect"],
        ),
        comp(
            "DOR_TrichLuc",
            "Trích lục hoặc trích đo bản đồ địa chính thửa đất",
            "cadastral_extract",
            "cadastral_extract",
            "original",
            "Nghị định 101/2024/NĐ-CP",
            ["land_map_sheet", "land_parcel_number", "land_area"],
            ["Task_Cadastral"],
        ),
        comp(
            "DOR_CCCD",
            "Bản sao Căn cước của người sử dụng đất",
            "identity_card_copy",
            "identity_card",
            "copy",
            "Yêu cầu còn tồn tại ở nhiều nơi tiếp nhận",
            ["identity_number", "full_name"],
            ["Task_Receive"],
            note=IDENTITY_COPY_NOTE,
        ),
        comp(
            "DOR_SoHoKhau",
            "Sổ hộ khẩu (xác định hộ gia đình sử dụng đất)",
            "household_book",
            "household_book",
            "copy",
            "Thành phần thời kỳ sổ hộ khẩu (" + DECREE_104 + ")",
            ["household_head", "household_relations", "permanent_address"],
            ["Task_Receive"],
            required=False,
            note="Thành viên hộ đã có trong CSDL quốc gia về dân cư",
        ),
    ]
    model = Model(
        "cap_giay_chung_nhan_dat_lan_dau",
        "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
        "Ủy ban nhân dân cấp xã — Cấp Giấy chứng nhận lần đầu",
        REC_GCN[0],
        lanes,
        nodes,
        flows,
        [timer],
        components,
        tag="GCN",
    )
    forms = {
        "gcn-don": form(
            "gcn-don",
            "Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu 04/ĐK)",
            {
                **person_block("citizen", who="người sử dụng đất"),
                "land_address": text("Địa chỉ thửa đất"),
                "land_map_sheet": text("Tờ bản đồ số"),
                "land_parcel_number": text("Thửa đất số"),
                "land_area": {"type": "number", "exclusiveMinimum": 0, "title": "Diện tích (m²)"},
                "land_use_purpose": text("Mục đích sử dụng"),
                "land_use_since": date("Thời điểm bắt đầu sử dụng đất"),
                "land_origin": text("Nguồn gốc sử dụng đất"),
                "household_members": {
                    "type": "array",
                    "title": "Thành viên hộ gia đình cùng sử dụng đất",
                    "items": {"type": "string"},
                },
                "land_origin_file": attachment("Giấy tờ về nguồn gốc sử dụng đất", "land_origin"),
            },
            [
                "land_address",
                "land_map_sheet",
                "land_parcel_number",
                "land_area",
                "land_use_purpose",
                "land_use_since",
                "land_origin",
            ],
            "Mẫu 04/ĐK (Nghị định 101/2024/NĐ-CP).",
        ),
        "gcn-xac-nhan": form(
            "gcn-xac-nhan",
            "Xác nhận hiện trạng, nguồn gốc sử dụng đất",
            {
                "eligible": {
                    "type": "boolean",
                    "title": "Đủ điều kiện công nhận quyền sử dụng đất",
                },
                "no_dispute": {
                    "type": "boolean",
                    "title": "Không có tranh chấp trong thời gian niêm yết",
                },
                "verification_note": {"type": "string", "title": "Nội dung xác nhận"},
                "refusal_reason": {"type": "string", "title": "Lý do không đủ điều kiện (nếu có)"},
            },
            ["eligible", "no_dispute"],
        ),
        "gcn-dia-chinh": form(
            "gcn-dia-chinh",
            "Kết quả trích lục, kiểm tra hồ sơ địa chính",
            {
                "cadastral_area": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "title": "Diện tích theo trích đo (m²)",
                },
                "cadastral_note": {"type": "string", "title": "Ghi chú"},
            },
            ["cadastral_area"],
        ),
        "gcn-nghia-vu-tai-chinh": form(
            "gcn-nghia-vu-tai-chinh",
            "Thông báo nghĩa vụ tài chính",
            {
                "land_use_levy": {
                    "type": "integer",
                    "minimum": 0,
                    "title": "Tiền sử dụng đất (đồng)",
                },
                "registration_fee": {
                    "type": "integer",
                    "minimum": 0,
                    "title": "Lệ phí trước bạ (đồng)",
                },
            },
            ["land_use_levy", "registration_fee"],
        ),
    }
    declare = {
        "land_address": "Thôn Đông, Số 3, Đường Hùng Vương, Phường Vĩnh Yên, Tỉnh Phú Thọ",
        "land_map_sheet": "27",
        "land_parcel_number": "118",
        "land_area": 212.0,
        "land_use_purpose": "Đất ở tại nông thôn (ONT)",
        "land_use_since": "1998-05-01",
        "land_origin": "Ông bà để lại, sử dụng ổn định trước 01/7/2004, không tranh chấp",
    }
    start = {"channel": "online", "data": {"applicant_id": "026080001111"}}
    examples = {
        "cap-lan-dau": {
            "name": "Đất ở sử dụng ổn định từ 1998, được cấp Giấy chứng nhận",
            "applicant": "026080001111",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {"task": "Task_Inspect", "data": {"eligible": True, "no_dispute": True}},
                {"task": "Task_Cadastral", "data": {"cadastral_area": 210.4}},
                {"task": "Task_Tax", "data": {"land_use_levy": 0, "registration_fee": 2104000}},
                {
                    "task": "Task_PayObligations",
                    "data": {
                        "payment_reference": "NSNN-2026-77812",
                        "amount": 2204000,
                        "payment_method": "Chuyển khoản ngân hàng",
                    },
                },
                {"task": "Task_Sign", "data": {"signed": True}},
                {"task": "Task_Update", "data": {}},
                {
                    "task": "Task_Deliver",
                    "data": {"delivery_method": "Trực tiếp tại Bộ phận Một cửa"},
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "issued", "cadastral_area": 210.4},
                "completed_tasks": [
                    "Task_Declare",
                    "Task_Inspect",
                    "Task_Cadastral",
                    "Task_Tax",
                    "Task_PayObligations",
                    "Task_Sign",
                    "Task_Deliver",
                ],
            },
        },
        "co-tranh-chap": {
            "name": "Bổ sung giấy tờ nguồn gốc; có tranh chấp trong thời gian niêm yết nên không đủ điều kiện",
            "applicant": "026080001111",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Giấy tờ nguồn gốc đất"},
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Đã nộp văn bản xác nhận của thôn"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {
                    "task": "Task_Inspect",
                    "data": {
                        "eligible": False,
                        "no_dispute": False,
                        "refusal_reason": "Có đơn tranh chấp ranh giới",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Inspect"],
            },
        },
        "qua-han-dia-chinh": {
            "name": "Văn phòng đăng ký đất đai xử lý quá hạn, gửi văn bản xin lỗi, sau đó cấp",
            "applicant": "026080001111",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {"task": "Task_Inspect", "data": {"eligible": True, "no_dispute": True}},
                {"fire_timers": "P21D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Chờ trích đo địa chính",
                        "new_appointment": "2027-01-10",
                    },
                },
                {"task": "Task_Cadastral", "data": {"cadastral_area": 211.0}},
                {"task": "Task_Tax", "data": {"land_use_levy": 0, "registration_fee": 2110000}},
                {
                    "task": "Task_PayObligations",
                    "data": {"payment_reference": "NSNN-2026-77813", "amount": 2210000},
                },
                {"task": "Task_Sign", "data": {"signed": True}},
                {"task": "Task_Update", "data": {}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Bưu chính công ích"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "issued"},
                "completed_tasks": ["Task_Apology", "Task_Cadastral", "Task_Deliver"],
            },
        },
    }
    procedure = {
        "code": REC_GCN[0],
        "name": {
            "vi": "Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
            "en": "First-time land-use right certificate",
        },
        "agency_level": "commune",
        "agency": "Ủy ban nhân dân cấp xã (Văn phòng đăng ký đất đai phối hợp)",
        "field": "Đất đai",
        "legal_basis": [
            "Luật Đất đai 2024 (Điều 131–137)",
            "Nghị định 101/2024/NĐ-CP (đăng ký, cấp Giấy chứng nhận), sửa đổi bởi Nghị định 226/2025/NĐ-CP",
            ND151,
            DECREE_104,
        ],
        "processing_time": {
            "days": 20,
            "working_days": True,
            **portal(
                *REC_GCN,
                "20 ngày làm việc qua bưu chính (trực tuyến 17, trực tiếp 27 ngày làm việc), không kể thời gian niêm yết và thực hiện nghĩa vụ tài chính",
            ),
        },
        "fee": {
            "amount": 100000,
            "online_amount": 100000,
            "currency": "VND",
            "estimate": True,
            "source": "Lệ phí cấp Giấy chứng nhận do HĐND cấp tỉnh quyết định (bản ghi 1.013978: theo Luật Phí và lệ phí); 100.000 đồng là mức phổ biến; chưa gồm tiền sử dụng đất, lệ phí trước bạ",
        },
        "annual_volume": {
            "dossiers": 600000,
            "estimate": True,
            "source": "Ước tính của nhóm phát triển; cần số liệu của Bộ Nông nghiệp và Môi trường",
        },
        "delivery_level": "partial_online",
        "notes": (
            "Chứng từ thực hiện nghĩa vụ tài chính không phải thành phần hồ sơ nộp ban đầu: nghĩa vụ "
            "được xác định sau khi cơ quan thuế ra thông báo (bước Task_Tax), rồi mới nộp tiền."
        ),
        "sources": {
            "code": portal(
                *REC_GCN,
                "Đăng ký đất đai, cấp Giấy chứng nhận lần đầu đối với hộ gia đình, cá nhân, cộng đồng dân cư, cấp xã",
            ),
            "agency": portal(
                *REC_GCN,
                "cơ quan thực hiện: Chủ tịch Ủy ban nhân dân xã, Văn phòng đăng ký đất đai (chi nhánh); "
                + ND151,
            ),
            "components": {
                "land_application": portal(
                    *REC_GCN, "Đơn đăng ký đất đai, tài sản gắn liền với đất"
                ),
                "land_origin": portal(
                    *REC_GCN,
                    "một trong các loại giấy tờ quy định tại Điều 137 Luật Đất đai 2024 (nếu có)",
                ),
                "cadastral_extract": estimated(
                    "Bản ghi 1.013978 không yêu cầu người sử dụng đất nộp: Văn phòng đăng ký đất đai trích lục, trích đo; giữ như thực tiễn yêu cầu người dân tự thuê đo vẽ"
                ),
                "identity_card_copy": estimated(NOT_IN_RECORD.format(code=REC_GCN[0])),
                "household_book": estimated(
                    "Bản ghi 1.013978 yêu cầu văn bản xác định các thành viên có chung quyền sử dụng đất của hộ gia đình, không yêu cầu Sổ hộ khẩu (hết giá trị từ 01/01/2023): thực tiễn thời kỳ sổ hộ khẩu"
                ),
            },
        },
        "result_document": {
            "document_type": "land_use_certificate",
            "title": "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
            "when": "result == 'issued'",
            "fields": [
                "land_parcel_number",
                "land_map_sheet",
                "land_area",
                "cadastral_area",
                "land_use_purpose",
                "land_certificate_number",
            ],
        },
    }
    return {
        "slug": "cap-giay-chung-nhan-dat-lan-dau",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


BHXH_LANES = [
    ("citizen", "Citizen", "Người đề nghị"),
    ("one_stop_desk", "Desk", "Bộ phận Một cửa — Bảo hiểm xã hội cơ sở"),
    ("specialist", "Specialist", "Cán bộ giải quyết chế độ, Bảo hiểm xã hội cơ sở"),
    ("leader", "Leader", "Giám đốc Bảo hiểm xã hội cơ sở"),
]


def mt_review_form() -> dict:
    return form(
        "mt-xet-duyet",
        "Xét duyệt hưởng trợ cấp mai táng",
        {
            "approved": {"type": "boolean", "title": "Đủ điều kiện hưởng trợ cấp mai táng"},
            "allowance_amount": {"type": "integer", "minimum": 0, "title": "Mức trợ cấp (đồng)"},
            "refusal_reason": {"type": "string", "title": "Lý do không giải quyết (nếu có)"},
        },
        ["approved"],
    ) | {
        "allOf": [
            {
                "if": {"properties": {"approved": {"const": True}}, "required": ["approved"]},
                "then": {"required": ["allowance_amount"]},
            }
        ]
    }


def tro_cap_mai_tang() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    nodes, flows, boundaries = _standard(
        start_name="Đề nghị hưởng trợ cấp mai táng",
        prefills=[
            service(
                "Task_Prefill",
                "Lấy thông tin người đề nghị từ CSDL quốc gia về dân cư",
                c,
                "population.lookup",
                {"identity_number": "applicant_id"},
                "citizen",
            )
        ],
        declare=user(
            "Task_Declare",
            "Khai Tờ khai của thân nhân (Mẫu 09-HSB), đính kèm giấy tờ",
            c,
            "mt-to-khai",
            st(
                "submit",
                "citizen",
                "PT30M",
                legal="Luật Bảo hiểm xã hội 2024 (chế độ tử tuất)",
                citizen_time="PT1H",
            ),
        ),
        pay=None,
        checks=[
            service(
                "Task_InsuranceLookup",
                "Tra cứu quá trình đóng, hưởng BHXH của người chết",
                d,
                "social_insurance.lookup",
                {"identity_number": "deceased_identity_number"},
                "deceased_insurance",
                kind="verify",
            )
        ],
        receive_name="Tiếp nhận hồ sơ, đối chiếu giấy tờ",
        receive_step=st("receive", "one_stop_desk", "PT20M", "required", citizen_time="PT2H"),
        after_intake=[
            user(
                "Task_Handoff",
                "Chuyển hồ sơ cho bộ phận giải quyết chế độ",
                d,
                "chuyen-ho-so",
                st("handoff", "one_stop_desk", "PT4H"),
            )
        ],
        appraise=user(
            "Task_Appraise",
            "Xét duyệt hồ sơ, tính mức trợ cấp mai táng",
            s,
            "mt-xet-duyet",
            st(
                "appraise",
                "specialist",
                "PT4H",
                legal="Luật Bảo hiểm xã hội 2024: trợ cấp mai táng bằng 10 lần mức tham chiếu",
            ),
        ),
        approve_question="Đủ điều kiện hưởng?",
        approve_condition="approved == True",
        refuse_condition="approved == False",
        refused_name="Không giải quyết trợ cấp",
        sign=user(
            "Task_Sign",
            "Ký quyết định hưởng trợ cấp mai táng",
            lead,
            "ky-duyet",
            st("sign", "leader", "PT1H"),
        ),
        after_sign=[
            user(
                "Task_Payout",
                "Chi trả trợ cấp qua tài khoản hoặc bưu điện",
                "other_agency",
                "mt-chi-tra",
                st("other", "other_agency", "P1D"),
            )
        ],
        deliver=user(
            "Task_Deliver",
            "Trả quyết định hưởng trợ cấp",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT15M"),
        ),
        result_value="granted",
        done_name="Đã chi trả trợ cấp mai táng",
        deadline="P10D",
    )
    lanes = [
        *BHXH_LANES,
        ("other_agency", "Payer", "Tổ chức dịch vụ chi trả (Bưu điện, ngân hàng)"),
    ]
    components = [
        comp(
            "DOR_ToKhai",
            "Tờ khai của thân nhân (Mẫu 09-HSB)",
            "survivor_declaration",
            "funeral_allowance_request",
            "original",
            "Luật Bảo hiểm xã hội 2024; Quyết định 166/QĐ-BHXH (mẫu 09-HSB)",
            ["full_name", "identity_number", "date_of_death"],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_TrichLucKhaiTu",
            "Bản sao Giấy chứng tử / Trích lục khai tử",
            "death_certificate_copy",
            "death_certificate",
            "certified_copy",
            "Luật Bảo hiểm xã hội 2024 (hồ sơ hưởng chế độ tử tuất)",
            ["death_registration_number", "date_of_death", "full_name"],
            ["Task_Appraise"],
            note="Việc khai tử đã có trong CSDL hộ tịch điện tử",
        ),
        comp(
            "DOR_SoBHXH",
            "Sổ bảo hiểm xã hội của người chết",
            "insurance_book",
            "insurance_book",
            "original",
            "Luật Bảo hiểm xã hội 2024 (hồ sơ hưởng chế độ tử tuất)",
            ["social_insurance_number", "contribution_history"],
            ["Task_Appraise"],
            note="Quá trình đóng đã có trong CSDL quốc gia về bảo hiểm",
        ),
        comp(
            "DOR_CCCD",
            "Bản sao Căn cước của người đề nghị",
            "identity_card_copy",
            "identity_card",
            "copy",
            "Yêu cầu còn tồn tại ở một số nơi tiếp nhận",
            ["identity_number", "full_name"],
            ["Task_Receive"],
            note=IDENTITY_COPY_NOTE,
        ),
    ]
    model = Model(
        "tro_cap_mai_tang",
        "Giải quyết hưởng trợ cấp mai táng",
        "Bảo hiểm xã hội — Trợ cấp mai táng",
        REC_TUTUAT[0],
        lanes,
        nodes,
        flows,
        boundaries,
        components,
        tag="MT",
    )
    forms = {
        "mt-to-khai": form(
            "mt-to-khai",
            "Tờ khai của thân nhân — đề nghị hưởng trợ cấp mai táng",
            {
                **person_block("citizen"),
                "deceased_full_name": text("Họ, chữ đệm và tên người chết"),
                "deceased_identity_number": {
                    "type": "string",
                    "title": "Số định danh cá nhân của người chết",
                    "pattern": "^[0-9]{12}$",
                },
                "deceased_social_insurance_number": text("Mã số bảo hiểm xã hội của người chết"),
                "date_of_death": date("Ngày chết"),
                "relationship_to_deceased": text("Quan hệ với người chết"),
                "bank_account": text("Số tài khoản nhận trợ cấp"),
                "bank_name": text("Ngân hàng"),
                "death_certificate_file": attachment("Trích lục khai tử", "death_certificate_copy"),
            },
            [
                "deceased_full_name",
                "deceased_identity_number",
                "deceased_social_insurance_number",
                "date_of_death",
                "relationship_to_deceased",
                "bank_account",
                "bank_name",
            ],
        ),
        "mt-xet-duyet": mt_review_form(),
        "mt-chi-tra": form(
            "mt-chi-tra",
            "Chi trả trợ cấp",
            {
                "payout_reference": text("Số chứng từ chi trả"),
                "paid_on": date("Ngày chi trả"),
            },
            ["payout_reference", "paid_on"],
        ),
    }
    declare = {
        "deceased_full_name": "Hoàng Văn Em",
        "deceased_identity_number": "036055000789",
        "deceased_social_insurance_number": "3600123456",
        "date_of_death": "2026-11-10",
        "relationship_to_deceased": "Con",
        "bank_account": "0451000123456",
        "bank_name": "Vietcombank",
    }
    start = {"channel": "online", "data": {"applicant_id": "036060001357"}}
    examples = {
        "huong-tro-cap": {
            "name": "Con của người hưởng lương hưu đề nghị trợ cấp mai táng",
            "applicant": "036060001357",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {"task": "Task_Appraise", "data": {"approved": True, "allowance_amount": 23400000}},
                {"task": "Task_Sign", "data": {"signed": True}},
                {
                    "task": "Task_Payout",
                    "data": {"payout_reference": "CT-2026-000981", "paid_on": "2026-11-28"},
                },
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "granted",
                    "allowance_amount": 23400000,
                    "deceased_insurance": {"pension_status": "Đang hưởng lương hưu hằng tháng"},
                },
                "completed_tasks": [
                    "Task_Declare",
                    "Task_Appraise",
                    "Task_Sign",
                    "Task_Payout",
                    "Task_Deliver",
                ],
            },
        },
        "khong-du-dieu-kien": {
            "name": "Bổ sung trích lục khai tử; quá hạn; đã được giải quyết ở nơi khác nên không giải quyết",
            "applicant": "036060001357",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Bản sao trích lục khai tử"},
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Đã nộp bản sao có chứng thực"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {"fire_timers": "P11D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Chờ xác minh quá trình hưởng",
                        "new_appointment": "2026-12-08",
                    },
                },
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Trợ cấp mai táng đã được giải quyết cho thân nhân khác",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Apology", "Task_Appraise"],
            },
        },
    }
    procedure = {
        "code": REC_TUTUAT[0],
        "name": {"vi": "Giải quyết hưởng trợ cấp mai táng", "en": "Funeral allowance"},
        "agency_level": "province",
        "agency": VSS_AGENCY,
        "field": "Bảo hiểm xã hội",
        "legal_basis": [
            "Luật Bảo hiểm xã hội 2024 (Luật số 41/2024/QH15), chế độ tử tuất — trợ cấp mai táng",
            "Quyết định 166/QĐ-BHXH (quy trình giải quyết hưởng, mẫu hồ sơ)",
            "Quyết định 1474/QĐ-BTC (công bố thủ tục giải quyết hưởng chế độ tử tuất)",
        ],
        "processing_time": {
            "days": 10,
            "working_days": True,
            **portal(
                *REC_MAI_TANG,
                "Hưởng trợ cấp mai táng: cơ quan bảo hiểm xã hội giải quyết trong 10 ngày làm việc "
                "kể từ ngày nhận đủ hồ sơ (Luật Bảo hiểm xã hội 41/2024/QH15, Nghị định "
                "158/2025/NĐ-CP); bản ghi cũ hơn 2.000821 (Quyết định 1474/QĐ-BTC, căn cứ Luật "
                "58/2014) còn ghi 08 ngày làm việc — theo bản ghi mới hơn",
            ),
        },
        "fee": {
            "amount": 0,
            "online_amount": 0,
            "currency": "VND",
            **portal(*REC_TUTUAT, "miễn phí (trực tuyến, bưu chính, trực tiếp)"),
        },
        "annual_volume": {
            "dossiers": 300000,
            "estimate": True,
            "source": "Ước tính của nhóm phát triển; cần số liệu của Bảo hiểm xã hội Việt Nam",
        },
        # Vietnam Social Security reports all its procedures as delivered full-online
        "delivery_level": "full_online",
        "sources": {
            "code": portal(
                *REC_TUTUAT,
                "Giải quyết hưởng chế độ tử tuất (gồm trợ cấp mai táng); Bộ Nội vụ công bố riêng thủ "
                "tục 1.014177 Hưởng trợ cấp mai táng (Quyết định 863/QĐ-BNV) theo Luật Bảo hiểm xã "
                "hội 2024 — mã của mô hình chưa chuyển sang",
            ),
            "agency": VSS_AGENCY_SOURCE,
            "components": {
                "survivor_declaration": portal(
                    *REC_TUTUAT, "bản chính Tờ khai của thân nhân (mẫu 09-HSB)"
                ),
                "death_certificate_copy": portal(
                    *REC_TUTUAT,
                    "bản sao Giấy chứng tử hoặc Giấy báo tử hoặc trích lục khai tử hoặc quyết định tuyên bố đã chết của Tòa án",
                ),
                "insurance_book": portal(*REC_TUTUAT, "bản chính Sổ BHXH"),
                "identity_card_copy": estimated(NOT_IN_RECORD.format(code=REC_TUTUAT[0])),
            },
        },
    }
    return {
        "slug": "tro-cap-mai-tang",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def bhyt_issue_form() -> dict:
    return form(
        "bhyt-cap-the",
        "Cấp mã số BHXH, thẻ BHYT cho trẻ em dưới 6 tuổi",
        {
            "approved": {"type": "boolean", "title": "Đủ điều kiện cấp thẻ (trẻ dưới 6 tuổi)"},
            "health_insurance_card_number": {
                "type": "string",
                "title": "Số thẻ BHYT",
                "pattern": "^TE1[0-9]{12}$",
            },
            "card_valid_until": date("Thẻ có giá trị đến"),
            "refusal_reason": {"type": "string", "title": "Lý do không cấp (nếu có)"},
        },
        ["approved"],
    ) | {
        "allOf": [
            {
                "if": {"properties": {"approved": {"const": True}}, "required": ["approved"]},
                "then": {"required": ["health_insurance_card_number", "card_valid_until"]},
            }
        ]
    }


def cap_the_bhyt_tre_em() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    nodes, flows, boundaries = _standard(
        start_name="Đề nghị cấp thẻ BHYT cho trẻ em dưới 6 tuổi",
        prefills=[
            service(
                "Task_Prefill",
                "Lấy thông tin cha, mẹ từ CSDL quốc gia về dân cư",
                c,
                "population.lookup",
                {"identity_number": "applicant_id"},
                "citizen",
            )
        ],
        declare=user(
            "Task_Declare",
            "Khai Tờ khai tham gia BHYT (TK1-TS) cho trẻ",
            c,
            "bhyt-te-to-khai",
            st(
                "submit",
                "citizen",
                "PT20M",
                legal="Luật Bảo hiểm y tế (sửa đổi 2024); Quyết định 595/QĐ-BHXH",
                citizen_time="PT45M",
            ),
        ),
        pay=None,
        checks=[
            service(
                "Task_BirthCheck",
                "Đối chiếu thông tin khai sinh của trẻ trên CSDL hộ tịch điện tử",
                d,
                "civil_status.lookup",
                {"identity_number": "child_identity_number"},
                "child_civil",
                kind="verify",
            )
        ],
        receive_name="Tiếp nhận hồ sơ cấp thẻ BHYT",
        receive_step=st("receive", "one_stop_desk", "PT15M", "required", citizen_time="PT2H"),
        after_intake=[],
        appraise=user(
            "Task_Issue",
            "Cấp mã số BHXH, in thẻ BHYT",
            s,
            "bhyt-cap-the",
            st("appraise", "specialist", "PT2H", legal="Điều 16 Luật Bảo hiểm y tế"),
        ),
        approve_question="Đủ điều kiện cấp thẻ?",
        approve_condition="approved == True",
        refuse_condition="approved == False",
        refused_name="Không cấp thẻ BHYT",
        sign=user(
            "Task_Sign",
            "Ký duyệt danh sách cấp thẻ",
            lead,
            "ky-duyet",
            st("approve", "leader", "PT30M"),
        ),
        after_sign=[],
        deliver=user(
            "Task_Deliver",
            "Trả thẻ BHYT (bản điện tử trên VssID/VNeID, bản giấy nếu yêu cầu)",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT15M"),
        ),
        result_value="issued",
        done_name="Đã cấp thẻ BHYT",
        deadline="P5D",
    )
    components = [
        comp(
            "DOR_TK1TS",
            "Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT (Mẫu TK1-TS)",
            "insurance_declaration",
            "declaration_form",
            "original",
            "Quyết định 595/QĐ-BHXH (mẫu TK1-TS)",
            [
                "child_full_name",
                "child_date_of_birth",
                "child_sex",
                "mother_name",
                "father_name",
                "permanent_address",
            ],
            ["Task_Receive", "Task_Issue"],
        ),
        comp(
            "DOR_KhaiSinh",
            "Bản sao Giấy khai sinh của trẻ",
            "birth_certificate_copy",
            "birth_certificate",
            "copy",
            "Quyết định 595/QĐ-BHXH (hồ sơ cấp thẻ cho trẻ dưới 6 tuổi)",
            ["child_full_name", "child_date_of_birth", "birth_registration_number"],
            ["Task_Issue"],
            note="Khai sinh đã có trong CSDL hộ tịch điện tử",
        ),
        comp(
            "DOR_CCCD",
            "Bản sao Căn cước của cha hoặc mẹ",
            "identity_card_copy",
            "identity_card",
            "copy",
            "Yêu cầu còn tồn tại ở một số nơi tiếp nhận",
            ["identity_number", "full_name"],
            ["Task_Receive"],
            note=IDENTITY_COPY_NOTE,
        ),
        comp(
            "DOR_XacNhanCuTru",
            "Giấy xác nhận thông tin về cư trú của trẻ",
            "residence_confirmation",
            "residence_confirmation",
            "original",
            "Thành phần thời kỳ sổ hộ khẩu (" + DECREE_104 + ")",
            ["permanent_address"],
            ["Task_Receive"],
            required=False,
            note="Nơi cư trú đã có trong CSDL quốc gia về dân cư",
        ),
    ]
    model = Model(
        "cap_the_bhyt_tre_em",
        "Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
        "Bảo hiểm xã hội — Cấp thẻ BHYT trẻ em",
        REC_BHYT[0],
        BHXH_LANES,
        nodes,
        flows,
        boundaries,
        components,
        tag="BHYT",
    )
    forms = {
        "bhyt-te-to-khai": form(
            "bhyt-te-to-khai",
            "Tờ khai tham gia BHYT cho trẻ em dưới 6 tuổi (TK1-TS)",
            {
                **person_block("citizen", who="cha hoặc mẹ"),
                "child_full_name": text("Họ, chữ đệm và tên của trẻ"),
                "child_identity_number": {
                    "type": "string",
                    "title": "Số định danh cá nhân của trẻ",
                    "pattern": "^[0-9]{12}$",
                },
                "child_date_of_birth": date("Ngày, tháng, năm sinh của trẻ"),
                "child_sex": {
                    "type": "string",
                    "title": "Giới tính của trẻ",
                    "enum": ["Nam", "Nữ"],
                },
                "medical_facility": text("Nơi đăng ký khám bệnh, chữa bệnh ban đầu"),
                "birth_certificate_file": attachment(
                    "Bản sao Giấy khai sinh của trẻ", "birth_certificate_copy"
                ),
            },
            [
                "child_full_name",
                "child_identity_number",
                "child_date_of_birth",
                "child_sex",
                "medical_facility",
            ],
        ),
        "bhyt-cap-the": bhyt_issue_form(),
    }
    declare = {
        "child_full_name": "Nguyễn Văn An",
        "child_identity_number": "001090012345",
        "child_date_of_birth": "1990-03-15",
        "child_sex": "Nam",
        "medical_facility": "Trạm y tế Phường Ba Đình",
    }
    start = {"channel": "online", "data": {"applicant_id": "001192034567"}}
    examples = {
        "cap-the": {
            "name": "Mẹ đề nghị cấp thẻ BHYT cho con (trẻ đã có số định danh)",
            "applicant": "001192034567",
            "start": start,
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": {
                        "child_full_name": "Nguyễn Gia Bảo",
                        "child_identity_number": "001223012345",
                        "child_date_of_birth": "2023-06-01",
                        "child_sex": "Nam",
                        "medical_facility": "Trạm y tế Phường Ba Đình",
                    },
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {
                    "task": "Task_Issue",
                    "data": {
                        "approved": True,
                        "health_insurance_card_number": "TE1010123450001",
                        "card_valid_until": "2032-11-01",
                    },
                },
                {"task": "Task_Sign", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "issued",
                    "health_insurance_card_number": "TE1010123450001",
                    "child_civil": {"full_name": "Nguyễn Gia Bảo"},
                },
                "completed_tasks": [
                    "Task_Declare",
                    "Task_Receive",
                    "Task_Issue",
                    "Task_Sign",
                    "Task_Deliver",
                ],
            },
        },
        "qua-6-tuoi": {
            "name": "Bổ sung hồ sơ; quá hạn; người được đề nghị không phải trẻ dưới 6 tuổi",
            "applicant": "001192034567",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Bản sao Giấy khai sinh"},
                },
                {"task": "Task_Supplement", "data": {"supplement_note": "Đã nộp bản sao"}},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P6D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Sai lệch ngày sinh giữa tờ khai và CSDL hộ tịch",
                        "new_appointment": "2026-12-05",
                    },
                },
                {
                    "task": "Task_Issue",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Người được đề nghị đã trên 6 tuổi",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused", "child_civil": {"date_of_birth": "1990-03-15"}},
                "completed_tasks": ["Task_Supplement", "Task_Apology", "Task_Issue"],
            },
        },
    }
    procedure = {
        "code": REC_BHYT[0],
        "name": {
            "vi": "Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
            "en": "Health-insurance card for a child under 6",
        },
        "agency_level": "province",
        "agency": VSS_AGENCY,
        "field": "Bảo hiểm y tế",
        "legal_basis": [
            "Luật Bảo hiểm y tế 2008 (sửa đổi, bổ sung 2014, 2024) (Điều 12, 16)",
            "Nghị định 146/2018/NĐ-CP",
            "Quyết định 595/QĐ-BHXH (quy trình thu, cấp thẻ)",
            "Quyết định 1474/QĐ-BTC (công bố thủ tục đăng ký đóng, cấp thẻ BHYT)",
            DECREE_104,
        ],
        "processing_time": {
            "days": 5,
            "working_days": True,
            **portal(*REC_BHYT, "05 ngày làm việc (trực tuyến, bưu chính, trực tiếp)"),
        },
        "fee": {
            "amount": 0,
            "online_amount": 0,
            "currency": "VND",
            **portal(
                *REC_BHYT,
                "miễn phí; trẻ em dưới 6 tuổi thuộc nhóm do ngân sách nhà nước đóng BHYT, hồ sơ nộp qua Ủy ban nhân dân cấp xã",
            ),
        },
        "annual_volume": {
            "dossiers": 1400000,
            "estimate": True,
            "source": "Ước tính theo số trẻ sinh hằng năm; cần số liệu của Bảo hiểm xã hội Việt Nam",
        },
        # Vietnam Social Security reports all its procedures as delivered full-online
        "delivery_level": "full_online",
        "sources": {
            "code": portal(
                *REC_BHYT,
                "Đăng ký đóng, cấp thẻ BHYT đối với người chỉ tham gia BHYT (trẻ em dưới 6 tuổi do ngân sách nhà nước đóng); ngoài liên thông Nghị định 63/2024/NĐ-CP",
            ),
            "agency": VSS_AGENCY_SOURCE,
            "components": {
                "insurance_declaration": portal(
                    *REC_BHYT,
                    "Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT (Mẫu TK1-TS) với người tham gia lần đầu",
                ),
                "birth_certificate_copy": estimated(
                    "Bản ghi 1.001939 không liệt kê bản sao Giấy khai sinh: yêu cầu theo Quyết định 595/QĐ-BHXH còn gặp khi nộp ngoài liên thông (thực tiễn, chưa có nguồn)"
                ),
                "identity_card_copy": estimated(NOT_IN_RECORD.format(code=REC_BHYT[0])),
                "residence_confirmation": estimated(
                    "Không có trong bản ghi 1.001939; Nghị định 104/2022/NĐ-CP bỏ giấy tờ chứng minh cư trú: thực tiễn thời kỳ sổ hộ khẩu"
                ),
            },
        },
    }
    return {
        "slug": "cap-the-bhyt-tre-em",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }
