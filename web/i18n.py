"""UI strings in Vietnamese (the default, with full diacritics) and English.

One flat table per language; templates call ``t(key)`` and the scripts receive the table of
the page's language. ``{name}`` placeholders are filled by the caller. Every key exists in
both languages (tests/browser/test_i18n.py checks it).
"""

from __future__ import annotations

from bpmn.vocabulary import label_pairs
from simplifier.labels import label_pairs as simplifier_labels

DEFAULT_LANGUAGE = "vi"
LANGUAGES = ("vi", "en")

# the tt: vocabulary's labels, shared with the engine and the reports (bpmn/vocabulary.json)
_KINDS = label_pairs("step_kinds")
_ACTORS = label_pairs("actors")
_EVENTS = {
    "dossier_started": ("Nộp hồ sơ", "Dossier submitted"),
    "task_claimed": ("Nhận xử lý", "Task claimed"),
    "task_completed": ("Hoàn thành bước", "Step completed"),
    "step_completed": ("Bước tự động", "Automatic step"),
    "task_failed": ("Bước bị lỗi", "Step failed"),
    "service_called": ("Khai thác cơ sở dữ liệu", "Database queried"),
    "service_queued": ("Chờ gọi cơ sở dữ liệu", "Database call queued"),
    "timer_fired": ("Đến hạn (bộ đếm thời gian)", "Timer fired"),
    "message_sent": ("Gửi hồ sơ liên thông", "Linked message sent"),
    "message_received": ("Nhận hồ sơ liên thông", "Linked message received"),
    "dossier_completed": ("Hoàn thành hồ sơ", "Dossier completed"),
    "dossier_cancelled": ("Hủy hồ sơ", "Dossier cancelled"),
    "dossier_retried": ("Chạy lại bước lỗi", "Failed step retried"),
    "dossier_migrated": ("Chuyển sang phiên bản mới", "Moved to a new version"),
    "attachment_added": ("Nộp tệp đính kèm", "File attached"),
    "attachment_kept": ("Lưu tệp vào kho dữ liệu", "File kept in the e-data warehouse"),
}
# the simplifier's rules and readiness criteria, as the reports name them
# (simplifier/data/labels.json)
_RULES = simplifier_labels("rules")
_CRITERIA = simplifier_labels("criteria")
_FINDING_STATUSES = simplifier_labels("statuses", "short")

_PAIRS: dict[str, tuple[str, str]] = {
    "app.name": ("Toàn Trình", "Toàn Trình"),
    "app.footer": (
        "Toàn Trình — dịch vụ công trực tuyến toàn trình. “Một việc một lần làm; hồ sơ nộp một lần.”",
        "Toàn Trình — full-process online public services. “One task, done once; a dossier submitted once.”",
    ),
    "app.loading": ("Đang tải…", "Loading…"),
    "app.assets_missing": (
        "Chưa dựng tài nguyên giao diện (bpmn-js, Chart.js): chạy ./tt serve hoặc web/build.sh.",
        "Browser assets (bpmn-js, Chart.js) are not built: run ./tt serve or web/build.sh.",
    ),
    "nav.citizen": ("Người dân", "Citizens"),
    "nav.track": ("Tra cứu hồ sơ", "Track a dossier"),
    "nav.verify": ("Xác thực kết quả", "Verify a result"),
    "nav.inbox": ("Hộp công việc", "Task inbox"),
    "nav.modeller": ("Mô hình hóa quy trình", "Process modeller"),
    "nav.reformer": ("Tái cấu trúc quy trình", "Simplification"),
    "nav.signin": ("Đăng nhập", "Sign in"),
    "nav.signout": ("Đăng xuất", "Sign out"),
    "nav.menu": ("Trình đơn", "Menu"),
    "auth.expired": ("Phiên đăng nhập đã hết hạn.", "Your session has expired."),
    "auth.wrong_role": (
        "Trang này dành cho: {roles}. Bạn đang đăng nhập với vai trò {role}.",
        "This page is for: {roles}. You are signed in as {role}.",
    ),
    "error.network": (
        "Không kết nối được máy chủ: {detail}",
        "Could not reach the server: {detail}",
    ),
    "role.citizen": ("Người dân", "Citizen"),
    "role.officer": ("Cán bộ", "Officer"),
    "role.modeller": ("Cán bộ kiểm soát TTHC", "Procedure modeller"),
    "role.reformer": ("Cải cách hành chính", "Reformer"),
    "role.admin": ("Quản trị", "Administrator"),
    "lane.citizen": ("Người dân", "Citizen"),
    "lane.one_stop_desk": ("Bộ phận Một cửa", "One-stop desk"),
    "lane.specialist": ("Chuyên viên", "Specialist"),
    "lane.leader": ("Lãnh đạo", "Leader"),
    "lane.other_agency": ("Cơ quan khác", "Other agency"),
    "lane.null": ("—", "—"),
    "status.in_progress": ("Đang giải quyết", "In progress"),
    "status.completed": ("Đã có kết quả", "Completed"),
    "status.cancelled": ("Đã hủy", "Cancelled"),
    "status.error": ("Đang giải quyết (lỗi kết nối)", "In progress (connection error)"),
    "channel.online": ("Trực tuyến", "Online"),
    "channel.in_person": ("Trực tiếp", "In person"),
    "channel.postal": ("Bưu chính", "By post"),
    "deadline.none": ("Không có hạn", "No deadline"),
    "deadline.left": ("còn {n} ngày", "{n} days left"),
    "deadline.overdue": ("quá hạn {n} ngày", "{n} days overdue"),
    "deadline.was": ("hạn {date}", "due {date}"),
    "unit.minutes": ("{n} phút", "{n} min"),
    "unit.hours": ("{n} giờ", "{n} h"),
    "unit.workdays": ("{n} ngày làm việc", "{n} working days"),
    "unit.days": ("{n} ngày", "{n} days"),
    "unit.billion": ("tỷ ₫/năm", "billion ₫/year"),
    # home
    "home.title": ("Dịch vụ công trực tuyến toàn trình", "Full-process online public services"),
    "home.lead": (
        "Nộp hồ sơ trực tuyến với biểu mẫu đã điền sẵn từ cơ sở dữ liệu quốc gia, theo dõi tiến độ bằng mã biên nhận.",
        "Submit online with forms pre-filled from the national databases; follow your dossier with its receipt code.",
    ),
    "home.citizen": (
        "Chọn thủ tục, nộp hồ sơ, xem các bước của mình.",
        "Choose a procedure, submit, see your own steps.",
    ),
    "home.inbox": (
        "Tiếp nhận, xử lý, ký duyệt và trả kết quả hồ sơ.",
        "Receive, process, sign and return dossiers.",
    ),
    "home.modeller": (
        "Vẽ và sửa quy trình BPMN, kiểm tra và triển khai phiên bản.",
        "Draw and edit BPMN procedures, lint and deploy versions.",
    ),
    "home.reformer": (
        "Báo cáo cắt giảm bước và thành phần hồ sơ; số liệu EMC.",
        "Reports on steps and components to cut; EMC metrics.",
    ),
    "home.api": ("Tài liệu REST API", "REST API reference"),
    # login
    "login.title": ("Đăng nhập", "Sign in"),
    "login.dev": ("Đăng nhập thử (môi trường phát triển)", "Development sign-in"),
    "login.dev_hint": (
        "Máy chủ đang bật TOANTRINH_DEV_LOGIN: chọn vai trò để nhận mã truy cập 12 giờ.",
        "The server has TOANTRINH_DEV_LOGIN on: pick a role to get a 12-hour token.",
    ),
    "login.role": ("Vai trò", "Role"),
    "login.name": ("Họ tên", "Name"),
    "login.identity_number": ("Số định danh cá nhân", "Personal identity number"),
    "login.agency": ("Cơ quan", "Agency"),
    "login.lanes": ("Vai trò xử lý", "Lanes"),
    "login.submit": ("Đăng nhập", "Sign in"),
    "login.token": ("Dùng mã truy cập", "Use an access token"),
    "login.token_hint": (
        "Mã do quản trị viên cấp (POST /api/v1/auth/tokens).",
        "A token issued by an administrator (POST /api/v1/auth/tokens).",
    ),
    "login.token_label": ("Mã truy cập", "Access token"),
    "login.bad_token": (
        "Mã truy cập không hợp lệ hoặc đã hết hạn.",
        "The token is invalid or has expired.",
    ),
    # dossiers
    "dossier.receipt": ("Mã biên nhận", "Receipt code"),
    "dossier.procedure": ("Thủ tục", "Procedure"),
    "dossier.status": ("Trạng thái", "Status"),
    "dossier.due": ("Hạn giải quyết", "Due"),
    "dossier.applicant": ("Người nộp (số định danh)", "Applicant (identity number)"),
    "dossier.channel": ("Kênh nộp", "Channel"),
    "dossier.track_link": ("Trang tra cứu công khai →", "Public tracking page →"),
    "proc.agency": ("Cơ quan giải quyết", "Agency"),
    "proc.code": ("Mã thủ tục", "Procedure code"),
    "proc.time": ("Thời hạn giải quyết", "Processing time"),
    "proc.fee": ("Phí, lệ phí trực tuyến", "Online fee"),
    # citizen
    "citizen.title": ("Dịch vụ công cho người dân", "Public services for citizens"),
    "citizen.my_dossiers": ("Hồ sơ của tôi", "My dossiers"),
    "citizen.no_dossiers": ("Bạn chưa có hồ sơ nào.", "You have no dossiers yet."),
    "citizen.procedures": ("Thủ tục hành chính", "Administrative procedures"),
    "citizen.search": ("Tìm thủ tục…", "Find a procedure…"),
    "citizen.start": ("Nộp hồ sơ", "Apply"),
    "citizen.days": ("{n} ngày", "{n} days"),
    "citizen.free": ("Miễn phí", "Free"),
    "citizen.fee": ("{amount} ₫", "{amount} ₫"),
    "citizen.back": ("Danh sách thủ tục và hồ sơ", "Procedures and dossiers"),
    "citizen.submit_online": ("Nộp hồ sơ trực tuyến", "Submit online"),
    "citizen.prefill_hint": (
        "Thông tin đã có trong cơ sở dữ liệu quốc gia sẽ được điền sẵn; bạn chỉ nhập phần còn thiếu.",
        "What the national databases already hold is filled in for you; you type only the rest.",
    ),
    "citizen.prefill_summary": (
        "{prefilled} trường đã được điền sẵn từ cơ sở dữ liệu quốc gia; bạn chỉ cần nhập {typed} trường.",
        "{prefilled} fields were filled in from the national databases; you only need to type {typed}.",
    ),
    "citizen.send": ("Gửi", "Send"),
    "citizen.sent": ("Đã gửi. Mã biên nhận của bạn: {code}", "Sent. Your receipt code: {code}"),
    "citizen.waiting": (
        "Hồ sơ đang được cơ quan giải quyết (bước hiện tại: {steps}). Bạn sẽ được thông báo khi có kết quả.",
        "The agency is processing your dossier (current step: {steps}). You will be notified of the result.",
    ),
    "citizen.done": ("Hồ sơ đã có kết quả ngày {date}.", "Your dossier was completed on {date}."),
    "docs.title": ("Giấy tờ trong hồ sơ", "Documents in the dossier"),
    "docs.hint": (
        "Giấy tờ mà cơ quan tự khai thác từ cơ sở dữ liệu quốc gia thì bạn không phải nộp (Nghị quyết 66.7/2025/NQ-CP).",
        "Documents the agency reads from a national database are not asked of you (Resolution 66.7/2025/NQ-CP).",
    ),
    "docs.not_needed": ("Không phải nộp", "Not needed"),
    "docs.online_form": ("Kê khai trực tuyến", "Filled in online"),
    "docs.supply": ("Cần cung cấp", "To supply"),
    "docs.taken_from": ("Lấy từ: {source}", "Taken from: {source}"),
    # forms
    "form.choose": ("— Chọn —", "— Choose —"),
    "form.yes": ("Có", "Yes"),
    "form.no": ("Không", "No"),
    "form.required": ("bắt buộc", "required"),
    "form.one_per_line": ("Mỗi dòng một mục", "One item per line"),
    "form.row": ("Dòng {n}", "Row {n}"),
    "form.add_row": ("+ Thêm dòng", "+ Add row"),
    "form.remove_row": ("Xóa dòng", "Remove row"),
    "form.prefilled_from": ("Lấy từ {source}", "From {source}"),
    "form.prefilled_hint": (
        "Điền sẵn từ cơ sở dữ liệu; không cần nhập lại.",
        "Filled in from a database; no need to type it.",
    ),
    "form.registry": ("cơ sở dữ liệu quốc gia", "a national database"),
    "form.component": ("Thành phần hồ sơ", "Dossier component"),
    "form.file_code": ("Mã tệp (TL-…) hoặc mã giấy tờ trong kho (KQ-…)", "File code (TL-…) or warehouse code (KQ-…)"),
    "form.file_choose": ("Chọn tệp để tải lên", "Choose a file to upload"),
    "form.file_uploading": ("Đang tải lên {name}…", "Uploading {name}…"),
    "form.file_uploaded": ("Đã tải lên {name} ({kb} KB)", "Uploaded {name} ({kb} KB)"),
    "form.file_held": (
        "Dùng giấy tờ đã có trong kho dữ liệu của bạn",
        "Use a document already in your e-data warehouse",
    ),
    "form.file_reused": (
        "Dùng giấy tờ trong kho dữ liệu, không cần tải lên lại",
        "Using the document from the warehouse; no new upload needed",
    ),
    "form.prefilled_group": (
        "Đã điền sẵn từ cơ sở dữ liệu quốc gia ({n} trường)",
        "Filled in from the national databases ({n} fields)",
    ),
    "form.readonly_group": ("Thông tin chỉ xem", "Read-only information"),
    # tracking
    "track.title": ("Tra cứu tiến độ hồ sơ", "Track a dossier"),
    "track.hint": (
        "Nhập mã biên nhận in trên giấy tiếp nhận hoặc trong thông báo.",
        "Enter the receipt code from your acknowledgement or notification.",
    ),
    "track.placeholder": ("Ví dụ: LLTP-261123-1A2B3C4D", "e.g. LLTP-261123-1A2B3C4D"),
    "track.submit": ("Tra cứu", "Look up"),
    "track.received": ("Ngày tiếp nhận", "Received"),
    "track.completed": ("Ngày có kết quả", "Completed"),
    "track.current": ("Đang ở bước:", "Current step:"),
    "track.history": ("Các bước đã qua", "Steps so far"),
    "track.not_found": (
        "Không tìm thấy hồ sơ có mã biên nhận {code}.",
        "No dossier has the receipt code {code}.",
    ),
    # verifying an e-result
    "verify.title": ("Xác thực kết quả điện tử", "Verify an electronic result"),
    "verify.hint": (
        "Nhập mã kết quả (KQ-…) ghi trên giấy tờ để biết giấy tờ đó là gì, do ai cấp và còn "
        "hiệu lực không. Nhập thêm số định danh của người đưa giấy tờ để biết giấy tờ có phải "
        "của người đó không; thông tin cá nhân không bao giờ được hiển thị.",
        "Enter the result code (KQ-…) on the document to see what it is, who issued it and "
        "whether it is in force. Add the identity number of the person showing it to learn "
        "whether it is theirs; no personal data is ever shown.",
    ),
    "verify.code": ("Mã kết quả", "Result code"),
    "verify.placeholder": ("Ví dụ: KQ-20261204-9F3A1C2B", "e.g. KQ-20261204-9F3A1C2B"),
    "verify.identity": ("Số định danh (không bắt buộc)", "Identity number (optional)"),
    "verify.submit": ("Xác thực", "Verify"),
    "verify.status.valid": ("Còn hiệu lực", "In force"),
    "verify.status.expired": ("Hết hiệu lực", "Expired"),
    "verify.status.not_yet_valid": ("Chưa có hiệu lực", "Not yet in force"),
    "verify.holder_yes": (
        "Giấy tờ này là của người có số định danh {id}.",
        "This document belongs to the person with identity number {id}.",
    ),
    "verify.holder_no": (
        "Giấy tờ này KHÔNG phải của người có số định danh {id}.",
        "This document does NOT belong to the person with identity number {id}.",
    ),
    "verify.issuer": ("Cơ quan cấp", "Issued by"),
    "verify.issued": ("Ngày cấp", "Issued"),
    "verify.valid_until": ("Hiệu lực đến", "Valid until"),
    "verify.kind": ("Loại", "Kind"),
    "verify.hash": ("Mã băm SHA-256", "SHA-256"),
    "verify.sealed": (
        "Câu trả lời có chữ ký số của hệ thống (khóa {kid}, lúc {at}); khóa công khai ở /api/v1/results/keys.",
        "This answer is signed by the system (key {kid}, at {at}); the public key is at /api/v1/results/keys.",
    ),
    "verify.unsealed": (
        "Máy chủ chưa cấu hình khóa ký: câu trả lời không có chữ ký.",
        "The server has no signing key configured: this answer is unsigned.",
    ),
    "verify.not_found": (
        "Không có kết quả nào mang mã {code}.",
        "No result has the code {code}.",
    ),
    "warehouse.verify_link": ("Xác thực", "Verify"),
    # inbox
    "inbox.title": ("Hộp công việc", "Task inbox"),
    "inbox.lane": ("Vai trò xử lý", "Lane"),
    "inbox.all_lanes": ("Tất cả", "All"),
    "inbox.claimed": ("Người nhận", "Claimed"),
    "inbox.claimed_any": ("Tất cả", "All"),
    "inbox.claimed_unclaimed": ("Chưa ai nhận", "Unclaimed"),
    "inbox.claimed_mine": ("Tôi đã nhận", "Mine"),
    "inbox.refresh": ("Làm mới", "Refresh"),
    "inbox.count": ("{n} tác vụ", "{n} tasks"),
    "inbox.empty": ("Không có tác vụ nào.", "No tasks."),
    "inbox.pick": ("Chọn một tác vụ để xử lý.", "Pick a task to work on."),
    "inbox.claim": ("Nhận xử lý", "Claim"),
    "inbox.claimed_by": ("Đã nhận: {who}", "Claimed by {who}"),
    "inbox.claimed_ok": ("Đã nhận xử lý tác vụ.", "Task claimed."),
    "inbox.complete": ("Hoàn thành", "Complete"),
    "inbox.completed_ok": (
        "Đã hoàn thành “{task}” của hồ sơ {code} ({status}).",
        "Completed “{task}” of dossier {code} ({status}).",
    ),
    "inbox.complete_same": (
        "Hoàn thành cả {n} tác vụ cùng bước với dữ liệu này",
        "Complete all {n} tasks of this step with this data",
    ),
    "inbox.batch_done": (
        "Đã hoàn thành {done}/{total} tác vụ “{task}”.",
        "Completed {done} of {total} “{task}” tasks.",
    ),
    "inbox.history": ("Lịch sử xử lý ({n})", "History ({n})"),
    "inbox.files": ("Tệp của hồ sơ ({n})", "Dossier files ({n})"),
    "warehouse.title": ("Kho dữ liệu của tôi", "My e-data warehouse"),
    "warehouse.hint": (
        "Kết quả thủ tục và bản số hóa giấy tờ đã được kiểm tra; khi nộp hồ sơ sau, chọn giấy tờ "
        "ở đây thay vì tải lên lại.",
        "Results of your procedures and checked copies of your documents; in a later dossier, "
        "pick one of them instead of uploading it again.",
    ),
    "warehouse.empty": ("Kho chưa có giấy tờ nào.", "Nothing in the warehouse yet."),
    "warehouse.document": ("Giấy tờ", "Document"),
    "warehouse.code": ("Mã kết quả", "Result code"),
    "warehouse.issued": ("Ngày cấp", "Issued"),
    "warehouse.valid_until": ("Hiệu lực đến", "Valid until"),
    "warehouse.no_expiry": ("Không thời hạn", "No expiry"),
    "warehouse.copy": ("Bản số hóa", "Digitized copy"),
    "warehouse.result": ("Kết quả thủ tục", "Procedure result"),
    "warehouse.download": ("Tải về", "Download"),
    "inbox.file_download": ("Tải về", "Download"),
    "inbox.file_keep": ("Lưu vào kho dữ liệu", "Keep in the e-data warehouse"),
    "inbox.file_kept": (
        "Đã lưu vào kho dữ liệu của người nộp, mã {code}",
        "Kept in the applicant's e-data warehouse as {code}",
    ),
    "inbox.file_no_component": ("không gắn thành phần hồ sơ", "not filed under a component"),
    "inbox.file_kept_as": ("Đã lưu vào kho dữ liệu: {code}", "In the e-data warehouse: {code}"),
    "inbox.prefilled": (
        "{n} trường được điền sẵn từ cơ sở dữ liệu (đánh dấu bên dưới).",
        "{n} fields were filled in from databases (marked below).",
    ),
    "step.kind": ("Loại bước", "Step kind"),
    "step.actor": ("Người thực hiện", "Actor"),
    "step.duration": ("Thời gian dự kiến", "Expected duration"),
    "step.presence": ("Có mặt trực tiếp", "Physical presence"),
    "step.citizen_time": ("Thời gian của người nộp", "Applicant's time"),
    "step.legal_basis": ("Căn cứ pháp lý", "Legal basis"),
    # modeller
    "modeller.title": ("Mô hình hóa quy trình", "Process modeller"),
    "modeller.new": ("Quy trình mới", "New procedure"),
    "modeller.version": ("Phiên bản", "Version"),
    "modeller.version_n": ("phiên bản {n}", "version {n}"),
    "modeller.report": ("Báo cáo tái cấu trúc", "Simplification report"),
    "modeller.slug": ("Mã quy trình", "Slug"),
    "modeller.validate": ("Kiểm tra", "Lint"),
    "modeller.deploy": ("Lưu và triển khai", "Save and deploy"),
    "modeller.download": ("Tải .bpmn", "Download .bpmn"),
    "modeller.open_file": ("Mở tệp…", "Open file…"),
    "modeller.canvas": ("Sơ đồ BPMN", "BPMN diagram"),
    "modeller.valid": (
        "Mô hình hợp lệ ({tasks} tác vụ).",
        "The model is valid ({tasks} tasks).",
    ),
    "modeller.invalid": (
        "Mô hình có {n} lỗi, chưa triển khai được:",
        "The model has {n} problems and cannot be deployed:",
    ),
    "modeller.warnings": ("{n} cảnh báo", "{n} warnings"),
    "modeller.force_confirm": (
        "Chỉ kiểm tra cấu trúc từ chối mô hình. Vẫn triển khai (có chủ ý)? Các lỗi sẽ được "
        "giữ làm cảnh báo của phiên bản.",
        "Only the structural checks refuse this model. Deploy it anyway (on purpose)? The "
        "findings are kept as the version's warnings.",
    ),
    "modeller.deployed": (
        "Đã triển khai phiên bản {version} của “{slug}”.",
        "Deployed version {version} of “{slug}”.",
    ),
    "modeller.unchanged": (
        "Nội dung không đổi: vẫn là phiên bản {version}.",
        "Nothing changed: still version {version}.",
    ),
    "modeller.slug_needed": (
        "Nhập mã quy trình trước khi triển khai.",
        "Enter a slug before deploying.",
    ),
    "modeller.migrate_title": (
        "Hồ sơ đang chạy ở phiên bản cũ",
        "Running dossiers on an older version",
    ),
    "modeller.migrate_from": ("Từ", "From"),
    "modeller.migrate_check": ("Kiểm tra", "Check"),
    "modeller.migrate_go": ("Chuyển sang phiên bản {n}", "Move to version {n}"),
    "modeller.migrate_checked": (
        "{moved} hồ sơ chuyển được, {refused} hồ sơ phải giữ nguyên.",
        "{moved} dossiers can move, {refused} must stay.",
    ),
    "modeller.migrate_done": (
        "Đã chuyển {moved} hồ sơ; {refused} hồ sơ giữ nguyên.",
        "Moved {moved} dossiers; {refused} stay as they were.",
    ),
    "modeller.migrate_confirm_title": (
        "Chuyển hồ sơ sang phiên bản mới?",
        "Move the dossiers to the new version?",
    ),
    "modeller.migrate_confirm": (
        "{moved} hồ sơ đang chạy ở phiên bản {from} sẽ chuyển sang phiên bản {to} và đi tiếp "
        "theo quy trình mới; {refused} hồ sơ không chuyển được sẽ giữ nguyên. Mỗi lần chuyển "
        "được ghi vào nhật ký của hồ sơ.",
        "{moved} dossiers running on version {from} will move to version {to} and continue "
        "on the new process; {refused} that cannot move stay as they are. Each move is "
        "recorded in the dossier's history.",
    ),
    "modeller.migrate_confirm_go": ("Chuyển hồ sơ", "Move dossiers"),
    "modeller.migrate_cancel": ("Không chuyển", "Do not move"),
    "modeller.migrate_more": (
        "Còn hồ sơ chưa xét; bấm lại để tiếp tục.",
        "More dossiers remain; run it again to continue.",
    ),
    "modeller.import_warnings": (
        "Mở sơ đồ có {n} cảnh báo.",
        "The diagram opened with {n} warnings.",
    ),
    "props.title": ("Thuộc tính", "Properties"),
    "props.name": ("Tên", "Name"),
    "props.step": ("Bước (tt:step)", "Step (tt:step)"),
    "props.form": ("Biểu mẫu (tt:form)", "Form (tt:form)"),
    "props.component": ("Thành phần hồ sơ (tt:component)", "Dossier component (tt:component)"),
    "props.lane_role": ("Vai trò của lane (tt:lane)", "Lane role (tt:lane)"),
    "props.process": ("Quy trình (tt:procedure)", "Process (tt:procedure)"),
    "props.iso_hint": ("ISO 8601: PT30M, PT4H, P2D", "ISO 8601: PT30M, PT4H, P2D"),
    "props.pick_hint": (
        "Chọn một tác vụ, thành phần hồ sơ hoặc lane trên sơ đồ để sửa chú thích.",
        "Select a task, a dossier component or a lane to edit its annotations.",
    ),
    "comp.code": ("Mã thành phần", "Component code"),
    "comp.document_type": ("Loại giấy tờ", "Document type"),
    "comp.copy": ("Hình thức", "Form of copy"),
    "comp.required": ("Bắt buộc", "Required"),
    "comp.fields": ("Các trường dữ liệu (tt:field)", "Data fields (tt:field)"),
    "comp.fields_hint": (
        "Mỗi dòng một tên trường, theo danh mục trong data/registries.json",
        "One field name per line, from data/registries.json",
    ),
    "presence.none": ("Không", "None"),
    "presence.required": ("Phải có mặt", "Required"),
    "presence.required_by_law": ("Luật yêu cầu có mặt", "Required by law"),
    "copy.original": ("Bản chính", "Original"),
    "copy.certified_copy": ("Bản sao chứng thực", "Certified copy"),
    "copy.copy": ("Bản chụp", "Plain copy"),
    "copy.electronic": ("Bản điện tử", "Electronic"),
    # national catalogue report (toantrinh catalogue analyse --format json)
    "catalogue.title": ("Rà soát danh mục thủ tục quốc gia", "National catalogue review"),
    "catalogue.link": ("Mở báo cáo rà soát danh mục", "Open a catalogue review report"),
    "catalogue.hint": (
        "Mở tệp báo cáo JSON do lệnh toantrinh catalogue analyse --format json tạo ra. "
        "Tệp được đọc ngay trong trình duyệt, không tải lên máy chủ.",
        "Open the JSON report written by toantrinh catalogue analyse --format json. "
        "The file is read in the browser; nothing is uploaded.",
    ),
    "catalogue.open": ("Mở tệp báo cáo…", "Open a report file…"),
    "catalogue.not_a_report": (
        "Tệp này không phải báo cáo rà soát danh mục",
        "This file is not a catalogue review report",
    ),
    "catalogue.by_database": ("Theo cơ sở dữ liệu quốc gia", "By national database"),
    "catalogue.by_ministry": ("Theo bộ, ngành, địa phương", "By ministry or province"),
    "catalogue.procedures": ("Thủ tục, xếp theo cơ hội cắt giảm", "Procedures by opportunity"),
    "catalogue.search": ("Tìm theo mã hoặc tên thủ tục", "Search by code or name"),
    "catalogue.back": ("Toàn bộ danh mục", "Whole catalogue"),
    "catalogue.components": ("Thành phần hồ sơ", "Dossier components"),
    "catalogue.steps": ("Trình tự thực hiện", "Steps"),
    "catalogue.plan": (
        "Phương án đơn giản hóa dựa trên dữ liệu",
        "Data-based simplification plan",
    ),
    "catalogue.t_procedures": ("Thủ tục", "Procedures"),
    "catalogue.t_now": ("Thành phần bỏ được ngay", "Components to drop now"),
    "catalogue.t_later": ("Bỏ được khi kết nối, công bố dữ liệu", "Once connected or published"),
    "catalogue.t_presence": ("Bước luật yêu cầu có mặt", "Steps with presence by law"),
    "catalogue.t_readiness": ("Sẵn sàng toàn trình (TB) trước → sau", "Full-online readiness"),
    "catalogue.database": ("Cơ sở dữ liệu", "Database"),
    "catalogue.now": ("Bỏ ngay", "Now"),
    "catalogue.later": ("Khi kết nối", "Once connected"),
    "catalogue.ministry": ("Bộ, ngành", "Ministry"),
    "catalogue.code": ("Mã", "Code"),
    "catalogue.name": ("Thủ tục", "Procedure"),
    "catalogue.band": ("Hạng trước → sau", "Band before → after"),
    "catalogue.component": ("Thành phần hồ sơ", "Component"),
    "catalogue.step": ("Bước", "Step"),
    "catalogue.verdict": ("Đề xuất", "Proposal"),
    "catalogue.evidence": ("Căn cứ", "Evidence"),
    "catalogue.presence": ("Có mặt", "Presence"),
    "catalogue.source": ("Nguồn dữ liệu", "Data source"),
    "catalogue.change": ("Sửa đổi pháp lý cần thiết", "Legal change needed"),
    "catalogue.verdict.replaceable_by_database": ("Bỏ, khai thác CSDL", "Drop: read the database"),
    "catalogue.verdict.replaceable_by_e_copy": ("Bản sao điện tử", "Electronic copy"),
    "catalogue.verdict.keep": ("Giữ", "Keep"),
    "catalogue.verdict.review": ("Cần xem xét", "Review"),
    "catalogue.verdict.note": ("Ghi chú", "Note"),
    "catalogue.verdict.online": ("Trực tuyến", "Online"),
    "catalogue.verdict.remove": ("Bỏ bước", "Remove"),
    # reformer
    "reformer.title": ("Tái cấu trúc quy trình", "Process simplification"),
    "reformer.catalogue": ("Toàn bộ danh mục", "Whole catalogue"),
    "reformer.report": ("Báo cáo tái cấu trúc", "Simplification report"),
    "reformer.ranking": (
        "Xếp hạng theo mức tiết kiệm chi phí tuân thủ",
        "Ranking by compliance-cost saving",
    ),
    "reformer.download_html": ("Tải báo cáo HTML", "Download the HTML report"),
    "reformer.download_md": ("Tải báo cáo Markdown", "Download the Markdown report"),
    "reformer.open_modeller": ("Mở trong trình mô hình hóa", "Open in the modeller"),
    "reformer.open": ("Xem báo cáo", "Open report"),
    "reformer.diagram": ("Sơ đồ quy trình với các đề xuất", "Diagram with the proposals"),
    "reformer.legend": ("Chú giải", "Legend"),
    "reformer.legend_remove": ("Bước có thể bỏ", "Step to remove"),
    "reformer.legend_drop": ("Thành phần hồ sơ có thể bỏ", "Component to drop"),
    "reformer.legend_blocked": (
        "Chưa thực hiện được (chưa kết nối/công bố)",
        "Not yet possible (not connected/published)",
    ),
    "reformer.legend_change": ("Cần điều chỉnh", "To change"),
    "reformer.figures": ("Trước và sau tái cấu trúc", "Before and after"),
    "reformer.before": ("Trước", "Before"),
    "reformer.after": ("Sau", "After"),
    "reformer.savings": (
        "Tiết kiệm {cost} ₫/năm ({pct}% chi phí tuân thủ; {time}% thời gian).",
        "Saves {cost} ₫ a year ({pct}% of compliance cost; {time}% of time).",
    ),
    "reformer.cost_target_met": ("Đạt mục tiêu giảm 30% chi phí", "Meets the 30% cost-cut target"),
    "reformer.cost_target_missed": (
        "Chưa đạt mục tiêu giảm 30% chi phí",
        "Misses the 30% cost-cut target",
    ),
    "reformer.time_target_met": (
        "Đạt mục tiêu giảm 30% thời gian",
        "Meets the 30% time-cut target",
    ),
    "reformer.time_target_missed": (
        "Chưa đạt mục tiêu giảm 30% thời gian",
        "Misses the 30% time-cut target",
    ),
    "reformer.readiness": (
        "Mức sẵn sàng toàn trình (Thông tư 01/2023/TT-VPCP Điều 13)",
        "Full-online readiness (Circular 01/2023/TT-VPCP Art. 13)",
    ),
    "reformer.criterion": ("Tiêu chí", "Criterion"),
    "reformer.findings": ("Đề xuất ({n})", "Findings ({n})"),
    "reformer.no_findings": ("Không có đề xuất nào.", "No findings."),
    "reformer.legal_basis": ("Căn cứ pháp lý", "Legal basis"),
    "reformer.saving_each": ("tiết kiệm {cost} ₫/hồ sơ", "saves {cost} ₫ per dossier"),
    "reformer.whatif": (
        "Giả định kết nối thêm cơ sở dữ liệu",
        "What if more databases were connected",
    ),
    "reformer.whatif_hint": (
        "Chọn các cơ sở dữ liệu coi như đã kết nối rồi phân tích lại.",
        "Pick the databases to treat as connected, then re-run the analysis.",
    ),
    "reformer.whatif_apply": ("Phân tích lại", "Re-analyse"),
    "fig.steps": ("Số bước", "Steps"),
    "fig.citizen_steps": ("Bước của người nộp", "Applicant's steps"),
    "fig.components": ("Thành phần hồ sơ", "Dossier components"),
    "fig.typed_fields": ("Trường phải nhập", "Typed fields"),
    "fig.visits": ("Lần phải đến cơ quan", "Visits in person"),
    "fig.critical_path": ("Thời gian (đường găng)", "Critical-path time"),
    "fig.cost_per_dossier": ("Chi phí tuân thủ/hồ sơ", "Compliance cost per dossier"),
    "fig.annual_cost": ("Chi phí tuân thủ/năm", "Annual compliance cost"),
    "fig.readiness": ("Điểm sẵn sàng toàn trình", "Readiness score"),
    "cat.procedures": ("Thủ tục đã phân tích", "Procedures analysed"),
    "cat.computing": (
        "Đang phân tích mọi quy trình đã triển khai; báo cáo sẽ hiện khi xong…",
        "Analysing every deployed procedure; the report appears when it is ready…",
    ),
    "cat.components_removed": ("Thành phần hồ sơ có thể bỏ", "Components that can go"),
    "cat.steps_removed": ("Bước có thể bỏ", "Steps that can go"),
    "cat.visits_removed": ("Lần đến cơ quan có thể bỏ", "Visits that can go"),
    "cat.annual_cost_saved": ("Chi phí tuân thủ tiết kiệm", "Compliance cost saved"),
    "cat.band": ("Xếp loại", "Band"),
    "cat.cost_cut": ("Giảm chi phí", "Cost cut"),
    # metrics
    "metrics.title": ("Số liệu theo Hệ thống EMC", "EMC metrics"),
    "metrics.from": ("Từ ngày", "From"),
    "metrics.to": ("Đến ngày", "To"),
    "metrics.apply": ("Xem", "Show"),
    "metrics.received": ("Hồ sơ tiếp nhận", "Dossiers received"),
    "metrics.online_rate": ("Tỷ lệ trực tuyến", "Online rate"),
    "metrics.full_online_rate": ("Tỷ lệ toàn trình", "Full-online rate"),
    "metrics.on_time_rate": ("Tỷ lệ đúng hạn", "On-time rate"),
    "metrics.early_rate": ("Tỷ lệ trước hạn", "Early rate"),
    "metrics.completed": ("Đã giải quyết", "Completed"),
    "metrics.in_progress": ("Đang giải quyết", "In progress"),
    "metrics.overdue": ("Quá hạn", "Overdue"),
    "metrics.avg_days": ("Số ngày giải quyết TB", "Average days"),
    "metrics.rates_chart": ("Tỷ lệ theo thủ tục (%)", "Rates by procedure (%)"),
    "metrics.volume_chart": ("Số hồ sơ theo thủ tục", "Dossiers by procedure"),
    "metrics.no_access": (
        "Số liệu EMC dành cho cán bộ và người làm cải cách hành chính.",
        "EMC metrics are for officers and reformers.",
    ),
}
for _prefix, _table in (
    ("kind", _KINDS),
    ("actor", _ACTORS),
    ("event", _EVENTS),
    ("rule", _RULES),
    ("crit", _CRITERIA),
    ("fstatus", _FINDING_STATUSES),
):
    _PAIRS.update({f"{_prefix}.{key}": value for key, value in _table.items()})

MESSAGES: dict[str, dict[str, str]] = {
    "vi": {key: vi for key, (vi, _en) in _PAIRS.items()},
    "en": {key: en for key, (_vi, en) in _PAIRS.items()},
}


def messages(lang: str) -> dict[str, str]:
    """The string table of ``lang`` (Vietnamese when unknown)."""
    return MESSAGES.get(lang, MESSAGES[DEFAULT_LANGUAGE])
