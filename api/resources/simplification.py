"""Simplification reports (tái cấu trúc quy trình) from the pure ``simplifier`` package:
one deployed model, the whole catalogue, and what-if over connected registries."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from api.app import db, get_engine
from api.auth import requires
from api.errors import ApiProblem
from engine.persistence import ProcessModel
from engine.registries.catalog import catalog_path

blp = Blueprint("simplification", __name__, url_prefix="/api/v1/simplification",
                description="Báo cáo tái cấu trúc: bước, thành phần hồ sơ, chi phí tuân thủ, mức sẵn sàng toàn trình")

COST_MODEL = Path(__file__).resolve().parents[2] / "data" / "cost_model.json"
FORMATS = {"json": "application/json", "markdown": "text/markdown", "html": "text/html",
           "bpmn": "application/xml"}


class ReportQuerySchema(Schema):
    connect = fields.String(
        load_default=None, validate=validate.Length(max=1000),
        metadata={"description": "what-if: mã CSDL kết nối thêm vào các CSDL danh mục đã ghi là kết nối, "
                                 "cách nhau bởi dấu phẩy"})
    registries = fields.String(
        load_default=None, validate=validate.Length(max=1000),
        metadata={"description": "what-if: toàn bộ tập mã CSDL coi như đã kết nối (thay cho danh mục), "
                                 "cách nhau bởi dấu phẩy; không gửi: theo danh mục"})
    province = fields.String(load_default=None, validate=validate.Length(min=1, max=100))
    format = fields.String(load_default="json", validate=validate.OneOf(tuple(FORMATS)))


@lru_cache(maxsize=4)
def _json_file(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _catalogue() -> dict[str, Any]:
    return _json_file(str(catalog_path()))


def _connected(value: str | None, field: str = "registries") -> list[str] | None:
    if value is None:
        return None
    names = [n.strip() for n in value.split(",") if n.strip()]
    known = {r["id"] for r in _catalogue()["registries"]}
    unknown = sorted(set(names) - known)
    if unknown:
        raise ApiProblem(422, "Có mã cơ sở dữ liệu không có trong danh mục.", kind="validation",
                         errors=[{"field": field, "message": f"Không có trong danh mục: {', '.join(unknown)}"}])
    return names


def _province(value: str | None) -> str | None:
    if value is not None and value not in _json_file(str(COST_MODEL)).get("provinces", {}):
        raise ApiProblem(422, "Tỉnh không có tham số trong mô hình chi phí.", kind="validation",
                         errors=[{"field": "province", "message": f"Không có tham số cho '{value}'."}])
    return value


def _groups() -> list[dict[str, Any]]:
    path = Path(__file__).resolve().parents[2] / "process_models" / "groups.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


def _item(pm: ProcessModel) -> dict[str, Any]:
    version = pm.latest
    return {"slug": pm.slug, "xml": version.bpmn, "procedure": dict(pm.procedure or {}, slug=pm.slug),
            "forms": version.forms or {}}


def _render(text: str, fmt: str) -> Response:
    return Response(text, mimetype=FORMATS[fmt])


@blp.get("/models/<string(minlength=1, maxlength=120):slug>")
@requires("modeller", "reformer", "admin")
@blp.arguments(ReportQuerySchema, location="query", as_kwargs=True)
@blp.response(200, description="Báo cáo (JSON, Markdown hoặc HTML theo `format`)",
              example={"procedure": {}, "findings": [], "before": {}, "after": {}, "savings": {}})
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def model_report(slug: str, format: str, registries: str | None = None, province: str | None = None,
                 connect: str | None = None):
    """Phân tích một quy trình đã triển khai (phiên bản mới nhất): phát hiện, điểm, tiết kiệm."""
    from simplifier import ModelLoadError, analyse
    from simplifier import report as reports

    pm = get_engine().get_model(slug)
    item = _item(pm)
    try:
        analysis = analyse(item["xml"], _catalogue(), procedure=item["procedure"], forms=item["forms"],
                           connected=_connected(registries), connect=_connected(connect, "connect") or (),
                           cost_model=_json_file(str(COST_MODEL)), province=_province(province))
    except ModelLoadError as err:
        raise ApiProblem(422, f"Không phân tích được mô hình: {err}", kind="model-invalid",
                         errors=[{"field": "bpmn", "message": str(err)}]) from err
    if format == "markdown":
        return _render(reports.to_markdown(analysis), format)
    if format == "html":
        return _render(reports.to_html(analysis), format)
    if format == "bpmn":  # the model after the simplification (the report page's second diagram)
        return _render(analysis.rewritten_bpmn(), format)
    return _render(reports.to_json(analysis), format)


@blp.get("/catalogue")
@requires("modeller", "reformer", "admin")
@blp.arguments(ReportQuerySchema, location="query", as_kwargs=True)
@blp.response(200, description="Xếp hạng toàn bộ danh mục (JSON, Markdown hoặc HTML theo `format`)",
              example={"totals": {}, "ranked_by_saving": [], "ranked_by_readiness": [], "registries": []})
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def catalogue_report(format: str, registries: str | None = None, province: str | None = None,
                     connect: str | None = None):
    """Phân tích mọi quy trình đã triển khai, xếp hạng theo mức tiết kiệm và mức sẵn sàng toàn trình."""
    from simplifier import analyse_catalogue
    from simplifier import report as reports

    if format == "bpmn":
        raise ApiProblem(422, "Định dạng 'bpmn' chỉ có cho báo cáo của một quy trình.", kind="validation",
                         errors=[{"field": "format", "message": "Định dạng 'bpmn' chỉ có cho một quy trình."}])
    items = [_item(pm) for pm in db.session.scalars(select(ProcessModel).order_by(ProcessModel.slug))
             if pm.latest is not None]
    result = analyse_catalogue(items, _catalogue(), connected=_connected(registries),
                               connect=_connected(connect, "connect") or (),
                               cost_model=_json_file(str(COST_MODEL)), province=_province(province),
                               groups=_groups())
    if format == "markdown":
        return _render(reports.catalogue_markdown(result), format)
    if format == "html":
        return _render(reports.catalogue_html(result), format)
    return _render(reports.catalogue_json(result), format)
