"""Logging as structured lines: one JSON object a line on standard error, each naming the
request it belongs to (`request_id`, also sent as the X-Request-ID header and shown on the
error page), so that what a user reports can be found in the log."""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-ID"
# An id a proxy in front already gave the request is kept, if it looks like one.
_GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestContext(logging.Filter):
    """Adds the request's id, method and path to every record logged while it is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = getattr(g, "request_id", None)
            record.method, record.path = request.method, request.path
        return True


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "method", "path"):
            if getattr(record, key, None) is not None:
                line[key] = getattr(record, key)
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure() -> None:
    """Once per process: the root logger writes JSON lines to standard error."""
    root = logging.getLogger()
    if any(getattr(h, "_inventory", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    handler.addFilter(RequestContext())
    handler._inventory = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # Alembic announces every plugin it loads; only its warnings matter to operators.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def request_id() -> str | None:
    return getattr(g, "request_id", None) if has_request_context() else None


def _assign() -> None:
    given = request.headers.get(HEADER, "")
    g.request_id = given if _GIVEN_ID.fullmatch(given) else secrets.token_hex(8)


def _send(response: Response) -> Response:
    if (rid := request_id()) is not None:
        response.headers[HEADER] = rid
    return response


def init_request_ids(app: Flask) -> None:
    app.before_request(_assign)
    app.after_request(_send)
