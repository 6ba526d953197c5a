"""Mörbylånga leaving the partnership: its register with one asset of each kind the handover
meets — out with a user, in stock, in the reuse pool, already recycled — an assessment, a
closed stocktake, two users limited to it (one with an API token), and Borgholm's and the
joint property's assets beside it, which the handover must leave alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from inventory.domain import reuse
from inventory.domain.roles import Role
from inventory.domain.statuses import DisposalKind
from inventory.models import Asset, Location, Owner, Site, Stocktake, User
from inventory.services import reuse as reuse_service
from inventory.services import stocktakes, users

from .factories import NOW, TODAY, Reference, make_asset, make_user

LEAVES_ON = dt.date(2026, 12, 31)
AFTER = dt.date(2027, 1, 4)
AFTER_NOW = dt.datetime(2027, 1, 4, 8, 0, tzinfo=dt.UTC)


@dataclass
class Departing:
    ref: Reference
    owner: Owner
    room: Location
    deployed: Asset  # out with Maja Mörby
    in_stock: Asset
    pooled: Asset  # assessed, wiped, in the reuse pool
    recycled: Asset  # left the register before the handover
    borgholm: Asset
    joint: Asset
    tech: User  # tekniker.morbylanga, with an API token
    viewer: User  # lasare.morbylanga
    token: str
    stocktake: Stocktake

    @property
    def remaining(self) -> list[Asset]:
        return [self.deployed, self.in_stock, self.pooled]


def make_departing(
    session: Session, ref: Reference, *, leaves_on: dt.date = LEAVES_ON
) -> Departing:
    owner = ref.morbylanga
    owner.leaves_on = leaves_on
    session.add(owner)
    site = Site(name="Mörbylånga skola", owner_id=owner.id)
    session.add(site)
    session.flush()
    room = Location(site_id=site.id, building="Hus M", room="M-12")
    session.add(room)
    session.commit()
    mine = {"owner_id": owner.id, "location_id": room.id}
    deployed = make_asset(
        session, ref, **mine, holder="Maja Mörby", price_ore=1_249_050, serial="MB-1",
        warranty_end=dt.date(2027, 8, 15), supplier="Atea", order_ref="PO-2024-17",
        notes="=HYPERLINK(\"http://evil\")",
    )  # fmt: skip
    in_stock = make_asset(session, ref, **mine, serial="MB-2")
    pooled = make_asset(session, ref, **mine, serial="MB-3", model_id=ref.iphone.id)
    recycled = make_asset(session, ref, **mine, serial="MB-4", purchase_date=dt.date(2019, 3, 1))
    _assess(session, ref, pooled, reuse.Decision.REUSE_POOL)
    _assess(session, ref, recycled, reuse.Decision.RECYCLE, reason="Trasig skärm, ej lönsam")
    stocktake = stocktakes.start(session, actor=ref.admin, now=NOW, location_id=room.id)
    stocktakes.record_scan(
        session, actor=ref.admin, stocktake=stocktake, code=in_stock.tag,
        base_url="http://127.0.0.1:8000", now=NOW,
    )  # fmt: skip
    stocktakes.close(session, actor=ref.admin, stocktake=stocktake, today=TODAY, now=NOW)
    borgholm = make_asset(session, ref, owner_id=ref.borgholm.id)
    joint = make_asset(session, ref, owner_id=ref.joint.id, location_id=ref.server_hall.id)
    tech = make_user(session, "tekniker.morbylanga@test.se", Role.TECHNICIAN, owner)
    token = users.create_token(session, email=tech.email, now=NOW)
    return Departing(
        ref=ref,
        owner=owner,
        room=room,
        deployed=deployed,
        in_stock=in_stock,
        pooled=pooled,
        recycled=recycled,
        borgholm=borgholm,
        joint=joint,
        tech=tech,
        viewer=ref.viewer_morbylanga,
        token=token,
        stocktake=stocktake,
    )


def _assess(
    session: Session, ref: Reference, asset: Asset, decision: reuse.Decision, reason: str = ""
) -> None:
    """Assessed with IT, wiped and decided on, through the reuse routine."""
    reuse_service.assess(
        session,
        actor=ref.technician,
        asset=asset,
        data=reuse.AssessmentInput(
            grade=reuse.Grade.B,
            decision=decision,
            battery_health=87,
            wipe=reuse.Wipe(method="Blancco", on=TODAY, by="Tekniker"),
            recycler="Stena Recycling",
            certificate="SR-2026-009",
            reason=reason,
        ),
        today=TODAY,
        now=NOW + dt.timedelta(minutes=5),
        expected_version=asset.version,
    )
    assert asset.disposal_kind in (None, DisposalKind.RECYCLED.value)
