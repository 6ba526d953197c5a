"""The cost key (agreement §13, Bilaga 3): users per municipality per year, which divide the
committee's costs and, when the partnership ends, its joint property (§20).

Listed and set by the server's operator (the command line, actor None) or an admin for all
owners; a scoped admin may neither (403, like the jobs): the key decides what both
municipalities pay and receive. The split (services/partnership.py) reads the key of its
date's year through `key_for_split`, which refuses a missing or incomplete key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from sqlmodel import Session, col, select

from ..domain import partnership as rules
from ..domain.errors import ValidationFailed
from ..domain.text import N_
from ..models import CostKey, Owner, SplitProposal, User
from ..models.org import OwnerKind
from ..models.partnership import SplitState
from . import audit
from .access import is_unscoped_admin, require_unscoped_admin

# The agreement's years; anything else is a typing error.
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_USERS = 1_000_000


@dataclass(frozen=True)
class OwnerUsers:
    owner_id: int
    slug: str
    name: str
    users: int
    share: Fraction  # of the year's users; 0 for a municipality without users
    percent: Decimal  # the share in per cent, one decimal: 54.7


@dataclass(frozen=True)
class YearKey:
    """A year's cost key, its municipalities in name order."""

    year: int
    rows: tuple[OwnerUsers, ...]

    @property
    def total_users(self) -> int:
        return sum(row.users for row in self.rows)

    @property
    def users(self) -> dict[int, int]:
        """Owner id -> users: what the domain's split functions take."""
        return {row.owner_id: row.users for row in self.rows}


def municipalities(session: Session) -> list[Owner]:
    """The owners a cost key counts: the member municipalities, in name order."""
    query = select(Owner).where(Owner.kind == OwnerKind.MUNICIPALITY).order_by(col(Owner.name))
    return list(session.exec(query))


def list_keys(session: Session, *, actor: User | None) -> list[YearKey]:
    """Every year's key, latest year first (the admin page, `inventory costkeys list`)."""
    if actor is not None:
        require_unscoped_admin(actor)
    rows = session.exec(
        select(CostKey, Owner)
        .join(Owner, col(Owner.id) == col(CostKey.owner_id))
        .order_by(col(CostKey.year).desc(), col(Owner.name))
    ).all()
    by_year: dict[int, list[tuple[CostKey, Owner]]] = {}
    for key, owner in rows:
        by_year.setdefault(key.year, []).append((key, owner))
    return [_year_key(year, pairs) for year, pairs in by_year.items()]


def key_of_year(session: Session, year: int) -> YearKey | None:
    """The year's key as stored, or None when no users are set for it."""
    rows = session.exec(
        select(CostKey, Owner)
        .join(Owner, col(Owner.id) == col(CostKey.owner_id))
        .where(CostKey.year == year)
        .order_by(col(Owner.name))
    ).all()
    return _year_key(year, list(rows)) if rows else None


def key_for_split(session: Session, *, on: dt.date) -> YearKey:
    """The key a split on `on` is made with (that of the date's year), checked: a missing or
    incomplete key is a clear error naming the year, never a guess."""
    year = rules.cost_key_year(on)
    found = key_of_year(session, year)
    rules.check_cost_key(year, found.users if found else None)
    assert found is not None
    return found


def _year_key(year: int, pairs: list[tuple[CostKey, Owner]]) -> YearKey:
    total = sum(key.users for key, _ in pairs)
    rows = []
    for key, owner in pairs:
        share = Fraction(key.users, total) if total else Fraction(0)
        rows.append(
            OwnerUsers(
                owner_id=owner.id,  # type: ignore[arg-type]
                slug=owner.slug,
                name=owner.name,
                users=key.users,
                share=share,
                percent=rules.percent(share),
            )
        )
    return YearKey(year, tuple(rows))


def set_users(
    session: Session,
    *,
    actor: User | None,
    year: int,
    users: Mapping[str, int],
    now: dt.datetime,
) -> YearKey:
    """Set a year's users for one or more municipalities (owner slug -> users) and commit,
    with an audit entry per change. `actor` None: the command line, run by the server's
    operator. Every error is collected: an unknown owner, a year out of range, negative
    users. A year whose key a decided split was made with is frozen."""
    if actor is not None:
        require_unscoped_admin(actor)
    owners = {o.slug: o for o in municipalities(session)}
    errors: dict[str, str] = {}
    params: dict[str, dict[str, object]] = {}
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = N_("The year must lie between %(first)s and %(last)s.")
        params["year"] = {"first": FIRST_YEAR, "last": LAST_YEAR}
    for slug, count in users.items():
        if slug not in owners:
            errors["owner"] = N_("Unknown municipality code: %(slug)s.")
            params["owner"] = {"slug": slug[:40]}
        if count < 0:
            errors["users"] = N_("The number of users cannot be negative.")
        elif count > MAX_USERS:
            errors["users"] = N_("That is too many users for one municipality.")
    if not errors and _decided_with(session, year):
        errors["year"] = N_(
            "The cost key of %(year)s was used by a decided split of the joint property and "
            "can no longer change."
        )
        params["year"] = {"year": year}
    if errors:
        raise ValidationFailed(errors, params)
    stored = {
        k.owner_id: k for k in session.exec(select(CostKey).where(CostKey.year == year)).all()
    }
    for slug, count in sorted(users.items()):
        owner = owners[slug]
        row = stored.get(owner.id)  # type: ignore[arg-type]
        before = row.users if row is not None else None
        if before == count:
            continue
        if row is None:
            row = CostKey(year=year, owner_id=owner.id, users=count)  # type: ignore[arg-type]
        row.users = count
        session.add(row)
        audit.record(
            session,
            action="cost_key.set",
            actor=actor,
            subject=f"{year} {slug}",
            details={"year": year, "owner": slug, "before": before, "after": count},
            at=now,
        )
    session.commit()
    found = key_of_year(session, year)
    assert found is not None
    return found


def _decided_with(session: Session, year: int) -> bool:
    query = select(SplitProposal.id).where(
        SplitProposal.cost_key_year == year, SplitProposal.state == SplitState.APPLIED
    )
    return session.exec(query).first() is not None


def may_change_keys(actor: User) -> bool:
    """For pages: whether to offer the cost keys at all."""
    return is_unscoped_admin(actor)
