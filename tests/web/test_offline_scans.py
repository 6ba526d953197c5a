"""Scans a phone sends later (issue 12): kept on the phone while it has no network, then sent
as JSON to POST /stocktakes/<id>/scans, each under an id of its own and with the phone's time
of the scan. A resend writes nothing and is answered as the first time; a refusal carries its
reason in words; another owner's stocktake is missing."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from sqlmodel import Session, col, func, select

from inventory.models import StocktakeScan
from inventory.services import stocktakes

from ..conftest import login
from ..factories import NOW, PASSWORD, TODAY, Reference, TickingClock, edit_asset, make_asset
from .test_csrf import token

# The app's clock in tests starts at NOW and ticks a second per reading; the stocktake
# starts a few seconds after NOW.
EARLY_MORNING = NOW - dt.timedelta(hours=3)


def start_room(client: FlaskClient, location_id: int | None) -> int:
    response = client.post("/stocktakes/", data={"location_id": str(location_id)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def scan_body(code: str, *, client_id: str | None = None, at: dt.datetime | None = None) -> dict:
    return {
        "client_id": client_id or str(uuid.uuid4()),
        "code": code,
        "scanned_at": (at or NOW + dt.timedelta(seconds=30)).isoformat().replace("+00:00", "Z"),
    }


def send(client: FlaskClient, stocktake_id: int, body: Any, **headers: str) -> Any:
    return client.post(f"/stocktakes/{stocktake_id}/scans", json=body, headers=headers)


def scans(session: Session) -> list[StocktakeScan]:
    session.expire_all()
    return list(session.exec(select(StocktakeScan).order_by(col(StocktakeScan.id))))


def test_a_scan_from_a_phone_is_saved_with_its_time_and_answered_in_words(
    app: Flask, client: FlaskClient, session: Session, ref: Reference
) -> None:
    here = make_asset(session, ref, location_id=ref.school.id)
    make_asset(session, ref, location_id=ref.school.id)
    login(client, ref.technician.email)
    stocktake_id = start_room(client, ref.school.id)
    # Scanned ten minutes into the stocktake, in a cellar; sent an hour later.
    made = NOW + dt.timedelta(minutes=10)
    app.config["INVENTORY"].extra["now"] = TickingClock(NOW + dt.timedelta(hours=1, minutes=10))
    body = scan_body(here.tag.lower(), at=made)
    response = send(client, stocktake_id, body)
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["outcome"] == "found" and answer["code"] == here.tag
    assert answer["message"] == f"{here.tag} hittad." and answer["category"] == "success"
    assert answer["progress"] == "1 skannad · 2 registrerade här"
    assert answer["replayed"] is False
    [saved] = scans(session)
    assert saved.client_id == body["client_id"] and saved.outcome == "found"
    assert saved.scanned_at == made
    # The server's own time of its arrival, kept beside it.
    assert saved.received_at > NOW + dt.timedelta(hours=1, minutes=10)


def test_a_resend_of_a_scan_writes_nothing_and_is_answered_as_the_first_time(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    """The phone's answer was lost on the way: it sends again, perhaps after the asset moved
    or the stocktake closed, and hears what it would have heard."""
    here = make_asset(session, ref, location_id=ref.school.id)
    stray = make_asset(session, ref, location_id=ref.server_hall.id)
    login(client, ref.technician.email)
    stocktake_id = start_room(client, ref.school.id)
    bodies = [
        scan_body(here.tag),
        scan_body(f"http://127.0.0.1:8000/a/{stray.tag}"),
        scan_body("IT-424242"),
        scan_body(here.tag),  # the same code again under an id of its own: a repeat
    ]
    first = [send(client, stocktake_id, body).get_json() for body in bodies]
    assert [a["outcome"] for a in first] == ["found", "elsewhere", "unknown", "repeat"]
    saved = [(s.id, s.code, s.client_id, s.scanned_at) for s in scans(session)]
    assert len(saved) == 3

    edit_asset(session, ref, stray, location_id=ref.school.id)  # it is registered here now
    again = [send(client, stocktake_id, body).get_json() for body in bodies]
    strip = ("replayed", "progress", "answered_at")
    assert [{k: v for k, v in a.items() if k not in strip} for a in again] == [
        {k: v for k, v in a.items() if k not in strip} for a in first
    ]
    assert [a["replayed"] for a in again] == [True, True, True, False]

    client.post(f"/stocktakes/{stocktake_id}/close")
    after_close = [send(client, stocktake_id, body) for body in bodies]
    assert [r.status_code for r in after_close] == [200] * 4
    assert [r.get_json()["outcome"] for r in after_close] == [
        "found",
        "elsewhere",
        "unknown",
        "repeat",
    ]
    assert [(s.id, s.code, s.client_id, s.scanned_at) for s in scans(session)] == saved


def test_the_same_code_twice_from_one_phone_counts_once(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, location_id=ref.school.id)
    login(client, ref.technician.email)
    stocktake_id = start_room(client, ref.school.id)
    answers = [send(client, stocktake_id, scan_body(asset.tag)).get_json() for _ in range(2)]
    assert [a["outcome"] for a in answers] == ["found", "repeat"]
    assert "redan skannad" in answers[1]["message"]
    assert answers[1]["progress"].startswith("1 skannad ")
    assert len(scans(session)) == 1


def test_two_phones_scanning_one_stocktake_count_each_code_once(
    app: Flask, session: Session, ref: Reference
) -> None:
    assets = [make_asset(session, ref, location_id=ref.school.id) for _ in range(3)]
    first, second = app.test_client(), app.test_client()
    login(first, ref.technician.email)
    login(second, ref.admin.email)
    stocktake_id = start_room(first, ref.school.id)
    said = [
        send(first, stocktake_id, scan_body(assets[0].tag)).get_json()["outcome"],
        send(second, stocktake_id, scan_body(assets[1].tag)).get_json()["outcome"],
        send(second, stocktake_id, scan_body(assets[0].tag)).get_json()["outcome"],
        send(first, stocktake_id, scan_body(assets[2].tag)).get_json()["outcome"],
    ]
    assert said == ["found", "found", "repeat", "found"]
    assert sorted(s.code for s in scans(session)) == sorted(a.tag for a in assets)


def test_a_scan_for_a_closed_stocktake_is_refused_with_its_reason_and_writes_nothing(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, location_id=ref.school.id)
    login(client, ref.technician.email)
    stocktake_id = start_room(client, ref.school.id)
    client.post(f"/stocktakes/{stocktake_id}/close")
    response = send(client, stocktake_id, scan_body(asset.tag))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["message"] == "Inventeringen är stängd; starta en ny för att skanna."
    assert scans(session) == []


def test_a_scan_made_before_the_close_and_sent_after_it_is_refused(
    session: Session, ref: Reference
) -> None:
    """The phone's time does not open a closed stocktake: what the close counted is final."""
    asset = make_asset(session, ref, location_id=ref.school.id)
    stocktake = stocktakes.start(session, actor=ref.technician, now=NOW, location_id=ref.school.id)
    stocktakes.close(
        session,
        actor=ref.admin,
        stocktake=stocktake,
        today=TODAY,
        now=NOW + dt.timedelta(minutes=30),
    )
    with pytest.raises(stocktakes.ValidationFailed) as refused:
        stocktakes.record_scan(
            session,
            actor=ref.technician,
            stocktake=stocktake,
            code=asset.tag,
            base_url="http://127.0.0.1:8000",
            now=NOW + dt.timedelta(hours=1),
            client_id=str(uuid.uuid4()),
            scanned_at=NOW + dt.timedelta(minutes=10),
        )
    assert "closed" in refused.value.errors["code"]
    assert scans(session) == []


