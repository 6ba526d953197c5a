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
    response = client.post(
        "/login",
        data={"email": "admin@test.se", "password": "correct-horse-battery"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Översikt" in html
    assert 'data-category="pc" data-owner="borgholm">' in html
    assert "2 aktiva" in html
