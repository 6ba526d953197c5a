"""Starting scheduled jobs by hand and reading their runs.

Jobs run over the whole register (every owner's flags, the digest to every owner, the
database backup) and a run's counts are the register's figures: only an admin for all
owners starts them or reads their runs (services/scope.py: JobRun is visible to no
scoped user). Checked here, not only by hiding the page's buttons.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from .. import jobs
from ..config import Settings
from ..domain.errors import NotFound, PermissionDenied
from ..domain.roles import Role
from ..domain.text import N_
from ..models import JobRun, User
from . import scope
from .access import is_unscoped_admin, require_role


def may_run_jobs(actor: User) -> bool:
    """For pages: whether to offer the jobs at all."""
    return is_unscoped_admin(actor)


def require_job_admin(actor: User) -> None:
    require_role(actor, Role.ADMIN)
    if not may_run_jobs(actor):
        raise PermissionDenied(
            N_("Only an administrator for all owners may run jobs and see their runs.")
        )


def job_names(*, actor: User) -> list[str]:
    require_job_admin(actor)
    return sorted(jobs.JOBS)


def recent(session: Session, *, actor: User, limit: int = 50) -> list[JobRun]:
    require_job_admin(actor)
    query = scope.restrict(select(JobRun), actor, JobRun).order_by(col(JobRun.id).desc())
    return list(session.exec(query.limit(limit)))


def start(engine: Engine, *, actor: User, name: str, today: dt.date, settings: Settings) -> None:
    """Run the job now, in the background (the page shows it running, then done)."""
    require_job_admin(actor)
    if name not in jobs.JOBS:
        raise NotFound()
    jobs.start_now(engine, name, today=today, settings=settings)
