"""``review.md``: what a procedure-control officer must check to finish a drafted model.

Lists what the importer could not read, what it inferred with low confidence, what the
one-stop pattern added, and what the law requires in person, each with the words of the
record that led to it.
"""

from __future__ import annotations

from .applicants import describe
from .components import role_vi
from .draft import Draft
from .record import Record

LOW = 0.6
KIND_VI = {
    "submit": "nộp",
    "receive": "tiếp nhận",
    "verify": "kiểm tra",
    "appraise": "thẩm định",
    "approve": "phê duyệt",
    "sign": "ký",
    "pay": "nộp phí",
    "deliver_result": "trả kết quả",
    "handoff": "chuyển",
    "inspect": "kiểm tra tại chỗ",
    "other": "khác",
}
ACTOR_VI = {
    "citizen": "người nộp",
    "one_stop_desk": "bộ phận một cửa",
    "specialist": "cơ quan giải quyết",
    "leader": "lãnh đạo",
    "other_agency": "cơ quan phối hợp",
    "postal": "bưu chính",
}


def _cut(text: str, n: int = 140) -> str:
    text = text.replace("|", "/")
    return text if len(text) <= n else text[: n - 1] + "…"


def review_markdown(record: Record, draft: Draft) -> str:
    """The review notes of one drafted record."""
    time, time_source = record.statutory_time()
    lines = [
        f"# Rà soát mô hình dự thảo: {record.code} — {record.name}",
        "",
        f"Nguồn: {record.url or 'bản ghi nhập vào'} (dạng {record.shape}). "
        f"Quyết định công bố: {record.decision or '—'}; {record.ministry or '—'}.",
        "",
    ]
    lines += ["## Không đọc được hoặc cần xác nhận", ""]
    todo = list(record.problems)
    if time and time.unit in ("working_days",):
        todo.append(
            f"hẹn giờ thời hạn dùng {time.iso()} (ngày làm việc × 7/5); nguồn: {time_source}"
        )
    elif time_source.startswith("Trình tự"):
        todo.append(f"thời hạn lấy từ trình tự: {time_source}")
    todo.append(
        "các tác vụ chưa gắn biểu mẫu điện tử (tt:form) trừ tiếp nhận, thẩm định, nộp phí, "
        "trả kết quả: gắn biểu mẫu tờ khai của thủ tục"
    )
    todo += describe(record.applicants)
    if draft.alternatives:
        firsts = sorted(set(draft.alternatives.values()))
        todo.append(
            "các bước nêu theo từng hình thức nộp (trực tiếp, trực tuyến, bưu chính) được gộp "
            f"thành một tác vụ: {', '.join(f'Step_{i}' for i in firsts)}; hình thức là lựa "
            "chọn của người nộp, không phải các bước nối tiếp"
        )
    lines += [f"- {p}" for p in todo] + [""]
    if draft.added:
        lines += ["## Bước do mẫu một cửa (Nghị định 118/2025/NĐ-CP) bổ sung", ""]
        lines += [f"- {a}" for a in draft.added] + [""]
    lines += [
        "## Thành phần hồ sơ",
        "",
        "| # | thành phần (như công bố) | là | loại giấy tờ | bản | độ tin cậy | cần xem |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in record.components:
        flags = []
        if c.role == "document" and c.confidence < LOW:
            flags.append("loại giấy tờ chưa chắc")
        if c.mixed:
            flags.append(f"có giấy tờ thay thế: {c.mixed}")
        if c.disqualified:
            flags.append(c.disqualified)
        if c.database_support:
            flags.append(f"văn bản nêu “{c.database_support}”")
        lines.append(
            f"| {c.index} | {_cut(c.name)} | {role_vi(c.role)} | {c.document_type or '—'}"
            f" | {c.copy} | {c.confidence:.2f} | {'; '.join(flags)} |"
        )
    lines += [
        "",
        "## Trình tự thực hiện",
        "",
        "| # | bước | việc | người thực hiện | có mặt | tác vụ | cần xem |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in record.steps:
        flags = []
        if s.presence == "required_by_law":
            flags.append(f"luật yêu cầu có mặt: “{s.presence_words}” — xác nhận căn cứ")
        if s.presence_doubt:
            flags.append(f"nhắc “{s.presence_doubt}”: xem có phải có mặt, kiểm tra tại chỗ")
        if s.confidence < LOW:
            flags.append("việc hoặc người thực hiện chưa chắc")
        task = draft.steps.get(s.index)
        merged = " (hình thức khác)" if s.index in draft.alternatives else " (gộp)"
        lines.append(
            f"| {s.index} | {_cut(s.text)} | {KIND_VI[s.kind]} | {ACTOR_VI[s.actor]} | "
            f"{s.presence} | {task}{merged if task != f'Step_{s.index}' else ''} | "
            f"{'; '.join(flags)} |"
        )
    lines.append("")
    return "\n".join(lines)
