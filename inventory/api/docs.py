"""The API's description: /api/v1/openapi.json (OpenAPI 3.1) and a reference page built from
it by the app itself, for reading in a browser without anything from the internet."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import render_template

from ..domain.roles import Role
from ..web.access import requires
from . import bp
from .spec import document, documented

TITLE = "Ölands IT-nämnd: inventarieregistrets API"
VERSION = "1.0.0"
DESCRIPTION = (
    "The asset register of Borgholm, Mörbylånga and their joint property. Send an API "
    "token as 'Authorization: Bearer <token>' (made on the page API tokens, or with "
    "POST /tokens); it carries its user's role and owner scope. Errors have one shape: "
    '{"error": {"code", "message", "fields"}}, the message in the language of '
    "Accept-Language (Swedish unless English is asked for). Money is in kronor as decimal "
    "strings, dates as YYYY-MM-DD. A change to an asset needs its ETag as If-Match."
)


@cache
def openapi() -> dict[str, Any]:
    """Built once per process: the operations are registered when the modules load."""
    return document(title=TITLE, version=VERSION, description=DESCRIPTION)


@bp.route("/openapi.json")
@requires(Role.VIEWER)
def openapi_json() -> dict[str, Any]:
    return openapi()


@bp.route("/docs")
@requires(Role.VIEWER)
def reference_page() -> str:
    doc = openapi()
    schemas = doc["components"]["schemas"]
    return render_template("api/docs.html", doc=doc, schemas=schemas, ref_name=_ref_name)


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[1] if isinstance(ref, str) else None


__all__ = ["documented"]