@pytest.mark.parametrize(
    ("made", "kept_as"),
    [
        # Taken at its word: within the stocktake, up to five minutes ahead of the server.
        ("in_time", "device"),
        ("a_little_ahead", "device"),
        # A phone's clock a day ahead: as made when it arrived.
        ("tomorrow", "arrival"),
        # A phone's clock hours behind (before the stocktake started): as made at the start.
        ("early_morning", "start"),
    ],
)
def test_the_phones_time_is_kept_within_what_can_be_true(
    client: FlaskClient, session: Session, ref: Reference, made: str, kept_as: str
) -> None:
    asset = make_asset(session, ref, location_id=ref.school.id)
    login(client, ref.technician.email)
    stocktake_id = start_room(client, ref.school.id)
    started = stocktakes.get(session, actor=ref.technician, stocktake_id=stocktake_id).started_at
    at = {
        "in_time": started + dt.timedelta(seconds=1),
        "a_little_ahead": started + dt.timedelta(minutes=4),
        "tomorrow": started + dt.timedelta(days=1),
        "early_morning": EARLY_MORNING,
    }[made]
    assert send(client, stocktake_id, scan_body(asset.tag, at=at)).status_code == 200
    [saved] = scans(session)
    expected = {"device": at, "arrival": saved.received_at, "start": started}[kept_as]
    assert saved.scanned_at == expected
    assert started <= saved.scanned_at <= saved.received_at + dt.timedelta(minutes=5)


