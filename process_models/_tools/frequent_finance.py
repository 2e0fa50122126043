"""Tax and insurance procedures people use most: first tax registration and change of tax
registration of a household or individual, household health-insurance renewal, and the
unemployment benefit."""

from __future__ import annotations

from bpmn_builder import Flow, Model, Node
from common import (
    VSS_AGENCY,
    VSS_AGENCY_SOURCE,
    attachment,
    comp,
    date,
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
from frequent_common import estimated, fee, pay_data, portal, standard, time_limit, volume

TAX_LAW = "Luật Quản lý thuế 2019 (38/2019/QH14), sửa đổi bởi Luật 56/2024/QH15"
TT86 = "Thông tư 86/2024/TT-BTC về đăng ký thuế"
DK_LAN_DAU = ("1.008498", "1109/QĐ-BTC", "019d2bfc-5cb3-745a-8b13-2b468a307e8b")
DK_THAY_DOI = ("1.008503", "4472/QĐ-BTC", "019d2bfc-5cd0-72cc-8770-21ccd6c2296a")
BHYT_HGD = ("1.001939", "1474/QĐ-BTC", "019d2bfb-d79c-73cd-8614-c7a7882c5e05")
TAX_LANES = [
    ("citizen", "Citizen", "Hộ gia đình, cá nhân kinh doanh"),
    ("one_stop_desk", "Desk", "Bộ phận tiếp nhận — Thuế cơ sở"),
    ("specialist", "Specialist", "Công chức quản lý đăng ký thuế, Thuế cơ sở"),
    ("leader", "Leader", "Trưởng Thuế cơ sở"),
]


def _prefill(lane: str = "citizen") -> Node:
    return service(
        "Task_Prefill",
        "Lấy thông tin người nộp thuế từ CSDL quốc gia về dân cư",
        lane,
        "population.lookup",
        {"identity_number": "applicant_id"},
        "citizen",
    )


def _tax_sources(record: tuple[str, str, str], components: dict[str, str]) -> dict:
    code, decision, url = record
    return {
        "code": portal(code, decision, url),
        "agency": portal(
            code, decision, url, "Thuế cơ sở nơi có địa điểm kinh doanh (Thuế tỉnh, thành phố)"
        ),
        "components": {k: portal(code, decision, url, v) for k, v in components.items()},
    }


def _business_properties() -> dict:
    return {
        "business_name": text("Tên hộ, cá nhân kinh doanh"),
        "business_address": text("Địa điểm kinh doanh"),
        "business_lines": text("Ngành nghề kinh doanh"),
        "business_start_date": date("Ngày bắt đầu hoạt động kinh doanh"),
    }


# -- Đăng ký thuế lần đầu ---------------------------------------------------------------------
def dang_ky_thue_lan_dau() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    code, decision, url = DK_LAN_DAU
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after="Gateway_Registered",
        next_="Task_Appraise",
        receive_name="Tiếp nhận hồ sơ đăng ký thuế, lập phiếu tiếp nhận",
        receive_step=st(
            "receive", "one_stop_desk", "PT15M", legal=f"{TAX_LAW}; bản ghi TTHC {code}, bước 2"
        ),
    )
    t_nodes, t_flows, timer = overdue("Task_Appraise", d, "P3D")
    nodes = [
        Node("Start_Request", "start", "Đăng ký thuế lần đầu của hộ, cá nhân kinh doanh", c),
        _prefill(),
        user(
            "Task_Declare",
            "Khai Tờ khai đăng ký thuế (mẫu 03-ĐK-TCT)",
            c,
            "thue-03-dk",
            st("submit", "citizen", "PT20M", legal=f"{TT86} (mẫu 03-ĐK-TCT)", citizen_time="PT40M"),
        ),
        service(
            "Task_CheckExisting",
            "Kiểm tra số định danh cá nhân đã được dùng làm mã số thuế chưa",
            d,
            "tax.verify",
            {
                "document_type": '"tax_registration"',
                "number": "applicant_id",
                "identity_number": "applicant_id",
            },
            "tax_check",
            kind="verify",
        ),
        Node("Gateway_Registered", "xor", "Đã đăng ký thuế?", d),
        *intake_nodes,
        script(
            "Task_AlreadyRegistered",
            "Thông báo đã có mã số thuế, hướng dẫn thay đổi thông tin",
            d,
            'result = "already_registered"',
        ),
        Node("End_AlreadyRegistered", "end", "Đã có mã số thuế", d),
        user(
            "Task_Appraise",
            "Thẩm định thông tin đăng ký thuế, đối chiếu CSDL quốc gia về dân cư",
            s,
            "tham-dinh-ho-so",
            st("appraise", "specialist", "PT1H", legal=f"{TAX_LAW}, Điều 34"),
        ),
        Node("Gateway_Approved", "xor", "Thông tin hợp lệ?", s),
        script(
            "Task_Refused", "Thông báo không chấp nhận hồ sơ đăng ký thuế", s, 'result = "refused"'
        ),
        Node("End_Refused", "end", "Không chấp nhận", s),
        user(
            "Task_Issue",
            "Ký số Thông báo mã số thuế (14-MST), kích hoạt số định danh làm mã số thuế",
            lead,
            "thue-cap-mst",
            st("sign", "leader", "PT15M", legal=TT86),
        ),
        user(
            "Task_Deliver",
            "Trả kết quả đăng ký thuế (điện tử)",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT5M"),
        ),
        script("Task_Result", "Cập nhật kết quả giải quyết", d, 'result = "registered"'),
        Node("End_Done", "end", "Đã đăng ký thuế", d),
        *t_nodes,
    ]
    flows = [
        *seq(
            "Start_Request",
            "Task_Prefill",
            "Task_Declare",
            "Task_CheckExisting",
            "Gateway_Registered",
        ),
        Flow(
            "Gateway_Registered",
            "Task_AlreadyRegistered",
            "Đã đăng ký",
            'tax_check["valid"] == True',
        ),
        Flow("Task_AlreadyRegistered", "End_AlreadyRegistered"),
        *[
            Flow(f.source, f.target, "Chưa đăng ký", 'tax_check["valid"] == False')
            if f.source == "Gateway_Registered"
            else f
            for f in intake_flows
        ],
        Flow("Task_Appraise", "Gateway_Approved"),
        Flow("Gateway_Approved", "Task_Issue", "Hợp lệ", "approved == True"),
        Flow("Gateway_Approved", "Task_Refused", "Không hợp lệ", "approved == False"),
        Flow("Task_Refused", "End_Refused"),
        *seq("Task_Issue", "Task_Deliver", "Task_Result", "End_Done"),
        *t_flows,
    ]
    components = [
        comp(
            "DOR_ToKhai",
            "Tờ khai đăng ký thuế (mẫu 03-ĐK-TCT)",
            "tax_registration_form",
            "declaration_form",
            "original",
            f"{TT86} (mẫu 03-ĐK-TCT)",
            ["full_name", "identity_number", "permanent_address", "business_lines"],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_GiayToCaNhan",
            "Bản sao giấy tờ có giá trị sử dụng của cá nhân kinh doanh (thẻ căn cước, hộ chiếu)",
            "identity_copy",
            "identity_card",
            "copy",
            f"{TT86}; bản ghi TTHC {code}",
            ["identity_number", "full_name", "date_of_birth"],
            ["Task_Receive"],
            note="Không phải nộp khi dùng tài khoản định danh điện tử mức độ 2 (Nghị định 69/2024/NĐ-CP) — bản ghi TTHC 1.008498",
        ),
    ]
    model = Model(
        "dang_ky_thue_lan_dau",
        "Đăng ký thuế lần đầu đối với hộ gia đình, cá nhân kinh doanh",
        "Thuế cơ sở — Đăng ký thuế lần đầu",
        code,
        TAX_LANES,
        nodes,
        flows,
        [timer],
        components,
        tag="DKT",
    )
    forms = {
        "thue-03-dk": form(
            "thue-03-dk",
            "Tờ khai đăng ký thuế (mẫu 03-ĐK-TCT)",
            {
                **person_block("citizen", who="người nộp thuế"),
                "phone": pf("Số điện thoại", "population", "phone", "citizen"),
                **_business_properties(),
                "tax_method": {
                    "type": "string",
                    "title": "Phương pháp tính thuế",
                    "enum": ["Kê khai", "Khoán", "Từng lần phát sinh"],
                },
            },
            [
                "business_name",
                "business_address",
                "business_lines",
                "business_start_date",
                "tax_method",
            ],
            "Thông tin nhân thân lấy từ CSDL quốc gia về dân cư; số định danh cá nhân dùng làm mã số thuế.",
        ),
        "thue-cap-mst": form(
            "thue-cap-mst",
            "Thông báo mã số thuế",
            {
                "tax_code": text("Mã số thuế (số định danh cá nhân)", pattern="^[0-9]{10,12}$"),
                "signed": {"type": "boolean", "title": "Đã ký số", "const": True},
            },
            ["tax_code", "signed"],
        ),
    }
    declare = {
        "business_name": "Hộ kinh doanh Quốc Huy",
        "business_address": "Số 9, Đường Nguyễn Trãi, Phường Cầu Giấy, Thành phố Hà Nội",
        "business_lines": "4771 - Bán lẻ hàng may mặc trong các cửa hàng chuyên doanh",
        "business_start_date": "2026-12-01",
        "tax_method": "Kê khai",
    }
    examples = {
        "dang-ky-moi": {
            "name": "Cá nhân bắt đầu kinh doanh, chưa có mã số thuế: kích hoạt số định danh làm mã số thuế",
            "applicant": "001205000123",
            "start": {"channel": "online", "data": {"applicant_id": "001205000123"}},
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Appraise", "data": {"approved": True}},
                {"task": "Task_Issue", "data": {"tax_code": "001205000123", "signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "registered",
                    "tax_code": "001205000123",
                    "tax_check": {"status": "not_found"},
                },
                "completed_tasks": ["Task_CheckExisting", "Task_Appraise", "Task_Issue"],
            },
        },
        "da-co-ma-so-thue": {
            "name": "Người đã có mã số thuế đăng ký lại: hướng dẫn thay đổi thông tin",
            "applicant": "001090012345",
            "start": {"channel": "online", "data": {"applicant_id": "001090012345"}},
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": dict(declare, business_name="Hộ kinh doanh Văn An"),
                }
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "already_registered"},
                "completed_tasks": ["Task_CheckExisting"],
            },
        },
        "thong-tin-sai-qua-han": {
            "name": "Địa điểm kinh doanh ngoài địa bàn quản lý: bổ sung; quá hạn; không chấp nhận",
            "applicant": "001205000123",
            "start": {"channel": "online", "data": {"applicant_id": "001205000123"}},
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Ghi rõ địa điểm kinh doanh"},
                },
                {"task": "Task_Supplement", "data": {"supplement_note": "Đã ghi rõ địa điểm"}},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P4D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Chờ xác minh địa điểm kinh doanh",
                        "new_appointment": "2026-12-14",
                    },
                },
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Địa điểm kinh doanh thuộc Thuế cơ sở khác quản lý",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Apology"],
            },
        },
    }
    procedure = {
        "code": code,
        "name": {
            "vi": "Đăng ký thuế lần đầu đối với hộ gia đình, cá nhân kinh doanh",
            "en": "First tax registration of a household or individual business",
        },
        "agency_level": "province",
        "agency": "Thuế cơ sở (thuộc Thuế tỉnh, thành phố) nơi có địa điểm kinh doanh",
        "field": "Quản lý thuế",
        "legal_basis": [
            TAX_LAW,
            "Nghị định 126/2020/NĐ-CP (sửa đổi bởi Nghị định 373/2025/NĐ-CP)",
            TT86,
            "Thông tư 40/2025/TT-BTC (chính quyền địa phương 02 cấp)",
            "Nghị quyết 66.16/2026/NQ-CP",
        ],
        "processing_time": time_limit(
            3,
            True,
            portal(code, decision, url, "03 ngày làm việc (trực tuyến, bưu chính, trực tiếp)"),
        ),
        "fee": fee(0, 0, portal(code, decision, url, "miễn phí")),
        "annual_volume": volume(
            600000, estimated("Ước tính của nhóm phát triển; chưa có số liệu công bố của Cục Thuế")
        ),
        "delivery_level": "full_online",
        "sources": _tax_sources(
            DK_LAN_DAU,
            {
                "tax_registration_form": "Tờ khai đăng ký thuế mẫu số 03-ĐK-TCT (Thông tư 86/2024/TT-BTC)",
                "identity_copy": "bản sao giấy tờ có giá trị sử dụng của cá nhân kinh doanh; không nộp khi dùng tài khoản định danh điện tử mức độ 2",
            },
        ),
    }
    return {
        "slug": "dang-ky-thue-lan-dau",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


# -- Thay đổi thông tin đăng ký thuế -----------------------------------------------------------
def thay_doi_thong_tin_dang_ky_thue() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    code, decision, url = DK_THAY_DOI
    nodes, flows, boundaries = standard(
        start_name="Thay đổi thông tin đăng ký thuế",
        head=[
            _prefill(),
            service(
                "Task_TaxLookup",
                "Lấy thông tin đăng ký thuế hiện có từ CSDL thuế",
                c,
                "tax.lookup",
                {"identity_number": "applicant_id"},
                "taxpayer",
            ),
            user(
                "Task_Declare",
                "Khai Tờ khai điều chỉnh, bổ sung thông tin đăng ký thuế (mẫu 08-MST)",
                c,
                "thue-08-mst",
                st(
                    "submit", "citizen", "PT15M", legal=f"{TT86} (mẫu 08-MST)", citizen_time="PT30M"
                ),
            ),
        ],
        receive_name="Tiếp nhận tờ khai điều chỉnh thông tin đăng ký thuế",
        receive_step=st(
            "receive", "one_stop_desk", "PT15M", legal=f"{TAX_LAW}, Điều 36; bản ghi TTHC {code}"
        ),
        middle=[],
        appraise=user(
            "Task_Appraise",
            "Thẩm định thông tin thay đổi (không làm thay đổi cơ quan thuế quản lý)",
            s,
            "tham-dinh-ho-so",
            st("appraise", "specialist", "PT1H", legal=f"{TAX_LAW}, Điều 36"),
        ),
        approve_question="Thay đổi hợp lệ?",
        refused_name="Không chấp nhận thay đổi",
        tail=[
            user(
                "Task_Update",
                "Ký duyệt cập nhật thông tin đăng ký thuế; cấp lại Giấy chứng nhận (nếu thay đổi)",
                lead,
                "ky-duyet",
                st("sign", "leader", "PT15M", legal=TT86),
            ),
            user(
                "Task_Deliver",
                "Trả kết quả (điện tử)",
                d,
                "tra-ket-qua",
                st("deliver_result", "one_stop_desk", "PT5M"),
            ),
        ],
        result_value="updated",
        done_name="Đã cập nhật thông tin đăng ký thuế",
        deadline="P2D",
    )
    components = [
        comp(
            "DOR_ToKhai",
            "Tờ khai điều chỉnh, bổ sung thông tin đăng ký thuế (mẫu 08-MST)",
            "tax_change_form",
            "declaration_form",
            "original",
            f"{TT86} (mẫu 08-MST)",
            ["full_name", "tax_code", "tax_registered_address"],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_HoChieu",
            "Bản sao hộ chiếu còn hiệu lực (người nước ngoài, người Việt Nam ở nước ngoài không có số định danh, nếu thông tin thay đổi)",
            "passport_copy",
            "passport",
            "copy",
            f"{TT86}; bản ghi TTHC {code}",
            ["passport_number", "full_name"],
            ["Task_Appraise"],
            required=False,
        ),
    ]
    model = Model(
        "thay_doi_thong_tin_dang_ky_thue",
        "Thay đổi thông tin đăng ký thuế (không thay đổi cơ quan thuế quản lý)",
        "Thuế cơ sở — Thay đổi thông tin đăng ký thuế",
        code,
        TAX_LANES,
        nodes,
        flows,
        boundaries,
        components,
        tag="TDT",
    )
    forms = {
        "thue-08-mst": form(
            "thue-08-mst",
            "Tờ khai điều chỉnh, bổ sung thông tin đăng ký thuế (mẫu 08-MST)",
            {
                **person_block("citizen", who="người nộp thuế"),
                "tax_code": pf("Mã số thuế", "tax", "tax_code", "taxpayer"),
                "tax_office": pf("Cơ quan thuế quản lý", "tax", "tax_office", "taxpayer"),
                "changed_item": {
                    "type": "string",
                    "title": "Thông tin thay đổi",
                    "enum": [
                        "Ngành nghề kinh doanh",
                        "Địa điểm kinh doanh (cùng cơ quan thuế quản lý)",
                        "Số điện thoại, thư điện tử",
                        "Tài khoản ngân hàng",
                    ],
                },
                "new_value": text("Thông tin mới"),
                "change_date": date("Ngày phát sinh thay đổi"),
            },
            ["changed_item", "new_value", "change_date"],
            "Thông tin nhân thân thay đổi trong CSDL dân cư được cơ quan thuế tự cập nhật, không phải khai.",
        ),
    }
    declare = {
        "changed_item": "Ngành nghề kinh doanh",
        "new_value": "Bổ sung 5610 - Nhà hàng và các dịch vụ ăn uống",
        "change_date": "2026-12-01",
    }
    start = {"channel": "online", "data": {"applicant_id": "001090012345"}}
    examples = {
        "bo-sung-nganh-nghe": {
            "name": "Hộ kinh doanh bổ sung ngành nghề: cập nhật trong 02 ngày làm việc",
            "applicant": "001090012345",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Appraise", "data": {"approved": True}},
                {"task": "Task_Update", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "updated",
                    "taxpayer": {"tax_code": "8012345678", "tax_status": "Đang hoạt động (00)"},
                },
                "completed_tasks": ["Task_TaxLookup", "Task_Update"],
            },
        },
        "doi-co-quan-thue": {
            "name": "Chuyển địa điểm sang địa bàn Thuế cơ sở khác: bổ sung; quá hạn; hướng dẫn thủ tục khác",
            "applicant": "001090012345",
            "start": start,
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": dict(
                        declare,
                        changed_item="Địa điểm kinh doanh (cùng cơ quan thuế quản lý)",
                        new_value="Phường Hà Đông",
                    ),
                },
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Ghi rõ địa chỉ mới"},
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Số 3, Đường Quang Trung, Phường Hà Đông"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P3D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Xác định cơ quan thuế quản lý mới",
                        "new_appointment": "2026-12-11",
                    },
                },
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Thay đổi làm thay đổi cơ quan thuế quản lý: thực hiện thủ tục 1.008504",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Apology"],
            },
        },
    }
    procedure = {
        "code": code,
        "name": {
            "vi": "Đăng ký thay đổi thông tin đăng ký thuế không làm thay đổi cơ quan thuế quản lý trực tiếp (hộ gia đình, cá nhân kinh doanh)",
            "en": "Change of tax registration of a household or individual business",
        },
        "agency_level": "province",
        "agency": "Thuế cơ sở (thuộc Thuế tỉnh, thành phố) quản lý trực tiếp",
        "field": "Quản lý thuế",
        "legal_basis": [TAX_LAW, TT86, "Thông tư 40/2025/TT-BTC"],
        "processing_time": time_limit(
            2,
            True,
            portal(
                code,
                decision,
                url,
                "02 ngày làm việc khi nộp trực tuyến, bưu chính; 03 ngày làm việc khi nộp trực tiếp",
            ),
        ),
        "fee": fee(0, 0, portal(code, decision, url, "miễn phí")),
        "annual_volume": volume(
            400000, estimated("Ước tính của nhóm phát triển; chưa có số liệu công bố của Cục Thuế")
        ),
        "delivery_level": "full_online",
        "sources": _tax_sources(
            DK_THAY_DOI,
            {
                "tax_change_form": "Tờ khai điều chỉnh, bổ sung thông tin đăng ký thuế mẫu số 08-MST (Thông tư 86/2024/TT-BTC)",
                "passport_copy": "bản sao hộ chiếu còn hiệu lực nếu thông tin thay đổi (người nước ngoài, người Việt Nam ở nước ngoài không có số định danh)",
            },
        ),
    }
    return {
        "slug": "thay-doi-thong-tin-dang-ky-thue",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


# -- Gia hạn thẻ BHYT theo hộ gia đình ---------------------------------------------------------
BASE_SALARY = 2340000
BHYT_SCRIPT = (
    "rates = [1.0, 0.7, 0.6, 0.5]\n"
    "monthly = 0\n"
    "for i in range(renew_members):\n"
    "    share = 0.4\n"
    "    if i < 4:\n"
    "        share = rates[i]\n"
    f"    monthly = monthly + round({BASE_SALARY} * 0.045 * share)\n"
    "contribution_total = monthly * renew_months"
)


def gia_han_bhyt_ho_gia_dinh() -> dict:
    c, d, s = "citizen", "one_stop_desk", "specialist"
    code, decision, url = BHYT_HGD
    lanes = [
        (c, "Citizen", "Người đại diện hộ gia đình"),
        (d, "Desk", "Bộ phận Một cửa — Bảo hiểm xã hội cơ sở"),
        (s, "Specialist", "Cán bộ thu, cấp thẻ — Bảo hiểm xã hội cơ sở"),
    ]
    nodes, flows, boundaries = standard(
        start_name="Gia hạn thẻ bảo hiểm y tế theo hộ gia đình",
        head=[
            _prefill(),
            service(
                "Task_Cards",
                "Lấy mã số BHXH, hạn thẻ BHYT từ CSDL quốc gia về bảo hiểm",
                c,
                "social_insurance.lookup",
                {"identity_number": "applicant_id"},
                "insurance",
            ),
            user(
                "Task_Declare",
                "Khai Tờ khai đăng ký đóng, cấp thẻ BHYT trên Cổng Dịch vụ công (mẫu 01-TK)",
                c,
                "bhyt-hgd-to-khai",
                st(
                    "submit",
                    "citizen",
                    "PT10M",
                    legal=f"Quyết định 3510/QĐ-BHXH (mẫu 01-TK); bản ghi TTHC {code}",
                    citizen_time="PT15M",
                ),
            ),
            script(
                "Task_Contribution",
                "Tính số tiền đóng theo mức giảm trừ của hộ gia đình",
                c,
                BHYT_SCRIPT,
            ),
            user(
                "Task_Pay",
                "Nộp tiền đóng BHYT hộ gia đình trực tuyến",
                c,
                "thanh-toan-le-phi",
                st(
                    "pay",
                    "citizen",
                    "PT10M",
                    legal="Luật Bảo hiểm y tế (mức đóng hộ gia đình)",
                    citizen_time="PT10M",
                ),
            ),
        ],
        receive_name="Tiếp nhận hồ sơ điện tử, đối chiếu số tiền đã nộp",
        receive_step=st("receive", "one_stop_desk", "PT10M", legal=f"Bản ghi TTHC {code}, bước 3"),
        middle=[],
        appraise=user(
            "Task_Appraise",
            "Kiểm tra đối tượng tham gia (không trùng thẻ theo đối tượng khác)",
            s,
            "tham-dinh-ho-so",
            st(
                "verify",
                "specialist",
                "PT30M",
                legal="Luật Bảo hiểm y tế; Quyết định 595/QĐ-BHXH (sửa đổi)",
            ),
        ),
        approve_question="Đủ điều kiện gia hạn?",
        refused_name="Không gia hạn, hoàn trả tiền đã nộp",
        tail=[
            user(
                "Task_Issue",
                "Gia hạn giá trị sử dụng thẻ BHYT của các thành viên",
                s,
                "bhyt-hgd-gia-han",
                st("other", "specialist", "PT15M", legal=f"Bản ghi TTHC {code}, bước 4"),
            ),
            user(
                "Task_Deliver",
                "Trả thẻ BHYT điện tử (VssID, VNeID)",
                d,
                "tra-ket-qua",
                st("deliver_result", "one_stop_desk", "PT5M"),
            ),
        ],
        result_value="renewed",
        done_name="Đã gia hạn thẻ BHYT",
        deadline="P5D",
    )
    components = [
        comp(
            "DOR_01TK",
            "Tờ khai đăng ký đóng, cấp thẻ BHYT trên Cổng Dịch vụ công (mẫu 01-TK)",
            "health_insurance_declaration",
            "declaration_form",
            "electronic",
            f"Quyết định 3510/QĐ-BHXH; bản ghi TTHC {code}",
            ["full_name", "identity_number", "household_members", "health_insurance_card_number"],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_TK1TS",
            "Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT (mẫu TK1-TS) — người tham gia lần đầu hoặc chưa đủ thông tin",
            "tk1_ts",
            "declaration_form",
            "original",
            f"Quyết định 948/QĐ-BHXH (mẫu TK1-TS); bản ghi TTHC {code}",
            ["full_name", "date_of_birth", "permanent_address", "social_insurance_number"],
            ["Task_Appraise"],
            required=False,
            note="Gia hạn thì không cần: thông tin đã có trong CSDL quốc gia về bảo hiểm và CSDL dân cư",
        ),
        comp(
            "DOR_QuyenLoiCao",
            "Giấy tờ chứng minh hưởng quyền lợi BHYT cao hơn (nếu có)",
            "higher_benefit_proof",
            "priority_proof",
            "copy",
            f"Quyết định 948/QĐ-BHXH, Phụ lục 03; bản ghi TTHC {code}",
            [],
            ["Task_Appraise"],
            required=False,
        ),
    ]
    model = Model(
        "gia_han_bhyt_ho_gia_dinh",
        "Gia hạn thẻ bảo hiểm y tế theo hộ gia đình",
        "Bảo hiểm xã hội cơ sở — Đóng, cấp thẻ BHYT hộ gia đình",
        code,
        lanes,
        nodes,
        flows,
        boundaries,
        components,
        tag="BHYTHGD",
    )
    forms = {
        "bhyt-hgd-to-khai": form(
            "bhyt-hgd-to-khai",
            "Tờ khai đăng ký đóng, cấp thẻ BHYT theo hộ gia đình (01-TK)",
            {
                **person_block("citizen", who="người đại diện hộ"),
                "household_members": pf(
                    "Thành viên hộ gia đình",
                    "population",
                    "household_members",
                    "citizen",
                    type_="array",
                ),
                "health_insurance_card_number": pf(
                    "Số thẻ BHYT", "social_insurance", "health_insurance_card_number", "insurance"
                ),
                "health_insurance_card_expiry": pf(
                    "Hạn thẻ BHYT hiện tại",
                    "social_insurance",
                    "health_insurance_card_expiry",
                    "insurance",
                    format="date",
                ),
                "renew_members": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 20,
                    "title": "Số thành viên gia hạn",
                },
                "renew_months": {"type": "integer", "enum": [3, 6, 12], "title": "Số tháng đóng"},
                "hospital": text("Nơi đăng ký khám chữa bệnh ban đầu"),
            },
            ["renew_members", "renew_months", "hospital"],
            "Danh sách thành viên lấy từ CSDL quốc gia về dân cư; số thẻ, hạn thẻ từ CSDL quốc gia về bảo hiểm.",
        ),
        "bhyt-hgd-gia-han": form(
            "bhyt-hgd-gia-han",
            "Gia hạn thẻ BHYT",
            {"new_card_expiry": date("Thẻ có giá trị sử dụng đến")},
            ["new_card_expiry"],
        ),
    }
    declare = {"renew_members": 2, "renew_months": 12, "hospital": "Trung tâm Y tế Phường Sầm Sơn"}
    start = {"channel": "online", "data": {"applicant_id": "038070007777"}}
    examples = {
        "gia-han-12-thang": {
            "name": "Hộ hai vợ chồng gia hạn 12 tháng: 179.010 đồng/tháng (người thứ hai 70%)",
            "applicant": "038070007777",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Pay", "data": pay_data("PAY-2026-BHYT-3801", 2148120)},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Appraise", "data": {"approved": True}},
                {"task": "Task_Issue", "data": {"new_card_expiry": "2027-12-31"}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "renewed",
                    "contribution_total": 2148120,
                    "insurance": {"health_insurance_card_expiry": "2026-12-31"},
                },
                "completed_tasks": ["Task_Cards", "Task_Contribution", "Task_Pay", "Task_Issue"],
            },
        },
        "trung-doi-tuong": {
            "name": "Một thành viên đã có thẻ theo đối tượng khác: bổ sung; quá hạn; không gia hạn",
            "applicant": "038070007777",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": dict(declare, renew_months=6)},
                {"task": "Task_Pay", "data": pay_data("PAY-2026-BHYT-3802", 1074060)},
                {
                    "task": "Task_Receive",
                    "data": {
                        "dossier_valid": False,
                        "missing_items": "Xác nhận thành viên không tham gia BHYT theo đối tượng khác",
                    },
                },
                {"task": "Task_Supplement", "data": {"supplement_note": "Đã kê khai lại"}},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P6D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Chờ rà soát trùng thẻ",
                        "new_appointment": "2026-12-16",
                    },
                },
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Thành viên đã có thẻ BHYT do người sử dụng lao động đóng",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused", "contribution_total": 1074060},
                "completed_tasks": ["Task_Supplement", "Task_Apology", "Task_Appraise"],
            },
        },
    }
    procedure = {
        "code": code,
        "name": {
            "vi": "Gia hạn thẻ bảo hiểm y tế theo hộ gia đình (đăng ký đóng, cấp thẻ BHYT đối với người chỉ tham gia BHYT)",
            "en": "Household health-insurance renewal",
        },
        "agency_level": "province",
        "agency": VSS_AGENCY,
        "field": "Thu bảo hiểm xã hội, bảo hiểm y tế",
        "legal_basis": [
            "Luật Bảo hiểm y tế 2008 (sửa đổi 2014, 2024)",
            "Nghị định 146/2018/NĐ-CP",
            "Quyết định 595/QĐ-BHXH (sửa đổi bởi Quyết định 505/QĐ-BHXH, 948/QĐ-BHXH)",
            "Quyết định 3510/QĐ-BHXH (quy trình trên Cổng Dịch vụ công)",
            "Nghị định 104/2022/NĐ-CP",
        ],
        "processing_time": time_limit(
            5, True, portal(code, decision, url, "không quá 05 ngày kể từ khi nhận đủ hồ sơ")
        ),
        "fee": fee(
            0, 0, portal(code, decision, url, "miễn phí; tiền đóng BHYT không phải phí, lệ phí")
        ),
        "annual_volume": volume(
            15000000,
            estimated(
                "Ước tính của nhóm phát triển (số người tham gia BHYT hộ gia đình); chưa có số liệu công bố theo thủ tục"
            ),
        ),
        "delivery_level": "full_online",
        "notes": "Mức đóng trong mô hình: 4,5% mức lương cơ sở 2.340.000 đồng cho người thứ nhất; người "
        "thứ hai, ba, tư bằng 70%, 60%, 50%; từ người thứ năm 40% (Luật Bảo hiểm y tế; Nghị định "
        "73/2024/NĐ-CP về lương cơ sở) — số liệu chưa đối chiếu với văn bản năm 2026, là ước tính.",
        "sources": {
            "code": portal(code, decision, url),
            "agency": VSS_AGENCY_SOURCE,
            "components": {
                "health_insurance_declaration": portal(
                    code,
                    decision,
                    url,
                    "Tờ khai đăng ký đóng, cấp thẻ BHYT trên Cổng Dịch vụ công (Mẫu 01-TK)",
                ),
                "tk1_ts": portal(
                    code,
                    decision,
                    url,
                    "Tờ khai TK1-TS đối với người tham gia lần đầu hoặc chưa đủ thông tin",
                ),
                "higher_benefit_proof": portal(
                    code,
                    decision,
                    url,
                    "giấy tờ chứng minh hưởng quyền lợi BHYT cao hơn (Phụ lục 03, Quyết định 948/QĐ-BHXH)",
                ),
            },
        },
    }
    return {
        "slug": "gia-han-bhyt-ho-gia-dinh",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


# -- Giải quyết hưởng trợ cấp thất nghiệp --------------------------------------------------------
EMPLOYMENT_LAW = "Luật Việc làm 2025 (74/2025/QH15), hiệu lực từ 01/01/2026"
UI_DECREE = "Nghị định 374/2025/NĐ-CP quy định chi tiết Luật Việc làm về bảo hiểm thất nghiệp"
# the national portal's record "Hưởng trợ cấp thất nghiệp (Cấp tỉnh)" under the 2025 law
TCTN = ("1.014748", "107/QĐ-BNV", "019d2bfb-2b1d-7649-8f76-f5315475eb46")
UI_SCRIPT = (
    'months_paid = unemployment["unemployment_insurance_months"]\n'
    "eligible_by_contributions = months_paid >= 12\n"
    "benefit_months = 0\n"
    "if eligible_by_contributions:\n"
    "    benefit_months = min(12, 3 + max(0, months_paid - 36) // 12)\n"
    'monthly_benefit = round(unemployment["average_insured_salary"] * 0.6)'
)


def huong_tro_cap_that_nghiep() -> dict:
    c, d, s, lead, other = "citizen", "one_stop_desk", "specialist", "leader", "other_agency"
    lanes = [
        (c, "Citizen", "Người lao động"),
        (d, "Desk", "Trung tâm Dịch vụ việc làm — bộ phận tiếp nhận"),
        (s, "Specialist", "Cán bộ bảo hiểm thất nghiệp, Trung tâm Dịch vụ việc làm"),
        (lead, "Leader", "Giám đốc Sở Nội vụ"),
        (other, "VSS", "Bảo hiểm xã hội tỉnh (chi trả)"),
    ]
    nodes, flows, boundaries = standard(
        start_name="Đề nghị hưởng trợ cấp thất nghiệp",
        head=[
            _prefill(),
            service(
                "Task_Contributions",
                "Lấy quá trình đóng bảo hiểm thất nghiệp, ngày chấm dứt HĐLĐ từ CSDL bảo hiểm",
                c,
                "unemployment_insurance.lookup",
                {"identity_number": "applicant_id"},
                "unemployment",
            ),
            user(
                "Task_Declare",
                "Khai Đề nghị hưởng trợ cấp thất nghiệp",
                c,
                "tctn-de-nghi",
                st("submit", "citizen", "PT20M", legal=EMPLOYMENT_LAW, citizen_time="PT40M"),
            ),
            script("Task_Compute", "Tính điều kiện, số tháng và mức hưởng dự kiến", d, UI_SCRIPT),
        ],
        receive_name="Tiếp nhận hồ sơ, hẹn trả kết quả",
        receive_step=st("receive", "one_stop_desk", "PT20M", legal=EMPLOYMENT_LAW),
        middle=[],
        appraise=user(
            "Task_Appraise",
            "Thẩm định điều kiện hưởng: đủ 12 tháng đóng, hồ sơ trong hạn, chưa có việc làm",
            s,
            "tham-dinh-ho-so",
            st("appraise", "specialist", "P2D", legal=EMPLOYMENT_LAW),
        ),
        approve_question="Đủ điều kiện hưởng?",
        refused_name="Thông báo không được hưởng",
        tail=[
            user(
                "Task_Decide",
                "Ký quyết định hưởng trợ cấp thất nghiệp (Mẫu số 12)",
                lead,
                "ky-duyet",
                st("sign", "leader", "PT30M", legal=UI_DECREE),
            ),
            user(
                "Task_Payout",
                "Chi trả trợ cấp thất nghiệp tháng đầu, cấp thẻ BHYT",
                other,
                "tctn-chi-tra",
                st("other", "other_agency", "P5D", legal=EMPLOYMENT_LAW),
            ),
            user(
                "Task_Deliver",
                "Trả quyết định hưởng trợ cấp thất nghiệp",
                d,
                "tra-ket-qua",
                st("deliver_result", "one_stop_desk", "PT10M"),
            ),
        ],
        result_value="granted",
        done_name="Đã giải quyết hưởng trợ cấp thất nghiệp",
        deadline="P15D",
    )
    components = [
        comp(
            "DOR_DeNghi",
            "Đề nghị hưởng trợ cấp thất nghiệp (Mẫu số 10, Nghị định 374/2025/NĐ-CP)",
            "unemployment_request",
            "declaration_form",
            "original",
            UI_DECREE,
            ["full_name", "identity_number", "social_insurance_number", "employment_end_date"],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_ChamDutHDLD",
            "Bản chính, bản sao có chứng thực hoặc bản điện tử giấy tờ xác nhận chấm dứt hợp đồng lao động, hợp đồng làm việc (quyết định thôi việc…)",
            "employment_termination",
            "employment_termination",
            "certified_copy",
            UI_DECREE,
            ["employment_end_date", "termination_reason", "last_employer"],
            ["Task_Appraise"],
            note="Ngày, lý do chấm dứt do người sử dụng lao động báo giảm lao động đã có trong CSDL bảo hiểm",
        ),
        comp(
            "DOR_SoBHXH",
            "Sổ bảo hiểm xã hội",
            "insurance_book",
            "insurance_book",
            "original",
            UI_DECREE,
            ["social_insurance_number", "contribution_history"],
            ["Task_Appraise"],
            note="Quá trình đóng bảo hiểm thất nghiệp có trong CSDL quốc gia về bảo hiểm",
        ),
    ]
    model = Model(
        "huong_tro_cap_that_nghiep",
        "Giải quyết hưởng trợ cấp thất nghiệp",
        "Sở Nội vụ — Trung tâm Dịch vụ việc làm",
        None,
        lanes,
        nodes,
        flows,
        boundaries,
        components,
        tag="TCTN",
    )
    forms = {
        "tctn-de-nghi": form(
            "tctn-de-nghi",
            "Đề nghị hưởng trợ cấp thất nghiệp",
            {
                **person_block("citizen", who="người lao động"),
                "social_insurance_number": pf(
                    "Mã số bảo hiểm xã hội",
                    "unemployment_insurance",
                    "social_insurance_number",
                    "unemployment",
                ),
                "last_employer": pf(
                    "Đơn vị sử dụng lao động gần nhất",
                    "unemployment_insurance",
                    "last_employer",
                    "unemployment",
                ),
                "employment_end_date": pf(
                    "Ngày chấm dứt hợp đồng lao động",
                    "unemployment_insurance",
                    "employment_end_date",
                    "unemployment",
                    format="date",
                ),
                "bank_account": text("Số tài khoản nhận trợ cấp"),
                "bank_name": text("Ngân hàng"),
                "has_new_job": {"type": "boolean", "title": "Đã có việc làm mới", "const": False},
                "termination_file": attachment(
                    "Văn bản chấm dứt hợp đồng lao động", "employment_termination"
                ),
            },
            ["bank_account", "bank_name", "has_new_job"],
            "Quá trình đóng bảo hiểm thất nghiệp và ngày chấm dứt hợp đồng lấy từ CSDL bảo hiểm.",
        ),
        "tctn-chi-tra": form(
            "tctn-chi-tra",
            "Chi trả trợ cấp thất nghiệp",
            {
                "first_payment_date": date("Ngày chi trả tháng đầu"),
                "amount_paid": {"type": "integer", "minimum": 0, "title": "Số tiền đã chi (đồng)"},
            },
            ["first_payment_date", "amount_paid"],
        ),
    }
    declare = {
        "bank_account": "0451000123456",
        "bank_name": "Ngân hàng TMCP Ngoại thương Việt Nam",
        "has_new_job": False,
    }
    start = {"channel": "online", "data": {"applicant_id": "048194006789"}}
    examples = {
        "du-dieu-kien": {
            "name": "Hết hạn hợp đồng sau 74 tháng đóng bảo hiểm thất nghiệp: hưởng 6 tháng, 5.880.000 đồng/tháng",
            "applicant": "048194006789",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Appraise", "data": {"approved": True}},
                {"task": "Task_Decide", "data": {"signed": True}},
                {
                    "task": "Task_Payout",
                    "data": {"first_payment_date": "2026-12-28", "amount_paid": 5880000},
                },
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "granted",
                    "benefit_months": 6,
                    "monthly_benefit": 5880000,
                    "eligible_by_contributions": True,
                },
                "completed_tasks": [
                    "Task_Contributions",
                    "Task_Compute",
                    "Task_Decide",
                    "Task_Payout",
                ],
            },
        },
        "da-co-viec-lam": {
            "name": "Thiếu văn bản chấm dứt HĐLĐ, bổ sung; quá hạn; đã giao kết hợp đồng mới: không hưởng",
            "applicant": "048194006789",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Quyết định thôi việc"},
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Đã nộp bản sao chứng thực"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P21D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Chờ xác minh hợp đồng lao động mới",
                        "new_appointment": "2027-01-05",
                    },
                },
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Đã giao kết hợp đồng lao động mới trong thời gian chờ giải quyết",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Apology"],
            },
        },
    }
    procedure = {
        "code": TCTN[0],
        "name": {"vi": "Giải quyết hưởng trợ cấp thất nghiệp", "en": "Unemployment benefit"},
        "agency_level": "province",
        "agency": "Sở Nội vụ (Trung tâm Dịch vụ việc làm tiếp nhận)",
        "field": "Việc làm",
        "legal_basis": [EMPLOYMENT_LAW, UI_DECREE],
        "processing_time": time_limit(
            15,
            True,
            portal(
                *TCTN,
                "15 ngày làm việc kể từ ngày nhận đủ hồ sơ (trực tuyến, bưu chính, trực tiếp); căn "
                "cứ Luật Việc làm 74/2025/QH15 và Nghị định 374/2025/NĐ-CP (quy định trước năm 2026: "
                "20 ngày)",
            ),
        ),
        "fee": fee(
            0,
            0,
            estimated(
                "Không thu phí, lệ phí (chế độ bảo hiểm); bản ghi 1.014748 (Quyết định 107/QĐ-BNV) "
                "ghi phí, lệ phí 'Không có thông tin'"
            ),
        ),
        "annual_volume": volume(
            1000000,
            estimated(
                "Ước tính của nhóm phát triển (khoảng 1 triệu người hưởng trợ cấp thất nghiệp mỗi năm); chưa đối chiếu số liệu của Bảo hiểm xã hội Việt Nam"
            ),
        ),
        "delivery_level": "partial_online",
        "notes": "Số tháng hưởng (3 tháng cho 12–36 tháng đóng, thêm 1 tháng cho mỗi 12 tháng, tối đa 12) "
        "và mức hưởng 60% bình quân tiền lương 06 tháng liền kề theo quy định trước năm 2026; chưa đối "
        "chiếu với Luật Việc làm 2025 — là ước tính. Không áp mức trần 05 lần lương tối thiểu vùng. "
        "Điều kiện đóng theo bản ghi 1.014748: đủ 12 tháng trong 24 tháng trước khi chấm dứt hợp đồng "
        "(36 tháng với hợp đồng từ 01 đến dưới 12 tháng); hồ sơ nộp trong 03 tháng.",
        "sources": {
            "code": portal(*TCTN, "Hưởng trợ cấp thất nghiệp (Cấp tỉnh), lĩnh vực Việc làm"),
            "agency": portal(
                *TCTN,
                "tổ chức dịch vụ việc làm công tiếp nhận, trình Giám đốc Sở Nội vụ quyết định; "
                "Bảo hiểm xã hội cấp tỉnh chi trả trong 05 ngày làm việc",
            ),
            "components": {
                "unemployment_request": portal(
                    *TCTN,
                    "Đề nghị hưởng trợ cấp thất nghiệp theo Mẫu số 10, Nghị định 374/2025/NĐ-CP",
                ),
                "employment_termination": portal(
                    *TCTN,
                    "bản chính, bản sao có chứng thực, bản chính kèm bản sao để đối chiếu hoặc bản "
                    "điện tử của giấy tờ xác nhận chấm dứt hợp đồng lao động, hợp đồng làm việc",
                ),
                "insurance_book": portal(*TCTN, "Sổ bảo hiểm xã hội (bản chính)"),
            },
        },
    }
    return {
        "slug": "huong-tro-cap-that-nghiep",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }
