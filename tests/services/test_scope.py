"""services/scope.py: what a user scoped to Borgholm sees of each entity, what an unscoped
user sees, and that the Python forms of the rule agree with its SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlmodel import Session, select

from inventory.domain.errors import NotFound, PermissionDenied
from inventory.models import (
    Asset,
    AssetEvent,
    AssetFlag,
    BusinessUnit,
    Category,
    JobRun,
    Location,
    Owner,
    Site,
    Stocktake,
    StocktakeLine,
    User,
)
from inventory.services import flags, job_runs, reference, scope, stocktakes, users
from inventory.services.reference_cache import reference_names

from ..factories import NOW, TODAY, Reference, make_asset
from ..owner_world import World, make_world


@pytest.fixture
def world(session: Session, ref: Reference) -> World:
    return make_world(session, ref)


def seen(session: Session, actor: User, column: Any, entity: type) -> set[Any]:
    return set(session.exec(scope.restrict(select(column), actor, entity)))


def test_a_scoped_user_sees_only_their_owners_assets(session: Session, world: World) -> None:
    tags = seen(session, world.ref.tech_borgholm, Asset.tag, Asset)
    assert tags == {world.mine.tag, world.mine_pool.tag}


def test_an_unscoped_user_sees_every_owners_assets(session: Session, world: World) -> None:
    tags = seen(session, world.ref.technician, Asset.tag, Asset)
    assert {world.mine.tag, world.theirs.tag, world.joint_asset.tag} <= tags


def test_what_is_kept_per_asset_follows_its_assets_owner(session: Session, world: World) -> None:
    old = dt.date(2018, 1, 10)  # overdue in both municipalities
    mine = make_asset(session, world.ref, owner_id=world.ref.borgholm.id, purchase_date=old)
    theirs = make_asset(session, world.ref, owner_id=world.ref.morbylanga.id, purchase_date=old)
    flags.recompute(session, today=TODAY)
    actor = world.ref.tech_borgholm
    flagged = seen(session, actor, AssetFlag.asset_id, AssetFlag)
    assert mine.id in flagged and theirs.id not in flagged
    own_ids = seen(session, actor, Asset.id, Asset)
    assert seen(session, actor, AssetEvent.asset_id, AssetEvent) == own_ids
    assert theirs.id in seen(session, world.ref.technician, AssetFlag.asset_id, AssetFlag)


def test_stocktake_lines_follow_their_assets_owner(session: Session, world: World) -> None:
    """An unscoped admin's count of the joint server hall finds both owners' devices; a
    Borgholm user reading its lines reads only Borgholm's."""
    ref = world.ref
    mine = make_asset(session, ref, owner_id=ref.borgholm.id, location_id=ref.server_hall.id)
    theirs = make_asset(session, ref, owner_id=ref.morbylanga.id, location_id=ref.server_hall.id)
    count = stocktakes.start(session, actor=ref.admin, now=NOW, location_id=ref.server_hall.id)
    stocktakes.close(session, actor=ref.admin, stocktake=count, today=TODAY, now=NOW)
    everything = seen(session, ref.admin, StocktakeLine.asset_id, StocktakeLine)
    assert {mine.id, theirs.id} <= everything
    lines = seen(session, ref.tech_borgholm, StocktakeLine.asset_id, StocktakeLine)
    assert mine.id in lines and theirs.id not in lines and world.joint_asset.id not in lines


def test_a_scoped_user_sees_their_own_owner_only(session: Session, world: World) -> None:
    assert seen(session, world.ref.tech_borgholm, Owner.slug, Owner) == {"borgholm"}
    assert seen(session, world.ref.technician, Owner.slug, Owner) == {
        "borgholm",
        "morbylanga",
        "joint",
    }


def test_a_scoped_user_sees_their_own_the_joint_and_unowned_sites(
    session: Session, world: World
) -> None:
    sites = seen(session, world.ref.tech_borgholm, Site.name, Site)
    assert sites == {"Slottsskolan", "Serverhall Borgholm", world.unowned_site.name}
    rooms = seen(session, world.ref.tech_borgholm, Location.id, Location)
    assert rooms == {world.ref.school.id, world.ref.server_hall.id, world.unowned_room.id}
    assert world.morbylanga_room.id in seen(session, world.ref.technician, Location.id, Location)


def test_the_menus_copy_of_the_site_rule_agrees_with_its_sql(
    session: Session, world: World
) -> None:
    names = reference_names(session)
    for actor in [*world.scoped_users, world.tech_morbylanga, world.ref.admin]:
        in_python = {s.name for s in names.sites_for(actor)}
        assert in_python == seen(session, actor, Site.name, Site), actor.email
        assert {u.id for u in names.units_for(actor)} == seen(
            session, actor, BusinessUnit.id, BusinessUnit
        )
        assert {o.id for o in names.owners_for(actor)} == seen(session, actor, Owner.id, Owner)


