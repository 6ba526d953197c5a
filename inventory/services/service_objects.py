"""Service objects: the admin-edited list, each asset's object (its category's unless told
otherwise), setting it for a whole selection of the asset list, and the quarterly invoicing
basis.

The basis counts object-months: per quarter, per owner (municipality, joint property or
municipal company), business unit and service object, each device in use (handed out, or in
repair on its user's behalf) for the days of the quarter it was so, as a share of the
quarter's three months: a device in use for half the quarter counts 1,5. It is read from
asset_span (the owner, unit and object of each day), so a past quarter stays what it was
after devices move on. SQL sums whole days per group; months are the days' exact share,
rounded to hundredths once per line and once for the total."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, func, literal
from sqlmodel import Session, col, select

from ..domain.errors import NotFound, ValidationFailed
from ..domain.roles import Role
from ..domain.statuses import Status
from ..domain.text import N_
from ..models import (
    Asset,
    AssetSpan,
    BusinessUnit,
    Category,
    Owner,
    ServiceObject,
    User,
)
from . import asset_list, audit, scope, spans
from .access import require_role, require_unscoped_admin
from .assets import committing, stage_change
from .date_sql import day_number, day_number_of, greatest, least

# The statuses a business unit pays for: the device is out with it.
IN_USE = (Status.DEPLOYED.value, Status.IN_REPAIR.value)
MONTHS_PER_QUARTER = 3
_HUNDREDTH = Decimal("0.01")
# An open span's end, as a day number later than any quarter's.
_OPEN = 10_000_000


@dataclass(frozen=True)
class ServiceObjectRow:
    id: int
    name: str
    position: int
    assets: int  # devices not disposed of that belong to it
    categories: list[str]  # whose default it is


def listing(session: Session, *, actor: User) -> list[ServiceObjectRow]:
    require_role(actor, Role.VIEWER)
    counts = dict(
        session.exec(
            select(col(Asset.service_object_id), func.count())
            .where(col(Asset.status) != Status.DISPOSED.value, scope.visible(actor, Asset))
            .group_by(col(Asset.service_object_id))
        ).all()
    )
    defaults: dict[int, list[str]] = {}
    for category in session.exec(select(Category).order_by(col(Category.name))):
        if category.service_object_id is not None:
            defaults.setdefault(category.service_object_id, []).append(category.name)
    return [
        ServiceObjectRow(o.id, o.name, o.position, int(counts.get(o.id, 0)), defaults.get(o.id, []))  # type: ignore[arg-type]
        for o in ordered(session)
    ]


def ordered(session: Session) -> list[ServiceObject]:
    return list(
        session.exec(
            select(ServiceObject).order_by(col(ServiceObject.position), col(ServiceObject.name))
        )
    )


def _checked_name(session: Session, name: str, *, other_than: int | None = None) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise ValidationFailed({"name": N_("A name is required.")})
    if len(cleaned) > 80:
        raise ValidationFailed({"name": N_("At most 80 characters.")})
    clash = session.exec(
        select(ServiceObject.id).where(func.lower(ServiceObject.name) == cleaned.lower())
    ).first()
    if clash is not None and clash != other_than:
        raise ValidationFailed({"name": N_("There is already a service object of that name.")})
    return cleaned


def save(
    session: Session, *, actor: User, name: str, position: int | None, now: dt.datetime,
    object_id: int | None = None,
) -> ServiceObject:  # fmt: skip
    """Add a service object (object_id None) or rename and move one."""
    require_unscoped_admin(actor)
    if object_id is None:
        row = ServiceObject(name="", position=0)
        before: dict[str, object] = {}
    else:
        found = session.get(ServiceObject, object_id)
        if found is None:
            raise NotFound()
        row = found
        before = {"name": row.name, "position": row.position}
    row.name = _checked_name(session, name, other_than=object_id)
    if position is not None and not 0 <= position <= 999:
        raise ValidationFailed({"position": N_("The position is a number from 0 to 999.")})
    if position is not None:
        row.position = position
    elif object_id is None:
        row.position = 1 + max((o.position for o in ordered(session)), default=0)
    session.add(row)
    session.flush()
    audit.record(
        session, actor=actor, action="service_object_saved", at=now, subject=row.name,
        details={"before": before, "after": {"name": row.name, "position": row.position}},
    )  # fmt: skip
    session.commit()
    return row


def delete(session: Session, *, actor: User, object_id: int, now: dt.datetime) -> None:
    """Remove a service object no device, category or past quarter refers to."""
    require_unscoped_admin(actor)
    row = session.get(ServiceObject, object_id)
    if row is None:
        raise NotFound()
    used = any(
        session.exec(
            select(literal(1)).select_from(table).where(column == object_id).limit(1)
        ).first()
        for table, column in (
            (Asset, col(Asset.service_object_id)),
            (Category, col(Category.service_object_id)),
            (AssetSpan, col(AssetSpan.service_object_id)),
        )
    )
    if used:
        raise ValidationFailed(
            {"name": N_("Devices, a category or an invoiced quarter refer to this service object: "
                        "rename it instead.")}
        )  # fmt: skip
    audit.record(session, actor=actor, action="service_object_deleted", at=now, subject=row.name)
    session.delete(row)
    session.commit()


def check_object(session: Session, object_id: int | None) -> None:
    if object_id is not None and session.get(ServiceObject, object_id) is None:
        raise ValidationFailed({"service_object_id": N_("Choose a service object from the list.")})


def set_for_selection(
    session: Session, *, actor: User, flt: asset_list.AssetFilter, object_id: int,
    now: dt.datetime, today: dt.date,
) -> int:  # fmt: skip
    """Give every device the list's filter selects (and the actor may change; none disposed
    of) this service object, each with its history, all in one transaction; how many
    changed."""
    require_role(actor, Role.TECHNICIAN)
    check_object(session, object_id)
    where = asset_list.where_clause(session, actor=actor, flt=flt)
    chosen = session.exec(
        select(Asset).where(
            where,
            scope.visible(actor, Asset),
            col(Asset.status) != Status.DISPOSED.value,
            func.coalesce(col(Asset.service_object_id), -1) != object_id,
        )
    ).all()
    with committing(session, today=today):
        for asset in chosen:
            before = asset.service_object_id
            asset.service_object_id = object_id
            stage_change(
                session, asset=asset, actor=actor, now=now, action="edit",
                changes={"service_object_id": [before, object_id]},
            )  # fmt: skip
    return len(chosen)


# --- the quarterly invoicing basis ----------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1-4

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        """Its last day."""
        after = (
            dt.date(self.year + 1, 1, 1)
            if self.number == 4
            else dt.date(self.year, 3 * self.number + 1, 1)
        )
        return after - dt.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def name(self) -> str:
        return f"Q{self.number} {self.year}"


def quarter_of(day: dt.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


@dataclass(frozen=True)
class BasisFilter:
    quarter: Quarter
    owner: str | None = None  # slug
    business_unit_id: int | None = None


@dataclass
class BasisLine:
    owner: str
    owner_name: str
    business_unit: str | None  # None: no unit given for the devices
    business_unit_id: int | None
    service_object: str | None  # None: no service object given
    service_object_id: int | None
    devices: int
    days: int  # device-days in use in the quarter
    quarter_days: int

    @property
    def object_months(self) -> Decimal:
        return _months(self.days, self.quarter_days)


@dataclass
class Basis:
    filter: BasisFilter
    lines: list[BasisLine] = field(default_factory=list)
    objects: list[str] = field(default_factory=list)  # the list's names, in its order

    @property
    def total_months(self) -> Decimal:
        return _months(sum(x.days for x in self.lines), self.filter.quarter.days)

    def months_by_object(self) -> dict[str | None, Decimal]:
        days: dict[str | None, int] = {}
        for x in self.lines:
            days[x.service_object] = days.get(x.service_object, 0) + x.days
        return {name: _months(n, self.filter.quarter.days) for name, n in days.items()}


def _months(days: int, quarter_days: int) -> Decimal:
    return (Decimal(days * MONTHS_PER_QUARTER) / Decimal(quarter_days)).quantize(
        _HUNDREDTH, rounding=ROUND_HALF_UP
    )


def basis(session: Session, *, actor: User, flt: BasisFilter) -> Basis:
    require_role(actor, Role.VIEWER)
    q = flt.quarter
    d = session.get_bind().dialect.name
    owner_id = None
    if flt.owner:
        owner_id = session.exec(select(Owner.id).where(Owner.slug == flt.owner)).first()
        if owner_id is None:
            raise ValidationFailed({"owner": N_("Unknown owner.")})
    first_n, after_n = day_number_of(d, q.start), day_number_of(d, q.end) + 1
    start = day_number(d, spans.EFFECTIVE_START)
    stop = func.coalesce(day_number(d, col(AssetSpan.ended_on)), _OPEN)
    days = least(d, stop, after_n) - greatest(d, start, first_n)
    where = [
        col(AssetSpan.status).in_(IN_USE),
        start < after_n,
        stop > first_n,
        scope.visible(actor, AssetSpan),
    ]
    if owner_id is not None:
        where.append(col(AssetSpan.owner_id) == owner_id)
    if flt.business_unit_id is not None:
        where.append(col(AssetSpan.business_unit_id) == flt.business_unit_id)
    group = (
        col(AssetSpan.owner_id),
        col(AssetSpan.business_unit_id),
        col(AssetSpan.service_object_id),
    )
    rows = session.exec(
        select(*group, func.count(func.distinct(col(AssetSpan.asset_id))), func.sum(days))  # type: ignore[call-overload]
        .select_from(AssetSpan)
        .join(Asset, col(Asset.id) == col(AssetSpan.asset_id))
        .where(and_(*where))
        .group_by(*group)
    ).all()
    owners = {o.id: o for o in session.exec(select(Owner))}
    units = {u.id: u.name for u in session.exec(select(BusinessUnit))}
    objects = ordered(session)
    names = {o.id: o.name for o in objects}
    position = {o.id: i for i, o in enumerate(objects)}
    lines = [
        BasisLine(owners[o].slug, owners[o].name, units.get(u) if u is not None else None, u,
                  names.get(s) if s is not None else None, s, int(n), int(total), q.days)
        for o, u, s, n, total in rows
        if total
    ]  # fmt: skip
    lines.sort(key=lambda x: (x.owner_name, x.business_unit is None, x.business_unit or "",
                              position.get(x.service_object_id, len(position))))  # fmt: skip
    return Basis(filter=flt, lines=lines, objects=[o.name for o in objects])
