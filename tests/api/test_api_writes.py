"""Writing through /api/v1 as another system does: registering, changing with the version as
ETag and If-Match, lifecycle moves and field actions by the pages' rules, the history; the
cursor walk; tokens with names, expiry and revocation; one error shape, 4xx for bad input."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from inventory.models import ApiToken, Asset, AssetEvent
from inventory.services import tokens

from ..factories import NOW, Reference, make_asset


def _token(session: Session, user: object, days: int = 30) -> dict[str, str]:
    _, secret = tokens.create(session, actor=user, name="Test", days=days, now=NOW)  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {secret}"}


_NEW = {
    "tag": "API-0001", "model_id": 1, "owner": "borgholm", "purchase_date": "2025-04-01",
    "price_sek": "12490.50", "serial": "APISN1", "holder": "Bo Ek", "status": "deployed",
}  # fmt: skip


def test_register_then_change_with_if_match(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    tech = _token(session, ref.technician)
    made = client.post("/api/v1/assets", json=_NEW | {"model_id": ref.latitude.id}, headers=tech)
    assert made.status_code == 201, made.get_json()
    assert made.headers["Location"].endswith("/api/v1/assets/API-0001")
    body = made.get_json()
    assert body["price_sek"] == "12490.50" and body["status"] == "deployed"
    assert body["holder"] == "Bo Ek" and body["book_value_sek"] and body["due_date"]
    version = made.headers["ETag"]
    # Without If-Match: 428; with an older version: 412, and nothing changed.
    assert (
        client.patch("/api/v1/assets/API-0001", json={"notes": "x"}, headers=tech).status_code
        == 428
    )
    stale = client.patch(
        "/api/v1/assets/API-0001", json={"notes": "x"}, headers=tech | {"If-Match": '"v99"'}
    )
    assert stale.status_code == 412 and stale.get_json()["error"]["code"] == "precondition_failed"
    changed = client.patch(
        "/api/v1/assets/API-0001", json={"notes": "Ny skärm", "price_sek": "13000"},
        headers=tech | {"If-Match": version},
    )  # fmt: skip
    assert changed.status_code == 200, changed.get_json()
    assert (
        changed.get_json()["notes"] == "Ny skärm" and changed.get_json()["price_sek"] == "13000.00"
    )
    assert changed.headers["ETag"] != version
    again = client.patch(
        "/api/v1/assets/API-0001", json={"notes": "Igen"}, headers=tech | {"If-Match": version}
    )
    assert again.status_code == 412
    session.rollback()
    asset = session.exec(select(Asset).where(Asset.tag == "API-0001")).one()
    assert asset.notes == "Ny skärm" and asset.price_ore == 1_300_000
    history = client.get("/api/v1/assets/API-0001/history", headers=tech).get_json()
    assert [i["action"] for i in history["items"]] == ["edit", "create"]
    prices = [c for c in history["items"][0]["changes"] if c["field"] == "price_ore"]
    assert prices[0]["before"] == "12\u00a0490,50\u00a0kr" and prices[0]["label"] == "Inköpspris"


def test_bad_bodies_are_refused_field_by_field_in_the_callers_language(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    tech = _token(session, ref.technician)
    for body, field in [
        ({**_NEW, "price_sek": "12,5"}, "price_sek"),
        ({**_NEW, "purchase_date": "2025-13-01"}, "purchase_date"),
        ({**_NEW, "colour": "red"}, "colour"),
        ({k: v for k, v in _NEW.items() if k != "tag"}, "tag"),
        ({**_NEW, "owner": "stockholm"}, "owner"),
        ({**_NEW, "model_id": 999_999}, "model_id"),
        ({**_NEW, "status": "disposed"}, "status"),
    ]:
        response = client.post("/api/v1/assets", json=body, headers=tech)
        assert response.status_code == 422, (field, response.get_json())
        error = response.get_json()["error"]
        assert error["code"] == "invalid" and field in error["fields"], (field, error)
    english = client.post(
        "/api/v1/assets", json={**_NEW, "colour": "red"}, headers=tech | {"Accept-Language": "en"}
    )
    assert english.get_json()["error"]["fields"]["colour"] == "Unknown field."
    swedish = client.post("/api/v1/assets", json={**_NEW, "colour": "red"}, headers=tech)
    assert swedish.get_json()["error"]["fields"]["colour"] == "Okänt fält."
    assert client.post("/api/v1/assets", data="not json", headers=tech).status_code == 422
    viewer = _token(session, ref.viewer)
    assert client.post("/api/v1/assets", json=_NEW, headers=viewer).status_code == 403
    assert session.exec(select(Asset)).first() is None


def test_lifecycle_moves_and_field_actions_follow_the_pages_rules(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    tech = _token(session, ref.technician)
    url = f"/api/v1/assets/{asset.tag}"
    etag = client.get(url, headers=tech).headers["ETag"]
    refused = client.post(
        f"{url}/transitions", json={"target": "disposed", "disposal_kind": "sold"},
        headers=tech | {"If-Match": etag},
    )  # fmt: skip
    assert refused.status_code == 422  # a young device, no wipe, no proceeds: refused
    out = client.post(
        f"{url}/actions/hand_out", json={"holder": "Karin Öst"}, headers=tech | {"If-Match": etag}
    )
    assert out.status_code == 200, out.get_json()
    assert out.get_json()["status"] == "deployed" and out.get_json()["holder"] == "Karin Öst"
    repair = client.post(
        f"{url}/transitions", json={"target": "in_repair", "comment": "Trasig skärm"},
        headers=tech | {"If-Match": out.headers["ETag"]},
    )  # fmt: skip
    assert repair.status_code == 200 and repair.get_json()["status"] == "in_repair"
    assert (
        client.post(f"{url}/actions/fly", json={}, headers=tech | {"If-Match": etag}).status_code
        == 422
    )
    session.rollback()
    actions = [
        e.action for e in session.exec(select(AssetEvent).where(AssetEvent.asset_id == asset.id))
    ]
    assert actions == ["create", "hand_out", "status"]


def test_walking_the_register_by_cursor_and_since_a_moment(
    app: Flask, client: FlaskClient, session: Session, ref: Reference
) -> None:
    made = [make_asset(session, ref, serial=f"CW-{i}") for i in range(23)]
    viewer = _token(session, ref.viewer)
    seen: list[str] = []
    cursor = ""
    pages = 0
    while cursor is not None:
        page = client.get(f"/api/v1/assets?per_page=5&cursor={cursor}", headers=viewer).get_json()
        seen += [item["tag"] for item in page["items"]]
        assert page["total"] is None and page["page"] is None
        cursor = page["next_cursor"]
        pages += 1
    assert sorted(seen) == sorted(a.tag for a in made) and len(seen) == len(set(seen))
    assert pages == 5
    assert client.get("/api/v1/assets?cursor=nonsense", headers=viewer).status_code == 400
    # A moment without its zone could mean two hours apart: refused, as the document says.
    naive = client.get("/api/v1/assets?updated_since=2026-01-01T00:00:00", headers=viewer)
    assert naive.status_code == 400 and "updated_since" in naive.get_json()["error"]["fields"]
    later = made[4]
    later.updated_at = NOW + dt.timedelta(days=2)
    session.add(later)
    session.commit()
    since = (NOW + dt.timedelta(days=1)).isoformat().replace("+00:00", "Z")
    recent = client.get(f"/api/v1/assets?updated_since={since}", headers=viewer).get_json()
    assert [i["tag"] for i in recent["items"]] == [later.tag] and recent["total"] == 1
    item = recent["items"][0]
    single = client.get(f"/api/v1/assets/{later.tag}", headers=viewer).get_json()
    # The list's items carry the single asset's fields, lifecycle facts included.
    assert set(item) == set(single) - {"assessment", "aliases"}
    assert item["due_date"] == single["due_date"] and item["flags"] == single["flags"]


def test_tokens_are_named_expire_and_are_revoked(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    from ..conftest import login

    mine = _token(session, ref.technician)
    # A token makes no tokens (a stolen one would outlive its revocation): a login does.
    refused = client.post("/api/v1/tokens", json={"name": "Kopia"}, headers=mine)
    assert refused.status_code == 403
    login(client, ref.technician.email)
    made = client.post("/api/v1/tokens", json={"name": "Servicedesken", "expires_in_days": 30})
    assert made.status_code == 201
    body = made.get_json()
    secret = body["token"]
    assert body["name"] == "Servicedesken" and body["user"] == ref.technician.email
    stored = session.exec(select(ApiToken).where(ApiToken.name == "Servicedesken")).one()
    assert secret not in stored.token_hash and len(stored.token_hash) == 64
    listed = client.get("/api/v1/tokens", headers=mine).get_json()["items"]
    assert {t["name"] for t in listed} == {"Test", "Servicedesken"}
    assert "Kopia" not in {t["name"] for t in listed}
    assert all("token" not in t for t in listed)
    new = {"Authorization": f"Bearer {secret}"}
    api = client.application.test_client()  # no session: the tokens alone
    assert api.get("/api/v1/owners", headers=new).status_code == 200
    # Someone else's token: another technician may not revoke it; its owner may.
    other = _token(session, ref.tech_borgholm)
    assert api.delete(f"/api/v1/tokens/{stored.id}", headers=other).status_code == 404
    assert api.delete(f"/api/v1/tokens/{stored.id}", headers=mine).status_code == 204
    assert api.get("/api/v1/owners", headers=new).status_code == 401
    # For another user: an administrator for all owners only.
    for_other = {"name": "Ekonomi", "user": ref.viewer.email}
    assert client.post("/api/v1/tokens", json=for_other).status_code == 403
    assert client.post("/api/v1/tokens", json={"name": ""}).status_code == 422
    assert (
        client.post("/api/v1/tokens", json={"name": "x", "expires_in_days": 400}).status_code == 422
    )
    login(client, ref.admin.email)
    given = client.post("/api/v1/tokens", json=for_other)
    assert given.status_code == 201 and given.get_json()["user"] == ref.viewer.email
    old = stored
    old.revoked, old.expires_at = False, NOW - dt.timedelta(seconds=1)
    session.add(old)
    session.commit()
    assert api.get("/api/v1/owners", headers=new).status_code == 401  # expired


def test_the_description_names_every_route_of_the_api(
    app: Flask, client: FlaskClient, session: Session, ref: Reference
) -> None:
    viewer = _token(session, ref.viewer)
    doc = client.get("/api/v1/openapi.json", headers=viewer).get_json()
    assert doc["openapi"] == "3.1.0"
    described = {(m.upper(), "/api/v1" + p) for p, ops in doc["paths"].items() for m in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint in (
            "api.openapi_json",
            "api.reference_page",
        ):
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", f"{{{name}}}").replace(f"<{name}>", f"{{{name}}}")
        served |= {(m, path) for m in rule.methods or () if m not in ("HEAD", "OPTIONS")}
    assert served == described
    page = client.get("/api/v1/docs", headers=viewer)
    assert page.status_code == 200 and "PATCH /api/v1/assets/{tag}" in page.get_data(as_text=True)
    assert client.get("/api/v1/openapi.json").status_code == 401


def test_two_updates_with_the_same_if_match_at_once_one_wins(
    app: Flask, session: Session, ref: Reference, monkeypatch: object
) -> None:
    """Both read the same version and pass the If-Match check before either writes (held at
    a barrier just before the service's update); the database's version check lets one
    through and the other gets 412. Nothing is lost: the winner's change is there, whole."""
    import threading

    import pytest

    from inventory.api import assets as api_assets

    asset = make_asset(session, ref)
    read = asset.version
    tech = _token(session, ref.technician)
    etag = app.test_client().get(f"/api/v1/assets/{asset.tag}", headers=tech).headers["ETag"]
    barrier = threading.Barrier(2, timeout=20)
    original = api_assets.asset_service.update_asset

    def held(*args: object, **kwargs: object) -> object:
        barrier.wait()
        return original(*args, **kwargs)  # type: ignore[arg-type]

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(api_assets.asset_service, "update_asset", held)
    answers: dict[str, int] = {}

    def change(note: str) -> None:
        response = app.test_client().patch(
            f"/api/v1/assets/{asset.tag}", json={"notes": note}, headers=tech | {"If-Match": etag}
        )
        answers[note] = response.status_code

    threads = [threading.Thread(target=change, args=(n,)) for n in ("Från A", "Från B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(answers.values()) == [200, 412], answers
    winner = next(n for n, code in answers.items() if code == 200)
    session.expire_all()  # the test's own copy of the asset is read again
    stored = session.get(Asset, asset.id)
    assert stored is not None and stored.notes == winner and stored.version == read + 1
    edits = session.exec(
        select(AssetEvent).where(AssetEvent.asset_id == asset.id, AssetEvent.action == "edit")
    ).all()
    assert len(edits) == 1 and edits[0].changes["notes"][1] == winner


def test_a_browser_session_writes_with_its_csrf_token_whatever_header_it_sends(
    make_app: object, session: Session, ref: Reference
) -> None:
    """The CSRF check is skipped only for a call a token authenticated, not for any call
    that merely carries an Authorization header next to a session cookie."""
    from ..factories import PASSWORD
    from ..web.test_csrf import token

    app = make_app(csrf_enabled=True)  # type: ignore[operator]
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    logged_in = client.post("/login", data={
        "email": ref.technician.email, "password": PASSWORD, "csrf_token": token(page),
    })  # fmt: skip
    assert logged_in.status_code == 302
    body = _NEW | {"model_id": ref.latitude.id}
    forged = client.post("/api/v1/assets", json=body, headers={"Authorization": "Bearer nonsense"})
    assert forged.status_code == 400
    assert session.exec(select(Asset)).first() is None
    app.extensions["db_engine"].dispose()
