"""The `inventory` command group (Flask's CLI): db, seed, users, tokens, serve, costkeys ..."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from . import db, migrate
from .config import HELPDESK_FILE, keep_helpdesk_line
from .domain.dates import INVALID_DATE, parse_date
from .domain.errors import ValidationFailed

if TYPE_CHECKING:
    from .models import User
    from .services.cost_keys import YearKey


class _TypedDate(click.ParamType):
    """A date option read by the same rule as every typed date (domain.dates.parse_date)."""

    name = "YYYY-MM-DD"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            day = parse_date(str(value))
        except ValidationFailed:
            day = None
        if day is None:
            self.fail(INVALID_DATE, param, ctx)
        return day


_TYPED_DATE = _TypedDate()


def _create_app() -> Flask:
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """Ölands IT-nämnd's asset register."""


def register_cli(app: Flask) -> None:
    for group in (
        db_cli,
        seed_cli,
        users_cli,
        tokens_cli,
        jobs_cli,
        eos_cli,
        costkeys_cli,
        basbelopp_cli,
        backup_cli,
    ):
        app.cli.add_command(group)
    app.cli.add_command(serve)
    app.cli.add_command(labels_command)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(import_command)
    app.cli.add_command(export_command)


def _fail(exc: ValidationFailed) -> NoReturn:
    for field, message in exc.errors.items():
        params = exc.field_params.get(field)
        click.echo(f"error: {field}: {message % params if params else message}", err=True)
    sys.exit(2)


@click.group("db")
def db_cli() -> None:
    """Create or migrate the database."""


@db_cli.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    migrate.upgrade(db.engine())
    click.echo("Database is up to date.")


@click.group("backup")
def backup_cli() -> None:
    """Copy the whole database to a file, or restore one (SQLite, or PostgreSQL through
    pg_dump and pg_restore)."""


@contextmanager
def _backup_errors() -> Iterator[None]:
    """A refused file or database (2), or pg_dump's and pg_restore's own complaint (1)."""
    from .services.backup import BackupFailed

    try:
        yield
    except ValidationFailed as exc:
        _fail(exc)
    except BackupFailed as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


@backup_cli.command("create")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def backup_create(file: str) -> None:
    """Write a consistent copy of the database, in use or not, to FILE (a new file)."""
    from .services import backup

    with _backup_errors():
        size = backup.create(db.engine(), Path(file))
    click.echo(f"Wrote a backup of {size:,} bytes to {file}.")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--replace", is_flag=True,
              help="Replace the register the database holds (stop the app first).")  # fmt: skip
@with_appcontext
def backup_restore(file: str, replace: bool) -> None:
    """Make the database what FILE holds: an empty one, or with --replace one in use."""
    from .services import backup

    with _backup_errors():
        restored = backup.restore(db.engine(), Path(file), replace=replace)
    click.echo(f"Restored {file} (schema revision {restored.revision}).")
    if not restored.current:
        click.echo("The copy's schema is older than this version: run `inventory db upgrade`.")


@click.group("seed")
def seed_cli() -> None:
    """Reference data and demo data."""


@seed_cli.command("demo")
@click.option(
    "--assets",
    "count",
    type=click.IntRange(0, 1_000_000),
    default=None,
    help="Number of assets (default: Öland's fleet from the 2025 plan).",
)
@click.option("--seed", "seed_value", type=int, default=2025, show_default=True)
@with_appcontext
def seed_demo(count: int | None, seed_value: int) -> None:
    """Reference data plus a deterministic demo fleet (skipped when assets exist)."""
    from .seeding import demo

    engine = db.engine()
    migrate.upgrade(engine)
    result = demo.seed_demo(engine, assets=count, seed=seed_value)
    click.echo(result.summary)
    settings = current_app.config["INVENTORY"]
    if not os.environ.get("INVENTORY_HELPDESK_LINE") and keep_helpdesk_line(
        settings.instance_path, demo.DEMO_HELPDESK_LINE
    ):
        click.echo(f"Helpdesk line on labels (edit {HELPDESK_FILE} in the instance folder, or "
                   f"set INVENTORY_HELPDESK_LINE): {demo.DEMO_HELPDESK_LINE}")  # fmt: skip
    click.echo(demo.LOGIN_HINT)


