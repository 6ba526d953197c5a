"""GET /api/v1/reports/refresh-plan: devices coming due per budget year, quarter, owner and
category, with estimated cost and embodied CO2e; `lifespan.<category>=<months>` for a
what-if (nothing is saved)."""

from __future__ import annotations

from typing import Any

from flask import Response, request

from .. import db
from ..domain.errors import ValidationFailed
from ..domain.money import sek_text
from ..domain.refresh_plan import kg_text
from ..domain.roles import Role
from ..services import refresh_plan
from ..web.access import requires
from ..web.helpers import signed_in, translate
from ..web.refresh_plan import parse_plan_filter
from . import bp
from .bodies import Report, ReportQuery
from .errors import json_error
from .spec import documented


@bp.route("/reports/refresh-plan")
@requires(Role.VIEWER)
@documented("GET", "/reports/refresh-plan", summary="The refresh plan: replacements per quarter and their cost", tag="Reports",
            role=Role.VIEWER, query=ReportQuery, response=Report, errors=(400, 404))  # fmt: skip
def refresh_plan_report() -> dict[str, Any] | tuple[Response, int]:
    s = db.session()
    try:
        flt = parse_plan_filter(s, request.args.to_dict())
        plan = refresh_plan.refresh_plan(s, actor=signed_in(), flt=flt)
    except ValidationFailed as exc:
        fields = {name: translate(text) for name, text in exc.errors.items()}
        return json_error(400, "bad_request", "; ".join(fields.values()), fields=fields)
    return plan_json(plan)


def _line(line: refresh_plan.PlanLine, *, dated: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"year": line.year, "quarter": line.quarter} if dated else {}
    out.update(
        owner=line.owner,
        category=line.category,
        count=line.count,
        cost_sek=sek_text(line.cost_ore),
        co2e_kg=kg_text(line.co2e_kg),
        unpriced_count=line.unpriced,
        no_footprint_count=line.no_footprint,
    )
    return out


def plan_json(plan: refresh_plan.Plan) -> dict[str, Any]:
    flt = plan.filter
    return {
        "from": flt.start.isoformat(),
        "years": flt.years,
        "lifespan_months": plan.lifespans,
        "what_if": dict(flt.lifespans),
        "items": [_line(line, dated=True) for line in plan.items],
        "backlog": [_line(line, dated=False) for line in plan.backlog],
        "reuse_pool": [
            {"owner": p.owner, "category": p.category, "in_pool": p.in_pool, "covers": p.covers}
            for p in plan.reuse_pool
        ],
    }
