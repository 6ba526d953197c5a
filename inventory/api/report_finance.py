"""GET /api/v1/reports/book-value?on=, /stock-value?on= and /ledger?from=&to= (with owner,
category, unit): `items` per owner and category, money as decimal strings in kronor; and
/service-objects?year=&quarter= (with owner, unit), the quarterly invoicing basis."""

from __future__ import annotations

from typing import Any

from flask import Response, request

from ..domain.errors import ValidationFailed
from ..domain.money import sek_text
from ..domain.roles import Role
from ..web.access import requires
from ..web.finance import book_report, ledger_report, stock_report
from ..web.helpers import translate
from ..web.invoicing import basis_report
from . import bp
from .bodies import Report, ReportQuery
from .errors import json_error
from .spec import documented


def _refused(exc: ValidationFailed) -> tuple[Response, int]:
    fields = {name: translate(text) for name, text in exc.errors.items()}
    return json_error(400, "bad_request", "; ".join(fields.values()), fields=fields)


@bp.route("/reports/book-value")
@requires(Role.VIEWER)
@documented("GET", "/reports/book-value", summary="Book value per owner and category on a day", tag="Reports",
            role=Role.VIEWER, query=ReportQuery, response=Report, errors=(400, 404))  # fmt: skip
def book_value_report() -> dict[str, Any] | tuple[Response, int]:
    try:
        report = book_report(request.args.to_dict())
    except ValidationFailed as exc:
        return _refused(exc)
    return {
        "on": report.filter.on.isoformat(),
        "years": report.years,
        "items": [
            {
                "owner": x.owner,
                "category": x.category,
                "count": x.count,
                "acquisition_value_sek": sek_text(x.acquisition_ore),
                "accumulated_depreciation_sek": sek_text(x.accumulated_ore),
                "book_value_sek": sek_text(x.book_value_ore),
                "depreciation_by_year_sek": {
                    str(y): sek_text(v) for y, v in zip(report.years, x.by_year, strict=True)
                },
                "depreciation_by_month_sek": [sek_text(v) for v in x.by_month],
                "expensed_count": x.expensed_count,
                "expensed_purchase_price_sek": sek_text(x.expensed_ore),
            }
            for x in report.lines
        ],
    }


@bp.route("/reports/stock-value")
@requires(Role.VIEWER)
@documented("GET", "/reports/stock-value", summary="Stock value: what lies in stock, and how long", tag="Reports",
            role=Role.VIEWER, query=ReportQuery, response=Report, errors=(400, 404))  # fmt: skip
def stock_value_report() -> dict[str, Any] | tuple[Response, int]:
    try:
        report = stock_report(request.args.to_dict())
    except ValidationFailed as exc:
        return _refused(exc)
    return {
        "on": report.filter.on.isoformat(),
        "items": [
            {
                "owner": x.owner,
                "category": x.category,
                "count": x.count,
                "value_sek": sek_text(x.value_ore),
                "average_days_in_stock": x.average_days,
                "over_six_months_count": x.long_count,
                "over_six_months_value_sek": sek_text(x.long_value_ore),
            }
            for x in report.lines
        ],
    }


def _sek_or_none(ore: int | None) -> str | None:
    return None if ore is None else sek_text(ore)


@bp.route("/reports/ledger")
@requires(Role.VIEWER)
@documented("GET", "/reports/ledger", summary="The asset ledger of a period", tag="Reports",
            role=Role.VIEWER, query=ReportQuery, response=Report, errors=(400, 404))  # fmt: skip
def ledger_report_json() -> dict[str, Any] | tuple[Response, int]:
    """The asset ledger: `items` per owner, category and kind of entry (acquisition,
    disposal, transfer_out, transfer_in) with the sums, `entries` one per device and event,
    `expensed` per owner (not on the books)."""
    try:
        report = ledger_report(request.args.to_dict())
    except ValidationFailed as exc:
        return _refused(exc)
    period = report.filter.period
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "items": [
            {
                "owner": x.owner,
                "category": x.category,
                "kind": x.kind.value,
                "count": x.count,
                "acquisition_value_sek": sek_text(x.acquisition_ore),
                "accumulated_depreciation_sek": sek_text(x.accumulated_ore),
                "book_value_sek": sek_text(x.book_value_ore),
                "proceeds_sek": sek_text(x.proceeds_ore),
            }
            for x in report.lines
        ],
        "entries": [
            {
                "date": e.day.isoformat(),
                "kind": e.kind.value,
                "tag": e.tag,
                "owner": e.owner,
                "category": e.category,
                "other_owner": e.counterpart,
                "disposal_kind": e.disposal_kind,
                "acquisition_value_sek": sek_text(e.acquisition_ore),
                "accumulated_depreciation_sek": sek_text(e.accumulated_ore),
                "book_value_sek": sek_text(e.book_value_ore),
                "proceeds_sek": _sek_or_none(e.proceeds_ore),
                "order_ref": e.order_ref,
            }
            for e in report.entries
        ],
        "expensed": [
            {
                "owner": y.owner,
                "bought_count": y.bought_count,
                "purchase_price_sek": sek_text(y.bought_ore),
                "disposed_count": y.disposed_count,
                "proceeds_sek": sek_text(y.proceeds_ore),
            }
            for y in report.expensed
        ],
    }


@bp.route("/reports/service-objects")
@requires(Role.VIEWER)
@documented("GET", "/reports/service-objects", summary="The quarterly invoicing basis per service object", tag="Reports",
            role=Role.VIEWER, query=ReportQuery, response=Report, errors=(400, 404))  # fmt: skip
def service_objects_report() -> dict[str, Any] | tuple[Response, int]:
    """The quarterly invoicing basis: `items` per owner, business unit and service object
    with the devices, their days in use and the object-months (a decimal string)."""
    try:
        report = basis_report(request.args.to_dict())
    except ValidationFailed as exc:
        return _refused(exc)
    q = report.filter.quarter
    return {
        "year": q.year,
        "quarter": q.number,
        "from": q.start.isoformat(),
        "to": q.end.isoformat(),
        "items": [
            {
                "owner": x.owner,
                "business_unit": x.business_unit,
                "business_unit_id": x.business_unit_id,
                "service_object": x.service_object,
                "count": x.devices,
                "days_in_use": x.days,
                "object_months": str(x.object_months),
            }
            for x in report.lines
        ],
        "total_object_months": str(report.total_months),
    }
