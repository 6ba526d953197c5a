"""The quarterly invoicing basis of the service objects (page with a chart, CSV, XLSX; the
API's JSON in api/report_finance.py from the same filter), and setting the service object of
a whole selection of the asset list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import db
from ..domain.errors import ValidationFailed
from ..domain.numbers import parse_whole
from ..domain.periods import MAX_YEAR, MIN_YEAR
from ..domain.roles import Role
from ..domain.text import N_
from ..exports import invoicing_sheets
from ..services import asset_list, service_objects
from ..services.service_objects import Basis, BasisFilter, Quarter, quarter_of
from . import charts
from .access import requires
from .helpers import attachment, flash_errors, now, parse_id, parse_unit, signed_in, today
from .i18n import gettext, ngettext

bp = Blueprint("invoicing", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The asset list's filters, which a selection carries (the page and sort are not).
LIST_FILTERS = ("owner", "category", "status", "site", "location", "unit", "flag", "q", "disposed")


def parse_basis_filter(args: Mapping[str, str], *, today: dt.date) -> BasisFilter:
    """year and quarter (1-4; default: the last whole quarter), owner, unit."""
    errors: dict[str, str] = {}
    last = quarter_of(today)
    default = Quarter(last.year - 1, 4) if last.number == 1 else Quarter(last.year, last.number - 1)
    year = number = None
    try:
        year = parse_whole(args.get("year"), MIN_YEAR, MAX_YEAR)
    except ValueError:
        errors["year"] = N_("The year must be a year from 2000 to 2100.")
    try:
        number = parse_whole(args.get("quarter"), 1, 4)
    except ValueError:
        errors["quarter"] = N_("The quarter must be 1, 2, 3 or 4.")
    unit = parse_unit(args, errors)
    quarter = Quarter(year or default.year, number or (default.number if year is None else 1))
    if not errors and quarter.start > today:
        errors["quarter"] = N_("The quarter has not begun yet.")
    if errors:
        raise ValidationFailed(errors)
    return BasisFilter(
        quarter=quarter, owner=(args.get("owner") or "").strip() or None, business_unit_id=unit
    )


def basis_report(args: Mapping[str, str]) -> Basis:
    flt = parse_basis_filter(args, today=today())
    return service_objects.basis(db.session(), actor=signed_in(), flt=flt)


def _chart(report: Basis) -> charts.Drawing:
    months = report.months_by_object()
    names = [n for n in report.objects if n in months] + (
        [gettext("No service object")] if None in months else []
    )
    values = [float(months[n]) for n in report.objects if n in months] + (
        [float(months[None])] if None in months else []
    )
    return charts.draw(names, [charts.Series(gettext("Object-months"), values)], decimals=1)


@bp.route("/reports/service-objects")
@requires(Role.VIEWER)
def page():  # type: ignore[no-untyped-def]
    args = request.args.to_dict()
    try:
        report = basis_report(args)
    except ValidationFailed as exc:
        flash_errors(exc)
        args = {}
        report = basis_report(args)
    choices = asset_list.filter_choices(db.session(), actor=signed_in())
    return render_template(
        "reports/service_objects.html", report=report, chart=_chart(report), choices=choices,
        args=args, this_year=today().year,
    )  # fmt: skip


def _export(args: Mapping[str, str]) -> Basis:
    try:
        return basis_report(args)
    except ValidationFailed:
        abort(400)


def _name(report: Basis, suffix: str) -> str:
    q = report.filter.quarter
    return f"tjansteobjekt-{q.year}-q{q.number}.{suffix}"


@bp.route("/reports/service-objects.csv")
@requires(Role.VIEWER)
def csv_download() -> Response:
    report = _export(request.args.to_dict())
    return attachment(invoicing_sheets.basis_csv(report, gettext), "text/csv", _name(report, "csv"))


@bp.route("/reports/service-objects.xlsx")
@requires(Role.VIEWER)
def xlsx_download() -> Response:
    report = _export(request.args.to_dict())
    return attachment(invoicing_sheets.basis_xlsx(report, gettext), XLSX, _name(report, "xlsx"))


@bp.route("/assets/service-object", methods=["GET", "POST"])
@requires(Role.TECHNICIAN)
def set_for_list():  # type: ignore[no-untyped-def]
    """The asset list's selection (its filters, in the query string) gets one service
    object: the page says how many devices it selects, the form sets them all."""
    args = request.args.to_dict()
    filters = {k: v for k, v in args.items() if k in LIST_FILTERS and v}
    back = url_for("assets.index", **filters)
    s = db.session()
    try:
        flt = asset_list.parse_filter(filters, hide_disposed=True)
    except ValidationFailed as exc:
        flash_errors(exc)
        return redirect(url_for("assets.index"))
    status = 200
    if request.method == "POST":
        try:
            object_id = parse_id(request.form.get("service_object_id"))
            if object_id is None:
                raise ValidationFailed(
                    {"service_object_id": N_("Choose a service object from the list.")}
                )
            changed = service_objects.set_for_selection(
                s, actor=current_user, flt=flt, object_id=object_id, now=now(), today=today()
            )
        except ValidationFailed as exc:
            flash_errors(exc)
            status = 422
        else:
            flash(
                ngettext("The service object of %(num)s device was set.",
                         "The service object of %(num)s devices was set.", changed),
                "success",
            )  # fmt: skip
            return redirect(back)
    chosen = asset_list.list_assets(s, actor=current_user, flt=flt.with_page(1))
    return render_template(
        "assets/set_service_object.html", count=chosen.total, back=back,
        objects=service_objects.ordered(s), filters=filters,
    ), status  # fmt: skip
