"""EMC metrics (số liệu theo Hệ thống EMC) per procedure, agency and period; JSON or CSV."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from toantrinh.api.auth import current_principal, forbidden, requires
from toantrinh.api.context import db
from toantrinh.api.schemas import SLUG
from toantrinh.engine import clock
from toantrinh.engine.metrics import emc_report, to_csv

blp = Blueprint(
    "metrics",
    __name__,
    url_prefix="/api/v1/metrics",
    description="Chỉ số theo cách đo của Hệ thống EMC: tỷ lệ trực tuyến, toàn trình, đúng hạn",
)


EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
DAYS = validate.Range(min=EARLIEST, max=LATEST)


class MetricsQuerySchema(Schema):
    from_ = fields.Date(
        data_key="from",
        load_default=None,
        validate=DAYS,
        metadata={"description": "ngày bắt đầu (gồm)"},
    )
    to = fields.Date(
        load_default=None, validate=DAYS, metadata={"description": "ngày kết thúc (gồm)"}
    )
    procedure = fields.String(validate=SLUG, load_default=None)
    agency = fields.String(validate=validate.Length(min=1, max=200), load_default=None)
    format = fields.String(validate=validate.OneOf(("json", "csv")), load_default="json")

    @validates_schema
    def _order(self, data, **_):
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ValidationError({"to": ["Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."]})


class IndicatorsSchema(Schema):
    key = fields.String()
    label = fields.String()
    received = fields.Integer()
    online = fields.Integer()
    full_online = fields.Integer()
    completed = fields.Integer()
    cancelled = fields.Integer()
    in_progress = fields.Integer()
    completed_in_period = fields.Integer()
    on_time = fields.Integer()
    early = fields.Integer()
    overdue = fields.Integer()
    online_rate = fields.Float(allow_none=True)
    full_online_rate = fields.Float(allow_none=True)
    on_time_rate = fields.Float(allow_none=True)
    early_rate = fields.Float(allow_none=True)
    avg_processing_days = fields.Float(allow_none=True)


class PeriodSchema(Schema):
    from_ = fields.String(data_key="from")
    to = fields.String()


class MetricsSchema(Schema):
    period = fields.Nested(PeriodSchema)
    total = fields.Nested(IndicatorsSchema)
    by_procedure = fields.List(fields.Nested(IndicatorsSchema))
    by_agency = fields.List(fields.Nested(IndicatorsSchema))


@blp.get("")
@requires("officer", "reformer", "admin")
@blp.arguments(MetricsQuerySchema, location="query")
@blp.response(200, MetricsSchema, description="JSON; `?format=csv` trả về text/csv")
def metrics(args: dict[str, Any]):
    """Số hồ sơ, tỷ lệ trực tuyến, toàn trình, đúng hạn, trước hạn và thời gian giải quyết trung bình."""
    principal = current_principal()
    agency = args["agency"]
    if principal.role == "officer":
        if agency and agency != principal.agency:
            raise forbidden("Cán bộ chỉ xem số liệu của cơ quan mình.")
        agency = principal.agency
    report = emc_report(
        db.session,
        args["from_"],
        args["to"],
        procedure=args["procedure"],
        agency=agency,
        now=clock.now(),
    )
    if args["format"] == "csv":
        return Response(
            to_csv(report),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="emc-metrics.csv"'},
        )
    body = report.to_dict()
    body["period"] = {"from_": body["period"]["from"], "to": body["period"]["to"]}
    return body
