"""Identity procedures people use most (Công an cấp xã, Luật Căn cước 2023): issue, exchange
and re-issue of the ID card (thẻ căn cước), and confirmation of the old 9-digit ID number."""

from __future__ import annotations

from bpmn_builder import Boundary, Flow, Model, Node
from common import (
    APOLOGY_BASIS,
    attachment,
    comp,
    form,
    intake,
    person_block,
    script,
    seq,
    service,
    st,
    text,
    user,
)
from frequent_common import estimated, fee, pay_data, portal, standard, time_limit, volume

LAW = "Luật Căn cước 2023 (26/2023/QH15)"
BIOMETRICS_BASIS = f"Điểm b khoản 1 Điều 23 {LAW}: thu nhận thông tin nhân dạng và sinh trắc học (ảnh khuôn mặt, vân tay, mống mắt)"
TT17 = "Thông tư 17/2024/TT-BCA (mẫu DC02, CC01, CC02)"
TT18 = "Thông tư 18/2024/TT-BCA (quy trình cấp, cấp đổi, cấp lại thẻ căn cước)"
FEE_2025 = (
    "Thông tư 73/2024/TT-BTC: cấp đổi 50.000 đồng, cấp lại 70.000 đồng; Thông tư 64/2025/TT-BTC: "
    "bằng 50% từ 01/7/2025 đến hết 31/12/2026 (bản ghi TTHC)"
)
LANES = [
    ("citizen", "Citizen", "Công dân"),
    ("one_stop_desk", "Desk", "Bộ phận Một cửa — Công an cấp xã"),
    ("specialist", "Specialist", "Cán bộ quản lý căn cước, Công an cấp xã"),
    ("leader", "Leader", "Trưởng Công an cấp xã"),
    (
        "other_agency",
        "Producer",
        "Cục Cảnh sát quản lý hành chính về trật tự xã hội (C06), Bộ Công an",
    ),
]
# (code, decision, portal record) per variant
VARIANTS = {
    "cap-the-can-cuoc": {
        "record": ("1.014061", "5710/QĐ-BCA-C06", "019d2bf7-9e11-77ef-bf03-ae190acb0be3"),
        "vi": "Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên",
        "en": "Issue of the ID card (aged 14 and over)",
        "fee": (0, 0, "không thu lệ phí cấp thẻ căn cước lần đầu"),
        "biometrics": True,
        "volume": 3000000,
    },
    "cap-doi-the-can-cuoc": {
        "record": ("1.014063", "5710/QĐ-BCA-C06", "019d2bf7-9e0f-730b-9510-60349ebab5b2"),
        "vi": "Cấp đổi thẻ căn cước",
        "en": "Exchange of the ID card",
        "fee": (25000, 25000, FEE_2025),
        "biometrics": True,
        "volume": 5000000,
    },
    "cap-lai-the-can-cuoc": {
        "record": ("1.014064", "5710/QĐ-BCA-C06", "019d2bf7-9e0b-7681-bd68-83f1e84c1cc7"),
        "vi": "Cấp lại thẻ căn cước",
        "en": "Re-issue of the ID card",
        "fee": (35000, 35000, FEE_2025),
        "biometrics": False,
        "volume": 1000000,
    },
}
REASONS = {
    "cap-the-can-cuoc": ["Cấp lần đầu khi đủ 14 tuổi"],
    "cap-doi-the-can-cuoc": [
        "Đủ tuổi đổi thẻ (25, 40, 60 tuổi)",
        "Thay đổi thông tin do sắp xếp đơn vị hành chính",
        "Thay đổi, cải chính thông tin nhân thân",
        "Thẻ bị hư hỏng không sử dụng được",
        "Xác định lại giới tính, chuyển đổi giới tính",
    ],
    "cap-lai-the-can-cuoc": [
        "Bị mất thẻ căn cước",
        "Thẻ bị hư hỏng không sử dụng được",
        "Được trở lại quốc tịch Việt Nam",
    ],
}