@click.group("users")
def users_cli() -> None:
    """Manage users."""


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "technician", "viewer"]), required=True)
@click.option("--owner", "owner_slug", default=None, help="Scope the user to one owner (slug).")
@click.option("--name", default="")
@click.option(
    "--password-stdin", is_flag=True, required=True, help="Read the password from standard input."
)
@with_appcontext
def users_create(
    email: str, role: str, owner_slug: str | None, name: str, password_stdin: bool
) -> None:
    from .services import users

    password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = users.create_user(
            db.session(),
            email=email,
            password=password,
            role=role,
            owner_slug=owner_slug,
            name=name,
        )
    except ValidationFailed as exc:
        _fail(exc)
    click.echo(f"Created {user.email} ({user.role}).")


@click.group("tokens")
def tokens_cli() -> None:
    """API tokens."""


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="Token", show_default=True, help="What uses it.")
@click.option("--days", type=click.IntRange(1, 3660), default=None, help="Days it lasts.")
@with_appcontext
def tokens_create(email: str, name: str, days: int | None) -> None:
    """Print a new API token for EMAIL (shown once; only its hash is kept)."""
    from .services import users
    from .services.clock import utcnow

    try:
        token = users.create_token(db.session(), email=email, now=utcnow(), name=name, days=days)
    except ValidationFailed as exc:
        _fail(exc)
    click.echo(f"Token for {email} (send it as 'Authorization: Bearer <token>'):")
    click.echo(token)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=int, show_default=True)
@click.option("--workers", default=2, type=int, show_default=True)
@click.option("--no-scheduler", is_flag=True, help="Do not run scheduled jobs in this process.")
@with_appcontext
def serve(host: str, port: int, workers: int, no_scheduler: bool) -> None:
    """Serve the app with gunicorn on the configured database."""
    from .serving import run
    from .web.throttle import per_process_warning

    warning = per_process_warning(current_app.config["INVENTORY"].ratelimit_storage_url, workers)
    if warning:
        click.echo(warning, err=True)
    engine = db.engine()
    if migrate.is_empty(engine):
        click.echo("Empty database: creating it.")
        migrate.upgrade(engine)
    elif not migrate.is_current(engine):
        click.echo("The database needs migrating: run `inventory db upgrade` first.", err=True)
        sys.exit(1)
    run(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        host=host,
        port=port,
        workers=workers,
        scheduler=not no_scheduler,
    )


