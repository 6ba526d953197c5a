"""Small things views share: the reference date, translated errors, safe redirects."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from flask import Response, current_app, flash, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from ..domain.dates import parse_date
from ..domain.errors import DomainError, ValidationFailed
from ..domain.history import FIELD_LABELS
from ..domain.text import N_
from ..models import User
from ..services import clock
from .i18n import gettext

# Ids are 32-bit integers in both databases; anything larger is not one of ours.
MAX_ID = 2_147_483_647


def parse_id(raw: str | None) -> int | None:
    """A positive id from a form or query string, or None for anything else."""
    if not raw or not re.fullmatch(r"[0-9]{1,10}", raw):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def parse_unit(args: Mapping[str, str], errors: dict[str, str]) -> int | None:
    """A report filter's business unit id (`unit`), or None when not given; a malformed one
    is a field error added to `errors`."""
    raw = (args.get("unit") or "").strip()
    unit = parse_id(raw)
    if raw and unit is None:
        errors["unit"] = N_("Unknown business unit.")
    return unit


def attachment(body: bytes, mimetype: str, filename: str) -> Response:
    """A download: the browser saves it under `filename` instead of showing it."""
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def signed_in() -> User:
    """The user of the request itself rather than Flask-Login's proxy to it: services read
    the actor's role and owner many times, and every read through the proxy looks it up."""
    return current_user._get_current_object()  # type: ignore[no-any-return]


def today() -> dt.date:
    """The reference date: fixed by settings in tests and demos, else the local date of now()
    in the register's time zone."""
    fixed = current_app.config["INVENTORY"].extra.get("today")
    return fixed if isinstance(fixed, dt.date) else clock.local_date(now())


def now() -> dt.datetime:
    """This moment in UTC; tests may fix it (a datetime) or drive it (a callable)."""
    fixed = current_app.config["INVENTORY"].extra.get("now")
    if callable(fixed):
        return fixed()  # type: ignore[no-any-return]
    return fixed if isinstance(fixed, dt.datetime) else clock.utcnow()


class AssetLinks:
    """Links to an asset's own pages. They all live under /assets/<tag>/, so one url_for
    serves them all: the asset page shows up to ten, and it is the busiest page there is.
    tests/web/test_rendering.py holds each against url_for."""

    def __init__(self, tag: str) -> None:
        self.page = url_for("assets.show", tag=tag)
        self.edit = self.page + "/edit"
        self.transition = self.page + "/status"
        self.assess = self.page + "/assess"
        self.qr_svg = self.page + "/qr.svg"
        self.files = self.page + "/files"

    def file(self, file_id: int) -> str:
        return f"{self.files}/{file_id}"

    def act(self, action: str) -> str:
        return f"{self.page}/do/{action}"


def parse_query_date(raw: str | None, name: str) -> dt.date | None:
    """An optional YYYY-MM-DD from a query string; anything else is a field error."""
    return parse_date(raw, field=name)


def translate(message: str, params: dict[str, Any] | None = None) -> str:
    shown = {
        k: gettext(v.label) if isinstance(v, Enum) and hasattr(v, "label") else v
        for k, v in (params or {}).items()
    }
    return gettext(message, **shown) if shown else gettext(message)


# What the fields of forms without a form object are called, for their errors said as a
# message: "Delningsdatum: Ogiltigt datum …", never the key ("on", "location_id"). A key that
# is no field (a proposal, a stocktake, the selection) gets its message alone.
FORM_FIELD_LABELS = {
    **FIELD_LABELS,
    "on": N_("Split date"),
    "wipe": N_("Data wipe"),
    "proceeds": N_("Proceeds"),
    "owner": N_("Owner"),
    "location": N_("Location"),
    "site_id": N_("Site"),
    "name": N_("Name"),
    "email": N_("E-mail"),
    "role": N_("Role"),
    "password": N_("Password"),
    "reason": N_("Reason"),
    "comment": N_("Comment"),
    "year": N_("Year"),
    "users": N_("Users"),
    "decided_on": N_("Date of the decision"),
    "decision_ref": N_("Decision reference"),
    "manufacturer": N_("Manufacturer"),
    "category": N_("Category"),
    # The period of /reuse/assessments.csv.
    "from": N_("From"),
    "to": N_("To"),
}


def field_error_text(name: str, message: str, params: dict[str, Any] | None = None) -> str:
    """A field's error as a message of its own, led by the field's name."""
    text = translate(message, params)
    label = FORM_FIELD_LABELS.get(name)
    return f"{gettext(label)}: {text}" if label else text


def error_text(exc: DomainError) -> str:
    """A refusal in words. Field errors that reach a page with no form to mark (the error
    page) are each said with their field's name, not as "correct the marked fields"."""
    if isinstance(exc, ValidationFailed):
        return " ".join(
            field_error_text(name, message, exc.field_params.get(name))
            for name, message in exc.errors.items()
        )
    return translate(exc.message, exc.params)


def flash_errors(exc: ValidationFailed) -> None:
    """A service's field errors as flash messages, for pages without a form to put them on."""
    for name, message in exc.errors.items():
        flash(field_error_text(name, message, exc.field_params.get(name)), "danger")


def show_errors(form: FlaskForm, exc: ValidationFailed) -> None:
    """Put a service's field errors on the form's fields; the rest as a flash message."""
    for name, message in exc.errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            text = translate(message, exc.field_params.get(name))
            field.errors = [*list(field.errors), text]
        else:
            flash(field_error_text(name, message, exc.field_params.get(name)), "danger")
    flash(translate(exc.message), "danger")


# Control characters would split the Location header or hide a host from urlsplit;
# browsers read a backslash as a slash, so "/\evil.example" is "//evil.example" to them.
_UNSAFE_IN_NEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site paths: a login link must not send people elsewhere."""
    if not target or _UNSAFE_IN_NEXT.search(target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target
