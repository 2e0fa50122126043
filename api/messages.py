"""Vietnamese validation messages for marshmallow (what API clients show to people).

marshmallow keeps its default messages on the field and validator classes; the API
replaces them once, at import, so every schema of the API answers in Vietnamese.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

_FIELDS: dict[type, dict[str, str]] = {
    fields.Field: {
        "required": "Trường này là bắt buộc.",
        "null": "Trường này không được để trống.",
        "validator_failed": "Giá trị không hợp lệ.",
    },
    fields.Nested: {"type": "Phải là một đối tượng."},
    fields.List: {"invalid": "Phải là một danh sách."},
    fields.Tuple: {"invalid": "Phải là một bộ giá trị."},
    fields.String: {
        "invalid": "Phải là một chuỗi ký tự.",
        "invalid_utf8": "Chuỗi không phải UTF-8 hợp lệ.",
    },
    fields.UUID: {"invalid_uuid": "Phải là một UUID."},
    fields.Number: {"invalid": "Phải là một số.", "too_large": "Số quá lớn."},
    fields.Integer: {"invalid": "Phải là một số nguyên."},
    fields.Boolean: {"invalid": "Phải là giá trị đúng/sai (true/false)."},
    fields.DateTime: {
        "invalid": "Phải là ngày giờ theo ISO 8601.",
        "invalid_awareness": "Ngày giờ phải ghi rõ múi giờ.",
        "format": "Không định dạng được ngày giờ.",
    },
    fields.Date: {
        "invalid": "Phải là ngày theo định dạng YYYY-MM-DD.",
        "format": "Không định dạng được ngày.",
    },
    fields.Dict: {"invalid": "Phải là một đối tượng."},
    fields.Url: {"invalid": "Địa chỉ URL không hợp lệ."},
    fields.Email: {"invalid": "Địa chỉ thư điện tử không hợp lệ."},
    fields.Enum: {"unknown": "Phải là một trong: {choices}."},
}


def install() -> None:
    for cls, messages in _FIELDS.items():
        own = dict(cls.__dict__.get("default_error_messages", {}))
        own.update(messages)
        cls.default_error_messages = own
    Schema._default_error_messages = {
        "type": "Kiểu dữ liệu đầu vào không hợp lệ.",
        "unknown": "Trường không được phép.",
    }
    validate.OneOf.default_message = "Phải là một trong: {choices}."
    validate.ContainsOnly.default_message = "Chỉ được chọn trong: {choices}."
    validate.Length.message_min = "Độ dài tối thiểu là {min}."
    validate.Length.message_max = "Độ dài tối đa là {max}."
    validate.Length.message_all = "Độ dài phải từ {min} đến {max}."
    validate.Length.message_equal = "Độ dài phải bằng {equal}."
    validate.Range.message_min = "Phải {min_op} {{min}}."
    validate.Range.message_max = "Phải {max_op} {{max}}."
    validate.Range.message_all = "Phải {min_op} {{min}} và {max_op} {{max}}."
    validate.Range.message_gte = "lớn hơn hoặc bằng"
    validate.Range.message_gt = "lớn hơn"
    validate.Range.message_lte = "nhỏ hơn hoặc bằng"
    validate.Range.message_lt = "nhỏ hơn"
    validate.Regexp.default_message = "Không đúng định dạng yêu cầu."
    validate.URL.default_message = "Địa chỉ URL không hợp lệ."
    validate.Email.default_message = "Địa chỉ thư điện tử không hợp lệ."
    validate.Equal.default_message = "Phải bằng {other}."


install()
