"""The audit log: one row per security-relevant event, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from ..models import AuditEvent, User
from .clock import utcnow


def record(
    session: Session,
    *,
    action: str,
    actor: User | None = None,
    subject: str = "",
    remote_addr: str | None = None,
    details: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Add an event; the caller commits it with the rest of its work (or rolls it back)."""
    event = AuditEvent(
        at=at or utcnow(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        # The e-mail a login tried is whatever was typed: kept to the column's length.
        subject=subject[:254],
        remote_addr=(remote_addr or None) and remote_addr[:45],
        details=details or {},
    )
    session.add(event)
    return event
