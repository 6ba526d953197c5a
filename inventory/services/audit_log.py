"""Reading the audit log: an administrator for all owners lists and exports its events,
newest first, by kind, period and who or what they were about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from ..domain.errors import ValidationFailed
from ..domain.text import N_
from ..models import AuditEvent, User
from .access import require_unscoped_admin
from .clock import start_of_day

# The kinds an event's action belongs to: the page's filter, and the order of its menu.
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "logins": (N_("Logins"), ("login.", "logout")),
    "accounts": (N_("Accounts and API tokens"), ("user.", "token.")),
    "personal": (N_("Personal data"), ("personal_data.",)),
    "reference": (N_("Reference data"), (
        "category.", "model.", "site.", "location.", "business_unit.", "service_object",
        "lifespans_adopted", "prisbasbelopp_set", "capitalisation_rule_set", "cost_key.",
    )),
    "exports": (N_("Exports"), ("export.", "owner.export")),
    "partnership": (N_("Split and handover"), ("split.", "owner.")),
    "imports": (N_("Imports"), ("import.",)),
}  # fmt: skip
PAGE = 200


@dataclass(frozen=True)
class AuditFilter:
    kind: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    text: str = ""  # in the subject, or the actor's e-mail
    before_id: int | None = None  # the next page: older than this event


@dataclass(frozen=True)
class Entry:
    id: int
    at: dt.datetime
    action: str
    actor: str
    subject: str
    remote_addr: str | None
    details: dict[str, Any]


def entries(session: Session, *, actor: User, flt: AuditFilter, limit: int = PAGE) -> list[Entry]:
    """The events the filter selects, newest first, at most `limit`."""
    require_unscoped_admin(actor)
    if flt.kind and flt.kind not in KINDS:
        raise ValidationFailed({"kind": N_("Choose a kind from the list.")})
    if flt.since and flt.until and flt.since > flt.until:
        raise ValidationFailed({"until": N_("The end date is before the start date.")})
    stmt = select(AuditEvent, User.email).outerjoin(User, col(User.id) == AuditEvent.actor_id)
    if flt.kind:
        stmt = stmt.where(
            or_(
                *(col(AuditEvent.action).startswith(p, autoescape=True) for p in KINDS[flt.kind][1])
            )
        )
    if flt.since:
        stmt = stmt.where(col(AuditEvent.at) >= start_of_day(flt.since))
    if flt.until:
        stmt = stmt.where(col(AuditEvent.at) < start_of_day(flt.until + dt.timedelta(days=1)))
    if text := " ".join(flt.text.split()):
        stmt = stmt.where(or_(col(AuditEvent.subject).icontains(text, autoescape=True),
                              col(User.email).icontains(text, autoescape=True)))  # fmt: skip
    if flt.before_id is not None:
        stmt = stmt.where(col(AuditEvent.id) < flt.before_id)
    stmt = stmt.order_by(col(AuditEvent.id).desc()).limit(limit)
    return [
        Entry(
            event.id or 0,
            _aware(event.at),
            event.action,
            email or "",
            event.subject,
            event.remote_addr,
            event.details or {},
        )
        for event, email in session.exec(stmt)
    ]


def kind_of(action: str) -> str | None:
    for kind, (_, prefixes) in KINDS.items():
        if action.startswith(prefixes):
            return kind
    return None


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)
