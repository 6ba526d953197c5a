"""Scanning and the one-tap actions a technician takes on a phone."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlmodel import Session, select

from inventory.models import Asset, AssetEvent

from ..conftest import login
from ..factories import Reference, make_asset

BASE = "http://127.0.0.1:8000"


def test_a_scanned_label_url_or_typed_tag_opens_the_asset(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    login(client, ref.viewer.email)
    for code in (f"{BASE}/a/{asset.tag}", asset.tag.lower(), f" {asset.tag}\n"):
        response = client.get("/scan", query_string={"code": code})
        assert (
            response.status_code == 302
            and response.headers["Location"] == f"/assets/{asset.tag}?scanned=1"
        )


def test_bad_scans_get_a_clear_message(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    theirs = make_asset(session, ref, owner_id=ref.morbylanga.id)
    login(client, ref.tech_borgholm.email)
    for code, status, text in [
        ("https://evil.example/a/IT-000001", 422, "inte en av våra"),
        ("WIFI:S:skolan;;", 422, "varken"),
        ("", 422, "Skanna"),
        ("x" * 301, 422, "för lång"),
        ("IT-999999", 404, "IT-999999"),
        (theirs.tag, 404, theirs.tag),
    ]:
        response = client.get("/scan", query_string={"code": code})
        html = response.get_data(as_text=True)
        assert response.status_code == status, code
        assert "alert-danger" in html and text in html, code


def post_action(client: FlaskClient, asset: Asset, action: str, **data: str) -> int:
    version = str(asset.version)
    return client.post(
        f"/assets/{asset.tag}/do/{action}", data={"version": version, **data}
    ).status_code


def test_each_action_writes_its_event(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, holder=None)
    login(client, ref.technician.email)
    steps = [
        ("hand_out", {"holder": "Karin Karlsson", "business_unit_id": str(ref.unit_borgholm.id)}),
        ("seen", {}),
        ("move", {"location_id": str(ref.server_hall.id)}),
        ("report_fault", {"comment": "Skärmen flimrar"}),
        ("note", {"comment": "Väntar på reservdel"}),
    ]
    for action, data in steps:
        session.expire_all()
        current = session.get(Asset, asset.id)
        assert current is not None
        assert post_action(client, current, action, **data) == 302, action
    session.expire_all()
    saved = session.get(Asset, asset.id)
    assert saved is not None
    assert (saved.status, saved.holder, saved.location_id) == (
        "in_repair",
        "Karin Karlsson",
        ref.server_hall.id,
    )
    actions = [
        e.action
        for e in session.exec(
            select(AssetEvent).where(AssetEvent.asset_id == asset.id).order_by(AssetEvent.id)
        )
    ]
    assert actions == ["create", "hand_out", "seen", "move", "report_fault", "note"]


def test_take_back_clears_the_holder(client: FlaskClient, session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref)
    login(client, ref.technician.email)
    assert post_action(client, asset, "hand_out", holder="Bo Berg") == 302
    session.expire_all()
    current = session.get(Asset, asset.id)
    assert current is not None and post_action(client, current, "take_back") == 302
    session.expire_all()
    assert session.get(Asset, asset.id).holder is None  # type: ignore[union-attr]


def test_actions_refuse_what_they_cannot_do(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    login(client, ref.technician.email)
    assert post_action(client, asset, "take_back") == 422  # in stock: nothing to take back
    assert post_action(client, asset, "hand_out") == 422  # nobody named
    assert post_action(client, asset, "note") == 422  # nothing written
    assert client.get(f"/assets/{asset.tag}/do/explode").status_code == 404
    stale = client.post(
        f"/assets/{asset.tag}/do/seen", data={"version": "7"}, follow_redirects=True
    )
    assert "Någon annan" in stale.get_data(as_text=True)
    count = len(session.exec(select(AssetEvent).where(AssetEvent.asset_id == asset.id)).all())
    assert count == 1


def test_viewers_see_no_actions(client: FlaskClient, session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref)
    login(client, ref.viewer.email)
    assert 'id="actions"' not in client.get(f"/assets/{asset.tag}").get_data(as_text=True)
    assert post_action(client, asset, "seen") == 403


def test_taking_back_asks_where_it_is_and_proposes_the_it_storage(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    from inventory.models import Location

    store = Location(
        site_id=ref.school.site_id, building="Hus A", room="IT-lager", is_it_storage=True
    )
    session.add(store)
    session.commit()
    asset = make_asset(session, ref, holder=None)
    login(client, ref.technician.email)
    assert post_action(client, asset, "hand_out", holder="Karin Karlsson") == 302
    session.refresh(asset)
    page = client.get(f"/assets/{asset.tag}/do/take_back").get_data(as_text=True)
    assert "Var finns den nu?" in page
    assert f'<option value="{store.id}" selected>' in page
    # The technician may say otherwise: the device stays in the classroom.
    assert post_action(client, asset, "take_back", location_id=str(ref.school.id)) == 302
    session.refresh(asset)
    assert asset.status == "returned" and asset.location_id == ref.school.id
    assert asset.holder is None


def test_after_a_refused_scan_the_field_is_empty_for_the_next_one(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.technician.email)
    html = client.get("/scan", query_string={"code": "IT-404404"}).get_data(as_text=True)
    field = html[html.index('id="code"') :]
    assert 'value=""' in field[: field.index(">")] and "autofocus" in field[: field.index(">")]
    assert "IT-404404" in html  # named in the message


def test_a_found_scan_opens_the_asset_with_the_next_scan_ready(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    login(client, ref.technician.email)
    page = client.get("/scan", query_string={"code": asset.tag}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert 'id="scan-next"' in html
    assert 'id="scan-next"' not in client.get(f"/assets/{asset.tag}").get_data(as_text=True)
