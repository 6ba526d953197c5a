"""Whether this process can serve: what /readyz tells a load balancer. Each check says "ok"
or what is wrong, in words for the operator; nothing about the register's contents."""

from __future__ import annotations

from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from .. import migrate
from ..models import JobRun


def readiness(session: Session) -> dict[str, str]:
    """database: reachable; migrations: the schema at the code's head revision; jobs: the
    latest run of each job did not fail (a failed backup or flag job is something to see
    before more traffic is sent here)."""
    checks: dict[str, str] = {}
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        session.rollback()
        return {"database": f"unreachable ({type(exc).__name__})"}
    checks["database"] = "ok"
    bind = session.get_bind()
    assert isinstance(bind, Engine)
    if not migrate.is_current(bind):
        # An empty or older schema: the jobs' table may not even be there to ask.
        checks["migrations"] = "not at head: run inventory db upgrade"
        checks["jobs"] = "not checked"
        return checks
    checks["migrations"] = "ok"
    latest = (
        select(func.max(JobRun.id)).where(col(JobRun.outcome) != "running").group_by(JobRun.job)
    )
    failed = sorted(
        session.exec(
            select(JobRun.job).where(col(JobRun.id).in_(latest), JobRun.outcome == "failed")
        )
    )
    checks["jobs"] = "ok" if not failed else "last run failed: " + ", ".join(failed)
    return checks


def is_ready(checks: dict[str, str]) -> bool:
    return set(checks) == {"database", "migrations", "jobs"} and all(
        v == "ok" for v in checks.values()
    )
