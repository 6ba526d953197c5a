"""The asset page's one query gives what the separate reads give, and keeps the scope."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from inventory.domain.errors import NotFound
from inventory.domain.statuses import Status
from inventory.models import AssetEvent, User
from inventory.services import assets as asset_service
from inventory.services import catalog
from inventory.services.assets import HistoryEntry

from ..factories import NOW, Reference, edit_asset, make_asset


def test_the_asset_page_query_agrees_with_the_separate_reads(
    session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    asset_service.change_status(
        session, actor=ref.technician, asset=asset, target=Status.DEPLOYED, now=NOW
    )
    edit_asset(session, ref, asset, holder="Bo Berg", in_service_date=asset.in_service_date)
    shown, details, history = catalog.read_asset_page(session, actor=ref.viewer, tag=asset.tag)
    separate, separate_details, aliases, _ = catalog.read_asset_for_api(
        session, actor=ref.viewer, tag=asset.tag
    )
    assert details == separate_details and aliases == []
    assert (shown.tag, shown.holder, shown.status, shown.version) == (
        separate.tag,
        "Bo Berg",
        "deployed",
        separate.version,
    )
    events = session.exec(
        select(AssetEvent, User.email)
        .join(User, AssetEvent.actor_id == User.id, isouter=True)  # type: ignore[arg-type]
        .where(AssetEvent.asset_id == asset.id)
        .order_by(AssetEvent.at.desc(), AssetEvent.id.desc())  # type: ignore[attr-defined, union-attr]
    ).all()
    expected = [HistoryEntry(e.at, e.action, email, e.changes, e.comment) for e, email in events]
    assert history == expected and [e.action for e in history] == ["edit", "status", "create"]


def test_the_asset_page_query_keeps_other_owners_assets_hidden(
    session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, owner_id=ref.borgholm.id)
    with pytest.raises(NotFound):
        catalog.read_asset_page(session, actor=ref.viewer_morbylanga, tag=asset.tag)
    with pytest.raises(NotFound):
        catalog.read_asset_page(session, actor=ref.viewer, tag="IT-999999")
