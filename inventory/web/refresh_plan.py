"""The refresh plan page (procurement): devices coming due per budget year and quarter, the
cost and CO2e, the backlog, the reuse pool, a what-if on target lifespans; CSV and XLSX."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlmodel import Session

from .. import db
from ..domain import refresh_plan as rules
from ..domain.dates import parse_date
from ..domain.errors import ValidationFailed
from ..domain.numbers import parse_whole
from ..domain.roles import Role
from ..domain.text import N_
from ..exports import refresh_plan_sheets
from ..services import asset_list, reference, refresh_plan
from ..services.refresh_plan import Plan, PlanFilter
from . import charts
from .access import requires
from .helpers import attachment, flash_errors, now, parse_unit, signed_in, today
from .i18n import gettext

bp = Blueprint("reports", __name__, url_prefix="/reports")


def parse_plan_filter(session: Session, args: Mapping[str, str]) -> PlanFilter:
    """The plan's query string: from (a date, default today), years (1-10), owner,
    category, unit, and the what-if's lifespan.<category>=<months>; field errors together."""
    errors: dict[str, str] = {}
    start = None
    try:
        start = parse_date(args.get("from"), field="from")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    years = rules.DEFAULT_YEARS
    try:
        years = rules.parse_years(args.get("years"))
    except ValidationFailed as exc:
        errors.update(exc.errors)
    lifespans: dict[str, int] = {}
    try:
        lifespans = rules.parse_lifespans(args, refresh_plan.category_lifespans(session))
    except ValidationFailed as exc:
        errors.update(exc.errors)
    unit = parse_unit(args, errors)
    if errors:
        raise ValidationFailed(errors)
    return PlanFilter(
        start=start or today(),
        years=years,
        owner=(args.get("owner") or "").strip() or None,
        category=(args.get("category") or "").strip() or None,
        business_unit_id=unit,
        lifespans=lifespans,
    )


def _plans(args: Mapping[str, str]) -> tuple[Plan, Plan | None]:
    """The plan under today's rules and, when lifespans are changed, under the what-if."""
    s = db.session()
    actor = signed_in()
    flt = parse_plan_filter(s, args)
    today_rules = refresh_plan.refresh_plan(s, actor=actor, flt=replace(flt, lifespans={}))
    what_if = refresh_plan.refresh_plan(s, actor=actor, flt=flt) if flt.lifespans else None
    return today_rules, what_if


# Budgets are written in thousands of kronor (tkr).
ORE_PER_TKR = 100_000


def _chart(plan: Plan, what_if: Plan | None) -> charts.Drawing:
    """Estimated cost per budget year in tkr, today's lifespans beside the what-if's."""
    years = plan.years
    series = [
        charts.Series(
            gettext("Today's lifespans"),
            [plan.totals_by_year()[y].cost_ore / ORE_PER_TKR for y in years],
        )
    ]
    if what_if is not None:
        series.append(
            charts.Series(
                gettext("What-if"),
                [what_if.totals_by_year()[y].cost_ore / ORE_PER_TKR for y in years],
            )
        )
    return charts.draw([str(y) for y in years], series, decimals=0)


@bp.route("/")
@requires(Role.VIEWER)
def index():  # type: ignore[no-untyped-def]
    """The reports, one line each: what the menu's Reports opens."""
    return render_template("reports/index.html")


@bp.route("/refresh-plan")
@requires(Role.VIEWER)
def plan_page():  # type: ignore[no-untyped-def]
    args = request.args.to_dict()
    try:
        plan, what_if = _plans(args)
    except ValidationFailed as exc:
        flash_errors(exc)
        plan, what_if = _plans({})
        args = {}
    s = db.session()
    names = {
        slug: name for slug, name in asset_list.filter_choices(s, actor=signed_in())["category"]
    }
    return render_template(
        "reports/refresh_plan.html",
        what_if_names=", ".join(
            gettext("%(category)s %(months)s months", category=names.get(slug, slug), months=m)
            for slug, m in (what_if.filter.lifespans.items() if what_if else ())
        ),
        plan=plan,
        what_if=what_if,
        chart=_chart(plan, what_if),
        choices=asset_list.filter_choices(s, actor=signed_in()),
        lifespans=refresh_plan.category_lifespans(s),
        args=args,
    )


