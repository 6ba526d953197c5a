"""Old labels after a tag correction, through the pages a person uses: the public found-device
page, /a/<tag> logged in, the scan page, stocktakes, the asset page, the API and the edit form."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlmodel import Session, select

from inventory.models import Asset, AssetEvent, AssetTagAlias

from ..conftest import login
from ..factories import Reference, make_asset
from .test_asset_forms import form_data

BASE = "http://127.0.0.1:8000"


def edit_form(ref: Reference, asset: Asset, **overrides: Any) -> dict[str, Any]:
    """The edit form as the page fills it for `asset`, with `overrides` typed over it."""
    values: dict[str, Any] = {
        "tag": asset.tag,
        "serial": asset.serial,
        "owner_id": asset.owner_id,
        "location_id": asset.location_id or "",
        "holder": asset.holder or "",
        "purchase_date": asset.purchase_date.isoformat(),
        "price": "12 490",
        "warranty_end": "",
        "version": str(asset.version),
    }
    return form_data(ref, **{**values, **overrides})


def renamed(
    client: FlaskClient, session: Session, ref: Reference, new: str = "IT-NEW-1", **kw: Any
) -> Asset:
    """An asset registered as IT-OLD-1 whose tag a technician corrected to `new`."""
    asset = make_asset(session, ref, tag="IT-OLD-1", holder="Greta Hemlig", **kw)
    login(client, ref.technician.email)
    response = client.post("/assets/IT-OLD-1/edit", data=edit_form(ref, asset, tag=new))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    client.get(response.headers["Location"])  # shows (and so clears) the saved messages
    client.post("/logout")
    session.expire_all()
    found = session.get(Asset, asset.id)
    assert found is not None and found.tag == new
    return found


def test_the_old_label_opens_the_public_page_with_the_owner_and_nothing_personal(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    renamed(client, session, ref)
    response = client.get("/a/IT-OLD-1")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "IT-OLD-1" in html and "Borgholms kommun" in html
    for secret in ("Greta", "Hemlig", "Slottsskolan", "A12", "Latitude", "IT-NEW-1"):
        assert secret not in html, secret


def test_an_unknown_tag_on_the_public_page_is_still_not_found(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    renamed(client, session, ref)
    assert client.get("/a/IT-NONE-1").status_code == 404


def test_the_old_label_logged_in_leads_to_the_assets_current_page(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    renamed(client, session, ref)
    login(client, ref.viewer.email)
    response = client.get("/a/IT-OLD-1", follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path == "/assets/IT-NEW-1"


def test_the_asset_page_under_an_old_tag_redirects_to_the_current_tag(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    renamed(client, session, ref)
    login(client, ref.viewer.email)
    for typed in ("IT-OLD-1", "it-old-1"):
        response = client.get(f"/assets/{typed}")
        assert response.status_code == 302, typed
        assert response.headers["Location"] == "/assets/IT-NEW-1"


def test_scanning_the_old_label_opens_the_asset(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    renamed(client, session, ref)
    login(client, ref.technician.email)
    for code in (f"{BASE}/a/IT-OLD-1", "it-old-1\n"):
        response = client.get("/scan", query_string={"code": code})
        assert response.status_code == 302, code
        assert response.headers["Location"] == "/assets/IT-NEW-1?scanned=1"


def test_a_stocktake_finds_the_asset_by_its_old_label(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    renamed(client, session, ref, location_id=ref.school.id)
    login(client, ref.technician.email)
    start = client.post("/stocktakes/", data={"location_id": str(ref.school.id)})
    url = start.headers["Location"]
    page = client.post(f"{url}/scan", data={"code": f"{BASE}/a/IT-OLD-1"}, follow_redirects=True)
    assert "hittad" in page.get_data(as_text=True)
    again = client.post(f"{url}/scan", data={"code": "IT-NEW-1"}, follow_redirects=True)
    assert "redan skannad" in again.get_data(as_text=True)
    result = client.post(f"{url}/close", follow_redirects=True).get_data(as_text=True)
    counts = dict(re.findall(r'data-outcome="(\w+)">(\d+)<', result))
    assert counts == {"found": "1", "missing": "0", "misplaced": "0", "unknown": "0"}


def test_the_api_answers_the_old_tag_with_the_asset_and_its_aliases(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    renamed(client, session, ref)
    login(client, ref.viewer.email)
    body = client.get("/api/v1/assets/IT-OLD-1").get_json()
    assert body["tag"] == "IT-NEW-1" and body["aliases"] == ["IT-OLD-1"]
    assert client.get("/api/v1/assets/IT-NEW-1").get_json()["aliases"] == ["IT-OLD-1"]


def test_an_asset_never_renamed_has_no_aliases_in_the_api(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    login(client, ref.viewer.email)
    assert client.get(f"/api/v1/assets/{asset.tag}").get_json()["aliases"] == []


def test_another_owners_old_tag_answers_like_a_missing_tag_everywhere(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    renamed(client, session, ref, owner_id=ref.morbylanga.id, location_id=None)
    login(client, ref.tech_borgholm.email)
    old, missing = "IT-OLD-1", "IT-NONE-1"
    for path in ("/assets/{}", "/api/v1/assets/{}", "/assets/{}/edit", "/assets/{}/qr.svg"):
        got, expected = client.get(path.format(old)), client.get(path.format(missing))
        assert got.status_code == expected.status_code == 404, path
        assert got.get_data(as_text=True).replace(old, missing) == expected.get_data(
            as_text=True
        ), path
    scanned = client.get("/scan", query_string={"code": old})
    assert scanned.status_code == 404 and "IT-NEW-1" not in scanned.get_data(as_text=True)


def test_the_asset_page_lists_its_earlier_tags(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    renamed(client, session, ref)
    login(client, ref.viewer.email)
    html = client.get("/assets/IT-NEW-1").get_data(as_text=True)
    assert re.search(r'id="aliases">Tidigare inventarienummer: IT-OLD-1<', html)


def test_an_asset_page_without_a_rename_lists_no_earlier_tags(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    login(client, ref.viewer.email)
    assert 'id="aliases"' not in client.get(f"/assets/{asset.tag}").get_data(as_text=True)


def test_the_edit_form_warns_that_a_new_tag_needs_a_new_label(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    login(client, ref.technician.email)
    edit = client.get(f"/assets/{asset.tag}/edit").get_data(as_text=True)
    assert 'id="tag-relabel"' in edit and "behövs en ny etikett" in edit
    # Registering a new asset prints its first label: nothing to warn about.
    assert 'id="tag-relabel"' not in client.get("/assets/new").get_data(as_text=True)


def test_a_saved_tag_change_says_to_print_a_new_label_with_its_link(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, tag="IT-OLD-1")
    login(client, ref.technician.email)
    response = client.post(
        "/assets/IT-OLD-1/edit", data=edit_form(ref, asset, tag="IT-NEW-1"), follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "ändrades från IT-OLD-1 till IT-NEW-1" in html
    assert '<a href="/labels.pdf?tag=IT-NEW-1&amp;layout=roll-62x29">' in html
    assert client.get("/labels.pdf?tag=IT-NEW-1&layout=roll-62x29").status_code == 200


def test_an_edit_that_keeps_the_tag_says_nothing_about_labels(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    login(client, ref.technician.email)
    response = client.post(
        f"/assets/{asset.tag}/edit",
        data=edit_form(ref, asset, holder="Karin Karlsson"),
        follow_redirects=True,
    )
    assert "ny etikett" not in response.get_data(as_text=True).replace("behövs en ny etikett", "")


def test_the_edit_form_refuses_another_assets_earlier_tag_with_a_clear_message(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    renamed(client, session, ref)
    other = make_asset(session, ref, tag="IT-OTHER-1")
    login(client, ref.technician.email)
    response = client.post("/assets/IT-OTHER-1/edit", data=edit_form(ref, other, tag="IT-OLD-1"))
    assert response.status_code == 422
    assert "har tillhört en annan tillgång" in response.get_data(as_text=True)
    registering = client.post("/assets/new", data=form_data(ref, tag="IT-OLD-1"))
    assert registering.status_code == 422
    assert "har tillhört en annan tillgång" in registering.get_data(as_text=True)
    assert session.exec(select(AssetTagAlias.tag)).all() == ["IT-OLD-1"]


def test_renaming_back_through_the_form_takes_the_old_tag_back(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = renamed(client, session, ref)
    login(client, ref.technician.email)
    back = client.post("/assets/IT-NEW-1/edit", data=edit_form(ref, asset, tag="IT-OLD-1"))
    assert back.headers["Location"] == "/assets/IT-OLD-1"
    assert session.exec(select(AssetTagAlias.tag)).all() == ["IT-NEW-1"]
    assert client.get("/assets/IT-NEW-1").headers["Location"] == "/assets/IT-OLD-1"


def test_a_field_action_under_the_old_tag_acts_on_the_asset(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = renamed(client, session, ref)
    login(client, ref.technician.email)
    page = client.get("/assets/IT-OLD-1/do/seen")
    assert page.status_code == 200 and "IT-NEW-1" in page.get_data(as_text=True)
    done = client.post(
        "/assets/IT-OLD-1/do/seen", data={"version": str(asset.version), "comment": ""}
    )
    assert done.headers["Location"] == "/assets/IT-NEW-1?scanned=1"
    seen = session.exec(
        select(AssetEvent).where(AssetEvent.asset_id == asset.id, AssetEvent.action == "seen")
    ).all()
    assert len(seen) == 1


def _statements_for(app: Flask, client: FlaskClient, path: str) -> list[str]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = app.extensions["db_engine"]
    client.get(path)  # warm: the signed-in user, caches
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_the_asset_page_reads_earlier_tags_only_for_an_asset_renamed(
    app: Flask, client: FlaskClient, session: Session, ref: Reference
) -> None:
    """The asset page is the busiest page: an asset never renamed costs no extra query."""
    plain = make_asset(session, ref)
    renamed(client, session, ref)
    login(client, ref.viewer.email)
    for_plain = _statements_for(app, client, f"/assets/{plain.tag}")
    for_renamed = _statements_for(app, client, "/assets/IT-NEW-1")
    assert not any("asset_tag_alias" in s for s in for_plain)
    assert sum("asset_tag_alias" in s for s in for_renamed) == 1
    assert len(for_renamed) == len(for_plain) + 1
