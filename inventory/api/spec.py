"""The API's description (OpenAPI 3.1) and its input checks, from one registry.

Each route declares its operation with `documented`: its query, body and response models
(pydantic, which both checks the input and gives the JSON Schema the document carries), the
role it needs and the errors it may answer. /api/v1/openapi.json is built from these, so
the document cannot drift from the checks; schemathesis tests the one against the other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import request
from pydantic import BaseModel, ConfigDict, ValidationError

from ..domain.dates import INVALID_DATE
from ..domain.errors import ValidationFailed
from ..domain.roles import Role
from ..domain.text import N_

M = TypeVar("M", bound=BaseModel)
F = TypeVar("F", bound=Callable[..., Any])


class Strict(BaseModel):
    """A request body: unknown fields are refused, not ignored (a typo would be lost)."""

    model_config = ConfigDict(extra="forbid")


class Lenient(BaseModel):
    """A query string: parameters the API does not know are left alone; the values are
    read as JSON would give them (dates as YYYY-MM-DD only, not as Unix times)."""

    model_config = ConfigDict(extra="ignore", strict=True)


class ErrorDetail(BaseModel):
    code: str
    message: str
    # Field -> what is wrong with it, for input refused field by field.
    fields: dict[str, str] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


ERROR_TEXTS = {
    400: "The query string is not valid.",
    401: "No login and no valid token.",
    403: "The role (or the owner scope) does not allow it.",
    404: "Not found, or another owner's.",
    409: "Another change came first.",
    412: "If-Match names an older version: nothing was changed.",
    415: "Send JSON.",
    422: "The body is not valid.",
    428: "An update needs If-Match with the version (the ETag of the asset).",
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # OpenAPI's form: /assets/{tag}
    summary: str
    tag: str
    role: Role
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    errors: tuple[int, ...] = (400, 401, 403)
    path_params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # request headers: name -> text
    etag: bool = False  # the response carries the version as ETag


OPERATIONS: list[Operation] = []


def documented(
    method: str,
    path: str,
    *,
    summary: str,
    tag: str,
    role: Role,
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    errors: tuple[int, ...] = (400, 401, 403),
    path_params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    etag: bool = False,
) -> Callable[[F], F]:
    def register(view: F) -> F:
        OPERATIONS.append(
            Operation(
                method.lower(), path, summary, tag, role, query, body, response, status,
                errors, path_params or {}, headers or {}, etag,
            )
        )  # fmt: skip
        return view

    return register


# --- input -------------------------------------------------------------------------------

# pydantic's error types -> what the caller is told, in their language (web.helpers
# translates). Anything else is "Invalid value."
_MESSAGES = {
    "missing": N_("Required."),
    "extra_forbidden": N_("Unknown field."),
    "string_too_long": N_("The text is too long."),
    "string_too_short": N_("Required."),
    "string_type": N_("Give a text."),
    "int_parsing": N_("Must be a whole number in range."),
    "int_type": N_("Must be a whole number in range."),
    "int_from_float": N_("Must be a whole number in range."),
    "greater_than_equal": N_("Must be a whole number in range."),
    "less_than_equal": N_("Must be a whole number in range."),
    "date_parsing": INVALID_DATE,
    "date_from_datetime_parsing": INVALID_DATE,
    "date_from_datetime_inexact": INVALID_DATE,
    "date_type": INVALID_DATE,
    "datetime_parsing": N_("Give a moment as YYYY-MM-DDTHH:MM:SSZ."),
    "datetime_from_date_parsing": N_("Give a moment as YYYY-MM-DDTHH:MM:SSZ."),
    "datetime_type": N_("Give a moment as YYYY-MM-DDTHH:MM:SSZ."),
    "timezone_aware": N_("Give a moment as YYYY-MM-DDTHH:MM:SSZ."),
    "greater_than": N_("Invalid value."),
    "less_than": N_("Invalid value."),
    "decimal_parsing": N_("Give an amount in kronor, e.g. 12490.50."),
    "decimal_type": N_("Give an amount in kronor, e.g. 12490.50."),
    "decimal_max_places": N_("A price has at most two decimals (öre)."),
    "decimal_max_digits": N_("That price is too high for one asset."),
    "enum": N_("Not one of the allowed values."),
    "literal_error": N_("Not one of the allowed values."),
    "bool_parsing": N_("Give true or false."),
    "bool_type": N_("Give true or false."),
    "model_type": N_("Send a JSON object."),
    "dict_type": N_("Send a JSON object."),
}


def refusal(exc: ValidationError) -> ValidationFailed:
    errors: dict[str, str] = {}
    for problem in exc.errors(include_url=False):
        name = ".".join(str(part) for part in problem["loc"]) or "body"
        errors.setdefault(name, _MESSAGES.get(problem["type"], N_("Invalid value.")))
    return ValidationFailed(errors)


class BadQuery(ValidationFailed):
    """A query string refused field by field: 400, where a refused body is 422."""


def query_of(model: type[M]) -> M:
    try:
        return model.model_validate_strings(request.args.to_dict())
    except ValidationError as exc:
        raise BadQuery(refusal(exc).errors) from None


def body_of(model: type[M]) -> M:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed({"body": N_("Send a JSON object.")})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise refusal(exc) from None


# --- the document --------------------------------------------------------------------------


def document(*, title: str, version: str, description: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every documented operation."""
    components: dict[str, Any] = {}
    paths: dict[str, dict[str, Any]] = {}

    def ref(model: type[BaseModel]) -> dict[str, str]:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in schema.pop("$defs", {}).items():
            components.setdefault(name, sub)
        components.setdefault(model.__name__, schema)
        return {"$ref": f"#/components/schemas/{model.__name__}"}

    error_ref = ref(ErrorBody)
    for op in OPERATIONS:
        entry: dict[str, Any] = {
            "summary": op.summary,
            "tags": [op.tag],
            "operationId": f"{op.method}_{op.path.strip('/').replace('/', '_').replace('{', '').replace('}', '')}",
            "description": f"Role: {op.role.value} or above.",
            "parameters": [],
            "responses": {},
        }
        for name, text in op.path_params.items():
            schema: dict[str, Any] = (
                {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
                if name.endswith("_id")
                else {"type": "string", "minLength": 1, "maxLength": 64}
            )
            entry["parameters"].append(
                {"name": name, "in": "path", "required": True, "description": text,
                 "schema": schema}
            )  # fmt: skip
        for name, text in op.headers.items():
            entry["parameters"].append(
                {"name": name, "in": "header", "required": False, "description": text,
                 "schema": {"type": "string"}}
            )  # fmt: skip
        if op.query is not None:
            query_schema = op.query.model_json_schema(by_alias=True)
            required = set(query_schema.get("required", []))
            for name, prop in query_schema.get("properties", {}).items():
                prop = dict(prop)
                described = prop.pop("description", None)
                param: dict[str, Any] = {
                    "name": name, "in": "query", "required": name in required, "schema": prop,
                }  # fmt: skip
                if described:
                    param["description"] = described
                entry["parameters"].append(param)
        if op.body is not None:
            entry["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": ref(op.body)}},
            }
        ok: dict[str, Any] = {"description": "OK"}
        if op.response is not None:
            ok["content"] = {"application/json": {"schema": ref(op.response)}}
        if op.etag:
            ok["headers"] = {
                "ETag": {"description": "The asset's version, for If-Match.",
                         "schema": {"type": "string"}}
            }  # fmt: skip
        entry["responses"][str(op.status)] = ok
        for code in sorted(set(op.errors) | {401, 403}):
            entry["responses"][str(code)] = {
                "description": ERROR_TEXTS.get(code, "Refused."),
                "content": {"application/json": {"schema": error_ref}},
            }
        entry["security"] = [{"bearer": []}, {"session": []}]
        paths.setdefault(op.path, {})[op.method] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        "servers": [{"url": "/api/v1"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(components.items())),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token: Authorization: Bearer <token>.",
                },
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "A logged-in browser's session.",
                },
            },
        },
    }
