"""Civil status (hộ tịch) and residence (cư trú) procedures, standalone."""

from __future__ import annotations

from bpmn_builder import Flow, Model, Node
from common import (
    DECREE_104,
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

HT_LAW = "Luật Hộ tịch 2014"
ND123 = "Nghị định 123/2015/NĐ-CP"
CT_LAW = "Luật Cư trú 2020"
ND154 = "Nghị định 154/2024/NĐ-CP"
TT55 = "Thông tư 55/2021/TT-BCA (sửa đổi bởi Thông tư 66/2023/TT-BCA)"

COMMUNE_JUSTICE = [
    ("citizen", "Citizen", "Người yêu cầu đăng ký"),
    ("one_stop_desk", "Desk", "Bộ phận Một cửa — Trung tâm Phục vụ hành chính công cấp xã"),
    ("specialist", "Specialist", "Công chức Tư pháp – hộ tịch"),
    ("leader", "Leader", "Chủ tịch Ủy ban nhân dân cấp xã"),
]
COMMUNE_POLICE = [
    ("citizen", "Citizen", "Công dân"),
    ("one_stop_desk", "Desk", "Bộ phận Một cửa — Công an cấp xã"),
    ("specialist", "Specialist", "Cán bộ đăng ký cư trú, Công an cấp xã"),
    ("leader", "Leader", "Trưởng Công an cấp xã"),
]

IDENTITY_COPY_NOTE = "Dữ liệu đã có trong CSDL quốc gia về dân cư"

# the national portal's records of these procedures (code, publishing decision, record id)
REC_KS = ("1.001193", "163/QĐ-BTP", "019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7")
REC_KT = ("1.000656", "163/QĐ-BTP", "019d2bfd-3fac-7489-b53b-9c6c958f2da4")
REC_KH = ("1.000894", "163/QĐ-BTP", "019d2bfd-3fac-7489-b53b-a15eb239a6fe")
REC_TT = ("1.004222", "1523/QĐ-BCA-C06", "019d2bf7-7704-7449-9e95-fe7ebb959aa2")
REC_XTT = ("1.003197", "1523/QĐ-BCA-C06", "019d2bf7-6f18-72e5-974d-ed6803c7178a")
REC_LTRU = ("2.001159", "9354/QĐ-BCA-C06", "019d2bf7-adb7-7329-8d7c-db89ef073ced")
# removal of permanent residence charges no fee (also the linked part of the death group)
XTT_FEE_SOURCE = cited(
    "Thông tư 75/2022/TT-BTC (sửa đổi bởi Thông tư 71/2025/TT-BTC): lệ phí đăng ký cư trú không thu đối với xóa đăng ký thường trú; bản ghi 1.003197 không ghi phí",
    "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/" + REC_XTT[2],
)
ND07 = "Nghị định 07/2025/NĐ-CP (sửa đổi Nghị định 123/2015/NĐ-CP)"
ND120 = "Nghị định 120/2025/NĐ-CP (phân định thẩm quyền chính quyền địa phương 02 cấp, lĩnh vực tư pháp)"
COMMUNE_CIVIL_AGENCY = (
    "Ủy ban nhân dân cấp xã (Điều 13, 17, 32 Luật Hộ tịch 2014); chính quyền địa phương hai cấp "
    "từ 01/7/2025 theo Nghị định 120/2025/NĐ-CP"
)
# Presence at the civil-status register, one rule for birth, death and marriage: the Law
# on Civil Status has the applicant sign the register with the officer (Art. 16(2), 18(2),
# 34(2)); registered online, the applicant confirms the electronic extract instead
# (portal records 1.001193, 1.000656); only marriage requires both parties to be present
# and sign (Art. 18(2), record 1.000894). So delivery needs presence by law for marriage
# alone.
REGISTER_ONLINE = (
    "{law}; đăng ký trực tuyến: người yêu cầu xác nhận biểu mẫu điện tử thay cho ký Sổ "
    "(Nghị định 87/2020/NĐ-CP; bản ghi {code} trên Cổng Dịch vụ công quốc gia)"
)


def ks_register_form(form_id: str = "ks-ghi-so") -> dict:
    return form(
        form_id,
        "Ghi Sổ đăng ký khai sinh, cập nhật CSDL hộ tịch điện tử",
        {
            "approved": {"type": "boolean", "title": "Đủ điều kiện đăng ký khai sinh"},
            "birth_registration_number": text("Số đăng ký khai sinh (Sổ hộ tịch)"),
            "child_identity_number": {
                "type": "string",
                "title": "Số định danh cá nhân cấp cho trẻ",
                "pattern": "^[0-9]{12}$",
            },
            "refusal_reason": {"type": "string", "title": "Lý do từ chối (nếu có)"},
        },
        ["approved"],
        "Công chức tư pháp – hộ tịch ghi Sổ, cập nhật CSDL hộ tịch điện tử; hệ thống cấp số định danh cá nhân cho trẻ.",
    ) | {
        "allOf": [
            {
                "if": {"properties": {"approved": {"const": True}}, "required": ["approved"]},
                "then": {"required": ["birth_registration_number", "child_identity_number"]},
            }
        ]
    }


def ks_declare_properties(result: str = "citizen") -> dict:
    return {
        **person_block(result),
        "relationship_to_child": {
            "type": "string",
            "title": "Quan hệ với người được khai sinh",
            "enum": ["Cha", "Mẹ", "Ông", "Bà", "Người thân thích khác"],
        },
        "child_full_name": text("Họ, chữ đệm và tên người được khai sinh"),
        "child_date_of_birth": date("Ngày, tháng, năm sinh của trẻ"),
        "child_sex": {"type": "string", "title": "Giới tính của trẻ", "enum": ["Nam", "Nữ"]},
        "child_ethnicity": text("Dân tộc của trẻ"),
        "child_nationality": text("Quốc tịch của trẻ", default="Việt Nam"),
        "place_of_delivery": text("Nơi sinh (cơ sở y tế)"),
        "father_full_name": {"type": "string", "title": "Họ, chữ đệm và tên người cha"},
        "father_identity_number": {
            "type": "string",
            "title": "Số định danh cá nhân của cha",
            "pattern": "^[0-9]{12}$",
        },
        "mother_full_name": text("Họ, chữ đệm và tên người mẹ"),
        "mother_identity_number": {
            "type": "string",
            "title": "Số định danh cá nhân của mẹ",
            "pattern": "^[0-9]{12}$",
        },
        "marriage_registration_number": {
            "type": "string",
            "title": "Số đăng ký kết hôn của cha mẹ (nếu có)",
        },
        "birth_notice_file": attachment("Giấy chứng sinh", "birth_notice"),
        "identity_card_file": attachment(
            "Bản chụp Căn cước của người đi đăng ký", "identity_card_copy"
        ),
    }


KS_REQUIRED = [
    "relationship_to_child",
    "child_full_name",
    "child_date_of_birth",
    "child_sex",
    "child_ethnicity",
    "place_of_delivery",
    "mother_full_name",
    "mother_identity_number",
]


def ks_components(
    readers_receive: str = "Task_Receive",
    readers_register: str = "Task_Register",
    linked: bool = False,
):
    """Birth registration's components. Decree 07/2025 dropped the parents' marriage
    certificate (the registry looks the marriage up) and Decree 104/2022 the residence
    proof; the linked group (Decree 63/2024) takes one e-dossier: the e-form and the
    signed electronic birth notice, nothing else."""
    declaration = comp(
        "DOR_ToKhaiKS",
        "Tờ khai đăng ký khai sinh" + (" (biểu mẫu điện tử liên thông)" if linked else ""),
        "birth_declaration",
        "declaration_form",
        "electronic" if linked else "original",
        "Khoản 1 Điều 16 Luật Hộ tịch 2014; Thông tư 04/2020/TT-BTP (sửa đổi bởi Thông tư 03/2023/TT-BTP) (mẫu tờ khai)"
        + ("; Nghị định 63/2024/NĐ-CP" if linked else ""),
        ["child_full_name", "child_date_of_birth", "child_sex", "father_name", "mother_name"],
        [readers_receive, readers_register],
    )
    notice = comp(
        "DOR_GiayChungSinh",
        "Giấy chứng sinh" + (" điện tử có ký số" if linked else ""),
        "birth_notice",
        "birth_notice",
        "electronic" if linked else "original",
        "Khoản 1 Điều 16 Luật Hộ tịch 2014" + ("; Nghị định 63/2024/NĐ-CP" if linked else ""),
        ["birth_notice_number", "child_date_of_birth", "child_sex", "place_of_delivery"],
        [readers_receive],
    )
    if linked:
        return [declaration, notice]
    return [
        declaration,
        notice,
        comp(
            "DOR_CCCD",
            "Căn cước của người đi đăng ký (xuất trình, kèm bản chụp)",
            "identity_card_copy",
            "identity_card",
            "copy",
            "Khoản 1 Điều 2 Nghị định 123/2015/NĐ-CP",
            ["identity_number", "full_name", "date_of_birth"],
            [readers_receive],
            note=IDENTITY_COPY_NOTE,
        ),
    ]


def ks_component_sources(linked: bool = False) -> dict:
    """Where each birth-registration component is required (record 1.001193)."""
    out = {
        "birth_declaration": portal(
            *REC_KS,
            "tờ khai theo mẫu hộ tịch điện tử tương tác (trực tuyến) hoặc Tờ khai đăng ký khai sinh; Khoản 1 Điều 16 Luật Hộ tịch 2014",
        ),
        "birth_notice": portal(
            *REC_KS,
            "Giấy chứng sinh; không nộp bản giấy khi đã nộp bản điện tử hoặc cơ quan hộ tịch khai thác được dữ liệu điện tử có ký số",
        ),
    }
    if linked:
        return {
            k: cited(v["source"] + "; liên thông điện tử theo Nghị định 63/2024/NĐ-CP", v["url"])
            for k, v in out.items()
        }
    out["identity_card_copy"] = portal(
        *REC_KS,
        "giấy tờ tùy thân phải xuất trình khi làm thủ tục trực tiếp; trực tuyến chỉ cung cấp số định danh cá nhân",
    )
    return out


# The applicant is the mother when the health database keeps a birth notice under her
# identity number (the notice names the mother by it); then her identity data come from
# the population record already read for the applicant. Otherwise ``mother`` stays empty
# and the mother's fields are typed.
KS_MOTHER_SCRIPT = """mother = {}
if notice["found"] and "birth_notice_number" in notice:
    mother = {"full_name": citizen["full_name"], "identity_number": citizen["identity_number"], "date_of_birth": citizen["date_of_birth"]}"""


def ks_declare_prefilled() -> dict:
    """The birth declaration of the standalone procedure: the mother's fields pre-filled
    from the population database when she applies (``mother``), the child's from the
    electronic birth notice (``notice``); each is typed when the lookup found nothing
    (docs/forms.md, ``x-prefill``)."""
    prefilled = {
        "mother_full_name": pf(
            "Họ, chữ đệm và tên người mẹ", "population", "full_name", "mother", minLength=1
        ),
        "mother_identity_number": pf(
            "Số định danh cá nhân của mẹ",
            "population",
            "identity_number",
            "mother",
            pattern="^[0-9]{12}$",
        ),
        "mother_date_of_birth": pf(
            "Ngày, tháng, năm sinh của mẹ", "population", "date_of_birth", "mother", format="date"
        ),
        "birth_notice_number": pf("Số Giấy chứng sinh", "health", "birth_notice_number", "notice"),
        "child_date_of_birth": pf(
            "Ngày, tháng, năm sinh của trẻ",
            "health",
            "child_date_of_birth",
            "notice",
            format="date",
        ),
        "child_sex": pf("Giới tính của trẻ", "health", "child_sex", "notice", enum=["Nam", "Nữ"]),
        "place_of_delivery": pf(
            "Nơi sinh (cơ sở y tế)", "health", "place_of_delivery", "notice", minLength=1
        ),
    }
    after = {
        "mother_identity_number": "mother_date_of_birth",
        "place_of_delivery": "birth_notice_number",
    }
    props: dict = {}
    for name, prop in ks_declare_properties().items():
        props[name] = prefilled.get(name, prop)
        if name in after:
            props[after[name]] = prefilled[after[name]]
    return props


def dang_ky_khai_sinh() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after="Task_CheckBirthNotice",
        next_="Task_Handoff",
        receive_name="Tiếp nhận, kiểm tra hồ sơ và giấy tờ xuất trình",
        receive_step=st(
            "receive",
            "one_stop_desk",
            "PT30M",
            "required",
            legal="Điều 16 Luật Hộ tịch 2014; Điều 2 Nghị định 123/2015/NĐ-CP (xuất trình giấy tờ)",
            citizen_time="PT2H",
        ),
    )
    t_nodes, t_flows, timer = overdue("Task_Register", d, "P1D")
    nodes = [
        Node("Start_Request", "start", "Yêu cầu đăng ký khai sinh", c),
        service(
            "Task_Prefill",
            "Lấy thông tin người yêu cầu từ CSDL quốc gia về dân cư",
            c,
            "population.lookup",
            {"identity_number": "applicant_id"},
            "citizen",
        ),
        # before the declaration: the electronic birth notice, which the health database
        # keeps under the mother's identity number; a father or grandparent applying has
        # none under his own, so the lookup is optional (no record: fields typed)
        service(
            "Task_FindBirthNotice",
            "Tìm Giấy chứng sinh điện tử của người mẹ trên CSDL y tế",
            c,
            "health.lookup",
            {"identity_number": "applicant_id"},
            "notice",
            optional=True,
        ),
        script("Task_PrefillMother", "Điền sẵn thông tin người mẹ", c, KS_MOTHER_SCRIPT),
        user(
            "Task_Declare",
            "Khai Tờ khai đăng ký khai sinh, đính kèm giấy tờ",
            c,
            "ks-to-khai",
            st(
                "submit",
                "citizen",
                "PT30M",
                legal="Khoản 1 Điều 16 Luật Hộ tịch 2014",
                citizen_time="PT1H",
            ),
        ),
        service(
            "Task_CheckBirthNotice",
            "Đối chiếu Giấy chứng sinh trên CSDL y tế",
            d,
            "health.lookup",
            {"identity_number": "mother_identity_number"},
            "birth_notice",
            kind="verify",
        ),
        *intake_nodes,
        user(
            "Task_Handoff",
            "Chuyển hồ sơ cho công chức Tư pháp – hộ tịch",
            d,
            "chuyen-ho-so",
            st("handoff", "one_stop_desk", "PT2H"),
        ),
        user(
            "Task_Register",
            "Kiểm tra, ghi Sổ hộ tịch, cập nhật CSDL hộ tịch điện tử, cấp số định danh",
            s,
            "ks-ghi-so",
            st("appraise", "specialist", "PT2H", legal="Khoản 2 Điều 16 Luật Hộ tịch 2014"),
        ),
        Node("Gateway_Approved", "xor", "Đủ điều kiện đăng ký?", s),
        script(
            "Task_Refused",
            "Ghi nhận từ chối, thông báo bằng văn bản lý do",
            s,
            'result = "refused"',
        ),
        Node("End_Refused", "end", "Từ chối đăng ký khai sinh", s),
        user(
            "Task_Sign",
            "Ký Giấy khai sinh (bản chính) và Trích lục",
            lead,
            "ky-duyet",
            st("sign", "leader", "PT1H", legal="Khoản 2 Điều 16 Luật Hộ tịch 2014"),
        ),
        user(
            "Task_Deliver",
            "Trả Giấy khai sinh; người đi đăng ký ký Sổ hoặc xác nhận bản điện tử",
            d,
            "tra-ket-qua",
            st(
                "deliver_result",
                "one_stop_desk",
                "PT30M",
                legal=REGISTER_ONLINE.format(
                    law="Khoản 2 Điều 16 Luật Hộ tịch 2014", code=REC_KS[0]
                ),
                citizen_time="PT30M",
            ),
        ),
        script("Task_Result", "Cập nhật kết quả giải quyết", d, 'result = "registered"'),
        Node("End_Done", "end", "Đã đăng ký khai sinh", d),
        *t_nodes,
    ]
    flows = [
        *seq(
            "Start_Request",
            "Task_Prefill",
            "Task_FindBirthNotice",
            "Task_PrefillMother",
            "Task_Declare",
            "Task_CheckBirthNotice",
        ),
        *intake_flows,
        *seq("Task_Handoff", "Task_Register", "Gateway_Approved"),
        Flow("Gateway_Approved", "Task_Sign", "Đủ điều kiện", "approved == True"),
        Flow("Gateway_Approved", "Task_Refused", "Không đủ điều kiện", "approved == False"),
        Flow("Task_Refused", "End_Refused"),
        *seq("Task_Sign", "Task_Deliver", "Task_Result", "End_Done"),
        *t_flows,
    ]
    model = Model(
        "dang_ky_khai_sinh",
        "Đăng ký khai sinh",
        "Ủy ban nhân dân cấp xã — Đăng ký khai sinh",
        "1.001193",
        COMMUNE_JUSTICE,
        nodes,
        flows,
        [timer],
        ks_components(),
        tag="KS",
    )
    forms = {
        "ks-to-khai": form(
            "ks-to-khai",
            "Tờ khai đăng ký khai sinh",
            ks_declare_prefilled(),
            KS_REQUIRED,
            "Mẫu Tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP (sửa đổi bởi Thông tư 03/2023/TT-BTP)). "
            "Thông tin người yêu cầu lấy từ CSDL quốc gia về dân cư; khi người yêu cầu là mẹ của trẻ, "
            "thông tin người mẹ lấy từ CSDL quốc gia về dân cư và thông tin trẻ từ Giấy chứng sinh điện tử "
            "(CSDL y tế); không có dữ liệu thì người yêu cầu tự khai.",
        ),
        "ks-ghi-so": ks_register_form(),
    }
    declare = {
        "relationship_to_child": "Mẹ",
        "child_full_name": "Nguyễn Minh Khôi",
        "child_date_of_birth": "2026-11-02",
        "child_sex": "Nam",
        "child_ethnicity": "Kinh",
        "child_nationality": "Việt Nam",
        "place_of_delivery": "Bệnh viện Phụ sản Hà Nội",
        "father_full_name": "Nguyễn Văn An",
        "father_identity_number": "001090012345",
        "mother_full_name": "Trần Thị Bình",
        "mother_identity_number": "001192034567",
    }
    examples = {
        "hop-le-dang-ky-ngay": {
            "name": "Mẹ đăng ký khai sinh cho con, hồ sơ hợp lệ, đăng ký ngay trong ngày",
            "applicant": "001192034567",
            "start": {"channel": "online", "data": {"applicant_id": "001192034567"}},
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {
                    "task": "Task_Register",
                    "data": {
                        "approved": True,
                        "birth_registration_number": "KS.2026.001.000457",
                        "child_identity_number": "001226004571",
                    },
                },
                {"task": "Task_Sign", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "registered",
                    "child_identity_number": "001226004571",
                    "birth_notice": {"birth_notice_number": "CS-2026-0001234"},
                    # pre-filled before the declaration: the mother applies
                    "mother": {"identity_number": "001192034567", "full_name": "Trần Thị Bình"},
                    "mother_date_of_birth": "1992-07-02",
                    "birth_notice_number": "CS-2026-0001234",
                },
                "completed_tasks": [
                    "Task_Declare",
                    "Task_Receive",
                    "Task_Register",
                    "Task_Sign",
                    "Task_Deliver",
                ],
            },
        },
        "cha-dang-ky": {
            "name": "Cha đăng ký khai sinh cho con: không có Giấy chứng sinh theo số định danh của cha, "
            "thông tin người mẹ và trẻ do cha khai",
            "applicant": "001090012345",
            "start": {"channel": "online", "data": {"applicant_id": "001090012345"}},
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": declare
                    | {"relationship_to_child": "Cha", "mother_date_of_birth": "1992-07-02"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {
                    "task": "Task_Register",
                    "data": {
                        "approved": True,
                        "birth_registration_number": "KS.2026.001.000458",
                        "child_identity_number": "001226004572",
                    },
                },
                {"task": "Task_Sign", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "registered",
                    "mother": {},
                    "mother_full_name": "Trần Thị Bình",
                    "birth_notice": {"birth_notice_number": "CS-2026-0001234"},
                },
                "completed_tasks": ["Task_Declare", "Task_Register", "Task_Deliver"],
            },
        },
        "bo-sung-qua-han-tu-choi": {
            "name": "Hồ sơ thiếu phải bổ sung, quá hạn phải xin lỗi, cuối cùng bị từ chối",
            "applicant": "001192034567",
            "start": {"channel": "online", "data": {"applicant_id": "001192034567"}},
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Giấy chứng sinh bản chính"},
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Đã nộp Giấy chứng sinh bản chính"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {"handoff_note": "Chuyển công chức tư pháp"}},
                {"fire_timers": "P2D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Cần xác minh nơi sinh",
                        "new_appointment": "2026-12-01",
                    },
                },
                {
                    "task": "Task_Register",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Trẻ đã được đăng ký khai sinh tại nơi khác",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Apology", "Task_Register"],
            },
        },
    }
    procedure = {
        "code": "1.001193",
        "name": {"vi": "Đăng ký khai sinh", "en": "Birth registration"},
        "agency_level": "commune",
        "agency": "Ủy ban nhân dân cấp xã",
        "field": "Hộ tịch",
        "legal_basis": [
            f"{HT_LAW} (Điều 13–17)",
            f"{ND123} (Điều 2, Điều 9)",
            "Thông tư 04/2020/TT-BTP (sửa đổi bởi Thông tư 03/2023/TT-BTP) (mẫu tờ khai)",
            "Nghị định 87/2020/NĐ-CP (CSDL hộ tịch điện tử)",
            DECREE_104,
            ND07 + " (bỏ Giấy chứng nhận kết hôn của cha mẹ: cơ quan hộ tịch tra cứu)",
            ND120,
            "Nghị quyết 66.7/2025/NQ-CP (cắt giảm thủ tục dựa trên dữ liệu)",
        ],
        "processing_time": {
            "days": 1,
            "working_days": True,
            **portal(
                *REC_KS,
                "01 ngày (trực tuyến, bưu chính, trực tiếp); Khoản 2 Điều 16 Luật Hộ tịch 2014: ngay trong ngày tiếp nhận, nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo",
            ),
        },
        "fee": {
            "amount": 0,
            "online_amount": 0,
            "currency": "VND",
            **portal(
                *REC_KS,
                "miễn phí; Điểm b khoản 1 Điều 11 Luật Hộ tịch 2014: miễn lệ phí đăng ký khai sinh đúng hạn",
            ),
        },
        "annual_volume": {
            "dossiers": 1400000,
            "estimate": True,
            "source": "Ước tính theo số trẻ sinh hằng năm (khoảng 1,4 triệu, Tổng cục Thống kê 2023); cần xác nhận",
        },
        # one of the 25 essential services: no paper dossier from 1 October 2025
        "delivery_level": "full_online",
        "notes": (
            "Một trong 25 dịch vụ công thiết yếu: từ 01/10/2025 không tiếp nhận hồ sơ giấy (Chỉ thị 24/CT-TTg). "
            "Ký Sổ hộ tịch không cần có mặt khi đăng ký trực tuyến (xác nhận bản điện tử); xem docs/library.md."
        ),
        "sources": {
            "code": portal(*REC_KS, "Thủ tục đăng ký khai sinh, cấp xã"),
            "agency": cited(COMMUNE_CIVIL_AGENCY + "; bản ghi 1.001193 (Quyết định 163/QĐ-BTP)"),
            "components": ks_component_sources(),
        },
        # the birth certificate goes to the applicant's e-data warehouse (Decree 45/2020),
        # where the child's health-insurance card procedure takes it for its copy
        "result_document": {
            "document_type": "birth_certificate",
            "title": "Giấy khai sinh",
            "when": "result == 'registered'",
            "number_field": "birth_registration_number",
            "fields": [
                "birth_registration_number",
                "child_full_name",
                "child_date_of_birth",
                "child_sex",
                "child_identity_number",
                "father_full_name",
                "mother_full_name",
            ],
        },
    }
    return {
        "slug": "dang-ky-khai-sinh",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def kt_register_form(form_id: str = "kt-ghi-so") -> dict:
    return form(
        form_id,
        "Ghi Sổ đăng ký khai tử, cập nhật CSDL hộ tịch điện tử",
        {
            "approved": {"type": "boolean", "title": "Đủ điều kiện đăng ký khai tử"},
            "death_registration_number": text("Số đăng ký khai tử (Sổ hộ tịch)"),
            "refusal_reason": {"type": "string", "title": "Lý do từ chối (nếu có)"},
        },
        ["approved"],
    ) | {
        "allOf": [
            {
                "if": {"properties": {"approved": {"const": True}}, "required": ["approved"]},
                "then": {"required": ["death_registration_number"]},
            }
        ]
    }


def kt_declare_properties() -> dict:
    return {
        **person_block("citizen"),
        "relationship_to_deceased": {
            "type": "string",
            "title": "Quan hệ với người đã chết",
            "enum": [
                "Vợ",
                "Chồng",
                "Con",
                "Cha",
                "Mẹ",
                "Anh, chị, em",
                "Người thân thích khác",
                "Đại diện cơ quan, tổ chức",
            ],
        },
        "deceased_full_name": text("Họ, chữ đệm và tên người đã chết"),
        "deceased_identity_number": {
            "type": "string",
            "title": "Số định danh cá nhân của người đã chết",
            "pattern": "^[0-9]{12}$",
        },
        "deceased_date_of_birth": date("Ngày, tháng, năm sinh của người đã chết"),
        "date_of_death": date("Ngày chết"),
        "place_of_death": text("Nơi chết"),
        "cause_of_death": text("Nguyên nhân chết"),
        "death_notice_file": attachment("Giấy báo tử", "death_notice"),
        "identity_card_file": attachment(
            "Bản chụp Căn cước của người đi đăng ký", "identity_card_copy"
        ),
    }


KT_REQUIRED = [
    "relationship_to_deceased",
    "deceased_full_name",
    "deceased_identity_number",
    "date_of_death",
    "place_of_death",
    "cause_of_death",
]


def kt_components():
    return [
        comp(
            "DOR_ToKhaiKT",
            "Tờ khai đăng ký khai tử",
            "death_declaration",
            "declaration_form",
            "original",
            "Khoản 1 Điều 34 Luật Hộ tịch 2014",
            ["full_name", "date_of_death", "place_of_death", "cause_of_death"],
            ["Task_Receive", "Task_Register"],
        ),
        comp(
            "DOR_GiayBaoTu",
            "Giấy báo tử hoặc giấy tờ thay Giấy báo tử",
            "death_notice",
            "death_notice",
            "original",
            "Khoản 1 Điều 34 Luật Hộ tịch 2014; Điều 4 Nghị định 123/2015/NĐ-CP",
            ["death_notice_number", "date_of_death", "place_of_death", "cause_of_death"],
            ["Task_Receive"],
        ),
        comp(
            "DOR_CCCD",
            "Căn cước của người đi đăng ký (xuất trình, kèm bản chụp)",
            "identity_card_copy",
            "identity_card",
            "copy",
            "Khoản 1 Điều 2 Nghị định 123/2015/NĐ-CP",
            ["identity_number", "full_name"],
            ["Task_Receive"],
            note=IDENTITY_COPY_NOTE,
        ),
        comp(
            "DOR_CCCDNguoiChet",
            "Căn cước của người đã chết (nộp lại)",
            "deceased_identity_card",
            "identity_card",
            "original",
            "Luật Căn cước 2023 (thu hồi thẻ khi người được cấp chết)",
            ["identity_number", "full_name", "date_of_birth"],
            ["Task_Register"],
            required=False,
        ),
    ]


def kt_component_sources() -> dict:
    """Where each death-registration component is required (record 1.000656)."""
    return {
        "death_declaration": portal(
            *REC_KT,
            "tờ khai theo mẫu hộ tịch điện tử tương tác (trực tuyến) hoặc Tờ khai đăng ký khai tử; Khoản 1 Điều 34 Luật Hộ tịch 2014",
        ),
        "death_notice": portal(
            *REC_KT,
            "Giấy báo tử hoặc giấy tờ thay Giấy báo tử; không nộp bản giấy khi đã có bản điện tử có ký số",
        ),
        "identity_card_copy": portal(
            *REC_KT,
            "giấy tờ tùy thân xuất trình khi làm thủ tục trực tiếp; trực tuyến chỉ cung cấp số định danh cá nhân",
        ),
        "deceased_identity_card": estimated(
            "Thu hồi thẻ Căn cước của người chết (Luật Căn cước 2023); bản ghi 1.000656 không liệt kê: theo thực tiễn tiếp nhận"
        ),
    }


def dang_ky_khai_tu() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after="Task_CheckDeathNotice",
        next_="Task_Handoff",
        receive_name="Tiếp nhận, kiểm tra hồ sơ và giấy tờ xuất trình",
        receive_step=st(
            "receive",
            "one_stop_desk",
            "PT30M",
            "required",
            legal="Điều 2 Nghị định 123/2015/NĐ-CP (xuất trình giấy tờ)",
            citizen_time="PT2H",
        ),
    )
    t_nodes, t_flows, timer = overdue("Task_Register", d, "P1D")
    nodes = [
        Node("Start_Request", "start", "Yêu cầu đăng ký khai tử", c),
        service(
            "Task_Prefill",
            "Lấy thông tin người đi đăng ký từ CSDL quốc gia về dân cư",
            c,
            "population.lookup",
            {"identity_number": "applicant_id"},
            "citizen",
        ),
        user(
            "Task_Declare",
            "Khai Tờ khai đăng ký khai tử, đính kèm Giấy báo tử",
            c,
            "kt-to-khai",
            st(
                "submit",
                "citizen",
                "PT30M",
                legal="Khoản 1 Điều 34 Luật Hộ tịch 2014",
                citizen_time="PT1H",
            ),
        ),
        service(
            "Task_CheckDeathNotice",
            "Đối chiếu Giấy báo tử trên CSDL y tế",
            d,
            "health.lookup",
            {"identity_number": "deceased_identity_number"},
            "death_notice",
            kind="verify",
        ),
        *intake_nodes,
        user(
            "Task_Handoff",
            "Chuyển hồ sơ cho công chức Tư pháp – hộ tịch",
            d,
            "chuyen-ho-so",
            st("handoff", "one_stop_desk", "PT2H"),
        ),
        user(
            "Task_Register",
            "Kiểm tra, ghi Sổ đăng ký khai tử, cập nhật CSDL hộ tịch điện tử",
            s,
            "kt-ghi-so",
            st("appraise", "specialist", "PT2H", legal="Khoản 2 Điều 34 Luật Hộ tịch 2014"),
        ),
        Node("Gateway_Approved", "xor", "Đủ điều kiện đăng ký?", s),
        script(
            "Task_Refused",
            "Ghi nhận từ chối, thông báo bằng văn bản lý do",
            s,
            'result = "refused"',
        ),
        Node("End_Refused", "end", "Từ chối đăng ký khai tử", s),
        user(
            "Task_Sign",
            "Ký Trích lục khai tử",
            lead,
            "ky-duyet",
            st("sign", "leader", "PT1H", legal="Khoản 2 Điều 34 Luật Hộ tịch 2014"),
        ),
        user(
            "Task_Deliver",
            "Trả Trích lục khai tử; người đi đăng ký ký Sổ hoặc xác nhận bản điện tử",
            d,
            "tra-ket-qua",
            st(
                "deliver_result",
                "one_stop_desk",
                "PT30M",
                legal=REGISTER_ONLINE.format(
                    law="Khoản 2 Điều 34 Luật Hộ tịch 2014", code=REC_KT[0]
                ),
                citizen_time="PT30M",
            ),
        ),
        script("Task_Result", "Cập nhật kết quả giải quyết", d, 'result = "registered"'),
        Node("End_Done", "end", "Đã đăng ký khai tử", d),
        *t_nodes,
    ]
    flows = [
        *seq("Start_Request", "Task_Prefill", "Task_Declare", "Task_CheckDeathNotice"),
        *intake_flows,
        *seq("Task_Handoff", "Task_Register", "Gateway_Approved"),
        Flow("Gateway_Approved", "Task_Sign", "Đủ điều kiện", "approved == True"),
        Flow("Gateway_Approved", "Task_Refused", "Không đủ điều kiện", "approved == False"),
        Flow("Task_Refused", "End_Refused"),
        *seq("Task_Sign", "Task_Deliver", "Task_Result", "End_Done"),
        *t_flows,
    ]
    model = Model(
        "dang_ky_khai_tu",
        "Đăng ký khai tử",
        "Ủy ban nhân dân cấp xã — Đăng ký khai tử",
        "1.000656",
        COMMUNE_JUSTICE,
        nodes,
        flows,
        [timer],
        kt_components(),
        tag="KT",
    )
    declare = {
        "relationship_to_deceased": "Con",
        "deceased_full_name": "Hoàng Văn Em",
        "deceased_identity_number": "036055000789",
        "deceased_date_of_birth": "1955-02-11",
        "date_of_death": "2026-11-10",
        "place_of_death": "Bệnh viện Đa khoa tỉnh Ninh Bình",
        "cause_of_death": "Bệnh lý tim mạch",
    }
    examples = {
        "con-dang-ky-khai-tu-cho-cha": {
            "name": "Con đăng ký khai tử cho cha, hồ sơ hợp lệ",
            "applicant": "036060001357",
            "start": {"channel": "online", "data": {"applicant_id": "036060001357"}},
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {
                    "task": "Task_Register",
                    "data": {"approved": True, "death_registration_number": "KT.2026.036.000112"},
                },
                {"task": "Task_Sign", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Bưu chính công ích"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "registered",
                    "death_notice": {"death_notice_number": "BT-2026-0004321"},
                },
                "completed_tasks": [
                    "Task_Declare",
                    "Task_Receive",
                    "Task_Register",
                    "Task_Sign",
                    "Task_Deliver",
                ],
            },
        },
        "thieu-giay-to-bo-sung-tu-choi": {
            "name": "Hồ sơ thiếu, bổ sung một lần; trường hợp đã đăng ký khai tử nơi khác nên bị từ chối",
            "applicant": "036060001357",
            "start": {"channel": "online", "data": {"applicant_id": "036060001357"}},
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Giấy báo tử"},
                },
                {"task": "Task_Supplement", "data": {"supplement_note": "Đã tải lên Giấy báo tử"}},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {
                    "task": "Task_Register",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Đã đăng ký khai tử tại Phường Hoa Lư",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Register"],
            },
        },
    }
    procedure = {
        "code": "1.000656",
        "name": {"vi": "Đăng ký khai tử", "en": "Death registration"},
        "agency_level": "commune",
        "agency": "Ủy ban nhân dân cấp xã",
        "field": "Hộ tịch",
        "legal_basis": [
            f"{HT_LAW} (Điều 32–34)",
            f"{ND123} (Điều 2, Điều 4)",
            DECREE_104,
            ND07,
            ND120,
        ],
        "processing_time": {
            "days": 1,
            "working_days": True,
            **portal(
                *REC_KT,
                "01 ngày; Khoản 2 Điều 34 Luật Hộ tịch 2014: ngay sau khi nhận đủ giấy tờ, cần xác minh thì không quá 03 ngày làm việc",
            ),
        },
        "fee": {
            "amount": 0,
            "online_amount": 0,
            "currency": "VND",
            **portal(
                *REC_KT,
                "miễn lệ phí đăng ký khai tử đúng hạn (mức lệ phí khác do HĐND tỉnh quyết định); Điểm b khoản 1 Điều 11 Luật Hộ tịch 2014",
            ),
        },
        "annual_volume": {
            "dossiers": 650000,
            "estimate": True,
            "source": "Ước tính theo số người chết hằng năm (tỷ suất chết thô khoảng 6,5‰); cần xác nhận",
        },
        # one of the 25 essential services: no paper dossier from 1 October 2025
        "delivery_level": "full_online",
        "notes": (
            "Một trong 25 dịch vụ công thiết yếu: từ 01/10/2025 không tiếp nhận hồ sơ giấy (Chỉ thị 24/CT-TTg). "
            "Sổ hộ khẩu không còn là thành phần hồ sơ (hết giá trị từ 01/01/2023, Điều 38 Luật Cư trú 2020)."
        ),
        "sources": {
            "code": portal(*REC_KT, "Thủ tục đăng ký khai tử, cấp xã"),
            "agency": cited(COMMUNE_CIVIL_AGENCY + "; bản ghi 1.000656 (Quyết định 163/QĐ-BTP)"),
            "components": kt_component_sources(),
        },
        # the death extract goes to the applicant's e-data warehouse (Decree 45/2020),
        # where the funeral allowance and the removal of residence take it for their copy
        "result_document": {
            "document_type": "death_certificate",
            "title": "Trích lục khai tử",
            "when": "result == 'registered'",
            "number_field": "death_registration_number",
            "fields": [
                "death_registration_number",
                "deceased_full_name",
                "deceased_identity_number",
                "date_of_death",
                "place_of_death",
            ],
        },
    }
    forms = {
        "kt-to-khai": form(
            "kt-to-khai",
            "Tờ khai đăng ký khai tử",
            kt_declare_properties(),
            KT_REQUIRED,
            "Mẫu Tờ khai đăng ký khai tử (Thông tư 04/2020/TT-BTP (sửa đổi bởi Thông tư 03/2023/TT-BTP)).",
        ),
        "kt-ghi-so": kt_register_form(),
    }
    return {
        "slug": "dang-ky-khai-tu",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def dang_ky_ket_hon() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after="Task_PartnerLookup",
        next_="Task_Handoff",
        receive_name="Tiếp nhận hồ sơ, kiểm tra giấy tờ xuất trình của hai bên",
        receive_step=st(
            "receive",
            "one_stop_desk",
            "PT30M",
            "required",
            legal="Điều 2 Nghị định 123/2015/NĐ-CP",
            citizen_time="PT2H",
        ),
    )
    t_nodes, t_flows, timer = overdue("Task_Verify", d, "P5D")
    nodes = [
        Node("Start_Request", "start", "Yêu cầu đăng ký kết hôn", c),
        service(
            "Task_Prefill",
            "Lấy thông tin người yêu cầu từ CSDL quốc gia về dân cư",
            c,
            "population.lookup",
            {"identity_number": "applicant_id"},
            "citizen",
        ),
        user(
            "Task_Declare",
            "Khai Tờ khai đăng ký kết hôn (hai bên)",
            c,
            "kh-to-khai",
            st(
                "submit",
                "citizen",
                "PT30M",
                legal="Khoản 1 Điều 18 Luật Hộ tịch 2014",
                citizen_time="PT1H",
            ),
        ),
        service(
            "Task_PartnerLookup",
            "Tra cứu thông tin bên kia từ CSDL quốc gia về dân cư",
            d,
            "population.lookup",
            {"identity_number": "partner_identity_number"},
            "partner",
            kind="verify",
        ),
        *intake_nodes,
        user(
            "Task_Handoff",
            "Chuyển hồ sơ cho công chức Tư pháp – hộ tịch",
            d,
            "chuyen-ho-so",
            st("handoff", "one_stop_desk", "PT2H"),
        ),
        user(
            "Task_Verify",
            "Kiểm tra, xác minh điều kiện kết hôn, tình trạng hôn nhân",
            s,
            "tham-dinh-ho-so",
            st(
                "appraise",
                "specialist",
                "PT4H",
                legal="Khoản 2 Điều 18 Luật Hộ tịch 2014; Điều 8 Luật Hôn nhân và gia đình 2014",
            ),
        ),
        Node("Gateway_Approved", "xor", "Đủ điều kiện kết hôn?", s),
        script(
            "Task_Refused",
            "Ghi nhận từ chối, thông báo bằng văn bản lý do",
            s,
            'result = "refused"',
        ),
        Node("End_Refused", "end", "Từ chối đăng ký kết hôn", s),
        user(
            "Task_Sign",
            "Ký Giấy chứng nhận kết hôn",
            lead,
            "ky-duyet",
            st("sign", "leader", "PT1H", legal="Khoản 2 Điều 18 Luật Hộ tịch 2014"),
        ),
        user(
            "Task_Deliver",
            "Trao Giấy chứng nhận kết hôn; hai bên cùng có mặt, ký Sổ hộ tịch",
            d,
            "kh-trao-giay",
            st(
                "deliver_result",
                "one_stop_desk",
                "PT30M",
                "required_by_law",
                legal=(
                    "Khoản 2 Điều 18 Luật Hộ tịch 2014: hai bên nam, nữ cùng có mặt, ký Sổ hộ tịch "
                    "và Giấy chứng nhận kết hôn (bản ghi 1.000894 trên Cổng Dịch vụ công quốc gia)"
                ),
                citizen_time="PT3H",
            ),
        ),
        script(
            "Task_Result", "Cập nhật kết quả vào CSDL hộ tịch điện tử", d, 'result = "registered"'
        ),
        Node("End_Done", "end", "Đã đăng ký kết hôn", d),
        *t_nodes,
    ]
    flows = [
        *seq("Start_Request", "Task_Prefill", "Task_Declare", "Task_PartnerLookup"),
        *intake_flows,
        *seq("Task_Handoff", "Task_Verify", "Gateway_Approved"),
        Flow("Gateway_Approved", "Task_Sign", "Đủ điều kiện", "approved == True"),
        Flow("Gateway_Approved", "Task_Refused", "Không đủ điều kiện", "approved == False"),
        Flow("Task_Refused", "End_Refused"),
        *seq("Task_Sign", "Task_Deliver", "Task_Result", "End_Done"),
        *t_flows,
    ]
    components = [
        comp(
            "DOR_ToKhaiKH",
            "Tờ khai đăng ký kết hôn",
            "marriage_declaration",
            "declaration_form",
            "original",
            "Khoản 1 Điều 18 Luật Hộ tịch 2014",
            ["full_name", "date_of_birth", "spouse_name", "permanent_address"],
            ["Task_Receive", "Task_Verify"],
        ),
        comp(
            "DOR_CCCDHaiBen",
            "Căn cước của hai bên nam, nữ (xuất trình, kèm bản chụp)",
            "identity_cards_copy",
            "identity_card",
            "copy",
            "Khoản 1 Điều 2 Nghị định 123/2015/NĐ-CP",
            ["identity_number", "full_name", "date_of_birth", "spouse_identity_number"],
            ["Task_Receive"],
            note=IDENTITY_COPY_NOTE,
        ),
    ]
    model = Model(
        "dang_ky_ket_hon",
        "Đăng ký kết hôn",
        "Ủy ban nhân dân cấp xã — Đăng ký kết hôn",
        "1.000894",
        COMMUNE_JUSTICE,
        nodes,
        flows,
        [timer],
        components,
        tag="KH",
    )
    forms = {
        "kh-to-khai": form(
            "kh-to-khai",
            "Tờ khai đăng ký kết hôn",
            {
                **person_block("citizen"),
                "ethnicity": pf("Dân tộc", "population", "ethnicity", "citizen"),
                "marital_status": pf(
                    "Tình trạng hôn nhân", "population", "marital_status", "citizen"
                ),
                "partner_full_name": text("Họ, chữ đệm và tên bên kia"),
                "partner_identity_number": {
                    "type": "string",
                    "title": "Số định danh cá nhân bên kia",
                    "pattern": "^[0-9]{12}$",
                },
                "partner_date_of_birth": date("Ngày, tháng, năm sinh bên kia"),
                "partner_permanent_address": text("Nơi thường trú bên kia"),
                "first_marriage": {"type": "boolean", "title": "Kết hôn lần thứ nhất"},
                "identity_card_file": attachment(
                    "Bản chụp Căn cước hai bên", "identity_cards_copy"
                ),
            },
            [
                "partner_full_name",
                "partner_identity_number",
                "partner_date_of_birth",
                "partner_permanent_address",
            ],
            "Mẫu Tờ khai đăng ký kết hôn; hai bên cùng ký (Thông tư 04/2020/TT-BTP).",
        ),
        "kh-trao-giay": form(
            "kh-trao-giay",
            "Trao Giấy chứng nhận kết hôn",
            {
                "both_present": {
                    "type": "boolean",
                    "title": "Hai bên nam, nữ cùng có mặt",
                    "const": True,
                },
                "delivery_method": {
                    "type": "string",
                    "title": "Hình thức trả kết quả",
                    "enum": ["Trực tiếp tại Bộ phận Một cửa"],
                },
            },
            ["both_present", "delivery_method"],
        ),
    }
    declare = {
        "partner_full_name": "Vũ Ngọc Lan",
        "partner_identity_number": "031303009876",
        "partner_date_of_birth": "2003-08-25",
        "partner_permanent_address": "Số 31, Đường Hai Bà Trưng, Phường Lê Chân, Thành phố Hải Phòng",
        "first_marriage": True,
    }
    start = {"channel": "online", "data": {"applicant_id": "001205000123"}}
    examples = {
        "du-dieu-kien": {
            "name": "Hai bên đủ điều kiện, trao Giấy chứng nhận kết hôn",
            "applicant": "001205000123",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {
                    "task": "Task_Verify",
                    "data": {"approved": True, "appraisal_opinion": "Đủ tuổi, chưa kết hôn"},
                },
                {"task": "Task_Sign", "data": {"signed": True}},
                {
                    "task": "Task_Deliver",
                    "data": {
                        "both_present": True,
                        "delivery_method": "Trực tiếp tại Bộ phận Một cửa",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "registered",
                    "partner": {"full_name": "Vũ Ngọc Lan", "marital_status": "Chưa kết hôn"},
                },
                "completed_tasks": ["Task_Declare", "Task_Verify", "Task_Sign", "Task_Deliver"],
            },
        },
        "bo-sung-qua-han-tu-choi": {
            "name": "Bổ sung hồ sơ, xác minh quá 5 ngày, không đủ điều kiện",
            "applicant": "001205000123",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {
                    "task": "Task_Receive",
                    "data": {
                        "dossier_valid": False,
                        "missing_items": "Bản chụp Căn cước của bên nữ không đọc được",
                    },
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Đã tải lại bản chụp Căn cước"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {"fire_timers": "P6D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Chờ kết quả xác minh tại Hải Phòng",
                        "new_appointment": "2026-12-10",
                    },
                },
                {
                    "task": "Task_Verify",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Hai bên có họ trong phạm vi ba đời (Điều 5 Luật Hôn nhân và gia đình 2014)",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Apology", "Task_Verify"],
            },
        },
    }
    procedure = {
        "code": "1.000894",
        "name": {"vi": "Đăng ký kết hôn", "en": "Marriage registration"},
        "agency_level": "commune",
        "agency": "Ủy ban nhân dân cấp xã",
        "field": "Hộ tịch",
        "legal_basis": [
            f"{HT_LAW} (Điều 17–18)",
            "Luật Hôn nhân và gia đình 2014 (Điều 8)",
            f"{ND123} (Điều 2, Điều 10)",
            DECREE_104,
            ND07
            + " (bỏ Giấy xác nhận tình trạng hôn nhân của công dân Việt Nam: cơ quan hộ tịch tra cứu)",
            ND120,
        ],
        "processing_time": {
            "days": 5,
            "working_days": True,
            **portal(
                *REC_KH,
                "01 ngày; Khoản 2 Điều 18 Luật Hộ tịch 2014: cấp ngay, cần xác minh điều kiện kết hôn thì không quá 05 ngày làm việc (mô hình dùng mức tối đa)",
            ),
        },
        "fee": {
            "amount": 0,
            "online_amount": 0,
            "currency": "VND",
            **portal(
                *REC_KH,
                "miễn lệ phí; Điểm b khoản 1 Điều 11 Luật Hộ tịch 2014: miễn lệ phí kết hôn của công dân cư trú trong nước",
            ),
        },
        "annual_volume": {
            "dossiers": 500000,
            "estimate": True,
            "source": "Ước tính của nhóm phát triển theo số cuộc kết hôn hằng năm; cần xác nhận",
        },
        # one of the 25 essential services: no paper dossier from 1 October 2025 (the two
        # parties still sign the register together: presence required by law)
        "delivery_level": "full_online",
        "notes": (
            "Một trong 25 dịch vụ công thiết yếu: từ 01/10/2025 không tiếp nhận hồ sơ giấy (Chỉ thị 24/CT-TTg). "
            "Hai bên nam, nữ vẫn phải có mặt ký Sổ hộ tịch (Khoản 2 Điều 18 Luật Hộ tịch 2014)."
        ),
        "sources": {
            "code": portal(*REC_KH, "Thủ tục đăng ký kết hôn, cấp xã"),
            "agency": cited(COMMUNE_CIVIL_AGENCY + "; bản ghi 1.000894 (Quyết định 163/QĐ-BTP)"),
            "components": {
                "marriage_declaration": portal(
                    *REC_KH,
                    "tờ khai theo mẫu hộ tịch điện tử tương tác (trực tuyến) hoặc Tờ khai đăng ký kết hôn; Khoản 1 Điều 18 Luật Hộ tịch 2014",
                ),
                "identity_cards_copy": portal(
                    *REC_KH,
                    "giấy tờ tùy thân xuất trình khi làm thủ tục trực tiếp; trực tuyến chỉ cung cấp số định danh cá nhân",
                ),
            },
        },
    }
    return {
        "slug": "dang-ky-ket-hon",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def ct01_residence_properties() -> dict:
    return {
        **person_block("citizen"),
        "phone": pf("Số điện thoại", "population", "phone", "citizen"),
        "new_permanent_address": text("Địa chỉ đề nghị đăng ký thường trú"),
        "registration_case": {
            "type": "string",
            "title": "Trường hợp đăng ký",
            "enum": [
                "Chỗ ở hợp pháp thuộc quyền sở hữu của mình",
                "Về ở với người thân (vợ, chồng, con, cha, mẹ…)",
                "Thuê, mượn, ở nhờ chỗ ở hợp pháp",
            ],
        },
        "household_head_name": text("Họ tên chủ hộ nơi đến"),
        "household_head_identity_number": {
            "type": "string",
            "title": "Số định danh của chủ hộ",
            "pattern": "^[0-9]{12}$",
        },
        "relationship_to_head": text("Quan hệ với chủ hộ"),
        "owner_consent": {
            "type": "boolean",
            "title": "Chủ hộ, chủ sở hữu chỗ ở đã đồng ý (ghi trên tờ khai)",
        },
        "legal_residence_file": attachment(
            "Giấy tờ chứng minh chỗ ở hợp pháp", "legal_residence_proof"
        ),
    }


def dang_ky_thuong_tru() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after="Task_Pay",
        next_="Task_Appraise",
        receive_name="Tiếp nhận, kiểm tra hồ sơ; cấp phiếu tiếp nhận",
        receive_step=st(
            "receive", "one_stop_desk", "PT30M", legal="Khoản 1 Điều 22 Luật Cư trú 2020"
        ),
    )
    t_nodes, t_flows, timer = overdue("Task_Appraise", d, "P7D")
    nodes = [
        Node("Start_Request", "start", "Yêu cầu đăng ký thường trú", c),
        service(
            "Task_Prefill",
            "Lấy thông tin công dân từ CSDL quốc gia về dân cư",
            c,
            "population.lookup",
            {"identity_number": "applicant_id"},
            "citizen",
        ),
        user(
            "Task_Declare",
            "Khai Tờ khai thay đổi thông tin cư trú (CT01), đính kèm giấy tờ",
            c,
            "tt-to-khai",
            st("submit", "citizen", "PT30M", legal="Điều 21 Luật Cư trú 2020", citizen_time="PT1H"),
        ),
        user(
            "Task_Pay",
            "Nộp lệ phí đăng ký cư trú",
            c,
            "thanh-toan-le-phi",
            st("pay", "citizen", "PT10M", legal="Thông tư 75/2022/TT-BTC", citizen_time="PT15M"),
        ),
        *intake_nodes,
        user(
            "Task_Appraise",
            "Thẩm định hồ sơ, kiểm tra chỗ ở hợp pháp",
            s,
            "tham-dinh-ho-so",
            st("appraise", "specialist", "PT4H", legal="Khoản 3 Điều 22 Luật Cư trú 2020"),
        ),
        Node("Gateway_Approved", "xor", "Đủ điều kiện đăng ký thường trú?", s),
        script(
            "Task_Refused", "Trả lời bằng văn bản, nêu rõ lý do từ chối", s, 'result = "refused"'
        ),
        Node("End_Refused", "end", "Từ chối đăng ký thường trú", s),
        user(
            "Task_Approve",
            "Phê duyệt đăng ký thường trú",
            lead,
            "ky-duyet",
            st("approve", "leader", "PT1H", legal="Khoản 3 Điều 22 Luật Cư trú 2020"),
        ),
        script(
            "Task_Update",
            "Cập nhật thông tin thường trú vào CSDL về cư trú",
            s,
            'result = "registered"',
        ),
        user(
            "Task_Deliver",
            "Thông báo kết quả đăng ký thường trú cho công dân",
            d,
            "tra-ket-qua",
            st(
                "deliver_result", "one_stop_desk", "PT15M", legal="Khoản 3 Điều 22 Luật Cư trú 2020"
            ),
        ),
        Node("End_Done", "end", "Đã đăng ký thường trú", d),
        *t_nodes,
    ]
    flows = [
        *seq("Start_Request", "Task_Prefill", "Task_Declare", "Task_Pay"),
        *intake_flows,
        Flow("Task_Appraise", "Gateway_Approved"),
        Flow("Gateway_Approved", "Task_Approve", "Đủ điều kiện", "approved == True"),
        Flow("Gateway_Approved", "Task_Refused", "Không đủ điều kiện", "approved == False"),
        Flow("Task_Refused", "End_Refused"),
        *seq("Task_Approve", "Task_Update", "Task_Deliver", "End_Done"),
        *t_flows,
    ]
    components = [
        comp(
            "DOR_CT01",
            "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)",
            "residence_declaration",
            "declaration_form",
            "original",
            "Điểm a khoản 1 Điều 21 Luật Cư trú 2020; Thông tư 66/2023/TT-BCA (mẫu CT01)",
            [
                "full_name",
                "identity_number",
                "permanent_address",
                "household_head",
                "household_relations",
            ],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_ChoOHopPhap",
            "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",
            "legal_residence_proof",
            "legal_residence_proof",
            "copy",
            "Điểm b khoản 1 Điều 21 Luật Cư trú 2020; Nghị định 154/2024/NĐ-CP",
            ["permanent_address"],
            ["Task_Appraise"],
        ),
        comp(
            "DOR_QuanHeNhanThan",
            "Giấy tờ chứng minh quan hệ nhân thân với chủ hộ (khi về ở với người thân)",
            "kinship_proof",
            "birth_certificate",
            "certified_copy",
            "Khoản 2 Điều 21 Luật Cư trú 2020",
            ["father_name", "mother_name", "household_relations"],
            ["Task_Appraise"],
            required=False,
            note="Quan hệ cha, mẹ, con, vợ chồng đã có trong CSDL hộ tịch điện tử và CSDL dân cư",
        ),
        comp(
            "DOR_CCCD",
            "Bản sao Căn cước công dân",
            "identity_card_copy",
            "identity_card",
            "copy",
            "Yêu cầu còn tồn tại ở một số nơi tiếp nhận; không có trong Điều 21 Luật Cư trú 2020",
            ["identity_number", "full_name", "date_of_birth"],
            ["Task_Receive"],
            note=IDENTITY_COPY_NOTE,
        ),
        comp(
            "DOR_SoHoKhau",
            "Sổ hộ khẩu (nơi đi)",
            "household_book",
            "household_book",
            "original",
            "Thành phần thời kỳ sổ hộ khẩu (" + DECREE_104 + ")",
            ["permanent_address", "household_head", "household_relations"],
            ["Task_Receive"],
            required=False,
            note="Sổ hộ khẩu hết giá trị từ 01/01/2023 (Điều 38 Luật Cư trú 2020)",
        ),
    ]
    model = Model(
        "dang_ky_thuong_tru",
        "Đăng ký thường trú",
        "Công an cấp xã — Đăng ký thường trú",
        REC_TT[0],
        COMMUNE_POLICE,
        nodes,
        flows,
        [timer],
        components,
        tag="TT",
    )
    forms = {
        "tt-to-khai": form(
            "tt-to-khai",
            "Tờ khai thay đổi thông tin cư trú (CT01) — đăng ký thường trú",
            ct01_residence_properties(),
            [
                "new_permanent_address",
                "registration_case",
                "household_head_name",
                "relationship_to_head",
                "owner_consent",
            ],
            "Mẫu CT01 (Thông tư 66/2023/TT-BCA). Thông tin nhân thân lấy từ CSDL quốc gia về dân cư.",
        )
    }
    declare = {
        "new_permanent_address": "Số 9, Đường Nguyễn Trãi, Phường Cầu Giấy, Thành phố Hà Nội",
        "registration_case": "Thuê, mượn, ở nhờ chỗ ở hợp pháp",
        "household_head_name": "Đặng Văn Long",
        "household_head_identity_number": "001075003210",
        "relationship_to_head": "Ở nhờ",
        "owner_consent": True,
    }
    start = {"channel": "online", "data": {"applicant_id": "031303009876"}}
    pay = {
        "payment_reference": "PAY-2026-TT-000781",
        "amount": 10000,
        "payment_method": "Nền tảng thanh toán Cổng Dịch vụ công quốc gia",
    }
    examples = {
        "o-nho-duoc-chap-thuan": {
            "name": "Đăng ký thường trú tại chỗ ở nhờ, được chấp thuận",
            "applicant": "031303009876",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Pay", "data": pay},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {
                    "task": "Task_Appraise",
                    "data": {"approved": True, "appraisal_opinion": "Chỗ ở đủ diện tích tối thiểu"},
                },
                {"task": "Task_Approve", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "registered", "citizen": {"full_name": "Vũ Ngọc Lan"}},
                "completed_tasks": [
                    "Task_Declare",
                    "Task_Pay",
                    "Task_Receive",
                    "Task_Appraise",
                    "Task_Approve",
                    "Task_Deliver",
                ],
            },
        },
        "thieu-dien-tich-tu-choi": {
            "name": "Bổ sung giấy tờ chỗ ở, quá hạn, chỗ ở không đủ diện tích tối thiểu nên bị từ chối",
            "applicant": "031303009876",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Pay", "data": pay},
                {
                    "task": "Task_Receive",
                    "data": {
                        "dossier_valid": False,
                        "missing_items": "Hợp đồng cho ở nhờ có công chứng",
                    },
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Đã tải lên hợp đồng cho ở nhờ"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P8D"},
                {
                    "task": "Task_Apology",
                    "data": {"delay_reason": "Chờ xác minh chỗ ở", "new_appointment": "2026-12-15"},
                },
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Diện tích bình quân dưới mức tối thiểu do HĐND thành phố quy định",
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
        "code": REC_TT[0],
        "name": {"vi": "Đăng ký thường trú", "en": "Permanent residence registration"},
        "agency_level": "commune",
        "agency": "Công an cấp xã",
        "field": "Đăng ký, quản lý cư trú",
        "legal_basis": [
            f"{CT_LAW} (Điều 20–22)",
            f"{ND154}",
            TT55,
            "Thông tư 75/2022/TT-BTC (lệ phí đăng ký cư trú), sửa đổi bởi Thông tư 71/2025/TT-BTC",
            "Thông tư 53/2025/TT-BCA và Thông tư 54/2025/TT-BCA (biểu mẫu, quy trình đăng ký cư trú)",
            DECREE_104,
            "Nghị quyết 66.7/2025/NQ-CP (cắt giảm thủ tục dựa trên dữ liệu)",
        ],
        "processing_time": {
            "days": 7,
            "working_days": True,
            **portal(*REC_TT, "07 ngày làm việc; Khoản 3 Điều 22 Luật Cư trú 2020"),
        },
        "fee": {
            "amount": 20000,
            "online_amount": 10000,
            "currency": "VND",
            **portal(
                *REC_TT,
                "20.000 đồng trực tiếp, 10.000 đồng trực tuyến (Thông tư 75/2022/TT-BTC, sửa đổi bởi Thông tư 71/2025/TT-BTC)",
            ),
        },
        "annual_volume": {
            "dossiers": 3000000,
            "estimate": True,
            "source": "Ước tính của nhóm phát triển; cần số liệu của Bộ Công an",
        },
        "delivery_level": "full_online",
        "sources": {
            "code": portal(*REC_TT, "Đăng ký thường trú, cấp xã"),
            "agency": portal(*REC_TT, "cơ quan thực hiện: Công an cấp xã"),
            "components": {
                "residence_declaration": portal(
                    *REC_TT, "Tờ khai thay đổi thông tin cư trú (Mẫu CT01, Thông tư 53/2025/TT-BCA)"
                ),
                "legal_residence_proof": portal(
                    *REC_TT,
                    "giấy tờ, tài liệu chứng minh chỗ ở hợp pháp, trừ khi thông tin đã có trong cơ sở dữ liệu; Điểm b khoản 1 Điều 21 Luật Cư trú 2020",
                ),
                "kinship_proof": portal(
                    *REC_TT,
                    "thông tin chứng minh quan hệ nhân thân khai thác từ căn cước điện tử, CSDL quốc gia về dân cư; không khai thác được thì nộp giấy tờ (Khoản 2 Điều 21 Luật Cư trú 2020)",
                ),
                "identity_card_copy": estimated(
                    "Không có trong bản ghi 1.004222 và Điều 21 Luật Cư trú 2020: yêu cầu còn gặp ở một số nơi tiếp nhận (thực tiễn, chưa có nguồn)"
                ),
                "household_book": estimated(
                    "Không có trong bản ghi 1.004222: Sổ hộ khẩu hết giá trị từ 01/01/2023 (Điều 38 Luật Cư trú 2020); thành phần thời kỳ sổ hộ khẩu giữ lại để bộ đơn giản hóa phát hiện"
                ),
            },
        },
    }
    return {
        "slug": "dang-ky-thuong-tru",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def xoa_dang_ky_thuong_tru() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after="Task_CheckDeath",
        next_="Task_Verify",
        receive_name="Tiếp nhận, kiểm tra hồ sơ xóa đăng ký thường trú",
        receive_step=st("receive", "one_stop_desk", "PT20M", legal="Điều 24 Luật Cư trú 2020"),
    )
    nodes = [
        Node("Start_Request", "start", "Yêu cầu xóa đăng ký thường trú", c),
        service(
            "Task_Prefill",
            "Lấy thông tin người khai từ CSDL quốc gia về dân cư",
            c,
            "population.lookup",
            {"identity_number": "applicant_id"},
            "citizen",
        ),
        user(
            "Task_Declare",
            "Khai Tờ khai thay đổi thông tin cư trú (CT01) đề nghị xóa thường trú",
            c,
            "xtt-to-khai",
            st(
                "submit",
                "citizen",
                "PT20M",
                legal="Khoản 2 Điều 24 Luật Cư trú 2020",
                citizen_time="PT45M",
            ),
        ),
        service(
            "Task_CheckDeath",
            "Tra cứu CSDL hộ tịch điện tử về người bị xóa thường trú",
            d,
            "civil_status.lookup",
            {"identity_number": "subject_identity_number"},
            "subject_civil",
            kind="verify",
        ),
        *intake_nodes,
        user(
            "Task_Verify",
            "Kiểm tra căn cứ xóa đăng ký thường trú",
            s,
            "tham-dinh-ho-so",
            st("verify", "specialist", "PT2H", legal="Khoản 1 Điều 24 Luật Cư trú 2020"),
        ),
        Node("Gateway_Approved", "xor", "Thuộc trường hợp bị xóa?", s),
        script("Task_Refused", "Trả lời bằng văn bản lý do không xóa", s, 'result = "refused"'),
        Node("End_Refused", "end", "Không xóa đăng ký thường trú", s),
        user(
            "Task_Approve",
            "Phê duyệt xóa đăng ký thường trú",
            lead,
            "ky-duyet",
            st("approve", "leader", "PT30M"),
        ),
        script(
            "Task_Update",
            "Cập nhật việc xóa thường trú vào CSDL về cư trú",
            s,
            'result = "removed"',
        ),
        user(
            "Task_Deliver",
            "Thông báo kết quả cho người yêu cầu",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT15M"),
        ),
        Node("End_Done", "end", "Đã xóa đăng ký thường trú", d),
    ]
    flows = [
        *seq("Start_Request", "Task_Prefill", "Task_Declare", "Task_CheckDeath"),
        *intake_flows,
        Flow("Task_Verify", "Gateway_Approved"),
        Flow("Gateway_Approved", "Task_Approve", "Thuộc trường hợp xóa", "approved == True"),
        Flow("Gateway_Approved", "Task_Refused", "Không thuộc trường hợp xóa", "approved == False"),
        Flow("Task_Refused", "End_Refused"),
        *seq("Task_Approve", "Task_Update", "Task_Deliver", "End_Done"),
    ]
    components = [
        comp(
            "DOR_CT01",
            "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)",
            "residence_declaration",
            "declaration_form",
            "original",
            "Khoản 2 Điều 24 Luật Cư trú 2020",
            ["full_name", "identity_number", "permanent_address"],
            ["Task_Receive", "Task_Verify"],
        ),
        comp(
            "DOR_TrichLucKhaiTu",
            "Giấy tờ chứng minh thuộc trường hợp xóa (Trích lục khai tử…)",
            "removal_proof",
            "death_certificate",
            "certified_copy",
            "Khoản 2 Điều 24 Luật Cư trú 2020; Nghị định 154/2024/NĐ-CP",
            ["death_registration_number", "date_of_death", "full_name"],
            ["Task_Verify"],
            note="Việc khai tử đã có trong CSDL hộ tịch điện tử",
        ),
        comp(
            "DOR_CCCD",
            "Bản sao Căn cước của người khai",
            "identity_card_copy",
            "identity_card",
            "copy",
            "Yêu cầu còn tồn tại ở một số nơi tiếp nhận; không có trong Điều 24 Luật Cư trú 2020",
            ["identity_number", "full_name"],
            ["Task_Receive"],
            note=IDENTITY_COPY_NOTE,
        ),
    ]
    model = Model(
        "xoa_dang_ky_thuong_tru",
        "Xóa đăng ký thường trú",
        "Công an cấp xã — Xóa đăng ký thường trú",
        REC_XTT[0],
        COMMUNE_POLICE,
        nodes,
        flows,
        [],
        components,
        tag="XTT",
    )
    forms = {
        "xtt-to-khai": form(
            "xtt-to-khai",
            "Tờ khai thay đổi thông tin cư trú (CT01) — xóa đăng ký thường trú",
            {
                **person_block("citizen"),
                "subject_full_name": text("Họ, chữ đệm và tên người bị xóa đăng ký thường trú"),
                "subject_identity_number": {
                    "type": "string",
                    "title": "Số định danh cá nhân người bị xóa",
                    "pattern": "^[0-9]{12}$",
                },
                "removal_reason": {
                    "type": "string",
                    "title": "Trường hợp xóa đăng ký thường trú",
                    "enum": [
                        "Chết, bị Tòa án tuyên bố mất tích hoặc đã chết",
                        "Định cư ở nước ngoài",
                        "Đã đăng ký thường trú ở nơi khác",
                        "Vắng mặt liên tục từ 12 tháng trở lên",
                    ],
                },
                "relationship_to_subject": text("Quan hệ với người bị xóa"),
                "removal_proof_file": attachment(
                    "Giấy tờ chứng minh (Trích lục khai tử…)", "removal_proof"
                ),
            },
            [
                "subject_full_name",
                "subject_identity_number",
                "removal_reason",
                "relationship_to_subject",
            ],
            "Mẫu CT01 (Thông tư 66/2023/TT-BCA).",
        )
    }
    declare = {
        "subject_full_name": "Hoàng Văn Em",
        "subject_identity_number": "036055000789",
        "removal_reason": "Chết, bị Tòa án tuyên bố mất tích hoặc đã chết",
        "relationship_to_subject": "Con",
    }
    start = {"channel": "online", "data": {"applicant_id": "036060001357"}}
    examples = {
        "xoa-do-chet": {
            "name": "Con đề nghị xóa thường trú của cha đã chết",
            "applicant": "036060001357",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Verify", "data": {"approved": True}},
                {"task": "Task_Approve", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "removed", "subject_civil": {"full_name": "Hoàng Văn Em"}},
                "completed_tasks": [
                    "Task_Declare",
                    "Task_Receive",
                    "Task_Verify",
                    "Task_Approve",
                    "Task_Deliver",
                ],
            },
        },
        "chua-co-can-cu": {
            "name": "Chưa có căn cứ (chưa đăng ký khai tử): bổ sung rồi bị từ chối",
            "applicant": "036060001357",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Trích lục khai tử"},
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Chưa có trích lục, nộp giấy báo tử"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {
                    "task": "Task_Verify",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Chưa đăng ký khai tử trong CSDL hộ tịch",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Verify"],
            },
        },
    }
    procedure = {
        "code": REC_XTT[0],
        "name": {
            "vi": "Xóa đăng ký thường trú",
            "en": "Removal of permanent residence registration",
        },
        "agency_level": "commune",
        "agency": "Công an cấp xã",
        "field": "Đăng ký, quản lý cư trú",
        "legal_basis": [
            f"{CT_LAW} (Điều 24)",
            ND154,
            TT55,
            "Thông tư 53/2025/TT-BCA và Thông tư 54/2025/TT-BCA (biểu mẫu, quy trình đăng ký cư trú)",
        ],
        "processing_time": {
            "days": 5,
            "working_days": True,
            **portal(*REC_XTT, "05 ngày làm việc (trực tuyến)"),
        },
        "fee": {
            "amount": 0,
            "online_amount": 0,
            "currency": "VND",
            **XTT_FEE_SOURCE,
        },
        "annual_volume": {
            "dossiers": 700000,
            "estimate": True,
            "source": "Ước tính của nhóm phát triển (chủ yếu do khai tử và chuyển nơi thường trú); cần xác nhận",
        },
        "delivery_level": "full_online",
        "sources": {
            "code": portal(*REC_XTT, "Xóa đăng ký thường trú, cấp xã"),
            "agency": portal(*REC_XTT, "cơ quan thực hiện: Công an cấp xã"),
            "components": {
                "residence_declaration": portal(
                    *REC_XTT,
                    "Tờ khai thay đổi thông tin cư trú (Mẫu CT01, Thông tư 53/2025/TT-BCA)",
                ),
                "removal_proof": portal(
                    *REC_XTT,
                    "thông tin chứng minh thuộc trường hợp xóa lấy từ cơ sở dữ liệu được kết nối; chưa kết nối thì xuất trình giấy tờ (Điều 24 Luật Cư trú 2020)",
                ),
                "identity_card_copy": estimated(
                    "Không có trong bản ghi 1.003197 và Điều 24 Luật Cư trú 2020: yêu cầu còn gặp ở một số nơi tiếp nhận (thực tiễn, chưa có nguồn)"
                ),
            },
        },
    }
    return {
        "slug": "xoa-dang-ky-thuong-tru",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def thong_bao_luu_tru() -> dict:
    c, d = "citizen", "one_stop_desk"
    lanes = [
        ("citizen", "Citizen", "Người thông báo lưu trú (chủ cơ sở lưu trú, chủ nhà)"),
        ("one_stop_desk", "Desk", "Công an cấp xã — tiếp nhận thông báo lưu trú"),
    ]
    nodes = [
        Node("Start_Request", "start", "Có người đến lưu trú", c),
        service(
            "Task_Prefill",
            "Lấy thông tin người thông báo từ CSDL quốc gia về dân cư",
            c,
            "population.lookup",
            {"identity_number": "applicant_id"},
            "citizen",
        ),
        user(
            "Task_Declare",
            "Khai thông tin người lưu trú, lý do, thời gian lưu trú",
            c,
            "ltru-thong-bao",
            st(
                "submit",
                "citizen",
                "PT10M",
                legal="Khoản 2 Điều 30 Luật Cư trú 2020",
                citizen_time="PT10M",
            ),
        ),
        service(
            "Task_GuestLookup",
            "Tra cứu người lưu trú trong CSDL quốc gia về dân cư",
            d,
            "population.lookup",
            {"identity_number": "guest_identity_number"},
            "guest",
            kind="verify",
        ),
        Node("Gateway_Resubmit", "xor", "", d),
        user(
            "Task_Receive",
            "Tiếp nhận thông báo lưu trú",
            d,
            "tiep-nhan-ho-so",
            st("receive", "one_stop_desk", "PT5M", legal="Điều 30 Luật Cư trú 2020"),
        ),
        Node("Gateway_Valid", "xor", "Thông tin đầy đủ?", d),
        user(
            "Task_Supplement",
            "Bổ sung thông tin người lưu trú",
            c,
            "bo-sung-ho-so",
            st("submit", "citizen", "PT10M", citizen_time="PT10M"),
        ),
        script(
            "Task_Update", "Ghi nhận thông tin lưu trú vào CSDL về cư trú", d, 'result = "recorded"'
        ),
        Node("End_Done", "end", "Đã tiếp nhận thông báo lưu trú", d),
    ]
    flows = [
        *seq(
            "Start_Request",
            "Task_Prefill",
            "Task_Declare",
            "Task_GuestLookup",
            "Gateway_Resubmit",
            "Task_Receive",
            "Gateway_Valid",
        ),
        Flow("Gateway_Valid", "Task_Update", "Đầy đủ", "dossier_valid == True"),
        Flow("Gateway_Valid", "Task_Supplement", "Thiếu thông tin", "dossier_valid == False"),
        Flow("Task_Supplement", "Gateway_Resubmit"),
        Flow("Task_Update", "End_Done"),
    ]
    components = [
        comp(
            "DOR_ThongTinLuuTru",
            "Thông tin về người lưu trú (họ tên, số định danh, lý do, thời gian lưu trú)",
            "stay_information",
            "declaration_form",
            "electronic",
            "Khoản 2 Điều 30 Luật Cư trú 2020",
            ["full_name", "identity_number", "current_address"],
            ["Task_Receive"],
        ),
        comp(
            "DOR_CCCDNguoiLuuTru",
            "Bản chụp giấy tờ tùy thân của người lưu trú",
            "guest_identity_copy",
            "identity_card",
            "copy",
            "Yêu cầu của một số cơ sở lưu trú; Luật Cư trú 2020 không đòi hỏi",
            ["identity_number", "full_name", "date_of_birth"],
            ["Task_Receive"],
            required=False,
            note=IDENTITY_COPY_NOTE,
        ),
    ]
    model = Model(
        "thong_bao_luu_tru",
        "Thông báo lưu trú",
        "Công an cấp xã — Thông báo lưu trú",
        REC_LTRU[0],
        lanes,
        nodes,
        flows,
        [],
        components,
        tag="LTRU",
    )
    forms = {
        "ltru-thong-bao": form(
            "ltru-thong-bao",
            "Thông báo lưu trú",
            {
                "full_name": pf(
                    "Họ, chữ đệm và tên người thông báo", "population", "full_name", "citizen"
                ),
                "identity_number": pf(
                    "Số định danh cá nhân người thông báo",
                    "population",
                    "identity_number",
                    "citizen",
                    pattern="^[0-9]{12}$",
                ),
                "phone": pf("Số điện thoại", "population", "phone", "citizen"),
                "stay_address": text("Địa chỉ lưu trú"),
                "guest_full_name": text("Họ, chữ đệm và tên người lưu trú"),
                "guest_identity_number": {
                    "type": "string",
                    "title": "Số định danh cá nhân người lưu trú",
                    "pattern": "^[0-9]{12}$",
                },
                "stay_reason": text("Lý do lưu trú"),
                "stay_from": date("Lưu trú từ ngày"),
                "stay_to": date("Lưu trú đến ngày"),
            },
            [
                "stay_address",
                "guest_full_name",
                "guest_identity_number",
                "stay_reason",
                "stay_from",
                "stay_to",
            ],
            "Chỉ khai lý do, thời gian và địa chỉ lưu trú; thông tin nhân thân lấy từ CSDL quốc gia về dân cư.",
        )
    }
    declare = {
        "stay_address": "Số 9, Đường Nguyễn Trãi, Phường Cầu Giấy, Thành phố Hà Nội",
        "guest_full_name": "Vũ Ngọc Lan",
        "guest_identity_number": "031303009876",
        "stay_reason": "Thăm người thân",
        "stay_from": "2026-11-23",
        "stay_to": "2026-11-30",
    }
    start = {"channel": "online", "data": {"applicant_id": "001205000123"}}
    examples = {
        "tiep-nhan-ngay": {
            "name": "Chủ nhà thông báo lưu trú cho người thân, tiếp nhận ngay",
            "applicant": "001205000123",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "recorded", "guest": {"full_name": "Vũ Ngọc Lan"}},
                "completed_tasks": ["Task_Declare", "Task_Receive"],
            },
        },
        "thieu-thong-tin": {
            "name": "Thiếu thời gian lưu trú, bổ sung rồi được tiếp nhận",
            "applicant": "001205000123",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Số phòng lưu trú"},
                },
                {"task": "Task_Supplement", "data": {"supplement_note": "Phòng tầng 2"}},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "recorded"},
                "completed_tasks": ["Task_Supplement", "Task_Receive"],
            },
        },
    }
    procedure = {
        "code": REC_LTRU[0],
        "name": {"vi": "Thông báo lưu trú", "en": "Residence (temporary stay) notification"},
        "agency_level": "commune",
        "agency": "Công an cấp xã",
        "field": "Đăng ký, quản lý cư trú",
        "legal_basis": [
            f"{CT_LAW} (Điều 30)",
            TT55,
            ND154,
            "Thông tư 53/2025/TT-BCA và Thông tư 54/2025/TT-BCA (biểu mẫu, quy trình đăng ký cư trú)",
        ],
        "processing_time": {
            "days": 0,
            "working_days": False,
            **portal(
                *REC_LTRU,
                "tiếp nhận ngay khi công dân thông báo lưu trú (01 giờ, trực tuyến và trực tiếp); Điều 30 Luật Cư trú 2020",
            ),
        },
        "fee": {
            "amount": 0,
            "online_amount": 0,
            "currency": "VND",
            **cited(
                "Thông tư 75/2022/TT-BTC: lệ phí đăng ký cư trú không áp dụng cho thông báo lưu trú; bản ghi 2.001159 không ghi phí",
                "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/" + REC_LTRU[2],
            ),
        },
        "annual_volume": {
            "dossiers": 6500000,
            "estimate": True,
            "source": "Ngoại suy từ 4,92 triệu hồ sơ 9 tháng đầu năm 2023 (99,86% trực tuyến), báo cáo của Bộ Thông tin và Truyền thông",
        },
        "delivery_level": "full_online",
        "sources": {
            "code": portal(*REC_LTRU, "Thông báo lưu trú, cấp xã"),
            "agency": portal(*REC_LTRU, "cơ quan thực hiện: Công an cấp xã"),
            "components": {
                "stay_information": portal(
                    *REC_LTRU,
                    "thông báo lưu trú của chủ hộ, cơ sở lưu trú; người lưu trú xuất trình giấy tờ thể hiện số định danh cá nhân; Khoản 2 Điều 30 Luật Cư trú 2020",
                ),
                "guest_identity_copy": estimated(
                    "Bản ghi 2.001159 chỉ yêu cầu xuất trình giấy tờ có số định danh, không nộp bản chụp: yêu cầu của một số cơ sở lưu trú (thực tiễn, chưa có nguồn)"
                ),
            },
        },
    }
    return {
        "slug": "thong-bao-luu-tru",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }
