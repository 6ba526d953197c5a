"""The asset list's selection written out whole (issue 15): every field an import reads back,
by name, in tag order. One query, read in batches, whatever the register's size."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlmodel import Session, col, select

from ..domain.roles import Role
from ..models import (
    Asset,
    BusinessUnit,
    Category,
    Location,
    Manufacturer,
    Model,
    Owner,
    ServiceObject,
    Site,
    User,
)
from . import audit
from .access import require_role
from .asset_list import AssetFilter, where_clause
from .catalog import location_name, with_names

_NAMES = (
    Owner.name,
    Category.name,
    Manufacturer.name,
    Model.name,
    Site.name,
    Location.building,
    Location.room,
    BusinessUnit.name,
    ServiceObject.name,
)


@dataclass(frozen=True)
class ExportedAsset:
    asset: Asset
    owner: str
    category: str
    manufacturer: str
    model: str
    business_unit: str | None
    service_object: str | None
    site: str | None
    building: str
    room: str

    @property
    def location(self) -> str | None:
        """The place in one text, as Snipe-IT names places."""
        return location_name(self.site, self.building, self.room) if self.site else None


def export_assets(session: Session, *, actor: User, flt: AssetFilter) -> Iterator[ExportedAsset]:
    require_role(actor, Role.VIEWER)
    where = where_clause(session, actor=actor, flt=flt)
    stmt = (
        with_names(select(Asset, *_NAMES))  # type: ignore[call-overload]
        .outerjoin(BusinessUnit, col(BusinessUnit.id) == Asset.business_unit_id)
        .outerjoin(ServiceObject, col(ServiceObject.id) == Asset.service_object_id)
        .where(where)
        .order_by(col(Asset.tag))
        .execution_options(yield_per=1000)
    )
    for asset, owner, category, maker, model, site, building, room, unit, obj in session.exec(stmt):
        yield ExportedAsset(
            asset, owner, category, maker, model, unit, obj, site, building or "", room or ""
        )


def record_export(
    session: Session,
    *,
    actor: User | None,
    flt: AssetFilter,
    layout: str,
    file_format: str,
    count: int,
) -> None:
    """An export of the register is in the audit log: its rows name the people who hold the
    devices. Who, when, what selection, how many."""
    chosen = {k: v for k, v in vars(flt).items() if v not in (None, "", (), [], False)}
    audit.record(session, action="export.assets", actor=actor, subject=f"{count} assets",
                 details={"layout": layout, "format": file_format, "count": count,
                          "filters": {k: str(v) for k, v in chosen.items()}})  # fmt: skip
    session.commit()
