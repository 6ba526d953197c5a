"""The one error shape of the API: {"error": {"code", "message", "fields"?}}."""

from __future__ import annotations

from flask import Response, jsonify

from ..domain.errors import ValidationFailed

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    429: "too_many_requests",
    500: "server_error",
}


def json_error(
    status: int, title: str, message: str, *, code: str | None = None, **extra: object
) -> tuple[Response, int]:
    body = {"code": code or CODES.get(status, "error"), "message": message or title, **extra}
    return jsonify(error=body), status


def validation_error(exc: ValidationFailed) -> tuple[Response, int]:
    from ..web.helpers import translate

    # The fields are named by their keys, as the client sent them; the message says so.
    fields = {k: translate(v, exc.field_params.get(k)) for k, v in exc.errors.items()}
    return json_error(422, "invalid", translate(exc.message), fields=fields)
