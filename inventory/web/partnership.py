"""The §20 split of the joint property (issue 11): the proposal page of a split date with
its chart, numbers and items, manual adjustments, the committee's decision with a confirm
step, and the proposal as XLSX and as a PDF handover protocol.

Admins and unscoped viewers read; only an admin for all owners computes, adjusts and
applies (the service says who may); a user scoped to one owner finds nothing here (404)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlmodel import Session

from .. import db
from ..domain.dates import parse_date
from ..domain.errors import NotFound, ValidationFailed
from ..domain.roles import Role
from ..domain.text import N_
from ..exports import split_pdf, split_xlsx
from ..exports.split_common import SplitDocument, basis_label, compensation_sentence, signed_sek
from ..models import User
from ..services import cost_keys, partnership
from .access import requires
from .forms import DecisionForm
from .helpers import flash_errors, now, parse_id, signed_in, today, translate
from .i18n import gettext, ngettext
from .split_chart import bars

bp = Blueprint("partnership", __name__, url_prefix="/partnership")

# Items shown per page: the demo has about 1 000 joint assets, a large register 10 000.
PER_PAGE = 100
_MAX_PAGE = 100_000

UNKNOWN_CATEGORY = N_("There is no such category among the proposal's items: choose one.")
UNKNOWN_SITE = N_("There is no such site among the proposal's items: choose one.")
UNKNOWN_SIDE = N_("There is no such side in the proposal: choose a municipality.")
BAD_PAGE = N_("The page is a whole number from 1: the first page is shown.")


@bp.app_template_global()
def may_read_split(user: Any) -> bool:
    """For the menu: whether the user has a split page to open."""
    return bool(user.is_authenticated) and partnership.may_read_split(user)


@bp.app_template_filter("split_basis")
def _split_basis(basis: str) -> str:
    return basis_label(basis, gettext)


@bp.app_template_filter("signed_sek")
def _signed_sek(ore: int) -> str:
    return signed_sek(ore)


def _reader() -> User:
    """The signed-in user, who must be one the split is shown to: anyone scoped to one owner
    gets 404, as if there were no split at all."""
    actor = signed_in()
    if not partnership.may_read_split(actor):
        abort(404)
    return actor


def _default_on() -> dt.date:
    return current_app.config["INVENTORY"].split_on  # type: ignore[no-any-return]


def _posted_on() -> dt.date:
    """The split date a form was posted for; a form of ours always sends a valid one."""
    try:
        on = parse_date(request.form.get("on"), field="on")
    except ValidationFailed:
        abort(400)
    return on or _default_on()


def _to_page(on: dt.date, values: Mapping[str, str] | None = None) -> Any:
    """Back to the proposal page; after a move, at its items with the filters the form came
    from."""
    if values is None:
        return redirect(url_for("partnership.proposal", on=on.isoformat()))
    keep: dict[str, Any] = {
        k: values[k] for k in ("category", "site", "side", "page") if values.get(k)
    }
    return redirect(url_for("partnership.proposal", on=on.isoformat(), **keep) + "#items")


# --- the page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFilter:
    """Which items the page lists: a category, a site, a side (owner id) and a page."""

    category_id: int | None = None
    site_id: int | None = None
    side_id: int | None = None
    page: int = 1

    def args(self) -> dict[str, int]:
        """The filter as query-string values, for links to other pages of the list."""
        given = {"category": self.category_id, "site": self.site_id, "side": self.side_id}
        return {k: v for k, v in given.items() if v is not None}


def read_filter(
    args: Mapping[str, str], summary: partnership.Summary
) -> tuple[ItemFilter, list[str]]:
    """The item filter from the query string, each value checked against what the proposal
    holds; a wrong one is left out with a message saying so."""
    errors: list[str] = []

    def chosen(name: str, known: set[int], message: str) -> int | None:
        raw = (args.get(name) or "").strip()
        if not raw:
            return None
        value = parse_id(raw)
        if value is None or value not in known:
            errors.append(gettext(message))
            return None
        return value

    category = chosen("category", {i for i, _ in summary.categories}, UNKNOWN_CATEGORY)
    site = chosen("site", {i for i, _ in summary.sites}, UNKNOWN_SITE)
    side = chosen("side", {s.owner_id for s in summary.sides}, UNKNOWN_SIDE)
    raw_page = (args.get("page") or "1").strip()
    page = int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) <= _MAX_PAGE else 0
    if page == 0:
        errors.append(gettext(BAD_PAGE))
    return ItemFilter(category, site, side, max(page, 1)), errors


def _key_problem(session: Session, on: dt.date) -> str:
    """Why no proposal can be computed for `on` (its year's cost key is missing or
    incomplete), or "" when one can."""
    try:
        cost_keys.key_for_split(session, on=on)
    except ValidationFailed as exc:
        return translate(exc.errors["cost_key"], exc.field_params.get("cost_key"))
    return ""


def _page(
    on: dt.date,
    *,
    args: Mapping[str, str],
    errors: list[str] | None = None,
    decision: DecisionForm | None = None,
    adjusting: Mapping[str, Any] | None = None,
    status: int = 200,
) -> Any:
    s = db.session()
    actor = _reader()
    shown: dict[str, Any] = {
        "on": on,
        "default_on": _default_on(),
        "may_change": partnership.may_change_split(actor),
        "may_set_keys": cost_keys.may_change_keys(actor),
        "errors": list(errors or []),
    }
    try:
        summary = partnership.summary(s, actor=actor, on=on)
    except NotFound:
        problem = _key_problem(s, on)
        return render_template(
            "partnership/split.html", summary=None, key_problem=problem, **shown
        ), status
    except ValidationFailed as exc:  # the key of a proposal's year was emptied since
        shown["errors"].append(translate(exc.message))
        problem = translate(
            exc.errors.get("cost_key", exc.message), exc.field_params.get("cost_key")
        )
        return render_template(
            "partnership/split.html", summary=None, key_problem=problem, **shown
        ), status
    chosen, filter_errors = read_filter(args, summary)
    shown["errors"] += filter_errors
    where = {
        "category_id": chosen.category_id,
        "site_id": chosen.site_id,
        "to_owner_id": chosen.side_id,
    }
    total = partnership.count_lines(s, actor=actor, on=on, **where)
    pages = max(1, -(-total // PER_PAGE))
    page = min(chosen.page, pages)
    rows = partnership.lines(
        s, actor=actor, on=on, **where, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    form = decision or DecisionForm(formdata=None)
    return render_template(
        "partnership/split.html",
        summary=summary,
        key_problem="",
        chart=bars(summary),
        compensation=compensation_sentence(summary, gettext),
        rows=rows,
        models=partnership.models_of_lines(
            s, actor=actor, on=on, asset_ids=[r.asset_id for r in rows]
        ),
        total=total,
        first_item=(page - 1) * PER_PAGE + 1,
        last_item=(page - 1) * PER_PAGE + len(rows),
        joint_count=sum(side.count for side in summary.sides),
        page=page,
        pages=pages,
        chosen=chosen,
        side_options=[(side.owner_id, side.name) for side in summary.sides],
        moves=partnership.adjustment_moves(s, actor=actor, on=on),
        decision=form,
        adjusting=adjusting or {},
        **shown,
    ), status


@bp.route("/split")
@requires(Role.VIEWER)
def proposal():  # type: ignore[no-untyped-def]
    """The proposal of `?on=` (default: the agreement's end)."""
    _reader()
    errors: list[str] = []
    try:
        on = parse_date(request.args.get("on"), field="on") or _default_on()
    except ValidationFailed as exc:
        errors.append(translate(exc.errors["on"]))
        on = _default_on()
    return _page(on, args=request.args, errors=errors, status=400 if errors else 200)


# --- computing, adjusting, deciding --------------------------------------------------------------


@bp.route("/split/compute", methods=["POST"])
@requires(Role.ADMIN)
def compute():  # type: ignore[no-untyped-def]
    actor = _reader()
    on = _posted_on()
    try:
        partnership.compute(db.session(), actor=actor, on=on, now=now())
    except ValidationFailed as exc:
        flash_errors(exc)
    else:
        flash(gettext("The proposal was computed from the register as it is now."), "success")
    return _to_page(on)


@bp.route("/split/adjust", methods=["POST"])
@requires(Role.ADMIN)
def adjust():  # type: ignore[no-untyped-def]
    """Move the ticked items to the side of the button pressed, with the reason given."""
    actor = _reader()
    on = _posted_on()
    form = request.form
    tags = form.getlist("tag")
    try:
        moved = partnership.adjust(
            db.session(),
            actor=actor,
            on=on,
            tags=tags,
            to_owner_slug=form.get("to_owner", ""),
            reason=form.get("reason", ""),
            now=now(),
        )
    except ValidationFailed as exc:
        messages = [translate(m, exc.field_params.get(k)) for k, m in exc.errors.items()]
        kept = {"tags": set(tags), "reason": form.get("reason", "")[:500]}
        return _page(on, args=form, errors=messages, adjusting=kept, status=422)
    flash(ngettext("%(num)s item moved.", "%(num)s items moved.", moved), "success")
    return _to_page(on, form)


@bp.route("/split/decide", methods=["POST"])
@requires(Role.ADMIN)
def decide():  # type: ignore[no-untyped-def]
    """The decision in two steps: the form is checked and what applying does is shown; only
    the confirmation applies it."""
    actor = _reader()
    on = _posted_on()
    s = db.session()
    form = DecisionForm()
    if not form.validate_on_submit():
        return _page(on, args={}, decision=form, status=422)
    if form.confirmed.data != "yes":
        try:
            partnership.check_applicable(s, actor=actor, on=on)
        except ValidationFailed as exc:
            flash_errors(exc)
            return _to_page(on)
        summary = partnership.summary(s, actor=actor, on=on)
        return render_template(
            "partnership/confirm.html",
            on=on,
            summary=summary,
            form=form,
            count=sum(side.count for side in summary.sides),
            compensation=compensation_sentence(summary, gettext),
        )
    try:
        partnership.apply(
            s,
            actor=actor,
            on=on,
            decided_on=form.decided_on.data,
            decision_ref=form.decision_ref.data or "",
            comment=form.comment.data or "",
            now=now(),
            today=today(),
        )
    except ValidationFailed as exc:
        flash_errors(exc)
    else:
        flash(
            gettext(
                "The split was applied as decided (%(ref)s): every joint asset has its new owner.",
                ref=form.decision_ref.data,
            ),
            "success",
        )
    return _to_page(on)


# --- exports -------------------------------------------------------------------------------------


def _document(on: dt.date) -> SplitDocument:
    s = db.session()
    actor = _reader()
    return SplitDocument(
        summary=partnership.summary(s, actor=actor, on=on),
        lines=partnership.lines(s, actor=actor, on=on),
        models=partnership.models_of_lines(s, actor=actor, on=on),
        parties=partnership.parties(s, actor=actor, on=on),
        moves=partnership.adjustment_moves(s, actor=actor, on=on),
        generated_at=now(),
    )


def _export_on() -> dt.date:
    try:
        return parse_date(request.args.get("on"), field="on") or _default_on()
    except ValidationFailed:
        abort(400)


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/split.xlsx")
@requires(Role.VIEWER)
def export_xlsx() -> Response:
    on = _export_on()
    body = split_xlsx.render(_document(on), gettext)
    return _download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"delning-{on.isoformat()}.xlsx",
    )


@bp.route("/split.pdf")
@requires(Role.VIEWER)
def export_pdf() -> Response:
    on = _export_on()
    body = split_pdf.render(_document(on), gettext)
    return _download(body, "application/pdf", f"overlamningsprotokoll-{on.isoformat()}.pdf")
