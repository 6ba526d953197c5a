"""The cost keys' admin page (/admin/cost-keys): an admin for all owners only."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlmodel import Session, select

from inventory.models import CostKey
from inventory.services import cost_keys

from ..conftest import login
from ..factories import NOW, Reference


def test_an_admin_sees_the_keys_with_their_shares(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    cost_keys.set_users(
        session, actor=None, year=2025, users={"morbylanga": 2002, "borgholm": 1658}, now=NOW
    )
    login(client, ref.admin.email)
    page = client.get("/admin/cost-keys").get_data(as_text=True)
    assert "Fördelningsnycklar" in page
    assert "54,7 %" in page and "45,3 %" in page and "2002" in page
    assert "/admin/cost-keys" in client.get("/admin/").get_data(as_text=True)


def test_an_admin_sets_a_years_users(client: FlaskClient, session: Session, ref: Reference) -> None:
    login(client, ref.admin.email)
    form = client.get("/admin/cost-keys").get_data(as_text=True)
    assert 'name="users_borgholm"' in form and 'name="users_morbylanga"' in form
    assert 'value="2026"' in form  # the split date's year
    response = client.post(
        "/admin/cost-keys",
        data={"year": "2026", "users_borgholm": "1650", "users_morbylanga": "2010"},
    )
    assert response.status_code == 302
    stored = {
        k.owner_id: k.users for k in session.exec(select(CostKey).where(CostKey.year == 2026))
    }
    assert stored == {ref.borgholm.id: 1650, ref.morbylanga.id: 2010}
    again = client.get("/admin/cost-keys?year=2026").get_data(as_text=True)
    assert 'value="1650"' in again


def test_a_negative_number_of_users_is_shown_on_the_form(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.admin.email)
    response = client.post(
        "/admin/cost-keys", data={"year": "2026", "users_borgholm": "-3", "users_morbylanga": "2"}
    )
    assert response.status_code == 422
    assert session.exec(select(CostKey)).all() == []


def test_a_scoped_admin_can_neither_read_nor_change_the_key(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.admin_borgholm.email)
    assert client.get("/admin/cost-keys").status_code == 403
    response = client.post(
        "/admin/cost-keys", data={"year": "2026", "users_borgholm": "9999", "users_morbylanga": "1"}
    )
    assert response.status_code == 403
    assert "administratör för alla ägare" in response.get_data(as_text=True)
    assert session.exec(select(CostKey)).all() == []
    assert "/admin/cost-keys" not in client.get("/admin/").get_data(as_text=True)


def test_the_save_button_comes_after_the_users_fields(client, ref) -> None:  # type: ignore[no-untyped-def]
    from ..conftest import login

    login(client, ref.admin.email)
    page = client.get("/admin/cost-keys").get_data(as_text=True)
    assert page.index('name="users_morbylanga"') < page.index('name="submit"')
    assert page.index('name="users_borgholm"') < page.index('name="submit"')
