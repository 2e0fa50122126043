"""Decisions are explicit choices (issue 26 item 2).

A single required checkbox ("Đủ điều kiện…", "Hồ sơ đầy đủ, hợp lệ") meant refusal when
left unticked: an officer refused a dossier by accident. The library's descriptions still
say ``approved``/``dossier_valid`` where that is shortest to write; this module rewrites
them, as the library is written, into a choice whose consequence is in words:

* ``dossier_valid`` (receive) → ``intake_decision``: ``accept`` (the dossier goes on) or
  ``supplement`` (the citizen is asked to supplement it; ``missing_items`` then required);
* ``approved`` (appraise) → ``decision``: ``approve`` or ``refuse`` (a reason then
  required: the form's ``refusal_reason``, else ``decision_reason``; the citizen reads it).

Forms get a ``oneOf`` of ``const`` + ``title`` (shown as radio buttons, docs/forms.md),
gateway conditions read the new value, and example dossiers choose it.
"""

from __future__ import annotations

from typing import Any

INTAKE = "intake_decision"
DECISION = "decision"
REASON = "decision_reason"


def intake_property(question: str) -> dict[str, Any]:
    return {
        "type": "string",
        "title": "Kết quả kiểm tra hồ sơ",
        "description": f"{question}?",
        "oneOf": [
            {"const": "accept", "title": "Tiếp nhận: hồ sơ đầy đủ, hợp lệ — chuyển giải quyết"},
            {
                "const": "supplement",
                "title": "Yêu cầu công dân bổ sung, hoàn thiện hồ sơ — ghi rõ nội dung cần bổ sung",
            },
        ],
    }


def decision_property(question: str) -> dict[str, Any]:
    return {
        "type": "string",
        "title": "Quyết định",
        "description": f"{question}?",
        "oneOf": [
            {"const": "approve", "title": "Đồng ý giải quyết — chuyển bước tiếp theo"},
            {
                "const": "refuse",
                "x-confirm": True,
                "title": "Từ chối giải quyết — trả lời công dân bằng văn bản, nêu rõ lý do",
            },
        ],
    }


def _rename(node: Any, old: str, new: str, values: dict[Any, str]) -> Any:
    """``node`` with the property ``old`` called ``new`` wherever a schema names it
    (``properties``, ``required``), its ``const`` values mapped through ``values``."""
    if isinstance(node, list):
        return [new if item == old else _rename(item, old, new, values) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict) and old in value:
            value = {(new if k == old else k): v for k, v in value.items()}
            sub = value[new]
            if isinstance(sub, dict) and "const" in sub and sub["const"] in values:
                value[new] = {**sub, "const": values[sub["const"]]}
        out[key] = _rename(value, old, new, values)
    return out


def form(schema: dict[str, Any]) -> dict[str, Any]:
    """The form with its decision checkbox turned into an explicit choice."""
    props = schema.get("properties") or {}
    if (
        isinstance(props.get("dossier_valid"), dict)
        and props["dossier_valid"].get("type") == "boolean"
    ):
        question = props["dossier_valid"].get("title", "Hồ sơ đầy đủ, hợp lệ")
        schema = _rename(schema, "dossier_valid", INTAKE, {True: "accept", False: "supplement"})
        schema["properties"][INTAKE] = intake_property(question)
        if "missing_items" in schema["properties"]:
            schema.setdefault("allOf", []).append(
                {
                    "if": {"properties": {INTAKE: {"const": "supplement"}}, "required": [INTAKE]},
                    "then": {
                        "required": ["missing_items"],
                        "properties": {"missing_items": {"minLength": 1}},
                    },
                }
            )
    props = schema.get("properties") or {}
    if isinstance(props.get("approved"), dict) and props["approved"].get("type") == "boolean":
        question = props["approved"].get("title", "Đủ điều kiện giải quyết")
        schema = _rename(schema, "approved", DECISION, {True: "approve", False: "refuse"})
        schema["properties"][DECISION] = decision_property(question)
        reason = "refusal_reason" if "refusal_reason" in schema["properties"] else REASON
        schema["properties"][reason] = {
            "type": "string",
            "maxLength": 2000,
            "title": "Lý do từ chối (bắt buộc khi từ chối; công dân sẽ đọc được)",
        }
        schema.setdefault("allOf", []).append(
            {
                "if": {
                    "properties": {DECISION: {"not": {"const": "approve"}}},
                    "required": [DECISION],
                },
                "then": {"required": [reason], "properties": {reason: {"minLength": 1}}},
            }
        )
    return schema


CONDITIONS = {
    "approved == True": f'{DECISION} == "approve"',
    "approved == False": f'{DECISION} == "refuse"',
    "dossier_valid == True": f'{INTAKE} == "accept"',
    "dossier_valid == False": f'{INTAKE} == "supplement"',
}


def condition(text: str | None) -> str | None:
    if text is None:
        return None
    for old, new in CONDITIONS.items():
        text = text.replace(old, new)
    return text


def example(node: Any, reasons: dict[str, str] | None = None, reason: str = REASON) -> Any:
    """An example dossier choosing the new values (a refusal with a reason). ``reasons``:
    task id → the field its form keeps a refusal's reason in."""
    reasons = reasons or {}
    if isinstance(node, list):
        return [example(item, reasons, reason) for item in node]
    if not isinstance(node, dict):
        return node
    if isinstance(node.get("task"), str):
        reason = reasons.get(node["task"], REASON)
    out = {k: example(v, reasons, reason) for k, v in node.items()}
    if isinstance(out.get("dossier_valid"), bool):
        valid = out.pop("dossier_valid")
        out[INTAKE] = "accept" if valid else "supplement"
        if not valid and not out.get("missing_items"):
            out["missing_items"] = "Thành phần hồ sơ chưa đầy đủ"
    if isinstance(out.get("approved"), bool):
        approved = out.pop("approved")
        out[DECISION] = "approve" if approved else "refuse"
        if not approved and not out.get(reason):
            out[reason] = out.get("appraisal_opinion") or "Không đủ điều kiện theo quy định"
    return out


def reason_fields(nodes: list[Any], forms: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Task id → the field its form keeps a refusal's reason in."""
    out = {}
    for node in nodes:
        props = (forms.get(getattr(node, "form", None) or "") or {}).get("properties") or {}
        out[node.id] = "refusal_reason" if "refusal_reason" in props else REASON
    return out
