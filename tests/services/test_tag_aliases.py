"""A corrected tag's old labels keep working: the old tag becomes an alias of the asset."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from inventory.domain.errors import Conflict, NotFound, ValidationFailed
from inventory.models import Asset, AssetEvent, AssetTagAlias, User
from inventory.services import assets as svc
from inventory.services import stocktakes, tag_aliases

from ..factories import NOW, TODAY, Reference, asset_input, make_asset

BASE = "http://127.0.0.1:8000"


def rename(session: Session, ref: Reference, asset: Asset, tag: str, **kw: object) -> Asset:
    """Save the asset with only its tag changed, as a technician does."""
    current = session.get(Asset, asset.id)
    assert current is not None
    data = replace(
        asset_input(ref),
        tag=tag,
        serial=current.serial,
        owner_id=current.owner_id,
        location_id=current.location_id,
        holder=current.holder,
        price_ore=current.price_ore,
        purchase_date=current.purchase_date,
    )
    return svc.update_asset(
        session,
        actor=kw.get("actor", ref.technician),  # type: ignore[arg-type]
        asset=current,
        data=data,
        expected_version=kw.get("version", current.version),  # type: ignore[arg-type]
        today=TODAY,
        now=NOW,
    )


def aliases(session: Session) -> set[tuple[str, int]]:
    return {(a.tag, a.asset_id) for a in session.exec(select(AssetTagAlias)).all()}


def test_a_renamed_assets_old_tag_becomes_its_alias(session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref, tag="IT-OLD-1")
    rename(session, ref, asset, "it-new-1")
    assert aliases(session) == {("IT-OLD-1", asset.id)}
    edit = session.exec(select(AssetEvent).where(AssetEvent.action == "edit")).one()
    assert edit.changes["tag"] == ["IT-OLD-1", "IT-NEW-1"]


def test_an_asset_is_found_by_its_earlier_tag(session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref, tag="IT-OLD-1")
    rename(session, ref, asset, "IT-NEW-1")
    found = svc.get_asset(session, actor=ref.viewer, tag="it-old-1")
    assert (found.id, found.tag) == (asset.id, "IT-NEW-1")
    assert tag_aliases.tag_for_alias(session, "IT-OLD-1") == "IT-NEW-1"


def _not_found_message(session: Session, actor: User, tag: str) -> str:
    with pytest.raises(NotFound) as err:
        svc.get_asset(session, actor=actor, tag=tag)
    return str(err.value)


def test_another_owners_earlier_tag_answers_exactly_like_a_missing_one(
    session: Session, ref: Reference
) -> None:
    theirs = make_asset(session, ref, tag="MO-OLD-1", owner_id=ref.morbylanga.id, location_id=None)
    rename(session, ref, theirs, "MO-NEW-1")
    scoped = ref.tech_borgholm
    assert _not_found_message(session, scoped, "MO-OLD-1") == "No asset has the tag MO-OLD-1."
    assert _not_found_message(session, scoped, "XX-NONE-1") == "No asset has the tag XX-NONE-1."
    assert tag_aliases.current_tag(session, actor=scoped, tag="MO-OLD-1") is None
    assert tag_aliases.current_tag(session, actor=ref.viewer, tag="MO-OLD-1") == "MO-NEW-1"


def test_renaming_back_to_an_earlier_tag_removes_that_alias(
    session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, tag="IT-A-1")
    rename(session, ref, asset, "IT-B-1")
    rename(session, ref, asset, "IT-A-1")
    assert aliases(session) == {("IT-B-1", asset.id)}
    assert svc.get_asset(session, actor=ref.viewer, tag="IT-B-1").tag == "IT-A-1"


def test_a_second_rename_keeps_every_earlier_tag(session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref, tag="IT-A-1")
    rename(session, ref, asset, "IT-B-1")
    rename(session, ref, asset, "IT-C-1")
    assert tag_aliases.aliases_of(session, asset.id) == ["IT-A-1", "IT-B-1"]  # type: ignore[arg-type]
    for old in ("IT-A-1", "IT-B-1"):
        assert svc.get_asset(session, actor=ref.viewer, tag=old).tag == "IT-C-1"


def test_a_tag_that_is_another_assets_earlier_tag_is_refused(
    session: Session, ref: Reference
) -> None:
    first = make_asset(session, ref, tag="IT-OLD-1")
    rename(session, ref, first, "IT-NEW-1")
    other = make_asset(session, ref, tag="IT-OTHER-1")
    with pytest.raises(ValidationFailed) as err:
        rename(session, ref, other, "IT-OLD-1")
    assert err.value.errors["tag"] == tag_aliases.TAKEN_BY_ALIAS
    assert session.get(Asset, other.id).tag == "IT-OTHER-1"  # type: ignore[union-attr]
    assert aliases(session) == {("IT-OLD-1", first.id)}


def test_a_tag_that_is_another_assets_tag_is_still_refused(
    session: Session, ref: Reference
) -> None:
    make_asset(session, ref, tag="IT-TAKEN-1")
    other = make_asset(session, ref, tag="IT-OTHER-1")
    with pytest.raises(ValidationFailed) as err:
        rename(session, ref, other, "IT-TAKEN-1")
    assert err.value.errors["tag"] == "Another asset already has this tag."
    assert aliases(session) == set()


def test_registering_an_asset_under_another_assets_earlier_tag_is_refused(
    session: Session, ref: Reference
) -> None:
    first = make_asset(session, ref, tag="IT-OLD-1")
    rename(session, ref, first, "IT-NEW-1")
    with pytest.raises(ValidationFailed) as err:
        make_asset(session, ref, tag="IT-OLD-1")
    assert err.value.errors["tag"] == tag_aliases.TAKEN_BY_ALIAS
    assert session.exec(select(Asset).where(Asset.tag == "IT-OLD-1")).first() is None


def test_a_rename_that_loses_a_race_is_a_conflict_and_leaves_no_alias(
    engine: Engine, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, tag="IT-OLD-1")
    stale = session.get(Asset, asset.id)
    assert stale is not None
    with Session(engine) as other:  # someone else saves first
        other.execute(update(Asset).where(col(Asset.id) == asset.id).values(version=99))
        other.commit()
    data = replace(asset_input(ref), tag="IT-NEW-1", serial=stale.serial)
    with pytest.raises(Conflict):
        svc.update_asset(
            session,
            actor=ref.technician,
            asset=stale,
            data=data,
            expected_version=stale.version,
            today=TODAY,
            now=NOW,
        )
    assert aliases(session) == set()
    assert session.exec(select(Asset.tag).where(Asset.id == asset.id)).one() == "IT-OLD-1"


def test_an_edit_that_keeps_the_tag_makes_no_alias(session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref, tag="IT-SAME-1")
    rename(session, ref, asset, "it-same-1")  # the same tag, typed in lower case
    assert aliases(session) == set()


def test_a_stocktake_counts_an_old_label_as_the_asset_found(
    session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, tag="IT-OLD-1", location_id=ref.school.id)
    rename(session, ref, asset, "IT-NEW-1")
    take = stocktakes.start(session, actor=ref.technician, now=NOW, location_id=ref.school.id)
    scanned = stocktakes.record_scan(
        session,
        actor=ref.technician,
        stocktake=take,
        code=f"{BASE}/a/IT-OLD-1",
        base_url=BASE,
        now=NOW,
    )
    assert (scanned.kind, scanned.code) == ("found", "IT-NEW-1")
    # Its new label as well: the same asset, counted once.
    again = stocktakes.record_scan(
        session, actor=ref.technician, stocktake=take, code="IT-NEW-1", base_url=BASE, now=NOW
    )
    assert again.kind == "repeat"
    stocktakes.close(session, actor=ref.technician, stocktake=take, today=TODAY, now=NOW)
    result = stocktakes.result(session, stocktake=take)
    assert [line.tag for line in result.lines["found"]] == ["IT-NEW-1"]
    assert result.unknown == [] and result.lines["missing"] == []


def test_a_scan_before_and_after_a_rename_counts_the_asset_once(
    session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, tag="IT-OLD-1", location_id=ref.school.id)
    take = stocktakes.start(session, actor=ref.technician, now=NOW, location_id=ref.school.id)
    first = stocktakes.record_scan(
        session, actor=ref.technician, stocktake=take, code="IT-OLD-1", base_url=BASE, now=NOW
    )
    rename(session, ref, asset, "IT-NEW-1")
    second = stocktakes.record_scan(
        session, actor=ref.technician, stocktake=take, code="IT-NEW-1", base_url=BASE, now=NOW
    )
    assert (first.kind, second.kind) == ("found", "repeat")
    stocktakes.close(session, actor=ref.technician, stocktake=take, today=TODAY, now=NOW)
    assert len(stocktakes.result(session, stocktake=take).lines["found"]) == 1


def test_a_stocktake_of_another_scope_does_not_count_an_old_label_of_its_asset(
    session: Session, ref: Reference
) -> None:
    theirs = make_asset(session, ref, tag="MO-OLD-1", owner_id=ref.morbylanga.id, location_id=None)
    rename(session, ref, theirs, "MO-NEW-1")
    take = stocktakes.start(session, actor=ref.tech_borgholm, now=NOW, location_id=ref.school.id)
    scanned = stocktakes.record_scan(
        session, actor=ref.tech_borgholm, stocktake=take, code="MO-OLD-1", base_url=BASE, now=NOW
    )
    assert (scanned.kind, scanned.code) == ("unknown", "MO-OLD-1")


def test_the_api_read_gives_earlier_tags_oldest_first_in_its_one_query(
    session: Session, ref: Reference
) -> None:
    from inventory.services import catalog

    asset = make_asset(session, ref, tag="IT-A-1")
    rename(session, ref, asset, "IT-B-1")
    rename(session, ref, asset, "IT-C-1")
    for typed in ("IT-C-1", "IT-A-1"):
        found, details, earlier, _ = catalog.read_asset_for_api(
            session, actor=ref.viewer, tag=typed
        )
        assert (found.tag, details.owner_slug, earlier) == (
            "IT-C-1",
            "borgholm",
            ["IT-A-1", "IT-B-1"],
        )


def test_searching_the_list_for_an_earlier_tag_finds_the_asset(
    session: Session, ref: Reference
) -> None:
    """A label printed before the correction is still what people type into search."""
    from inventory.services import asset_list
    from inventory.services.asset_list import AssetFilter

    asset = make_asset(session, ref, tag="IT-OLD-77")
    other = make_asset(session, ref, tag="IT-OTHER-78")
    rename(session, ref, asset, "IT-NEW-77")
    for q in ("IT-OLD-77", "old-77"):
        found = asset_list.list_assets(session, actor=ref.viewer, flt=AssetFilter(q=q))
        assert [row.tag for row in found.items] == ["IT-NEW-77"], q
    # Another owner's asset is not found by its old tag by a user scoped elsewhere.
    scoped = User(email="v@m.se", password_hash="x", role="viewer", owner_id=ref.morbylanga.id)
    session.add(scoped)
    session.commit()
    hidden = asset_list.list_assets(session, actor=scoped, flt=AssetFilter(q="IT-OLD-77"))
    assert hidden.items == [] and other.tag != "IT-NEW-77"
