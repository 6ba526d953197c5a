"""The API tokens page: a user makes, sees and revokes their own tokens (an administrator for
all owners: anyone's, and makes them for others). A new token's secret is shown on the page
that made it, once; only its hash is kept."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .. import db
from ..domain.errors import ValidationFailed
from ..domain.numbers import parse_whole
from ..domain.roles import Role
from ..domain.text import N_
from ..services import tokens
from .access import requires
from .helpers import flash_errors, now, signed_in
from .i18n import gettext

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")


@bp.route("", methods=["GET", "POST"])
@requires(Role.VIEWER)
def index():  # type: ignore[no-untyped-def]
    s = db.session()
    user = signed_in()
    made: tuple[tokens.TokenRow, str] | None = None
    status = 200
    if request.method == "POST":
        try:
            days = parse_whole(request.form.get("days"), 1, tokens.MAX_DAYS)
        except ValueError:  # not a whole number of days in range
            days = None
        try:
            if days is None:
                raise ValidationFailed({"days": N_("A token lasts from 1 to 366 days.")})
            made = tokens.create(
                s, actor=user, name=request.form.get("name") or "", days=days, now=now(),
                for_email=(request.form.get("user") or "").strip() or None,
            )  # fmt: skip
        except ValidationFailed as exc:
            flash_errors(exc)
            status = 422
    return render_template(
        "account/tokens.html",
        rows=tokens.list_tokens(s, actor=user),
        made=made,
        for_others=tokens.manages_all(user),
        now=now(),
    ), status  # fmt: skip


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@requires(Role.VIEWER)
def revoke(token_id: int):  # type: ignore[no-untyped-def]
    tokens.revoke(db.session(), actor=signed_in(), token_id=token_id)
    flash(gettext("The token was revoked: it no longer works."), "success")
    return redirect(url_for("tokens.index"))