@click.command("labels")
@click.option("--tag", "tags", multiple=True, help="An asset tag (repeatable).")
@click.option(
    "--location", "location_id", type=int, default=None, help="Every asset at a location."
)
@click.option(
    "--owner", "owners", multiple=True, help="Every asset of an owner (slug, repeatable)."
)
@click.option(
    "--layout", type=click.Choice(["a4-3x8", "roll-62x29"]), default="a4-3x8", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@with_appcontext
def labels_command(
    tags: tuple[str, ...],
    location_id: int | None,
    owners: tuple[str, ...],
    layout: str,
    output: str,
) -> None:
    """Write a PDF of asset labels (run as the server's operator: every owner's assets)."""
    from .labels import pdf
    from .models import User
    from .services import labels

    settings = current_app.config["INVENTORY"]
    operator = User(email="cli", password_hash="", role="admin")
    try:
        rows = labels.label_rows(
            db.session(), actor=operator, tags=tags, location_id=location_id, owner_slugs=owners
        )
    except ValidationFailed as exc:
        _fail(exc)
    body = pdf.render(
        pdf.labels_from(rows, settings.base_url), pdf.LAYOUTS[layout], footer=settings.helpdesk_line
    )
    with open(output, "wb") as f:
        f.write(body)
    click.echo(f"Wrote {len(rows)} labels ({layout}) to {output}.")


@click.group("jobs")
def jobs_cli() -> None:
    """Scheduled jobs."""


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the job scheduler as its own process (for example beside `serve --no-scheduler`)."""
    from .jobs.scheduler import run_blocking

    click.echo("Scheduler running; Ctrl-C stops it.")
    run_blocking(db.engine(), current_app.config["INVENTORY"])


# The names of jobs.JOBS, written out so that the command line starts without loading them
# (tests/jobs/test_flag_job.py checks that they agree).
JOB_NAMES = ["flag-replacements", "backup", "digest", "purge-uploads", "anonymise-holders"]


@jobs_cli.command("run")
@click.argument("name", type=click.Choice(JOB_NAMES))
@click.option(
    "--on",
    "on",
    type=_TYPED_DATE,
    default=None,
    help="Reference date (default: today).",
)
@with_appcontext
def jobs_run(name: str, on: dt.date | None) -> None:
    """Run a job once, now."""
    from .jobs import run_job
    from .services.clock import today, utcnow

    day = on or today()
    run = run_job(
        db.engine(),
        name,
        slot=f"manual-{utcnow().isoformat()}",
        today=day,
        settings=current_app.config["INVENTORY"],
    )
    assert run is not None  # a manual slot is never taken
    click.echo(f"{name}: {run.outcome} {run.counts or run.error}")
    if run.outcome != "ok":
        sys.exit(1)


@click.group("eos")
def eos_cli() -> None:
    """End-of-support dates of models."""


@eos_cli.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def eos_load(path: str) -> None:
    """Load or refresh end-of-support dates from a CSV file (see seed/end_of_support.csv)."""
    from .imports import end_of_support_csv
    from .services import reference

    with open(path, "rb") as f:
        data = f.read()
    try:
        rows = end_of_support_csv.parse(data)
    except ValidationFailed as exc:
        _fail(exc)
    report = reference.apply_end_of_support(db.session(), rows=rows)
    click.echo(f"{report.updated} models updated, {report.unchanged} unchanged.")
    for name in report.unknown:
        click.echo(f"not in the register (skipped): {name}")


@click.group("costkeys")
def costkeys_cli() -> None:
    """The cost key: users per municipality per year (agreement §13)."""


# "-5" is the users' number, not an option: click would refuse it as an unknown option.
@costkeys_cli.command("set", context_settings={"ignore_unknown_options": True})
@click.argument("year", type=int)
@click.argument("owner_slug")
@click.argument("users", type=int)
@with_appcontext
def costkeys_set(year: int, owner_slug: str, users: int) -> None:
    """Set YEAR's number of USERS of the municipality OWNER_SLUG (e.g. 2026 morbylanga 2002)."""
    from .services import cost_keys
    from .services.clock import utcnow

    try:
        key = cost_keys.set_users(
            db.session(), actor=None, year=year, users={owner_slug: users}, now=utcnow()
        )
    except ValidationFailed as exc:
        _fail(exc)
    click.echo(f"Cost key {year} set.")
    _echo_key(key)


@costkeys_cli.command("list")
@with_appcontext
def costkeys_list() -> None:
    """Every year's users per municipality and their shares."""
    from .services import cost_keys

    keys = cost_keys.list_keys(db.session(), actor=None)
    if not keys:
        click.echo("No cost keys yet: inventory costkeys set YEAR OWNER USERS.")
    for key in keys:
        _echo_key(key)


@click.group("basbelopp")
def basbelopp_cli() -> None:
    """The prisbasbelopp per year (the capitalisation threshold of most owners)."""


@basbelopp_cli.command("set")
@click.argument("year", type=int)
@click.argument("kronor")
@with_appcontext
def basbelopp_set(year: int, kronor: str) -> None:
    """Set YEAR's prisbasbelopp in KRONOR (e.g. 2027 "60 000")."""
    from .domain.money import parse_sek
    from .services import capitalisation
    from .services.clock import utcnow

    try:
        capitalisation.set_basbelopp(
            db.session(), actor=None, year=year, amount_ore=parse_sek(kronor, field="amount"),
            now=utcnow(),
        )  # fmt: skip
    except ValidationFailed as exc:
        _fail(exc)
    click.echo(f"Prisbasbelopp {year} set.")


@basbelopp_cli.command("list")
@with_appcontext
def basbelopp_list() -> None:
    """Every year's prisbasbelopp, newest first."""
    from .domain.money import format_sek
    from .services import capitalisation

    for row in capitalisation.list_basbelopp(db.session()):
        click.echo(f"{row.year}  {format_sek(row.amount_ore):>14}")


def _echo_key(key: YearKey) -> None:
    for row in key.rows:
        click.echo(f"{key.year}  {row.slug:<16} {row.users:>9}  {row.percent:>5} %")


def _operator(email: str | None) -> User:
    """Who a command acts as: a user named by e-mail, or the server's operator (an
    administrator for every owner, named "System" in the history)."""
    from .models import User
    from .services import users

    if email is None:
        return User(email="cli", password_hash="", role="admin")
    found = users.find_by_email(db.session(), email)
    if found is None or not found.active:
        click.echo(f"error: no active user {email}", err=True)
        sys.exit(2)
    return found


def _owner_id(slug: str | None) -> int | None:
    from sqlmodel import select

    from .models import Owner

    if slug is None:
        return None
    found = db.session().exec(select(Owner.id).where(Owner.slug == slug)).first()
    if found is None:
        click.echo(f"error: unknown owner {slug}", err=True)
        sys.exit(2)
    return found


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "layout",
    type=click.Choice(["auto", "native", "snipeit", "google-admin", "intune"]),
    default="auto",
    show_default=True,
)
@click.option("--owner", "owner_slug", default=None, help="The owner of rows that name none.")
@click.option("--dry-run", is_flag=True, help="Check the file and write nothing.")
@click.option("--valid-only", is_flag=True, help="Import the valid rows even if others fail.")
@click.option(
    "--create-missing", is_flag=True, help="Create the models, places and units it names."
)
@click.option("--as", "as_email", default=None, help="Import as this user (e-mail).")
@with_appcontext
def import_command(
    path: str,
    layout: str,
    owner_slug: str | None,
    dry_run: bool,
    valid_only: bool,
    create_missing: bool,
    as_email: str | None,
) -> None:
    """Import assets from a CSV or XLSX file: all rows or none (unless --valid-only)."""
    from pathlib import Path

    from .imports.layouts import Layout
    from .services import imports

    actor = _operator(as_email)
    options = imports.Options(
        layout=None if layout == "auto" else Layout(layout),
        owner_id=_owner_id(owner_slug),
        valid_only=valid_only,
        create_missing=create_missing,
    )
    file = Path(path)

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            click.echo(f"\r{done} / {total}", nl=False, err=True)

    try:
        result = imports.run_import(
            db.session(), actor=actor, data=file.read_bytes(), filename=file.name,
            options=options, dry_run=dry_run, progress=progress,
        )  # fmt: skip
    except ValidationFailed as exc:
        _fail(exc)
    click.echo("", err=True)
    for row in result.rows:
        if row.outcome in (imports.Outcome.REJECTED, imports.Outcome.CONFLICT):
            for reason in row.reasons:
                where = reason.column or reason.key
                text = reason.message % reason.params if reason.params else reason.message
                click.echo(f"row {row.line}: {row.outcome.value}: {where}: {text}")
    for ref in result.refs:
        state = "created" if ref.created else "not in the register"
        click.echo(f"{ref.kind} {ref.name}: {state} ({ref.rows} rows)")
    counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in result.counts.items() if n)
    click.echo(f"{result.layout.value}: {counts or 'no rows'}.")
    if result.written:
        click.echo(f"Imported (import {result.run.id}).")
    elif dry_run:
        click.echo("Dry run: nothing was written.")
    else:
        click.echo("Nothing was written: the file has rejected rows (see --valid-only).")
        sys.exit(1)


