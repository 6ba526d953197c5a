"""GET /api/v1/reports/partnership-split: the §20 split proposal of a date as JSON.

Reading never computes: without a proposal for the date the answer is a 404 saying so (an
admin computes it first), so that a read can neither write nor change what was proposed."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from flask import Response, current_app, request

from .. import db
from ..domain.dates import parse_date
from ..domain.errors import ValidationFailed
from ..domain.money import sek_text
from ..domain.roles import Role
from ..services import partnership
from ..web.access import requires
from ..web.helpers import signed_in, translate
from . import bp
from .bodies import Report, ReportQuery
from .errors import json_error
from .spec import documented

# A share as a decimal string: six decimals (0.546995 of 2002 / 3660 users).
_SHARE_PLACES = Decimal("0.000001")


@bp.route("/reports/partnership-split")
@requires(Role.VIEWER)
@documented("GET", "/reports/partnership-split", summary="The §20 split of the joint property", tag="Reports",
            role=Role.VIEWER, query=ReportQuery, response=Report, errors=(400, 404))  # fmt: skip
def partnership_split() -> dict[str, Any] | tuple[Response, int]:
    try:
        on = parse_date(request.args.get("on"), field="on")
    except ValidationFailed as exc:
        message = translate(exc.errors["on"])
        return json_error(400, "bad_request", message, fields={"on": message})
    on = on or current_app.config["INVENTORY"].split_on
    s = db.session()
    actor = signed_in()
    summary = partnership.summary(s, actor=actor, on=on)
    items = partnership.lines(s, actor=actor, on=on)
    return split_json(on, summary, items)


def split_json(
    on: dt.date, summary: partnership.Summary, items: list[partnership.LineRow]
) -> dict[str, Any]:
    pay = summary.compensation
    return {
        "on": on.isoformat(),
        "cost_key": {
            "year": summary.cost_key_year,
            **{s.slug: {"users": s.users, "share": share_text(s.share)} for s in summary.sides},
        },
        "joint_total_book_value_sek": sek_text(summary.joint_total_ore),
        "items": [
            {
                "tag": line.tag,
                "to": line.to_slug,
                "book_value_sek": sek_text(line.book_value_ore),
                "purchase_price_sek": sek_text(line.purchase_price_ore),
                "basis": line.basis,
            }
            for line in items
        ],
        "totals": {
            s.slug: {
                "count": s.count,
                "book_value_sek": sek_text(s.book_value_ore),
                "share_sek": sek_text(s.share_ore),
            }
            for s in summary.sides
        },
        # Sides already even: nobody pays. (With more than two sides, the largest payment:
        # Summary.transfers has them all.)
        "compensation": {
            "from": pay.from_slug if pay else None,
            "to": pay.to_slug if pay else None,
            "sek": sek_text(pay.ore if pay else 0),
        },
    }


def share_text(share: Fraction) -> str:
    exact = Decimal(share.numerator) / Decimal(share.denominator)
    return str(exact.quantize(_SHARE_PLACES, ROUND_HALF_UP))
