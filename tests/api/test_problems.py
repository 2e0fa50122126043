"""Every error is RFC 9457 problem+json in Vietnamese and names the offending field."""

from __future__ import annotations

import pytest

from tests.api.conftest import ADMIN_TOKEN, LLTP

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["status"] == status and body["title"] and body["detail"]
    # a form field's error also carries its rule and English words (engine/form_messages.py)
    assert all(
        {"field", "message"} <= set(e) <= {"field", "message", "code", "message_en"}
        for e in body["errors"]
    )
    return body


def test_unknown_route_and_wrong_method_are_problems(client):
    assert assert_problem(client.get("/api/v1/khong-co"), 404)["title"] == "Không tìm thấy"
    body = assert_problem(client.delete("/api/v1/models", headers=ADMIN), 405)
    assert body["title"] == "Phương thức không được hỗ trợ"


def test_too_large_upload_is_413(app_factory):
    client = app_factory(MAX_CONTENT_LENGTH=1024).test_client()
    body = assert_problem(
        client.post(
            "/api/v1/models", headers=ADMIN, data=b"<x/>" * 1000, content_type="application/xml"
        ),
        413,
    )
    assert "vượt quá" in body["detail"]


def test_marshmallow_errors_name_each_field_in_vietnamese(client):
    body = assert_problem(
        client.post(
            "/api/v1/auth/tokens", headers=ADMIN, json={"role": "vua", "lanes": ["bep"], "bogus": 1}
        ),
        422,
    )
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert set(fields) == {"name", "role", "lanes.0", "bogus"}
    assert fields["name"] == "Trường này là bắt buộc."
    assert fields["role"].startswith("Phải là một trong:")
    assert fields["bogus"] == "Trường không được phép."
    assert body["type"] == "urn:toantrinh:problem:validation"


def test_query_string_errors_name_the_parameter(client):
    body = assert_problem(client.get("/api/v1/tasks?page=0&per_page=abc", headers=ADMIN), 422)
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert fields == {
        "page": "Phải lớn hơn hoặc bằng 1 và nhỏ hơn hoặc bằng 100000.",
        "per_page": "Phải là một số nguyên.",
    }


def test_broken_json_is_a_400_problem(client):
    body = assert_problem(
        client.post(
            "/api/v1/dossiers",
            headers=ADMIN,
            data="{không phải json",
            content_type="application/json",
        ),
        400,
    )
    assert body["errors"] == [{"field": "body", "message": "Nội dung JSON không hợp lệ."}]


def test_engine_errors_map_by_their_status(client):
    body = assert_problem(client.get("/api/v1/dossiers/999", headers=ADMIN), 404)
    assert body["type"] == "urn:toantrinh:problem:not-found" and "999" in body["detail"]
    assert_problem(client.post("/api/v1/dossiers", headers=ADMIN, json={"model": "khong-co"}), 404)


def test_model_problems_are_listed_against_the_bpmn_field(client):
    body = assert_problem(
        client.post(
            "/api/v1/models", headers=ADMIN, data=b"<not-bpmn/>", content_type="application/xml"
        ),
        422,
    )
    assert body["type"] == "urn:toantrinh:problem:model-invalid"
    assert (
        body["errors"][0]["field"] == "bpmn" and "bpmn:definitions" in body["errors"][0]["message"]
    )
    checked = client.post(
        "/api/v1/models/validate",
        headers=ADMIN,
        data=b"<?xml version='1.0'?><a",
        content_type="application/xml",
    )
    assert checked.status_code == 200
    assert checked.get_json()["valid"] is False and checked.get_json()["problems"]


def test_bad_procedure_card_names_its_field(client):
    bpmn = (LLTP / "ly-lich-tu-phap.bpmn").read_text(encoding="utf-8")
    body = assert_problem(
        client.post(
            "/api/v1/models",
            headers=ADMIN,
            json={
                "bpmn": bpmn,
                "procedure": {"name": "không phải đối tượng", "processing_time": {"days": -1}},
            },
        ),
        422,
    )
    assert {e["field"] for e in body["errors"]} == {
        "procedure.name",
        "procedure.processing_time.days",
    }
    assert_problem(
        client.post("/api/v1/models", headers=ADMIN, data="x", content_type="text/plain"), 415
    )


