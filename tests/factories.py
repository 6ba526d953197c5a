"""Factories for tests: reference data and assets made through the real services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import Session

from inventory.domain.roles import Role
from inventory.models import (
    Asset,
    BusinessUnit,
    Category,
    Location,
    Manufacturer,
    Model,
    Owner,
    Site,
    User,
)
from inventory.schemas.asset import AssetInput
from inventory.services import assets as asset_service
from inventory.services import passwords

PASSWORD = "correct-horse-battery"
# Hashed once, with argon2-cffi's cheapest parameters: a full-strength hash per user per
# test, or its check at every login, would dominate the run time.
passwords.use_test_profile()
_PASSWORD_HASH = passwords.hash_password(PASSWORD)
TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


class TickingClock:
    """The app's `now` in tests: starts at a fixed moment and moves one second per reading,
    so that events keep their order and every moment lies on TODAY (in Sweden)."""

    def __init__(self, start: dt.datetime = NOW) -> None:
        self.moment = start

    def __call__(self) -> dt.datetime:
        self.moment += dt.timedelta(seconds=1)
        return self.moment


@dataclass
class Reference:
    borgholm: Owner
    morbylanga: Owner
    joint: Owner
    pc: Category
    phone: Category
    latitude: Model
    iphone: Model
    school: Location
    server_hall: Location
    unit_borgholm: BusinessUnit
    unit_morbylanga: BusinessUnit
    admin: User
    technician: User
    viewer: User
    tech_borgholm: User
    viewer_morbylanga: User
    admin_borgholm: User


def make_user(session: Session, email: str, role: Role, owner: Owner | None = None) -> User:
    user = User(
        email=email, password_hash=_PASSWORD_HASH, role=role, owner_id=owner.id if owner else None
    )
    session.add(user)
    session.commit()
    return user


def make_reference(session: Session) -> Reference:
    borgholm = Owner(slug="borgholm", name="Borgholms kommun", org_number="212000-0795")
    morbylanga = Owner(slug="morbylanga", name="Mörbylånga kommun", org_number="212000-0704")
    joint = Owner(slug="joint", name="Gemensam egendom", kind="joint")
    pc = Category(slug="pc", name="Datorer", depreciation_months=48, target_lifespan_months=60)
    phone = Category(
        slug="phone", name="Mobiltelefoner", depreciation_months=36, target_lifespan_months=48
    )
    dell = Manufacturer(name="Dell")
    apple = Manufacturer(name="Apple")
    session.add_all([borgholm, morbylanga, joint, pc, phone, dell, apple])
    session.flush()
    latitude = Model(
        manufacturer_id=dell.id,
        category_id=pc.id,
        name="Latitude 5440",
        standard_price_ore=1_249_000,
    )
    iphone = Model(
        manufacturer_id=apple.id, category_id=phone.id, name="iPhone 15", standard_price_ore=899_000
    )
    school = Site(name="Slottsskolan", owner_id=borgholm.id)
    hall = Site(name="Serverhall Borgholm", owner_id=joint.id)
    session.add_all([latitude, iphone, school, hall])
    session.flush()
    room = Location(site_id=school.id, building="Hus A", room="A12")
    server_room = Location(
        site_id=hall.id, building="Kommunhuset", room="Serverhall", is_server_hall=True
    )
    unit_b = BusinessUnit(owner_id=borgholm.id, name="Barn och utbildning")
    unit_m = BusinessUnit(owner_id=morbylanga.id, name="Vård och omsorg")
    session.add_all([room, server_room, unit_b, unit_m])
    session.commit()
    return Reference(
        borgholm=borgholm,
        morbylanga=morbylanga,
        joint=joint,
        pc=pc,
        phone=phone,
        latitude=latitude,
        iphone=iphone,
        school=room,
        server_hall=server_room,
        unit_borgholm=unit_b,
        unit_morbylanga=unit_m,
        admin=make_user(session, "admin@test.se", Role.ADMIN),
        technician=make_user(session, "tekniker@test.se", Role.TECHNICIAN),
        viewer=make_user(session, "lasare@test.se", Role.VIEWER),
        tech_borgholm=make_user(session, "tekniker.borgholm@test.se", Role.TECHNICIAN, borgholm),
        viewer_morbylanga=make_user(session, "lasare.morbylanga@test.se", Role.VIEWER, morbylanga),
        admin_borgholm=make_user(session, "admin.borgholm@test.se", Role.ADMIN, borgholm),
    )


_counter = {"n": 0}


def asset_input(ref: Reference, **overrides: Any) -> AssetInput:
    _counter["n"] += 1
    values: dict[str, Any] = {
        "tag": f"IT-{_counter['n']:06d}",
        "model_id": ref.latitude.id,
        "owner_id": ref.borgholm.id,
        "purchase_date": dt.date(2024, 8, 15),
        "price_ore": 1_249_000,
        "serial": f"SN{_counter['n']:08d}",
        "location_id": ref.school.id,
        "holder": None,
    }
    values.update(overrides)
    return AssetInput(**values)


def make_asset(session: Session, ref: Reference, **overrides: Any) -> Asset:
    actor = overrides.pop("actor", ref.admin)
    return asset_service.create_asset(
        session, actor=actor, data=asset_input(ref, **overrides), today=TODAY, now=NOW
    )


def edit_asset(session: Session, ref: Reference, asset: Asset, **changes: Any) -> Asset:
    """Save the asset with these changes to its fields, as a technician does."""
    comment = changes.pop("comment", "")
    data = replace(asset_input(ref), **{"tag": asset.tag, "serial": asset.serial, **changes})
    return asset_service.update_asset(
        session,
        actor=ref.technician,
        asset=asset,
        data=data,
        expected_version=asset.version,
        today=TODAY,
        now=NOW,
        comment=comment,
    )


def record_wipe(
    session: Session,
    ref: Reference,
    asset: Asset,
    *,
    at: dt.datetime = NOW,
    wiped_on: dt.date = TODAY,
) -> None:
    """A recorded data wipe, as the reuse routine leaves one, recorded `at` (no earlier than
    the device's last return, for it to count), with a recycler and certificate: the
    precondition for the reuse pool and for disposal."""
    from inventory.models import Assessment

    session.add(
        Assessment(
            asset_id=asset.id,
            assessed_at=at,
            assessed_by=ref.technician.id,
            grade="C",
            wiped=True,
            wipe_method="Blancco",
            wiped_on=wiped_on,
            wiped_by="Tekniker",
            decision="spare",
            recycler="Stena Recycling",
            certificate="SR-2026-001",
        )
    )
    session.commit()
