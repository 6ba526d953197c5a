"""Registering, editing and moving assets: rules, history, scope and conflicts."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from inventory.domain.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from inventory.domain.statuses import DisposalKind, Status
from inventory.models import Asset, AssetEvent, AssetFlag
from inventory.services import assets as svc
from inventory.services import flags

from ..factories import NOW, TODAY, Reference, asset_input, edit_asset, make_asset, record_wipe


def events(session: Session, asset: Asset) -> list[AssetEvent]:
    return list(
        session.exec(
            select(AssetEvent).where(AssetEvent.asset_id == asset.id).order_by(AssetEvent.id)
        )
    )


def count(session: Session, table: type) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def test_registering_writes_a_create_event_with_the_values(
    session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, price_ore=1_249_050)
    [event] = events(session, asset)
    assert event.action == "create"
    assert event.actor_id == ref.admin.id
    assert event.changes["price_ore"] == [None, 1_249_050]
    assert event.changes["purchase_date"] == [None, "2024-08-15"]


def test_depreciation_defaults_from_the_category(session: Session, ref: Reference) -> None:
    assert make_asset(session, ref).depreciation_months == 48
    assert make_asset(session, ref, depreciation_months=36).depreciation_months == 36


def test_an_edit_records_before_and_after(session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref, holder="Anna Andersson")
    edit_asset(session, ref, asset, holder="Bo Berg", comment="Ny ägare")
    edit = events(session, asset)[-1]
    assert edit.action == "edit"
    assert edit.changes == {"holder": ["Anna Andersson", "Bo Berg"]}
    assert edit.comment == "Ny ägare"
    assert asset.version == 2


def test_a_status_change_records_the_move(session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref)
    svc.change_status(session, actor=ref.technician, asset=asset, target=Status.DEPLOYED, now=NOW)
    svc.change_status(session, actor=ref.technician, asset=asset, target=Status.RETURNED, now=NOW)
    record_wipe(session, ref, asset)
    svc.change_status(
        session,
        actor=ref.technician,
        asset=asset,
        target=Status.DISPOSED,
        disposal_kind=DisposalKind.RECYCLED,
        now=NOW,
        comment="Trasig moderkortet, ej lönt att laga",
    )
    moves = [e.changes["status"] for e in events(session, asset) if e.action == "status"]
    assert moves == [["in_stock", "deployed"], ["deployed", "returned"], ["returned", "disposed"]]
    assert events(session, asset)[-1].changes["disposal_kind"] == [None, "recycled"]


def test_an_illegal_move_is_refused_and_nothing_is_written(
    session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    with pytest.raises(InvalidTransition):
        svc.change_status(
            session, actor=ref.technician, asset=asset, target=Status.RETURNED, now=NOW
        )
    session.rollback()
    session.refresh(asset)
    assert asset.status == Status.IN_STOCK
    assert len(events(session, asset)) == 1


def test_a_refused_edit_writes_neither_change_nor_history(
    session: Session, ref: Reference, engine: Engine
) -> None:
    """A clash found while saving leaves the asset and its history as they were."""
    asset = make_asset(session, ref)
    other = make_asset(session, ref)
    data = replace(asset_input(ref), tag=asset.tag, serial=other.serial)  # serial clash
    before = count(session, AssetEvent)
    with pytest.raises(ValidationFailed) as err:
        svc.update_asset(
            session,
            actor=ref.technician,
            asset=asset,
            data=data,
            expected_version=asset.version,
            today=TODAY,
            now=NOW,
        )
    assert "serial" in err.value.errors
    with Session(engine) as fresh:
        assert count(fresh, AssetEvent) == before
        assert fresh.get(Asset, asset.id).serial == asset.serial  # type: ignore[union-attr]


def test_a_race_lost_at_commit_writes_no_event(
    session: Session, ref: Reference, engine: Engine
) -> None:
    """Two sessions edit one asset; the second's commit fails as a whole, event included."""
    asset = make_asset(session, ref, holder="Anna Andersson")
    with (
        Session(engine, expire_on_commit=False) as first,
        Session(engine, expire_on_commit=False) as second,
    ):
        mine = first.get(Asset, asset.id)
        theirs = second.get(Asset, asset.id)
        assert mine is not None and theirs is not None
        svc.update_asset(
            first,
            actor=ref.technician,
            asset=mine,
            data=replace(asset_input(ref), tag=asset.tag, serial=asset.serial, holder="Först"),
            expected_version=1,
            today=TODAY,
            now=NOW,
        )
        with pytest.raises(Conflict):
            # Both read version 1, so the early check passes; the UPDATE ... WHERE version=1
            # then matches no row.
            svc.update_asset(
                second,
                actor=ref.technician,
                asset=theirs,
                data=replace(asset_input(ref), tag=asset.tag, serial=asset.serial, holder="Sen"),
                expected_version=1,
                today=TODAY,
                now=NOW,
            )
    with Session(engine) as fresh:
        saved = fresh.get(Asset, asset.id)
        assert saved is not None and saved.holder == "Först" and saved.version == 2
        edits = fresh.exec(select(AssetEvent).where(AssetEvent.action == "edit")).all()
        assert [e.changes["holder"][1] for e in edits] == ["Först"]


def test_a_stale_version_from_a_form_is_a_conflict(session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref)
    svc.change_status(session, actor=ref.technician, asset=asset, target=Status.DEPLOYED, now=NOW)
    with pytest.raises(Conflict):
        svc.update_asset(
            session,
            actor=ref.technician,
            asset=asset,
            data=replace(asset_input(ref), tag=asset.tag),
            expected_version=1,
            today=TODAY,
            now=NOW,
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"tag": "x"}, "tag"),
        ({"tag": "IT 0001"}, "tag"),
        ({"tag": "Ö-123"}, "tag"),
        ({"purchase_date": dt.date(2027, 1, 1)}, "purchase_date"),
        ({"purchase_date": dt.date(1980, 1, 1)}, "purchase_date"),
        ({"in_service_date": dt.date(2024, 8, 1)}, "in_service_date"),
        ({"warranty_end": dt.date(2020, 1, 1)}, "warranty_end"),
        ({"warranty_end": dt.date(9999, 1, 1)}, "warranty_end"),
        ({"in_service_date": dt.date(9999, 6, 1)}, "in_service_date"),
        ({"depreciation_months": -1}, "depreciation_months"),
        ({"mac": "00:11:22"}, "mac"),
        ({"ip": "10.0.0.300"}, "ip"),
        ({"imei": "123456789012345"}, "imei"),
        ({"model_id": 9999}, "model_id"),
        ({"owner_id": 9999}, "owner_id"),
        ({"location_id": 9999}, "location_id"),
    ],
)
def test_bad_values_are_refused_with_a_field_error(
    session: Session, ref: Reference, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationFailed) as err:
        make_asset(session, ref, **overrides)
    assert field in err.value.errors
    session.rollback()
    assert count(session, Asset) == 0


def test_a_business_unit_must_belong_to_the_owner(session: Session, ref: Reference) -> None:
    with pytest.raises(ValidationFailed) as err:
        make_asset(session, ref, owner_id=ref.borgholm.id, business_unit_id=ref.unit_morbylanga.id)
    assert "business_unit_id" in err.value.errors


def test_duplicate_tags_and_serials_are_refused(session: Session, ref: Reference) -> None:
    first = make_asset(session, ref)
    with pytest.raises(ValidationFailed) as err:
        make_asset(session, ref, tag=first.tag.lower())
    assert "tag" in err.value.errors
    with pytest.raises(ValidationFailed) as err:
        make_asset(session, ref, serial=first.serial)
    assert "serial" in err.value.errors
    # The same serial on another model is a different device.
    make_asset(session, ref, serial=first.serial, model_id=ref.iphone.id)


def test_several_errors_are_reported_together(session: Session, ref: Reference) -> None:
    with pytest.raises(ValidationFailed) as err:
        make_asset(session, ref, tag="?", mac="zz", purchase_date=dt.date(2030, 1, 1))
    assert {"tag", "mac", "purchase_date"} <= set(err.value.errors)


def test_viewers_cannot_register_or_move(session: Session, ref: Reference) -> None:
    with pytest.raises(PermissionDenied):
        make_asset(session, ref, actor=ref.viewer)
    asset = make_asset(session, ref)
    with pytest.raises(PermissionDenied):
        svc.change_status(session, actor=ref.viewer, asset=asset, target=Status.DEPLOYED, now=NOW)


