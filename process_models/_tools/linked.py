"""The two linked (liên thông) groups of Decree 63/2024/NĐ-CP as dossiers exchanging messages.

Group 1: birth registration → permanent residence registration → health-insurance card for
a child under 6. Group 2: death registration → removal of permanent residence → funeral
allowance. The citizen submits one dossier at the commune; each agency's part is its own
dossier, started by the message of the previous one and correlated by ``link_id``; the
last part answers the first, which returns all results together.
"""

from __future__ import annotations

from bpmn_builder import Flow, Model, Node
from civil import (
    COMMUNE_JUSTICE,
    KS_REQUIRED,
    KT_REQUIRED,
    ND120,
    REC_KS,
    REC_KT,
    XTT_FEE_SOURCE,
    ks_component_sources,
    ks_components,
    ks_declare_properties,
    ks_register_form,
    kt_component_sources,
    kt_components,
    kt_declare_properties,
    kt_register_form,
)
from common import (
    VSS_AGENCY,
    cited,
    estimated,
    form,
    intake,
    overdue,
    pf,
    portal,
    script,
    seq,
    service,
    st,
    text,
    user,
)
from others import REC_TUTUAT, bhyt_issue_form, mt_review_form

ND63 = "Nghị định 63/2024/NĐ-CP (liên thông điện tử)"
GROUP1 = "nd63-nhom-1-khai-sinh"
GROUP2 = "nd63-nhom-2-khai-tu"

MSG_RESIDENCE = "lt63_dang_ky_thuong_tru"
MSG_CARD = "lt63_cap_the_bhyt"
MSG_CARD_DONE = "lt63_the_bhyt_da_cap"
MSG_REMOVE = "lt63_xoa_thuong_tru"
MSG_FUNERAL = "lt63_tro_cap_mai_tang"
MSG_FUNERAL_DONE = "lt63_mai_tang_da_giai_quyet"

QD296 = (
    "Quyết định 296/QĐ-VPCP (2024) công bố hai nhóm thủ tục hành chính liên thông điện tử theo "
    "Nghị định 63/2024/NĐ-CP"
)
QD296_REPORT = (
    "https://amp.cand.com.vn/su-kien-binh-luan-thoi-su/"
    "huong-dan-dang-ky-khai-sinh-dang-ky-thuong-tru-cap-the-bhyt-online-cho-tre-duoi-6-tuoi-i734441"
)
GROUP_CODE = {
    GROUP1: estimated(
        QD296 + "; mã nhóm liên thông điện tử trên Cổng chưa xác nhận (bản ghi 2.000986 là liên "
        "thông giấy theo Thông tư liên tịch 05/2015/TTLT-BTP-BCA-BYT, không phải nhóm này; danh mục "
        "thủ tục thu thập tháng 7/2026 chỉ có 2.000986 và 2.001023, đều là liên thông giấy)"
    ),
    GROUP2: estimated(
        QD296 + "; mã nhóm trên Cổng Dịch vụ công quốc gia chưa xác nhận (danh mục thủ tục thu "
        "thập tháng 7/2026 không có thủ tục liên thông khai tử)"
    ),
}
# the group's limit, shared by its parts (the decision gives the group's, not the parts')
GROUP1_LIMIT = cited(
    "Không quá 03 ngày làm việc cho một bộ hồ sơ liên thông đăng ký khai sinh, đăng ký thường "
    "trú, cấp thẻ BHYT cho trẻ em dưới 6 tuổi; " + QD296 + " (Báo Công an nhân dân, 15/06/2024)",
    QD296_REPORT,
)
GROUP2_LIMIT = estimated(
    "Chưa đọc được thời hạn nhóm liên thông khai tử trong " + QD296 + "; ước tính bằng tổng phần "
    "việc của ba cơ quan trong mô hình (01 + 01 + 05 ngày làm việc)"
)
LINKED_AGENCIES = cited(
    "Ủy ban nhân dân cấp xã tiếp nhận, Công an và Bảo hiểm xã hội giải quyết phần việc của mình; "
    + QD296
    + "; chính quyền địa phương hai cấp từ 01/7/2025 ("
    + ND120
    + ")",
    QD296_REPORT,
)


def _payload(**items: str) -> str:
    return "{" + ", ".join(f'"{k}": {v}' for k, v in items.items()) + "}"


