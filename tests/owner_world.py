"""Rows of Borgholm, Mörbylånga and their joint property side by side, for the owner-scope
tests: what a user scoped to Borgholm must see, and what must never reach them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from inventory.domain.roles import Role
from inventory.domain.statuses import Status
from inventory.models import Asset, Attachment, ImportRun, JobRun, Location, Site, Stocktake, User
from inventory.services import assets as asset_service
from inventory.services import stocktakes

from .evidence import attach_later
from .factories import NOW, Reference, make_asset, make_user, record_wipe


@dataclass
class World:
    ref: Reference
    viewer_borgholm: User
    tech_morbylanga: User
    # Borgholm's
    mine: Asset
    mine_pool: Asset
    mine_stocktake: Stocktake
    # Mörbylånga's, the joint property's, and a site tied to no owner
    morbylanga_site: Site
    morbylanga_room: Location
    unowned_site: Site
    unowned_room: Location
    theirs: Asset
    theirs_pool: Asset
    joint_asset: Asset
    theirs_stocktake: Stocktake
    unscoped_stocktake: Stocktake
    run: JobRun
    # Mörbylånga's technician's import, which no Borgholm user may open.
    theirs_import: ImportRun
    # Wipe reports of Borgholm's, Mörbylånga's and the joint property's pooled devices.
    mine_file: Attachment
    theirs_file: Attachment
    joint_file: Attachment

    @property
    def scoped_users(self) -> list[User]:
        """Borgholm's admin, technician and viewer."""
        return [self.ref.admin_borgholm, self.ref.tech_borgholm, self.viewer_borgholm]

    @property
    def foreign_texts(self) -> list[str]:
        """What of Mörbylånga's and the joint property's rows no Borgholm user may read."""
        return [
            self.theirs.tag,
            self.theirs_pool.tag,
            self.joint_asset.tag,
            "MB-SECRET-1",
            "Maja Mörby",
            self.morbylanga_site.name,
            self.morbylanga_room.room,
            self.ref.unit_morbylanga.name,
            self.ref.viewer_morbylanga.email,
            self.tech_morbylanga.email,
            self.ref.morbylanga.name,  # the title of the unscoped admin's stocktake too
            self.theirs_import.filename,
        ]


def _to_reuse_pool(session: Session, ref: Reference, asset: Asset) -> Asset:
    record_wipe(session, ref, asset)  # the pool takes only wiped devices
    return asset_service.change_status(
        session, actor=ref.admin, asset=asset, target=Status.REUSE_POOL, now=NOW
    )


def make_world(session: Session, ref: Reference) -> World:
    morbylanga_site = Site(name="Mörbylånga skola", owner_id=ref.morbylanga.id)
    unowned_site = Site(name="Förråd Färjestaden", owner_id=None)
    session.add_all([morbylanga_site, unowned_site])
    session.flush()
    morbylanga_room = Location(site_id=morbylanga_site.id, building="Hus M", room="M-rum-7")
    unowned_room = Location(site_id=unowned_site.id, building="Lager", room="Hylla-3")
    session.add_all([morbylanga_room, unowned_room])
    session.commit()
    viewer_borgholm = make_user(session, "lasare.borgholm@test.se", Role.VIEWER, ref.borgholm)
    tech_morbylanga = make_user(
        session, "tekniker.morbylanga@test.se", Role.TECHNICIAN, ref.morbylanga
    )
    mine = make_asset(session, ref, owner_id=ref.borgholm.id, business_unit_id=ref.unit_borgholm.id)
    mine_pool = _to_reuse_pool(session, ref, make_asset(session, ref, owner_id=ref.borgholm.id))
    theirs = make_asset(
        session,
        ref,
        owner_id=ref.morbylanga.id,
        business_unit_id=ref.unit_morbylanga.id,
        location_id=morbylanga_room.id,
        holder="Maja Mörby",
        serial="MB-SECRET-1",
    )
    theirs_pool = _to_reuse_pool(
        session, ref, make_asset(session, ref, owner_id=ref.morbylanga.id, location_id=None)
    )
    joint_asset = make_asset(session, ref, owner_id=ref.joint.id, location_id=ref.server_hall.id)
    mine_stocktake = stocktakes.start(
        session, actor=ref.tech_borgholm, now=NOW, location_id=ref.school.id
    )
    theirs_stocktake = stocktakes.start(
        session, actor=tech_morbylanga, now=NOW, site_id=morbylanga_site.id
    )
    unscoped_stocktake = stocktakes.start(
        session, actor=ref.admin, now=NOW, owner_slug="morbylanga"
    )
    run = JobRun(
        job="flag-replacements",
        slot="2026-11-23",
        started_at=NOW,
        finished_at=NOW + dt.timedelta(seconds=3),
        outcome="ok",
        counts='{"flagged": 4711}',
    )
    theirs_import = ImportRun(
        actor_id=tech_morbylanga.id, started_at=NOW, filename="mb-hemlig-import.csv",
        sha256="0" * 64, format="native", outcome="checked", rows_total=1,
    )  # fmt: skip
    session.add_all([run, theirs_import])
    session.commit()
    record_wipe(session, ref, joint_asset)
    files = [attach_later(session, ref, a) for a in (mine_pool, theirs_pool, joint_asset)]
    return World(
        ref=ref,
        viewer_borgholm=viewer_borgholm,
        tech_morbylanga=tech_morbylanga,
        mine=mine,
        mine_pool=mine_pool,
        mine_stocktake=mine_stocktake,
        morbylanga_site=morbylanga_site,
        morbylanga_room=morbylanga_room,
        unowned_site=unowned_site,
        unowned_room=unowned_room,
        theirs=theirs,
        theirs_pool=theirs_pool,
        joint_asset=joint_asset,
        theirs_stocktake=theirs_stocktake,
        unscoped_stocktake=unscoped_stocktake,
        theirs_import=theirs_import,
        run=run,
        mine_file=files[0],
        theirs_file=files[1],
        joint_file=files[2],
    )
