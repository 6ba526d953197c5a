"""The committee's sustainability report: page (with the trend and climate charts), CSV,
XLSX and the tertial follow-up as PDF. The API gives the same figures as JSON
(api/report_sustainability.py) from the same filter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import get_locale
from sqlmodel import Session

from .. import db
from ..domain.dates import parse_date
from ..domain.errors import ValidationFailed
from ..domain.periods import Period, parse_period
from ..domain.roles import Role
from ..domain.text import N_
from ..exports import sustainability_pdf, sustainability_sheets
from ..services import asset_list, sustainability
from ..services.sustainability import ReportFilter, Sustainability
from . import charts
from .access import requires
from .formatting import decimal_symbol
from .helpers import attachment, flash_errors, parse_unit, signed_in, today
from .i18n import gettext

bp = Blueprint("sustainability", __name__, url_prefix="/reports")

# The page's one menu for the part of a year: a tertial or the interim report's Jan–Aug.
_INTERIM = "interim"


def parse_report_filter(args: Mapping[str, str], *, today: dt.date) -> ReportFilter:
    """The report's query string: a period (year with tertial 1-3 or part=interim, a year,
    from and to, or on: the tertial to that day; none: the current tertial to date), the
    day the fleet is counted on (on; default the period's last day, or today while it
    lasts), owner, category and unit. Field errors together."""
    values = dict(args)
    if values.get("tertial") == _INTERIM:  # the page's menu offers Jan–Aug among the tertials
        values["tertial"], values["part"] = "", _INTERIM
    errors: dict[str, str] = {}
    period: Period | None = None
    try:
        period = parse_period(values, today=today)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    # parse_period read `on` too, and said what was wrong with it.
    on = None if "on" in errors else parse_date(values.get("on"), field="on")
    unit = parse_unit(values, errors)
    if period is not None and not errors:
        only_day = on is not None and not any(
            values.get(k) for k in ("year", "tertial", "part", "from", "to")
        )
        if only_day and on is not None:
            # The tertial to that day.
            period = Period(period.start, on, period.name)
        if on is not None and on > today:
            errors["on"] = N_("The day has not come yet: the fleet is known up to today.")
        elif period.start > today:
            errors["from" if values.get("from") else "year"] = N_("The period has not begun yet.")
        elif on is not None and not period.start <= on <= period.end:
            errors["on"] = N_("The day must be within the period.")
    if errors or period is None:
        raise ValidationFailed(errors)
    return ReportFilter(
        on=on or min(period.end, today),
        period=period,
        owner=(values.get("owner") or "").strip() or None,
        category=(values.get("category") or "").strip() or None,
        business_unit_id=unit,
        computers=current_app.config["INVENTORY"].kpi_computers,
    )


def report_for(s: Session, args: Mapping[str, str]) -> Sustainability:
    flt = parse_report_filter(args, today=today())
    return sustainability.sustainability(s, actor=signed_in(), flt=flt)


def _trend_chart(report: Sustainability) -> charts.Drawing:
    labels = [p.period.name for p in report.trend]
    return charts.draw(
        labels,
        [
            charts.Series(
                gettext("Lifespan at retirement"),
                [_float(p.average_lifespan_years) for p in report.trend],
            ),
            charts.Series(
                gettext("Average age of the active fleet"),
                [_float(p.average_age_years) for p in report.trend],
            ),
        ],
        kind="lines",
        target=float(report.kpi.lifespan_target_years),
        target_text=gettext("Target %(years)s years", years=report.kpi.lifespan_target_years),
    )


def _climate_chart(report: Sustainability) -> charts.Drawing:
    return charts.draw(
        [str(y.year) for y in report.climate],
        [
            charts.Series(
                gettext("Bought (tonnes CO2e)"), [float(y.total_kg) / 1000 for y in report.climate]
            ),
            charts.Series(
                gettext("Avoided (tonnes CO2e)"),
                [float(y.avoided_kg) / 1000 for y in report.climate],
            ),
        ],
        decimals=1,
    )


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


@bp.route("/sustainability")
@requires(Role.VIEWER)
def page():  # type: ignore[no-untyped-def]
    s = db.session()
    args = request.args.to_dict()
    try:
        report = report_for(s, args)
    except ValidationFailed as exc:
        flash_errors(exc)
        args = {}
        report = report_for(s, args)
    return render_template(
        "reports/sustainability.html",
        report=report,
        trend_chart=_trend_chart(report),
        climate_chart=_climate_chart(report),
        choices=asset_list.filter_choices(s, actor=signed_in()),
        args=args,
    )


def _export() -> Sustainability:
    try:
        return report_for(db.session(), request.args.to_dict())
    except ValidationFailed:
        abort(400)


def _download(body: bytes, mimetype: str, report: Sustainability, ext: str) -> Response:
    p = report.filter.period
    name = f"hallbarhet-{p.start.isoformat()}-{report.filter.on.isoformat()}.{ext}"
    return attachment(body, mimetype, name)


@bp.route("/sustainability.csv")
@requires(Role.VIEWER)
def csv() -> Response:
    report = _export()
    return _download(sustainability_sheets.render_csv(report, gettext), "text/csv", report, "csv")


@bp.route("/sustainability.xlsx")
@requires(Role.VIEWER)
def xlsx() -> Response:
    report = _export()
    body = sustainability_sheets.render_xlsx(report, gettext)
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(body, kind, report, "xlsx")


@bp.route("/sustainability.pdf")
@requires(Role.VIEWER)
def pdf() -> Response:
    report = _export()
    body = sustainability_pdf.render(
        report,
        gettext,
        trend=_trend_chart(report),
        generated_on=today(),
        decimal_mark=decimal_symbol(str(get_locale())),
    )
    return _download(body, "application/pdf", report, "pdf")
