from make import Model


def step(kind, actor, presence="none", legal=None):
    lb = f' legalBasis="{legal}"' if legal else ""
    return f'<tt:step kind="{kind}" actor="{actor}" presence="{presence}"{lb} />'


def comp(code, dt, copy, fields=(), legal=None):
    lb = f' legalBasis="{legal}"' if legal else ""
    f = "".join(f'<tt:field name="{x}" />' for x in fields)
    return f'<tt:component code="{code}" documentType="{dt}" copy="{copy}" required="true"{lb}>{f}</tt:component>'


def proc(code):
    return f'<tt:procedure code="{code}" />'


UT, T, ST, SC = "userTask", "task", "serviceTask", "scriptTask"
NOEV = (
    "no annotation and no registry data: inference from the label only, at most a to-review finding"
)
ID = ("identity_number", "full_name", "date_of_birth", "permanent_address")
MODELS = []
add = MODELS.append

# 1 Camunda 7, birth registration, annotated
add(
    Model(
        "01_camunda_khai_sinh_tt.bpmn",
        "camunda",
        "Đăng ký khai sinh",
        "Process_KhaiSinh",
        procext=proc("1.001193"),
        tasks=[
            (
                "submit",
                UT,
                "Nộp hồ sơ đăng ký khai sinh tại Bộ phận Một cửa",
                step("submit", "citizen", "required"),
                'camunda:assignee="nguoi_dan"',
            ),
            (
                "handoff",
                UT,
                "Chuyển hồ sơ cho công chức tư pháp - hộ tịch",
                step("handoff", "one_stop_desk"),
                'camunda:candidateGroups="mot_cua"',
            ),
            (
                "verify",
                UT,
                "Kiểm tra hồ sơ, tra cứu Cơ sở dữ liệu hộ tịch",
                step("verify", "specialist"),
                'camunda:candidateGroups="tu_phap"',
            ),
            ("sign", UT, "Chủ tịch UBND xã ký Giấy khai sinh", step("sign", "leader"), ""),
            (
                "deliver",
                UT,
                "Trả Giấy khai sinh tại Bộ phận Một cửa",
                step("deliver_result", "one_stop_desk", "required"),
                "",
            ),
        ],
        data=[
            (
                "gcs",
                "Giấy chứng sinh",
                comp(
                    "giay_chung_sinh", "birth_notice", "original", legal="Điều 16 Luật Hộ tịch 2014"
                ),
                {"r": ["verify"]},
            ),
            (
                "cccd",
                "Bản sao CCCD của cha, mẹ",
                comp("cccd_cha_me", "identity_card", "copy", ID),
                {"r": ["verify"]},
            ),
            (
                "gcnkh",
                "Giấy chứng nhận kết hôn của cha, mẹ",
                comp("ket_hon_cha_me", "marriage_certificate", "copy"),
                {"r": ["verify"]},
            ),
        ],
        accept=[
            (
                "drop_component",
                "cccd",
                "population",
                "Identity data of the parents are in the population database (connected, scope published: data/registries.json); Resolution 66.7/2025.",
            ),
            (
                "drop_component",
                "gcnkh",
                None,
                "Abolished by Decree 07/2025/NĐ-CP (Art. 3(5), amending Decree 123/2015): the officer looks the marriage up; the legal basis is the decree, not a database finding.",
            ),
            (
                "remove_step",
                "handoff",
                None,
                "Annotated hand-off between desks; the procedure information system routes the dossier.",
            ),
            (
                "move_online",
                "submit",
                None,
                "Submission annotated presence=required (not by law): online submission (Decree 42/2022 Art. 11).",
            ),
            (
                "move_online",
                "deliver",
                None,
                "Result delivery annotated presence=required (not by law): e-result or postal delivery (Decree 42/2022 Art. 11(1)).",
            ),
        ],
        reject=[
            (
                "drop_component",
                "gcs",
                "Birth notice: the health database holds it but its scope is unpublished in data/registries.json (Resolution 66.7/2025 precondition).",
            ),
            ("remove_step", "verify", "Real work: the examination of the dossier."),
            ("remove_step", "sign", "Real work: the signature that makes the result."),
        ],
        note="Camunda 7 export, tt: annotations, data associations.",
    )
)

# 2 Camunda 7, marriage, annotated, presence by law
add(
    Model(
        "02_camunda_ket_hon_tt.bpmn",
        "camunda",
        "Đăng ký kết hôn",
        "Process_KetHon",
        procext=proc("1.000894"),
        tasks=[
            (
                "submit",
                UT,
                "Nộp tờ khai đăng ký kết hôn",
                step("submit", "citizen", "required"),
                "",
            ),
            ("verify", UT, "Kiểm tra điều kiện kết hôn", step("verify", "specialist"), ""),
            (
                "present",
                UT,
                "Hai bên nam, nữ có mặt, ký Sổ đăng ký kết hôn và Giấy chứng nhận kết hôn",
                step("sign", "citizen", "required_by_law", "Điều 18 Luật Hộ tịch 2014"),
                "",
            ),
            (
                "award",
                UT,
                "Trao Giấy chứng nhận kết hôn",
                step(
                    "deliver_result",
                    "leader",
                    "required_by_law",
                    "Khoản 2 Điều 18 Luật Hộ tịch 2014",
                ),
                "",
            ),
        ],
        data=[
            (
                "tokhai",
                "Tờ khai đăng ký kết hôn",
                comp("to_khai", "declaration_form", "original", ID),
                {"r": ["verify"]},
            ),
            (
                "xntthn",
                "Giấy xác nhận tình trạng hôn nhân",
                comp("xntthn", "marital_status_confirmation", "original"),
                {"r": ["verify"]},
            ),
            (
                "cccd",
                "Căn cước công dân của hai bên",
                comp("cccd", "identity_card", "original", ID),
                {"r": ["verify"]},
            ),
        ],
        accept=[
            (
                "drop_component",
                "xntthn",
                None,
                "Abolished for Vietnamese citizens by Decree 07/2025/NĐ-CP (amending Decree 123/2015): marital status is looked up; the legal basis is the decree.",
            ),
            (
                "drop_component",
                "cccd",
                "population",
                "Identity read from the population database / VNeID (connected, scope published).",
            ),
            (
                "prefill_field",
                "tokhai",
                "population",
                "The declaration carries identity fields (tt:field) held by the population database.",
            ),
            (
                "move_online",
                "submit",
                None,
                "Filing annotated presence=required, not by law: the interactive e-form exists (Decree 87/2020).",
            ),
        ],
        reject=[
            (
                "move_online",
                "present",
                "Both parties must be present and sign (Luật Hộ tịch 2014 Art. 18): presence by law.",
            ),
            ("remove_step", "present", "Presence by law; never removed."),
            (
                "move_online",
                "award",
                "Handing over the certificate to both parties is part of the registration Art. 18(2) requires in person.",
            ),
            (
                "drop_component",
                "tokhai",
                "A declaration is never dropped; it becomes an online form.",
            ),
        ],
        legal=["present", "award"],
        note="Presence by law annotated on the step itself.",
    )
)