@pytest.mark.parametrize(
    ("body", "field_message"),
    [
        ({"client_id": "not-an-id", "code": "IT-000001"}, "giltigt id"),
        ({"code": "IT-000001"}, "giltigt id"),
        (
            {"client_id": str(uuid.uuid4()), "code": "IT-000001", "scanned_at": "2026-11-23 10:00"},
            "Tiden för skanningen",
        ),
        (
            {"client_id": str(uuid.uuid4()), "code": "IT-000001", "scanned_at": "i morse"},
            "Tiden för skanningen",
        ),
        ({"client_id": str(uuid.uuid4()), "code": "WIFI:S:skolan;;"}, "varken"),
        ({"client_id": str(uuid.uuid4()), "code": "   "}, "Skanna en etikett"),
        ({"client_id": str(uuid.uuid4()), "code": "A" * 301}, "för lång"),
    ],
)
def test_a_scan_that_cannot_be_saved_is_refused_with_the_reason_in_words(
    client: FlaskClient, session: Session, ref: Reference, body: dict, field_message: str
) -> None:
    login(client, ref.technician.email)
    stocktake_id = start_room(client, ref.school.id)
    response = send(client, stocktake_id, body)
    assert response.status_code == 422
    assert field_message in response.get_json()["error"]["message"]
    assert scans(session) == []


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b'{"code": 42}', b"{}"])
def test_a_body_that_is_no_scan_is_refused_in_json(
    client: FlaskClient, session: Session, ref: Reference, raw: bytes
) -> None:
    login(client, ref.technician.email)
    stocktake_id = start_room(client, ref.school.id)
    response = client.post(
        f"/stocktakes/{stocktake_id}/scans", data=raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "Skanningen gick inte att läsa."
    assert scans(session) == []


def test_an_id_sent_again_with_another_code_is_refused_not_taken_for_the_first(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    first, second = (make_asset(session, ref, location_id=ref.school.id) for _ in range(2))
    login(client, ref.technician.email)
    stocktake_id = start_room(client, ref.school.id)
    body = scan_body(first.tag)
    assert send(client, stocktake_id, body).status_code == 200
    response = send(client, stocktake_id, {**body, "code": second.tag})
    assert response.status_code == 422
    assert "annan kod" in response.get_json()["error"]["message"]
    assert [s.code for s in scans(session)] == [first.tag]


def test_an_old_label_resent_is_the_same_scan(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    """A tag corrected between the first send and the resend: the old label still names the
    scan saved under the asset's tag then."""
    from inventory.services import assets as asset_service

    from ..factories import asset_input

    asset = make_asset(session, ref, location_id=ref.school.id)
    old_tag = asset.tag
    login(client, ref.technician.email)
    stocktake_id = start_room(client, ref.school.id)
    body = scan_body(old_tag)
    assert send(client, stocktake_id, body).get_json()["outcome"] == "found"
    asset_service.update_asset(
        session,
        actor=ref.technician,
        asset=asset,
        data=asset_input(ref, tag="IT-777777", serial=asset.serial, location_id=ref.school.id),
        expected_version=asset.version,
        today=TODAY,
        now=NOW,
    )
    again = send(client, stocktake_id, body).get_json()
    assert again["outcome"] == "found" and again["replayed"] is True
    assert len(scans(session)) == 1


def test_another_owners_stocktake_answers_like_a_missing_one(
    app: Flask, session: Session, ref: Reference
) -> None:
    admin, scoped = app.test_client(), app.test_client()
    login(admin, ref.admin.email)
    login(scoped, ref.tech_borgholm.email)
    asset = make_asset(session, ref, location_id=ref.school.id)
    theirs = start_room(admin, ref.school.id)  # an unscoped admin's: all owners' assets
    body = scan_body(asset.tag)
    foreign = send(scoped, theirs, body)
    missing = send(scoped, 2_147_483_000, body)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.get_json() == missing.get_json()
    assert foreign.get_json()["error"]["message"] == "Det finns ingen sådan inventering."
    assert scans(session) == []


def test_a_viewer_may_not_scan_and_is_told_so_in_json(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    stocktake = stocktakes.start(session, actor=ref.technician, now=NOW, location_id=ref.school.id)
    login(client, ref.viewer.email)
    response = send(client, stocktake.id, scan_body("IT-000001"))  # type: ignore[arg-type]
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert scans(session) == []


def test_a_logged_out_phone_is_answered_401_and_keeps_its_scans(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    """401 in JSON, not the login page: the phone keeps the scan waiting and says why."""
    stocktake = stocktakes.start(session, actor=ref.technician, now=NOW, location_id=ref.school.id)
    response = send(client, stocktake.id, scan_body("IT-000001"))  # type: ignore[arg-type]
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert scans(session) == []


def test_the_answer_is_in_the_users_language(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.technician.email)
    stocktake_id = start_room(client, ref.school.id)
    client.get("/lang/en")
    answer = send(client, stocktake_id, scan_body("IT-424242")).get_json()
    assert answer["message"] == (
        "IT-424242 is not in the register: it will be listed as an unknown code."
    )
    assert answer["progress"] == "1 scanned · 0 registered here"
    client.post(f"/stocktakes/{stocktake_id}/close")
    refused = send(client, stocktake_id, scan_body("IT-434343")).get_json()
    assert refused["error"]["message"] == "This stocktake is closed; start a new one to scan."


def _logged_in_with_csrf(make_app: Callable[..., Flask], email: str) -> tuple[FlaskClient, str]:
    app = make_app(csrf_enabled=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    data = {"email": email, "password": PASSWORD, "csrf_token": token(page)}
    assert client.post("/login", data=data).status_code == 302
    return client, token(client.get("/").get_data(as_text=True))


def test_a_scan_without_a_valid_csrf_token_is_refused_so_that_the_phone_renews_it(
    make_app: Callable[..., Flask], session: Session, ref: Reference, monkeypatch: Any
) -> None:
    client, csrf = _logged_in_with_csrf(make_app, ref.technician.email)
    stocktake = stocktakes.start(session, actor=ref.technician, now=NOW, location_id=ref.school.id)
    asset = make_asset(session, ref, location_id=ref.school.id)
    body = scan_body(asset.tag)
    for headers in ({}, {"X-CSRFToken": "forged"}):
        refused = send(client, stocktake.id, body, **headers)  # type: ignore[arg-type]
        assert refused.status_code == 400
        assert refused.get_json()["error"]["code"] == "csrf"
    # A page kept offline for two hours: its token has expired (Flask-WTF: an hour).
    two_hours_on = int(time.time()) + 7200
    with monkeypatch.context() as later:
        later.setattr(TimestampSigner, "get_timestamp", lambda self: two_hours_on)
        expired = send(client, stocktake.id, body, **{"X-CSRFToken": csrf})  # type: ignore[arg-type]
    assert expired.status_code == 400 and expired.get_json()["error"]["code"] == "csrf"
    assert scans(session) == []
    # The same scan with the token of a fresh page: saved, once.
    fresh = token(client.get(f"/stocktakes/{stocktake.id}").get_data(as_text=True))
    accepted = send(client, stocktake.id, body, **{"X-CSRFToken": fresh})  # type: ignore[arg-type]
    assert accepted.status_code == 200 and accepted.get_json()["outcome"] == "found"
    assert len(scans(session)) == 1


def test_the_stocktake_pages_carry_what_the_phones_script_needs(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.technician.email)
    stocktake_id = start_room(client, ref.school.id)
    page = client.get(f"/stocktakes/{stocktake_id}").get_data(as_text=True)
    assert f'data-scans-url="/stocktakes/{stocktake_id}/scans"' in page
    assert (
        'data-worker-url="/stocktakes/sw.js"' in page and 'data-worker-scope="/stocktakes/"' in page
    )
    assert "Ingen anslutning – skanningarna sparas i telefonen" in page
    assert 'data-text-waiting-many="{num} skanningar väntar på att skickas"' in page
    assert "/static/stocktake.js" in page
    # Closed, the result page still shows (and sends) what the phone kept.
    client.post(f"/stocktakes/{stocktake_id}/close")
    result = client.get(f"/stocktakes/{stocktake_id}").get_data(as_text=True)
    assert 'id="on-this-device"' in result and "/static/stocktake.js" in result


def test_the_service_worker_is_served_for_the_stocktakes_to_anyone(client: FlaskClient) -> None:
    response = client.get("/stocktakes/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-store"  # a new version is taken at once
    assert b'addEventListener("fetch"' in response.data
    assert response.headers.get("Service-Worker-Allowed") is None  # its own directory will do
    assert client.get("/stocktakes/sw.js", headers={"Accept": "text/html"}).data == response.data


def test_the_form_without_the_script_saves_the_arrival_time_as_the_scans_time(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, location_id=ref.school.id)
    login(client, ref.technician.email)
    stocktake_id = start_room(client, ref.school.id)
    client.post(f"/stocktakes/{stocktake_id}/scan", data={"code": asset.tag})
    [saved] = scans(session)
    assert saved.scanned_at == saved.received_at and saved.client_id is None
    assert saved.outcome == "found"
    assert session.exec(select(func.count()).select_from(StocktakeScan)).one() == 1
