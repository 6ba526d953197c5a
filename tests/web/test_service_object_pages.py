"""The invoicing basis page, CSV, XLSX and JSON on tests/invoicing_fleet.py for Q3 2026
(answers in tests/services/test_service_objects.py); the admin list; setting a selection
from the asset list; the category's default on its form; the field on the asset form."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import Session, select

from inventory.models import Asset, Category, ServiceObject

from ..factories import Reference
from ..invoicing_fleet import ADMINISTRATION, MOBILE, make_invoicing_fleet, object_ids

Q3 = "year=2026&quarter=3"


def test_the_invoicing_basis_page_and_its_exports_agree(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    make_invoicing_fleet(session, ref)
    client = as_user(ref.viewer.email)
    page = client.get(f"/reports/service-objects?{Q3}").get_data(as_text=True)
    assert "Faktureringsunderlag Q3 2026" in page and 'class="report-chart"' in page
    assert "11,48" in page and "4,99" in page and "Ingen verksamhet angiven" in page
    rows = list(csv.reader(io.StringIO(
        client.get(f"/reports/service-objects.csv?{Q3}").get_data().decode("utf-8-sig")),
        delimiter=";"))  # fmt: skip
    assert rows[0] == ["Kvartal", "Ägare", "Verksamhet", "Tjänsteobjekt", "Enheter",
                       "Enhetsdagar i bruk", "Objektmånader"]  # fmt: skip
    assert ["Q3 2026", "Borgholms kommun", "Kultur och fritid", MOBILE, "1", "46", "1.50"] in rows
    assert rows[-1] == ["Q3 2026", "Totalt", "", "", "", "352", "11.48"]
    book = load_workbook(io.BytesIO(client.get(f"/reports/service-objects.xlsx?{Q3}").get_data()))
    sheet = book["Faktureringsunderlag"]
    cells = list(sheet.iter_rows(min_row=2))
    assert len(cells) == len(rows) - 1
    first = next(
        r
        for r in cells
        if r[3].value == ADMINISTRATION and r[2].value != "Ingen verksamhet angiven"
    )
    assert [c.value for c in first[4:]] == [3, 153, 4.99] and first[6].number_format == "0.00"
    body = client.get(f"/api/v1/reports/service-objects?{Q3}").get_json()
    assert (body["from"], body["to"], body["total_object_months"]) == (
        "2026-07-01",
        "2026-09-30",
        "11.48",
    )
    item = next(i for i in body["items"] if i["business_unit"] == "Kultur och fritid")
    assert item == {"owner": "borgholm", "business_unit": "Kultur och fritid",
                    "business_unit_id": item["business_unit_id"], "service_object": MOBILE,
                    "count": 1, "days_in_use": 46, "object_months": "1.50"}  # fmt: skip
    # A quarter not begun, a fifth quarter, a year out of range: 400 with the reason.
    for bad in ("year=2027&quarter=1", "year=2026&quarter=5", "year=1999"):
        refused = client.get(f"/api/v1/reports/service-objects?{bad}")
        assert refused.status_code == 400, bad
    assert "Kvartalet har inte börjat" in client.get(
        "/api/v1/reports/service-objects?year=2027&quarter=1").get_json()["error"]["message"]  # fmt: skip
    assert client.get("/reports/service-objects.csv?quarter=x").status_code == 400


def test_a_technician_sets_the_list_s_selection(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    fleet = make_invoicing_fleet(session, ref)
    ids = object_ids(session)
    client = as_user(ref.tech_borgholm.email)
    listing = client.get(f"/assets/?category={ref.pc.slug}").get_data(as_text=True)
    assert f'href="/assets/service-object?category={ref.pc.slug}"' in listing
    asked = client.get(f"/assets/service-object?category={ref.pc.slug}").get_data(as_text=True)
    assert "För de 3 enheter som listans filter väljer" in asked  # A, B, E: not C, not F
    unchosen = client.post(
        f"/assets/service-object?category={ref.pc.slug}", data={"service_object_id": ""}
    )
    assert unchosen.status_code == 422 and "Välj ett tjänsteobjekt" in unchosen.get_data(
        as_text=True
    )
    done = client.post(f"/assets/service-object?category={ref.pc.slug}",
                       data={"service_object_id": str(ids["Utskrifter"])}, follow_redirects=True)  # fmt: skip
    assert "Tjänsteobjektet för 3 enheter har satts" in done.get_data(as_text=True)
    session.expire_all()
    got = {name: session.get(Asset, fleet[name].id).service_object_id for name in "ABCEF"}  # type: ignore[union-attr]
    assert got == {"A": ids["Utskrifter"], "B": ids["Utskrifter"], "E": ids["Utskrifter"],
                   "C": ids[ADMINISTRATION], "F": ids[ADMINISTRATION]}  # fmt: skip
    page = client.get(f"/assets/{fleet['B'].tag}").get_data(as_text=True)
    assert "Tjänsteobjekt" in page and "Utskrifter" in page
    assert as_user(ref.viewer.email).get("/assets/service-object").status_code == 403


def test_the_admin_page_edits_the_list_and_a_category_its_default(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    admin = as_user(ref.admin.email)
    page = admin.get("/admin/service-objects").get_data(as_text=True)
    assert "Datorarbetsplats pedagogisk" in page and "Nytt tjänsteobjekt" in page
    added = admin.post(
        "/admin/service-objects", data={"name": "Videokonferens"}, follow_redirects=True
    )
    assert "Videokonferens" in added.get_data(as_text=True)
    twice = admin.post("/admin/service-objects", data={"name": "videokonferens"})
    assert twice.status_code == 422 and "finns redan" in twice.get_data(as_text=True)
    made = session.exec(
        select(ServiceObject.id).where(ServiceObject.name == "Videokonferens")
    ).one()
    admin.post("/admin/service-objects", data={"id": str(made), "form": "delete"})
    session.expire_all()
    assert session.get(ServiceObject, made) is None
    # The category's form offers the list.
    ids = object_ids(session)
    form = admin.get(f"/admin/categories/{ref.phone.id}").get_data(as_text=True)
    assert "Tjänsteobjekt för dess enheter" in form and MOBILE in form
    admin.post(f"/admin/categories/{ref.phone.id}", data={
        "name": ref.phone.name, "depreciation_months": "36", "target_lifespan_months": "48",
        "horizon_months": "12", "service_object_id": str(ids[MOBILE])})  # fmt: skip
    session.rollback()  # end the test's read, which would see the database as it began
    assert session.get(Category, ref.phone.id).service_object_id == ids[MOBILE]  # type: ignore[union-attr]
    assert MOBILE in admin.get("/admin/categories").get_data(as_text=True)
    assert "Tjänsteobjekt" in admin.get("/assets/new").get_data(as_text=True)
    # A scoped admin (the same client, logged in anew) reads the list but changes nothing.
    scoped = as_user(ref.admin_borgholm.email)
    assert "Nytt tjänsteobjekt" not in scoped.get("/admin/service-objects").get_data(as_text=True)
    assert scoped.post("/admin/service-objects", data={"name": "X"}).status_code == 403
    assert "X" not in [o.name for o in session.exec(select(ServiceObject))]
