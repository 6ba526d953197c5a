"""GET /api/v1/assets and /api/v1/assets/<tag>, by session and by bearer token."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlmodel import Session

from inventory.services import users

from ..conftest import login
from ..factories import NOW, Reference, make_asset


def bearer(session: Session, email: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + users.create_token(session, email=email, now=NOW)}


def test_an_asset_as_json(client: FlaskClient, session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref, price_ore=1_249_050, depreciation_months=48)
    body = client.get(
        f"/api/v1/assets/{asset.tag}", headers=bearer(session, ref.viewer.email)
    ).get_json()
    assert body["tag"] == asset.tag
    assert body["serial"] == asset.serial
    assert body["category"] == "pc"
    assert body["owner"] == "borgholm"
    assert body["status"] == "in_stock"
    assert body["purchase_date"] == "2024-08-15"
    assert body["price_sek"] == "12490.50"
    assert body["depreciation_months"] == 48
    assert body["model"] == "Latitude 5440"
    assert body["location"] == "Slottsskolan Hus A A12"


def test_tags_are_found_whatever_their_case(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    response = client.get(
        f"/api/v1/assets/{asset.tag.lower()}", headers=bearer(session, ref.viewer.email)
    )
    assert response.status_code == 200


def test_an_unknown_tag_is_a_json_404(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    response = client.get("/api/v1/assets/IT-999999", headers=bearer(session, ref.viewer.email))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_another_owners_asset_is_answered_word_for_word_as_a_missing_one(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, owner_id=ref.borgholm.id)
    scoped = bearer(session, ref.viewer_morbylanga.email)
    typed = asset.tag.lower()
    missing = "it-" + "9" * (len(typed) - 3)
    hidden = client.get(f"/api/v1/assets/{typed}", headers=scoped)
    absent = client.get(f"/api/v1/assets/{missing}", headers=scoped)
    assert hidden.status_code == absent.status_code == 404
    assert hidden.get_json() == {
        **absent.get_json(),
        "error": {
            **absent.get_json()["error"],
            "message": absent.get_json()["error"]["message"].replace(missing, typed),
        },
    }
    assert typed in hidden.get_json()["error"]["message"]
    page = client.get(f"/assets/{typed}", headers=scoped)
    assert page.status_code == 404 and asset.tag not in page.get_data(as_text=True)


def test_a_bad_or_revoked_token_is_refused(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    from inventory.models import ApiToken

    make_asset(session, ref)
    assert client.get("/api/v1/assets", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/api/v1/assets", headers={"Authorization": "Basic abc"}).status_code == 401
    headers = bearer(session, ref.viewer.email)
    assert client.get("/api/v1/assets", headers=headers).status_code == 200
    for token in session.exec(__import__("sqlmodel").select(ApiToken)):
        token.revoked = True
        session.add(token)
    session.commit()
    assert client.get("/api/v1/assets", headers=headers).status_code == 401


def test_tokens_are_stored_hashed(session: Session, ref: Reference) -> None:
    from inventory.models import ApiToken

    token = users.create_token(session, email=ref.viewer.email, now=NOW)
    stored = session.exec(__import__("sqlmodel").select(ApiToken)).one()
    assert token not in stored.token_hash and stored.token_hash == users.hash_token(token)


def test_the_list_filters_and_counts(client: FlaskClient, session: Session, ref: Reference) -> None:
    for _ in range(3):
        make_asset(session, ref, owner_id=ref.borgholm.id)
    make_asset(
        session, ref, owner_id=ref.morbylanga.id, model_id=ref.iphone.id, holder="Pelle Telefon"
    )
    headers = bearer(session, ref.viewer.email)
    every = client.get("/api/v1/assets", headers=headers).get_json()
    assert every["total"] == 4 and len(every["items"]) == 4
    assert client.get("/api/v1/assets?owner=borgholm", headers=headers).get_json()["total"] == 3
    assert client.get("/api/v1/assets?category=phone", headers=headers).get_json()["total"] == 1
    # Registered with its holder, the phone is out with him: the one deployed.
    assert client.get("/api/v1/assets?status=deployed", headers=headers).get_json()["total"] == 1
    assert client.get("/api/v1/assets?status=in_repair", headers=headers).get_json()["total"] == 0
    found = client.get("/api/v1/assets?q=telefon", headers=headers).get_json()
    assert [i["holder"] for i in found["items"]] == ["Pelle Telefon"]
    page = client.get("/api/v1/assets?per_page=2&page=2", headers=headers).get_json()
    assert page["total"] == 4 and len(page["items"]) == 2


def test_search_finds_substrings_of_tag_serial_holder_model_and_hostname(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    make_asset(
        session, ref, tag="BH-SW-0042", hostname="bh-core-sw01", serial="FOC1234X", holder=None
    )
    make_asset(session, ref, model_id=ref.iphone.id, holder="Åsa Öberg")
    login(client, ref.viewer.email)
    for query, expected in [
        ("sw-00", 1),
        ("core-sw", 1),
        ("c1234", 1),
        ("öberg", 1),
        ("iphone", 1),
        ("latitude", 1),
        ("dell", 1),
        ("BH", 1),
        ("zzz", 0),
    ]:
        total = client.get(f"/api/v1/assets?q={query}").get_json()["total"]
        assert total == expected, query


def test_bad_query_parameters_get_a_clear_error(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.viewer.email)
    for query, field in [
        ("status=broken", "status"),
        ("owner=stockholm", "owner"),
        ("page=0", "page"),
        ("per_page=5000", "per_page"),
        ("page=abc", "page"),
        ("sort=evil", "sort"),
        ("q=" + "x" * 101, "q"),
    ]:
        response = client.get(f"/api/v1/assets?{query}")
        # A malformed query string is a bad request, as for the reports (a body is 422).
        assert response.status_code == 400, query
        error = response.get_json()["error"]
        assert error["code"] == "bad_request" and field in error["fields"], query
        assert error["fields"][field] and "Traceback" not in error["message"]


def test_lifecycle_figures_for_a_reference_date(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    import datetime as dt

    asset = make_asset(
        session,
        ref,
        purchase_date=dt.date(2022, 11, 1),
        price_ore=1_200_000,
        warranty_end=dt.date(2025, 11, 1),
    )
    headers = bearer(session, ref.viewer.email)
    body = client.get(f"/api/v1/assets/{asset.tag}?on=2024-11-01", headers=headers).get_json()
    assert body["book_value_sek"] == "6000.00"  # half of 12 000 kr after 24 of 48 months
    assert body["depreciation_end"] == "2026-11-01"
    assert body["due_date"] == "2027-11-01"
    assert body["flags"] == [] and body["reasons"] == []
    later = client.get(f"/api/v1/assets/{asset.tag}?on=2026-11-23", headers=headers).get_json()
    assert later["book_value_sek"] == "0.00"
    assert later["flags"] == ["due_soon", "depreciated_keep"]
    assert len(later["reasons"]) == 2
    for bad in ("2026-13-01", "yesterday", "2026-1-1"):
        response = client.get(f"/api/v1/assets/{asset.tag}?on={bad}", headers=headers)
        assert response.status_code == 400 and "on" in response.get_json()["error"]["fields"]


def test_categories_list_their_periods(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    body = client.get("/api/v1/categories", headers=bearer(session, ref.viewer.email)).get_json()
    pc = next(c for c in body["items"] if c["slug"] == "pc")
    assert (pc["depreciation_months"], pc["target_lifespan_months"], pc["horizon_months"]) == (
        48,
        60,
        12,
    )


def test_the_latest_assessment_and_its_wipe_are_in_the_json(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    """A controller checks every wipe: the API gives the latest assessment, not an older one,
    and null for a device never assessed."""
    import datetime as dt

    from ..factories import record_wipe

    assessed = make_asset(session, ref)
    never = make_asset(session, ref)
    record_wipe(session, ref, assessed, at=NOW - dt.timedelta(days=30))
    record_wipe(session, ref, assessed, at=NOW)
    headers = bearer(session, ref.viewer.email)
    latest = client.get(f"/api/v1/assets/{assessed.tag}", headers=headers).get_json()["assessment"]
    assert latest["assessed_at"].startswith(NOW.date().isoformat())
    assert latest["assessed_by"] == ref.technician.email
    assert (latest["wiped"], latest["wipe_method"], latest["wiped_by"]) == (
        True, "Blancco", "Tekniker",
    )  # fmt: skip
    assert (latest["recycler"], latest["certificate"]) == ("Stena Recycling", "SR-2026-001")
    assert (
        client.get(f"/api/v1/assets/{never.tag}", headers=headers).get_json()["assessment"] is None
    )
