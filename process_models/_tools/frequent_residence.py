"""Residence procedures people use most: temporary residence registration, temporary-absence
declaration and residence confirmation (Công an cấp xã, Luật Cư trú 2020)."""

from __future__ import annotations

from bpmn_builder import Boundary, Flow, Model, Node
from civil import COMMUNE_POLICE
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
from frequent_common import (
    cited,
    estimated,
    fee,
    pay_data,
    portal,
    standard,
    time_limit,
    volume,
)

CT_LAW = "Luật Cư trú 2020 (68/2020/QH14)"
TT53 = "Thông tư 53/2025/TT-BCA (mẫu CT01)"
TT55 = "Thông tư 55/2021/TT-BCA (sửa đổi bởi Thông tư 66/2023/TT-BCA và Thông tư 53/2025/TT-BCA)"
AGENCY_POLICE = "Công an cấp xã"

TAM_TRU = ("1.004194", "9354/QĐ-BCA-C06", "019d2bf7-770b-734d-b7fb-5e1995f194f4")
TAM_VANG = ("1.003677", "9354/QĐ-BCA-C06", "019d2bf7-6f56-704f-95b8-8d949272c6ad")
XAC_NHAN = ("1.010041", "9354/QĐ-BCA-C06", "019d2bf7-7f19-762d-be5e-741f71796016")

RESIDENCE_VOLUME_NOTE = (
    "Ước tính của nhóm phát triển; báo cáo của Bộ Thông tin và Truyền thông chỉ cho số hồ sơ "
    "thông báo lưu trú (4,92 triệu), không cho riêng thủ tục này"
)


def _prefill(lane: str = "citizen") -> Node:
    return service(
        "Task_Prefill",
        "Lấy thông tin công dân từ CSDL quốc gia về dân cư",
        lane,
        "population.lookup",
        {"identity_number": "applicant_id"},
        "citizen",
    )


def _police_sources(record: tuple[str, str, str], components: dict[str, str]) -> dict:
    code, decision, url = record
    return {
        "code": portal(code, decision, url),
        "agency": portal(code, decision, url, "cơ quan thực hiện: Công an cấp xã"),
        "components": {k: portal(code, decision, url, v) for k, v in components.items()},
    }


