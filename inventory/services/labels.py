"""Which assets get labels: by tags, a location, owners, or the asset list's filters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_
from sqlmodel import Session, col, select

from ..domain.assets import lookup_tag, normalize_tag
from ..domain.errors import ValidationFailed
from ..domain.roles import Role
from ..domain.statuses import DisposalKind, Status
from ..domain.text import N_
from ..models import Asset, AssetTagAlias, Location, Owner, User
from . import scope
from .access import require_role
from .asset_list import AssetFilter, where_clause
from .fleet import active

# A print run larger than this is a mistake more often than a plan (80 A4 sheets).
MAX_LABELS = 2000


def label_rows(
    session: Session,
    *,
    actor: User,
    tags: Sequence[str] = (),
    location_id: int | None = None,
    owner_slugs: Sequence[str] = (),
    flt: AssetFilter | None = None,
) -> list[tuple[str, str]]:
    """(tag, owner name) for each asset to label, in tag order. Exactly one way of choosing."""
    require_role(actor, Role.TECHNICIAN)
    chosen = sum(bool(x) for x in (tags, location_id, owner_slugs, flt))
    if chosen != 1:
        raise ValidationFailed(
            {"selection": N_("Choose the labels by tags, by a location or by owners.")}
        )
    where: ColumnElement[bool]
    if tags:
        wanted = sorted({normalize_tag(t) for t in tags if t.strip()})
        where = col(Asset.tag).in_(wanted)
    elif location_id:
        place = select(Location.id).where(Location.id == location_id)
        if session.exec(scope.restrict(place, actor, Location)).first() is None:
            raise ValidationFailed({"location": N_("No location has that id.")})
        where = and_(col(Asset.location_id) == location_id, active(Asset.status))
    elif owner_slugs:
        named = select(Owner.id).where(col(Owner.slug).in_(owner_slugs))
        owner_ids = list(session.exec(scope.restrict(named, actor, Owner)))
        if len(owner_ids) != len(set(owner_slugs)):
            raise ValidationFailed({"owner": N_("Unknown owner.")})
        where = and_(col(Asset.owner_id).in_(owner_ids), active(Asset.status))
    else:
        assert flt is not None
        where = where_clause(session, actor=actor, flt=flt)
    rows = session.exec(
        select(Asset.tag, Owner.name)
        .join(Owner, Owner.id == Asset.owner_id)  # type: ignore[arg-type]
        .where(where, scope.visible(actor, Asset))
        .order_by(Asset.tag)
        .limit(MAX_LABELS + 1)
    ).all()
    if tags:
        found = {tag for tag, _ in rows}
        missing = [t for t in wanted if t not in found]
        if missing:
            raise ValidationFailed(
                {"tag": N_("No asset has the tag %(tag)s.")},
                {"tag": {"tag": ", ".join(missing[:10])}},
            )
    if not rows:
        raise ValidationFailed({"selection": N_("No assets match; there is nothing to print.")})
    if len(rows) > MAX_LABELS:
        raise ValidationFailed(
            {"selection": N_("That is more than 2 000 labels; narrow the selection.")}
        )
    return [(tag, owner) for tag, owner in rows]


@dataclass(frozen=True)
class FoundDevice:
    """What the public "found device" page may know of a scanned label: the tag, the owning
    municipality and what became of the device (domain/finder.py says what that means to a
    finder) — nothing else: holder, place and serial are not the finder's."""

    tag: str
    owner: str
    status: Status
    disposal_kind: DisposalKind | None


def found_device(session: Session, *, tag: str) -> FoundDevice | None:
    wanted = lookup_tag(tag)
    if wanted is None:
        return None
    row = session.exec(
        select(Asset.tag, Owner.name, Asset.status, Asset.disposal_kind)
        .join(Owner, Owner.id == Asset.owner_id)  # type: ignore[arg-type]
        .where(Asset.tag == wanted)
    ).first()
    if row is None:
        # An old label of a corrected tag: its owner, under the tag the finder holds.
        row = session.exec(
            select(AssetTagAlias.tag, Owner.name, Asset.status, Asset.disposal_kind)
            .join(Asset, col(Asset.id) == AssetTagAlias.asset_id)
            .join(Owner, col(Owner.id) == Asset.owner_id)
            .where(AssetTagAlias.tag == wanted)
        ).first()
    if row is None:
        return None
    found_tag, owner, status, kind = row
    return FoundDevice(
        tag=found_tag,
        owner=owner,
        status=Status(status),
        disposal_kind=DisposalKind(kind) if kind else None,
    )
