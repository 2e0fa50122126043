"""Annotation inference: task kinds, actors and dossier components from labels.

A model drawn by someone else carries no ``tt:`` annotations. This module reads the
labels (Vietnamese with or without diacritics, or English), lane names and BPMN
element types and infers what each task does, who does it, whether the applicant
must be present, and which documents the data objects are, each with a confidence
in 0..1. An explicit annotation always wins with confidence 1.0.

Matching works on a normalised form of the label: Unicode NFD with combining marks
stripped, ``đ`` → ``d``, lower case, punctuation to spaces, so "Thẩm định hồ sơ" and
"Tham dinh ho so" match the same phrase. Phrases match on word boundaries.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .load import DataObject, Node

KINDS = (
    "submit",
    "receive",
    "verify",
    "appraise",
    "approve",
    "sign",
    "pay",
    "deliver_result",
    "handoff",
    "inspect",
    "other",
)

# Vietnamese names of the annotation vocabulary (docs/annotations.md), for reports.
ACTOR_VI = {
    "citizen": "người dân",
    "one_stop_desk": "bộ phận một cửa",
    "specialist": "chuyên viên",
    "leader": "lãnh đạo",
    "other_agency": "cơ quan khác",
    "system": "hệ thống",
}
PRESENCE_VI = {"none": "không", "required": "bắt buộc", "required_by_law": "luật yêu cầu"}
COPY_VI = {
    "original": "bản chính",
    "certified_copy": "bản sao có chứng thực",
    "copy": "bản sao",
    "electronic": "bản điện tử",
}

# Expected working time of a step, in minutes, when the model does not say
# (tt:step duration). Rough figures from the one-stop process descriptions of the
# 25 essential services; used for the critical path. Documented in docs/simplifier.md.
DEFAULT_DURATION_MIN = {
    "submit": 30,
    "receive": 30,
    "verify": 120,
    "appraise": 480,
    "approve": 60,
    "sign": 30,
    "pay": 10,
    "deliver_result": 30,
    "handoff": 240,
    "inspect": 480,
    "other": 60,
}
AUTOMATED_DURATION_MIN = 1  # service, script and business-rule tasks
AUTOMATED_TYPES = frozenset({"serviceTask", "scriptTask", "businessRuleTask", "sendTask"})


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower-case ASCII form of a Vietnamese or English label.

    >>> normalise("Thẩm định hồ sơ, ĐĂNG KÝ")
    'tham dinh ho so dang ky'
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^0-9a-zA-Z]+", " ", text.lower())
    return text.strip()


def _rx(phrases: list[str]) -> re.Pattern:
    alts = sorted((re.escape(normalise(p)) for p in phrases), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b")


# Kind rules, in priority order: the first that matches wins. Each has strong phrases
# (specific, several words) and weak ones (a single common word).
_KIND_RULES: list[tuple[str, list[str], list[str]]] = [
    (
        "inspect",
        [
            "kiểm tra thực địa",
            "kiểm tra hiện trường",
            "xác minh thực địa",
            "thẩm định thực tế",
            "kiểm tra thực tế",
            "kiểm tra hiện trạng",
            "khảo sát thực địa",
            "on-site inspection",
            "site visit",
            "site inspection",
            "inspect the premises",
        ],
        ["thực địa", "hiện trường", "hiện trạng", "khảo sát", "inspect", "inspection"],
    ),
    (
        "pay",
        [
            "nộp phí",
            "nộp lệ phí",
            "nộp tiền",
            "thanh toán",
            "đóng phí",
            "đóng lệ phí",
            "thu phí",
            "thu lệ phí",
            "pay the fee",
            "pay fee",
            "online payment",
        ],
        ["lệ phí", "phí", "pay", "payment", "fee"],
    ),
    (
        "deliver_result",
        [
            "trả kết quả",
            "thông báo kết quả",
            "trao kết quả",
            "trao giấy",
            "nhận kết quả",
            "giao kết quả",
            "gửi kết quả",
            "trả phiếu",
            "trả giấy",
            "phát hành kết quả",
            "chuyển phát kết quả",
            "deliver the result",
            "deliver result",
            "return the result",
            "return result",
            "send the result",
            "issue the certificate",
            "collect the result",
        ],
        ["kết quả", "trả", "trao", "result", "deliver", "issue"],
    ),
    (
        "handoff",
        [
            "chuyển hồ sơ",
            "luân chuyển",
            "bàn giao",
            "chuyển cho",
            "chuyển đến",
            "chuyển sang",
            "chuyển lên",
            "gửi hồ sơ",
            "chuyển phòng",
            "forward the dossier",
            "forward dossier",
            "hand over",
            "transfer the dossier",
            "transfer dossier",
            "route to",
        ],
        ["chuyển", "forward", "forwards", "handoff", "transfer", "transfers"],
    ),
    (
        "sign",
        [
            "ký số",
            "ký duyệt",
            "ký ban hành",
            "ký phiếu",
            "ký giấy",
            "ký quyết định",
            "digitally sign",
            "sign the",
        ],
        ["ký", "sign", "signs", "signed", "signature"],
    ),
    (
        "approve",
        [
            "phê duyệt",
            "trình lãnh đạo",
            "quyết định cấp",
            "lãnh đạo duyệt",
            "approve the",
            "grant approval",
        ],
        ["duyệt", "approve", "approves", "approved", "approval", "quyết định", "decide", "decides"],
    ),
    (
        "appraise",
        [
            "thẩm định",
            "xét duyệt",
            "xác định",
            "trích đo",
            "cấp mã số",
            "xem xét hồ sơ",
            "xử lý hồ sơ",
            "giải quyết hồ sơ",
            "xác minh",
            "lập phiếu",
            "appraise",
            "assess the",
            "review the application",
            "process the application",
            "evaluate the",
        ],
        [
            "xem xét",
            "xử lý",
            "giải quyết",
            "assess",
            "assesses",
            "review",
            "reviews",
            "evaluate",
            "evaluates",
            "appraisal",
        ],
    ),
    (
        "verify",
        [
            "kiểm tra hồ sơ",
            "kiểm tra tính hợp lệ",
            "kiểm tra tính đầy đủ",
            "đối chiếu",
            "xác nhận",
            "xác thực",
            "tra cứu",
            "kiểm tra giấy tờ",
            "check completeness",
            "check the documents",
            "verify the",
            "validate the",
        ],
        [
            "kiểm tra",
            "verify",
            "verifies",
            "check",
            "checks",
            "validate",
            "validates",
            "verification",
        ],
    ),
    (
        "receive",
        [
            "tiếp nhận hồ sơ",
            "tiếp nhận",
            "nhận hồ sơ",
            "receive the application",
            "receive the dossier",
            "receive application",
            "intake",
        ],
        ["receive", "nhận"],
    ),
    (
        "submit",
        [
            "nộp hồ sơ",
            "bổ sung hồ sơ",
            "bổ sung, hoàn thiện",
            "hoàn thiện hồ sơ",
            "bổ sung thông tin",
            "khai tờ khai",
            "điền tờ khai",
            "kê khai",
            "khai báo",
            "đăng ký trực tuyến",
            "điền thông tin",
            "lập tờ khai",
            "submit the application",
            "submit application",
            "file the application",
            "fill in the form",
            "fill in",
            "apply online",
        ],
        [
            "nộp",
            "khai",
            "bổ sung",
            "submit",
            "submits",
            "apply",
            "applies",
            "declare",
            "đăng ký",
            "register",
        ],
    ),
    (
        "other",
        [
            "xin lỗi",
            "hẹn lại",
            "cập nhật",
            "ghi nhận",
            "thông báo",
            "lấy thông tin",
            "chi trả",
            "lưu trữ hồ sơ",
            "lưu hồ sơ",
            "trả lời",
            "notify",
            "archive",
            "update the",
        ],
        [],
    ),
]


def _kind_text(text: str) -> str:
    # Without diacritics some words collide: "đăng ký" (register) is not "ký" (sign),
    # "kiểm tra" (check) is not "trả" (return), "chi trả" (pay out) is not "trả" either.
    return (
        normalise(text)
        .replace("dang ky", "dangky")
        .replace("kiem tra", "kiemtra")
        .replace("tra cuu", "tracuu")
        .replace("chi tra", "chitra")
    )


def _kind_rx(phrases: list[str]) -> re.Pattern:
    alts = sorted((re.escape(_kind_text(p)) for p in phrases), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b")


_STRONG = [(k, _kind_rx(strong)) for k, strong, _ in _KIND_RULES if strong]
_WEAK = [(k, _kind_rx(weak)) for k, _, weak in _KIND_RULES if weak]

_ACTOR_RULES: list[tuple[str, list[str]]] = [
    (
        "system",
        ["hệ thống", "tự động", "system", "automatic", "automated", "csdl", "cơ sở dữ liệu"],
    ),
    (
        "citizen",
        [
            "công dân",
            "người dân",
            "người nộp",
            "người yêu cầu",
            "người đề nghị",
            "tổ chức cá nhân",
            "tổ chức, cá nhân",
            "doanh nghiệp",
            "applicant",
            "citizen",
            "customer",
            "requester",
        ],
    ),
    (
        "one_stop_desk",
        [
            "một cửa",
            "bộ phận tiếp nhận",
            "tiếp nhận và trả kết quả",
            "trung tâm phục vụ hành chính công",
            "one-stop",
            "one stop",
            "front desk",
            "reception",
        ],
    ),
    (
        "leader",
        [
            "lãnh đạo",
            "giám đốc",
            "phó giám đốc",
            "chủ tịch",
            "trưởng phòng",
            "thủ trưởng",
            "leader",
            "director",
            "head of",
            "chairman",
            "manager",
        ],
    ),
    (
        "other_agency",
        [
            "cơ quan khác",
            "cơ quan phối hợp",
            "công an",
            "tòa án",
            "viện kiểm sát",
            "bảo hiểm xã hội",
            "other agency",
            "police",
            "court",
        ],
    ),
    (
        "specialist",
        [
            "chuyên viên",
            "cán bộ",
            "công chức",
            "phòng chuyên môn",
            "specialist",
            "officer",
            "clerk",
            "staff",
        ],
    ),
]
_ACTOR_PATTERNS = [(a, _rx(p)) for a, p in _ACTOR_RULES]
_DEFAULT_ACTOR = {
    "submit": "citizen",
    "pay": "citizen",
    "receive": "one_stop_desk",
    "deliver_result": "one_stop_desk",
    "handoff": "one_stop_desk",
    "verify": "specialist",
    "appraise": "specialist",
    "inspect": "specialist",
    "approve": "leader",
    "sign": "leader",
    "other": "specialist",
}

_PRESENCE_RX = _rx(
    [
        "trực tiếp",
        "tại bộ phận một cửa",
        "tại trụ sở",
        "xuất trình",
        "bản chính để đối chiếu",
        "đối chiếu bản chính",
        "vân tay",
        "ký vào sổ",
        "ký sổ",
        "có mặt",
        "đến nhận",
        "in person",
        "at the desk",
        "show the original",
        "present the original",
    ]
)
_ONLINE_RX = _rx(["trực tuyến", "online", "qua mạng", "điện tử", "bưu chính", "vneid", "post"])

# Document types (vocabulary of data/registries.json) recognised in data-object labels.
_DOC_RULES: list[tuple[str, list[str]]] = [
    (
        "criminal_record_certificate",
        ["phiếu lý lịch tư pháp", "lý lịch tư pháp", "criminal record"],
    ),
    (
        "marital_status_confirmation",
        ["xác nhận tình trạng hôn nhân", "tình trạng hôn nhân", "marital status"],
    ),
    (
        "marriage_certificate",
        ["giấy chứng nhận kết hôn", "đăng ký kết hôn", "marriage certificate"],
    ),
    ("death_certificate", ["trích lục khai tử", "giấy chứng tử", "khai tử", "death certificate"]),
    ("death_notice", ["giấy báo tử", "death notice"]),
    ("birth_notice", ["giấy chứng sinh", "birth notice"]),
    (
        "birth_certificate",
        ["giấy khai sinh", "trích lục khai sinh", "khai sinh", "birth certificate"],
    ),
    ("temporary_residence_book", ["sổ tạm trú", "temporary residence book"]),
    ("household_book", ["sổ hộ khẩu", "hộ khẩu", "household book", "household registration book"]),
    (
        "residence_confirmation",
        [
            "xác nhận thông tin về cư trú",
            "xác nhận cư trú",
            "xác nhận nơi cư trú",
            "chứng minh nơi cư trú",
            "chứng minh nơi thường trú",
            "chứng minh nơi tạm trú",
            "residence confirmation",
            "proof of residence",
        ],
    ),
    (
        "identity_card",
        [
            "căn cước công dân",
            "căn cước",
            "cccd",
            "cmnd",
            "chứng minh nhân dân",
            "chứng minh thư",
            "giấy tờ tùy thân",
            "giấy tờ tuỳ thân",
            "giấy tờ pháp lý của cá nhân",
            "identity card",
            "id card",
            "national id",
        ],
    ),
    ("passport", ["hộ chiếu", "passport"]),
    (
        "business_registration_certificate",
        [
            "giấy chứng nhận đăng ký doanh nghiệp",
            "đăng ký doanh nghiệp",
            "đăng ký kinh doanh",
            "business registration",
        ],
    ),
    ("insurance_book", ["sổ bảo hiểm xã hội", "sổ bhxh", "social insurance book"]),
    ("health_insurance_card", ["thẻ bảo hiểm y tế", "thẻ bhyt", "health insurance card"]),
    (
        "land_use_certificate",
        [
            "giấy chứng nhận quyền sử dụng đất",
            "quyền sử dụng đất",
            "sổ đỏ",
            "sổ hồng",
            "land use certificate",
            "land-use certificate",
        ],
    ),
    (
        "cadastral_extract",
        ["trích lục bản đồ địa chính", "trích lục địa chính", "trích đo", "cadastral"],
    ),
    (
        "tax_payment_proof",
        ["chứng từ nộp thuế", "biên lai nộp thuế", "nghĩa vụ tài chính", "chứng từ", "tax payment"],
    ),
    ("tax_registration", ["đăng ký thuế", "mã số thuế", "tax registration"]),
    (
        "vehicle_inspection_certificate",
        ["giấy chứng nhận kiểm định", "kiểm định", "inspection certificate"],
    ),
    ("vehicle_registration", ["giấy đăng ký xe", "đăng ký xe", "cà vẹt", "vehicle registration"]),
    (
        "driving_licence",
        ["giấy phép lái xe", "bằng lái", "driving licence", "driving license", "driver s license"],
    ),
    ("diploma", ["văn bằng", "bằng tốt nghiệp", "chứng chỉ", "diploma", "degree certificate"]),
    (
        "health_certificate",
        [
            "giấy khám sức khỏe",
            "giấy khám sức khoẻ",
            "khám sức khỏe",
            "health certificate",
            "medical certificate",
        ],
    ),
    (
        "power_of_attorney",
        ["văn bản ủy quyền", "giấy ủy quyền", "ủy quyền", "uỷ quyền", "power of attorney"],
    ),
    ("company_charter", ["điều lệ", "charter"]),
    (
        "member_list",
        ["danh sách thành viên", "danh sách cổ đông", "member list", "shareholder list"],
    ),
    ("construction_drawings", ["bản vẽ", "drawings", "design drawing"]),
    ("photo", ["ảnh chân dung", "ảnh", "hình thẻ", "photo", "photograph"]),
    (
        "declaration_form",
        [
            "tờ khai",
            "đơn đề nghị",
            "giấy đề nghị",
            "biên bản",
            "đơn xin",
            "đơn yêu cầu",
            "đơn đăng ký",
            "phiếu đề nghị",
            "phiếu yêu cầu",
            "declaration",
            "application form",
        ],
    ),
]
# Document types added to data/registries.json with the most-used procedures (issue 25,
# item 10). On a tie in position the longer phrase wins, so "hợp đồng thuê" still reads as
# a residence proof and "chứng minh nhân dân 09 số" as the old ID card.
_DOC_RULES += [
    ("old_id_card", ["chứng minh nhân dân 09 số", "cmnd 09 số", "old id card"]),
    (
        "vehicle_factory_certificate",
        ["phiếu kiểm tra chất lượng xuất xưởng", "chứng nhận nguồn gốc xe", "factory certificate"],
    ),
    ("e_invoice", ["hóa đơn điện tử", "hóa đơn bán xe", "hóa đơn bán hàng", "e-invoice"]),
    (
        "notarized_contract",
        ["hợp đồng bảo đảm", "hợp đồng thế chấp", "hợp đồng chuyển nhượng", "hợp đồng", "contract"],
    ),
    ("mortgagee_consent", ["đồng ý của bên nhận thế chấp", "bên nhận thế chấp", "mortgagee"]),
    (
        "employment_termination",
        ["chấm dứt hợp đồng lao động", "quyết định thôi việc", "termination of employment"],
    ),
    ("traffic_violation_notice", ["thông báo vi phạm", "violation notice"]),
    ("penalty_decision", ["quyết định xử phạt", "penalty decision"]),
    ("transport_business_licence", ["giấy phép kinh doanh vận tải", "transport licence"]),
    ("route_agreement", ["văn bản thống nhất", "bến xe hai đầu tuyến"]),
    (
        "temporary_absence_consent",
        ["văn bản đồng ý của cơ quan", "đồng ý của cơ quan có thẩm quyền"],
    ),
    (
        "priority_proof",
        [
            "đối tượng, khu vực ưu tiên",
            "đối tượng ưu tiên",
            "khu vực ưu tiên",
            "quyền lợi bhyt cao hơn",
        ],
    ),
    ("school_record", ["học bạ", "school record"]),
    ("guardian_proof", ["người đại diện hợp pháp", "legal guardian"]),
    ("legal_residence_proof", ["chỗ ở hợp pháp", "hợp đồng thuê", "lawful residence"]),
    ("residence_consent", ["đồng ý của chủ hộ", "ý kiến đồng ý của chủ hộ", "owner consent"]),
    (
        "declaration_form",
        [
            "giấy khai",
            "phiếu đăng ký",
            "phiếu thu nhận thông tin",
            "đề nghị hưởng",
            "đề nghị khai báo",
            "văn bản giải trình",
            "giấy đăng ký khai thác",
        ],
    ),
]
_DOC_PATTERNS = [(d, _rx(p)) for d, p in _DOC_RULES]

_COPY_RULES: list[tuple[str, list[str]]] = [
    (
        "certified_copy",
        [
            "bản sao có chứng thực",
            "bản sao chứng thực",
            "sao y",
            "certified copy",
            "notarised copy",
            "notarized copy",
        ],
    ),
    ("electronic", ["bản điện tử", "điện tử", "electronic", "e copy", "scan"]),
    ("copy", ["bản sao", "bản chụp", "bản photo", "photocopy", "copy"]),
    ("original", ["bản chính", "bản gốc", "original"]),
]
_COPY_PATTERNS = [(c, _rx(p)) for c, p in _COPY_RULES]

# Fields a document usually carries (vocabulary of data/registries.json), for
# components whose model does not list tt:field children.
DOC_FIELDS: dict[str, tuple[str, ...]] = {
    "identity_card": (
        "identity_number",
        "full_name",
        "date_of_birth",
        "sex",
        "nationality",
        "native_place",
        "permanent_address",
    ),
    "household_book": (
        "household_head",
        "household_relations",
        "permanent_address",
        "full_name",
        "date_of_birth",
    ),
    "temporary_residence_book": ("temporary_address", "full_name", "date_of_birth"),
    "residence_confirmation": (
        "permanent_address",
        "temporary_address",
        "current_address",
        "household_relations",
    ),
    "birth_certificate": (
        "full_name",
        "date_of_birth",
        "sex",
        "place_of_birth",
        "father_name",
        "mother_name",
        "birth_registration_number",
    ),
    "marriage_certificate": ("spouse_name", "marriage_registration_number", "marital_status"),
    "marital_status_confirmation": ("marital_status",),
    "death_certificate": ("full_name", "date_of_death", "death_registration_number"),
    "business_registration_certificate": (
        "enterprise_code",
        "enterprise_name",
        "enterprise_address",
        "legal_representative",
        "business_lines",
    ),
    "insurance_book": ("social_insurance_number", "contribution_history"),
    "health_insurance_card": ("health_insurance_card_number",),
    "land_use_certificate": (
        "land_parcel_number",
        "land_map_sheet",
        "land_area",
        "land_use_purpose",
        "land_owner",
        "land_certificate_number",
    ),
    "cadastral_extract": ("land_parcel_number", "land_map_sheet", "land_area"),
    "tax_registration": ("tax_code",),
    "vehicle_registration": ("vehicle_plate",),
    "vehicle_inspection_certificate": ("vehicle_plate", "vehicle_inspection_expiry"),
    "driving_licence": (
        "driving_licence_number",
        "driving_licence_class",
        "driving_licence_expiry",
    ),
    "diploma": ("diploma_number",),
    "health_certificate": ("health_check_result",),
    "criminal_record_certificate": ("criminal_record",),
    "passport": ("passport_number", "full_name", "date_of_birth"),
}


@dataclass(frozen=True)
class StepInfo:
    """What a task does (inferred or annotated)."""

    kind: str
    actor: str
    presence: str  # none | required | required_by_law
    duration_min: float
    citizen_min: float | None  # tt:step citizenTime, if given
    confidence: float  # 1.0 when annotated
    source: str  # "annotation" | "label" | "default"
    legal_basis: str = ""
    automated: bool = False


@dataclass(frozen=True)
class ComponentInfo:
    """A dossier component (thành phần hồ sơ), annotated or inferred."""

    key: str
    name: str
    code: str
    document_type: str | None
    copy: str  # original | certified_copy | copy | electronic
    required: bool
    fields: tuple[str, ...]
    legal_basis: str
    confidence: float
    source: str
    refs: tuple[str, ...] = field(default=())


def _earliest(patterns, text: str):
    """The value whose phrase starts first in ``text`` (longer, then earlier rule, on ties)."""
    best = None
    for rank, (value, rx) in enumerate(patterns):
        m = rx.search(text)
        if m and (best is None or (m.start(), -len(m.group()), rank) < best[0]):
            best = ((m.start(), -len(m.group()), rank), value)
    return best[1] if best else None


def _first(patterns, text: str):
    for value, rx in patterns:
        if rx.search(text):
            return value
    return None


@lru_cache(maxsize=65536)
def infer_kind(label: str) -> tuple[str, float]:
    """Infer a task kind from its label, with a confidence.

    >>> infer_kind("Thẩm định hồ sơ")
    ('appraise', 0.85)
    >>> infer_kind("Tham dinh ho so")
    ('appraise', 0.85)
    >>> infer_kind("Pay the fee")
    ('pay', 0.85)
    """
    text = _kind_text(label)
    if not text:
        return "other", 0.1
    # Vietnamese labels lead with their main verb ("Tiếp nhận, kiểm tra hồ sơ" receives):
    # the earliest phrase wins; on a tie the longer one, then the rule order.
    for patterns, confidence in ((_STRONG, 0.85), (_WEAK, 0.6)):
        best = None
        for rank, (kind, rx) in enumerate(patterns):
            m = rx.search(text)
            if m and (best is None or (m.start(), -len(m.group()), rank) < best[0]):
                best = ((m.start(), -len(m.group()), rank), kind)
        if best:
            return best[1], confidence
    return "other", 0.2


@lru_cache(maxsize=65536)
def infer_actor(text: str) -> str | None:
    """Actor named in a lane name, label or assignee, if any."""
    return _first(_ACTOR_PATTERNS, normalise(text)) if text else None


@lru_cache(maxsize=4096)
def parse_duration(value: str | None) -> float | None:
    """ISO 8601 duration to minutes (a day is 8 working hours, a week 5 days).

    >>> parse_duration("P1DT2H30M")
    630.0
    """
    if not value:
        return None
    m = re.fullmatch(
        r"P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?",
        value.strip().upper(),
    )
    if not m or value.strip().upper() in ("P", "PT"):
        return None
    w, d, h, mi, s = (float(x) if x else 0.0 for x in m.groups())
    return w * 5 * 480 + d * 480 + h * 60 + mi + s / 60


def step_info(node: Node, warnings: list[str] | None = None) -> StepInfo:
    """The kind, actor, presence and duration of one task; annotations win."""
    step = node.step
    automated = node.type in AUTOMATED_TYPES
    if step.get("kind"):
        kind, conf, source = step["kind"], 1.0, "annotation"
    elif automated:
        kind, conf = infer_kind(node.name)
        kind, conf, source = (kind, conf, "label") if kind != "other" else ("other", 0.9, "default")
    else:
        kind, conf = infer_kind(node.name)
        source = "label" if conf > 0.2 else "default"
    if step.get("actor"):
        actor = step["actor"]
    elif automated:
        actor = "system"
    else:
        # A label names the place as often as the person ("nộp hồ sơ tại bộ phận một
        # cửa"), so it is trusted for the actor only when the kind does not fix it.
        label_actor = None if kind in ("submit", "pay") else infer_actor(node.name)
        actor = (
            (node.lane_role if node.lane_role else None)
            or infer_actor(node.lane or "")
            or infer_actor(node.hints)
            or label_actor
            or _DEFAULT_ACTOR[kind]
        )
        if actor == "system" and node.type in ("userTask", "manualTask"):
            actor = _DEFAULT_ACTOR[kind]
        if not step.get("kind"):
            conf = round(conf * (1.0 if node.lane else 0.9), 2)
    if step.get("presence"):
        presence = step["presence"]
    elif automated:
        presence = "none"
    else:
        text = normalise(node.name)
        if kind == "inspect" or (_PRESENCE_RX.search(text) and not _ONLINE_RX.search(text)):
            presence = "required"  # an on-site inspection needs someone on site
        else:
            presence = "none"
    duration = parse_duration(step.get("duration"))
    if step.get("duration") and duration is None and warnings is not None:
        warnings.append(f"Bước {node.id}: thời lượng {step['duration']!r} không theo ISO 8601.")
    if duration is None:
        duration = AUTOMATED_DURATION_MIN if automated else DEFAULT_DURATION_MIN[kind]
    return StepInfo(
        kind=kind,
        actor=actor,
        presence=presence,
        duration_min=duration,
        citizen_min=parse_duration(step.get("citizenTime")),
        confidence=conf,
        source=source,
        legal_basis=step.get("legalBasis", ""),
        automated=automated,
    )


@lru_cache(maxsize=65536)
def infer_document(label: str) -> tuple[str | None, str | None, float]:
    """Document type and copy form named by a data-object label.

    >>> infer_document("Bản sao giấy khai sinh")
    ('birth_certificate', 'copy', 0.85)
    >>> infer_document("So ho khau")
    ('household_book', None, 0.85)
    """
    text = normalise(label)
    doc = _earliest(_DOC_PATTERNS, text)
    copy = _first(_COPY_PATTERNS, text)
    return doc, copy, (0.85 if doc else 0.0)


def component_info(do: DataObject) -> ComponentInfo | None:
    """The dossier component a data object stands for, or None if it is not one."""
    if do.is_store:
        return None
    comp = do.component or {}
    doc, copy, conf = infer_document(do.name)
    if comp:
        document_type = comp.get("documentType") or doc
        copy_form = comp.get("copy") or copy or "original"
        fields = tuple(comp.get("fields") or ()) or DOC_FIELDS.get(document_type or "", ())
        return ComponentInfo(
            key=do.key,
            name=do.name or comp.get("code") or do.key,
            code=comp.get("code") or do.key,
            document_type=document_type,
            copy=copy_form,
            required=(comp.get("required", "true").lower() != "false"),
            fields=fields,
            legal_basis=comp.get("legalBasis", ""),
            confidence=1.0,
            source="annotation",
            refs=tuple(do.refs),
        )
    if not doc:
        return None
    return ComponentInfo(
        key=do.key,
        name=do.name,
        code=do.key,
        document_type=doc,
        copy=copy or "original",
        required=True,
        fields=DOC_FIELDS.get(doc, ()),
        legal_basis="",
        confidence=conf if copy else round(conf * 0.9, 2),
        source="label",
        refs=tuple(do.refs),
    )