def test_form_validation_errors_name_the_form_fields(client):
    with open(LLTP / "ly-lich-tu-phap.bpmn", "rb") as f:
        client.post(
            "/api/v1/models?slug=ly-lich-tu-phap",
            headers=ADMIN,
            data=f.read(),
            content_type="application/xml",
        )
    dossier = client.post(
        "/api/v1/dossiers",
        headers=ADMIN,
        json={"model": "ly-lich-tu-phap", "applicant_id": "001090012345"},
    ).get_json()
    task = dossier["current_tasks"][0]["id"]
    body = assert_problem(
        client.post(
            f"/api/v1/tasks/{task}/complete",
            headers=ADMIN,
            json={"data": {"certificate_type": "so_9", "copies": "hai"}},
        ),
        422,
    )
    assert body["type"] == "urn:toantrinh:problem:form-validation"
    assert {"certificate_type", "copies", "purpose"} <= {e["field"] for e in body["errors"]}
    words = {e["field"]: (e["code"], e["message"]) for e in body["errors"]}
    assert words["purpose"] == ("required", "Cần nhập “Mục đích sử dụng Phiếu”.")
    assert words["copies"][0] == "type" and "hai" not in words["copies"][1]


def test_unexpected_failures_are_500_problems_without_internals(app_factory, monkeypatch):
    app = app_factory()
    from toantrinh.api.resources import tracking

    def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(tracking, "get_engine", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    body = assert_problem(app.test_client().get("/api/v1/tracking/LLTP-1"), 500)
    assert "secret" not in body["detail"] and body["title"] == "Lỗi máy chủ"


@pytest.mark.parametrize("path", ["/api/v1/tracking/KHONG-CO", "/api/v1/models/khong-co"])
def test_not_found_resources(client, path):
    assert_problem(client.get(path, headers=ADMIN), 404)


def test_text_no_database_can_store_is_refused_with_its_field(client):
    nul = assert_problem(
        client.post(
            "/api/v1/auth/tokens", headers=ADMIN, json={"name": "a\x00b", "role": "reformer"}
        ),
        422,
    )
    assert nul["errors"] == [
        {"field": "name", "message": "Chứa ký tự không hợp lệ (NUL hoặc mã Unicode lẻ)."}
    ]
    surrogate = assert_problem(
        client.post(
            "/api/v1/dossiers",
            headers=ADMIN,
            content_type="application/json",
            data='{"model": "x", "data": {"ghi_chu": ["\\ud800"]}}',
        ),
        422,
    )
    assert surrogate["errors"][0]["field"] == "data.ghi_chu.0"
    assert (
        assert_problem(client.get("/api/v1/models/a%00b", headers=ADMIN), 422)["errors"][0]["field"]
        == "slug"
    )
    assert (
        assert_problem(client.get("/api/v1/tasks?lane=%00", headers=ADMIN), 422)["errors"][0][
            "field"
        ]
        == "lane"
    )


@pytest.mark.parametrize(
    "body",
    [
        '{"data": ' * 5000 + "{}" + "}" * 5000,
        '{"data": {"n": 1' + "0" * 5000 + "}}",
        '{"data": {"n": NaN}}',
        '{"data": {"n": 1e999999}}',
        b'{"a": "\xff\xfe\xfa"}',
    ],
)
def test_json_the_decoder_chokes_on_is_a_400_problem(client, body):
    body = body.encode() if isinstance(body, str) else body
    problem = assert_problem(
        client.post("/api/v1/dossiers", headers=ADMIN, data=body, content_type="application/json"),
        400,
    )
    assert problem["errors"] == [{"field": "body", "message": "Nội dung JSON không hợp lệ."}]


def test_deeply_nested_data_is_refused_before_the_engine(client):
    body = '{"model": "x", "data": ' + '{"a": ' * 70 + "1" + "}" * 70 + "}"
    problem = assert_problem(
        client.post("/api/v1/dossiers", headers=ADMIN, data=body, content_type="application/json"),
        422,
    )
    assert problem["errors"][0]["field"] == "body" and "64" in problem["errors"][0]["message"]
