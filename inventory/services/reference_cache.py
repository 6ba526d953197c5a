"""Owners, categories, sites and business units as menus and filters need them, read once
per process and again only when the database says they changed.

Every page of the list needs them (its filter menus, the slugs in its query string), and
reading four tables cost more than the list's own query. Triggers bump reference_version
with every change to those tables (migration 0005), so each process, each gunicorn worker
included, compares one number per request and reloads when it moved.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from ..domain.errors import ValidationFailed
from ..domain.text import N_
from ..models import BusinessUnit, Category, Owner, ReferenceVersion, Site, User
from ..models.org import OwnerKind
from . import scope


@dataclass(frozen=True)
class Named:
    id: int
    name: str
    slug: str = ""  # owners and categories
    owner_id: int | None = None  # sites and business units: whose they are
    kind: str = ""  # owners: municipality, joint or company


@dataclass(frozen=True)
class ReferenceNames:
    version: int | None
    owners: tuple[Named, ...]  # each ordered by name, as menus show them
    categories: tuple[Named, ...]
    sites: tuple[Named, ...]
    units: tuple[Named, ...]
    owner_ids: dict[str, int] = field(default_factory=dict)
    category_ids: dict[str, int] = field(default_factory=dict)
    joint_owner_ids: frozenset[int] = frozenset()

    def owner_and_category_ids(
        self, owner: str | None, category: str | None
    ) -> tuple[int | None, int | None]:
        """A filter's owner and category slugs as ids (None where not given); an unknown
        slug is a field error, both said together."""
        errors: dict[str, str] = {}
        owner_id = category_id = None
        if owner:
            owner_id = self.owner_ids.get(owner)
            if owner_id is None:
                errors["owner"] = N_("Unknown owner.")
        if category:
            category_id = self.category_ids.get(category)
            if category_id is None:
                errors["category"] = N_("Unknown category.")
        if errors:
            raise ValidationFailed(errors)
        return owner_id, category_id

    # What caches built from these names are keyed by (see _load).
    token: object = None

    def owners_for(self, actor: User) -> list[Named]:
        return [o for o in self.owners if scope.owns(actor, o.id)]

    def sites_for(self, actor: User) -> list[Named]:
        return [
            s
            for s in self.sites
            if scope.site_visible(actor, s.owner_id, joint_owner_ids=self.joint_owner_ids)
        ]

    def units_for(self, actor: User) -> list[Named]:
        return [u for u in self.units if scope.owns(actor, u.owner_id)]


_VERSION = sa_select(col(ReferenceVersion.n)).where(col(ReferenceVersion.id) == 1)
_OWNERS: Any = sa_select(col(Owner.id), col(Owner.name), col(Owner.slug), col(Owner.kind)).order_by(
    col(Owner.name)
)
_CATEGORIES: Any = sa_select(col(Category.id), col(Category.name), col(Category.slug)).order_by(
    col(Category.name)
)
_SITES: Any = sa_select(col(Site.id), col(Site.name), col(Site.owner_id)).order_by(col(Site.name))
_UNITS: Any = sa_select(
    col(BusinessUnit.id), col(BusinessUnit.name), col(BusinessUnit.owner_id)
).order_by(col(BusinessUnit.name))

# One copy per database (tests run many apps on many databases in one process). Only
# copies of committed data are kept here.
_copies: weakref.WeakKeyDictionary[Engine, ReferenceNames] = weakref.WeakKeyDictionary()
# In session.info: the copy a transaction looked at, until it writes or ends.
_SEEN = "reference_names"
# In a connection's info: it has written in its current transaction.
_WROTE = "reference_names_stale"


def reference_names(session: Session) -> ReferenceNames:
    """The current names, as the session's transaction sees them."""
    known: ReferenceNames | None = session.info.get(_SEEN)
    if known is not None:
        return known  # looked at in this transaction, and nothing was written since
    conn = session.connection()
    version = conn.execute(_VERSION).scalar()
    if conn.info.get(_WROTE):
        # This transaction may have changed them and not committed yet: a rollback would
        # give its version number back to another change. Read them for it alone.
        return _load(conn, version, shared=False)
    copy = _copies.get(conn.engine)
    if copy is None or version is None or copy.version != version:
        copy = _copies[conn.engine] = _load(conn, version, shared=True)
    session.info[_SEEN] = copy
    return copy


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, *_: Any) -> None:
    """A write may have changed the names, and another transaction may see others."""
    session.info.pop(_SEEN, None)


# Every statement that is not a query marks its connection until the transaction ends, be
# it the ORM's flush, a Core insert or update, or a statement written out.
@event.listens_for(Engine, "before_cursor_execute")
def _note_write(conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        conn.info[_WROTE] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _transaction_ended(conn: Connection) -> None:
    conn.info.pop(_WROTE, None)


def _load(conn: Connection, version: int | None, *, shared: bool) -> ReferenceNames:
    owners = tuple(
        Named(id=i, name=name, slug=slug, kind=kind)
        for i, name, slug, kind in conn.execute(_OWNERS)
    )
    categories = tuple(
        Named(id=i, name=name, slug=slug) for i, name, slug in conn.execute(_CATEGORIES)
    )
    return ReferenceNames(
        version=version,
        owners=owners,
        categories=categories,
        sites=tuple(Named(id=i, name=n, owner_id=o) for i, n, o in conn.execute(_SITES)),
        units=tuple(Named(id=i, name=n, owner_id=o) for i, n, o in conn.execute(_UNITS)),
        owner_ids={o.slug: o.id for o in owners},
        category_ids={c.slug: c.id for c in categories},
        joint_owner_ids=frozenset(o.id for o in owners if o.kind == OwnerKind.JOINT),
        # Nothing built from a copy that is not shared, or has no version, is ever reused.
        token=version if shared and version is not None else object(),
    )
