"""The pages people use, through Flask's HTTP client on a real database."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlmodel import Session

from ..factories import Reference, make_asset


def test_login_lands_on_a_swedish_dashboard_with_counts(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    make_asset(session, ref)
    make_asset(session, ref, owner_id=ref.morbylanga.id, model_id=ref.iphone.id)
    # A reader (a controller, the committee) lands on the dashboard; technicians and admins
    # on their start page (tests/web/test_home.py).
    response = client.post(
        "/login",
        data={"email": ref.viewer.email, "password": "correct-horse-battery"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Översikt" in html
    assert 'data-category="pc" data-owner="borgholm">' in html
    assert "2 aktiva" in html


def test_the_asset_page_shows_book_value_due_date_and_the_reasons_for_its_flags(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    import datetime as dt

    old = make_asset(session, ref, purchase_date=dt.date(2021, 8, 15), price_ore=1_000_000)
    young = make_asset(session, ref, purchase_date=dt.date(2022, 11, 1), price_ore=1_000_000)
    client.post("/login", data={"email": ref.viewer.email, "password": "correct-horse-battery"})
    page = client.get(f"/assets/{old.tag}").get_data(as_text=True)
    assert 'data-flag="overdue"' in page and "2026-08-15" in page
    assert "0,00\u00a0kr" in page  # fully depreciated after 48 months
    page = client.get(f"/assets/{young.tag}").get_data(as_text=True)
    # Depreciated over 4 years on 2026-11-01, but its 5-year target is a year away: keep it.
    assert 'data-flag="depreciated_keep"' in page and 'data-flag="due_soon"' in page
    assert 'data-flag="overdue"' not in page
