"""The asset page's one query gives what the separate reads give, and keeps the scope."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import Session

from inventory.domain.errors import NotFound
from inventory.domain.statuses import Status
from inventory.services import assets as asset_service
from inventory.services import catalog

from ..factories import NOW, TODAY, Reference, asset_input, make_asset


def test_the_asset_page_query_agrees_with_the_separate_reads(
    session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, holder="Anna Andersson")
    asset_service.change_status(
        session, actor=ref.technician, asset=asset, target=Status.DEPLOYED, now=NOW
    )
    data = replace(asset_input(ref), tag=asset.tag, serial=asset.serial, holder="Bo Berg")
    asset_service.update_asset(
        session,
        actor=ref.technician,
        asset=asset,
        data=data,
        expected_version=asset.version,
        today=TODAY,
        now=NOW,
    )
    shown, details, history = catalog.read_asset_page(session, actor=ref.viewer, tag=asset.tag)
    separate, separate_details = catalog.read_asset_with_details(
        session, actor=ref.viewer, tag=asset.tag
    )
    assert details == separate_details
    assert (shown.tag, shown.holder, shown.status, shown.version) == (
        separate.tag,
        "Bo Berg",
        "deployed",
        separate.version,
    )
    expected = asset_service.history(session, actor=ref.viewer, asset=separate)
    assert history == expected and [e.action for e in history] == ["edit", "status", "create"]


def test_the_asset_page_query_keeps_other_owners_assets_hidden(
    session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, owner_id=ref.borgholm.id)
    with pytest.raises(NotFound):
        catalog.read_asset_page(session, actor=ref.viewer_morbylanga, tag=asset.tag)
    with pytest.raises(NotFound):
        catalog.read_asset_page(session, actor=ref.viewer, tag="IT-999999")
