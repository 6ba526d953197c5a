"""The controllers' reports: book value and depreciation, and the value of the IT stock, on
a date; pages with a chart, CSV and XLSX. The API gives the same figures
(api/report_finance.py) from the same filter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from flask import Blueprint, Response, abort, render_template, request

from .. import db
from ..domain.dates import parse_date
from ..domain.errors import ValidationFailed
from ..domain.periods import MAX_YEAR, MIN_YEAR, Period, parse_period
from ..domain.roles import Role
from ..domain.text import N_
from ..exports import finance_sheets, ledger_sheets
from ..services import asset_list, book_value, ledger, stock_value
from ..services.spans import DayFilter
from . import charts
from .access import requires
from .helpers import attachment, flash_errors, parse_unit, signed_in, today
from .i18n import gettext

bp = Blueprint("finance", __name__, url_prefix="/reports")

# Budgets are written in thousands of kronor (tkr).
ORE_PER_TKR = 100_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def parse_day_filter(args: Mapping[str, str], *, today: dt.date) -> DayFilter:
    """The reports' query string: on (a date up to today, default today), owner, category,
    unit; field errors together."""
    errors: dict[str, str] = {}
    on = None
    try:
        on = parse_date(args.get("on"), field="on")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if on is not None and not MIN_YEAR <= on.year <= MAX_YEAR:
        errors["on"] = N_("The date must be in the years 2000 to 2100.")
    elif on is not None and on > today:
        errors["on"] = N_("The day has not come yet: the register is known up to today.")
    unit = parse_unit(args, errors)
    if errors:
        raise ValidationFailed(errors)
    return DayFilter(
        on=on or today,
        owner=(args.get("owner") or "").strip() or None,
        category=(args.get("category") or "").strip() or None,
        business_unit_id=unit,
    )


def parse_ledger_filter(args: Mapping[str, str], *, today: dt.date) -> ledger.LedgerFilter:
    """The ledger's query string: a period (from and to, or a year, or a tertial; default
    this year up to today) that has begun, with owner, category and unit."""
    errors: dict[str, str] = {}
    period = None
    try:
        if any(args.get(name) for name in ("from", "to", "year", "tertial", "on")):
            period = parse_period(args, today=today)
        else:
            period = Period(dt.date(today.year, 1, 1), today, str(today.year))
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if period is not None and period.start > today:
        errors["from"] = N_("The period has not begun yet.")
    unit = parse_unit(args, errors)
    if errors or period is None:
        raise ValidationFailed(errors)
    return ledger.LedgerFilter(
        period=period,
        owner=(args.get("owner") or "").strip() or None,
        category=(args.get("category") or "").strip() or None,
        business_unit_id=unit,
    )


def ledger_report(args: Mapping[str, str]) -> ledger.Ledger:
    flt = parse_ledger_filter(args, today=today())
    return ledger.ledger(db.session(), actor=signed_in(), flt=flt)


def book_report(args: Mapping[str, str]) -> book_value.BookValue:
    flt = parse_day_filter(args, today=today())
    return book_value.book_value(db.session(), actor=signed_in(), flt=flt)


def stock_report(args: Mapping[str, str]) -> stock_value.StockValue:
    flt = parse_day_filter(args, today=today())
    return stock_value.stock_value(db.session(), actor=signed_in(), flt=flt)


def _book_chart(report: book_value.BookValue) -> charts.Drawing:
    total = report.total()
    return charts.draw(
        [str(y) for y in report.years],
        [charts.Series(gettext("Depreciation (tkr)"), [v / ORE_PER_TKR for v in total.by_year])],
        decimals=0,
    )


def _stock_chart(report: stock_value.StockValue) -> charts.Drawing:
    by_category: dict[str, list[int]] = {}
    for line in report.lines:
        values = by_category.setdefault(line.category_name, [0, 0])
        values[0] += line.value_ore - line.long_value_ore
        values[1] += line.long_value_ore
    names = sorted(by_category)
    return charts.draw(
        names,
        [
            charts.Series(
                gettext("In stock up to six months (tkr)"),
                [by_category[n][0] / ORE_PER_TKR for n in names],
            ),
            charts.Series(
                gettext("In stock for more than six months (tkr)"),
                [by_category[n][1] / ORE_PER_TKR for n in names],
            ),
        ],
        decimals=0,
    )


def _ledger_chart(report: ledger.Ledger) -> charts.Drawing:
    """Per month of the period: what came onto the books and the value that left them."""
    p = report.filter.period
    months = [
        (y, m)
        for y in range(p.start.year, p.end.year + 1)
        for m in range(1, 13)
        if (y, m) >= (p.start.year, p.start.month) and (y, m) <= (p.end.year, p.end.month)
    ]
    bought = dict.fromkeys(months, 0)
    left = dict.fromkeys(months, 0)
    for e in report.entries:
        month = (e.day.year, e.day.month)
        if e.kind is ledger.EntryKind.ACQUISITION:
            bought[month] += e.acquisition_ore
        elif e.kind is ledger.EntryKind.DISPOSAL:
            left[month] += e.book_value_ore
    return charts.draw(
        [f"{y}-{m:02d}" for y, m in months],
        [
            charts.Series(gettext("Acquisitions (tkr)"), [bought[k] / ORE_PER_TKR for k in months]),
            charts.Series(
                gettext("Disposals, book value left (tkr)"), [left[k] / ORE_PER_TKR for k in months]
            ),
        ],
        decimals=0,
    )


# The ledger's entries listed on its page; the downloads hold them all.
LISTED = 200


def _page(template: str, build, chart):  # type: ignore[no-untyped-def]
    args = request.args.to_dict()
    try:
        report = build(args)
    except ValidationFailed as exc:
        flash_errors(exc)
        args = {}
        report = build(args)
    return render_template(
        template,
        report=report,
        chart=chart(report),
        choices=asset_list.filter_choices(db.session(), actor=signed_in()),
        args=args,
        listed=LISTED,
    )


def _export(build):  # type: ignore[no-untyped-def]
    try:
        return build(request.args.to_dict())
    except ValidationFailed:
        abort(400)


@bp.route("/book-value")
@requires(Role.VIEWER)
def book_page():  # type: ignore[no-untyped-def]
    return _page("reports/book_value.html", book_report, _book_chart)


@bp.route("/book-value.csv")
@requires(Role.VIEWER)
def book_csv() -> Response:
    report = _export(book_report)
    name = f"bokfort-varde-{report.filter.on.isoformat()}.csv"
    return attachment(finance_sheets.book_csv(report, gettext), "text/csv", name)


@bp.route("/book-value.xlsx")
@requires(Role.VIEWER)
def book_xlsx() -> Response:
    report = _export(book_report)
    name = f"bokfort-varde-{report.filter.on.isoformat()}.xlsx"
    return attachment(finance_sheets.book_xlsx(report, gettext), XLSX, name)


@bp.route("/stock-value")
@requires(Role.VIEWER)
def stock_page():  # type: ignore[no-untyped-def]
    return _page("reports/stock_value.html", stock_report, _stock_chart)


@bp.route("/stock-value.csv")
@requires(Role.VIEWER)
def stock_csv() -> Response:
    report = _export(stock_report)
    name = f"lagervarde-{report.filter.on.isoformat()}.csv"
    return attachment(finance_sheets.stock_csv(report, gettext), "text/csv", name)


@bp.route("/stock-value.xlsx")
@requires(Role.VIEWER)
def stock_xlsx() -> Response:
    report = _export(stock_report)
    name = f"lagervarde-{report.filter.on.isoformat()}.xlsx"
    return attachment(finance_sheets.stock_xlsx(report, gettext), XLSX, name)


@bp.route("/ledger")
@requires(Role.VIEWER)
def ledger_page():  # type: ignore[no-untyped-def]
    return _page("reports/ledger.html", ledger_report, _ledger_chart)


def _ledger_name(report: ledger.Ledger, suffix: str) -> str:
    p = report.filter.period
    return f"anlaggningsreskontra-{p.start.isoformat()}-{p.end.isoformat()}.{suffix}"


@bp.route("/ledger.csv")
@requires(Role.VIEWER)
def ledger_csv() -> Response:
    report = _export(ledger_report)
    return attachment(ledger_sheets.ledger_csv(report, gettext), "text/csv",
                      _ledger_name(report, "csv"))  # fmt: skip


@bp.route("/ledger.xlsx")
@requires(Role.VIEWER)
def ledger_xlsx() -> Response:
    report = _export(ledger_report)
    return attachment(ledger_sheets.ledger_xlsx(report, gettext), XLSX,
                      _ledger_name(report, "xlsx"))  # fmt: skip
