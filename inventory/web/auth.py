"""Logging in and out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from .. import db
from ..services import auth
from . import sessions
from .access import public
from .forms import LoginForm
from .helpers import error_text, safe_next, signed_in
from .i18n import gettext, ngettext
from .throttle import Refusal, login_throttle

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():  # type: ignore[no-untyped-def]
    form = LoginForm()
    if form.validate_on_submit():
        email, address = form.email.data, request.remote_addr
        throttle = login_throttle()
        refusal = throttle.refusal(email=email, remote_addr=address)
        if refusal is not None:
            return _refused(form, email, address, refusal)
        try:
            user = auth.log_in(
                db.session(), email=email, password=form.password.data, remote_addr=address
            )
        except auth.AccountClosed as closed:
            flash(error_text(closed), "danger")
            return render_template("auth/login.html", form=form), 403
        if user is not None:
            login_user(user)
            sessions.started()
            return redirect(safe_next(request.args.get("next"), url_for("main.home")))
        throttle.failed(email=email, remote_addr=address)
        flash(gettext("Wrong e-mail address or password."), "danger")
    return render_template("auth/login.html", form=form)


def _refused(
    form: LoginForm, email: str, address: str | None, refusal: Refusal
) -> tuple[str, int, dict[str, str]]:
    """Too many failures: the login page again, unchecked, saying when to try again."""
    auth.refuse_throttled(
        db.session(),
        email=email,
        remote_addr=address,
        limit=refusal.limit,
        retry_after=refusal.retry_after,
    )
    flash(
        ngettext(
            "Too many failed logins. Try again in %(num)s second.",
            "Too many failed logins. Try again in %(num)s seconds.",
            refusal.retry_after,
        ),
        "danger",
    )
    page = render_template("auth/login.html", form=form)
    return page, 429, {"Retry-After": str(refusal.retry_after)}


@bp.route("/logout", methods=["POST"])
@public
def logout():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        auth.log_out(db.session(), user=signed_in(), remote_addr=request.remote_addr)
    logout_user()
    return redirect(url_for("auth.login"))
