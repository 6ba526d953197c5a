"""Import and export pages (issue 15): the list's selection as a file; a file uploaded,
checked row by row while a progress bar moves, shown before anything is written, then
imported as checked; and the imports so far, each with what it did."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session

from .. import db
from ..domain.errors import ValidationFailed
from ..domain.history import FIELD_LABELS
from ..domain.personal import ANONYMISED, ANONYMISED_LABEL
from ..domain.roles import Role
from ..domain.text import N_
from ..exports import asset_files, import_report
from ..imports import kept
from ..imports.layouts import Layout
from ..imports.tabular import MAX_BYTES
from ..models import ImportRun, Owner, User
from ..services import asset_export, asset_list, catalog, imports
from ..services.assets import HistoryEntry
from ..services.imports import Outcome
from ..services.reference_cache import reference_names
from .access import requires
from .assets import EXPORT_FILTERS as LIST_FILTERS
from .helpers import attachment, flash_errors, now, parse_id, signed_in
from .i18n import gettext

bp = Blueprint("imports", __name__)
log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# How many rows of each kind the check page shows; the row report (CSV) has them all.
SHOWN_ROWS = 100
# The order the page shows the rows in: what needs the user first.
SHOWN_ORDER = (
    Outcome.REJECTED, Outcome.CONFLICT, Outcome.NOT_FOUND, Outcome.UPDATED, Outcome.CREATED,
)  # fmt: skip


@bp.route("/assets/export.csv")
@requires(Role.VIEWER)
def export_csv() -> Response:
    return _export("csv")


@bp.route("/assets/export.xlsx")
@requires(Role.VIEWER)
def export_xlsx() -> Response:
    return _export("xlsx")


def _export(suffix: str) -> Response:
    """The asset list's selection, its own filters in the query string, as a file."""
    args = request.args.to_dict()
    layout = args.get("layout") or "native"
    if layout not in ("native", "snipeit"):
        abort(400)
    filters = {k: v for k, v in args.items() if k in LIST_FILTERS and v}
    try:
        flt = asset_list.parse_filter(filters, hide_disposed=True)
    except ValidationFailed as exc:
        flash_errors(exc)
        return redirect(url_for("assets.index"))  # type: ignore[return-value]
    from flask_babel import get_locale

    s, user = db.session(), signed_in()
    body, count = asset_files.render(
        s, actor=user, flt=flt, layout=layout, locale=str(get_locale() or "sv"),
        xlsx=suffix == "xlsx",
    )  # fmt: skip
    asset_export.record_export(s, actor=user, flt=flt, layout=layout, file_format=suffix,
                               count=count)  # fmt: skip
    name = f"tillgangar{'-snipeit' if layout == 'snipeit' else ''}.{suffix}"
    return attachment(body, XLSX if suffix == "xlsx" else "text/csv", name)


@bp.route("/imports", methods=["GET", "POST"])
@requires(Role.TECHNICIAN)
def index():  # type: ignore[no-untyped-def]
    s = db.session()
    user = signed_in()
    status = 200
    if request.method == "POST":
        try:
            run_id = _upload(s, user)
        except ValidationFailed as exc:
            flash_errors(exc)
            status = 422
        else:
            return redirect(url_for("imports.show", run_id=run_id))
    names = reference_names(s)
    return render_template(
        "imports/index.html",
        runs=imports.recent_runs(s, actor=user),
        layouts=list(Layout),
        owners=names.owners_for(user),
        formats={layout.value: gettext(layout.label) for layout in Layout},
    ), status  # fmt: skip


def _upload(s: Session, user: User) -> int:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationFailed({"file": N_("Choose a CSV or XLSX file.")})
    data = upload.read(MAX_BYTES + 1)
    raw_format = request.form.get("format") or "auto"
    if raw_format != "auto" and raw_format not in {x.value for x in Layout}:
        raise ValidationFailed({"format": N_("Choose a format from the list.")})
    owner_id = parse_id(request.form.get("owner_id"))
    if request.form.get("owner_id") and owner_id is None:
        raise ValidationFailed({"owner_id": N_("Choose an owner from the list.")})
    options = imports.Options(
        layout=None if raw_format == "auto" else Layout(raw_format),
        owner_id=owner_id,
        create_missing=request.form.get("create_missing") == "1",
    )
    run = imports.prepare(
        s, actor=user, data=data, filename=upload.filename, options=options, now=now()
    )
    assert run.id is not None
    kept.purge(_instance())
    _kept(run.id).write_bytes(data)
    _start(run.id, user, dry_run=True)
    return run.id


