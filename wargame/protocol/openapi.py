"""The OpenAPI 3.1 document of the HTTP API (seat, operator, health and metrics endpoints),
generated from its route table here and the pydantic models of its JSON bodies."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from wargame.protocol import http_models as api
from wargame.resources import version

REF_TEMPLATE = "#/components/schemas/{model}"
JSON = "application/json"
Schema = dict[str, Any]
Content = dict[str, "type[BaseModel] | Schema"]

ANY_OBJECT: Schema = {"type": "object"}
TEXT: Schema = {"type": "string"}
BINARY: Schema = {"type": "string", "contentMediaType": "application/octet-stream"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PICTURE = "application/vnd.wargame.picture"
PLAIN = "text/plain; charset=utf-8"
XML = "application/xml; charset=utf-8"
CSV = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Param:
    name: str
    schema: Schema
    description: str
    where: str = "query"
    required: bool = False


@dataclass(frozen=True)
class Op:
    """One operation: its method and path template, who may call it, and what it answers."""

    method: str
    path: str
    summary: str
    auth: str
    """"seat", "operator" or "" (none)."""
    responses: dict[int, Content]
    params: tuple[Param, ...] = ()
    body: type[BaseModel] | None = None
    errors: tuple[int, ...] = field(default=(400, 401, 403))


def _q(name: str, schema: Schema, description: str) -> Param:
    return Param(name, schema, description)


def _path(name: str, schema: Schema | None = None) -> Param:
    return Param(name, schema or {"type": "string"}, f"The {name.replace('_', ' ')}", "path", True)


def _enum(*values: str) -> Schema:
    return {"type": "string", "enum": list(values)}


INT: Schema = {"type": "integer", "minimum": 0}
SEQ: Schema = {"type": "integer", "minimum": 1}
VIEWER = _q("viewer", {"type": "string"}, "A seat's viewer key: team:USA, white_cell, facilitator...")
EXERCISE = _path("exercise_id")

SEAT_OPS: tuple[Op, ...] = (
    Op("get", "/api/log", "This seat's stream, a page after position `after`", "seat",
       {200: {JSON: api.LogPage}},
       (_q("after", INT, "Position to read after (default 0)"),
        _q("limit", {"type": "integer", "minimum": 1, "maximum": 1000}, "Events per page (default 500)"))),
    Op("get", "/api/log/export", "The raw hash-chained log (facilitators, white cell)", "seat",
       {200: {"application/x-ndjson; charset=utf-8": TEXT, CSV: TEXT}},
       (_q("format", _enum("jsonl", "csv"), "Default jsonl"),)),
    Op("get", "/api/exercise/export", "The exercise as one verifiable zip bundle (facilitators, white cell)",
       "seat", {200: {"application/zip": {"type": "string", "contentMediaType": "application/zip"}}},
       errors=(401, 403, 409)),
    Op("get", "/api/replay", "A seat's snapshot at a seq, with the truth beside it (control)", "seat",
       {200: {JSON: ANY_OBJECT}},
       (_q("viewer", {"type": "string"}, "The seat to replay"), _q("at", SEQ, "Default: the last seq")),
       errors=(400, 401, 403, 404)),
    Op("get", "/api/picture", "A seat's SSA picture, or with `format` the picture as a file", "seat",
       {200: {PICTURE: BINARY, CSV: TEXT, PLAIN: TEXT, XML: TEXT, JSON: {}}, 304: {}},
       (_q("move", INT, "Default: the latest"), _q("nation", {"type": "string"}, "Control: whose picture"),
        _q("truth", _enum("1", "true"), "Control: the ground truth"), _q("at", SEQ, "Replay: as of seq"),
        _q("format", _enum("csv", "omm-kvn", "omm-xml", "omm-json"), "The picture as a file")),
       errors=(400, 401, 403, 404, 409)),
    Op("get", "/api/aar", "The after-action report as a seat saw it", "seat",
       {200: {JSON: ANY_OBJECT, "text/markdown; charset=utf-8": TEXT, "text/html; charset=utf-8": TEXT,
              DOCX: BINARY, XLSX: BINARY}},
       (_q("format", _enum("json", "md", "html", "docx", "xlsx"), "Default json"), VIEWER)),
    Op("get", "/api/timeline", "The AAR timeline as a seat was sent it, grouped", "seat",
       {200: {JSON: ANY_OBJECT}},
       (VIEWER, _q("type", {"type": "string"}, "Event type"), _q("actor", {"type": "string"}, "Actor"),
        _q("move", INT, "Move"))),
    Op("get", "/api/eeg", "The Exercise Evaluation Guides (control seats)", "seat",
       {200: {JSON: ANY_OBJECT, DOCX: BINARY}}, (_q("format", _enum("json", "docx"), "Default json"),)),
    Op("get", "/api/cdm", "A conjunction warning as a CCSDS CDM", "seat",
       {200: {PLAIN: TEXT, XML: TEXT}},
       (_q("warning", {"type": "string"}, "The warning's id"),
        _q("for", {"type": "string"}, "Control: whose copy"),
        _q("format", _enum("kvn", "xml"), "Default kvn")),
       errors=(400, 401, 403, 404)),
    Op("get", "/api/preview", "Monte Carlo preview of an inject or the open move (white cell)", "seat",
       {200: {JSON: ANY_OBJECT}},
       (_q("inject", {"type": "string"}, "Default: the whole move"),
        _q("samples", {"type": "integer", "minimum": 1, "maximum": 10000}, "Default 1000")),
       errors=(400, 401, 403, 404)),
    Op("get", "/api/sharing-analysis", "The value-of-sharing analyses (control)", "seat",
       {200: {JSON: ANY_OBJECT}}),
)

OPERATOR_OPS: tuple[Op, ...] = (
    Op("get", "/api/exercises", "Every exercise, newest first", "operator", {200: {JSON: api.ExerciseList}}),
    Op("post", "/api/exercises", "Create an exercise of a shipped scenario, with its join links", "operator",
       {201: {JSON: api.CreatedExercise}}, body=api.CreateExercise, errors=(400, 401, 403, 422)),
    Op("get", "/api/exercises/{exercise_id}", "One exercise", "operator",
       {200: {JSON: api.ExerciseSummary}}, (EXERCISE,), errors=(401, 403, 404)),
    Op("post", "/api/exercises/{exercise_id}/control",
       "Start, pause, resume, advance or end: the white cell's command, as this operator", "operator",
       {200: {JSON: api.ControlResult}}, (EXERCISE,), api.ControlExercise,
       errors=(400, 401, 403, 404, 409, 422)),
    Op("get", "/api/exercises/{exercise_id}/seats", "The exercise's join links (no tokens)", "operator",
       {200: {JSON: api.SeatList}}, (EXERCISE,), errors=(401, 403, 404)),
    Op("post", "/api/exercises/{exercise_id}/seats", "Issue a join link to a named member", "operator",
       {201: {JSON: api.SeatLink}}, (EXERCISE,), api.IssueSeat, errors=(400, 401, 403, 404, 422)),
    Op("delete", "/api/exercises/{exercise_id}/seats/{seat_id}", "Revoke a join link", "operator",
       {200: {JSON: api.SeatRevoked}}, (EXERCISE, _path("seat_id", {"type": "integer"})),
       errors=(401, 403, 404)),
)

PROBE_OPS: tuple[Op, ...] = (
    Op("get", "/api/health/live", "Liveness: the process answers", "", {200: {JSON: api.Live}}, errors=()),
    Op("get", "/api/health/ready", "Readiness: database and channel layer", "",
       {200: {JSON: api.Ready}, 503: {JSON: api.Ready}}, errors=()),
    Op("get", "/api/health", "Readiness (as /api/health/ready)", "",
       {200: {JSON: api.Ready}, 503: {JSON: api.Ready}}, errors=()),
    Op("get", "/metrics", "Prometheus metrics", "", {200: {"text/plain; version=1.0.0; charset=utf-8": TEXT}},
       errors=()),
)

OPERATIONS = SEAT_OPS + OPERATOR_OPS + PROBE_OPS
ERRORS = {
    400: "Bad request: the message names the parameter or field",
    401: "No valid token of the kind this endpoint takes",
    403: "Not this seat's or operator's to ask, a token of the other kind, or a foreign Origin",
    404: "Not found",
    409: "Refused in this state: a rejected command (nothing was recorded), OMM of an older move",
    422: "Well-formed but refused (an invalid command, an unknown scenario or nation)",
}


class _Components:
    def __init__(self) -> None:
        self.schemas: dict[str, Schema] = {}

    def ref(self, source: type[BaseModel] | Schema) -> Schema:
        if isinstance(source, dict):
            return source
        schema = source.model_json_schema(ref_template=REF_TEMPLATE, mode="serialization")
        self.schemas.update(schema.pop("$defs", {}))
        self.schemas[source.__name__] = schema
        return {"$ref": REF_TEMPLATE.format(model=source.__name__)}

    def request_ref(self, model: type[BaseModel]) -> Schema:
        schema = model.model_json_schema(ref_template=REF_TEMPLATE, mode="validation")
        self.schemas.update(schema.pop("$defs", {}))
        self.schemas[model.__name__] = schema
        return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


def _operation(op: Op, components: _Components) -> Schema:
    responses: dict[str, Any] = {}
    for status, content in op.responses.items():
        described: Schema = {"description": "Not modified (ETag)" if status == 304 else "OK"}
        if content:
            described["content"] = {media: {"schema": components.ref(s)} for media, s in content.items()}
        responses[str(status)] = described
    error = {JSON: {"schema": components.ref(api.ErrorBody)}}
    for status in op.errors:
        responses[str(status)] = {"description": ERRORS[status], "content": error}
    out: Schema = {
        "operationId": op.method + "_" + "_".join(p.strip("{}") for p in op.path.strip("/").split("/")),
        "summary": op.summary,
        "tags": [op.auth or "probes"],
        "responses": responses,
    }
    if op.params:
        out["parameters"] = [
            {
                "name": p.name, "in": p.where, "required": p.required, "description": p.description,
                "schema": p.schema,
            }
            for p in op.params
        ]
    if op.body is not None:
        content = {JSON: {"schema": components.request_ref(op.body)}}
        out["requestBody"] = {"required": True, "content": content}
    out["security"] = [{"seatToken": []}] if op.auth == "seat" else (
        [{"operatorToken": []}] if op.auth == "operator" else []
    )
    return out


def openapi_document() -> Schema:
    """The OpenAPI 3.1 document of every HTTP endpoint."""
    components = _Components()
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op, components)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Space crisis wargame HTTP API",
            "version": version(),
            "description": (
                "Seat endpoints take a seat's join token; operator endpoints (/api/exercises) an "
                "operator's op_ token (docs/http-api.md). Each refuses the other kind. The websocket "
                "is described by asyncapi.json."
            ),
        },
        "paths": paths,
        "components": {
            "schemas": dict(sorted(components.schemas.items())),
            "securitySchemes": {
                "seatToken": {"type": "http", "scheme": "bearer", "description": "A seat's join token"},
                "operatorToken": {
                    "type": "http", "scheme": "bearer", "bearerFormat": "op_...",
                    "description": "An operator's API token (issue_operator_token)",
                },
            },
        },
    }


def openapi_text() -> str:
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n"
