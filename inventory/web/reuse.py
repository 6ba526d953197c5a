"""The reuse routine's pages: assess a returned device, and the reuse pool."""

from __future__ import annotations

from collections.abc import Iterable

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from .. import db
from ..domain import attachments as file_rules
from ..domain import reuse as rules
from ..domain.dates import parse_date
from ..domain.errors import Conflict, InvalidTransition, ValidationFailed
from ..domain.money import parse_optional_sek
from ..domain.roles import Role
from ..domain.text import N_
from ..exports import assessments_csv as assessments_csv_export
from ..services import catalog
from ..services import reuse as reuse_service
from .access import requires
from .helpers import (
    error_text,
    flash_errors,
    now,
    parse_id,
    parse_query_date,
    signed_in,
    today,
    translate,
)
from .i18n import gettext, translations

bp = Blueprint("reuse", __name__)


@bp.route("/reuse")
@requires(Role.VIEWER)
def pool():  # type: ignore[no-untyped-def]
    """What can be handed out now, by category and model, oldest first."""
    return render_template(
        "reuse/pool.html", rows=reuse_service.pool(db.session(), actor=signed_in())
    )


@bp.route("/reuse/assessments.csv")
@requires(Role.VIEWER)
def assessments_csv():  # type: ignore[no-untyped-def]
    """Every assessment with its wipe, for a controller to check; ?from=&to= local days."""
    try:
        since = parse_query_date(request.args.get("from"), "from")
        until = parse_query_date(request.args.get("to"), "to")
    except ValidationFailed as exc:
        flash_errors(exc)
        return redirect(url_for("reuse.pool"))
    records = reuse_service.assessments(db.session(), actor=signed_in(), since=since, until=until)
    return Response(
        assessments_csv_export.render(records, translations().ugettext),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="bedomningar.csv"'},
    )


@bp.route("/assets/<tag>/assess", methods=["GET", "POST"])
@requires(Role.TECHNICIAN)
def assess(tag: str):  # type: ignore[no-untyped-def]
    s = db.session()
    asset, details = catalog.get_asset_with_details(s, actor=current_user, tag=tag)
    form = request.form
    if request.method == "POST":
        files = uploads(file_rules.Kind)
        try:
            data = _input(form)
            reuse_service.assess(
                s,
                actor=current_user,
                asset=asset,
                data=data,
                today=today(),
                now=now(),
                expected_version=parse_id(form.get("version")) or -1,
                files=files,
                max_bytes=current_app.config["INVENTORY"].attachment_max_bytes,
            )
        except Conflict as exc:
            flash(error_text(exc), "danger")
        except (ValidationFailed, InvalidTransition) as exc:
            file_errors: dict[str, str] = {}
            if isinstance(exc, ValidationFailed):
                # A file's error under its own input: with two files, which one it is.
                file_errors = {
                    kind.value: translate(
                        exc.errors.pop(kind.value), exc.field_params.get(kind.value)
                    )
                    for kind in file_rules.Kind
                    if kind.value in exc.errors
                }
                flash_errors(exc)
            else:  # a decision the device's status does not allow
                flash(error_text(exc), "danger")
            return render_template(
                "reuse/assess.html",
                asset=asset,
                d=details,
                form=form,
                decisions=list(rules.Decision),
                grades=list(rules.Grade),
                # A browser never fills a file input in again: say which to choose again.
                dropped=[upload.filename for _, upload in files],
                file_errors=file_errors,
                **_file_inputs(),
            ), 422
        else:
            flash(
                gettext("Assessment saved: %(decision)s.", decision=gettext(data.decision.label)),
                "success",
            )
        return redirect(url_for("assets.show", tag=asset.tag))
    return render_template(
        "reuse/assess.html",
        asset=asset,
        d=details,
        form={},
        decisions=list(rules.Decision),
        grades=list(rules.Grade),
        dropped=[],
        file_errors={},
        **_file_inputs(),
    )


def uploads(kinds: Iterable[file_rules.Kind]) -> list[tuple[file_rules.Kind, file_rules.Upload]]:
    """The files sent under each kind's name; an input left empty sends none."""
    sent = []
    for kind in kinds:
        storage = request.files.get(kind.value)
        if storage is not None and storage.filename:
            sent.append(
                (kind, file_rules.Upload(filename=storage.filename, content=storage.read()))
            )
    return sent


def _file_inputs() -> dict[str, object]:
    """What the file inputs need: the types a picker offers, and the largest file (checked
    in the browser before sending, static/app.js, so that a form is not lost to a 413)."""
    settings = current_app.config["INVENTORY"]
    return {
        "accept": file_rules.ACCEPT,
        "max_bytes": settings.attachment_max_bytes,
        "max_mb": settings.attachment_max_mb,
    }


def _input(form: dict[str, str]) -> rules.AssessmentInput:
    errors: dict[str, str] = {}
    try:
        grade = rules.Grade(form.get("grade", ""))
    except ValueError:
        errors["grade"] = N_("Choose a condition grade.")
    try:
        decision = rules.Decision(form.get("decision", ""))
    except ValueError:
        errors["decision"] = N_("Choose what happens to the device.")
    battery_raw = (form.get("battery_health") or "").strip()
    battery = (
        int(battery_raw)
        if battery_raw.isascii() and battery_raw.isdigit() and len(battery_raw) <= 3
        else None
    )
    if battery_raw and battery is None:
        errors["battery_health"] = N_("Battery health is a percentage from 0 to 100.")
    wipe = None
    details = [form.get(name, "").strip() for name in ("wipe_method", "wiped_on", "wiped_by")]
    if form.get("wiped"):
        try:
            wiped_on = parse_date(details[1], field="wipe")
        except ValidationFailed as exc:
            errors.update(exc.errors)
        else:
            if wiped_on is None:
                errors["wipe"] = N_("Give the wipe's date as YYYY-MM-DD.")
            else:
                wipe = rules.Wipe(method=details[0], on=wiped_on, by=details[2])
    elif any(details):
        # Never drop what was typed: a wipe described but not confirmed is a question.
        errors["wipe"] = N_(
            "You described a data wipe but did not tick that the data has been wiped: tick it, "
            "or clear the wipe's method, date and name."
        )
    proceeds = None
    try:
        proceeds = parse_optional_sek(form.get("proceeds"), field="proceeds")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return rules.AssessmentInput(
        grade=grade,
        decision=decision,
        battery_health=battery,
        wipe=wipe,
        recycler=form.get("recycler", ""),
        certificate=form.get("certificate", ""),
        reason=form.get("reason", ""),
        proceeds_ore=proceeds,
    )
