"""Personal data kept no longer than needed: the nightly anonymisation of the names of
people whose holding of a device ended longer ago than the retention time (domain/personal.py
says which), in the history and in what imports recorded of their rows; and, for an admin,
everything the register holds about one person, to read or export (each export recorded)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from sqlalchemy import String, bindparam, cast, or_, update
from sqlmodel import Session, col, select

from ..domain.dates import add_months
from ..domain.errors import ValidationFailed
from ..domain.personal import ANONYMISED, PERSONAL_FIELDS, anonymised, expired_names
from ..domain.roles import Role
from ..domain.text import N_
from ..models import Asset, AssetEvent, AuditEvent, ImportRun, Owner, User
from . import audit, clock, scope
from .access import require_role

DEFAULT_RETENTION_MONTHS = 12
_CHUNK = 500  # assets whose events are read and rewritten at a time

_EVENTS = AssetEvent.__table__  # type: ignore[attr-defined]
_REWRITE = (
    update(_EVENTS)
    .where(_EVENTS.c.id == bindparam("event_id"))
    .values(changes=bindparam("new_changes"))
)


def cutoff(now: dt.datetime, months: int) -> dt.datetime:
    """The start (local midnight, as UTC) of the day `months` before today."""
    return clock.start_of_day(add_months(clock.local_date(now), -months))


def anonymise_expired(session: Session, *, now: dt.datetime, months: int) -> dict[str, int]:
    """Replace the names of holdings ended before the cutoff, in one transaction; how many
    events and imports were changed. Running it again changes nothing more."""
    before = cutoff(now, months)
    mentions = or_(*(cast(AssetEvent.changes, String).like(f'%"{f}"%') for f in PERSONAL_FIELDS))
    asset_ids = list(
        session.exec(
            select(AssetEvent.asset_id)
            .where(mentions, col(AssetEvent.at) < before)
            .distinct()
            .order_by(col(AssetEvent.asset_id))
        )
    )
    events = 0
    for chunk in _chunks(asset_ids):
        rows = session.exec(
            select(AssetEvent.id, AssetEvent.asset_id, AssetEvent.at, AssetEvent.changes)
            .where(col(AssetEvent.asset_id).in_(chunk), mentions, col(AssetEvent.at) < before)
            .order_by(col(AssetEvent.asset_id), col(AssetEvent.at), col(AssetEvent.id))
        ).all()
        rewrites: list[dict[str, Any]] = []
        for _, group in groupby(rows, key=lambda r: r[1]):
            history = [(int(event_id or 0), _aware(at), dict(changes))
                       for event_id, _, at, changes in group]  # fmt: skip
            changes_of = {event_id: changes for event_id, _, changes in history}
            expired = expired_names(history, before=before)
            for event_id, names in expired.items():
                rewrites.append(
                    {"event_id": event_id, "new_changes": anonymised(changes_of[event_id], names)}
                )
        if rewrites:
            session.connection().execute(_REWRITE, rewrites)
            events += len(rewrites)
    imports = _scrub_imports(session, before)
    if events or imports:
        audit.record(session, action="personal_data.anonymised", at=now,
                     details={"events": events, "imports": imports, "months": months})  # fmt: skip
    session.commit()
    return {"events": events, "imports": imports}


def _scrub_imports(session: Session, before: dt.datetime) -> int:
    """What imports finished before the cutoff recorded of their rows' people: their rows'
    changes of those fields, and the values their reasons quoted for them."""
    scrubbed = 0
    for run in session.exec(select(ImportRun).where(col(ImportRun.finished_at) < before)):
        rows, changed = [], False
        for row in run.rows:
            new = _scrubbed_row(row)
            changed |= new != row
            rows.append(new)
        if changed:
            run.rows = rows
            session.add(run)
            scrubbed += 1
    return scrubbed


def _scrubbed_row(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    changes = row.get("changes") or {}
    out["changes"] = {
        field: [ANONYMISED if v not in (None, "") else v for v in pair]
        if field in PERSONAL_FIELDS else pair
        for field, pair in changes.items()
    }  # fmt: skip
    out["reasons"] = [
        {**reason, "params": {k: ANONYMISED for k in (reason.get("params") or {})}}
        if reason.get("key") in PERSONAL_FIELDS else reason
        for reason in row.get("reasons") or []
    ]  # fmt: skip
    return out


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def _aware(at: dt.datetime) -> dt.datetime:
    """SQLite gives back naive UTC; PostgreSQL aware."""
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


# --- what the register holds about one person ----------------------------------------------


@dataclass(frozen=True)
class HeldNow:
    tag: str
    field: str  # holder | mdm_user
    status: str
    owner: str


@dataclass(frozen=True)
class Mention:
    tag: str
    at: dt.datetime
    action: str
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Account:
    email: str
    name: str
    role: str
    active: bool
    logins: list[tuple[dt.datetime, str, str | None]]  # (when, what, from where)


@dataclass(frozen=True)
class ImportMention:
    run_id: int
    filename: str
    at: dt.datetime
    line: int
    field: str


@dataclass(frozen=True)
class Findings:
    """Everything the register holds about one person that the actor may see."""

    query: str
    held: list[HeldNow]
    history: list[Mention]
    accounts: list[Account]
    imports: list[ImportMention]

    @property
    def empty(self) -> bool:
        return not (self.held or self.history or self.accounts or self.imports)


MAX_QUERY = 254


def find_person(session: Session, *, actor: User, query: str) -> Findings:
    """A person's name (as a holder or device management user) or e-mail address, compared
    whole and without regard to case: the assets they hold now, every history event that
    names them, their account and its logins, and the import rows that named them; within
    the actor's owner scope."""
    require_role(actor, Role.ADMIN)
    wanted = " ".join(query.split())
    if not wanted or len(wanted) > MAX_QUERY:
        raise ValidationFailed({"q": N_("Give a person's name or e-mail address.")})
    key = wanted.casefold()
    plain, in_json = _probes(wanted)

    def same(value: object) -> bool:
        return isinstance(value, str) and " ".join(value.split()).casefold() == key

    held = [
        HeldNow(asset.tag, field, asset.status, owner_name)
        for asset, owner_name in session.exec(
            scope.restrict(
                select(Asset, Owner.name)
                .join(Owner, col(Owner.id) == Asset.owner_id)
                .where(
                    or_(
                        *(col(Asset.holder).icontains(p, autoescape=True) for p in plain),
                        *(col(Asset.mdm_user).icontains(p, autoescape=True) for p in plain),
                    )
                ),
                actor,
                Asset,
            ).order_by(col(Asset.tag))
        )
        for field in PERSONAL_FIELDS
        if same(getattr(asset, field))
    ]
    history = [
        Mention(tag, _aware(at), action, field, *changes[field])
        for tag, at, action, changes in session.exec(
            scope.restrict(
                select(Asset.tag, AssetEvent.at, AssetEvent.action, AssetEvent.changes)
                .join(Asset, col(Asset.id) == AssetEvent.asset_id)
                .where(
                    or_(
                        *(
                            cast(AssetEvent.changes, String).icontains(p, autoescape=True)
                            for p in in_json
                        )
                    )
                ),
                actor,
                Asset,
            ).order_by(col(AssetEvent.at), col(AssetEvent.id))
        )
        for field in PERSONAL_FIELDS
        if field in changes and any(same(v) for v in changes[field])
    ]
    accounts = [
        Account(user.email, user.name, user.role, user.active, _logins(session, user.email))
        for user in session.exec(
            scope.restrict(select(User), actor, User).order_by(col(User.email))
        )
        if same(user.email) or same(user.name)
    ]
    return Findings(
        wanted, held, history, accounts, _import_mentions(session, actor, in_json, same)
    )


def _probes(wanted: str) -> tuple[list[str], list[str]]:
    """What the database is asked to find, before each candidate is compared whole in Python:
    texts to look for in the plain columns and in the JSON columns. SQLite's lower() folds
    ASCII letters only, and the JSON columns keep other letters escaped ("\\u00c5" for Å,
    "\\u00e5" for å), so the longest run of ASCII in the name is looked for, which matches
    whatever the case in both. A name with too little ASCII for that (Cyrillic, Greek, ...)
    is looked for whole as typed, in lower case, upper case and with capitals, plain and
    escaped as JSON writes it: never every row of the register."""
    runs = re.split(r'[^\x20-\x7e]|["\\]', wanted)  # what JSON writes as itself
    longest = max(runs, key=len).strip()
    if len(longest) >= 2:
        return [longest], [longest]
    variants = sorted({wanted, wanted.lower(), wanted.upper(), wanted.title()})
    return variants, [json.dumps(v)[1:-1] for v in variants]


def _logins(session: Session, email: str) -> list[tuple[dt.datetime, str, str | None]]:
    rows = session.exec(
        select(AuditEvent.at, AuditEvent.action, AuditEvent.remote_addr)
        .where(AuditEvent.subject == email, col(AuditEvent.action).startswith("log"))
        .order_by(col(AuditEvent.at).desc())
        .limit(500)
    )
    return [(_aware(at), action, addr) for at, action, addr in rows]


def _import_mentions(
    session: Session, actor: User, in_json: list[str], same: Any
) -> list[ImportMention]:
    """Import rows whose recorded changes named the person. A scoped admin sees their own
    imports only, as on the imports page."""
    rows = cast(ImportRun.rows, String)
    stmt = select(ImportRun).where(or_(*(rows.icontains(p, autoescape=True) for p in in_json)))
    if scope.scoped_owner(actor) is not None:
        stmt = stmt.where(ImportRun.actor_id == actor.id)
    out = []
    for run in session.exec(stmt.order_by(col(ImportRun.started_at))):
        assert run.id is not None
        for row in run.rows:
            for field, pair in (row.get("changes") or {}).items():
                if field in PERSONAL_FIELDS and any(same(v) for v in pair):
                    out.append(ImportMention(run.id, run.filename, _aware(run.started_at),
                                             int(row.get("line") or 0), field))  # fmt: skip
    return out


def look_up(session: Session, *, actor: User, query: str) -> Findings:
    """find_person, with the lookup itself recorded: who asked about whom, and how much was
    shown (an admin reading a person's data is processing it too)."""
    findings = find_person(session, actor=actor, query=query)
    _record(session, "personal_data.viewed", actor, findings, {})
    return findings


def record_export(session: Session, *, actor: User, findings: Findings, file_format: str) -> None:
    """Each export of what the register holds about a person is itself recorded: who, when,
    about whom, how much."""
    _record(session, "personal_data.exported", actor, findings, {"format": file_format})


def _record(
    session: Session, action: str, actor: User, findings: Findings, details: dict[str, Any]
) -> None:
    audit.record(
        session, action=action, actor=actor, subject=findings.query[:254],
        details={**details, "held": len(findings.held), "history": len(findings.history),
                 "accounts": len(findings.accounts), "imports": len(findings.imports)},
    )  # fmt: skip
    session.commit()