def lien_thong_khai_sinh() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after="Task_CheckBirthNotice",
        next_="Task_Handoff",
        receive_name="Tiếp nhận hồ sơ liên thông, kiểm tra giấy tờ",
        receive_step=st("receive", "one_stop_desk", "PT30M", legal=ND63),
    )
    t_nodes, t_flows, timer = overdue("Task_Register", d, "P1D")
    payload = _payload(
        link_id="link_id",
        applicant_id="applicant_id",
        child_full_name="child_full_name",
        child_identity_number="child_identity_number",
        child_date_of_birth="child_date_of_birth",
        child_sex="child_sex",
        mother_identity_number="mother_identity_number",
        residence_address="residence_address",
        medical_facility="medical_facility",
        birth_registration_number="birth_registration_number",
    )
    nodes = [
        Node("Start_Request", "start", "Yêu cầu liên thông khai sinh – thường trú – thẻ BHYT", c),
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
            "Khai tờ khai liên thông (khai sinh, thường trú, BHYT)",
            c,
            "lt-ks-to-khai",
            st("submit", "citizen", "PT40M", legal=ND63, citizen_time="PT1H"),
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
            "Đăng ký khai sinh, cập nhật CSDL hộ tịch, cấp số định danh cho trẻ",
            s,
            "ks-ghi-so",
            st("appraise", "specialist", "PT2H", legal="Khoản 2 Điều 16 Luật Hộ tịch 2014"),
        ),
        Node("Gateway_Approved", "xor", "Đủ điều kiện đăng ký khai sinh?", s),
        script("Task_Refused", "Thông báo từ chối, dừng liên thông", s, 'result = "refused"'),
        Node("End_Refused", "end", "Từ chối đăng ký khai sinh", s),
        user("Task_Sign", "Ký Giấy khai sinh", lead, "ky-duyet", st("sign", "leader", "PT1H")),
        Node(
            "Event_SendResidence",
            "msg_throw",
            "Chuyển hồ sơ đăng ký thường trú cho Công an cấp xã",
            s,
            message=MSG_RESIDENCE,
            payload=payload,
            step=st("handoff", "system", "PT1M", legal=ND63),
        ),
        Node(
            "Event_CardIssued",
            "msg_catch",
            "Nhận kết quả đăng ký thường trú và thẻ BHYT",
            s,
            message=MSG_CARD_DONE,
            message_var="linked_result",
        ),
        user(
            "Task_Deliver",
            "Trả Giấy khai sinh, kết quả đăng ký thường trú và thẻ BHYT",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT15M", legal=ND63),
        ),
        script("Task_Result", "Cập nhật kết quả giải quyết liên thông", d, 'result = "registered"'),
        Node("End_Done", "end", "Đã trả kết quả liên thông", d),
        *t_nodes,
    ]
    flows = [
        *seq("Start_Request", "Task_Prefill", "Task_Declare", "Task_CheckBirthNotice"),
        *intake_flows,
        *seq("Task_Handoff", "Task_Register", "Gateway_Approved"),
        Flow("Gateway_Approved", "Task_Sign", "Đủ điều kiện", "approved == True"),
        Flow("Gateway_Approved", "Task_Refused", "Không đủ điều kiện", "approved == False"),
        Flow("Task_Refused", "End_Refused"),
        *seq(
            "Task_Sign",
            "Event_SendResidence",
            "Event_CardIssued",
            "Task_Deliver",
            "Task_Result",
            "End_Done",
        ),
        *t_flows,
    ]
    model = Model(
        "lien_thong_khai_sinh",
        "Liên thông: đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ em dưới 6 tuổi",
        "Ủy ban nhân dân cấp xã — Liên thông khai sinh (Nghị định 63/2024/NĐ-CP)",
        None,
        COMMUNE_JUSTICE,
        nodes,
        flows,
        [timer],
        ks_components(linked=True),
        tag="LTKS",
    )
    props = ks_declare_properties()
    # one e-dossier: the e-form and the signed electronic birth notice (Decree 63/2024)
    props.pop("identity_card_file")
    props.update(
        {
            "residence_address": text(
                "Nơi đăng ký thường trú cho trẻ (theo nơi thường trú của cha hoặc mẹ)"
            ),
            "medical_facility": text("Nơi đăng ký khám bệnh, chữa bệnh BHYT ban đầu"),
            "delivery_address": {
                "type": "string",
                "title": "Địa chỉ nhận kết quả qua bưu chính (nếu có)",
            },
        }
    )
    forms = {
        "lt-ks-to-khai": form(
            "lt-ks-to-khai",
            "Tờ khai liên thông: khai sinh, thường trú, cấp thẻ BHYT cho trẻ em dưới 6 tuổi",
            props,
            [*KS_REQUIRED, "residence_address", "medical_facility"],
            "Mẫu tờ khai điện tử liên thông (Nghị định 63/2024/NĐ-CP).",
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
        "residence_address": "Số 18, Phố Kim Mã, Phường Ba Đình, Thành phố Hà Nội",
        "medical_facility": "Trạm y tế Phường Ba Đình",
    }
    start = {
        "channel": "online",
        "data": {"applicant_id": "001192034567", "link_id": "LT63-KS-0001"},
    }
    examples = {
        "lien-thong-du-ba-ket-qua": {
            "name": "Đăng ký khai sinh, chuyển liên thông, nhận lại thẻ BHYT và trả đủ ba kết quả",
            "applicant": "001192034567",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
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
                {
                    "message": MSG_CARD_DONE,
                    "payload": {
                        "link_id": "LT63-KS-0001",
                        "card_issued": True,
                        "residence_registered": True,
                        "health_insurance_card_number": "TE1010260045720",
                    },
                },
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "registered", "linked_result": {"card_issued": True}},
                "completed_tasks": ["Task_Register", "Task_Sign", "Task_Deliver"],
                "messages_sent": [MSG_RESIDENCE],
            },
        },
        "tu-choi-khong-lien-thong": {
            "name": "Bổ sung hồ sơ rồi bị từ chối: không gửi liên thông",
            "applicant": "001192034567",
            "start": start | {"data": {"applicant_id": "001192034567", "link_id": "LT63-KS-0002"}},
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Giấy chứng sinh"},
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Đã tải lên Giấy chứng sinh"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {
                    "task": "Task_Register",
                    "data": {"approved": False, "refusal_reason": "Giấy chứng sinh không khớp"},
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Register"],
                "messages_sent": [],
            },
        },
    }
    procedure = _linked_procedure(
        "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ em dưới 6 tuổi",
        "Linked: birth registration, permanent residence, child health-insurance card",
        "Ủy ban nhân dân cấp xã (tiếp nhận; liên thông Công an cấp xã và Bảo hiểm xã hội)",
        "Hộ tịch",
        GROUP1,
        3,
        GROUP1_LIMIT,
        components=ks_component_sources(linked=True),
        fee_source=portal(
            *REC_KS,
            "phần đăng ký khai sinh: miễn phí; Điểm b khoản 1 Điều 11 Luật Hộ tịch 2014: miễn lệ "
            "phí đăng ký khai sinh đúng hạn (lệ phí phần đăng ký thường trú ghi ở thủ tục liên "
            "thông đăng ký thường trú cho trẻ em)",
        ),
    )
    return {
        "slug": "lien-thong-khai-sinh",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def _linked_procedure(
    vi: str,
    en: str,
    agency: str,
    field: str,
    group: str,
    days: int,
    time_source: dict,
    *,
    fee_source: dict,
    level: str = "commune",
    components: dict | None = None,
) -> dict:
    """procedure.json of one part of a linked group: ``days`` of ``time_source`` (the group's
    limit for the receiving part, a share of it for the others); ``fee_source`` says where the
    part's fee (none) comes from."""
    return {
        "code": None,
        "name": {"vi": vi, "en": en},
        "agency_level": level,
        "agency": agency,
        "field": field,
        "legal_basis": [
            ND63,
            "Luật Hộ tịch 2014",
            "Luật Cư trú 2020",
            "Luật Bảo hiểm y tế",
            "Luật Bảo hiểm xã hội 2024",
        ],
        "processing_time": {"days": days, "working_days": True, **time_source},
        "fee": {
            "amount": 0,
            "online_amount": 0,
            "currency": "VND",
            **fee_source,
        },
        "annual_volume": {
            "dossiers": 700000 if group == GROUP1 else 300000,
            "estimate": True,
            "source": "Ước tính của nhóm phát triển (một phần số ca sinh/tử dùng liên thông); cần số liệu thực hiện Nghị định 63/2024/NĐ-CP",
        },
        "delivery_level": "full_online",
        "linked_group": group,
        "sources": {
            "code": GROUP_CODE[group],
            "agency": LINKED_AGENCIES,
            "components": components or {},
        },
    }


def _decision_tail(
    *,
    role_lane: str,
    leader_lane: str,
    approve_id: str,
    approve_name: str,
    yes_id: str,
    yes_script: str,
    no_script: str,
    end_name: str,
    message: str,
    payload: str,
    approve_question: str,
    leader_task: tuple[str, str] | None = None,
    extra_after_approve: list[Node] = (),
) -> tuple[list[Node], list[Flow]]:
    nodes = [
        Node("Gateway_Approved", "xor", approve_question, role_lane),
        *(
            [
                user(
                    leader_task[0],
                    leader_task[1],
                    leader_lane,
                    "ky-duyet",
                    st("approve", "leader", "PT30M"),
                )
            ]
            if leader_task
            else []
        ),
        *extra_after_approve,
        script(yes_id, approve_name, role_lane, yes_script),
        script(
            "Task_RecordRefusal", "Ghi nhận không giải quyết, thông báo lý do", role_lane, no_script
        ),
        Node("Gateway_Join", "xor", "", role_lane),
        Node(
            "End_Send",
            "msg_end",
            end_name,
            role_lane,
            message=message,
            payload=payload,
            step=st("handoff", "system", "PT1M", legal=ND63),
        ),
    ]
    first_yes = (
        leader_task[0]
        if leader_task
        else (yes_id if not extra_after_approve else extra_after_approve[0].id)
    )
    chain = [
        *([leader_task[0]] if leader_task else []),
        *[n.id for n in extra_after_approve],
        yes_id,
    ]
    flows = [
        Flow(approve_id, "Gateway_Approved"),
        Flow("Gateway_Approved", first_yes, "Đủ điều kiện", "approved == True"),
        Flow("Gateway_Approved", "Task_RecordRefusal", "Không đủ điều kiện", "approved == False"),
        *seq(*chain),
        Flow(yes_id, "Gateway_Join"),
        Flow("Task_RecordRefusal", "Gateway_Join"),
        Flow("Gateway_Join", "End_Send"),
    ]
    return nodes, flows


def lien_thong_thuong_tru_tre_em() -> dict:
    s, lead = "specialist", "leader"
    lanes = [
        (s, "Specialist", "Cán bộ đăng ký cư trú, Công an cấp xã"),
        (lead, "Leader", "Trưởng Công an cấp xã"),
    ]
    payload = _payload(
        link_id="link_id",
        applicant_id='lien_thong["applicant_id"]',
        child_full_name='lien_thong["child_full_name"]',
        child_identity_number='lien_thong["child_identity_number"]',
        child_date_of_birth='lien_thong["child_date_of_birth"]',
        child_sex='lien_thong["child_sex"]',
        medical_facility='lien_thong["medical_facility"]',
        residence_registered="residence_registered",
    )
    tail_nodes, tail_flows = _decision_tail(
        role_lane=s,
        leader_lane=lead,
        approve_id="Task_Register",
        yes_id="Task_UpdateResidence",
        approve_name="Cập nhật thường trú của trẻ vào CSDL về cư trú",
        yes_script="residence_registered = True",
        no_script="residence_registered = False",
        end_name="Chuyển hồ sơ cấp thẻ BHYT cho Bảo hiểm xã hội",
        message=MSG_CARD,
        payload=payload,
        approve_question="Đăng ký được thường trú?",
        leader_task=("Task_Approve", "Phê duyệt đăng ký thường trú"),
    )
    nodes = [
        Node(
            "Start_Message",
            "msg_start",
            "Nhận hồ sơ liên thông từ cơ quan đăng ký hộ tịch",
            s,
            message=MSG_RESIDENCE,
            message_var="lien_thong",
        ),
        service(
            "Task_ParentLookup",
            "Tra cứu nơi thường trú của mẹ trong CSDL quốc gia về dân cư",
            s,
            "population.lookup",
            {"identity_number": 'lien_thong["mother_identity_number"]'},
            "mother",
            kind="verify",
        ),
        user(
            "Task_Register",
            "Kiểm tra, đăng ký thường trú cho trẻ theo nơi thường trú của cha, mẹ",
            s,
            "lt-tt-dang-ky",
            st("appraise", "specialist", "PT2H", legal="Luật Cư trú 2020 (Điều 20); " + ND63),
        ),
        *tail_nodes,
    ]
    flows = [*seq("Start_Message", "Task_ParentLookup", "Task_Register"), *tail_flows]
    model = Model(
        "lien_thong_thuong_tru_tre_em",
        "Liên thông: đăng ký thường trú cho trẻ mới đăng ký khai sinh",
        "Công an cấp xã — Liên thông đăng ký thường trú (Nghị định 63/2024/NĐ-CP)",
        None,
        lanes,
        nodes,
        flows,
        [],
        [],
        tag="LTTT",
    )
    forms = {
        "lt-tt-dang-ky": form(
            "lt-tt-dang-ky",
            "Đăng ký thường trú cho trẻ (liên thông)",
            {
                "child_full_name": {
                    "type": "string",
                    "title": "Họ tên trẻ",
                    "readOnly": True,
                    "x-prefill": {
                        "source": "civil_status",
                        "field": "full_name",
                        "from": "lien_thong.child_full_name",
                    },
                },
                "mother_permanent_address": pf(
                    "Nơi thường trú của mẹ", "population", "permanent_address", "mother"
                ),
                "approved": {"type": "boolean", "title": "Đủ điều kiện đăng ký thường trú"},
                "refusal_reason": {"type": "string", "title": "Lý do (nếu không đăng ký được)"},
            },
            ["approved"],
        )
    }
    payload_in = {
        "link_id": "LT63-KS-0101",
        "applicant_id": "001192034567",
        "child_full_name": "Nguyễn Minh Khôi",
        "child_identity_number": "001226004573",
        "child_date_of_birth": "2026-11-02",
        "child_sex": "Nam",
        "mother_identity_number": "001192034567",
        "residence_address": "Số 18, Phố Kim Mã, Phường Ba Đình, Thành phố Hà Nội",
        "medical_facility": "Trạm y tế Phường Ba Đình",
        "birth_registration_number": "KS.2026.001.000459",
    }
    examples = {
        "dang-ky-theo-me": {
            "name": "Đăng ký thường trú cho trẻ tại nơi thường trú của mẹ, chuyển tiếp sang BHXH",
            "applicant": "001192034567",
            "start": {"message": MSG_RESIDENCE, "payload": payload_in},
            "steps": [
                {"task": "Task_Register", "data": {"approved": True}},
                {"task": "Task_Approve", "data": {"signed": True}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "residence_registered": True,
                    "mother": {
                        "permanent_address": "Số 18, Phố Kim Mã, Phường Ba Đình, Thành phố Hà Nội"
                    },
                },
                "completed_tasks": ["Task_Register", "Task_Approve"],
                "messages_sent": [MSG_CARD],
            },
        },
        "khong-dang-ky-duoc": {
            "name": "Địa chỉ không hợp lệ: không đăng ký thường trú nhưng vẫn chuyển tiếp cấp thẻ BHYT",
            "applicant": "001192034567",
            "start": {
                "message": MSG_RESIDENCE,
                "payload": payload_in | {"link_id": "LT63-KS-0102"},
            },
            "steps": [
                {
                    "task": "Task_Register",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Cha mẹ chưa có nơi thường trú tại địa phương",
                    },
                }
            ],
            "expect": {
                "status": "completed",
                "data": {"residence_registered": False},
                "completed_tasks": ["Task_Register"],
                "messages_sent": [MSG_CARD],
            },
        },
    }
    procedure = _linked_procedure(
        "Liên thông: đăng ký thường trú cho trẻ em (nhóm khai sinh)",
        "Linked: permanent residence for a newly registered child",
        "Công an cấp xã",
        "Đăng ký, quản lý cư trú",
        GROUP1,
        1,
        estimated(
            "Phần việc của Công an cấp xã trong thời hạn 03 ngày làm việc của cả nhóm ("
            + QD296
            + "): văn bản không chia thời hạn cho từng cơ quan"
        ),
        fee_source=estimated(
            "Lệ phí đăng ký thường trú 20.000 đồng trực tiếp, 10.000 đồng trực tuyến, trừ diện miễn "
            "tại Điều 4 Thông tư 75/2022/TT-BTC sửa đổi bởi Thông tư 71/2025/TT-BTC (bản ghi TTHC "
            "1.004222, Quyết định 1523/QĐ-BCA-C06); trẻ em thuộc diện miễn là giả định của mô hình, "
            "danh sách diện miễn của Điều 4 chưa đối chiếu được"
        ),
    )
    return {
        "slug": "lien-thong-thuong-tru-tre-em",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def lien_thong_bhyt_tre_em() -> dict:
    s, lead = "specialist", "leader"
    lanes = [
        (s, "Specialist", "Cán bộ thu, cấp thẻ, Bảo hiểm xã hội cơ sở"),
        (lead, "Leader", "Giám đốc Bảo hiểm xã hội cơ sở"),
    ]
    payload = _payload(
        link_id="link_id",
        card_issued="card_issued",
        health_insurance_card_number="health_insurance_card_number",
        residence_registered='lien_thong["residence_registered"]',
    )
    tail_nodes, tail_flows = _decision_tail(
        role_lane=s,
        leader_lane=lead,
        approve_id="Task_Issue",
        yes_id="Task_RecordCard",
        approve_name="Ghi nhận thẻ BHYT đã cấp",
        yes_script="card_issued = True",
        no_script='card_issued = False\nhealth_insurance_card_number = ""',
        end_name="Gửi thẻ BHYT về cơ quan tiếp nhận hồ sơ liên thông",
        message=MSG_CARD_DONE,
        payload=payload,
        approve_question="Cấp được thẻ?",
        leader_task=("Task_Sign", "Ký duyệt danh sách cấp thẻ"),
    )
    nodes = [
        Node(
            "Start_Message",
            "msg_start",
            "Nhận hồ sơ liên thông cấp thẻ BHYT",
            s,
            message=MSG_CARD,
            message_var="lien_thong",
        ),
        user(
            "Task_Issue",
            "Cấp mã số BHXH, thẻ BHYT cho trẻ (ngân sách nhà nước đóng)",
            s,
            "bhyt-cap-the",
            st("appraise", "specialist", "PT2H", legal="Luật Bảo hiểm y tế (Điều 12, 16); " + ND63),
        ),
        *tail_nodes,
    ]
    flows = [Flow("Start_Message", "Task_Issue"), *tail_flows]
    model = Model(
        "lien_thong_bhyt_tre_em",
        "Liên thông: cấp thẻ BHYT cho trẻ em dưới 6 tuổi",
        "Bảo hiểm xã hội — Liên thông cấp thẻ BHYT (Nghị định 63/2024/NĐ-CP)",
        None,
        lanes,
        nodes,
        flows,
        [],
        [],
        tag="LTBHYT",
    )
    payload_in = {
        "link_id": "LT63-KS-0201",
        "applicant_id": "001192034567",
        "child_full_name": "Nguyễn Minh Khôi",
        "child_identity_number": "001226004574",
        "child_date_of_birth": "2026-11-02",
        "child_sex": "Nam",
        "medical_facility": "Trạm y tế Phường Ba Đình",
        "residence_registered": True,
    }
    examples = {
        "cap-the": {
            "name": "Cấp thẻ BHYT và gửi về cơ quan tiếp nhận",
            "applicant": "001192034567",
            "start": {"message": MSG_CARD, "payload": payload_in},
            "steps": [
                {
                    "task": "Task_Issue",
                    "data": {
                        "approved": True,
                        "health_insurance_card_number": "TE1010260045740",
                        "card_valid_until": "2032-11-01",
                    },
                },
                {"task": "Task_Sign", "data": {"signed": True}},
            ],
            "expect": {
                "status": "completed",
                "data": {"card_issued": True},
                "completed_tasks": ["Task_Issue", "Task_Sign"],
                "messages_sent": [MSG_CARD_DONE],
            },
        },
        "khong-cap": {
            "name": "Trùng thẻ đã cấp: không cấp, vẫn báo kết quả về cơ quan tiếp nhận",
            "applicant": "001192034567",
            "start": {"message": MSG_CARD, "payload": payload_in | {"link_id": "LT63-KS-0202"}},
            "steps": [
                {
                    "task": "Task_Issue",
                    "data": {"approved": False, "refusal_reason": "Trẻ đã có thẻ BHYT còn hạn"},
                }
            ],
            "expect": {
                "status": "completed",
                "data": {"card_issued": False},
                "completed_tasks": ["Task_Issue"],
                "messages_sent": [MSG_CARD_DONE],
            },
        },
    }
    procedure = _linked_procedure(
        "Liên thông: cấp thẻ BHYT cho trẻ em dưới 6 tuổi (nhóm khai sinh)",
        "Linked: health-insurance card for a child under 6",
        VSS_AGENCY,
        "Bảo hiểm y tế",
        GROUP1,
        1,
        estimated(
            "Phần việc của cơ quan bảo hiểm xã hội trong thời hạn 03 ngày làm việc của cả nhóm ("
            + QD296
            + "): văn bản không chia thời hạn cho từng cơ quan"
        ),
        level="province",
        fee_source=cited(
            "Trẻ em dưới 6 tuổi do ngân sách nhà nước đóng BHYT, không thu phí (bản ghi 1.001939, Quyết định 1474/QĐ-BTC)",
            "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfb-d79c-73cd-8614-c7a7882c5e05",
        ),
    )
    return {
        "slug": "lien-thong-bhyt-tre-em",
        "model": model,
        "procedure": procedure,
        "forms": {"bhyt-cap-the": bhyt_issue_form()},
        "examples": examples,
    }


def lien_thong_khai_tu() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after="Task_CheckDeathNotice",
        next_="Task_Handoff",
        receive_name="Tiếp nhận hồ sơ liên thông, kiểm tra giấy tờ",
        receive_step=st("receive", "one_stop_desk", "PT30M", legal=ND63),
    )
    t_nodes, t_flows, timer = overdue("Task_Register", d, "P1D")
    payload = _payload(
        link_id="link_id",
        applicant_id="applicant_id",
        deceased_identity_number="deceased_identity_number",
        deceased_full_name="deceased_full_name",
        date_of_death="date_of_death",
        death_registration_number="death_registration_number",
        bank_account="bank_account",
        bank_name="bank_name",
    )
    nodes = [
        Node(
            "Start_Request",
            "start",
            "Yêu cầu liên thông khai tử – xóa thường trú – trợ cấp mai táng",
            c,
        ),
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
            "Khai tờ khai liên thông (khai tử, xóa thường trú, trợ cấp mai táng)",
            c,
            "lt-kt-to-khai",
            st("submit", "citizen", "PT40M", legal=ND63, citizen_time="PT1H"),
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
            "Đăng ký khai tử, cập nhật CSDL hộ tịch điện tử",
            s,
            "kt-ghi-so",
            st("appraise", "specialist", "PT2H", legal="Khoản 2 Điều 34 Luật Hộ tịch 2014"),
        ),
        Node("Gateway_Approved", "xor", "Đủ điều kiện đăng ký khai tử?", s),
        script("Task_Refused", "Thông báo từ chối, dừng liên thông", s, 'result = "refused"'),
        Node("End_Refused", "end", "Từ chối đăng ký khai tử", s),
        user("Task_Sign", "Ký Trích lục khai tử", lead, "ky-duyet", st("sign", "leader", "PT1H")),
        Node(
            "Event_SendRemoval",
            "msg_throw",
            "Chuyển hồ sơ xóa thường trú cho Công an cấp xã",
            s,
            message=MSG_REMOVE,
            payload=payload,
            step=st("handoff", "system", "PT1M", legal=ND63),
        ),
        Node(
            "Event_FuneralDone",
            "msg_catch",
            "Nhận kết quả xóa thường trú và trợ cấp mai táng",
            s,
            message=MSG_FUNERAL_DONE,
            message_var="linked_result",
        ),
        user(
            "Task_Deliver",
            "Trả Trích lục khai tử và kết quả giải quyết liên thông",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT15M", legal=ND63),
        ),
        script("Task_Result", "Cập nhật kết quả giải quyết liên thông", d, 'result = "registered"'),
        Node("End_Done", "end", "Đã trả kết quả liên thông", d),
        *t_nodes,
    ]
    flows = [
        *seq("Start_Request", "Task_Prefill", "Task_Declare", "Task_CheckDeathNotice"),
        *intake_flows,
        *seq("Task_Handoff", "Task_Register", "Gateway_Approved"),
        Flow("Gateway_Approved", "Task_Sign", "Đủ điều kiện", "approved == True"),
        Flow("Gateway_Approved", "Task_Refused", "Không đủ điều kiện", "approved == False"),
        Flow("Task_Refused", "End_Refused"),
        *seq(
            "Task_Sign",
            "Event_SendRemoval",
            "Event_FuneralDone",
            "Task_Deliver",
            "Task_Result",
            "End_Done",
        ),
        *t_flows,
    ]
    model = Model(
        "lien_thong_khai_tu",
        "Liên thông: đăng ký khai tử, xóa đăng ký thường trú, giải quyết trợ cấp mai táng",
        "Ủy ban nhân dân cấp xã — Liên thông khai tử (Nghị định 63/2024/NĐ-CP)",
        None,
        COMMUNE_JUSTICE,
        nodes,
        flows,
        [timer],
        kt_components(),
        tag="LTKT",
    )
    props = kt_declare_properties()
    props.update(
        {
            "deceased_social_insurance_number": {
                "type": "string",
                "title": "Mã số BHXH của người chết (nếu có)",
            },
            "bank_account": text("Số tài khoản nhận trợ cấp mai táng"),
            "bank_name": text("Ngân hàng"),
        }
    )
    forms = {
        "lt-kt-to-khai": form(
            "lt-kt-to-khai",
            "Tờ khai liên thông: khai tử, xóa đăng ký thường trú, trợ cấp mai táng",
            props,
            [*KT_REQUIRED, "bank_account", "bank_name"],
            "Mẫu tờ khai điện tử liên thông (Nghị định 63/2024/NĐ-CP).",
        ),
        "kt-ghi-so": kt_register_form(),
    }
    declare = {
        "relationship_to_deceased": "Con",
        "deceased_full_name": "Hoàng Văn Em",
        "deceased_identity_number": "036055000789",
        "deceased_date_of_birth": "1955-02-11",
        "date_of_death": "2026-11-10",
        "place_of_death": "Bệnh viện Đa khoa tỉnh Ninh Bình",
        "cause_of_death": "Bệnh lý tim mạch",
        "deceased_social_insurance_number": "3600123456",
        "bank_account": "0451000123456",
        "bank_name": "Vietcombank",
    }
    start = {
        "channel": "online",
        "data": {"applicant_id": "036060001357", "link_id": "LT63-KT-0001"},
    }
    examples = {
        "lien-thong-du-ket-qua": {
            "name": "Đăng ký khai tử, liên thông xóa thường trú và trợ cấp mai táng, trả đủ kết quả",
            "applicant": "036060001357",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {
                    "task": "Task_Register",
                    "data": {"approved": True, "death_registration_number": "KT.2026.036.000113"},
                },
                {"task": "Task_Sign", "data": {"signed": True}},
                {
                    "message": MSG_FUNERAL_DONE,
                    "payload": {
                        "link_id": "LT63-KT-0001",
                        "residence_removed": True,
                        "allowance_granted": True,
                        "allowance_amount": 23400000,
                    },
                },
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "registered", "linked_result": {"allowance_granted": True}},
                "completed_tasks": ["Task_Register", "Task_Sign", "Task_Deliver"],
                "messages_sent": [MSG_REMOVE],
            },
        },
        "qua-han-tu-choi": {
            "name": "Bổ sung Giấy báo tử, quá hạn phải xin lỗi; đã đăng ký khai tử nơi khác nên từ chối, không liên thông",
            "applicant": "036060001357",
            "start": start | {"data": {"applicant_id": "036060001357", "link_id": "LT63-KT-0002"}},
            "steps": [
                {"task": "Task_Declare", "data": declare},
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Giấy báo tử"},
                },
                {"task": "Task_Supplement", "data": {"supplement_note": "Đã tải lên Giấy báo tử"}},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Handoff", "data": {}},
                {"fire_timers": "P2D"},
                {
                    "task": "Task_Apology",
                    "data": {"delay_reason": "Chờ xác minh", "new_appointment": "2026-11-30"},
                },
                {
                    "task": "Task_Register",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Đã đăng ký khai tử tại nơi khác",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Apology", "Task_Register"],
                "messages_sent": [],
            },
        },
    }
    procedure = _linked_procedure(
        "Liên thông đăng ký khai tử, xóa đăng ký thường trú, giải quyết mai táng phí, tử tuất",
        "Linked: death registration, removal of permanent residence, funeral allowance",
        "Ủy ban nhân dân cấp xã (tiếp nhận; liên thông Công an cấp xã và Bảo hiểm xã hội)",
        "Hộ tịch",
        GROUP2,
        7,
        GROUP2_LIMIT,
        components=kt_component_sources(),
        fee_source=portal(
            *REC_KT,
            "miễn lệ phí đăng ký khai tử đúng hạn (mức lệ phí khác do HĐND tỉnh quyết định); Điểm "
            "b khoản 1 Điều 11 Luật Hộ tịch 2014; xóa đăng ký thường trú không thu lệ phí (Thông tư "
            "75/2022/TT-BTC) và giải quyết mai táng phí không thu phí",
        ),
    )
    return {
        "slug": "lien-thong-khai-tu",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def lien_thong_xoa_thuong_tru() -> dict:
    s, lead = "specialist", "leader"
    lanes = [
        (s, "Specialist", "Cán bộ đăng ký cư trú, Công an cấp xã"),
        (lead, "Leader", "Trưởng Công an cấp xã"),
    ]
    payload = _payload(
        link_id="link_id",
        applicant_id='lien_thong["applicant_id"]',
        deceased_identity_number='lien_thong["deceased_identity_number"]',
        deceased_full_name='lien_thong["deceased_full_name"]',
        date_of_death='lien_thong["date_of_death"]',
        bank_account='lien_thong["bank_account"]',
        bank_name='lien_thong["bank_name"]',
        residence_removed="residence_removed",
    )
    tail_nodes, tail_flows = _decision_tail(
        role_lane=s,
        leader_lane=lead,
        approve_id="Task_Remove",
        yes_id="Task_UpdateResidence",
        approve_name="Cập nhật việc xóa thường trú vào CSDL về cư trú",
        yes_script="residence_removed = True",
        no_script="residence_removed = False",
        end_name="Chuyển hồ sơ trợ cấp mai táng cho Bảo hiểm xã hội",
        message=MSG_FUNERAL,
        payload=payload,
        approve_question="Xóa được thường trú?",
        leader_task=("Task_Approve", "Phê duyệt xóa đăng ký thường trú"),
    )
    nodes = [
        Node(
            "Start_Message",
            "msg_start",
            "Nhận hồ sơ liên thông từ cơ quan đăng ký hộ tịch",
            s,
            message=MSG_REMOVE,
            message_var="lien_thong",
        ),
        user(
            "Task_Remove",
            "Kiểm tra, xóa đăng ký thường trú của người đã chết",
            s,
            "lt-xtt-xoa",
            st(
                "appraise",
                "specialist",
                "PT1H",
                legal="Điểm a khoản 1 Điều 24 Luật Cư trú 2020; " + ND63,
            ),
        ),
        *tail_nodes,
    ]
    flows = [Flow("Start_Message", "Task_Remove"), *tail_flows]
    model = Model(
        "lien_thong_xoa_thuong_tru",
        "Liên thông: xóa đăng ký thường trú của người đã chết",
        "Công an cấp xã — Liên thông xóa thường trú (Nghị định 63/2024/NĐ-CP)",
        None,
        lanes,
        nodes,
        flows,
        [],
        [],
        tag="LTXTT",
    )
    forms = {
        "lt-xtt-xoa": form(
            "lt-xtt-xoa",
            "Xóa đăng ký thường trú (liên thông)",
            {
                "deceased_full_name": {
                    "type": "string",
                    "title": "Họ tên người đã chết",
                    "readOnly": True,
                    "x-prefill": {
                        "source": "civil_status",
                        "field": "full_name",
                        "from": "lien_thong.deceased_full_name",
                    },
                },
                "approved": {"type": "boolean", "title": "Xóa đăng ký thường trú"},
                "refusal_reason": {"type": "string", "title": "Lý do (nếu không xóa được)"},
            },
            ["approved"],
        )
    }
    payload_in = {
        "link_id": "LT63-KT-0101",
        "applicant_id": "036060001357",
        "deceased_identity_number": "036055000789",
        "deceased_full_name": "Hoàng Văn Em",
        "date_of_death": "2026-11-10",
        "death_registration_number": "KT.2026.036.000114",
        "bank_account": "0451000123456",
        "bank_name": "Vietcombank",
    }
    examples = {
        "xoa-thuong-tru": {
            "name": "Xóa thường trú người đã chết, chuyển tiếp sang BHXH",
            "applicant": "036060001357",
            "start": {"message": MSG_REMOVE, "payload": payload_in},
            "steps": [
                {"task": "Task_Remove", "data": {"approved": True}},
                {"task": "Task_Approve", "data": {"signed": True}},
            ],
            "expect": {
                "status": "completed",
                "data": {"residence_removed": True},
                "completed_tasks": ["Task_Remove", "Task_Approve"],
                "messages_sent": [MSG_FUNERAL],
            },
        },
        "khong-co-thuong-tru": {
            "name": "Người chết không thường trú tại địa phương: không xóa, vẫn chuyển tiếp",
            "applicant": "036060001357",
            "start": {"message": MSG_REMOVE, "payload": payload_in | {"link_id": "LT63-KT-0102"}},
            "steps": [
                {
                    "task": "Task_Remove",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Không thường trú tại địa phương",
                    },
                }
            ],
            "expect": {
                "status": "completed",
                "data": {"residence_removed": False},
                "completed_tasks": ["Task_Remove"],
                "messages_sent": [MSG_FUNERAL],
            },
        },
    }
    procedure = _linked_procedure(
        "Liên thông: xóa đăng ký thường trú (nhóm khai tử)",
        "Linked: removal of permanent residence of a deceased person",
        "Công an cấp xã",
        "Đăng ký, quản lý cư trú",
        GROUP2,
        1,
        estimated(
            "Phần việc của Công an cấp xã trong nhóm liên thông khai tử: 01 ngày làm việc (Khoản 3 Điều 24 Luật Cư trú 2020); thủ tục riêng lẻ 1.003197 công bố 05 ngày làm việc"
        ),
        fee_source=XTT_FEE_SOURCE,
    )
    return {
        "slug": "lien-thong-xoa-thuong-tru",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def lien_thong_tro_cap_mai_tang() -> dict:
    s, lead, o = "specialist", "leader", "other_agency"
    lanes = [
        (s, "Specialist", "Cán bộ giải quyết chế độ, Bảo hiểm xã hội cơ sở"),
        (lead, "Leader", "Giám đốc Bảo hiểm xã hội cơ sở"),
        (o, "Payer", "Tổ chức dịch vụ chi trả (Bưu điện, ngân hàng)"),
    ]
    payload = _payload(
        link_id="link_id",
        residence_removed='lien_thong["residence_removed"]',
        allowance_granted="allowance_granted",
        allowance_amount="allowance_amount",
    )
    tail_nodes, tail_flows = _decision_tail(
        role_lane=s,
        leader_lane=lead,
        approve_id="Task_Appraise",
        yes_id="Task_RecordAllowance",
        approve_name="Ghi nhận đã giải quyết trợ cấp",
        yes_script="allowance_granted = True",
        no_script="allowance_granted = False\nallowance_amount = 0",
        end_name="Gửi kết quả về cơ quan tiếp nhận hồ sơ liên thông",
        message=MSG_FUNERAL_DONE,
        payload=payload,
        approve_question="Đủ điều kiện hưởng?",
        leader_task=("Task_Sign", "Ký quyết định hưởng trợ cấp mai táng"),
        extra_after_approve=[
            user(
                "Task_Payout",
                "Chi trả trợ cấp vào tài khoản của thân nhân",
                o,
                "mt-chi-tra",
                st("other", "other_agency", "P1D"),
            )
        ],
    )
    nodes = [
        Node(
            "Start_Message",
            "msg_start",
            "Nhận hồ sơ liên thông trợ cấp mai táng",
            s,
            message=MSG_FUNERAL,
            message_var="lien_thong",
        ),
        service(
            "Task_InsuranceLookup",
            "Tra cứu quá trình đóng, hưởng BHXH của người chết",
            s,
            "social_insurance.lookup",
            {"identity_number": 'lien_thong["deceased_identity_number"]'},
            "deceased_insurance",
            kind="verify",
        ),
        user(
            "Task_Appraise",
            "Xét duyệt, tính mức trợ cấp mai táng",
            s,
            "mt-xet-duyet",
            st(
                "appraise",
                "specialist",
                "PT2H",
                legal="Luật Bảo hiểm xã hội 2024 (trợ cấp mai táng); " + ND63,
            ),
        ),
        *tail_nodes,
    ]
    flows = [*seq("Start_Message", "Task_InsuranceLookup", "Task_Appraise"), *tail_flows]
    model = Model(
        "lien_thong_tro_cap_mai_tang",
        "Liên thông: giải quyết trợ cấp mai táng",
        "Bảo hiểm xã hội — Liên thông trợ cấp mai táng (Nghị định 63/2024/NĐ-CP)",
        None,
        lanes,
        nodes,
        flows,
        [],
        [],
        tag="LTMT",
    )
    payload_in = {
        "link_id": "LT63-KT-0201",
        "applicant_id": "036060001357",
        "deceased_identity_number": "036055000789",
        "deceased_full_name": "Hoàng Văn Em",
        "date_of_death": "2026-11-10",
        "bank_account": "0451000123456",
        "bank_name": "Vietcombank",
        "residence_removed": True,
    }
    examples = {
        "huong-tro-cap": {
            "name": "Người hưởng lương hưu chết: chi trả trợ cấp mai táng 10 lần mức tham chiếu",
            "applicant": "036060001357",
            "start": {"message": MSG_FUNERAL, "payload": payload_in},
            "steps": [
                {"task": "Task_Appraise", "data": {"approved": True, "allowance_amount": 23400000}},
                {"task": "Task_Sign", "data": {"signed": True}},
                {
                    "task": "Task_Payout",
                    "data": {"payout_reference": "CT-2026-000982", "paid_on": "2026-11-28"},
                },
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "allowance_granted": True,
                    "deceased_insurance": {"social_insurance_number": "3600123456"},
                },
                "completed_tasks": ["Task_Appraise", "Task_Sign", "Task_Payout"],
                "messages_sent": [MSG_FUNERAL_DONE],
            },
        },
        "khong-du-dieu-kien": {
            "name": "Không đủ điều kiện hưởng: báo kết quả về cơ quan tiếp nhận",
            "applicant": "036060001357",
            "start": {"message": MSG_FUNERAL, "payload": payload_in | {"link_id": "LT63-KT-0202"}},
            "steps": [
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Đã giải quyết cho thân nhân khác",
                    },
                }
            ],
            "expect": {
                "status": "completed",
                "data": {"allowance_granted": False, "allowance_amount": 0},
                "completed_tasks": ["Task_Appraise"],
                "messages_sent": [MSG_FUNERAL_DONE],
            },
        },
    }
    procedure = _linked_procedure(
        "Liên thông: giải quyết trợ cấp mai táng (nhóm khai tử)",
        "Linked: funeral allowance",
        VSS_AGENCY,
        "Bảo hiểm xã hội",
        GROUP2,
        5,
        estimated(
            "Phần việc của cơ quan bảo hiểm xã hội trong nhóm liên thông khai tử; thủ tục riêng lẻ 2.000821 ghi 08 ngày làm việc (Luật 58/2014), 10 ngày theo Luật Bảo hiểm xã hội 2024"
        ),
        level="province",
        fee_source=cited(
            "Không thu phí (bản ghi 2.000821, Quyết định 1474/QĐ-BTC)",
            "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/" + REC_TUTUAT[2],
        ),
    )
    return {
        "slug": "lien-thong-tro-cap-mai-tang",
        "model": model,
        "procedure": procedure,
        "forms": {
            "mt-xet-duyet": mt_review_form(),
            "mt-chi-tra": form(
                "mt-chi-tra",
                "Chi trả trợ cấp",
                {
                    "payout_reference": text("Số chứng từ chi trả"),
                    "paid_on": {"type": "string", "format": "date", "title": "Ngày chi trả"},
                },
                ["payout_reference", "paid_on"],
            ),
        },
        "examples": examples,
    }