def _card_variant(slug: str) -> dict:
    v = VARIANTS[slug]
    code, decision, url = v["record"]
    c, d, s, lead, other = "citizen", "one_stop_desk", "specialist", "leader", "other_agency"
    pays = v["fee"][0] > 0
    form_id = "cc-de-nghi"
    head = [
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
            "Khai phiếu đề nghị (DC02) trực tuyến, đặt lịch hẹn tại Công an cấp xã",
            c,
            form_id,
            st(
                "submit",
                "citizen",
                "PT10M",
                legal=f"Khoản 1 Điều 23 {LAW}; {TT17}",
                citizen_time="PT15M",
            ),
        ),
    ]
    if pays:
        head.append(
            user(
                "Task_Pay",
                "Nộp lệ phí cấp đổi, cấp lại thẻ căn cước",
                c,
                "thanh-toan-le-phi",
                st(
                    "pay",
                    "citizen",
                    "PT5M",
                    legal="Thông tư 73/2024/TT-BTC; Thông tư 64/2025/TT-BTC",
                    citizen_time="PT10M",
                ),
            )
        )
    in_person = v["biometrics"]
    middle = []
    if in_person:
        middle = [
            user(
                "Task_Biometrics",
                "Thu thập sinh trắc học: chụp ảnh khuôn mặt, vân tay, mống mắt",
                s,
                "cc-thu-nhan",
                st(
                    "other",
                    "specialist",
                    "PT15M",
                    "required_by_law",
                    legal=BIOMETRICS_BASIS,
                    citizen_time="PT30M",
                ),
            ),
            user(
                "Task_SignSlip",
                "Ký Phiếu thu nhận thông tin căn cước (CC01) sau khi soát lại",
                c,
                "cc-ky-phieu",
                st(
                    "sign",
                    "citizen",
                    "PT5M",
                    "required",
                    legal=f"{TT18}; bản ghi TTHC {code}, bước 5",
                    citizen_time="PT10M",
                ),
            ),
        ]
    receive_step = (
        st(
            "receive",
            "one_stop_desk",
            "PT15M",
            "required_by_law",
            legal=f"Điểm a khoản 1 Điều 23 {LAW}: trực tiếp đến cơ quan quản lý căn cước",
            citizen_time="PT2H",
        )
        if in_person
        else st("receive", "one_stop_desk", "PT10M", legal=f"{TT18}; bản ghi TTHC {code}, bước 1–2")
    )
    nodes, flows, boundaries = standard(
        start_name=f"Đề nghị {v['vi'][0].lower()}{v['vi'][1:]}",
        head=head,
        receive_name="Tiếp nhận, đối chiếu thông tin trong CSDL dân cư, lập hồ sơ căn cước"
        if in_person
        else "Tiếp nhận hồ sơ trực tuyến, dùng sinh trắc học đã thu nhận lần gần nhất",
        receive_step=receive_step,
        middle=middle,
        appraise=user(
            "Task_Appraise",
            "Kiểm tra, xét duyệt hồ sơ căn cước",
            s,
            "tham-dinh-ho-so",
            st("appraise", "specialist", "PT1H", legal=TT18),
        ),
        approve_question="Đủ điều kiện cấp thẻ?",
        refused_name="Từ chối giải quyết (mẫu CC03)",
        tail=[
            user(
                "Task_Approve",
                "Phê duyệt hồ sơ cấp thẻ căn cước",
                lead,
                "ky-duyet",
                st("approve", "leader", "PT15M"),
            ),
            user(
                "Task_Produce",
                "In, sản xuất thẻ căn cước",
                other,
                "cc-san-xuat",
                st("other", "other_agency", "P3D", legal=TT18),
            ),
            user(
                "Task_Deliver",
                "Trả thẻ căn cước (tại Công an cấp xã hoặc qua bưu chính); thu thẻ cũ",
                d,
                "tra-ket-qua",
                st("deliver_result", "one_stop_desk", "PT10M", legal=f"{TT17} (giấy hẹn CC02)"),
            ),
        ],
        result_value="issued",
        done_name="Đã cấp thẻ căn cước",
        deadline="P7D",
    )
    components = [
        comp(
            "DOR_DC02",
            "Phiếu đề nghị giải quyết thủ tục về căn cước (mẫu DC02)",
            "identity_request",
            "declaration_form",
            "electronic" if not in_person else "original",
            f"{TT17}; bản ghi TTHC {code}",
            ["full_name", "identity_number", "permanent_address"],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_GiamHo",
            "Giấy tờ chứng minh là người đại diện hợp pháp của người dưới 14 tuổi",
            "guardian_proof",
            "guardian_proof",
            "original",
            f"Bản ghi TTHC {code}; Điều 23 {LAW}",
            ["father_name", "mother_name"],
            ["Task_Receive"],
            required=False,
            note="Chỉ khi người đại diện làm thủ tục cho người dưới 14 tuổi; quan hệ cha, mẹ, con đã có trong CSDL dân cư",
        ),
    ]
    if slug == "cap-doi-the-can-cuoc":
        components.append(
            comp(
                "DOR_TheCu",
                "Thẻ Căn cước công dân hoặc thẻ căn cước đang sử dụng (thu lại khi trả thẻ mới)",
                "old_card",
                "identity_card",
                "original",
                f"{TT18}; bản ghi TTHC {code}, bước 6",
                ["identity_number", "full_name", "date_of_birth"],
                ["Task_Deliver"],
                note="Thu lại thẻ cũ khi trả thẻ mới; dữ liệu trên thẻ đã có trong CSDL căn cước",
            )
        )
    if in_person:
        components.append(
            comp(
                "DOR_CC01",
                "Phiếu thu nhận thông tin căn cước (CC01) in từ CSDL, công dân ký xác nhận",
                "capture_slip",
                "declaration_form",
                "original",
                f"{TT18}; bản ghi TTHC {code}",
                ["full_name", "identity_number"],
                ["Task_SignSlip"],
            )
        )
    process_id = slug.replace("-", "_")
    model = Model(
        process_id,
        v["vi"],
        f"Công an cấp xã — {v['vi']}",
        code,
        LANES,
        nodes,
        flows,
        boundaries,
        components,
        tag={
            "cap-the-can-cuoc": "CCCAP",
            "cap-doi-the-can-cuoc": "CCDOI",
            "cap-lai-the-can-cuoc": "CCLAI",
        }[slug],
    )
    forms = {
        form_id: form(
            form_id,
            "Phiếu đề nghị giải quyết thủ tục về căn cước (DC02)",
            {
                **person_block("citizen"),
                "card_request": {
                    "type": "string",
                    "title": "Thủ tục đề nghị",
                    "enum": ["Cấp thẻ căn cước", "Cấp đổi thẻ căn cước", "Cấp lại thẻ căn cước"],
                },
                "card_reason": {
                    "type": "string",
                    "title": "Lý do",
                    "enum": [r for rs in REASONS.values() for r in rs],
                },
                "appointment_place": text("Nơi làm thủ tục (Công an cấp xã bất kỳ)"),
                "appointment_date": {"type": "string", "format": "date", "title": "Ngày hẹn"},
                "delivery_address": {
                    "type": "string",
                    "title": "Địa chỉ nhận thẻ qua bưu chính (nếu có)",
                },
                "guardian_file": attachment(
                    "Giấy tờ chứng minh người đại diện hợp pháp", "guardian_proof"
                ),
            },
            ["card_request", "card_reason", "appointment_place"],
            "Thông tin nhân thân lấy từ CSDL quốc gia về dân cư; công dân chỉ kiểm tra và chọn lịch hẹn.",
        ),
        "cc-thu-nhan": form(
            "cc-thu-nhan",
            "Thu nhận thông tin nhân dạng và sinh trắc học",
            {
                "fingerprints_captured": {
                    "type": "boolean",
                    "title": "Đã thu nhận vân tay",
                    "const": True,
                },
                "face_captured": {
                    "type": "boolean",
                    "title": "Đã chụp ảnh khuôn mặt",
                    "const": True,
                },
                "iris_captured": {
                    "type": "boolean",
                    "title": "Đã thu nhận mống mắt",
                    "const": True,
                },
            },
            ["fingerprints_captured", "face_captured", "iris_captured"],
        ),
        "cc-ky-phieu": form(
            "cc-ky-phieu",
            "Ký xác nhận Phiếu thu nhận thông tin căn cước (CC01)",
            {
                "slip_confirmed": {
                    "type": "boolean",
                    "title": "Thông tin trên phiếu chính xác",
                    "const": True,
                }
            },
            ["slip_confirmed"],
        ),
        "cc-san-xuat": form(
            "cc-san-xuat",
            "Sản xuất thẻ căn cước",
            {
                "card_serial": text("Số seri thẻ căn cước"),
                "card_valid_until": {"type": "string", "format": "date", "title": "Có giá trị đến"},
            },
            ["card_serial", "card_valid_until"],
        ),
    }
    people = {
        "cap-the-can-cuoc": ("001312003456", "Cấp thẻ căn cước", "Cấp lần đầu khi đủ 14 tuổi"),
        "cap-doi-the-can-cuoc": (
            "001090012345",
            "Cấp đổi thẻ căn cước",
            "Thay đổi thông tin do sắp xếp đơn vị hành chính",
        ),
        "cap-lai-the-can-cuoc": ("001192034567", "Cấp lại thẻ căn cước", "Bị mất thẻ căn cước"),
    }
    applicant, request, reason = people[slug]
    declare = {
        "card_request": request,
        "card_reason": reason,
        "appointment_place": "Công an Phường Ba Đình, Thành phố Hà Nội",
        "appointment_date": "2026-12-10",
        "delivery_address": "Số 18, Phố Kim Mã, Phường Ba Đình, Thành phố Hà Nội",
    }
    steps = [{"task": "Task_Declare", "data": declare}]
    if pays:
        steps.append(
            {"task": "Task_Pay", "data": pay_data(f"PAY-2026-{model.tag}-0001", v["fee"][0])}
        )
    ok = [*steps, {"task": "Task_Receive", "data": {"dossier_valid": True}}]
    if in_person:
        ok += [
            {
                "task": "Task_Biometrics",
                "data": {
                    "fingerprints_captured": True,
                    "face_captured": True,
                    "iris_captured": True,
                },
            },
            {"task": "Task_SignSlip", "data": {"slip_confirmed": True}},
        ]
    after_receive = list(ok[len(steps) :])
    ok += [
        {"task": "Task_Appraise", "data": {"approved": True}},
        {"task": "Task_Approve", "data": {"signed": True}},
        {
            "task": "Task_Produce",
            "data": {"card_serial": "CC-2026-7788991", "card_valid_until": "2037-03-10"},
        },
        {"task": "Task_Deliver", "data": {"delivery_method": "Bưu chính công ích"}},
    ]
    refused = [
        *steps,
        {
            "task": "Task_Receive",
            "data": {
                "dossier_valid": False,
                "missing_items": "Thông tin nhân thân chưa khớp CSDL, cần điều chỉnh trước",
            },
        },
        {
            "task": "Task_Supplement",
            "data": {"supplement_note": "Đã điều chỉnh thông tin trong CSDL dân cư"},
        },
        *after_receive,
        {"fire_timers": "P8D"},
        {
            "task": "Task_Apology",
            "data": {
                "delay_reason": "Chờ xác minh thông tin nhân thân",
                "new_appointment": "2026-12-21",
            },
        },
        {
            "task": "Task_Appraise",
            "data": {
                "approved": False,
                "refusal_reason": "Thông tin nhân thân có sai lệch chưa được giải quyết",
            },
        },
    ]
    start = {"channel": "online", "data": {"applicant_id": applicant}}
    examples = {
        "duoc-cap": {
            "name": f"{request}: {reason.lower()}",
            "applicant": applicant,
            "start": start,
            "steps": ok,
            "expect": {
                "status": "completed",
                "data": {"result": "issued", "card_serial": "CC-2026-7788991"},
                "completed_tasks": [t["task"] for t in ok if "task" in t],
            },
        },
        "sai-lech-thong-tin": {
            "name": "Thông tin nhân thân sai lệch: bổ sung; quá 07 ngày làm việc; từ chối",
            "applicant": applicant,
            "start": start,
            "steps": refused,
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Supplement", "Task_Apology", "Task_Appraise"],
            },
        },
    }
    amount, online, fee_text = v["fee"]
    procedure = {
        "code": code,
        "name": {"vi": v["vi"], "en": v["en"]},
        "agency_level": "commune",
        "agency": "Công an cấp xã (nơi bất kỳ, không phụ thuộc nơi cư trú)",
        "field": "Căn cước",
        "legal_basis": [
            f"{LAW} (Điều 23, 24)",
            "Nghị định 70/2024/NĐ-CP",
            TT17,
            TT18,
            "Thông tư 53/2025/TT-BCA",
            "Thông tư 73/2024/TT-BTC; Thông tư 64/2025/TT-BTC (lệ phí)",
        ],
        "processing_time": time_limit(
            7, True, portal(code, decision, url, "không quá 07 ngày làm việc")
        ),
        "fee": fee(amount, online, portal(code, decision, url, fee_text)),
        "annual_volume": volume(
            v["volume"],
            estimated(
                "Ước tính của nhóm phát triển; Bộ Công an chưa công bố số hồ sơ theo từng thủ tục"
            ),
        ),
        "delivery_level": "partial_online" if in_person else "full_online",
        "sources": {
            "code": portal(code, decision, url),
            "agency": portal(
                code, decision, url, "Công an cấp xã trong cả nước, không phụ thuộc nơi cư trú"
            ),
            "components": {
                "identity_request": portal(
                    code,
                    decision,
                    url,
                    "Phiếu đề nghị giải quyết thủ tục về căn cước (Mẫu DC02, Thông tư 17/2024/TT-BCA)",
                ),
                "guardian_proof": portal(
                    code,
                    decision,
                    url,
                    "giấy tờ chứng minh người đại diện hợp pháp của người dưới 14 tuổi",
                ),
                **(
                    {
                        "old_card": portal(
                            code, decision, url, "thu thẻ Căn cước công dân cũ (bước 6)"
                        )
                    }
                    if slug == "cap-doi-the-can-cuoc"
                    else {}
                ),
                **(
                    {
                        "capture_slip": portal(
                            code,
                            decision,
                            url,
                            "Phiếu CC01 in khi thu nhận hồ sơ để công dân kiểm tra, ký xác nhận",
                        )
                    }
                    if in_person
                    else {}
                ),
            },
        },
    }
    if in_person:
        procedure["notes"] = (
            "Thu nhận sinh trắc học (ảnh khuôn mặt, vân tay, mống mắt) là bước luật yêu cầu có mặt "
            f"({BIOMETRICS_BASIS}); phần trực tuyến chỉ gồm kiểm tra thông tin, đặt lịch và nộp lệ phí."
        )
    else:
        procedure["notes"] = (
            "Cấp lại do mất hoặc hư hỏng dùng ảnh khuôn mặt, vân tay, mống mắt đã thu nhận lần gần nhất "
            "(bản ghi TTHC 1.014064, bước 3): không phải có mặt; trường hợp trở lại quốc tịch làm như cấp mới."
        )
    return {
        "slug": slug,
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


def cap_the_can_cuoc() -> dict:
    return _card_variant("cap-the-can-cuoc")


def cap_doi_the_can_cuoc() -> dict:
    return _card_variant("cap-doi-the-can-cuoc")


def cap_lai_the_can_cuoc() -> dict:
    return _card_variant("cap-lai-the-can-cuoc")


# -- Xác nhận số chứng minh nhân dân 09 số ------------------------------------------------
OLD_ID = ("1.012566", "4864/QĐ-BCA-C06", "019d2bf7-8ebe-7182-ac6f-34705ba28589")


def xac_nhan_so_cmnd() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    code, decision, url = OLD_ID
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after="Task_CheckDatabase",
        next_="Gateway_InDatabase",
        receive_name="Tiếp nhận đề nghị xác nhận số chứng minh nhân dân",
        receive_step=st("receive", "one_stop_desk", "PT10M", legal=f"Bản ghi TTHC {code}, bước 2"),
    )
    nodes = [
        Node("Start_Request", "start", "Đề nghị xác nhận số chứng minh nhân dân 09 số", c),
        service(
            "Task_Prefill",
            "Lấy thông tin công dân, số CMND đã cập nhật từ CSDL quốc gia về dân cư",
            c,
            "population.lookup",
            {"identity_number": "applicant_id"},
            "citizen",
        ),
        user(
            "Task_Declare",
            "Khai Phiếu đề nghị (DC02): số chứng minh nhân dân 09 số đã được cấp",
            c,
            "cmnd-de-nghi",
            st("submit", "citizen", "PT5M", legal=TT17, citizen_time="PT10M"),
        ),
        script(
            "Task_CheckDatabase",
            "So khớp số CMND 09 số với dữ liệu trong CSDL quốc gia về dân cư",
            d,
            'old_id_in_database = citizen["old_id_number"] != ""',
        ),
        *intake_nodes,
        Node("Gateway_InDatabase", "xor", "Số CMND đã có trong CSDL?", d),
        user(
            "Task_Confirm",
            "Soạn giấy CC04 từ dữ liệu trong CSDL",
            s,
            "cmnd-xac-nhan",
            st(
                "other",
                "specialist",
                "PT30M",
                legal=f"Bản ghi TTHC {code}: 03 ngày làm việc khi số CMND đã có trong CSDL",
            ),
        ),
        user(
            "Task_Verify",
            "Xác minh số CMND 09 số chưa có trong CSDL (hồ sơ, tàng thư CMND)",
            s,
            "tham-dinh-ho-so",
            st(
                "appraise",
                "specialist",
                "P3D",
                legal=f"Bản ghi TTHC {code}: 07 ngày làm việc khi chưa có trong CSDL",
            ),
        ),
        Node("Gateway_Verified", "xor", "Xác minh được?", s),
        script(
            "Task_Refused", "Thông báo từ chối, nêu rõ lý do (mẫu CC03)", s, 'result = "refused"'
        ),
        Node("End_Refused", "end", "Từ chối xác nhận", s),
        Node("Gateway_Sign", "xor", "", lead),
        user(
            "Task_Approve",
            "Ký giấy xác nhận số CMND, số định danh cá nhân (CC04)",
            lead,
            "ky-duyet",
            st("sign", "leader", "PT15M"),
        ),
        user(
            "Task_Deliver",
            "Trả giấy xác nhận (điện tử, bưu chính hoặc tại Công an cấp xã)",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT5M"),
        ),
        script("Task_Result", "Cập nhật kết quả giải quyết", d, 'result = "confirmed"'),
        Node("End_Done", "end", "Đã xác nhận số CMND", d),
        user(
            "Task_Apology",
            "Gửi văn bản xin lỗi, hẹn lại ngày trả kết quả",
            d,
            "xin-loi-qua-han",
            st("other", "one_stop_desk", "PT30M", legal=APOLOGY_BASIS),
        ),
        Node("End_Apology", "end", "Đã hẹn lại ngày trả", d),
        user(
            "Task_ApologyVerify",
            "Gửi văn bản xin lỗi, hẹn lại ngày trả kết quả (quá 07 ngày xác minh)",
            d,
            "xin-loi-qua-han",
            st("other", "one_stop_desk", "PT30M", legal=APOLOGY_BASIS),
        ),
        Node("End_ApologyVerify", "end", "Đã hẹn lại ngày trả", d),
    ]
    flows = [
        *seq("Start_Request", "Task_Prefill", "Task_Declare", "Task_CheckDatabase"),
        *intake_flows,
        Flow(
            "Gateway_InDatabase", "Task_Confirm", "Đã có trong CSDL", "old_id_in_database == True"
        ),
        Flow(
            "Gateway_InDatabase",
            "Task_Verify",
            "Chưa có, cần xác minh",
            "old_id_in_database == False",
        ),
        Flow("Task_Confirm", "Gateway_Sign"),
        Flow("Task_Verify", "Gateway_Verified"),
        Flow("Gateway_Verified", "Gateway_Sign", "Xác minh được", "approved == True"),
        Flow("Gateway_Verified", "Task_Refused", "Không xác minh được", "approved == False"),
        Flow("Task_Refused", "End_Refused"),
        *seq("Gateway_Sign", "Task_Approve", "Task_Deliver", "Task_Result", "End_Done"),
        Flow("Timer_Deadline", "Task_Apology"),
        Flow("Task_Apology", "End_Apology"),
        Flow("Timer_Verify", "Task_ApologyVerify"),
        Flow("Task_ApologyVerify", "End_ApologyVerify"),
    ]
    boundaries = [
        Boundary("Timer_Deadline", "Quá 03 ngày làm việc", "Task_Confirm", '"P3D"'),
        Boundary("Timer_Verify", "Quá 07 ngày làm việc", "Task_Verify", '"P7D"'),
    ]
    components = [
        comp(
            "DOR_DC02",
            "Phiếu đề nghị giải quyết thủ tục về căn cước (mẫu DC02)",
            "identity_request",
            "declaration_form",
            "original",
            f"{TT17}; bản ghi TTHC {code}",
            ["full_name", "identity_number"],
            ["Task_Receive"],
        ),
        comp(
            "DOR_CMND",
            "Giấy chứng minh nhân dân 09 số (nếu còn)",
            "old_id_card",
            "old_id_card",
            "original",
            f"Bản ghi TTHC {code}",
            ["old_id_number", "full_name", "date_of_birth"],
            ["Task_Verify"],
            required=False,
            note="Số CMND đã cập nhật vào CSDL quốc gia về dân cư thì không cần",
        ),
    ]
    model = Model(
        "xac_nhan_so_cmnd",
        "Xác nhận số chứng minh nhân dân 09 số, số định danh cá nhân",
        "Công an cấp xã — Xác nhận số CMND 09 số",
        code,
        LANES[:4],
        nodes,
        flows,
        boundaries,
        components,
        tag="CMND",
    )
    forms = {
        "cmnd-de-nghi": form(
            "cmnd-de-nghi",
            "Đề nghị xác nhận số chứng minh nhân dân 09 số, số định danh cá nhân",
            {
                **person_block("citizen"),
                "declared_old_id_number": {
                    "type": "string",
                    "title": "Số chứng minh nhân dân 09 số đã được cấp",
                    "pattern": "^[0-9]{9}$",
                },
                "purpose": text("Mục đích sử dụng giấy xác nhận"),
                "old_id_file": attachment("Ảnh chụp CMND 09 số (nếu còn)", "old_id_card"),
            },
            ["declared_old_id_number", "purpose"],
        ),
        "cmnd-xac-nhan": form(
            "cmnd-xac-nhan",
            "Lập giấy xác nhận số CMND 09 số, số định danh cá nhân (CC04)",
            {"confirmation_number": text("Số giấy xác nhận (CC04)")},
            ["confirmation_number"],
        ),
    }
    examples = {
        "so-cmnd-co-trong-csdl": {
            "name": "Số CMND đã có trong CSDL dân cư: xác nhận trong 03 ngày làm việc",
            "applicant": "001090012345",
            "start": {"channel": "online", "data": {"applicant_id": "001090012345"}},
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": {
                        "declared_old_id_number": "012345678",
                        "purpose": "Đối chiếu hồ sơ tín dụng tại ngân hàng",
                    },
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Confirm", "data": {"confirmation_number": "CC04-2026-000321"}},
                {"task": "Task_Approve", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "confirmed",
                    "old_id_in_database": True,
                    "citizen": {"old_id_number": "012345678"},
                },
                "completed_tasks": ["Task_CheckDatabase", "Task_Confirm", "Task_Deliver"],
            },
        },
        "can-xac-minh": {
            "name": "Số CMND chưa có trong CSDL: xác minh, quá hạn 07 ngày, xác minh được",
            "applicant": "079185001234",
            "start": {"channel": "online", "data": {"applicant_id": "079185001234"}},
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": {
                        "declared_old_id_number": "023456789",
                        "purpose": "Cập nhật hồ sơ doanh nghiệp",
                    },
                },
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Ảnh chụp CMND cũ"},
                },
                {"task": "Task_Supplement", "data": {"supplement_note": "Đã tải ảnh CMND"}},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P8D"},
                {
                    "task": "Task_ApologyVerify",
                    "data": {
                        "delay_reason": "Chờ tra cứu tàng thư CMND",
                        "new_appointment": "2026-12-22",
                    },
                },
                {"task": "Task_Verify", "data": {"approved": True}},
                {"task": "Task_Approve", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Bưu chính công ích"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "confirmed", "old_id_in_database": False},
                "completed_tasks": ["Task_Supplement", "Task_ApologyVerify", "Task_Verify"],
            },
        },
        "khong-xac-minh-duoc": {
            "name": "Số CMND khai không khớp hồ sơ gốc: từ chối",
            "applicant": "079185001234",
            "start": {"channel": "online", "data": {"applicant_id": "079185001234"}},
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": {"declared_old_id_number": "029999999", "purpose": "Hồ sơ ngân hàng"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {
                    "task": "Task_Verify",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Số CMND không đúng với tàng thư",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused"},
                "completed_tasks": ["Task_Verify"],
            },
        },
        "co-trong-csdl-qua-han": {
            "name": "Có trong CSDL nhưng quá 03 ngày làm việc: xin lỗi, hẹn lại",
            "applicant": "001090012345",
            "start": {"channel": "online", "data": {"applicant_id": "001090012345"}},
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": {"declared_old_id_number": "012345678", "purpose": "Hồ sơ bảo hiểm"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P4D"},
                {
                    "task": "Task_Apology",
                    "data": {"delay_reason": "Quá tải hồ sơ", "new_appointment": "2026-12-12"},
                },
                {"task": "Task_Confirm", "data": {"confirmation_number": "CC04-2026-000322"}},
                {"task": "Task_Approve", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "confirmed"},
                "completed_tasks": ["Task_Apology"],
            },
        },
    }
    procedure = {
        "code": code,
        "name": {
            "vi": "Xác nhận số chứng minh nhân dân 09 số, số định danh cá nhân",
            "en": "Confirmation of the old 9-digit ID number and the personal identity number",
        },
        "agency_level": "commune",
        "agency": "Công an cấp xã nơi cư trú",
        "field": "Căn cước",
        "legal_basis": [LAW, "Nghị định 70/2024/NĐ-CP", TT17, TT18],
        "processing_time": time_limit(
            7,
            True,
            portal(
                code,
                decision,
                url,
                "03 ngày làm việc khi số CMND 09 số đã có trong CSDL quốc gia về dân cư; 07 ngày làm việc khi chưa có",
            ),
        ),
        "fee": fee(0, 0, portal(code, decision, url, "miễn phí (chưa quy định)")),
        "annual_volume": volume(
            500000, estimated("Ước tính của nhóm phát triển; chưa có số liệu công bố")
        ),
        "delivery_level": "full_online",
        "notes": "Hai thời hạn: 03 ngày làm việc khi dữ liệu có trong CSDL, 07 ngày làm việc khi phải xác minh.",
        "sources": {
            "code": portal(code, decision, url),
            "agency": portal(
                code,
                decision,
                url,
                "Công an cấp xã nơi công dân đăng ký thường trú, tạm trú hoặc nơi ở hiện tại",
            ),
            "components": {
                "identity_request": portal(
                    code, decision, url, "Phiếu đề nghị giải quyết thủ tục về căn cước (Mẫu DC02)"
                ),
                "old_id_card": portal(
                    code, decision, url, "Giấy chứng minh nhân dân 09 số (nếu có)"
                ),
            },
        },
    }
    return {
        "slug": "xac-nhan-so-cmnd",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }
