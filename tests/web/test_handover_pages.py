"""The owners' pages and the handover page through Flask's test client: the leaving date,
the downloads, the hand-over button with its confirm step, the report, and what the
owner's users meet afterwards (login refused with a clear message, tokens answered 401)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import Session, select

from inventory.domain.attachments import Kind
from inventory.domain.statuses import DisposalKind
from inventory.models import Asset, AuditEvent, OwnerHandover

from ..conftest import login
from ..departing import Departing, make_departing
from ..evidence import attach_later, pdf
from ..factories import PASSWORD, TODAY, Reference
from .test_csrf import token


@pytest.fixture
def w(session: Session, ref: Reference) -> Departing:
    """Mörbylånga leaves today (the app's fixed date), so its register may be handed over."""
    return make_departing(session, ref, leaves_on=TODAY)


def page_of(w: Departing) -> str:
    return f"/admin/owners/{w.owner.id}/handover"


def hand_over(client: FlaskClient, w: Departing) -> None:
    response = client.post(page_of(w), data={"confirm": "yes"})
    assert response.status_code == 302


# --- owners and their leaving dates ----------------------------------------------------------


def test_the_owners_list_shows_each_owner_with_its_leaving_date(
    client: FlaskClient, w: Departing
) -> None:
    login(client, w.ref.admin.email)
    body = client.get("/admin/owners").get_data(as_text=True)
    for name in ("Borgholms kommun", "Mörbylånga kommun", "Gemensam egendom"):
        assert name in body
    assert TODAY.isoformat() in body
    assert "Ägare och överlämning" in client.get("/admin/").get_data(as_text=True)


def test_an_admin_sets_the_leaving_date_and_it_is_audited(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.admin.email)
    response = client.post(f"/admin/owners/{ref.borgholm.id}", data={"leaves_on": "2028-12-31"})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(type(ref.borgholm), ref.borgholm.id).leaves_on == dt.date(2028, 12, 31)  # type: ignore[union-attr]
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "owner.leaves_on")).one()
    assert audit.details == {"before": None, "after": "2028-12-31"}


@pytest.mark.parametrize("typed", ["2026-02-30", "31/12/2026", "2026-12-1"])
def test_an_impossible_or_malformed_date_is_a_clear_error(
    client: FlaskClient, session: Session, ref: Reference, typed: str
) -> None:
    login(client, ref.admin.email)
    response = client.post(f"/admin/owners/{ref.borgholm.id}", data={"leaves_on": typed})
    assert response.status_code == 422
    assert "Ogiltigt datum" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(type(ref.borgholm), ref.borgholm.id).leaves_on is None  # type: ignore[union-attr]


def test_the_joint_property_gets_no_leaving_date(client: FlaskClient, ref: Reference) -> None:
    login(client, ref.admin.email)
    response = client.post(f"/admin/owners/{ref.joint.id}", data={"leaves_on": "2026-12-31"})
    assert response.status_code == 422
    assert "delas" in response.get_data(as_text=True)


def test_a_scoped_admin_is_refused_every_owner_page(
    app: Flask, client: FlaskClient, w: Departing
) -> None:
    login(client, w.ref.admin_borgholm.email)
    own, other = w.ref.borgholm.id, w.owner.id
    for owner_id in (own, other):
        for url in (
            f"/admin/owners/{owner_id}",
            f"/admin/owners/{owner_id}/handover",
            f"/admin/owners/{owner_id}/handover.xlsx",
            f"/admin/owners/{owner_id}/handover.json",
            f"/admin/owners/{owner_id}/handover-snipeit.csv",
        ):
            assert client.get(url).status_code == 403, url
        assert (
            client.post(f"/admin/owners/{owner_id}/handover", data={"confirm": "yes"}).status_code
            == 403
        )
    assert client.get("/admin/owners").status_code == 403
    assert "/admin/owners" not in client.get("/admin/").get_data(as_text=True)


# --- the handover page ---------------------------------------------------------------------


def test_before_the_leaving_date_the_button_is_disabled(
    client: FlaskClient, session: Session, w: Departing
) -> None:
    w.owner.leaves_on = dt.date(2026, 12, 31)
    session.add(w.owner)
    session.commit()
    login(client, w.ref.admin.email)
    body = client.get(page_of(w)).get_data(as_text=True)
    assert re.search(r'<button[^>]*disabled[^>]*id="start-handover"', body)
    assert "från och med 2026-12-31" in body
    assert "confirm-handover" not in client.get(page_of(w) + "?confirm=1").get_data(as_text=True)
    client.post(page_of(w), data={"confirm": "yes"})
    assert session.exec(select(OwnerHandover)).all() == []


