"""Admin pages for owners: their leaving dates, and the handover of a departing owner's
register (its exports, and the handover itself with a confirm step). An admin for all
owners only: the services refuse anyone else."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from .. import db
from ..domain.errors import ValidationFailed
from ..domain.roles import Role
from ..exports import attachments_zip, handover_json, handover_xlsx, snipeit_csv
from ..services import handover, owners
from .access import requires
from .forms import OwnerForm
from .helpers import flash_errors, now, show_errors, signed_in, today, translate
from .i18n import gettext, ngettext, translations

bp = Blueprint("owners", __name__, url_prefix="/admin/owners")

_ID = "<int(max=2147483647):owner_id>"


@bp.route("")
@requires(Role.ADMIN)
def index():  # type: ignore[no-untyped-def]
    rows = owners.list_owners(db.session(), actor=signed_in())
    return render_template("admin/owners.html", rows=rows)


@bp.route(f"/{_ID}", methods=["GET", "POST"])
@requires(Role.ADMIN)
def edit(owner_id: int):  # type: ignore[no-untyped-def]
    s = db.session()
    owner = owners.get_owner(s, actor=signed_in(), owner_id=owner_id)
    form = OwnerForm(obj=owner)
    if form.validate_on_submit():
        try:
            owners.set_leaves_on(
                s,
                actor=signed_in(),
                owner=owner,
                leaves_on=form.leaves_on.data,
                remote_addr=request.remote_addr,
            )
            flash(gettext("Saved."), "success")
            return redirect(url_for("owners.index"))
        except ValidationFailed as exc:
            s.rollback()
            show_errors(form, exc)
    status = 200 if request.method == "GET" else 422
    title = gettext("Owner %(name)s", name=owner.name)
    return render_template("admin/form.html", form=form, title=title), status


@bp.route(f"/{_ID}/handover")
@requires(Role.ADMIN)
def handover_page(owner_id: int):  # type: ignore[no-untyped-def]
    s = db.session()
    owner = owners.get_owner(s, actor=signed_in(), owner_id=owner_id)
    summary = handover.overview(s, actor=signed_in(), owner=owner, today=today())
    confirming = request.args.get("confirm") == "1" and summary.refusal is None
    refusal = (
        translate(summary.refusal.message, summary.refusal.params) if summary.refusal else None
    )
    return render_template(
        "admin/handover.html",
        s=summary,
        refusal=refusal,
        confirming=confirming,
        today=today(),
    )


@bp.route(f"/{_ID}/handover", methods=["POST"])
@requires(Role.ADMIN)
def hand_over(owner_id: int):  # type: ignore[no-untyped-def]
    s = db.session()
    owner = owners.get_owner(s, actor=signed_in(), owner_id=owner_id)
    if request.form.get("confirm") != "yes":
        flash(gettext("Tick the box to confirm the handover."), "danger")
        return redirect(url_for("owners.handover_page", owner_id=owner_id, confirm=1))
    try:
        done = handover.hand_over(
            s,
            actor=signed_in(),
            owner=owner,
            today=today(),
            now=now(),
            remote_addr=request.remote_addr,
        )
    except ValidationFailed as exc:
        flash_errors(exc)
    else:
        flash(
            gettext(
                "%(owner)s's register was handed over: %(assets)s, %(users)s.",
                owner=done.owner_name,
                assets=ngettext("%(num)s asset", "%(num)s assets", done.asset_count),
                users=ngettext(
                    "%(num)s user deactivated", "%(num)s users deactivated", len(done.users)
                ),
            ),
            "success",
        )
    return redirect(url_for("owners.handover_page", owner_id=owner_id))


# What each download is: its renderer, content type and file name ending.
_DOWNLOADS: dict[str, tuple[str, str]] = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json", "json"),
    "snipeit-csv": ("text/csv", "snipeit.csv"),
}


@bp.route(f"/{_ID}/handover.xlsx", defaults={"file_format": "xlsx"})
@bp.route(f"/{_ID}/handover.json", defaults={"file_format": "json"})
@bp.route(f"/{_ID}/handover-snipeit.csv", defaults={"file_format": "snipeit-csv"})
@requires(Role.ADMIN)
def download(owner_id: int, file_format: str) -> Response:
    s = db.session()
    owner = owners.get_owner(s, actor=signed_in(), owner_id=owner_id)
    catalogue = translations()
    data = handover.export(
        s,
        actor=signed_in(),
        owner=owner,
        today=today(),
        now=now(),
        translate=catalogue.ugettext,
        plural=catalogue.ungettext,
        file_format=file_format,
        remote_addr=request.remote_addr,
    )
    body = _render(file_format, data, catalogue.ugettext)
    mimetype, ending = _DOWNLOADS[file_format]
    name = f"overlamning-{owner.slug}-{today().isoformat()}.{ending}"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.route(f"/{_ID}/handover-files.zip")
@requires(Role.ADMIN)
def download_files(owner_id: int) -> Response:
    """The owner's evidence files (wipe reports, recyclers' certificates) with a manifest."""
    s = db.session()
    owner = owners.get_owner(s, actor=signed_in(), owner_id=owner_id)
    bundle = handover.attached_files(
        s, actor=signed_in(), owner=owner, remote_addr=request.remote_addr
    )
    return send_file(
        attachments_zip.render(bundle),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"overlamning-{owner.slug}-{today().isoformat()}-filer.zip",
        conditional=False,
        etag=False,
        max_age=0,
    )


def _render(file_format: str, data: handover.HandoverExport, translate_text: Any) -> bytes:
    if file_format == "xlsx":
        return handover_xlsx.render(data, translate_text)
    if file_format == "json":
        return handover_json.render(data, translate_text)
    return snipeit_csv.render(data)
