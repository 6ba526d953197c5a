"""A model's category is its assets' category: changing it moves them, with history, in one
transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, col, select

from inventory.domain.errors import ValidationFailed
from inventory.imports.end_of_support_csv import SupportEnd
from inventory.models import Asset, AssetEvent, AssetFlag, Category, Model
from inventory.services import asset_list, flags, reference
from inventory.services.asset_list import AssetFilter

from ..factories import NOW, TODAY, Reference, make_asset


def _save(session: Session, ref: Reference, model: Model, maker: str, category_id: int) -> None:
    reference.save_model(
        session,
        actor=ref.admin,
        model=model,
        manufacturer=maker,
        name="iPhone 15",
        category_id=category_id,
        standard_price_ore=None,
        end_of_support=None,
        carbon_kg=None,
        now=NOW,
    )


def stored_flags(session: Session) -> set[tuple[int, str, int, dt.date]]:
    session.expire_all()
    return {
        (f.asset_id, f.flag, f.category_id, f.due_date) for f in session.exec(select(AssetFlag))
    }


def assert_flags_fresh(session: Session) -> None:
    """The stored flags are those a full run of the flag job computes now."""
    stored = stored_flags(session)
    flags.recompute(session, today=TODAY)
    assert stored_flags(session) == stored


def _count(session: Session, ref: Reference, category: str) -> int:
    flt = AssetFilter(category=category)
    return asset_list.list_assets(session, actor=ref.viewer, flt=flt).total


def test_changing_a_models_category_moves_its_assets_with_history(
    session: Session, ref: Reference
) -> None:
    old = dt.date(2021, 3, 1)  # overdue in both categories: the stored flags must follow
    phones = [make_asset(session, ref, model_id=ref.iphone.id, purchase_date=old) for _ in range(2)]
    laptop = make_asset(session, ref)
    versions = {a.id: a.version for a in phones}
    tablet = Category(slug="tablet", name="Surfplattor", depreciation_months=36,
                      target_lifespan_months=48)  # fmt: skip
    session.add(tablet)
    session.commit()
    _save(session, ref, ref.iphone, "Apple", tablet.id)  # type: ignore[arg-type]
    session.expire_all()
    for asset in phones:
        moved = session.get(Asset, asset.id)
        assert moved is not None
        assert (moved.category_id, moved.version) == (tablet.id, versions[asset.id] + 1)
        last = session.exec(
            select(AssetEvent).where(AssetEvent.asset_id == asset.id).order_by(AssetEvent.id.desc())  # type: ignore[union-attr]
        ).first()
        assert last is not None and last.action == "edit" and last.actor_id == ref.admin.id
        assert last.changes == {"category_id": [ref.phone.id, tablet.id]}
    assert session.get(Asset, laptop.id).category_id == ref.pc.id  # type: ignore[union-attr]
    assert (_count(session, ref, "tablet"), _count(session, ref, "phone")) == (2, 0)
    # The stored flags follow: those of the moved phones carry the new category.
    moved_flags = session.exec(
        select(AssetFlag).where(col(AssetFlag.asset_id).in_([a.id for a in phones]))
    ).all()
    assert moved_flags and {f.category_id for f in moved_flags} == {tablet.id}
    assert_flags_fresh(session)


def test_a_refused_model_change_moves_no_asset(session: Session, ref: Reference) -> None:
    laptop = make_asset(session, ref)
    events = len(session.exec(select(AssetEvent)).all())
    with pytest.raises(ValidationFailed):
        # Apple already has an "iPhone 15": the change is refused at commit.
        _save(session, ref, ref.latitude, "Apple", ref.phone.id)  # type: ignore[arg-type]
    session.expire_all()
    assert session.get(Asset, laptop.id).category_id == ref.pc.id  # type: ignore[union-attr]
    assert len(session.exec(select(AssetEvent)).all()) == events
    assert (_count(session, ref, "pc"), _count(session, ref, "phone")) == (1, 0)


def test_a_shorter_lifespan_flags_the_category_at_once(session: Session, ref: Reference) -> None:
    """The dashboard reads the stored flags: a category's new lifespan shows at once, not
    after the nightly job (issue 10)."""
    laptop = make_asset(session, ref, purchase_date=dt.date(2023, 1, 10))
    other = make_asset(session, ref, model_id=ref.iphone.id, purchase_date=dt.date(2023, 1, 10))
    assert not {f for f in stored_flags(session) if f[1] == "overdue"}
    reference.update_category(
        session, actor=ref.admin, category=ref.pc, name=ref.pc.name, depreciation_months=12,
        target_lifespan_months=24, today=TODAY,
    )  # fmt: skip
    overdue = {f[0] for f in stored_flags(session) if f[1] == "overdue"}
    assert overdue == {laptop.id}  # the phone's category did not change
    assert other.id not in overdue
    assert_flags_fresh(session)


def test_a_models_end_of_support_flags_its_assets_at_once(session: Session, ref: Reference) -> None:
    laptop = make_asset(session, ref)
    reference.save_model(
        session, actor=ref.admin, model=ref.latitude, manufacturer="Dell", name=ref.latitude.name,
        category_id=ref.pc.id, standard_price_ore=None, end_of_support=TODAY - dt.timedelta(days=1),
        carbon_kg=None, now=NOW, today=TODAY,
    )  # fmt: skip
    assert (laptop.id, "end_of_support") in {f[:2] for f in stored_flags(session)}
    assert_flags_fresh(session)


def test_loading_end_of_support_dates_flags_the_models_assets(
    session: Session, ref: Reference
) -> None:
    phone = make_asset(session, ref, model_id=ref.iphone.id)
    report = reference.apply_end_of_support(
        session,
        rows=[SupportEnd("Apple", "iPhone 15", TODAY - dt.timedelta(days=3), "test")],
        today=TODAY,
    )
    assert report.updated == 1
    assert (phone.id, "end_of_support") in {f[:2] for f in stored_flags(session)}
    assert_flags_fresh(session)
