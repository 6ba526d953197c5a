"""Login and role checks for every endpoint, deny by default.

Each view declares the least role it needs with @requires(Role.X) or is named public
with @public. A before_request hook enforces it, so a view that forgets to declare
anything is refused rather than left open (tests walk the URL map to prove it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, jsonify, redirect, request, url_for
from flask_login import current_user

from ..domain.roles import Role

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)

# Endpoints of extensions (static files) that need no login.
PUBLIC_ENDPOINTS = {"static", "bootstrap.static"}


def requires(role: Role) -> Callable[[F], F]:
    def mark(view: F) -> F:
        view._required_role = role  # type: ignore[attr-defined]
        return view

    return mark


def public(view: F) -> F:
    view._public = True  # type: ignore[attr-defined]
    return view


def required_role(endpoint: str) -> Role | None | bool:
    """The role an endpoint needs; None when it is public; False when it declares nothing."""
    if endpoint in PUBLIC_ENDPOINTS:
        return None
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return False
    if getattr(view, "_public", False):
        return None
    return getattr(view, "_required_role", False)


def wants_json() -> bool:
    """The API, and pages' own scripts posting JSON (a phone sending its stocktake scans),
    are answered in JSON, refusals too: a script reads the reason, not a login page."""
    return request.path.startswith("/api/") or request.is_json


def enforce() -> Any:
    if request.endpoint is None:
        return None  # 404 and 405 are answered by Flask itself
    role = required_role(request.endpoint)
    if role is None:
        return None
    if role is False:
        log.error("endpoint %s declares no role; refused", request.endpoint)
        abort(403)
    if not current_user.is_authenticated:
        if wants_json():
            response = jsonify(error={"code": "unauthorized", "message": "Log in or send a token."})
            response.status_code = 401
            return response
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not current_user.role_enum.at_least(role):
        abort(403)
    return None


def init_access(app: Flask) -> None:
    app.before_request(enforce)