# 3 Camunda 7, birth registration, no annotations
add(
    Model(
        "03_camunda_khai_sinh_noann.bpmn",
        "camunda",
        "Đăng ký khai sinh (không chú thích)",
        "Process_KhaiSinhPlain",
        tasks=[
            ("submit", UT, "Nộp hồ sơ", "", 'camunda:assignee="nguoi_dan"'),
            (
                "handoff",
                UT,
                "Chuyển hồ sơ cho công chức tư pháp",
                "",
                'camunda:candidateGroups="mot_cua"',
            ),
            ("verify", UT, "Kiểm tra hồ sơ", "", ""),
            ("sign", UT, "Ký giấy khai sinh", "", ""),
        ],
        data=[
            ("cccd", "Bản sao CCCD của cha, mẹ", "", {"r": ["verify"]}),
            ("gcs", "Giấy chứng sinh", "", {"r": ["verify"]}),
        ],
        reject=[
            ("drop_component", "cccd", NOEV + " (the document type is read from the name)."),
            ("remove_step", "handoff", NOEV + "; the rewrite must not remove any task."),
            ("drop_component", "gcs", NOEV + "; health scope unpublished anyway."),
        ],
        note="Same domain as 01 without tt: annotations: nothing actionable.",
    )
)

# 4 Camunda 8 (zeebe), passport, annotated
add(
    Model(
        "04_zeebe_ho_chieu_tt.bpmn",
        "zeebe",
        "Cấp hộ chiếu phổ thông",
        "Process_HoChieu",
        procext=proc("2.002217"),
        tasks=[
            (
                "submit",
                UT,
                "Nộp tờ khai đề nghị cấp hộ chiếu",
                step("submit", "citizen", "required") + "<zeebe:userTask />",
                "",
            ),
            (
                "bio",
                UT,
                "Thu nhận vân tay, chụp ảnh chân dung",
                step(
                    "inspect",
                    "citizen",
                    "required_by_law",
                    "Luật Xuất cảnh, nhập cảnh của công dân Việt Nam 2019",
                ),
                "",
            ),
            (
                "pay",
                ST,
                "Nộp lệ phí tại quầy",
                step("pay", "citizen", "required") + '<zeebe:taskDefinition type="thu-le-phi" />',
                "",
            ),
            (
                "check",
                ST,
                "Tra cứu Cơ sở dữ liệu quốc gia về dân cư",
                step("verify", "system") + '<zeebe:taskDefinition type="tra-cuu-dan-cu" />',
                "",
            ),
            ("issue", UT, "Duyệt cấp hộ chiếu", step("approve", "leader"), ""),
        ],
        data=[
            (
                "cccd",
                "Bản chụp Căn cước công dân",
                comp("cccd", "identity_card", "copy", ID),
                {"r": ["check"]},
            ),
            (
                "old",
                "Hộ chiếu cũ (nộp lại)",
                comp("ho_chieu_cu", "passport", "original"),
                {"r": ["issue"]},
            ),
            ("photo", "Ảnh 4x6", comp("anh", "photo", "original"), {"r": ["issue"]}),
        ],
        accept=[
            (
                "drop_component",
                "cccd",
                "population",
                "Identity in the population database (connected, scope published).",
            ),
            (
                "move_online",
                "pay",
                None,
                "Payment annotated presence=required, not by law: online payment (Decree 42/2022 Art. 11; Circular 01/2023 Art. 13(1)(đ)).",
            ),
            (
                "move_online",
                "submit",
                None,
                "Filing annotated presence=required, not by law: passports are offered online since 2022.",
            ),
        ],
        reject=[
            ("move_online", "bio", "Fingerprint and photo capture annotated required_by_law."),
            ("remove_step", "bio", "Presence by law."),
            (
                "drop_component",
                "old",
                "The previous passport must be surrendered; it cannot be reused from a database (issue 28 §3).",
            ),
            ("drop_component", "photo", "No registry in data/registries.json holds the photo."),
            ("remove_step", "check", "The database lookup is the data-based step itself."),
        ],
        legal=["bio"],
        note="Camunda 8 shape (zeebe:taskDefinition, zeebe:userTask).",
    )
)

# 5 zeebe invoice approval (keyword trap)
add(
    Model(
        "05_zeebe_invoice_approval_en.bpmn",
        "zeebe",
        "Invoice approval",
        "Process_Invoice",
        tasks=[
            ("receive", UT, "Receive invoice", "<zeebe:userTask />", ""),
            ("approve", UT, "Approve invoice", "<zeebe:userTask />", ""),
            (
                "transfer",
                ST,
                "Prepare Bank Transfer",
                '<zeebe:taskDefinition type="prepare-transfer" />',
                "",
            ),
            ("archive", ST, "Archive invoice", '<zeebe:taskDefinition type="archive" />', ""),
        ],
        reject=[
            (
                "remove_step",
                "transfer",
                'Keyword trap: "transfer" is the payment itself, not a hand-off; removing it sends approved invoices to the archive unpaid.',
            ),
            ("remove_step", "approve", "Real work: the approval decision."),
            ("remove_step", "archive", "Real work (record keeping)."),
        ],
        note="Generic business process, no annotations: nothing actionable.",
    )
)

