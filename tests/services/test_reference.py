"""A model's category is its assets' category: changing it moves them, with history, in one
transaction."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from inventory.domain.errors import ValidationFailed
from inventory.models import Asset, AssetEvent, AssetFlag, Category, Model
from inventory.services import asset_list, reference
from inventory.services.asset_list import AssetFilter

from ..factories import NOW, Reference, make_asset


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


def _count(session: Session, ref: Reference, category: str) -> int:
    flt = AssetFilter(category=category)
    return asset_list.list_assets(session, actor=ref.viewer, flt=flt).total


def test_changing_a_models_category_moves_its_assets_with_history(
    session: Session, ref: Reference
) -> None:
    phones = [make_asset(session, ref, model_id=ref.iphone.id) for _ in range(2)]
    laptop = make_asset(session, ref)
    versions = {a.id: a.version for a in phones}
    tablet = Category(slug="tablet", name="Surfplattor", depreciation_months=36,
                      target_lifespan_months=48)  # fmt: skip
    session.add(tablet)
    session.add(
        AssetFlag(flag="overdue", asset_id=phones[0].id, category_id=ref.phone.id,
                  owner_id=phones[0].owner_id, due_date=NOW.date(), computed_on=NOW.date())
    )  # fmt: skip
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
    [flag] = session.exec(select(AssetFlag)).all()
    assert flag.category_id == tablet.id  # the stored flag moved along


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