@click.command("export")
@click.option("--owner", default=None, help="An owner's slug.")
@click.option("--category", default=None, help="A category's slug.")
@click.option("--status", default=None, help="A status (e.g. in_stock).")
@click.option(
    "--format", "layout", type=click.Choice(["native", "snipeit"]), default="native",
    show_default=True,
)  # fmt: skip
@click.option("--locale", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@with_appcontext
def export_command(
    owner: str | None,
    category: str | None,
    status: str | None,
    layout: str,
    locale: str,
    output: str,
) -> None:
    """Write the register's assets (disposed ones too) to a CSV or XLSX file."""
    from .exports import asset_files
    from .services import asset_list

    if not output.lower().endswith((".csv", ".xlsx")):
        click.echo("error: the output file ends in .csv or .xlsx", err=True)
        sys.exit(2)
    args = {"owner": owner or "", "category": category or "", "status": status or ""}
    try:
        flt = asset_list.parse_filter(args)
        body, count = asset_files.render(
            db.session(), actor=_operator(None), flt=flt, layout=layout, locale=locale,
            xlsx=output.lower().endswith(".xlsx"),
        )  # fmt: skip
    except ValidationFailed as exc:
        _fail(exc)
    with open(output, "wb") as f:
        f.write(body)
    from .services import asset_export

    asset_export.record_export(db.session(), actor=None, flt=flt, layout=layout, count=count,
                               file_format=output.rsplit(".", 1)[-1].lower())  # fmt: skip
    click.echo(f"Wrote {count} assets to {output}.")