# 6 Signavio construction permit, annotated
add(
    Model(
        "06_signavio_giay_phep_xay_dung_tt.bpmn",
        "signavio",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "sid-process-gpxd",
        procext=proc("1.013225"),
        tasks=[
            (
                "submit",
                T,
                "Nộp hồ sơ đề nghị cấp giấy phép xây dựng",
                step("submit", "citizen", "required"),
                "",
            ),
            (
                "handoff",
                T,
                "Chuyển hồ sơ sang phòng chuyên môn",
                step("handoff", "one_stop_desk"),
                "",
            ),
            (
                "site",
                T,
                "Kiểm tra thực địa công trình",
                step(
                    "inspect",
                    "specialist",
                    "required_by_law",
                    "Điều 102 Luật Xây dựng 2014 (sửa đổi 2020)",
                ),
                "",
            ),
            ("appraise", T, "Thẩm định hồ sơ", step("appraise", "specialist"), ""),
            ("approve", T, "Lãnh đạo ký giấy phép xây dựng", step("sign", "leader"), ""),
        ],
        data=[
            (
                "don",
                "Đơn đề nghị cấp giấy phép xây dựng",
                comp("don", "declaration_form", "original"),
                {"r": ["appraise"]},
            ),
            (
                "gcn",
                "Bản sao Giấy chứng nhận quyền sử dụng đất",
                comp("gcn_qsdd", "land_use_certificate", "copy"),
                {"r": ["appraise"]},
            ),
            (
                "banve",
                "Bản vẽ thiết kế xây dựng",
                comp("ban_ve", "construction_drawings", "original"),
                {"r": ["appraise"]},
            ),
        ],
        accept=[
            (
                "remove_step",
                "handoff",
                None,
                "Annotated internal hand-off: electronic routing in the procedure information system.",
            ),
            ("move_online", "submit", None, "Filing annotated presence=required, not by law."),
        ],
        reject=[
            (
                "move_online",
                "site",
                "Site inspection required by Luật Xây dựng Art. 102, cited on the step.",
            ),
            ("remove_step", "site", "On-site verification by law."),
            (
                "drop_component",
                "gcn",
                "Land database unconnected and scope unpublished (data/registries.json).",
            ),
            ("drop_component", "banve", "Drawings are substantive content no database holds."),
            ("drop_component", "don", "A form is never dropped."),
        ],
        legal=["site"],
        note="Signavio export (sid- ids, signavio metadata) with tt: annotations.",
    )
)

# 7 Signavio delivery (keyword trap)
add(
    Model(
        "07_signavio_certificate_delivery_en.bpmn",
        "signavio",
        "Certificate issuance",
        "sid-process-cert",
        tasks=[
            ("check", T, "Check the application", "", ""),
            ("print", T, "Print the certificate", "", ""),
            ("sign", T, "Director signs the certificate", "", ""),
            ("handover", T, "Hand over certificate at the counter", "", ""),
        ],
        reject=[
            (
                "remove_step",
                "handover",
                'Keyword trap: "hand over" is the delivery of the result, not an internal hand-off.',
            ),
            ("remove_step", "sign", "Real work."),
            ("move_online", "handover", NOEV + "."),
        ],
        note='No annotations; keyword trap on "hand over".',
    )
)

# 8 Signavio business licence (no annotations)
add(
    Model(
        "08_signavio_business_licence_en.bpmn",
        "signavio",
        "Business licence",
        "sid-process-bl",
        tasks=[
            ("submit", T, "Submit the application", "", ""),
            ("forward", T, "Forward the dossier to the licensing unit", "", ""),
            ("review", T, "Review the application", "", ""),
            ("inspect", T, "On-site inspection of the premises", "", ""),
            ("approve", T, "Director approves the licence", "", ""),
        ],
        data=[("reg", "Copy of business registration certificate", "", {"r": ["review"]})],
        reject=[
            ("remove_step", "forward", NOEV + "."),
            (
                "move_online",
                "inspect",
                "A physical inspection is real on-site work; no evidence for moving it online.",
            ),
            ("drop_component", "reg", NOEV + "; business registration scope unpublished anyway."),
        ],
        note="No annotations, English.",
    )
)

# 9 bpmn.io temporary residence, annotated, lanes with tt:lane
add(
    Model(
        "09_bpmnio_tam_tru_tt.bpmn",
        "bpmnio",
        "Đăng ký tạm trú",
        "Process_TamTru",
        procext=proc("1.004194"),
        tasks=[
            (
                "submit",
                UT,
                "Khai tờ khai thay đổi thông tin cư trú",
                step("submit", "citizen", "required"),
                "",
            ),
            ("verify", UT, "Kiểm tra, xác minh hồ sơ", step("verify", "specialist"), ""),
            ("update", ST, "Cập nhật Cơ sở dữ liệu về cư trú", step("other", "system"), ""),
        ],
        lanes={
            "citizen": ("Người dân", ["start", "submit"], "citizen"),
            "police": ("Công an cấp xã", ["verify", "update", "end"], "specialist"),
        },
        data=[
            (
                "ct01",
                "Tờ khai CT01",
                comp("ct01", "declaration_form", "original", ID),
                {"r": ["verify"]},
            ),
            (
                "cccd",
                "Bản sao Căn cước công dân",
                comp("cccd", "identity_card", "copy", ID),
                {"r": ["verify"]},
            ),
            (
                "shk",
                "Sổ hộ khẩu",
                comp("so_ho_khau", "household_book", "original"),
                {"r": ["verify"]},
            ),
            (
                "chooh",
                "Giấy tờ chứng minh chỗ ở hợp pháp",
                comp("cho_o", "legal_residence_proof", "copy"),
                {"r": ["verify"]},
            ),
        ],
        accept=[
            (
                "drop_component",
                "cccd",
                "population",
                "Population database (connected, scope published).",
            ),
            (
                "drop_component",
                "shk",
                "population",
                "Household book no longer presented: residence data read from the population database (Decree 104/2022/NĐ-CP).",
            ),
            (
                "prefill_field",
                "ct01",
                "population",
                "CT01 identity and address fields held by the population database.",
            ),
            (
                "move_online",
                "submit",
                None,
                "Filing annotated presence=required, not by law: online via VNeID/portal.",
            ),
        ],
        reject=[
            (
                "drop_component",
                "chooh",
                "Proof of lawful residence: no registry in data/registries.json holds it (land database unconnected).",
            ),
            ("drop_component", "ct01", "A declaration is never dropped."),
        ],
        note="bpmn.io shape, lanes with tt:lane roles.",
    )
)

