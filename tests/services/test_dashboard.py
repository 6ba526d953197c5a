"""The dashboard's counts equal the assets counted one by one, per scope."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import update
from sqlmodel import Session, select

from inventory.domain.statuses import Status
from inventory.models import Asset
from inventory.services.dashboard import dashboard

from ..factories import TODAY, Reference, make_asset


def test_status_and_reuse_pool_counts_match_the_assets(session: Session, ref: Reference) -> None:
    statuses = [Status.IN_STOCK, Status.DEPLOYED, Status.REUSE_POOL, Status.DISPOSED]
    for n in range(24):
        asset = make_asset(
            session,
            ref,
            owner_id=ref.borgholm.id if n % 3 else ref.morbylanga.id,
            model_id=ref.latitude.id if n % 2 else ref.iphone.id,
        )
        stmt = update(Asset).where(Asset.id == asset.id)  # type: ignore[arg-type]
        session.execute(stmt.values(status=statuses[n % 4].value))
    session.commit()
    assets = session.exec(select(Asset)).all()
    for actor in (ref.viewer, ref.viewer_morbylanga):
        mine = [a for a in assets if actor.owner_id in (None, a.owner_id)]
        figures = dashboard(session, actor=actor, today=TODAY)
        assert figures.by_status == Counter(Status(a.status) for a in mine)
        pool = Counter((a.category_id, a.owner_id) for a in mine if a.status == "reuse_pool")
        assert figures.reuse_pool == pool
