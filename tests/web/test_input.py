"""Odd input gets a clear message, never a server error, and writes nothing."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from inventory.models import Asset

from ..conftest import login
from ..factories import Reference, make_asset
from .test_asset_forms import form_data


def test_odd_query_strings_get_a_message(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    make_asset(session, ref)
    login(client, ref.viewer.email)
    for query in ["page=²", "site=٣", "per_page=1e3", "q=ab%01c", "unit=-1", "location=0x10"]:
        page = client.get(f"/assets/?{query}")
        assert page.status_code == 200 and "alert-danger" in page.get_data(as_text=True), query
        api = client.get(f"/api/v1/assets?{query}")
        # A query string is refused as a bad request (400), field by field.
        assert api.status_code == 400 and api.get_json()["error"]["fields"], query


def test_nul_bytes_are_a_bad_request_everywhere(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.technician.email)
    for url in [
        "/assets/?q=ab%00c",
        "/api/v1/assets?q=%00",
        "/assets/IT%00-1",
        "/api/v1/assets/%00",
    ]:
        assert client.get(url).status_code == 400, url
    response = client.post("/assets/new", data=form_data(ref, holder="Anna\x00"))
    assert response.status_code == 400
    assert session.exec(select(func.count()).select_from(Asset)).one() == 0


def test_exotic_prices_are_refused(client: FlaskClient, session: Session, ref: Reference) -> None:
    login(client, ref.technician.email)
    for price in ["1e999999999", "1e-999999999", "Infinity", "0x10", "12,3,4"]:
        response = client.post("/assets/new", data=form_data(ref, price=price))
        assert response.status_code == 422, price
        assert "kronor" in response.get_data(as_text=True), price
    assert session.exec(select(func.count()).select_from(Asset)).one() == 0


def test_short_searches_match_literally(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    make_asset(session, ref, tag="AB-0001", serial="xy-1")
    make_asset(session, ref, tag="CD-0002", serial="ZZ-9")
    login(client, ref.viewer.email)
    assert client.get("/api/v1/assets?q=%25").get_json()["total"] == 0
    assert client.get("/api/v1/assets?q=_").get_json()["total"] == 0
    assert client.get("/api/v1/assets?q=ab").get_json()["total"] == 1
    assert client.get("/api/v1/assets?q=zz").get_json()["total"] == 1


def test_a_label_sheet_request_never_redirects_off_site(
    client: FlaskClient, ref: Reference
) -> None:
    login(client, ref.technician.email)
    response = client.get("/labels.pdf", headers={"Referer": "https://evil.example/x"})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/x", "/assets/")