def test_the_page_shows_the_date_counts_and_downloads(client: FlaskClient, w: Departing) -> None:
    login(client, w.ref.admin.email)
    body = client.get(page_of(w)).get_data(as_text=True)
    assert "Lämnar samverkan den 2026-11-23." in body
    assert 'data-count="assets">4<' in body and 'data-count="remaining">3<' in body
    assert 'data-count="users">2<' in body
    for ending in ("handover.xlsx", "handover.json", "handover-snipeit.csv"):
        assert f"/admin/owners/{w.owner.id}/{ending}" in body
    assert re.search(r'<a[^>]*href="[^"]*confirm=1"[^>]*id="start-handover"', body)


def test_the_confirm_step_names_what_will_happen(client: FlaskClient, w: Departing) -> None:
    login(client, w.ref.admin.email)
    body = client.get(page_of(w) + "?confirm=1").get_data(as_text=True)
    assert "3 tillgångar som fortfarande är i bruk" in body
    assert w.tech.email in body and w.viewer.email in body
    assert 'id="confirm-handover"' in body


def test_the_post_without_the_confirm_box_changes_nothing(
    client: FlaskClient, session: Session, w: Departing
) -> None:
    login(client, w.ref.admin.email)
    response = client.post(page_of(w), data={})
    assert response.status_code == 302 and "confirm=1" in response.headers["Location"]
    assert session.exec(select(OwnerHandover)).all() == []


def test_handing_over_shows_the_report(client: FlaskClient, session: Session, w: Departing) -> None:
    login(client, w.ref.admin.email)
    hand_over(client, w)
    body = client.get(page_of(w)).get_data(as_text=True)
    assert 'id="report"' in body
    assert "3 tillgångar lämnade registret som överlämnade." in body
    assert "1 API-token återkallades." in body
    deactivated = body[body.index('id="deactivated"') :]
    assert w.tech.email in deactivated and w.viewer.email in deactivated
    assert "start-handover" not in body
    session.expire_all()
    for asset in w.remaining:
        row = session.get(Asset, asset.id)
        assert row is not None and row.disposal_kind == DisposalKind.HANDED_OVER


def test_the_post_needs_its_csrf_token(
    make_app: Callable[..., Flask], session: Session, w: Departing
) -> None:
    client = make_app(csrf_enabled=True).test_client()
    login_page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={"email": w.ref.admin.email, "password": PASSWORD, "csrf_token": token(login_page)},
    )
    assert client.post(page_of(w), data={"confirm": "yes"}).status_code == 400
    assert session.exec(select(OwnerHandover)).all() == []
    form = client.get(page_of(w) + "?confirm=1").get_data(as_text=True)
    response = client.post(page_of(w), data={"confirm": "yes", "csrf_token": token(form)})
    assert response.status_code == 302
    assert len(session.exec(select(OwnerHandover)).all()) == 1


def test_each_download_is_a_file_and_is_audited(
    client: FlaskClient, session: Session, w: Departing
) -> None:
    login(client, w.ref.admin.email)
    xlsx = client.get(f"/admin/owners/{w.owner.id}/handover.xlsx")
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx.content_type
    assert "overlamning-morbylanga-2026-11-23.xlsx" in xlsx.headers["Content-Disposition"]
    assert "Tillgångar" in load_workbook(io.BytesIO(xlsx.data)).sheetnames
    document = client.get(f"/admin/owners/{w.owner.id}/handover.json").get_json()
    assert len(document["assets"]) == 4
    csv_file = client.get(f"/admin/owners/{w.owner.id}/handover-snipeit.csv")
    assert csv_file.content_type.startswith("text/csv")
    assert csv_file.data.decode("utf-8-sig").startswith("Company,Name,Asset Tag,Serial Number")
    audits = session.exec(select(AuditEvent).where(AuditEvent.action == "owner.export")).all()
    assert [a.details["format"] for a in audits] == ["xlsx", "json", "snipeit-csv"]
    assert all(a.actor_id == w.ref.admin.id and a.subject == "morbylanga" for a in audits)


