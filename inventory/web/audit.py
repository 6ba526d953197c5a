"""The audit log page: an administrator for all owners reads it, newest first, filtered by
kind, period and who or what, a page at a time, and downloads the selection as CSV."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, render_template, request

from .. import db
from ..domain.dates import parse_date
from ..domain.errors import ValidationFailed
from ..domain.roles import Role
from ..domain.text import N_
from ..exports.cells import text_cell
from ..exports.xlsx_cells import wall_clock
from ..services import audit_log
from .access import requires
from .audit_words import action_text, details_text
from .helpers import attachment, flash_errors, parse_id, signed_in
from .i18n import gettext

bp = Blueprint("audit", __name__, url_prefix="/admin")

# The CSV's limit: a year of a busy register's logins is well within it.
EXPORT_LIMIT = 100_000


def _filter() -> audit_log.AuditFilter:
    args = request.args
    errors: dict[str, str] = {}
    dates = {}
    for key in ("since", "until"):
        try:
            dates[key] = parse_date(args.get(key), field=key)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    before = parse_id(args.get("before"))
    if args.get("before") and before is None:
        errors["before"] = N_("Choose a page from the links.")
    if errors:
        raise ValidationFailed(errors)
    return audit_log.AuditFilter(
        kind=args.get("kind", ""), since=dates["since"], until=dates["until"],
        text=args.get("q", "")[:254], before_id=before,
    )  # fmt: skip


@bp.route("/audit")
@requires(Role.ADMIN)
def index():  # type: ignore[no-untyped-def]
    status = 200
    entries: list[audit_log.Entry] = []
    try:
        flt = _filter()
        entries = audit_log.entries(db.session(), actor=signed_in(), flt=flt)
    except ValidationFailed as exc:
        flash_errors(exc)
        flt, status = audit_log.AuditFilter(), 422
    args = {k: v for k, v in request.args.items() if k != "before" and v}
    older = entries[-1].id if len(entries) == audit_log.PAGE else None
    return render_template(
        "admin/audit.html", entries=entries, flt=flt, args=args, older=older,
        kinds=[(key, gettext(label)) for key, (label, _) in audit_log.KINDS.items()],
        action_text=action_text, details_text=details_text,
    ), status  # fmt: skip


@bp.route("/audit.csv")
@requires(Role.ADMIN)
def export() -> Response:
    try:
        flt = _filter()
        entries = audit_log.entries(db.session(), actor=signed_in(), flt=flt, limit=EXPORT_LIMIT)
    except ValidationFailed as exc:
        return Response(gettext(next(iter(exc.errors.values()))), status=422,
                        mimetype="text/plain")  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([gettext(h) for h in ("When", "What", "Who", "About", "From", "Details")])
    for e in entries:
        writer.writerow([wall_clock(e.at).strftime("%Y-%m-%d %H:%M:%S"), action_text(e.action),
                         text_cell(e.actor), text_cell(e.subject), e.remote_addr or "",
                         text_cell(details_text(e.details))])  # fmt: skip
    return attachment(
        ("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv", "granskningslogg.csv"
    )
