"""Logging in and out: the password check, the session version and the audit log."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col

from ..domain.errors import DomainError
from ..domain.text import N_
from ..models import User
from . import audit, handover, users


class AccountClosed(DomainError):
    """The right password for an account its owner's handover closed: say so, since whoever
    knows the password learns nothing they could not ask IT (services/handover.py)."""

    message = N_(
        "Your account was closed when the register of %(owner)s was handed over on %(date)s. "
        "Contact IT if you still need access."
    )


def log_in(session: Session, *, email: str, password: str, remote_addr: str | None) -> User | None:
    """The user, if the e-mail and password are right and the account active; either way the
    attempt is audited. Raises AccountClosed for an account closed by a handover."""
    user = users.credentials_match(session, email=email, password=password)
    tried = users.normalise_email(email)
    if user is not None and not user.active:
        closed_by = handover.handed_over_owner(session, user=user)
        if closed_by is not None:
            audit.record(
                session, action="login.closed", actor=user, subject=tried, remote_addr=remote_addr
            )
            session.commit()
            handed_over_on = handover.handed_over_on(session, owner=closed_by)
            raise AccountClosed(owner=closed_by.name, date=handed_over_on.isoformat())
        user = None
    if user is None:
        audit.record(session, action="login.failed", subject=tried, remote_addr=remote_addr)
    else:
        audit.record(
            session, action="login.success", actor=user, subject=tried, remote_addr=remote_addr
        )
    session.commit()
    return user


def refuse_throttled(
    session: Session, *, email: str, remote_addr: str | None, limit: str, retry_after: int
) -> None:
    """A login refused unchecked because of too many failures (see web/throttle.py)."""
    audit.record(
        session,
        action="login.throttled",
        subject=users.normalise_email(email),
        remote_addr=remote_addr,
        details={"limit": limit, "retry_after": retry_after},
    )
    session.commit()


def log_out(session: Session, *, user: User, remote_addr: str | None) -> None:
    """End every session of the user, this one and copies of its cookie alike."""
    session.execute(
        update(User)
        .where(col(User.id) == user.id)
        .values(session_version=col(User.session_version) + 1)
    )
    audit.record(session, action="logout", actor=user, subject=user.email, remote_addr=remote_addr)
    session.commit()
