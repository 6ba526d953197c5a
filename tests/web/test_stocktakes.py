"""Stocktakes: scan item after item, close, and read the result (found, missing, misplaced,
unknown) with the value of what is missing."""

from __future__ import annotations

import csv
import io
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from inventory.models import Asset, AssetEvent, StocktakeScan

from ..conftest import login
from ..factories import Reference, make_asset


def start_room(client: FlaskClient, location_id: int) -> str:
    response = client.post("/stocktakes/", data={"location_id": str(location_id)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


def scan(client: FlaskClient, url: str, code: str) -> str:
    return client.post(f"{url}/scan", data={"code": code}, follow_redirects=True).get_data(
        as_text=True
    )


def test_a_room_stocktake_from_first_scan_to_result(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    here = [
        make_asset(
            session,
            ref,
            location_id=ref.school.id,
            price_ore=1_000_000,
            purchase_date=__import__("datetime").date(2024, 11, 23),
        )
        for _ in range(3)
    ]
    stray = make_asset(session, ref, location_id=ref.server_hall.id)
    login(client, ref.technician.email)
    url = start_room(client, ref.school.id)
    assert "hittad" in scan(client, url, here[0].tag)
    assert "redan skannad" in scan(client, url, here[0].tag.lower())
    assert "felplacerad" in scan(client, url, f"http://127.0.0.1:8000/a/{stray.tag}")
    assert "okänd kod" in scan(client, url, "IT-424242")
    assert "varken" in scan(client, url, "not a label")  # refused, not saved
    assert "3 skannade · 3 registrerade här" in client.get(url).get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(StocktakeScan)).one() == 3

    page = client.post(f"{url}/close", follow_redirects=True).get_data(as_text=True)
    counts = dict(re.findall(r'data-outcome="(\w+)">(\d+)<', page))
    assert counts == {"found": "1", "missing": "2", "misplaced": "1", "unknown": "1"}
    # Two missing PCs of 10 000 kr, depreciated over 48 months, 24 months in use: half left.
    assert "20\u00a0000,00\u00a0kr" in page and "10\u00a0000,00\u00a0kr" in page

    export = client.get(f"{url}.csv")
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "inventarienummer"
    assert sorted(r[2] for r in rows[1:]) == [
        "felplacerad",
        "hittad",
        "okänd kod",
        "saknas",
        "saknas",
    ]

    moved = client.post(f"{url}/move-misplaced", follow_redirects=True)
    assert "1 " in moved.get_data(as_text=True)
    session.expire_all()
    assert session.get(Asset, stray.id).location_id == ref.school.id  # type: ignore[union-attr]
    assert session.exec(
        select(AssetEvent).where(AssetEvent.asset_id == stray.id, AssetEvent.action == "move")
    ).one()


def test_a_closed_stocktake_takes_no_more_scans_and_cannot_close_twice(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, location_id=ref.school.id)
    login(client, ref.technician.email)
    url = start_room(client, ref.school.id)
    client.post(f"{url}/close")
    assert "stängd" in scan(client, url, asset.tag)
    again = client.post(f"{url}/close", follow_redirects=True).get_data(as_text=True)
    assert "redan stängd" in again
    assert session.exec(select(func.count()).select_from(StocktakeScan)).one() == 0


def test_another_technician_resumes_an_open_stocktake(
    app: Flask, session: Session, ref: Reference
) -> None:
    first, second = app.test_client(), app.test_client()
    assets = [make_asset(session, ref, location_id=ref.school.id) for _ in range(2)]
    login(first, ref.technician.email)
    login(second, ref.admin.email)
    url = start_room(first, ref.school.id)
    scan(first, url, assets[0].tag)
    assert "repeat" not in scan(second, url, assets[1].tag)
    page = second.post(f"{url}/close", follow_redirects=True).get_data(as_text=True)
    assert dict(re.findall(r'data-outcome="(\w+)">(\d+)<', page))["found"] == "2"


def test_empty_and_overlong_codes_are_refused(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.technician.email)
    url = start_room(client, ref.school.id)
    assert "Skanna en etikett" in scan(client, url, "   ")
    assert "för lång" in scan(client, url, "A" * 301)
    assert session.exec(select(func.count()).select_from(StocktakeScan)).one() == 0


def test_a_scoped_technician_cannot_see_another_owners_stocktake(
    app: Flask, session: Session, ref: Reference
) -> None:
    admin, scoped = app.test_client(), app.test_client()
    login(admin, ref.admin.email)
    login(scoped, ref.tech_borgholm.email)
    url = start_room(admin, ref.school.id)
    assert scoped.get(url).status_code == 404
    assert scoped.post(f"{url}/scan", data={"code": "IT-000001"}).status_code == 404


def test_bad_starts_get_a_clear_message(client: FlaskClient, ref: Reference) -> None:
    login(client, ref.technician.email)
    for data in (
        {},
        {"location_id": "99999"},
        {"owner": "kalmar"},
        {"location_id": "1", "owner": "borgholm"},
    ):
        page = client.post("/stocktakes/", data=data, follow_redirects=True).get_data(as_text=True)
        assert "alert-danger" in page, data


def test_a_stocktake_counts_only_its_own_scope_whoever_scans(
    app: Flask, session: Session, ref: Reference
) -> None:
    """An unscoped admin scanning into Borgholm's stocktake cannot pull Mörbylånga in."""
    theirs = make_asset(session, ref, owner_id=ref.morbylanga.id, location_id=ref.server_hall.id)
    scoped, admin = app.test_client(), app.test_client()
    login(scoped, ref.tech_borgholm.email)
    login(admin, ref.admin.email)
    url = start_room(scoped, ref.school.id)
    assert "okänd kod" in scan(admin, url, theirs.tag)
    page = scoped.post(f"{url}/close", follow_redirects=True).get_data(as_text=True)
    assert dict(re.findall(r'data-outcome="(\w+)">(\d+)<', page))["misplaced"] == "0"
    assert "iPhone" not in page and "Latitude" not in scoped.get(f"{url}.csv").data.decode(
        "utf-8-sig"
    )


def test_closing_twice_at_once_writes_the_result_once(
    engine: object, session: Session, ref: Reference
) -> None:
    from inventory.domain.errors import ValidationFailed
    from inventory.models import Stocktake, StocktakeLine
    from inventory.services import stocktakes

    from ..factories import NOW, TODAY

    make_asset(session, ref, location_id=ref.school.id)
    first = stocktakes.start(session, actor=ref.technician, now=NOW, location_id=ref.school.id)
    with Session(engine) as other:  # type: ignore[arg-type]
        stale = other.get(Stocktake, first.id)
        assert stale is not None
        stocktakes.close(session, actor=ref.technician, stocktake=first, today=TODAY, now=NOW)
        try:
            stocktakes.close(other, actor=ref.admin, stocktake=stale, today=TODAY, now=NOW)
        except ValidationFailed:
            pass
        else:
            raise AssertionError("the second close went through")
    assert session.exec(select(func.count()).select_from(StocktakeLine)).one() == 1


def test_the_csv_keeps_names_as_text(client: FlaskClient, session: Session, ref: Reference) -> None:
    """A name typed into the register that looks like a formula stays text in Excel."""
    from inventory.models import Site

    site = session.get(Site, ref.school.site_id)
    assert site is not None
    site.name = '=HYPERLINK("http://evil.example","Klicka")'
    session.add(site)
    session.commit()
    make_asset(session, ref, location_id=ref.school.id)
    login(client, ref.technician.email)
    url = start_room(client, ref.school.id)
    client.post(f"{url}/close")
    rows = list(
        csv.reader(io.StringIO(client.get(f"{url}.csv").data.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[1][3].startswith("'=HYPERLINK")


def test_absurd_ids_are_not_found(client: FlaskClient, ref: Reference) -> None:
    login(client, ref.technician.email)
    for url in (
        "/stocktakes/99999999999999999999",
        "/stocktakes/3000000000",
        "/admin/units/3000000000",
    ):
        assert client.get(url).status_code in (403, 404), url
    page = client.post("/stocktakes/", data={"location_id": "3000000000"}, follow_redirects=True)
    assert "alert-danger" in page.get_data(as_text=True)
