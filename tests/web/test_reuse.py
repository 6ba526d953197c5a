"""The reuse routine end to end: take back, assess, pool, hand out again — one history, one
age — and no way out of the register without a recorded wipe (and a reason when young)."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlmodel import Session, select

from inventory.models import Asset, AssetEvent

from ..conftest import login
from ..factories import Reference, make_asset


def current(session: Session, asset: Asset) -> Asset:
    session.expire_all()
    found = session.get(Asset, asset.id)
    assert found is not None
    return found


def act(client: FlaskClient, asset: Asset, action: str, **data: str) -> int:
    return client.post(
        f"/assets/{asset.tag}/do/{action}", data={"version": str(asset.version), **data}
    ).status_code


def assess(client: FlaskClient, asset: Asset, **data: str) -> tuple[int, str]:
    response = client.post(
        f"/assets/{asset.tag}/assess",
        data={"version": str(asset.version), **data},
        follow_redirects=False,
    )
    return response.status_code, response.get_data(as_text=True)


WIPE = {
    "wiped": "y",
    "wipe_method": "Blancco",
    # The day of the take-back (the tests' TODAY): a wipe counts only after the return.
    "wiped_on": "2026-11-23",
    "wiped_by": "Tekniker Tina",
}


def test_taken_back_assessed_pooled_and_handed_out_again(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, purchase_date=dt.date(2023, 8, 15), holder=None)
    login(client, ref.technician.email)
    assert act(client, current(session, asset), "hand_out", holder="Elev 4B") == 302
    assert act(client, current(session, asset), "take_back") == 302
    assert "Bedöm och besluta" in client.get(f"/assets/{asset.tag}").get_data(as_text=True)

    status, page = assess(
        client,
        current(session, asset),
        grade="B",
        decision="reuse_pool",
        battery_health="87",
        **WIPE,
    )
    assert status == 302, page[:500]
    assert current(session, asset).status == "reuse_pool"
    assert asset.tag in client.get("/reuse").get_data(as_text=True)

    assert act(client, current(session, asset), "hand_out", holder="Elev 5A") == 302
    again = current(session, asset)
    assert (again.status, again.holder, again.purchase_date) == (
        "deployed",
        "Elev 5A",
        dt.date(2023, 8, 15),
    )
    actions = [
        e.action
        for e in session.exec(
            select(AssetEvent).where(AssetEvent.asset_id == asset.id).order_by(AssetEvent.id)
        )
    ]
    assert actions == ["create", "hand_out", "take_back", "assessment", "hand_out"]


def test_no_way_out_without_a_wipe_and_a_reason_when_young(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, purchase_date=dt.date(2024, 8, 15), holder=None)
    login(client, ref.technician.email)
    act(client, current(session, asset), "hand_out", holder="Anna")
    act(client, current(session, asset), "take_back")
    status, page = assess(
        client,
        current(session, asset),
        grade="C",
        decision="recycle",
        recycler="Stena",
        certificate="C-1",
    )
    assert status == 422 and "raderats" in page  # no wipe recorded
    status, page = assess(client, current(session, asset), grade="C", decision="sell", **WIPE)
    assert status == 422 and "yngre än sin mållivslängd" in page  # young, no reason
    status, page = assess(client, current(session, asset), grade="C", decision="recycle", **WIPE)
    assert status == 422 and "certifikat" in page
    assert current(session, asset).status == "returned"
    # The plain status form holds to the same rules.
    refused = client.post(
        f"/assets/{asset.tag}/status",
        data={
            "target": "disposed",
            "disposal_kind": "recycled",
            "version": str(current(session, asset).version),
            "confirmed": "1",
        },
        follow_redirects=True,
    )
    assert "raderats" in refused.get_data(as_text=True)
    assert current(session, asset).status == "returned"
    status, _ = assess(
        client,
        current(session, asset),
        grade="C",
        decision="recycle",
        recycler="Stena Recycling",
        certificate="SR-2026-114",
        reason="Moderkortet trasigt",
        **WIPE,
    )
    assert status == 302
    gone = current(session, asset)
    assert (gone.status, gone.disposal_kind) == ("disposed", "recycled")


def test_a_device_still_with_its_user_is_not_assessed(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, holder=None)
    login(client, ref.technician.email)
    assert act(client, current(session, asset), "hand_out", holder="Elev 4B") == 302
    status, page = assess(client, current(session, asset), grade="A", decision="reuse_pool", **WIPE)
    assert status == 422 and "ta tillbaka den först" in page
    assert current(session, asset).status == "deployed"


def test_the_asset_page_tells_its_life(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, holder=None)
    login(client, ref.technician.email)
    act(client, current(session, asset), "hand_out", holder="Anna Andersson")
    act(client, current(session, asset), "take_back")
    assess(client, current(session, asset), grade="A", decision="reuse_pool", **WIPE)
    act(client, current(session, asset), "hand_out", holder="Bo Berg")
    page = client.get(f"/assets/{asset.tag}").get_data(as_text=True)
    life = page.split('id="life"')[1].split("</ul>")[0]
    assert "Anna Andersson" in life and "Bo Berg" in life and "Återbrukad 1 gång" in life
