"""The audit log: one row per security-relevant event, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
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


def row_changes(row: Any) -> dict[str, list[Any]]:
    """What the caller set on a reference row since it was read ({column: [before, after]}),
    or every value it was given when it is new: from SQLAlchemy's own record, so that no
    field can be forgotten. Read before the flush, which forgets it."""
    state = inspect(row)
    out: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key == "id":
            continue
        if state.persistent:
            history = state.attrs[attr.key].history
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before == after:
                continue
        else:
            before, after = None, getattr(row, attr.key)
            if after in (None, ""):
                continue
        out[attr.key] = [plain(before), plain(after)]
    return out


def record_row(
    session: Session,
    *,
    actor: User | None,
    kind: str,
    row: Any,
    changes: dict[str, list[Any]],
    created: bool,
    subject: str,
) -> None:
    """The audit entry of a change to a reference row (a category, model, site, location or
    business unit), with before and after, in the change's own transaction."""
    if changes:
        record(session, action=f"{kind}.{'created' if created else 'changed'}", actor=actor,
               subject=subject, details={"id": row.id, "changes": changes})  # fmt: skip


def plain(value: Any) -> Any:
    """A value as JSON keeps it."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