GROUPS = [
    lien_thong_khai_sinh,
    lien_thong_thuong_tru_tre_em,
    lien_thong_bhyt_tre_em,
    lien_thong_khai_tu,
    lien_thong_xoa_thuong_tru,
    lien_thong_tro_cap_mai_tang,
]


def groups() -> list[dict]:
    """The linked groups as data (process_models/groups.json): their parts in the order the
    dossier passes between agencies (the first receives it and returns every result), the
    stand-alone procedures each replaces, the group's time limit and its one e-dossier."""
    return [
        {
            "id": GROUP1,
            "name": {
                "vi": "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ em dưới 6 tuổi",
                "en": "Linked: birth registration, permanent residence, child health-insurance card",
            },
            "legal_basis": [ND63, QD296],
            "members": [
                "lien-thong-khai-sinh",
                "lien-thong-thuong-tru-tre-em",
                "lien-thong-bhyt-tre-em",
            ],
            "replaces": ["dang-ky-khai-sinh", "dang-ky-thuong-tru", "cap-the-bhyt-tre-em"],
            "time_limit": {"days": 3, "working_days": True, **GROUP1_LIMIT},
            # one e-dossier: the e-form and the signed electronic birth notice; no identity
            # card copy, residence proof or marriage certificate (the registries hold them)
            "dossier": ["birth_declaration", "birth_notice"],
        },
        {
            "id": GROUP2,
            "name": {
                "vi": "Liên thông đăng ký khai tử, xóa đăng ký thường trú, giải quyết mai táng phí, tử tuất",
                "en": "Linked: death registration, removal of permanent residence, funeral allowance",
            },
            "legal_basis": [ND63, QD296],
            "members": [
                "lien-thong-khai-tu",
                "lien-thong-xoa-thuong-tru",
                "lien-thong-tro-cap-mai-tang",
            ],
            "replaces": ["dang-ky-khai-tu", "xoa-dang-ky-thuong-tru", "tro-cap-mai-tang"],
            "time_limit": {"days": 7, "working_days": True, **GROUP2_LIMIT},
            # no household book: abolished from 1 January 2023 (Residence Law 2020, Art. 38)
            "dossier": [
                "death_declaration",
                "death_notice",
                "identity_card_copy",
                "deceased_identity_card",
            ],
        },
    ]
