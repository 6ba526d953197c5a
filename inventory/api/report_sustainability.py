"""GET /api/v1/reports/sustainability: the committee's figures as JSON, `?on=YYYY-MM-DD`
(the fleet that day, its tertial to that day) or `?year=&tertial=` (or a year, part=interim,
from and to), with owner, category and unit. Ages and shares are unrounded decimal
numbers; the page rounds them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Response, request

from .. import db
from ..domain.errors import ValidationFailed
from ..domain.roles import Role
from ..services.sustainability import Item, Sustainability
from ..web.access import requires
from ..web.helpers import translate
from ..web.sustainability import report_for
from . import bp
from .bodies import Report, ReportQuery
from .errors import json_error
from .spec import documented


@bp.route("/reports/sustainability")
@requires(Role.VIEWER)
@documented("GET", "/reports/sustainability", summary="Sustainability of a period: ages, lifespans, reuse, footprint", tag="Reports",
            role=Role.VIEWER, query=ReportQuery, response=Report, errors=(400, 404))  # fmt: skip
def sustainability_report() -> dict[str, Any] | tuple[Response, int]:
    try:
        report = report_for(db.session(), request.args.to_dict())
    except ValidationFailed as exc:
        fields = {name: translate(text) for name, text in exc.errors.items()}
        return json_error(400, "bad_request", "; ".join(fields.values()), fields=fields)
    return report_json(report)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _item(item: Item) -> dict[str, Any]:
    return {
        "owner": item.owner,
        "category": item.category,
        "active_count": item.active_count,
        "average_age_years": _number(item.average_age_years),
        "target_years": _number(item.target_years),
        "retired_count": item.retired_count,
        "average_lifespan_at_retirement_years": _number(item.average_lifespan_at_retirement_years),
        "handed_out_count": item.handed_out_count,
        "reused_count": item.reused_count,
        "reused_share": _number(item.reused_share),
    }


def report_json(report: Sustainability) -> dict[str, Any]:
    f, k = report.filter, report.kpi
    return {
        "on": f.on.isoformat(),
        "period": {
            "name": f.period.name,
            "from": f.period.start.isoformat(),
            "to": f.period.end.isoformat(),
        },
        "items": [_item(i) for i in report.items],
        "kpi": {
            # False when a category that is not a computer was chosen: nothing to count.
            "applies": k.applies,
            "computers": list(k.computers),
            "active_count": k.active_count,
            "average_age_years": _number(k.average_age_years),
            "lifespan": {
                "retired_count": k.retired_count,
                "average_lifespan_at_retirement_years": _number(k.average_lifespan_years),
                "target_years": _number(k.lifespan_target_years),
                "met": k.lifespan_met,
            },
            "reuse": {
                "handed_out_count": k.handed_out_count,
                "reused_count": k.reused_count,
                "reused_share": _number(k.reused_share),
            },
            "climate": {
                "bought_co2e_kg": _number(k.bought_kg),
                "bought_co2e_kg_year_before": _number(k.bought_kg_before),
                "without_footprint_count": k.bought_without_footprint,
                "change": _number(k.climate_change),
                "target_change": _number(k.climate_target_change),
                "met": k.climate_met,
            },
        },
        "trend": [
            {
                "tertial": p.period.name,
                "from": p.period.start.isoformat(),
                "to": p.period.end.isoformat(),
                "active_count": p.active_count,
                "average_age_years": _number(p.average_age_years),
                "retired_count": p.retired_count,
                "average_lifespan_at_retirement_years": _number(p.average_lifespan_years),
                "handed_out_count": p.handed_out_count,
                "reused_count": p.reused_count,
            }
            for p in report.trend
        ],
        "climate": [
            {
                "year": y.year,
                "to": y.until.isoformat(),
                "bought_count": y.bought,
                "without_footprint_count": y.without_footprint,
                "co2e_kg": _number(y.total_kg),
                "co2e_kg_per_device": _number(y.per_device_kg),
                "change": _number(y.change),
                # False: devices of this year or the one compared had no footprint, so the
                # change compares incomplete totals.
                "complete": y.complete,
                "avoided_co2e_kg": _number(y.avoided_kg),
            }
            for y in report.climate
        ],
    }
