"""Security headers on every response, in one place."""

from __future__ import annotations

from flask import Flask, Response, request

# No inline scripts or styles anywhere (templates use classes and static/*.js), so the policy
# needs no 'unsafe-inline'; data: images are Bootstrap's own icons in its CSS.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
_ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
# Static files, and the page a found device's label leads to (the tag, its owner and the
# helpdesk: no one's personal data), may be cached; pages and the API name holders.
CACHEABLE_ENDPOINTS = frozenset({"static", "bootstrap.static", "labels.scanned"})
# Files people uploaded (evidence of the reuse routine): should a browser ever show one rather
# than save it, a second policy sandboxes it (no scripts, no forms, an origin of its own).
SANDBOXED_ENDPOINTS = frozenset({"attachments.download"})


# Appended, not set: no view sets these itself, and setting would look for each first.
_ALWAYS_ITEMS = tuple(_ALWAYS.items())


def add_security_headers(response: Response) -> Response:
    response.headers.extend(_ALWAYS_ITEMS)
    endpoint = request.endpoint
    if endpoint not in CACHEABLE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    if endpoint in SANDBOXED_ENDPOINTS:
        response.headers.add("Content-Security-Policy", "sandbox; default-src 'none'")
    if request.is_secure:
        # Over https (directly, or behind a trusted proxy that says so): the browser keeps
        # to https for a year, and is never talked down to http.
        response.headers["Strict-Transport-Security"] = HSTS
    return response


HSTS = "max-age=31536000"


def init_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
