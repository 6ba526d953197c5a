"""An asset's evidence files: attached afterwards from the asset page, and downloaded by
whoever may see the asset."""

from __future__ import annotations

import io

from flask import Blueprint, Response, current_app, flash, redirect, send_file, url_for

from .. import db
from ..domain import attachments as rules
from ..domain.errors import Conflict, ValidationFailed
from ..domain.roles import Role
from ..services import attachments
from .access import requires
from .helpers import error_text, flash_errors, now, signed_in, today
from .i18n import gettext
from .reuse import uploads

bp = Blueprint("attachments", __name__, url_prefix="/assets")


@bp.route("/<tag>/files", methods=["POST"])
@requires(Role.TECHNICIAN)
def attach(tag: str):  # type: ignore[no-untyped-def]
    """One file of one kind (the form's `kind`) to the asset's latest assessment."""
    try:
        done = attachments.attach(
            db.session(),
            actor=signed_in(),
            tag=tag,
            files=uploads(rules.Kind),
            max_bytes=current_app.config["INVENTORY"].attachment_max_bytes,
            today=today(),
            now=now(),
        )
    except ValidationFailed as exc:
        flash_errors(exc)
    except Conflict as exc:
        flash(error_text(exc), "danger")
    else:
        kind = rules.Kind(done.kind)
        flash(f"{gettext(kind.attached_label)}: {done.filename}", "success")
    return redirect(url_for("assets.show", tag=tag) + "#files")


@bp.route("/<tag>/files/<int(max=2147483647):file_id>")
@requires(Role.VIEWER)
def download(tag: str, file_id: int) -> Response:
    """Always as a download, never shown in the page's origin: the headers module adds a
    sandboxing policy for this endpoint, and nosniff keeps the browser to the stored type."""
    stored = attachments.read_file(db.session(), actor=signed_in(), tag=tag, file_id=file_id)
    return send_file(
        io.BytesIO(stored.content),
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=stored.filename,
        conditional=False,
        etag=False,
        max_age=0,
    )