def test_the_attached_files_download_as_a_zip_and_it_is_audited(
    client: FlaskClient, session: Session, w: Departing
) -> None:
    certificate = attach_later(
        session, w.ref, w.recycled, Kind.RECYCLING_CERTIFICATE, name="intyg.pdf"
    )
    login(client, w.ref.admin.email)
    page = client.get(page_of(w)).get_data(as_text=True)
    assert "Ladda ner 1 bifogad fil (ZIP)" in page
    response = client.get(f"/admin/owners/{w.owner.id}/handover-files.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    disposition = response.headers["Content-Disposition"]
    assert disposition.replace('"', "") == (
        "attachment; filename=overlamning-morbylanga-2026-11-23-filer.zip"
    )
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.read(f"{w.recycled.tag}/{certificate.id}-intyg.pdf") == pdf()
    [audit] = session.exec(select(AuditEvent).where(AuditEvent.action == "owner.export")).all()
    assert audit.details == {"format": "files-zip", "files": 1, "bytes": len(pdf())}
    assert audit.actor_id == w.ref.admin.id and audit.subject == "morbylanga"
    login(client, w.ref.admin_borgholm.email)
    assert client.get(f"/admin/owners/{w.owner.id}/handover-files.zip").status_code == 403


# --- afterwards ----------------------------------------------------------------------------


def test_the_owners_users_can_no_longer_log_in_and_are_told_why(
    app: Flask, client: FlaskClient, session: Session, w: Departing
) -> None:
    tech = app.test_client()
    login(tech, w.tech.email)
    assert tech.get("/").status_code == 200
    login(client, w.ref.admin.email)
    hand_over(client, w)
    assert tech.get("/").status_code == 302  # the open session has ended
    refused = app.test_client().post("/login", data={"email": w.tech.email, "password": PASSWORD})
    assert refused.status_code == 403
    text = refused.get_data(as_text=True)
    assert "Ditt konto stängdes när registret för Mörbylånga kommun överlämnades" in text
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "login.closed")).all()
    # A wrong password learns nothing of it.
    wrong = app.test_client().post("/login", data={"email": w.tech.email, "password": "fel-lösen"})
    assert wrong.status_code == 200 and "stängdes" not in wrong.get_data(as_text=True)


def test_the_owners_tokens_give_401(app: Flask, client: FlaskClient, w: Departing) -> None:
    bearer = {"Authorization": f"Bearer {w.token}"}
    assert app.test_client().get("/api/v1/assets", headers=bearer).status_code == 200
    login(client, w.ref.admin.email)
    hand_over(client, w)
    response = app.test_client().get("/api/v1/assets", headers=bearer)
    assert response.status_code == 401


def test_a_handed_over_asset_stays_readable(client: FlaskClient, w: Departing) -> None:
    login(client, w.ref.admin.email)
    hand_over(client, w)
    page = client.get(f"/assets/{w.deployed.tag}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Avyttrad (Överlämnad)" in body
    assert "Maja Mörby" in body  # in the history
    assert f"/assets/{w.deployed.tag}/do/" not in body  # no actions on a disposed asset


def test_the_status_form_offers_no_handover(client: FlaskClient, w: Departing) -> None:
    login(client, w.ref.admin.email)
    body = client.get(f"/assets/{w.in_stock.tag}").get_data(as_text=True)
    assert 'value="recycled"' in body and 'value="handed_over"' not in body
    client.post(
        f"/assets/{w.in_stock.tag}/status",
        data={
            "target": "disposed",
            "disposal_kind": "handed_over",
            "version": "1",
            "confirmed": "1",
        },
    )
    assert client.get(f"/assets/{w.in_stock.tag}").status_code == 200


def test_the_dashboard_no_longer_counts_them(client: FlaskClient, w: Departing) -> None:
    def cell(body: str, category: str) -> str:
        found = re.search(
            rf'data-category="{category}" data-owner="morbylanga">\s*(?:<a[^>]*>)?([0-9]+)', body
        )
        assert found, category
        return found.group(1)

    login(client, w.ref.admin.email)
    before = client.get("/dashboard").get_data(as_text=True)
    assert (cell(before, "pc"), cell(before, "phone")) == ("2", "1")
    hand_over(client, w)
    after = client.get("/dashboard").get_data(as_text=True)
    assert (cell(after, "pc"), cell(after, "phone")) == ("0", "0")


def test_after_the_handover_the_leaving_date_stays(
    client: FlaskClient, session: Session, w: Departing
) -> None:
    login(client, w.ref.admin.email)
    hand_over(client, w)
    response = client.post(f"/admin/owners/{w.owner.id}", data={"leaves_on": "2027-06-30"})
    assert response.status_code == 422
    assert "datumet ligger fast" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(type(w.owner), w.owner.id).leaves_on == TODAY  # type: ignore[union-attr]
