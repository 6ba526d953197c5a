"""GET /api/v1/reports/refresh-plan on the hand-built fleet of tests/plan_fleet.py."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlmodel import Session

from ..factories import Reference
from ..plan_fleet import make_plan_fleet
from .test_assets_api import bearer

URL = "/api/v1/reports/refresh-plan"


def test_the_plan_as_json(client: FlaskClient, session: Session, ref: Reference) -> None:
    make_plan_fleet(session, ref)
    headers = bearer(session, ref.viewer.email)
    body = client.get(f"{URL}?from=2026-12-02&years=5", headers=headers).get_json()
    assert body["from"] == "2026-12-02" and body["years"] == 5 and body["what_if"] == {}
    # Q1 2027's two Latitudes cost what the backlog's two do.
    two_latitudes = {
        "owner": "borgholm",
        "category": "pc",
        "count": 2,
        "cost_sek": "24980.00",
        "co2e_kg": "600.0",
        "unpriced_count": 0,
        "no_footprint_count": 0,
    }
    assert body["items"][0] == {"year": 2027, "quarter": 1, **two_latitudes}
    assert [(i["year"], i["quarter"], i["category"]) for i in body["items"]] == [
        (2027, 1, "pc"),
        (2027, 4, "pc"),
        (2028, 4, "phone"),
        (2029, 3, "pc"),
        (2030, 2, "pc"),
    ]
    assert body["backlog"] == [two_latitudes]
    assert body["reuse_pool"] == [
        {"owner": "borgholm", "category": "pc", "in_pool": 1, "covers": 1}
    ]
    what_if = client.get(f"{URL}?from=2026-12-02&lifespan.pc=72", headers=headers).get_json()
    assert what_if["what_if"] == {"pc": 72}
    assert what_if["lifespan_months"] == {"pc": 72, "phone": 48}
    assert what_if["items"][0]["year"] == 2027 and what_if["items"][0]["quarter"] == 2


def test_bad_query_strings_name_the_field(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    headers = bearer(session, ref.viewer.email)
    for query, field in (
        ("from=2026-13-01", "from"),
        ("years=11", "years"),
        ("lifespan.pc=0", "lifespan.pc"),
        ("lifespan.tv=12", "lifespan.tv"),
        ("owner=nowhere", "owner"),
        ("unit=abc", "unit"),
    ):
        response = client.get(f"{URL}?{query}", headers=headers)
        assert response.status_code == 400, query
        assert set(response.get_json()["error"]["fields"]) == {field}, query


def test_the_plan_needs_a_login(client: FlaskClient) -> None:
    assert client.get(URL).status_code == 401
