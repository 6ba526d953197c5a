"""What the register holds about one person, for an administrator: found by name or e-mail
address, shown in sections, and exported as CSV or XLSX; each lookup and each export recorded
in the audit log (GDPR art. 15: a person's right of access). The name travels in the body of
a POST, never in the address, which access logs and browser histories keep."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from .. import db
from ..domain.errors import ValidationFailed
from ..domain.roles import Role
from ..exports import person_files
from ..services import personal_data
from .access import requires
from .helpers import attachment, flash_errors, signed_in
from .i18n import gettext

bp = Blueprint("personal", __name__, url_prefix="/admin")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/personal-data", methods=["GET", "POST"])
@requires(Role.ADMIN)
def lookup():  # type: ignore[no-untyped-def]
    query = request.form.get("q", "") if request.method == "POST" else ""
    found, status = None, 200
    if request.method == "POST":
        try:
            found = personal_data.look_up(db.session(), actor=signed_in(), query=query)
        except ValidationFailed as exc:
            flash_errors(exc)
            status = 422
    rows = person_files.rows(found, gettext) if found else []
    return render_template("admin/personal_data.html", query=query, found=found,
                           rows=rows), status  # fmt: skip


@bp.route("/personal-data.csv", methods=["POST"])
@requires(Role.ADMIN)
def export_csv() -> Response:
    return _export(xlsx=False)


@bp.route("/personal-data.xlsx", methods=["POST"])
@requires(Role.ADMIN)
def export_xlsx() -> Response:
    return _export(xlsx=True)


def _export(*, xlsx: bool) -> Response:
    s, user = db.session(), signed_in()
    try:
        found = personal_data.find_person(s, actor=user, query=request.form.get("q", ""))
    except ValidationFailed as exc:
        return Response(gettext(next(iter(exc.errors.values()))), status=422,
                        mimetype="text/plain")  # fmt: skip
    body = person_files.render(found, gettext, xlsx=xlsx)
    personal_data.record_export(
        s, actor=user, findings=found, file_format="xlsx" if xlsx else "csv"
    )
    suffix = "xlsx" if xlsx else "csv"
    return attachment(body, XLSX if xlsx else "text/csv", f"personuppgifter.{suffix}")