@bp.route("/imports/<int:run_id>")
@requires(Role.TECHNICIAN)
def show(run_id: int):  # type: ignore[no-untyped-def]
    s = db.session()
    run = imports.get_run(s, actor=signed_in(), run_id=run_id)
    done = _progress(run_id) if run.outcome in ("queued", "running") else None
    rows = {o: [r for r in run.rows if r["outcome"] == o.value][:SHOWN_ROWS] for o in SHOWN_ORDER}
    owner = s.get(Owner, run.owner_id) if run.owner_id else None
    return render_template(
        "imports/show.html",
        run=run,
        done=done,
        rows=rows,
        outcomes=list(Outcome),
        shown=SHOWN_ORDER,
        owner=owner,
        format_label=gettext(Layout(run.format).label) if run.format else "",
        labels=_labels(s, run),
        field_label=lambda key: _field_label(key),
        reason_text=_reason_text,
        may_import=run.outcome == "checked" and _kept(run_id).exists(),
        kept_hours=int(kept.KEEP.total_seconds() // 3600),
    )


@bp.route("/imports/<int:run_id>/rows.csv")
@requires(Role.TECHNICIAN)
def row_report(run_id: int) -> Response:
    """Every row but the unchanged, with what the check or the import made of it."""
    s = db.session()
    run = imports.get_run(s, actor=signed_in(), run_id=run_id)
    labels = catalog.history_labels(s, _entries(run, limit=None))
    body = import_report.rows_csv(
        run, gettext, reason_text=_reason_text, labels=labels, outcome_label=_outcome_label
    )
    return attachment(body, "text/csv", f"import-{run_id}-rader.csv")


def _outcome_label(value: str) -> str:
    return gettext(Outcome(value).label)


@bp.route("/imports/<int:run_id>/confirm", methods=["POST"])
@requires(Role.TECHNICIAN)
def confirm(run_id: int):  # type: ignore[no-untyped-def]
    """Import a checked file as it was checked; the rows are checked again as they are
    written, against the register as it is then."""
    s = db.session()
    user = signed_in()
    again = request.form.get("again") == "1"
    imports.get_run(s, actor=user, run_id=run_id)  # another's run: as a missing one (404)
    started = _kept(run_id).exists() and imports.claim_checked(
        s, actor=user, run_id=run_id, valid_only=request.form.get("valid_only") == "1",
        create_missing=(request.form.get("create_missing") == "1") if again else None,
    )  # fmt: skip
    if not started:
        flash(gettext("This file has been imported or checked again since: see below."), "warning")
        return redirect(url_for("imports.show", run_id=run_id))
    _start(run_id, user, dry_run=again)
    return redirect(url_for("imports.show", run_id=run_id))


# --- the work, in a thread of its own ------------------------------------------------------


def _kept(run_id: int) -> Path:
    """The uploaded file, kept from its check to its import."""
    return kept.upload(_instance(), run_id)


def _progress_file(run_id: int) -> Path:
    return kept.progress(_instance(), run_id)


def _instance() -> Path:
    return Path(current_app.config["INVENTORY"].instance_path)


def _progress(run_id: int) -> int:
    """How many rows the running check or import has gone through."""
    try:
        return int(_progress_file(run_id).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def _start(run_id: int, user: User, *, dry_run: bool) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    engine: Engine = app.extensions["db_engine"]
    moment = now()
    threading.Thread(
        target=_work, args=(app, engine, run_id, user.id, dry_run, moment), daemon=True
    ).start()


def _work(
    app: Flask, engine: Engine, run_id: int, user_id: int, dry_run: bool, moment: dt.datetime
) -> None:
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        progress_file = _progress_file(run_id)
        kept = _kept(run_id)
        try:
            user = session.get(User, user_id)
            run = session.get(ImportRun, run_id)
            if user is None or run is None:
                return
            result = imports.run_import(
                session, actor=user, data=kept.read_bytes(), filename=run.filename,
                options=imports.options_of(run), dry_run=dry_run, now=moment, run=run,
                progress=lambda done, total: _note(progress_file, done, total),
            )  # fmt: skip
            if result.written:
                kept.unlink(missing_ok=True)
        except ValidationFailed as exc:
            run = session.get(ImportRun, run_id)
            if run is not None:
                run.outcome, run.error = "failed", next(iter(exc.errors.values()))
                session.add(run)
                session.commit()
        except Exception:  # recorded on the run by run_import; logged here with context
            log.exception("import %s failed", run_id)
        finally:
            progress_file.unlink(missing_ok=True)


def _note(progress_file: Path, done: int, total: int) -> None:
    progress_file.write_text(f"{done} {total}")


# --- words ---------------------------------------------------------------------------------


def _field_label(key: str) -> str:
    label = FIELD_LABELS.get(key) or _IMPORT_LABELS.get(key)
    return gettext(label) if label else key


_IMPORT_LABELS = {
    "owner": N_("Owner"),
    "category": N_("Category"),
    "manufacturer": N_("Manufacturer"),
    "model": N_("Model"),
    "business_unit": N_("Business unit"),
    "service_object": N_("Service object"),
    "site": N_("Site"),
    "location": N_("Location"),
    "price": N_("Purchase price"),
    "warranty_months": N_("Warranty months"),
    "building": N_("Building"),
    "room": N_("Room"),
}


def _reason_text(reason: dict[str, Any]) -> str:
    params = {k: gettext(ANONYMISED_LABEL) if v == ANONYMISED else v
              for k, v in (reason.get("params") or {}).items()}  # fmt: skip
    text = gettext(reason["message"], **params) if params else gettext(reason["message"])
    where = reason.get("column") or _field_label(reason["key"])
    return f"{where}: {text}"


def _labels(s: Session, run: ImportRun) -> dict[tuple[str, Any], str]:
    """Names for the ids in the changes the page shows (models, owners, places ...)."""
    return catalog.history_labels(s, _entries(run, limit=SHOWN_ROWS))


def _entries(run: ImportRun, *, limit: int | None) -> list[HistoryEntry]:
    entries = [
        HistoryEntry(at=run.started_at, action="import", actor="", changes=r["changes"], comment="")
        for r in run.rows
        if r.get("changes")
    ]
    return entries if limit is None else entries[:limit]
