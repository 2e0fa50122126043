"""Simplification reports (tái cấu trúc quy trình) from the pure ``simplifier`` package:
one deployed model, the whole catalogue, and what-if over connected registries."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, current_app, g, jsonify, request, url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import sessionmaker

from toantrinh.api.auth import requires
from toantrinh.api.context import db, get_engine
from toantrinh.api.errors import ApiProblem
from toantrinh.engine.catalogue_report import (
    CatalogueParams,
    Outcome,
    Reports,
    cost_model,
    registry_catalogue,
)
from toantrinh.engine.persistence import ProcessModel
from toantrinh.simplifier import ModelLoadError, analyse
from toantrinh.simplifier.report import to_html, to_json, to_markdown

blp = Blueprint(
    "simplification",
    __name__,
    url_prefix="/api/v1/simplification",
    description="Báo cáo tái cấu trúc: bước, thành phần hồ sơ, chi phí tuân thủ, mức sẵn sàng toàn trình",
)

FORMATS = {
    "json": "application/json",
    "markdown": "text/markdown",
    "html": "text/html",
    "bpmn": "application/xml",
}


class ReportQuerySchema(Schema):
    connect = fields.String(
        load_default=None,
        validate=validate.Length(max=1000),
        metadata={
            "description": "what-if: mã CSDL kết nối thêm vào các CSDL danh mục đã ghi là kết nối, "
            "cách nhau bởi dấu phẩy"
        },
    )
    registries = fields.String(
        load_default=None,
        validate=validate.Length(max=1000),
        metadata={
            "description": "what-if: toàn bộ tập mã CSDL coi như đã kết nối (thay cho danh mục), "
            "cách nhau bởi dấu phẩy; không gửi: theo danh mục"
        },
    )
    province = fields.String(load_default=None, validate=validate.Length(min=1, max=100))
    format = fields.String(load_default="json", validate=validate.OneOf(tuple(FORMATS)))


def _connected(value: str | None, field: str = "registries") -> list[str] | None:
    if value is None:
        return None
    names = [n.strip() for n in value.split(",") if n.strip()]
    known = {r["id"] for r in registry_catalogue()["registries"]}
    unknown = sorted(set(names) - known)
    if unknown:
        raise ApiProblem(
            422,
            "Có mã cơ sở dữ liệu không có trong danh mục.",
            kind="validation",
            errors=[{"field": field, "message": f"Không có trong danh mục: {', '.join(unknown)}"}],
        )
    return names


def _province(value: str | None) -> str | None:
    if value is not None and value not in cost_model().get("provinces", {}):
        raise ApiProblem(
            422,
            "Tỉnh không có tham số trong mô hình chi phí.",
            kind="validation",
            errors=[{"field": "province", "message": f"Không có tham số cho '{value}'."}],
        )
    return value


def _item(pm: ProcessModel) -> dict[str, Any]:
    version = pm.latest
    return {
        "slug": pm.slug,
        "xml": version.bpmn,
        "procedure": dict(pm.procedure or {}, slug=pm.slug),
        "forms": version.forms or {},
    }


def _render(text: str, fmt: str) -> Response:
    return Response(text, mimetype=FORMATS[fmt])


@blp.get("/models/<string(minlength=1, maxlength=120):slug>")
@requires("modeller", "reformer", "admin")
@blp.arguments(ReportQuerySchema, location="query", as_kwargs=True)
@blp.response(
    200,
    description="Báo cáo (JSON, Markdown hoặc HTML theo `format`)",
    example={"procedure": {}, "findings": [], "before": {}, "after": {}, "savings": {}},
)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def model_report(
    slug: str,
    format: str,
    registries: str | None = None,
    province: str | None = None,
    connect: str | None = None,
):
    """Phân tích một quy trình đã triển khai (phiên bản mới nhất): phát hiện, điểm, tiết kiệm."""
    pm = get_engine().get_model(slug)
    item = _item(pm)
    try:
        analysis = analyse(
            item["xml"],
            registry_catalogue(),
            procedure=item["procedure"],
            forms=item["forms"],
            connected=_connected(registries),
            connect=_connected(connect, "connect") or (),
            cost_model=cost_model(),
            province=_province(province),
        )
    except ModelLoadError as err:
        raise ApiProblem(
            422,
            f"Không phân tích được mô hình: {err}",
            kind="model-invalid",
            errors=[{"field": "bpmn", "message": str(err)}],
        ) from err
    if format == "markdown":
        return _render(to_markdown(analysis), format)
    if format == "html":
        return _render(to_html(analysis), format)
    if format == "bpmn":  # the model after the simplification (the report page's second diagram)
        return _render(analysis.rewritten_bpmn(), format)
    return _render(to_json(analysis), format)


def _reports() -> Reports:
    """The catalogue reports of this app (engine/catalogue_report.py), made on first use."""
    reports = current_app.extensions.get("toantrinh.reports")
    if reports is None:
        config = {k: v for k, v in current_app.config.items() if k.startswith("TOANTRINH_")}
        factory = sessionmaker(bind=db.engine, expire_on_commit=False)
        reports = current_app.extensions["toantrinh.reports"] = Reports.from_env(
            factory, config, send_job=_send_to_workers
        )
    return reports


def _send_to_workers(params: CatalogueParams, key: str) -> None:
    """With ``TOANTRINH_REPORTS=celery``: the report ``key`` computed on a worker."""
    # imported only by an app that sends reports to workers: the module makes the Celery
    # app and reads the workers' settings when imported
    from toantrinh.engine.tasks import queue_catalogue_report

    queue_catalogue_report(params, key)


def _wait(default: float) -> float:
    """How long this request may wait for a report: RFC 7240 ``Prefer: respond-async``
    (not at all) or ``Prefer: wait=N`` (N seconds, at most the app's own wait)."""
    prefer = ",".join(request.headers.getlist("Prefer")).lower()
    if "respond-async" in prefer:
        return 0.0
    match = re.search(r"\bwait\s*=\s*(\d+)", prefer)
    return min(default, float(match.group(1))) if match else default


def _params(
    format: str, registries: str | None, province: str | None, connect: str | None
) -> CatalogueParams:
    if format == "bpmn":
        raise ApiProblem(
            422,
            "Định dạng 'bpmn' chỉ có cho báo cáo của một quy trình.",
            kind="validation",
            errors=[{"field": "format", "message": "Định dạng 'bpmn' chỉ có cho một quy trình."}],
        )
    chosen = _connected(registries)
    return CatalogueParams(
        format=format,
        registries=None if chosen is None else tuple(chosen),
        connect=tuple(_connected(connect, "connect") or ()),
        province=_province(province),
    )


def _links(key: str) -> dict[str, str]:
    query = request.query_string.decode("ascii", "replace")
    suffix = f"?{query}" if query else ""
    return {
        "status_url": url_for("simplification.catalogue_report_status", key=key) + suffix,
        "report_url": url_for("simplification.catalogue_report") + suffix,
    }


def _pending(outcome: Outcome) -> Response:
    links = _links(outcome.key)
    response = jsonify({"state": outcome.state, "key": outcome.key, **links})
    response.status_code = 202
    response.headers["Location"] = links["status_url"]
    response.headers["Retry-After"] = g.retry_after = "2"  # kept by api/ratelimit.py
    return response


def _failed(outcome: Outcome) -> ApiProblem:
    return ApiProblem(
        500, f"Không lập được báo cáo toàn danh mục: {outcome.error}", kind="report-failed"
    )


@blp.get("/catalogue")
@requires("modeller", "reformer", "admin")
@blp.arguments(ReportQuerySchema, location="query", as_kwargs=True)
@blp.response(
    200,
    description="Xếp hạng toàn bộ danh mục (JSON, Markdown hoặc HTML theo `format`)",
    example={"totals": {}, "ranked_by_saving": [], "ranked_by_readiness": [], "registries": []},
)
@blp.alt_response(
    202,
    description="Báo cáo đang được lập: hỏi lại `status_url` (header `Location`)",
    example={"state": "running", "key": "…", "status_url": "…", "report_url": "…"},
)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def catalogue_report(
    format: str,
    registries: str | None = None,
    province: str | None = None,
    connect: str | None = None,
):
    """Phân tích mọi quy trình đã triển khai, xếp hạng theo mức tiết kiệm và mức sẵn sàng toàn trình.

    The report is computed off the request thread and kept under a key naming the deployed
    versions: ready within the app's wait (``TOANTRINH_REPORT_WAIT``, or less with
    ``Prefer: wait=N`` / ``Prefer: respond-async``) it is the answer, else 202 with a
    status URL to poll."""
    reports = _reports()
    outcome = reports.request(
        db.session, _params(format, registries, province, connect), wait=_wait(reports.wait)
    )
    if outcome.state == "done":
        return _render(outcome.text, format)
    if outcome.state == "failed":
        raise _failed(outcome)
    return _pending(outcome)


@blp.get("/catalogue/jobs/<string(length=64):key>")
@requires("modeller", "reformer", "admin")
@blp.arguments(ReportQuerySchema, location="query", as_kwargs=True)
@blp.response(
    200,
    description="Báo cáo đã lập (`state`: `done`), hoặc đã có triển khai mới nên cần hỏi "
    "lại `report_url` (`state`: `stale`)",
    example={"state": "done", "key": "…", "status_url": "…", "report_url": "…"},
)
@blp.alt_response(202, description="Báo cáo còn đang được lập (`state`: `running`)")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def catalogue_report_status(
    key: str,
    format: str,
    registries: str | None = None,
    province: str | None = None,
    connect: str | None = None,
):
    """Tình trạng lập báo cáo toàn danh mục (cùng tham số truy vấn như báo cáo)."""
    outcome = _reports().status(db.session, _params(format, registries, province, connect), key)
    if outcome.state == "failed":
        raise _failed(outcome)
    if outcome.state == "running":
        return _pending(outcome)
    return jsonify({"state": outcome.state, "key": key, **_links(key)})
