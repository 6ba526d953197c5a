"""APScheduler, started once per process that asks for it (`inventory scheduler`, or the
gunicorn master of `inventory serve`); the database claim in run_job makes a slot run once
across processes and hosts."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.engine import Engine

from ..config import Settings
from ..services.clock import today
from . import run_job

log = logging.getLogger(__name__)

# Nightly, after the day's changes and before people start work.
SCHEDULE = {
    "backup": CronTrigger(hour=1, minute=30),
    "flag-replacements": CronTrigger(hour=2, minute=15),
    # Uploaded import files checked and never imported: they may name people.
    "purge-uploads": CronTrigger(hour=1, minute=0),
    # Names of people whose holding ended longer ago than the retention time.
    "anonymise-holders": CronTrigger(hour=3, minute=0),
    # Monday morning, after the night's flags.
    "digest": CronTrigger(day_of_week="mon", hour=6, minute=30),
}


def _scheduled(engine: Engine, name: str, settings: Settings) -> None:
    day = today()
    run_job(engine, name, slot=f"{name}@{day.isoformat()}", today=day, settings=settings)


def configure(scheduler: BaseScheduler, engine: Engine, settings: Settings) -> BaseScheduler:
    for name, trigger in SCHEDULE.items():
        scheduler.add_job(
            _scheduled,
            trigger,
            args=[engine, name, settings],
            id=name,
            # A run missed while the server was down still happens once when it comes back.
            misfire_grace_time=6 * 3600,
            coalesce=True,
            max_instances=1,
        )
    return scheduler


def start_background(engine: Engine, settings: Settings) -> BackgroundScheduler:
    scheduler = configure(BackgroundScheduler(timezone=settings.timezone), engine, settings)
    scheduler.start()
    log.info("scheduler started: %s", ", ".join(SCHEDULE))
    return scheduler  # type: ignore[return-value]


def run_blocking(engine: Engine, settings: Settings) -> None:
    configure(BlockingScheduler(timezone=settings.timezone), engine, settings).start()
