"""Scheduled jobs: a name → function registry and a runner that records every run.

A run is claimed by inserting its (job, slot) row: the slot names the schedule's moment
(e.g. "2026-11-23" for a nightly job). When several schedulers wake for the same slot, in
several gunicorn workers or on several hosts against one database, exactly one insert
succeeds and only that one runs the job.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from .. import mail
from ..config import Settings
from ..imports import kept
from ..models import JobRun
from ..services import backup, digest, flags, personal_data
from ..services.clock import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobContext:
    session: Session
    today: dt.date
    # Where backups go (the instance folder's backups/ unless configured).
    backup_folder: Path | None = None
    settings: Settings | None = None


def _backup(ctx: JobContext) -> dict[str, int]:
    bind = ctx.session.get_bind()
    assert isinstance(bind, Engine)
    folder = ctx.backup_folder or Path(str(bind.url.database)).parent / "backups"
    return backup.backup_sqlite(bind, folder=folder, now=utcnow())


def _digest(ctx: JobContext) -> dict[str, int]:
    if ctx.settings is None:
        raise RuntimeError("the digest needs the app's settings (mail server, base URL)")
    digests = digest.compose(ctx.session, today=ctx.today)
    messages = digest.as_messages(
        digests, sender=ctx.settings.mail_from, base_url=ctx.settings.base_url, today=ctx.today
    )
    return {"mails": mail.send(messages, ctx.settings)}


def _purge_uploads(ctx: JobContext) -> dict[str, int]:
    if ctx.settings is None:
        raise RuntimeError("the removal of uploads needs the app's settings (instance folder)")
    return {"files": kept.purge(ctx.settings.instance_path)}


def _anonymise_holders(ctx: JobContext) -> dict[str, int]:
    months = (ctx.settings.holder_retention_months if ctx.settings
              else personal_data.DEFAULT_RETENTION_MONTHS)  # fmt: skip
    # Midday of the job's own day (`jobs run --on`): the cutoff is counted from that day.
    day = dt.datetime.combine(ctx.today, dt.time(12), tzinfo=dt.UTC)
    return personal_data.anonymise_expired(ctx.session, now=day, months=months)


JOBS: dict[str, Callable[[JobContext], dict[str, int]]] = {
    "digest": _digest,
    "flag-replacements": lambda ctx: flags.recompute(ctx.session, today=ctx.today),
    "backup": _backup,
    "purge-uploads": _purge_uploads,
    "anonymise-holders": _anonymise_holders,
}


def run_job(
    engine: Engine, name: str, *, slot: str, today: dt.date, settings: Settings | None = None
) -> JobRun | None:
    """Run `name` for `slot` unless another instance already claimed that slot (None then)."""
    job = JOBS[name]
    with Session(engine, expire_on_commit=False) as session:
        run = JobRun(job=name, slot=slot, started_at=utcnow())
        session.add(run)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            log.info("job %s for %s already claimed elsewhere", name, slot)
            return None
    with Session(engine, expire_on_commit=False) as work:
        try:
            counts = job(JobContext(session=work, today=today, settings=settings))
            run.outcome, run.counts = "ok", json.dumps(counts)
        except Exception as exc:  # recorded for the admin page, then logged with context
            work.rollback()
            run.outcome, run.error = "failed", f"{type(exc).__name__}: {exc}"[:4000]
            log.exception("job %s for %s failed", name, slot)
    with Session(engine, expire_on_commit=False) as session:
        run.finished_at = utcnow()
        session.add(run)
        session.commit()
    return run


def start_now(engine: Engine, name: str, *, today: dt.date, settings: Settings) -> None:
    """Run a job in a background thread, now (the admin page shows it running, then done).
    Who may is checked by the caller: services/job_runs.start (admins for all owners)."""
    import threading

    if name not in JOBS:
        raise KeyError(name)
    slot = f"manual-{utcnow().isoformat()}"
    threading.Thread(
        target=run_job,
        args=(engine, name),
        kwargs={"slot": slot, "today": today, "settings": settings},
        daemon=True,
    ).start()