# 10 bpmn.io parallelisation from data objects
add(
    Model(
        "10_bpmnio_parallel_data.bpmn",
        "bpmnio",
        "Thẩm định hồ sơ cấp phép",
        "Process_SongSong",
        tasks=[
            ("receive", UT, "Tiếp nhận hồ sơ", step("receive", "one_stop_desk"), ""),
            ("idcheck", UT, "Xác minh nhân thân người đề nghị", step("verify", "specialist"), ""),
            ("techcheck", UT, "Thẩm định hồ sơ kỹ thuật", step("appraise", "specialist"), ""),
            ("merge", UT, "Tổng hợp kết quả thẩm định", step("appraise", "specialist"), ""),
            ("decide", UT, "Quyết định cấp phép", step("approve", "leader"), ""),
        ],
        data=[
            ("don", "Đơn đề nghị", "", {"r": ["idcheck"], "w": ["receive"]}),
            ("hskt", "Hồ sơ kỹ thuật", "", {"r": ["techcheck"], "w": ["receive"]}),
            ("kq1", "Kết quả xác minh nhân thân", "", {"w": ["idcheck"], "r": ["merge"]}),
            ("kq2", "Kết quả thẩm định kỹ thuật", "", {"w": ["techcheck"], "r": ["merge"]}),
        ],
        accept=[
            (
                "parallelise",
                "techcheck",
                None,
                "Reads only the technical file written at reception, not the identity result: can run alongside the identity check.",
                "idcheck",
            ),
        ],
        reject=[
            ("parallelise", "merge", "Reads both results: depends on both checks."),
            ("parallelise", "decide", "Follows the merge it depends on."),
            ("remove_step", "merge", "Real work."),
        ],
        note="Data objects and data associations show which steps depend on which.",
    )
)

# 11 bpmn.io sequential dependency
add(
    Model(
        "11_bpmnio_sequential_dependency.bpmn",
        "bpmnio",
        "Cấp phép theo chuỗi phụ thuộc",
        "Process_PhuThuoc",
        tasks=[
            ("calc", UT, "Tính phí thẩm định", step("other", "specialist"), ""),
            ("notify", UT, "Thông báo phí cho người nộp", step("other", "one_stop_desk"), ""),
            ("archive", UT, "Lưu hồ sơ", step("other", "specialist"), ""),
            ("stats", UT, "Báo cáo thống kê", step("other", "specialist"), ""),
        ],
        data=[
            ("phi", "Bảng tính phí", "", {"w": ["calc"], "r": ["notify"]}),
        ],
        reject=[
            (
                "parallelise",
                "notify",
                "Reads the fee table the previous step writes: a real dependency.",
            ),
            (
                "parallelise",
                "stats",
                "No data objects or variables connect these steps: without shown dependencies there is no evidence either way.",
            ),
        ],
        note="A data dependency that must block parallelisation; a pair with no data at all.",
    )
)

# 12 Bizagi household business registration, annotated
add(
    Model(
        "12_bizagi_ho_kinh_doanh_tt.bpmn",
        "bizagi",
        "Đăng ký hộ kinh doanh",
        "Id_process_hkd",
        procext=proc("2.000720"),
        tasks=[
            (
                "submit",
                T,
                "Nộp giấy đề nghị đăng ký hộ kinh doanh",
                step("submit", "citizen", "required"),
                "",
            ),
            (
                "handoff",
                T,
                "Chuyển hồ sơ giấy từ bộ phận một cửa sang phòng kinh tế",
                step("handoff", "one_stop_desk"),
                "",
            ),
            (
                "register",
                T,
                "Cấp Giấy chứng nhận đăng ký hộ kinh doanh",
                step("approve", "specialist"),
                "",
            ),
            ("tax", T, "Gửi thông tin đăng ký sang cơ quan thuế", step("other", "system"), ""),
        ],
        data=[
            (
                "don",
                "Giấy đề nghị đăng ký hộ kinh doanh",
                comp("don", "declaration_form", "original", ID),
                {"r": ["register"]},
            ),
            (
                "cccd",
                "Bản sao CCCD của chủ hộ kinh doanh",
                comp("cccd", "identity_card", "copy", ID),
                {"r": ["register"]},
            ),
            (
                "hd",
                "Hợp đồng thuê địa điểm kinh doanh",
                comp("hop_dong", "legal_residence_proof", "copy"),
                {"r": ["register"]},
            ),
        ],
        accept=[
            (
                "drop_component",
                "cccd",
                "population",
                "Population database (connected, scope published).",
            ),
            ("remove_step", "handoff", None, "Annotated paper hand-off between desks."),
            ("move_online", "submit", None, "Filing annotated presence=required, not by law."),
            (
                "prefill_field",
                "don",
                "population",
                "Owner identity fields (tt:field) held by the population database.",
            ),
        ],
        reject=[
            (
                "remove_step",
                "tax",
                "Inter-agency data transmission is real work (tax registration of the household business).",
            ),
            ("drop_component", "hd", "A lease contract is held by no registry."),
        ],
        note="Bizagi export shape (Id_ GUIDs, bizagi extensions).",
    )
)

# 13 Bizagi purchase request, no annotations
add(
    Model(
        "13_bizagi_purchase_request_en.bpmn",
        "bizagi",
        "Purchase request",
        "Id_process_pr",
        tasks=[
            ("request", T, "Create purchase request", "", ""),
            ("route", T, "Transfer request to procurement", "", ""),
            ("order", T, "Issue purchase order", "", ""),
            ("pay", T, "Transfer funds to supplier", "", ""),
        ],
        reject=[
            ("remove_step", "route", NOEV + "."),
            ("remove_step", "pay", 'Keyword trap: "transfer funds" is the payment.'),
        ],
        note='No annotations; two "transfer" labels, one a hand-off, one a payment.',
    )
)

