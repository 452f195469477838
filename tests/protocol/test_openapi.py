"""The OpenAPI document is valid OpenAPI 3.1, checked in as generated, and names every route."""

from __future__ import annotations

import re
from pathlib import Path

from openapi_spec_validator import validate

from wargame.protocol.openapi import openapi_document, openapi_text

REPO = Path(__file__).resolve().parents[2]
DOC = openapi_document()


def test_the_document_is_valid_openapi_3_1() -> None:
    assert DOC["openapi"] == "3.1.0"
    validate(DOC)  # raises naming the first problem


def test_the_checked_in_document_is_the_generated_one() -> None:
    path = REPO / "docs" / "schemas" / "openapi.json"
    assert path.read_text("utf-8") == openapi_text(), "run `wargame schema` and commit docs/schemas"


def test_every_route_and_probe_is_documented_and_nothing_else() -> None:
    from wargame.server import health, metrics, urls

    routes = set()
    for pattern in urls.urlpatterns:
        route = str(pattern.pattern)
        if route.startswith("api/"):
            routes.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    routes |= {health.LIVE_PATH, *health.READY_PATHS, metrics.METRICS_PATH}
    assert set(DOC["paths"]) == routes


def test_operator_and_seat_endpoints_name_their_token_and_every_error_has_the_error_shape() -> None:
    for path, operations in DOC["paths"].items():
        for method, op in operations.items():
            scheme = "operatorToken" if path.startswith("/api/exercises") else "seatToken"
            probe = path.startswith("/api/health") or path == "/metrics"
            assert op["security"] == ([] if probe else [{scheme: []}]), (method, path)
            for status, response in op["responses"].items():
                if int(status) >= 400 and path not in ("/api/health", "/api/health/ready"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)
    control = DOC["paths"]["/api/exercises/{exercise_id}/control"]["post"]
    body = DOC["components"]["schemas"]["ControlExercise"]
    assert control["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("ControlExercise")
    assert body["additionalProperties"] is False and body["required"] == ["action"]
