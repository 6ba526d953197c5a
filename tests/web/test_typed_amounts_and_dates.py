"""Money and dates as a Swede types them, through the real forms, API and CLI (issue 10)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from inventory.models import Asset, Model

from ..conftest import login
from ..factories import Reference, make_asset
from .test_asset_forms import form_data

AMBIGUOUS_SV = "kan betyda både tusental och ören"
INVALID_DATE_SV = "Ogiltigt datum: skriv ÅÅÅÅ-MM-DD."
REQUIRED_SV = "Det här fältet är obligatoriskt."


def _register(client: FlaskClient, ref: Reference, **overrides: Any) -> tuple[int, str]:
    response = client.post("/assets/new", data=form_data(ref, **overrides))
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "ore"),
    [
        ("12500", 1_250_000),
        ("12 500", 1_250_000),
        ("12 500,50", 1_250_050),
        ("12500,50", 1_250_050),
        ("1.234,50", 123_450),
    ],
)
def test_the_asset_form_saves_each_accepted_amount_exactly(
    client: FlaskClient, session: Session, ref: Reference, typed: str, ore: int
) -> None:
    login(client, ref.technician.email)
    status, _ = _register(client, ref, price=typed)
    assert status == 302
    assert session.exec(select(Asset.price_ore).where(Asset.tag == "IT-100001")).one() == ore


@pytest.mark.parametrize("typed", ["12.500", "1.234", "1,234"])
def test_the_asset_form_refuses_an_ambiguous_amount_showing_the_accepted_forms(
    client: FlaskClient, session: Session, ref: Reference, typed: str
) -> None:
    login(client, ref.technician.email)
    status, html = _register(client, ref, price=typed)
    assert status == 422
    assert AMBIGUOUS_SV in html and "1.234,50" in html
    assert session.exec(select(func.count()).select_from(Asset)).one() == 0


def test_the_model_forms_standard_price_uses_the_same_grammar(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.admin.email)
    data = {"manufacturer": "Lenovo", "name": "ThinkPad T14", "category_id": ref.pc.id}
    refused = client.post("/admin/models/new", data={**data, "standard_price": "12.500"})
    assert AMBIGUOUS_SV in refused.get_data(as_text=True)
    assert session.exec(select(Model).where(Model.name == "ThinkPad T14")).first() is None
    saved = client.post("/admin/models/new", data={**data, "standard_price": "12 500"})
    assert saved.status_code == 302
    model = session.exec(select(Model).where(Model.name == "ThinkPad T14")).one()
    assert model.standard_price_ore == 1_250_000


@pytest.mark.parametrize(
    "field", ["purchase_date", "in_service_date", "warranty_end", "due_override"]
)
def test_an_impossible_date_on_the_asset_form_says_invalid_date_not_required(
    client: FlaskClient, ref: Reference, field: str
) -> None:
    login(client, ref.technician.email)
    status, html = _register(client, ref, **{field: "2025-02-30"})
    assert status == 422
    assert INVALID_DATE_SV in html
    assert REQUIRED_SV not in html


def test_a_malformed_purchase_date_says_invalid_date(client: FlaskClient, ref: Reference) -> None:
    login(client, ref.technician.email)
    for typed in ("1/8 2025", "20250801", "2025-8-1"):
        status, html = _register(client, ref, purchase_date=typed)
        assert status == 422 and INVALID_DATE_SV in html and REQUIRED_SV not in html, typed


@pytest.mark.parametrize("typed", ["", "   "])
def test_an_empty_purchase_date_still_says_required(
    client: FlaskClient, ref: Reference, typed: str
) -> None:
    login(client, ref.technician.email)
    status, html = _register(client, ref, purchase_date=typed)
    assert status == 422
    assert REQUIRED_SV in html and INVALID_DATE_SV not in html


def test_an_impossible_date_is_shown_as_typed_so_it_can_be_corrected(
    client: FlaskClient, ref: Reference
) -> None:
    login(client, ref.technician.email)
    _, html = _register(client, ref, warranty_end="2028-02-30")
    assert 'value="2028-02-30"' in html


def test_the_invalid_date_message_is_english_in_the_english_ui(
    client: FlaskClient, ref: Reference
) -> None:
    login(client, ref.technician.email)
    client.get("/lang/en")
    _, html = _register(client, ref, purchase_date="2025-02-30")
    assert "Invalid date: use YYYY-MM-DD." in html


def test_an_impossible_end_of_support_on_the_model_form_says_invalid_date(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.admin.email)
    response = client.post(
        "/admin/models/new",
        data={
            "manufacturer": "Lenovo",
            "name": "ThinkPad T14",
            "category_id": ref.pc.id,
            "end_of_support": "2030-02-30",
        },
    )
    assert INVALID_DATE_SV in response.get_data(as_text=True)
    assert session.exec(select(Model).where(Model.name == "ThinkPad T14")).first() is None


def test_a_date_that_cannot_be_true_is_refused(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    """In use before it was bought: the dates are read, then the domain's rules refuse."""
    login(client, ref.technician.email)
    status, html = _register(client, ref, purchase_date="2025-08-01", in_service_date="2025-07-31")
    assert status == 422 and "is-invalid" in html
    assert session.exec(select(func.count()).select_from(Asset)).one() == 0


def test_the_api_answers_an_impossible_reference_date_with_invalid_date(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    login(client, ref.viewer.email)
    for bad in ("2026-02-30", "20261123"):
        response = client.get(f"/api/v1/assets/{asset.tag}?on={bad}")
        assert response.status_code == 400  # a query string the API cannot read
        fields = response.get_json()["error"]["fields"]
        assert fields == {"on": INVALID_DATE_SV}
    assert client.get(f"/api/v1/assets/{asset.tag}?on=2026-02-28").status_code == 200


def test_the_cli_answers_an_impossible_date_with_invalid_date(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["jobs", "run", "digest", "--on", "2026-02-30"])
    assert result.exit_code != 0
    assert "Invalid date: use YYYY-MM-DD." in result.output


def test_the_cli_reads_a_possible_date(app: Flask) -> None:
    from inventory.cli import _TYPED_DATE

    assert _TYPED_DATE.convert("2026-02-28", None, None) == dt.date(2026, 2, 28)


def test_an_ambiguous_amount_and_an_impossible_date_are_both_shown_at_once(
    client: FlaskClient, ref: Reference
) -> None:
    login(client, ref.technician.email)
    status, html = _register(client, ref, price="12.500", purchase_date="2025-02-30")
    assert status == 422
    assert AMBIGUOUS_SV in html and INVALID_DATE_SV in html
