"""GET /api/v1/reports/book-value?on= and /stock-value?on= (with owner, category, unit):
`items` per owner and category, money as decimal strings in kronor."""

from __future__ import annotations

from typing import Any

from flask import Response, request

from ..domain.errors import ValidationFailed
from ..domain.money import sek_text
from ..domain.roles import Role
from ..web.access import requires
from ..web.finance import book_report, stock_report
from ..web.helpers import translate
from . import bp
from .errors import json_error


def _refused(exc: ValidationFailed) -> tuple[Response, int]:
    fields = {name: translate(text) for name, text in exc.errors.items()}
    return json_error(400, "bad_request", "; ".join(fields.values()), fields=fields)


@bp.route("/reports/book-value")
@requires(Role.VIEWER)
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
