"""Registering, editing and moving assets through the HTML forms."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from inventory.models import Asset, AssetEvent

from ..conftest import login
from ..factories import NOW, Reference, make_asset


def form_data(ref: Reference, **overrides: Any) -> dict[str, Any]:
    data = {
        "tag": "IT-100001",
        "serial": "ABC123",
        "model_id": ref.latitude.id,
        "owner_id": ref.borgholm.id,
        "business_unit_id": "",
        "location_id": ref.school.id,
        "holder": "Karin Karlsson",
        "purchase_date": "2025-08-01",
        "in_service_date": "",
        "price": "12 490,50",
        "depreciation_months": "",
        "warranty_end": "2028-08-01",
        "supplier": "Atea",
        "order_ref": "PO-4711",
        "hostname": "",
        "mac": "",
        "ip": "",
        "imei": "",
        "notes": "",
        "comment": "",
        "version": "",
    }
    data.update(overrides)
    return data


def test_a_technician_registers_an_asset(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.technician.email)
    response = client.post("/assets/new", data=form_data(ref))
    assert response.status_code == 302
    assert response.headers["Location"] == "/assets/IT-100001"
    asset = session.exec(select(Asset).where(Asset.tag == "IT-100001")).one()
    assert asset.price_ore == 1_249_050
    assert asset.depreciation_months == 48
    page = client.get("/assets/IT-100001").get_data(as_text=True)
    assert "12\u00a0490,50\u00a0kr" in page and "Karin Karlsson" in page


def test_bad_input_is_shown_on_the_form_and_nothing_is_written(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.technician.email)
    for overrides, message in [
        ({"price": "tolv kronor"}, "kronor"),
        ({"purchase_date": "2025-13-45"}, "purchase_date"),
        ({"purchase_date": "2099-01-01"}, "framtiden"),
        ({"tag": "åäö"}, "A–Z"),
        ({"ip": "999.1.1.1"}, "IPv4"),
    ]:
        response = client.post("/assets/new", data=form_data(ref, **overrides))
        assert response.status_code == 422, overrides
        html = response.get_data(as_text=True)
        assert "is-invalid" in html, overrides
        assert message in html or message == "purchase_date", overrides
    assert session.exec(select(func.count()).select_from(Asset)).one() == 0


def test_a_duplicate_tag_is_refused_on_the_form(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    make_asset(session, ref, tag="IT-100001")
    login(client, ref.technician.email)
    response = client.post("/assets/new", data=form_data(ref, serial="OTHER"))
    assert response.status_code == 422
    assert "En annan tillgång har redan det här inventarienumret." in response.get_data(
        as_text=True
    )


def test_two_concurrent_edits_the_second_gets_a_conflict_and_keeps_its_input(
    app: Flask, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, holder="Anna Andersson")
    first, second = app.test_client(), app.test_client()
    login(first, ref.technician.email)
    login(second, ref.admin.email)
    assert 'name="version" type="hidden" value="1"' in first.get(
        f"/assets/{asset.tag}/edit"
    ).get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in second.get(
        f"/assets/{asset.tag}/edit"
    ).get_data(as_text=True)
    base = form_data(ref, tag=asset.tag, serial=asset.serial, version="1")
    assert (
        first.post(f"/assets/{asset.tag}/edit", data={**base, "holder": "Först Person"}).status_code
        == 302
    )
    late = second.post(f"/assets/{asset.tag}/edit", data={**base, "holder": "Sen Person"})
    assert late.status_code == 409
    html = late.get_data(as_text=True)
    assert "Någon annan" in html  # the conflict message, in Swedish
    assert 'value="Sen Person"' in html  # their typing is not lost
    session.expire_all()
    saved = session.get(Asset, asset.id)
    assert saved is not None and saved.holder == "Först Person"
    edits = session.exec(select(AssetEvent).where(AssetEvent.action == "edit")).all()
    assert len(edits) == 1


def test_status_changes_through_the_asset_page(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    login(client, ref.technician.email)
    page = client.get(f"/assets/{asset.tag}").get_data(as_text=True)
    assert 'value="deployed"' in page and 'value="returned"' not in page
    response = client.post(
        f"/assets/{asset.tag}/status",
        data={"target": "deployed", "version": "1", "comment": "Till Karin", "confirmed": "1"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Utlämnad" in html and "Till Karin" in html
    refused = client.post(
        f"/assets/{asset.tag}/status",
        data={"target": "ordered", "version": "2", "confirmed": "1"},
        follow_redirects=True,
    )
    assert "alert-danger" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(Asset, asset.id).status == "deployed"  # type: ignore[union-attr]


def test_a_status_change_is_confirmed_before_it_is_made(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    login(client, ref.technician.email)
    page = client.get(f"/assets/{asset.tag}").get_data(as_text=True)
    # No target is chosen for the technician: the first choice is "Välj…", with no value.
    form = page[page.index('id="target"') :]
    assert form.index('<option value="" selected>') < form.index('value="deployed"')
    asked = client.post(
        f"/assets/{asset.tag}/status",
        data={"target": "in_repair", "version": "1", "comment": "Trasig skärm"},
    )
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "I lager → <strong>På reparation</strong>" in html and "Trasig skärm" in html
    assert 'name="confirmed" value="1"' in html and "Bekräfta" in html
    session.expire_all()
    # Nothing has changed until the technician confirms.
    assert session.get(Asset, asset.id).status == "in_stock"  # type: ignore[union-attr]
    # What the rules refuse is said at once, not after confirming: selling needs a wipe.
    refused = client.post(
        f"/assets/{asset.tag}/status",
        data={"target": "disposed", "disposal_kind": "sold", "proceeds": "500", "version": "1"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "alert-danger" in refused and 'name="confirmed"' not in refused
    unchosen = client.post(
        f"/assets/{asset.tag}/status", data={"target": "", "version": "1"}, follow_redirects=True
    )
    assert "Välj en ny status" in unchosen.get_data(as_text=True)


def test_the_list_filters_searches_and_pages(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    for _ in range(3):
        make_asset(session, ref)
    make_asset(session, ref, owner_id=ref.morbylanga.id, holder="Zlatan Zäta")
    login(client, ref.viewer.email)
    assert "4 tillgångar" in client.get("/assets/").get_data(as_text=True)
    assert "1 tillgång" in client.get("/assets/?owner=morbylanga").get_data(as_text=True)
    assert "Zlatan" in client.get("/assets/?q=zäta").get_data(as_text=True)
    paged = client.get("/assets/?per_page=2&page=2&sort=-purchase_date").get_data(as_text=True)
    assert "Sida 2 av 2" in paged
    last = client.get("/assets/?per_page=1&page=last").get_data(as_text=True)
    assert "Sida 4 av 4" in last and "Zlatan" in last
    assert "page=last" in last and ">Sista<" in last
    bad = client.get("/assets/?status=kaputt")
    assert bad.status_code == 200 and "alert-danger" in bad.get_data(as_text=True)


def test_english_is_available(client: FlaskClient, ref: Reference) -> None:
    login(client, ref.viewer.email)
    client.get("/lang/en")
    assert "Dashboard" in client.get("/").get_data(as_text=True)
    client.get("/lang/sv")
    assert "Översikt" in client.get("/").get_data(as_text=True)


def test_a_replacement_date_set_on_the_form_moves_the_due_date(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.technician.email)
    response = client.post("/assets/new", data=form_data(ref, due_override="2027-01-31"))
    assert response.status_code == 302
    page = client.get("/assets/IT-100001").get_data(as_text=True)
    assert "utbyte 2027-01-31" in page
    bad = client.post(
        "/assets/new", data=form_data(ref, tag="IT-100002", serial="X2", due_override="2020-01-01")
    )
    assert bad.status_code == 422 and "2100" in bad.get_data(as_text=True)


def test_the_register_form_preselects_nothing_and_proposes_the_next_free_tag(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    from inventory.models import AssetTagAlias

    make_asset(session, ref, tag="BH-000041")
    make_asset(session, ref, tag="BH-000007")
    make_asset(session, ref, tag="MB-0099", owner_id=ref.morbylanga.id)
    # BH-000042 was a tag once (corrected since): its label is still out there.
    session.add(AssetTagAlias(tag="BH-000042", asset_id=1, created_at=NOW))
    session.commit()
    login(client, ref.technician.email)
    html = client.get("/assets/new").get_data(as_text=True)

    def menu(name: str) -> str:
        start = html.rindex("<select", 0, html.index(f'name="{name}"'))
        return html[start : html.index("</select>", start)]

    for name in ("model_id", "owner_id"):
        # Only "Välj…" (no value) is chosen.
        chosen = re.findall(r"<option[^>]*\bselected\b[^>]*>([^<]*)<", menu(name))
        assert chosen == ["Välj…"], name
    assert re.search(rf'data-next-tag="BH-000043"[^>]*>{ref.borgholm.name}<', menu("owner_id"))
    assert re.search(rf'data-next-tag="MB-0100"[^>]*>{ref.morbylanga.name}<', menu("owner_id"))
    # Choosing a model shows its category; its menu and the places' are searchable.
    assert 'data-category="Datorer"' in menu("model_id")
    assert "data-picker" in menu("model_id") and "data-picker" in menu("location_id")
    # Sent without a model or owner: both asked for, nothing saved.
    refused = client.post(
        "/assets/new", data={"tag": "BH-000043", "purchase_date": "2025-01-10", "price": "100"}
    )
    assert refused.status_code == 422
    assert session.exec(select(Asset).where(Asset.tag == "BH-000043")).first() is None

    # A user limited to one owner has the owner and its next tag filled in.
    login(client, ref.tech_borgholm.email)
    scoped = client.get("/assets/new").get_data(as_text=True)
    assert 'value="BH-000043"' in scoped


def test_the_list_leaves_disposed_assets_out_unless_asked(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    from inventory.domain.statuses import DisposalKind, Status
    from inventory.services import assets as asset_service

    kept = make_asset(session, ref)
    gone = make_asset(session, ref)
    asset_service.change_status(
        session, actor=ref.admin, asset=gone, target=Status.DISPOSED,
        disposal_kind=DisposalKind.STOLEN, now=NOW, comment="Inbrott",
    )  # fmt: skip
    login(client, ref.viewer.email)
    html = client.get("/assets/").get_data(as_text=True)
    assert kept.tag in html and gone.tag not in html and "1 tillgång" in html
    for query in ("?disposed=1", "?status=disposed"):
        html = client.get(f"/assets/{query}").get_data(as_text=True)
        assert gone.tag in html, query
    # The API lists what the filter matches, as before.
    assert client.get("/api/v1/assets").get_json()["total"] == 2