def test_a_scoped_user_sees_their_owners_business_units(session: Session, world: World) -> None:
    units = seen(session, world.ref.admin_borgholm, BusinessUnit.name, BusinessUnit)
    assert units == {world.ref.unit_borgholm.name}


def test_a_scoped_admin_sees_only_users_scoped_to_their_owner(
    session: Session, world: World
) -> None:
    emails = seen(session, world.ref.admin_borgholm, User.email, User)
    assert emails == {u.email for u in world.scoped_users}
    listed = {u.email for u in users.list_users(session, actor=world.ref.admin_borgholm)}
    assert listed == emails


def test_a_scoped_user_sees_the_stocktakes_started_in_their_scope(
    session: Session, world: World
) -> None:
    ids = seen(session, world.viewer_borgholm, Stocktake.id, Stocktake)
    assert ids == {world.mine_stocktake.id}
    listed = stocktakes.listing(session, actor=world.viewer_borgholm)
    assert [s.id for s in listed] == [world.mine_stocktake.id]
    assert len(seen(session, world.ref.viewer, Stocktake.id, Stocktake)) == 3


def test_no_scoped_user_sees_job_runs(session: Session, world: World) -> None:
    assert seen(session, world.ref.admin_borgholm, JobRun.id, JobRun) == set()
    assert seen(session, world.ref.admin, JobRun.id, JobRun) == {world.run.id}


def test_an_entity_without_a_rule_is_refused_rather_than_left_open() -> None:
    with pytest.raises(TypeError):
        scope.for_owner(1, Category)


def test_for_owner_none_is_everything_and_an_owner_is_a_scoped_users_view(
    session: Session, world: World
) -> None:
    borgholm = set(
        session.exec(select(Asset.tag).where(scope.for_owner(world.ref.borgholm.id, Asset)))
    )
    assert borgholm == seen(session, world.ref.tech_borgholm, Asset.tag, Asset)
    assert len(set(session.exec(select(Asset.tag).where(scope.for_owner(None, Asset))))) == 5


@pytest.mark.parametrize(
    ("lookup", "key", "row"),
    [
        (reference.get_site, "site_id", lambda w: w.morbylanga_site.id),
        (reference.get_location, "location_id", lambda w: w.morbylanga_room.id),
        (reference.get_unit, "unit_id", lambda w: w.ref.unit_morbylanga.id),
        (users.get_user, "user_id", lambda w: w.ref.viewer_morbylanga.id),
        (users.get_user, "user_id", lambda w: w.ref.admin.id),
        (stocktakes.get, "stocktake_id", lambda w: w.theirs_stocktake.id),
        (stocktakes.get, "stocktake_id", lambda w: w.unscoped_stocktake.id),
    ],
)
def test_another_owners_row_is_not_found_by_its_id(
    session: Session, world: World, lookup: Any, key: str, row: Any
) -> None:
    with pytest.raises(NotFound):
        lookup(session, actor=world.ref.admin_borgholm, **{key: row(world)})
    assert lookup(session, actor=world.ref.admin, **{key: row(world)}) is not None


def test_a_scoped_admin_changes_no_other_owners_unit(session: Session, world: World) -> None:
    with pytest.raises(NotFound):
        reference.save_business_unit(
            session,
            actor=world.ref.admin_borgholm,
            unit=world.ref.unit_morbylanga,
            owner_id=world.ref.borgholm.id,
            name="Stulen",
        )


def test_a_scoped_admin_may_not_start_jobs_or_read_their_runs(
    session: Session, world: World, app: Any
) -> None:
    settings = app.config["INVENTORY"]
    engine = session.get_bind()
    for actor in (world.ref.admin_borgholm, world.ref.technician):
        with pytest.raises(PermissionDenied):
            job_runs.start(
                engine, actor=actor, name="flag-replacements", today=TODAY, settings=settings
            )
        with pytest.raises(PermissionDenied):
            job_runs.recent(session, actor=actor)
        assert not job_runs.may_run_jobs(actor)
    assert job_runs.may_run_jobs(world.ref.admin)
    assert [r.id for r in job_runs.recent(session, actor=world.ref.admin)] == [world.run.id]
    with pytest.raises(NotFound):  # past the permission check: the name is what is wrong
        job_runs.start(
            engine, actor=world.ref.admin, name="no-such-job", today=TODAY, settings=settings
        )
    assert len(session.exec(select(JobRun)).all()) == 1


def test_location_and_owner_menus_for_a_scoped_user(session: Session, world: World) -> None:
    actor = world.ref.tech_borgholm
    assert reference.owner_choices(session, actor=actor) == [
        (world.ref.borgholm.id, world.ref.borgholm.name)
    ]
    names = {name for _, name in reference.site_choices(session, actor=actor)}
    assert names == {"Slottsskolan", "Serverhall Borgholm", world.unowned_site.name}
    choices = stocktakes.start_choices(session, actor=actor)
    assert [o.slug for o in choices.owners] == ["borgholm"]
    assert world.morbylanga_room.id not in {i for i, _ in choices.locations}