# -- Đăng ký tạm trú ----------------------------------------------------------------------
def dang_ky_tam_tru() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    code, decision, url = TAM_TRU
    declare = user(
        "Task_Declare",
        "Khai Tờ khai thay đổi thông tin cư trú (CT01) đăng ký tạm trú",
        c,
        "tamtru-to-khai",
        st(
            "submit",
            "citizen",
            "PT20M",
            legal=f"Khoản 1 Điều 28 {CT_LAW}; {TT53}",
            citizen_time="PT40M",
        ),
    )
    host = service(
        "Task_HostLookup",
        "Đối chiếu thông tin chủ hộ, chủ sở hữu chỗ ở trong CSDL quốc gia về dân cư",
        d,
        "population.lookup",
        {"identity_number": "host_identity_number"},
        "host",
        kind="verify",
    )
    pay = user(
        "Task_Pay",
        "Nộp lệ phí đăng ký tạm trú",
        c,
        "thanh-toan-le-phi",
        st("pay", "citizen", "PT5M", legal="Thông tư 75/2022/TT-BTC", citizen_time="PT10M"),
    )
    nodes, flows, boundaries = standard(
        start_name="Yêu cầu đăng ký tạm trú",
        head=[_prefill(), declare, host, pay],
        receive_name="Tiếp nhận, đối chiếu với CSDL dân cư, cư trú; cấp phiếu tiếp nhận (CT04)",
        receive_step=st("receive", "one_stop_desk", "PT20M", legal=f"Khoản 2 Điều 28 {CT_LAW}"),
        middle=[],
        appraise=user(
            "Task_Appraise",
            "Thẩm định điều kiện đăng ký tạm trú",
            s,
            "tham-dinh-ho-so",
            st("appraise", "specialist", "PT2H", legal=f"Điều 27 {CT_LAW}"),
        ),
        approve_question="Đủ điều kiện đăng ký tạm trú?",
        refused_name="Từ chối đăng ký tạm trú",
        tail=[
            user(
                "Task_Approve",
                "Phê duyệt đăng ký tạm trú",
                lead,
                "ky-duyet",
                st("approve", "leader", "PT30M"),
            ),
            user(
                "Task_Deliver",
                "Thông báo kết quả đăng ký tạm trú, cập nhật CSDL về cư trú",
                d,
                "tra-ket-qua",
                st("deliver_result", "one_stop_desk", "PT10M", legal=f"Khoản 3 Điều 28 {CT_LAW}"),
            ),
        ],
        result_value="registered",
        done_name="Đã đăng ký tạm trú",
        deadline="P3D",
    )
    components = [
        comp(
            "DOR_CT01",
            "Tờ khai thay đổi thông tin cư trú (mẫu CT01)",
            "residence_declaration",
            "declaration_form",
            "original",
            f"Điểm a khoản 1 Điều 28 {CT_LAW}; {TT53}",
            ["full_name", "identity_number", "temporary_address", "household_head"],
            ["Task_Receive", "Task_Appraise"],
            note="Người chưa thành niên: tờ khai ghi ý kiến đồng ý của cha, mẹ hoặc người giám hộ",
        ),
        comp(
            "DOR_ChoOHopPhap",
            "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",
            "legal_residence_proof",
            "legal_residence_proof",
            "copy",
            f"Điểm b khoản 1 Điều 28 {CT_LAW}; khoản 3 Điều 5 Nghị định 154/2024/NĐ-CP",
            ["temporary_address", "land_owner", "land_certificate_number"],
            ["Task_Appraise"],
            note="Không phải xuất trình khi khai thác được trong CSDL đất đai, CSDL dân cư, cư "
            "trú, căn cước điện tử hoặc Kho dữ liệu điện tử (bản ghi TTHC 1.004194)",
        ),
        comp(
            "DOR_DongY",
            "Ý kiến đồng ý của chủ hộ, chủ sở hữu chỗ ở hợp pháp",
            "owner_consent",
            "residence_consent",
            "original",
            f"Khoản 1 Điều 28 {CT_LAW}; {TT53}",
            [],
            ["Task_Appraise"],
            note="Ghi trên tờ khai CT01 hoặc xác nhận điện tử của chủ hộ qua VNeID",
        ),
    ]
    model = Model(
        "dang_ky_tam_tru",
        "Đăng ký tạm trú",
        "Công an cấp xã — Đăng ký tạm trú",
        code,
        COMMUNE_POLICE,
        nodes,
        flows,
        boundaries,
        components,
        tag="TAMTRU",
    )
    forms = {
        "tamtru-to-khai": form(
            "tamtru-to-khai",
            "Tờ khai thay đổi thông tin cư trú (CT01) — đăng ký tạm trú",
            {
                **person_block("citizen"),
                "phone": pf("Số điện thoại", "population", "phone", "citizen"),
                "new_temporary_address": text("Địa chỉ đề nghị đăng ký tạm trú"),
                "stay_until": date("Thời hạn tạm trú đến ngày"),
                "residence_case": {
                    "type": "string",
                    "title": "Chỗ ở hợp pháp",
                    "enum": [
                        "Thuê, mượn, ở nhờ chỗ ở hợp pháp",
                        "Chỗ ở thuộc quyền sở hữu của mình",
                        "Về ở với người thân (vợ, chồng, con, cha, mẹ…)",
                    ],
                },
                "host_identity_number": {
                    "type": "string",
                    "title": "Số định danh cá nhân của chủ hộ, chủ sở hữu chỗ ở",
                    "pattern": "^[0-9]{12}$",
                },
                "owner_consent": {
                    "type": "boolean",
                    "title": "Chủ hộ, chủ sở hữu chỗ ở đã đồng ý",
                    "const": True,
                },
                "legal_residence_file": attachment(
                    "Giấy tờ chứng minh chỗ ở hợp pháp (khi không khai thác được trong CSDL)",
                    "legal_residence_proof",
                ),
            },
            [
                "new_temporary_address",
                "stay_until",
                "residence_case",
                "host_identity_number",
                "owner_consent",
            ],
            "Thông tin nhân thân lấy từ CSDL quốc gia về dân cư; chủ hộ xác nhận đồng ý.",
        ),
    }
    declare_data = {
        "new_temporary_address": "Số 42, Đường Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh",
        "stay_until": "2028-12-31",
        "residence_case": "Thuê, mượn, ở nhờ chỗ ở hợp pháp",
        "host_identity_number": "079185001234",
        "owner_consent": True,
    }
    start = {"channel": "online", "data": {"applicant_id": "001205000123"}}
    examples = {
        "thue-nha-tai-tphcm": {
            "name": "Sinh viên thuê nhà tại Phường Bến Thành, chủ nhà đồng ý trên VNeID",
            "applicant": "001205000123",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare_data},
                {"task": "Task_Pay", "data": pay_data("PAY-2026-TT-0412", 7000)},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Appraise", "data": {"approved": True}},
                {"task": "Task_Approve", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {
                    "result": "registered",
                    "host": {"full_name": "Lê Thị Cúc"},
                    "citizen": {"full_name": "Đặng Quốc Huy"},
                },
                "completed_tasks": ["Task_Declare", "Task_HostLookup", "Task_Pay", "Task_Deliver"],
            },
        },
        "bo-sung-roi-tu-choi": {
            "name": "Thiếu giấy tờ chỗ ở, bổ sung; quá hạn; chỗ ở không đủ điều kiện",
            "applicant": "001205000123",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare_data},
                {"task": "Task_Pay", "data": pay_data("PAY-2026-TT-0413", 7000)},
                {
                    "task": "Task_Receive",
                    "data": {
                        "dossier_valid": False,
                        "missing_items": "Hợp đồng thuê nhà (chỗ ở chưa có trong CSDL đất đai)",
                    },
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Đã tải lên hợp đồng thuê nhà"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P4D"},
                {
                    "task": "Task_Apology",
                    "data": {"delay_reason": "Chờ xác minh chỗ ở", "new_appointment": "2026-12-14"},
                },
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Chỗ ở thuộc địa điểm không được đăng ký cư trú mới (Điều 23 Luật Cư trú)",
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
        "code": code,
        "name": {"vi": "Đăng ký tạm trú", "en": "Temporary residence registration"},
        "agency_level": "commune",
        "agency": AGENCY_POLICE,
        "field": "Đăng ký, quản lý cư trú",
        "legal_basis": [
            f"{CT_LAW} (Điều 27, 28)",
            "Nghị định 154/2024/NĐ-CP",
            TT55,
            "Thông tư 53/2025/TT-BCA; Thông tư 54/2025/TT-BCA (quy trình đăng ký cư trú)",
            "Thông tư 75/2022/TT-BTC (lệ phí đăng ký cư trú)",
            "Nghị quyết 66.7/2025/NQ-CP (cắt giảm giấy tờ dựa trên dữ liệu)",
        ],
        "processing_time": time_limit(
            3,
            True,
            portal(
                code,
                decision,
                url,
                "03 ngày làm việc (trực tuyến và trực tiếp); khoản 3 Điều 28 Luật Cư trú 2020",
            ),
        ),
        "fee": fee(
            15000,
            7000,
            cited(
                "Thông tư 75/2022/TT-BTC, biểu mức thu lệ phí đăng ký cư trú, mục 2 (đăng ký tạm trú, "
                "gia hạn tạm trú của cá nhân, hộ gia đình): 15.000 đồng/lần nộp trực tiếp, 7.000 "
                "đồng/lần nộp trực tuyến (biểu đăng tại Cổng phổ biến pháp luật tỉnh Quảng Ninh); "
                "bản ghi TTHC 1.004194 (Quyết định 9354/QĐ-BCA-C06) ghi cùng mức 7.000 đồng trực "
                "tuyến và dẫn chiếu Thông tư 75/2022/TT-BTC; bản ghi 1.004222 (Quyết định "
                "1523/QĐ-BCA-C06) dẫn Thông tư 75/2022/TT-BTC sửa đổi bởi Thông tư 71/2025/TT-BTC "
                "với mức đăng ký thường trú không đổi (20.000/10.000 đồng)",
                "https://pbgdpl.quangninh.gov.vn/thong-tu-so-75-2022-tt-btc-quy-dinh-muc-thu-che-do-"
                "thu-nop-va-quan-ly-le-phi-dang-ky-cu-tru/",
            ),
        ),
        "annual_volume": volume(2000000, estimated(RESIDENCE_VOLUME_NOTE)),
        "delivery_level": "full_online",
        "sources": _police_sources(
            TAM_TRU,
            {
                "residence_declaration": "Tờ khai thay đổi thông tin cư trú (Mẫu CT01, Thông tư 53/2025/TT-BCA)",
                "legal_residence_proof": "thông tin chứng minh chỗ ở hợp pháp khai thác trong CSDL; không khai thác được thì xuất trình giấy tờ theo khoản 3 Điều 5 Nghị định 154/2024/NĐ-CP",
                "owner_consent": "ý kiến đồng ý của chủ hộ, chủ sở hữu chỗ ở (khoản 2 Điều 20 Luật Cư trú)",
            },
        ),
    }
    return {
        "slug": "dang-ky-tam-tru",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


# -- Khai báo tạm vắng ---------------------------------------------------------------------
def khai_bao_tam_vang() -> dict:
    c, d, s = "citizen", "one_stop_desk", "specialist"
    code, decision, url = TAM_VANG
    nodes, flows, boundaries = standard(
        start_name="Khai báo tạm vắng",
        head=[
            _prefill(),
            user(
                "Task_Declare",
                "Khai báo tạm vắng: lý do, thời gian, địa chỉ nơi đến",
                c,
                "tamvang-khai-bao",
                st(
                    "submit",
                    "citizen",
                    "PT10M",
                    legal=f"Khoản 1, 2 Điều 31 {CT_LAW}",
                    citizen_time="PT20M",
                ),
            ),
        ],
        receive_name="Tiếp nhận khai báo tạm vắng, kiểm tra trong CSDL về cư trú",
        receive_step=st("receive", "one_stop_desk", "PT15M", legal=f"Khoản 3 Điều 31 {CT_LAW}"),
        middle=[],
        appraise=user(
            "Task_Appraise",
            "Kiểm tra hồ sơ: trường hợp phải khai, văn bản đồng ý của cơ quan quản lý (nếu có)",
            s,
            "tham-dinh-ho-so",
            st("verify", "specialist", "PT1H", legal=f"Khoản 1, 3 Điều 31 {CT_LAW}"),
        ),
        approve_question="Khai báo hợp lệ?",
        refused_name="Từ chối tiếp nhận khai báo tạm vắng",
        tail=[
            user(
                "Task_Issue",
                "Ký Phiếu khai báo tạm vắng (CT03), cập nhật CSDL về cư trú",
                s,
                "tamvang-phieu",
                st("sign", "specialist", "PT15M", legal=f"Khoản 3 Điều 31 {CT_LAW}"),
            ),
            user(
                "Task_Deliver",
                "Trả Phiếu khai báo tạm vắng",
                d,
                "tra-ket-qua",
                st("deliver_result", "one_stop_desk", "PT5M"),
            ),
        ],
        result_value="declared",
        done_name="Đã khai báo tạm vắng",
        deadline="P1D",
    )
    components = [
        comp(
            "DOR_DeNghi",
            "Đề nghị khai báo tạm vắng (họ tên, số định danh, lý do, thời gian, nơi đến)",
            "absence_declaration",
            "declaration_form",
            "original",
            f"Khoản 2 Điều 31 {CT_LAW}",
            ["full_name", "identity_number", "permanent_address"],
            ["Task_Receive", "Task_Appraise"],
        ),
        comp(
            "DOR_VanBanDongY",
            "Văn bản đồng ý của cơ quan có thẩm quyền giám sát, quản lý, giáo dục người đó",
            "supervisor_consent",
            "temporary_absence_consent",
            "original",
            f"Điểm a, b khoản 1 Điều 31 {CT_LAW}; bản ghi TTHC 1.003677",
            ["full_name", "identity_number"],
            ["Task_Appraise"],
            required=False,
            note="Chỉ với bị can, bị cáo tại ngoại, người đang chấp hành án, người bị áp dụng biện pháp quản lý (điểm a, b khoản 1 Điều 31)",
        ),
    ]
    model = Model(
        "khai_bao_tam_vang",
        "Khai báo tạm vắng",
        "Công an cấp xã — Khai báo tạm vắng",
        code,
        COMMUNE_POLICE[:3],
        nodes,
        flows,
        boundaries,
        components,
        tag="TAMVANG",
    )
    forms = {
        "tamvang-khai-bao": form(
            "tamvang-khai-bao",
            "Khai báo tạm vắng",
            {
                **person_block("citizen", who="người khai báo tạm vắng"),
                "absence_case": {
                    "type": "string",
                    "title": "Trường hợp khai báo (khoản 1 Điều 31 Luật Cư trú)",
                    "enum": [
                        "Đi khỏi phạm vi cấp xã nơi cư trú từ 12 tháng trở lên (điểm d)",
                        "Người trong độ tuổi nghĩa vụ quân sự đi khỏi huyện/xã từ 03 tháng (điểm c)",
                        "Bị can, bị cáo, người chấp hành án đi khỏi nơi cư trú (điểm a, b)",
                    ],
                },
                "absence_reason": text("Lý do tạm vắng"),
                "absence_from": date("Tạm vắng từ ngày"),
                "absence_until": date("Đến ngày"),
                "destination_address": text("Địa chỉ nơi đến"),
                "consent_file": attachment(
                    "Văn bản đồng ý của cơ quan giám sát, quản lý (điểm a, b)",
                    "supervisor_consent",
                ),
            },
            [
                "absence_case",
                "absence_reason",
                "absence_from",
                "absence_until",
                "destination_address",
            ],
        ),
        "tamvang-phieu": form(
            "tamvang-phieu",
            "Phiếu khai báo tạm vắng (CT03)",
            {"absence_slip_number": text("Số Phiếu khai báo tạm vắng")},
            ["absence_slip_number"],
        ),
    }
    declare_data = {
        "absence_case": "Đi khỏi phạm vi cấp xã nơi cư trú từ 12 tháng trở lên (điểm d)",
        "absence_reason": "Đi làm việc theo hợp đồng tại Thành phố Đà Nẵng",
        "absence_from": "2026-12-15",
        "absence_until": "2028-02-15",
        "destination_address": "Số 7, Đường Phan Chu Trinh, Phường Hải Châu, Thành phố Đà Nẵng",
    }
    start = {"channel": "online", "data": {"applicant_id": "036060001357"}}
    examples = {
        "di-lam-xa-14-thang": {
            "name": "Đi làm việc ở tỉnh khác 14 tháng, khai báo qua VNeID",
            "applicant": "036060001357",
            "start": start,
            "steps": [
                {"task": "Task_Declare", "data": declare_data},
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Appraise", "data": {"approved": True}},
                {"task": "Task_Issue", "data": {"absence_slip_number": "CT03-2026-000188"}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "declared", "absence_slip_number": "CT03-2026-000188"},
                "completed_tasks": ["Task_Declare", "Task_Issue", "Task_Deliver"],
            },
        },
        "thieu-van-ban-dong-y": {
            "name": "Người bị quản lý thiếu văn bản đồng ý, bổ sung; quá hạn; không được đi",
            "applicant": "036060001357",
            "start": start,
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": dict(
                        declare_data,
                        absence_case="Bị can, bị cáo, người chấp hành án đi khỏi nơi cư trú (điểm a, b)",
                    ),
                },
                {
                    "task": "Task_Receive",
                    "data": {
                        "dossier_valid": False,
                        "missing_items": "Văn bản đồng ý của cơ quan quản lý",
                    },
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Nộp văn bản của cơ quan thi hành án"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P2D"},
                {
                    "task": "Task_Apology",
                    "data": {
                        "delay_reason": "Chờ xác minh văn bản đồng ý",
                        "new_appointment": "2026-12-10",
                    },
                },
                {
                    "task": "Task_Appraise",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Cơ quan quản lý không đồng ý cho đi khỏi nơi cư trú",
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
        "code": code,
        "name": {"vi": "Khai báo tạm vắng", "en": "Temporary absence declaration"},
        "agency_level": "commune",
        "agency": AGENCY_POLICE,
        "field": "Đăng ký, quản lý cư trú",
        "legal_basis": [f"{CT_LAW} (Điều 31)", TT55, "Thông tư 54/2025/TT-BCA"],
        "processing_time": time_limit(
            1,
            True,
            portal(
                code,
                decision,
                url,
                "01 ngày làm việc; trường hợp phức tạp không quá 02 ngày làm việc",
            ),
        ),
        "fee": fee(0, 0, portal(code, decision, url, "không thu phí, lệ phí")),
        "annual_volume": volume(
            300000, estimated("Ước tính của nhóm phát triển; chưa có số liệu công bố")
        ),
        "delivery_level": "full_online",
        "sources": _police_sources(
            TAM_VANG,
            {
                "absence_declaration": "đề nghị khai báo tạm vắng / nội dung khai báo (khoản 2 Điều 31 Luật Cư trú)",
                "supervisor_consent": "văn bản đồng ý của cơ quan có thẩm quyền giám sát, quản lý, giáo dục (điểm a, b khoản 1 Điều 31)",
            },
        ),
    }
    return {
        "slug": "khai-bao-tam-vang",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }


# -- Xác nhận thông tin về cư trú ----------------------------------------------------------
def xac_nhan_thong_tin_cu_tru() -> dict:
    c, d, s, lead = "citizen", "one_stop_desk", "specialist", "leader"
    code, decision, url = XAC_NHAN
    intake_nodes, intake_flows = intake(
        desk=d,
        citizen=c,
        after="Task_CheckDatabase",
        next_="Gateway_InDatabase",
        receive_name="Tiếp nhận yêu cầu xác nhận thông tin về cư trú",
        receive_step=st("receive", "one_stop_desk", "PT10M", legal=f"Khoản 1 Điều 17 {TT55}"),
    )
    nodes = [
        Node("Start_Request", "start", "Yêu cầu xác nhận thông tin về cư trú", c),
        _prefill(),
        user(
            "Task_Declare",
            "Kê khai yêu cầu trên biểu mẫu điện tử (thay CT01): nội dung, thời kỳ cần xác nhận",
            c,
            "xncutru-yeu-cau",
            st(
                "submit",
                "citizen",
                "PT5M",
                legal=f"{TT53}; bản ghi TTHC 1.010041",
                citizen_time="PT10M",
            ),
        ),
        script(
            "Task_CheckDatabase",
            "So khớp thời kỳ yêu cầu với dữ liệu cư trú trong CSDL",
            d,
            'earliest = "9999-12"\n'
            'for period in citizen["residence_history"]:\n'
            '    if period["from"] < earliest:\n'
            '        earliest = period["from"]\n'
            "info_in_database = confirm_from[0:7] >= earliest",
        ),
        *intake_nodes,
        Node("Gateway_InDatabase", "xor", "Thông tin đã có trong CSDL?", d),
        user(
            "Task_Confirm",
            "Soạn văn bản CT07 từ dữ liệu cư trú trong CSDL",
            s,
            "xncutru-lap",
            st("other", "specialist", "PT30M", legal=f"Khoản 3 Điều 17 {TT55}: 01 ngày làm việc"),
        ),
        user(
            "Task_Verify",
            "Xác minh thông tin cư trú chưa có trong CSDL (trao đổi với nơi cư trú trước đây)",
            s,
            "tham-dinh-ho-so",
            st(
                "appraise",
                "specialist",
                "P2D",
                legal=f"Khoản 3 Điều 17 {TT55}: 03 ngày làm việc khi cần xác minh",
            ),
        ),
        Node("Gateway_Verified", "xor", "Xác minh được?", s),
        script(
            "Task_Refused", "Trả lời bằng văn bản, nêu rõ lý do từ chối", s, 'result = "refused"'
        ),
        Node("End_Refused", "end", "Từ chối xác nhận", s),
        Node("Gateway_Sign", "xor", "", lead),
        user(
            "Task_Approve",
            "Ký số xác nhận thông tin về cư trú",
            lead,
            "ky-duyet",
            st("sign", "leader", "PT15M"),
        ),
        user(
            "Task_Deliver",
            "Trả kết quả: văn bản CT07 điện tử qua VNeID, Cổng Dịch vụ công",
            d,
            "tra-ket-qua",
            st("deliver_result", "one_stop_desk", "PT5M"),
        ),
        script("Task_Result", "Cập nhật kết quả giải quyết", d, 'result = "confirmed"'),
        Node("End_Done", "end", "Đã xác nhận thông tin về cư trú", d),
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
            "Gửi văn bản xin lỗi, hẹn lại ngày trả kết quả (quá 03 ngày xác minh)",
            d,
            "xin-loi-qua-han",
            st("other", "one_stop_desk", "PT30M", legal=APOLOGY_BASIS),
        ),
        Node("End_ApologyVerify", "end", "Đã hẹn lại ngày trả", d),
    ]
    flows = [
        *seq("Start_Request", "Task_Prefill", "Task_Declare", "Task_CheckDatabase"),
        *intake_flows,
        Flow("Gateway_InDatabase", "Task_Confirm", "Có trong CSDL", "info_in_database == True"),
        Flow("Gateway_InDatabase", "Task_Verify", "Cần xác minh", "info_in_database == False"),
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
        Boundary("Timer_Deadline", "Quá 01 ngày làm việc", "Task_Confirm", '"P1D"'),
        Boundary("Timer_Verify", "Quá 03 ngày làm việc", "Task_Verify", '"P3D"'),
    ]
    components = [
        comp(
            "DOR_CT01",
            "Tờ khai thay đổi thông tin cư trú (mẫu CT01) — nộp trực tuyến thì khai biểu mẫu điện tử, không đính kèm",
            "residence_declaration",
            "declaration_form",
            "electronic",
            f"{TT53}; bản ghi TTHC 1.010041",
            ["full_name", "identity_number", "permanent_address"],
            ["Task_Receive"],
        ),
    ]
    model = Model(
        "xac_nhan_thong_tin_cu_tru",
        "Xác nhận thông tin về cư trú",
        "Công an cấp xã — Xác nhận thông tin về cư trú",
        code,
        COMMUNE_POLICE,
        nodes,
        flows,
        boundaries,
        components,
        tag="XNCT",
    )
    forms = {
        "xncutru-yeu-cau": form(
            "xncutru-yeu-cau",
            "Yêu cầu xác nhận thông tin về cư trú",
            {
                **person_block("citizen"),
                "confirm_scope": {
                    "type": "string",
                    "title": "Nội dung cần xác nhận",
                    "enum": [
                        "Nơi cư trú hiện tại",
                        "Quá trình cư trú (các nơi cư trú trước đây)",
                        "Thông tin cư trú của hộ gia đình",
                    ],
                },
                "confirm_from": date("Xác nhận từ ngày"),
                "purpose": text("Mục đích sử dụng"),
            },
            ["confirm_scope", "confirm_from", "purpose"],
            "Biểu mẫu điện tử thay tờ khai CT01 khi nộp trực tuyến (bản ghi TTHC 1.010041).",
        ),
        "xncutru-lap": form(
            "xncutru-lap",
            "Lập xác nhận thông tin về cư trú (CT07)",
            {"confirmation_number": text("Số văn bản xác nhận (CT07)")},
            ["confirmation_number"],
        ),
    }
    start = {"channel": "online", "data": {"applicant_id": "001090012345"}}
    examples = {
        "co-trong-csdl": {
            "name": "Xác nhận quá trình cư trú từ 2015, dữ liệu có trong CSDL: 01 ngày",
            "applicant": "001090012345",
            "start": start,
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": {
                        "confirm_scope": "Quá trình cư trú (các nơi cư trú trước đây)",
                        "confirm_from": "2015-01-01",
                        "purpose": "Bổ sung hồ sơ vay vốn ngân hàng",
                    },
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Confirm", "data": {"confirmation_number": "CT07-2026-004512"}},
                {"task": "Task_Approve", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "confirmed", "info_in_database": True},
                "completed_tasks": [
                    "Task_CheckDatabase",
                    "Task_Confirm",
                    "Task_Approve",
                    "Task_Deliver",
                ],
            },
        },
        "can-xac-minh-qua-han": {
            "name": "Xác nhận từ năm 1998 (trước dữ liệu trong CSDL): xác minh quá 03 ngày, xin lỗi",
            "applicant": "001090012345",
            "start": start,
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": {
                        "confirm_scope": "Quá trình cư trú (các nơi cư trú trước đây)",
                        "confirm_from": "1998-01-01",
                        "purpose": "Hồ sơ xét công nhận thời gian cư trú",
                    },
                },
                {
                    "task": "Task_Receive",
                    "data": {"dossier_valid": False, "missing_items": "Ghi rõ nơi cư trú năm 1998"},
                },
                {
                    "task": "Task_Supplement",
                    "data": {"supplement_note": "Nơi cư trú năm 1998: Xã Gia Lâm, Hà Nội"},
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P4D"},
                {
                    "task": "Task_ApologyVerify",
                    "data": {
                        "delay_reason": "Chờ Công an nơi cư trú cũ trả lời xác minh",
                        "new_appointment": "2026-12-15",
                    },
                },
                {
                    "task": "Task_Verify",
                    "data": {
                        "approved": False,
                        "refusal_reason": "Không còn hồ sơ hộ khẩu giai đoạn 1998–2004",
                    },
                },
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "refused", "info_in_database": False},
                "completed_tasks": ["Task_Supplement", "Task_ApologyVerify", "Task_Verify"],
            },
        },
        "xac-minh-duoc": {
            "name": "Cần xác minh, xác minh được trong hạn",
            "applicant": "001090012345",
            "start": start,
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": {
                        "confirm_scope": "Quá trình cư trú (các nơi cư trú trước đây)",
                        "confirm_from": "2000-06-01",
                        "purpose": "Hồ sơ xin việc",
                    },
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"task": "Task_Verify", "data": {"approved": True}},
                {"task": "Task_Approve", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "confirmed", "info_in_database": False},
                "completed_tasks": ["Task_Verify", "Task_Approve", "Task_Deliver"],
            },
        },
        "co-trong-csdl-qua-han": {
            "name": "Có trong CSDL nhưng quá 01 ngày làm việc: xin lỗi, hẹn lại",
            "applicant": "001090012345",
            "start": start,
            "steps": [
                {
                    "task": "Task_Declare",
                    "data": {
                        "confirm_scope": "Nơi cư trú hiện tại",
                        "confirm_from": "2020-01-01",
                        "purpose": "Nộp hồ sơ nhập học cho con",
                    },
                },
                {"task": "Task_Receive", "data": {"dossier_valid": True}},
                {"fire_timers": "P2D"},
                {
                    "task": "Task_Apology",
                    "data": {"delay_reason": "Hệ thống gián đoạn", "new_appointment": "2026-12-09"},
                },
                {"task": "Task_Confirm", "data": {"confirmation_number": "CT07-2026-004513"}},
                {"task": "Task_Approve", "data": {"signed": True}},
                {"task": "Task_Deliver", "data": {"delivery_method": "Trực tuyến"}},
            ],
            "expect": {
                "status": "completed",
                "data": {"result": "confirmed"},
                "completed_tasks": ["Task_Apology", "Task_Confirm"],
            },
        },
    }
    procedure = {
        "code": code,
        "name": {"vi": "Xác nhận thông tin về cư trú", "en": "Residence information confirmation"},
        "agency_level": "commune",
        "agency": AGENCY_POLICE,
        "field": "Đăng ký, quản lý cư trú",
        "legal_basis": [f"{CT_LAW} (Điều 19)", f"{TT55} (Điều 17)", "Thông tư 54/2025/TT-BCA"],
        "processing_time": time_limit(
            1,
            True,
            portal(
                code,
                decision,
                url,
                "01 ngày làm việc khi thông tin có trong CSDL quốc gia về dân cư; 03 ngày làm việc "
                "khi cần xác minh (khoản 3 Điều 17 Thông tư 55/2021/TT-BCA, sửa đổi bởi Thông tư "
                "66/2023/TT-BCA). Trang thủ tục cũ (ma_thu_tuc=273057) từng niêm yết 0,5 ngày làm "
                "việc; bản ghi hiện hành ghi 01 ngày",
            ),
        ),
        "fee": fee(0, 0, portal(code, decision, url, "miễn phí")),
        "annual_volume": volume(1500000, estimated(RESIDENCE_VOLUME_NOTE)),
        "delivery_level": "full_online",
        "notes": "Hai nhánh thời hạn: 01 ngày làm việc khi dữ liệu đã có trong CSDL, 03 ngày làm "
        "việc khi phải xác minh; mô hình hóa bằng hai bộ đếm thời hạn riêng.",
        "sources": _police_sources(
            XAC_NHAN,
            {
                "residence_declaration": "Tờ khai CT01 (Thông tư 53/2025/TT-BCA); nộp trực tuyến thì khai biểu mẫu điện tử, không đính kèm CT01"
            },
        ),
    }
    return {
        "slug": "xac-nhan-thong-tin-cu-tru",
        "model": model,
        "procedure": procedure,
        "forms": forms,
        "examples": examples,
    }
