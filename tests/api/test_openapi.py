"""The OpenAPI document is valid, describes every route, and the docs page works offline."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from tests.api.test_authorization import TABLE


def test_openapi_document_is_valid_and_lists_every_api_route(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    operations = {
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    documented = {
        e
        for e in TABLE
        if e.startswith(("GET /api/v1/", "POST /api/v1/", "PUT /api/v1/", "DELETE /api/v1/"))
        and e not in ("GET /api/v1/openapi.json", "GET /api/v1/health")
    }
    assert operations == documented
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    error = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(error) == ["application/problem+json"]
    assert spec["paths"]["/api/v1/tracking/{receipt_code}"]["get"].get("security") is None
    assert spec["paths"]["/api/v1/dossiers"]["post"]["security"] == [{"bearerAuth": []}]


def test_docs_page_renders_the_spec_from_vendored_assets_only(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert 'spec-url="/api/v1/openapi.json"' in html
    sources = re.findall(r'src="([^"]+)"', html)
    assert sources == ["/api/docs/vendor/rapidoc-min.js"]
    asset = client.get(sources[0])
    assert asset.status_code == 200 and b"customElements" in asset.get_data()
    assert client.get("/api/docs/vendor/../../app.py").status_code == 404


def test_every_operation_has_a_unique_operation_id(client):
    """Client generators name their methods by ``operationId`` (issue 23, item 5)."""
    spec = client.get("/api/v1/openapi.json").get_json()
    ids = [
        (f"{method.upper()} {path}", operation.get("operationId"))
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert ids, "the document lists no operation"
    missing = [name for name, op_id in ids if not op_id]
    assert missing == []
    seen: dict[str, str] = {}
    for name, op_id in ids:
        assert op_id not in seen, f"{name} and {seen[op_id]} share the operationId {op_id}"
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", op_id), op_id
        seen[op_id] = name
    # named after the blueprint and the view, so an id stays put when a path changes
    assert seen["dossiers_start_dossier"] == "POST /api/v1/dossiers"
    assert seen["tasks_complete_task"] == "POST /api/v1/tasks/{task_id}/complete"
