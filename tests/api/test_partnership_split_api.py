"""GET /api/v1/reports/partnership-split: the proposal of a date as JSON, on the hand-built
fleet of tests/split_fleet.py."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlmodel import Session, select

from inventory.models import SplitProposal
from inventory.services import partnership

from ..factories import NOW, Reference
from ..split_fleet import EXPECTED_TO, SPLIT_ON, make_fleet
from .test_assets_api import bearer

URL = "/api/v1/reports/partnership-split"


def test_the_proposal_as_json(client: FlaskClient, session: Session, ref: Reference) -> None:
    make_fleet(session, ref)
    partnership.compute(session, actor=ref.admin, on=SPLIT_ON, now=NOW)
    body = client.get(f"{URL}?on=2026-12-31", headers=bearer(session, ref.viewer.email)).get_json()
    assert body["on"] == "2026-12-31"
    assert body["cost_key"] == {
        "year": 2026,
        "borgholm": {"users": 1658, "share": "0.453005"},
        "morbylanga": {"users": 2002, "share": "0.546995"},
    }
    assert body["joint_total_book_value_sek"] == "284750.00"
    items = {i["tag"]: i for i in body["items"]}
    assert {t: (i["to"], i["basis"]) for t, i in items.items()} == EXPECTED_TO
    assert items["J-05"] == {
        "tag": "J-05",
        "to": "morbylanga",
        "book_value_sek": "125000.00",
        "purchase_price_sek": "300000.00",
        "basis": "balance",
    }
    assert body["totals"] == {
        "borgholm": {"count": 6, "book_value_sek": "128000.00", "share_sek": "128993.31"},
        "morbylanga": {"count": 7, "book_value_sek": "156750.00", "share_sek": "155756.69"},
    }
    assert body["compensation"] == {"from": "morbylanga", "to": "borgholm", "sek": "993.31"}


def test_the_configured_split_date_is_the_default(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    make_fleet(session, ref)
    partnership.compute(session, actor=ref.admin, on=SPLIT_ON, now=NOW)
    response = client.get(URL, headers=bearer(session, ref.technician.email))
    assert response.status_code == 200 and response.get_json()["on"] == "2026-12-31"


def test_reading_without_a_proposal_is_a_404_saying_so_and_writes_nothing(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    make_fleet(session, ref)
    response = client.get(f"{URL}?on=2026-12-31", headers=bearer(session, ref.admin.email))
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["code"] == "not_found" and "2026-12-31" in error["message"]
    assert session.exec(select(SplitProposal)).all() == []


def test_a_bad_date_is_a_400_with_a_clear_message(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    headers = bearer(session, ref.viewer.email)
    for bad in ("2026-02-30", "31/12/2026", "igår"):
        response = client.get(f"{URL}?on={bad}", headers=headers)
        assert response.status_code == 400, bad
        error = response.get_json()["error"]
        assert error["code"] == "bad_request" and "ÅÅÅÅ-MM-DD" in error["message"]
        assert "on" in error["fields"]


def test_scoped_users_get_404_as_if_there_were_no_split(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    make_fleet(session, ref)
    partnership.compute(session, actor=ref.admin, on=SPLIT_ON, now=NOW)
    for user in (ref.viewer_morbylanga, ref.admin_borgholm, ref.tech_borgholm):
        found = client.get(f"{URL}?on=2026-12-31", headers=bearer(session, user.email))
        missing = client.get(f"{URL}?on=2030-01-01", headers=bearer(session, user.email))
        assert found.status_code == missing.status_code == 404
        assert found.get_json() == missing.get_json()
        assert "J-05" not in found.get_data(as_text=True)