def test_a_scoped_user_does_not_see_the_other_municipality(
    session: Session, ref: Reference
) -> None:
    mine = make_asset(session, ref, owner_id=ref.borgholm.id)
    theirs = make_asset(session, ref, owner_id=ref.morbylanga.id)
    assert svc.get_asset(session, actor=ref.tech_borgholm, tag=mine.tag).id == mine.id
    with pytest.raises(NotFound):
        svc.get_asset(session, actor=ref.tech_borgholm, tag=theirs.tag)
    with pytest.raises(NotFound):
        svc.change_status(
            session, actor=ref.tech_borgholm, asset=theirs, target=Status.DEPLOYED, now=NOW
        )
    with pytest.raises(PermissionDenied):
        make_asset(session, ref, actor=ref.tech_borgholm, owner_id=ref.morbylanga.id)


def test_an_edit_that_changes_nothing_writes_nothing(session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref)
    data = replace(asset_input(ref), tag=asset.tag, serial=asset.serial)
    svc.update_asset(
        session,
        actor=ref.technician,
        asset=asset,
        data=data,
        expected_version=1,
        today=TODAY,
        now=NOW,
    )
    assert len(events(session, asset)) == 1
    assert asset.version == 1


def test_a_scoped_user_places_assets_only_at_their_own_or_joint_sites(
    session: Session, ref: Reference
) -> None:
    from inventory.models import Location, Site

    elsewhere = Site(name="Färjestadens skola", owner_id=ref.morbylanga.id)
    session.add(elsewhere)
    session.flush()
    room = Location(site_id=elsewhere.id, building="", room="B2")
    session.add(room)
    session.commit()
    with pytest.raises(ValidationFailed) as err:
        make_asset(session, ref, actor=ref.tech_borgholm, location_id=room.id)
    assert "location_id" in err.value.errors
    session.rollback()
    assert make_asset(session, ref, actor=ref.tech_borgholm, location_id=ref.server_hall.id).id


def test_a_disposed_asset_can_no_longer_be_edited(session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref)
    record_wipe(session, ref, asset)
    svc.change_status(
        session,
        actor=ref.technician,
        asset=asset,
        target=Status.DISPOSED,
        disposal_kind=DisposalKind.RECYCLED,
        now=NOW,
        comment="Vattenskada",
    )
    data = replace(asset_input(ref), tag=asset.tag, serial=asset.serial, holder="Ny")
    with pytest.raises(ValidationFailed) as err:
        svc.update_asset(
            session,
            actor=ref.admin,
            asset=asset,
            data=data,
            expected_version=asset.version,
            today=TODAY,
            now=NOW,
        )
    assert "status" in err.value.errors


def test_a_comment_without_changes_is_kept_as_a_note(session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref)
    data = replace(asset_input(ref), tag=asset.tag, serial=asset.serial)
    svc.update_asset(
        session,
        actor=ref.technician,
        asset=asset,
        data=data,
        expected_version=1,
        today=TODAY,
        now=NOW,
        comment="Kontrollerad på plats",
    )
    note = events(session, asset)[-1]
    assert (note.action, note.comment, note.changes) == ("note", "Kontrollerad på plats", {})
    assert asset.version == 1


def test_when_the_history_cannot_be_written_the_change_is_not_saved_either(
    session: Session, ref: Reference, engine: Engine
) -> None:
    """A database that refuses the history row (here: a trigger) takes the change with it."""
    from sqlalchemy import text

    asset = make_asset(session, ref)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_event BEFORE INSERT ON asset_event "
                    "WHEN NEW.action = 'status' BEGIN SELECT RAISE(ABORT, 'history refused'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION refuse_event() RETURNS trigger AS $$ BEGIN "
                    "IF NEW.action = 'status' THEN RAISE EXCEPTION 'history refused'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_event BEFORE INSERT ON asset_event "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_event()"
                )
            )
    try:
        with pytest.raises(Exception, match="history refused"):
            svc.change_status(
                session, actor=ref.technician, asset=asset, target=Status.DEPLOYED, now=NOW
            )
        session.rollback()
        with Session(engine) as fresh:
            saved = fresh.get(Asset, asset.id)
            assert saved is not None and saved.status == "in_stock" and saved.version == 1
            assert count(fresh, AssetEvent) == 1
    finally:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "DROP TRIGGER refuse_event"
                    + (" ON asset_event" if engine.dialect.name != "sqlite" else "")
                )
            )
            if engine.dialect.name != "sqlite":
                conn.execute(text("DROP FUNCTION refuse_event()"))


def test_a_deadlock_between_two_saves_is_a_clear_conflict(
    engine: Engine, session: Session, ref: Reference
) -> None:
    """Two saves that each hold the asset the other wants: PostgreSQL cancels one, and its
    user gets the usual conflict message, not an error page. The other save goes through."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer at a time in: it cannot deadlock on rows")
    first, second = make_asset(session, ref), make_asset(session, ref)
    both_hold_one = threading.Barrier(2, timeout=10)
    outcome: dict[str, str] = {}

    def save(mine: int | None, theirs: int | None, name: str) -> None:
        with Session(engine, expire_on_commit=False) as s:
            held = s.get(Asset, mine)
            assert held is not None
            held.holder = name
            s.flush()  # its row is now locked until the commit
            both_hold_one.wait()
            wanted = s.get(Asset, theirs)
            assert wanted is not None
            wanted.holder = name
            try:
                svc.commit_change(s)
                outcome[name] = "saved"
            except Conflict:
                outcome[name] = "conflict"

    threads = [
        threading.Thread(target=save, args=(first.id, second.id, "Anna")),
        threading.Thread(target=save, args=(second.id, first.id, "Bo")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcome.values()) == ["conflict", "saved"]
    session.expire_all()
    [winner] = [name for name, result in outcome.items() if result == "saved"]
    assert {session.get(Asset, a.id).holder for a in (first, second)} == {winner}  # type: ignore[union-attr]


def test_a_change_of_more_assets_than_sqlite_binds_at_once_still_commits(
    session: Session, ref: Reference
) -> None:
    """A handover or a split changes tens of thousands of assets in one transaction: the
    flags of all of them are refreshed, past the limits on bound parameters (SQLite builds: 32 766 or more; PostgreSQL: 65 535)."""
    from inventory.services.assets import _STAGED, committing

    asset = make_asset(session, ref, purchase_date=dt.date(2019, 1, 1))  # overdue
    session.info[_STAGED] = set(range(1_000_000, 1_070_000)) | {asset.id}
    with committing(session, today=TODAY):
        pass
    flagged = session.exec(select(AssetFlag).where(AssetFlag.asset_id == asset.id)).all()
    assert "overdue" in {f.flag for f in flagged}


def test_a_save_while_the_flag_job_rewrites_the_flags_succeeds_with_its_own_flags(
    engine: Engine, session: Session, ref: Reference
) -> None:
    """PostgreSQL: the nightly job deletes every flag and writes them anew in one transaction;
    saves of assets in the middle wait for it, then must neither fail on the flags' key (it
    said "Another asset already has this tag", seen in bench/soak.py) nor keep the job's
    flags of an asset as it was before the save."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's writers take turns: the job and a save cannot interleave")
    moved = make_asset(session, ref, purchase_date=dt.date(2019, 1, 1))  # overdue, then not
    noted = make_asset(session, ref, purchase_date=dt.date(2019, 1, 1))  # overdue, stays so
    flags.recompute(session, today=TODAY)
    job = Session(engine)
    job.execute(delete(AssetFlag))  # the job's first step: the saves now wait on its rows
    outcome: dict[str, object] = {}

    def save(asset_id: int | None, **changes: object) -> None:
        with Session(engine, expire_on_commit=False) as other:
            asset = other.get(Asset, asset_id)
            assert asset is not None
            data = replace(svc.input_of(asset), **changes)
            try:
                svc.update_asset(other, actor=ref.technician, asset=asset, data=data,
                                 expected_version=asset.version, today=TODAY, now=NOW)  # fmt: skip
                outcome[asset.tag] = "saved"
            except Exception as exc:  # noqa: BLE001 - the failure is the finding
                outcome[asset.tag] = exc

    threads = [
        threading.Thread(
            target=save, args=(moved.id,), kwargs={"purchase_date": dt.date(2026, 1, 1)}
        ),
        threading.Thread(target=save, args=(noted.id,), kwargs={"notes": "Ny laddare"}),
    ]
    for thread in threads:
        thread.start()
    threads[0].join(timeout=1)
    assert all(t.is_alive() for t in threads), "the saves should wait for the job"
    flags._store(job, job.execute(flags._terms_query()).all(), today=TODAY)  # as they were
    job.commit()
    job.close()
    for thread in threads:
        thread.join(timeout=20)
    assert outcome == {moved.tag: "saved", noted.tag: "saved"}
    session.expire_all()

    def stored(asset: Asset) -> list[str]:
        return list(session.exec(select(AssetFlag.flag).where(AssetFlag.asset_id == asset.id)))

    assert "overdue" not in stored(moved)  # the save's own flags: bought in 2026
    assert stored(noted).count("overdue") == 1