def _download(body: bytes, mimetype: str, plan: Plan, ext: str) -> Response:
    return attachment(body, mimetype, f"fornyelseplan-{plan.filter.start.isoformat()}.{ext}")


def _export_plan() -> Plan:
    try:
        plan, what_if = _plans(request.args.to_dict())
    except ValidationFailed:
        abort(400)
    return what_if or plan


@bp.route("/refresh-plan.csv")
@requires(Role.VIEWER)
def plan_csv() -> Response:
    plan = _export_plan()
    return _download(refresh_plan_sheets.render_csv(plan, gettext), "text/csv", plan, "csv")


@bp.route("/refresh-plan.xlsx")
@requires(Role.VIEWER)
def plan_xlsx() -> Response:
    plan = _export_plan()
    body = refresh_plan_sheets.render_xlsx(plan, gettext)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(body, xlsx, plan, "xlsx")


def _devices(args: Mapping[str, str]) -> tuple[PlanFilter, list[refresh_plan.DeviceDue]]:
    """The devices behind one line of the plan: the plan's query string with the line's
    owner, category, year and quarter (neither year nor quarter: the backlog)."""
    s = db.session()
    flt = parse_plan_filter(s, args)
    errors: dict[str, str] = {}
    if not flt.owner:
        errors["owner"] = N_("Choose an owner.")
    if not flt.category:
        errors["category"] = N_("Choose a category.")
    year = quarter = None
    try:
        year = parse_whole(args.get("year"), 2000, 2100)
    except ValueError:
        errors["year"] = N_("The year must be a year from 2000 to 2100.")
    try:
        quarter = parse_whole(args.get("quarter"), 1, 4)
    except ValueError:
        errors["quarter"] = N_("The quarter must be 1, 2, 3 or 4.")
    if (year is None) != (quarter is None) and not errors:
        errors["quarter" if quarter is None else "year"] = N_(
            "Give both the year and the quarter, or neither for the backlog."
        )
    if errors:
        raise ValidationFailed(errors)
    devices = refresh_plan.plan_devices(
        s,
        actor=signed_in(),
        flt=flt,
        owner=flt.owner or "",
        category=flt.category or "",
        year=year,
        quarter=quarter,
    )
    return flt, devices


@bp.route("/refresh-plan/devices")
@requires(Role.VIEWER)
def plan_devices():  # type: ignore[no-untyped-def]
    args = request.args.to_dict()
    try:
        flt, devices = _devices(args)
    except ValidationFailed as exc:
        flash_errors(exc)
        return redirect(url_for("reports.plan_page"))
    return render_template("reports/refresh_plan_devices.html", flt=flt, devices=devices, args=args)


@bp.route("/refresh-plan/devices.csv")
@requires(Role.VIEWER)
def plan_devices_csv() -> Response:
    try:
        flt, devices = _devices(request.args.to_dict())
    except ValidationFailed:
        abort(400)
    body = refresh_plan_sheets.devices_csv(devices, gettext)
    return attachment(body, "text/csv", f"fornyelseplan-enheter-{flt.start.isoformat()}.csv")


@bp.route("/refresh-plan/adopt", methods=["POST"])
@requires(Role.ADMIN)
def adopt():  # type: ignore[no-untyped-def]
    """Make the what-if's lifespans the rule (an admin for all owners), after a confirm tick;
    then the plan under the new rules."""
    s = db.session()
    form = request.form.to_dict()
    back = {k: v for k, v in form.items() if k.startswith("lifespan.") or k == "from"}
    try:
        lifespans = rules.parse_lifespans(form, refresh_plan.category_lifespans(s))
        if form.get("confirm") != "1":
            raise ValidationFailed(
                {"confirm": N_("Tick the box to confirm that the lifespans become the rule.")}
            )
        changed = reference.adopt_lifespans(
            s, actor=signed_in(), lifespans=lifespans, today=today(), now=now()
        )
    except ValidationFailed as exc:
        flash_errors(exc)
        return redirect(url_for("reports.plan_page", **back))
    names = ", ".join(c.name for c in changed)
    flash(gettext("New target lifespans saved for: %(names)s.", names=names), "success")
    return redirect(url_for("reports.plan_page", **{"from": form.get("from", "")}))