# 14 plain BPMN, criminal record, no annotations
add(
    Model(
        "14_plain_ly_lich_tu_phap_noann.bpmn",
        "plain",
        "Cấp Phiếu lý lịch tư pháp",
        "ly_lich_tu_phap_plain",
        tasks=[
            ("submit", T, "Nộp tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "", ""),
            ("lookup", T, "Tra cứu thông tin lý lịch tư pháp", "", ""),
            ("verify", T, "Xác minh tại cơ quan công an", "", ""),
            ("sign", T, "Ký Phiếu lý lịch tư pháp", "", ""),
        ],
        data=[
            ("tk", "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "", {"r": ["lookup"]}),
            ("cccd", "Bản sao CCCD", "", {"r": ["lookup"]}),
            ("cutru", "Giấy xác nhận cư trú", "", {"r": ["lookup"]}),
        ],
        reject=[
            ("drop_component", "cccd", NOEV + "."),
            ("drop_component", "cutru", NOEV + "."),
            ("drop_component", "tk", "A declaration is never dropped."),
            (
                "remove_step",
                "verify",
                "Verification with the police is real work of the criminal-record procedure.",
            ),
        ],
        note="Plain BPMN (bpmn2: prefix), no annotations.",
    )
)

# 15 plain BPMN, criminal record, annotated
add(
    Model(
        "15_plain_ly_lich_tu_phap_tt.bpmn",
        "plain",
        "Cấp Phiếu lý lịch tư pháp",
        "ly_lich_tu_phap_tt",
        procext=proc("2.000505"),
        tasks=[
            (
                "submit",
                T,
                "Nộp tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
                step("submit", "citizen", "required"),
                "",
            ),
            ("lookup", T, "Tra cứu thông tin lý lịch tư pháp", step("verify", "specialist"), ""),
            ("sign", T, "Ký Phiếu lý lịch tư pháp", step("sign", "leader"), ""),
            (
                "deliver",
                T,
                "Trả Phiếu lý lịch tư pháp",
                step("deliver_result", "one_stop_desk", "required"),
                "",
            ),
        ],
        data=[
            (
                "tk",
                "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
                comp(
                    "to_khai",
                    "declaration_form",
                    "original",
                    (*ID, "father_name", "mother_name", "spouse_name"),
                ),
                {"r": ["lookup"]},
            ),
            (
                "cccd",
                "Bản sao CCCD",
                comp(
                    "cccd", "identity_card", "copy", ID, "Khoản 1 Điều 45 Luật Lý lịch tư pháp 2009"
                ),
                {"r": ["lookup"]},
            ),
            (
                "cutru",
                "Giấy xác nhận thông tin về cư trú",
                comp("cu_tru", "residence_confirmation", "original"),
                {"r": ["lookup"]},
            ),
        ],
        accept=[
            (
                "drop_component",
                "cccd",
                "population",
                "Population database (connected, scope published).",
            ),
            (
                "drop_component",
                "cutru",
                "population",
                "Residence confirmation replaced by the population database (Decree 104/2022).",
            ),
            (
                "prefill_field",
                "tk",
                "population",
                "Declaration fields held by the population database (the VNeID pilot: 6 of 23 fields typed, domain brief).",
            ),
            (
                "move_online",
                "submit",
                None,
                "Filing annotated presence=required, not by law (VNeID service since 2024).",
            ),
            ("move_online", "deliver", None, "E-result in VNeID, postal delivery on request."),
        ],
        reject=[
            ("drop_component", "tk", "A declaration is never dropped."),
            ("remove_step", "lookup", "Real work."),
        ],
        note="Plain BPMN with tt: annotations and tt:field lists.",
    )
)

# 16 collaboration without ids
add(
    Model(
        "16_collaboration_noid_luu_tru.bpmn",
        "bpmnio",
        "Thông báo lưu trú",
        "Process_LuuTru",
        lanes="collab",
        tasks=[
            ("receive", UT, "Tiếp nhận thông báo lưu trú", "", ""),
            ("record", ST, "Ghi nhận vào Cơ sở dữ liệu về cư trú", "", ""),
            ("reply", UT, "Phản hồi đã tiếp nhận", "", ""),
        ],
        io=[("@citizen", "receive", "Thông báo lưu trú"), ("reply", "@citizen", "Xác nhận")],
        reject=[
            (
                "remove_step",
                "reply",
                NOEV + "; the acknowledgement is the result of a notification.",
            ),
        ],
        note="A collaboration element without an id, message flows to a pool with no process.",
    )
)

# 17 empty collapsed sub-process
add(
    Model(
        "17_bpmnio_empty_collapsed_subprocess.bpmn",
        "bpmnio",
        "Giải quyết khiếu nại",
        "Process_KhieuNai",
        tasks=[
            ("receive", UT, "Tiếp nhận đơn khiếu nại", "", ""),
            ("handle", "subProcess", "Xử lý nghiệp vụ", "", ""),
            ("reply", UT, "Gửi quyết định giải quyết", "", ""),
        ],
        reject=[
            (
                "remove_step",
                "handle",
                "An empty collapsed sub-process stands for undrawn real work, not a dead step.",
            ),
        ],
        note='Empty collapsed sub-process (isExpanded="false" in DI, no children): must not be unsound or removed.',
    )
)


# 18 compensation
def comp_extra(p, nid):
    return (
        f'<{p}boundaryEvent id="Event_Compensate" attachedToRef="{nid["pay"]}"><{p}compensateEventDefinition id="CompensateDef_1" /></{p}boundaryEvent>'
        f'<{p}task id="Activity_Refund" name="Hoàn trả lệ phí" isForCompensation="true" />'
        f'<{p}association id="Association_Comp" associationDirection="One" sourceRef="Event_Compensate" targetRef="Activity_Refund" />'
    )


add(
    Model(
        "18_bpmnio_compensation_le_phi.bpmn",
        "bpmnio",
        "Thu lệ phí và hoàn trả",
        "Process_LePhi",
        tasks=[
            ("pay", UT, "Thu lệ phí", "", ""),
            ("process", UT, "Xử lý hồ sơ", "", ""),
            ("result", UT, "Trả kết quả", "", ""),
        ],
        extra=comp_extra,
        reject=[
            (
                "remove_step",
                "Activity_Refund",
                "Compensation handler: outside the normal flow, runs only when a paid dossier is cancelled; not an unnecessary step.",
            ),
            ("remove_step", "pay", NOEV + "."),
        ],
        note="Compensation boundary event and isForCompensation task (drawn without DI for the handler).",
    )
)

# 19 process-level ioSpecification
add(
    Model(
        "19_plain_process_io_spec.bpmn",
        "plain",
        "Phê duyệt đề án",
        "phe_duyet_de_an",
        io="iospec",
        tasks=[
            ("appraise", T, "Thẩm định đề án", "", ""),
            ("approve", T, "Phê duyệt đề án", "", ""),
        ],
        reject=[
            ("remove_step", "appraise", "Real work."),
        ],
        note="Process-level dataInput/dataOutput (ioSpecification): no dangling-reference warnings expected.",
    )
)

# 20 supplement loop, annotated
add(
    Model(
        "20_camunda_bo_sung_ho_so_tt.bpmn",
        "camunda",
        "Cấp giấy phép hoạt động",
        "Process_BoSung",
        procext=proc("1.000000"),
        tasks=[
            ("submit", UT, "Nộp hồ sơ", step("submit", "citizen", "required"), ""),
            ("verify", UT, "Kiểm tra tính đầy đủ của hồ sơ", step("verify", "one_stop_desk"), ""),
            ("gw", "exclusiveGateway", "Hồ sơ đầy đủ?", "", ""),
            (
                "supplement",
                UT,
                "Đến cơ quan nộp bổ sung hồ sơ",
                step("submit", "citizen", "required"),
                "",
            ),
            ("decide", UT, "Quyết định cấp phép", step("approve", "leader"), ""),
        ],
        flows=[
            ("start", "submit"),
            ("submit", "verify"),
            ("verify", "gw"),
            ("gw", "decide", "Đủ"),
            ("gw", "supplement", "Thiếu"),
            ("supplement", "verify"),
            ("decide", "end"),
        ],
        accept=[
            (
                "move_online",
                "supplement",
                None,
                "Supplementing annotated presence=required, not by law: upload online.",
            ),
            ("move_online", "submit", None, "Filing annotated presence=required, not by law."),
        ],
        reject=[
            (
                "remove_step",
                "supplement",
                "The supplement loop is needed for incomplete dossiers; only its channel changes.",
            ),
            ("remove_step", "verify", "Real work."),
        ],
        note="Exclusive gateway with a supplement loop.",
    )
)

# 21 first land registration (zeebe), annotated
add(
    Model(
        "21_zeebe_dang_ky_dat_dai_lan_dau_tt.bpmn",
        "zeebe",
        "Đăng ký đất đai, cấp Giấy chứng nhận lần đầu",
        "Process_DatDai",
        procext=proc("1.012766"),
        tasks=[
            (
                "submit",
                UT,
                "Nộp hồ sơ đăng ký đất đai lần đầu",
                step("submit", "citizen", "required"),
                "",
            ),
            (
                "site",
                UT,
                "Kiểm tra hiện trạng sử dụng thửa đất",
                step("inspect", "specialist", "required_by_law", "Nghị định 101/2024/NĐ-CP"),
                "",
            ),
            (
                "post",
                UT,
                "Niêm yết công khai kết quả kiểm tra trong 15 ngày",
                step("other", "specialist", "none", "Nghị định 101/2024/NĐ-CP"),
                "",
            ),
            (
                "extract",
                ST,
                "Trích lục bản đồ địa chính",
                step("other", "specialist") + '<zeebe:taskDefinition type="trich-luc" />',
                "",
            ),
            ("sign", UT, "Ký Giấy chứng nhận", step("sign", "leader"), ""),
        ],
        data=[
            ("cccd", "Bản sao CCCD", comp("cccd", "identity_card", "copy", ID), {"r": ["site"]}),
            (
                "nguongoc",
                "Giấy tờ về nguồn gốc sử dụng đất",
                comp("nguon_goc", "land_origin_documents", "copy"),
                {"r": ["site"]},
            ),
            (
                "tl",
                "Trích lục bản đồ địa chính",
                comp("trich_luc", "cadastral_extract", "original"),
                {"w": ["extract"], "r": ["sign"]},
            ),
        ],
        accept=[
            (
                "drop_component",
                "cccd",
                "population",
                "Population database (connected, scope published).",
            ),
            ("move_online", "submit", None, "Filing annotated presence=required, not by law."),
        ],
        reject=[
            ("move_online", "site", "Site check required by law (Decree 101/2024), annotated."),
            (
                "remove_step",
                "post",
                "The 15-day public posting is a legal requirement (Decree 101/2024), not an intermediate step.",
            ),
            (
                "drop_component",
                "tl",
                'The cadastral extract is produced by this procedure; it cannot be "reused".',
            ),
            (
                "drop_component",
                "nguongoc",
                "Origin papers are by definition not in the land database at first registration (and land is unconnected).",
            ),
        ],
        legal=["site"],
        note="Camunda 8 shape; components the procedure produces or that no database can hold yet.",
    )
)

# 22 death registration (bpmn.io), annotated
add(
    Model(
        "22_bpmnio_khai_tu_tt.bpmn",
        "bpmnio",
        "Đăng ký khai tử",
        "Process_KhaiTu",
        procext=proc("1.000656"),
        tasks=[
            (
                "submit",
                UT,
                "Nộp tờ khai đăng ký khai tử",
                step("submit", "citizen", "required"),
                "",
            ),
            ("verify", UT, "Kiểm tra hồ sơ", step("verify", "specialist"), ""),
            (
                "record",
                UT,
                "Ghi Sổ đăng ký khai tử, cấp Trích lục khai tử",
                step("approve", "specialist"),
                "",
            ),
        ],
        data=[
            (
                "gbt",
                "Giấy báo tử",
                comp("giay_bao_tu", "death_notice", "original"),
                {"r": ["verify"]},
            ),
            (
                "cccd",
                "Giấy tờ tùy thân của người đi khai tử",
                comp("cccd", "identity_card", "original", ID),
                {"r": ["verify"]},
            ),
            (
                "tk",
                "Tờ khai đăng ký khai tử",
                comp("to_khai", "declaration_form", "original", ID),
                {"r": ["verify"]},
            ),
        ],
        accept=[
            (
                "drop_component",
                "cccd",
                "population",
                "Identity of the declarant from the population database / VNeID.",
            ),
            (
                "prefill_field",
                "tk",
                "population",
                "Declarant fields held by the population database.",
            ),
            (
                "move_online",
                "submit",
                None,
                "Filing annotated presence=required, not by law (linked group of Decree 63/2024).",
            ),
        ],
        reject=[
            (
                "drop_component",
                "gbt",
                "Death notice: the health database scope is unpublished in data/registries.json.",
            ),
            ("drop_component", "tk", "A declaration is never dropped."),
        ],
        note="Civil status; health-sourced component whose registry has no published scope.",
    )
)

# 23 Signavio permanent residence, labels without diacritics, annotated
add(
    Model(
        "23_signavio_thuong_tru_khong_dau_tt.bpmn",
        "signavio",
        "Dang ky thuong tru",
        "sid-process-thuongtru",
        procext=proc("1.004222"),
        tasks=[
            (
                "submit",
                T,
                "Nop ho so dang ky thuong tru",
                step("submit", "citizen", "required"),
                "",
            ),
            (
                "handoff",
                T,
                "Chuyen ho so cho can bo dang ky cu tru",
                step("handoff", "one_stop_desk"),
                "",
            ),
            ("verify", T, "Kiem tra, xac minh ho so", step("verify", "specialist"), ""),
            ("update", T, "Cap nhat co so du lieu ve cu tru", step("other", "system"), ""),
        ],
        data=[
            ("cccd", "Ban sao CCCD", comp("cccd", "identity_card", "copy", ID), {"r": ["verify"]}),
            ("shk", "So ho khau", comp("shk", "household_book", "original"), {"r": ["verify"]}),
            (
                "dongy",
                "Van ban dong y cua chu ho",
                comp("dong_y", "residence_consent", "original"),
                {"r": ["verify"]},
            ),
        ],
        accept=[
            (
                "drop_component",
                "cccd",
                "population",
                "Population database (connected, scope published).",
            ),
            (
                "drop_component",
                "shk",
                "population",
                "Household book abolished as a paper (Decree 104/2022); data in the population database.",
            ),
            ("remove_step", "handoff", None, "Annotated internal hand-off."),
            ("move_online", "submit", None, "Filing annotated presence=required, not by law."),
        ],
        reject=[
            (
                "drop_component",
                "dongy",
                "The household head's consent is a statement no registry holds (it can be given online, not dropped).",
            ),
            ("remove_step", "update", "Updating the residence database is the result itself."),
        ],
        note="Vietnamese without diacritics, Signavio shape.",
    )
)

# 24 Bizagi, ASCII Vietnamese, no annotations
add(
    Model(
        "24_bizagi_khong_dau_noann.bpmn",
        "bizagi",
        "Cap giay phep kinh doanh ruou",
        "Id_process_ruou",
        tasks=[
            ("submit", T, "Nop ho so", "", ""),
            ("forward", T, "Chuyen ho so cho lanh dao", "", ""),
            ("check", T, "Kiem tra dia diem kinh doanh", "", ""),
            ("sign", T, "Ky duyet giay phep", "", ""),
        ],
        data=[("dkdn", "Ban sao giay chung nhan dang ky doanh nghiep", "", {"r": ["sign"]})],
        reject=[
            ("remove_step", "forward", NOEV + "."),
            ("drop_component", "dkdn", NOEV + "; business registration scope unpublished anyway."),
            (
                "move_online",
                "check",
                "A check of the business premises is on-site work; no evidence for moving it.",
            ),
        ],
        note="Vietnamese without diacritics, no annotations.",
    )
)

# 25 Camunda form prefill via camunda:formField ids from the field vocabulary
ff = (
    '<camunda:formData><camunda:formField id="full_name" label="Họ, chữ đệm và tên" type="string" />'
    '<camunda:formField id="date_of_birth" label="Ngày sinh" type="date" /><camunda:formField id="identity_number" label="Số định danh cá nhân" type="string" />'
    '<camunda:formField id="permanent_address" label="Nơi thường trú" type="string" /><camunda:formField id="reason" label="Lý do" type="string" /></camunda:formData>'
)
add(
    Model(
        "25_camunda_form_prefill_tt.bpmn",
        "camunda",
        "Xác nhận thông tin về cư trú",
        "Process_XacNhanCuTru",
        procext=proc("1.010041"),
        tasks=[
            (
                "declare",
                UT,
                "Khai thông tin đề nghị xác nhận cư trú",
                step("submit", "citizen", "none") + ff,
                'camunda:assignee="nguoi_dan"',
            ),
            (
                "verify",
                UT,
                "Kiểm tra thông tin trong Cơ sở dữ liệu về cư trú",
                step("verify", "specialist"),
                "",
            ),
            (
                "issue",
                UT,
                "Cấp xác nhận thông tin về cư trú (CT07)",
                step("approve", "specialist"),
                "",
            ),
        ],
        accept=[
            (
                "prefill_field",
                "declare",
                "population",
                'Form fields full_name, date_of_birth, identity_number, permanent_address are population-database fields (field vocabulary); "reason" is typed.',
            ),
        ],
        reject=[
            (
                "remove_step",
                "declare",
                "The declaration becomes a shorter e-form; it is not removed.",
            ),
        ],
        note="Prefill evidence from camunda:formField ids in the field vocabulary.",
    )
)

# 26 English generic onboarding, plain
add(
    Model(
        "26_plain_employee_onboarding_en.bpmn",
        "plain",
        "Employee onboarding",
        "employee_onboarding",
        tasks=[
            ("contract", T, "Sign employment contract", "", ""),
            ("payroll", T, "Transfer payroll data to finance", "", ""),
            ("laptop", T, "Hand over laptop and badge", "", ""),
            ("training", T, "Attend safety training", "", ""),
        ],
        reject=[
            ("remove_step", "payroll", "Keyword trap: a data transfer the payroll needs."),
            (
                "remove_step",
                "laptop",
                "Keyword trap: handing equipment to the employee is real work.",
            ),
            ("move_online", "training", NOEV + "."),
        ],
        note='Generic English process with "transfer" and "hand over" traps.',
    )
)

# 27 Signavio EIA appraisal, annotated
add(
    Model(
        "27_signavio_danh_gia_tac_dong_moi_truong_tt.bpmn",
        "signavio",
        "Thẩm định báo cáo đánh giá tác động môi trường",
        "sid-process-dtm",
        procext=proc("1.010732"),
        tasks=[
            ("submit", T, "Nộp hồ sơ đề nghị thẩm định", step("submit", "citizen", "required"), ""),
            (
                "handoff",
                T,
                "Chuyển hồ sơ cho đơn vị thẩm định",
                step("handoff", "one_stop_desk"),
                "",
            ),
            (
                "survey",
                T,
                "Khảo sát thực tế khu vực thực hiện dự án",
                step(
                    "inspect",
                    "other_agency",
                    "required_by_law",
                    "Điều 13a Thông tư 02/2022/TT-BTNMT",
                ),
                "",
            ),
            ("council", T, "Họp hội đồng thẩm định", step("appraise", "other_agency"), ""),
            ("approve", T, "Phê duyệt kết quả thẩm định", step("approve", "leader"), ""),
        ],
        data=[
            (
                "dtm",
                "Báo cáo đánh giá tác động môi trường",
                comp("bc_dtm", "construction_drawings", "original"),
                {"r": ["council"]},
            ),
            (
                "dkdn",
                "Giấy chứng nhận đăng ký doanh nghiệp",
                comp("dkdn", "business_registration_certificate", "copy"),
                {"r": ["council"]},
            ),
        ],
        accept=[
            ("remove_step", "handoff", None, "Annotated internal hand-off."),
            ("move_online", "submit", None, "Filing annotated presence=required, not by law."),
        ],
        reject=[
            ("move_online", "survey", "Site survey provided by law, annotated."),
            (
                "drop_component",
                "dkdn",
                "Business registration database: scope unpublished in data/registries.json.",
            ),
            ("drop_component", "dtm", "The report is the substance of the procedure."),
            ("remove_step", "council", "Real work."),
        ],
        legal=["survey"],
        note="Environmental appraisal; an unpublished-scope registry.",
    )
)

# 28 English labels, Vietnamese procedure, annotated (driving licence exchange)
add(
    Model(
        "28_bpmnio_driving_licence_exchange_en_tt.bpmn",
        "bpmnio",
        "Driving licence exchange",
        "Process_DoiGPLX",
        procext=proc("1.002804"),
        tasks=[
            (
                "submit",
                UT,
                "Submit the exchange application",
                step("submit", "citizen", "required"),
                "",
            ),
            ("pay", UT, "Pay the fee at the counter", step("pay", "citizen", "required"), ""),
            (
                "check",
                UT,
                "Check the licence in the driving licence database",
                step("verify", "specialist"),
                "",
            ),
            ("issue", UT, "Issue the new licence", step("approve", "leader"), ""),
        ],
        data=[
            (
                "id",
                "Copy of citizen identity card",
                comp("cccd", "identity_card", "copy", ID),
                {"r": ["check"]},
            ),
            (
                "health",
                "Driver health certificate",
                comp("gksk", "health_certificate", "original"),
                {"r": ["check"]},
            ),
            (
                "old",
                "Current driving licence (surrendered)",
                comp("gplx", "driving_licence", "original"),
                {"r": ["issue"]},
            ),
        ],
        accept=[
            (
                "drop_component",
                "id",
                "population",
                "Population database (connected, scope published).",
            ),
            ("move_online", "pay", None, "Payment annotated presence=required, not by law."),
            ("move_online", "submit", None, "Filing annotated presence=required, not by law."),
        ],
        reject=[
            (
                "drop_component",
                "health",
                "Health database connected but scope unpublished (data/registries.json).",
            ),
            (
                "drop_component",
                "old",
                "The old licence is surrendered on exchange; the driving-licence registry scope is unpublished too.",
            ),
        ],
        note="English labels on a Vietnamese procedure, tt: annotations.",
    )
)

# 29 script-task variables for parallelisation
add(
    Model(
        "29_bpmnio_parallel_script_vars.bpmn",
        "bpmnio",
        "Tính phí và xác minh",
        "Process_Script",
        tasks=[
            (
                "ident",
                SC,
                "Xác minh nhân thân",
                step("verify", "system"),
                'scriptFormat="python"',
                "kq_xac_minh = so_dinh_danh is not None and len(so_dinh_danh) == 12",
            ),
            (
                "fee",
                SC,
                "Tính lệ phí",
                step("other", "system"),
                'scriptFormat="python"',
                'le_phi = 200000 if loai_ho_so == "cap_moi" else 100000',
            ),
            (
                "combine",
                SC,
                "Tổng hợp kết quả",
                step("other", "system"),
                'scriptFormat="python"',
                'ket_qua = {"hop_le": kq_xac_minh, "phi": le_phi}',
            ),
        ],
        accept=[
            (
                "parallelise",
                "fee",
                None,
                "The fee script reads loai_ho_so only; the identity script writes kq_xac_minh only: independent.",
                "ident",
            ),
        ],
        reject=[
            (
                "parallelise",
                "combine",
                "Reads kq_xac_minh and le_phi written by the two scripts before it.",
            ),
        ],
        note="Dependencies only through script variables (to be read with Python ast).",
    )
)


# 30 plain without DI? (DI kept) duplicate flow ids
def dup_extra(p, nid):
    return f'<{p}sequenceFlow id="Flow_dup" sourceRef="{nid["a"]}" targetRef="{nid["b"]}" /><{p}sequenceFlow id="Flow_dup" sourceRef="{nid["b"]}" targetRef="{nid["end"]}" />'


add(
    Model(
        "30_plain_duplicate_flow_ids.bpmn",
        "plain",
        "Quy trình có mã luồng trùng",
        "trung_ma_luong",
        tasks=[
            ("a", T, "Tiếp nhận hồ sơ", "", ""),
            ("b", T, "Giải quyết hồ sơ", "", ""),
        ],
        flows=[("start", "a")],
        extra=dup_extra,
        reject=[
            (
                "remove_step",
                "b",
                "Real work; the duplicated flow id must be reported, not silently overwritten.",
            ),
        ],
        note="Two sequence flows share an id (a shape that silently lost a flow before).",
    )
)

# 31 Camunda, English, annotated judicial-record and business registration (unpublished scopes)
add(
    Model(
        "31_camunda_security_licence_en_tt.bpmn",
        "camunda",
        "Security conditions certificate",
        "Process_ANTT",
        procext=proc("1.003244"),
        tasks=[
            (
                "submit",
                UT,
                "Submit application to provincial police",
                step("submit", "citizen", "required"),
                "",
            ),
            (
                "inspect",
                UT,
                "Inspect fire safety and security at the premises",
                step("inspect", "specialist", "required_by_law", "Nghị định 96/2016/NĐ-CP"),
                "",
            ),
            ("approve", UT, "Approve the certificate", step("approve", "leader"), ""),
        ],
        data=[
            (
                "lltp",
                "Criminal record certificate of the manager",
                comp("lltp", "criminal_record_certificate", "original"),
                {"r": ["approve"]},
            ),
            (
                "dkdn",
                "Copy of business registration certificate",
                comp("dkdn", "business_registration_certificate", "copy"),
                {"r": ["approve"]},
            ),
            (
                "id",
                "Copy of the manager's identity card",
                comp("cccd", "identity_card", "copy", ID),
                {"r": ["approve"]},
            ),
        ],
        accept=[
            (
                "drop_component",
                "id",
                "population",
                "Population database (connected, scope published).",
            ),
            ("move_online", "submit", None, "Filing annotated presence=required, not by law."),
        ],
        reject=[
            (
                "drop_component",
                "lltp",
                "Judicial-records database: scope unpublished (data/registries.json).",
            ),
            ("drop_component", "dkdn", "Business registration database: scope unpublished."),
            ("move_online", "inspect", "On-site inspection annotated required_by_law."),
        ],
        legal=["inspect"],
        note="English labels; three registries with different readiness.",
    )
)
