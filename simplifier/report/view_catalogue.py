"""What the catalogue report says (báo cáo rà soát danh mục thủ tục), as plain Vietnamese
text and numbers: the assumption about connected databases, the totals, the procedures by
saving and by readiness, the linked groups and the registries. The page-by-page
counterpart of :mod:`.view` for one procedure."""

from __future__ import annotations

from typing import Any

from ..catalogue import CatalogueAnalysis
from ..score import BANDS_NOTE
from .fmt import count, listing, num, pct, signed, vnd, yes_no


def catalogue_view(cat: CatalogueAnalysis) -> dict[str, Any]:
    return {
        "assumption": _assumption(cat.assumption or {}),
        "totals": _totals(cat.totals),
        "bands_note": BANDS_NOTE,
        "by_saving": [_saving_row(i, e) for i, e in enumerate(cat.entries, 1)],
        "by_readiness": [
            {
                "rank": num(i),
                "name": e["name"],
                "before": _brief(e["before"]),
                "after": _brief(e["after"]),
            }
            for i, e in enumerate(cat.by_readiness, 1)
        ],
        "groups": [_group_row(cat, g) for g in cat.groups],
        "registries": [_registry_row(r) for r in cat.registries],
        "errors": [f"{e['slug']}: {e['error']}" for e in cat.errors],
    }


def _bands(bands: dict[str, int]) -> str:
    return ", ".join(f"{k}: {num(v)}" for k, v in bands.items())


def _brief(side: dict) -> str:
    return f"{num(side['readiness'], 1)} ({side['band']})"


def _assumption(assume: dict[str, Any]) -> str:
    """Which databases the figures assume connected: exactly a given set, or the
    catalogue's with some added."""
    names = assume.get("names") or {}
    connected = [names.get(i, i) for i in assume.get("connected", [])]
    if assume.get("mode") == "exact":
        assumption = "Giả định đúng các cơ sở dữ liệu sau đã kết nối: " + listing(
            connected, "không có"
        )
    else:
        added = [names.get(i, i) for i in assume.get("added", [])]
        assumption = "Theo danh mục cơ sở dữ liệu" + (
            f", giả định kết nối thêm {listing(added)}" if added else ""
        )
        assumption += "; đã kết nối: " + listing(connected, "không có")
    return assumption + "."


def _totals(t: dict[str, Any]) -> list[str]:
    return [
        f"Số thủ tục phân tích: {num(t['procedures'])} (không đọc được: {num(t['failed'])}); "
        f"{num(t['groups'])} nhóm thủ tục liên thông được tính như một thủ tục, tổng cộng "
        f"{num(t['units'])} thủ tục để xếp loại.",
        f"Bỏ được {count(t['steps_removed'], 'bước')}, "
        f"{count(t['components_removed'], 'thành phần hồ sơ')}, "
        f"{count(t['typed_fields_removed'], 'trường biểu mẫu')} và "
        f"{count(t['visits_removed'], 'lần đến cơ quan')}.",
        f"Chi phí tuân thủ tiết kiệm mỗi năm: {vnd(t['annual_cost_saved'])}.",
        f"Đạt mục tiêu cắt giảm 30% của Nghị quyết 66/NQ-CP: {num(t['meeting_time_target'])} "
        f"thủ tục về thời gian, {num(t['meeting_cost_target'])} thủ tục về chi phí.",
        f"Đủ mọi tiêu chí toàn trình: {num(t['full_online_before'])} trước, "
        f"{num(t['full_online_after'])} sau đơn giản hóa.",
        f"Xếp loại trước: {_bands(t['bands_before'])}; sau: {_bands(t['bands_after'])}.",
    ]


def _saving_row(rank: int, e: dict[str, Any]) -> dict[str, str]:
    return {
        "rank": num(rank),
        "name": e["name"],
        "slug": e["slug"],
        "steps": signed(e["savings"]["steps"]),
        "components": signed(e["savings"]["components"]),
        "fields": signed(e["savings"]["typed_fields"]),
        "visits": signed(e["savings"]["visits"]),
        "time": pct(e["savings"]["time_cut_pct"]),
        "cost": pct(e["savings"].get("cost_cut_pct")),
        "annual": vnd(e["savings"].get("annual_cost")),
        "readiness": f"{_brief(e['before'])} → {_brief(e['after'])}",
        "review": num(e.get("review", 0)),
    }


def _group_row(cat: CatalogueAnalysis, g: dict[str, Any]) -> dict[str, str]:
    """A group of linked procedures (liên thông), its members named as in the catalogue."""
    return {
        "name": g["name"],
        "members": listing(
            [next((e["name"] for e in cat.entries if e["slug"] == m), m) for m in g["members"]]
        ),
        "before": _brief(g["before"]),
        "after": _brief(g["after"]),
        "annual": vnd(g["before"]["annual_cost"]) + " → " + vnd(g["after"]["annual_cost"]),
    }


def _registry_row(r: dict[str, Any]) -> dict[str, str]:
    return {
        "name": r["name_vi"],
        "connected": yes_no(r["connected"]),
        "published": yes_no(r["scope_published"]),
        "procedures": num(r["procedures"]),
        "actionable": num(r["actionable"]),
        "blocked": num(r["blocked"]),
        "potential": num(r["potential"]),
    }
