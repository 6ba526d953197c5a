"""The refresh plan page and its CSV and XLSX, on the fleet of tests/plan_fleet.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import Session, select

from inventory.models import Asset, AssetFlag, AuditEvent, Category

from ..factories import Reference
from ..plan_fleet import make_plan_fleet


def test_the_page_shows_the_plan_and_the_what_if(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    make_plan_fleet(session, ref)
    client = as_user(ref.viewer.email)
    page = client.get("/reports/refresh-plan?from=2026-12-02").get_data(as_text=True)
    assert "Förnyelseplan" in page and "<svg" in page
    assert "Q1 2027" in page and "24\u00a0980,00\u00a0kr" in page
    assert "2 enheter skulle ha bytts före planens start." in page
    assert "Vad händer om" in page
    what_if = client.get("/reports/refresh-plan?from=2026-12-02&lifespan.pc=72").get_data(
        as_text=True
    )
    assert "Q2 2027" in what_if and "Scenario" in what_if
    refused = client.get("/reports/refresh-plan?years=99", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Antalet år måste vara från 1 till 10." in refused


def test_the_exports_match_the_page(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    make_plan_fleet(session, ref)
    client = as_user(ref.viewer.email)
    text = client.get("/reports/refresh-plan.csv?from=2026-12-02").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    two_latitudes = ["Borgholms kommun", "Datorer", "2", "24980.00", "600.0", "0", "0"]
    assert rows[1] == ["Försenad", "", *two_latitudes]
    assert rows[2] == ["2027", "1", *two_latitudes]
    body = client.get("/reports/refresh-plan.xlsx?from=2026-12-02").get_data()
    sheet = load_workbook(io.BytesIO(body)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=3)]
    assert cells[1] == [2027, 1, "Borgholms kommun", "Datorer", 2, 24980.0, 600.0, 0, 0]
    money = sheet.cell(row=3, column=6)
    assert money.number_format == '#,##0.00 "kr"'
    assert len(rows) - 1 == sheet.max_row - 1 == 6
    assert client.get("/reports/refresh-plan.csv?years=0").status_code == 400


def test_each_figure_leads_to_its_devices(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    fleet = make_plan_fleet(session, ref)
    client = as_user(ref.viewer.email)
    page = client.get("/reports/refresh-plan?from=2026-12-02").get_data(as_text=True)
    link = "/reports/refresh-plan/devices?from=2026-12-02&amp;owner=borgholm&amp;category=pc&amp;year=2027&amp;quarter=1"
    assert link in page
    devices = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert fleet["due-2027-02"].tag in devices and fleet["due-2027-03"].tag in devices
    assert fleet["overdue"].tag not in devices
    query = "from=2026-12-02&owner=borgholm&category=pc"
    text = client.get(f"/reports/refresh-plan/devices.csv?{query}").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [r[0] for r in rows[1:]] == [fleet["override"].tag, fleet["overdue"].tag]
    assert rows[2][4:] == ["2021-06-01", "2026-06-01", "12490.00", "300.0"]
    refused = client.get(f"/reports/refresh-plan/devices?{query}&year=2027", follow_redirects=True)
    assert "Ange både år och kvartal" in refused.get_data(as_text=True)
    assert client.get(f"/reports/refresh-plan/devices.csv?{query}&quarter=5").status_code == 400


def test_an_admin_for_all_owners_makes_the_what_if_the_rule(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    make_plan_fleet(session, ref)
    client = as_user(ref.admin.email)
    page = client.get("/reports/refresh-plan?from=2026-12-02&lifespan.pc=72").get_data(as_text=True)
    assert 'id="adopt"' in page and "Datorer 72 månader" in page
    form = {"from": "2026-12-02", "lifespan.pc": "72"}
    bought_2021 = fleet_tag_id(session, "2021-06-01")
    flags_before = session.exec(select(AssetFlag.flag).where(AssetFlag.asset_id == bought_2021))
    assert "overdue" in set(flags_before)
    # Without the confirm tick nothing is saved, and the what-if stays on the page.
    unconfirmed = client.post("/reports/refresh-plan/adopt", data=form)
    assert unconfirmed.status_code == 302 and "lifespan.pc=72" in unconfirmed.location
    session.expire_all()
    assert session.get(Category, ref.pc.id).target_lifespan_months == 60  # type: ignore[union-attr]
    saved = client.post("/reports/refresh-plan/adopt", data={**form, "confirm": "1"})
    assert saved.status_code == 302
    session.expire_all()
    assert session.get(Category, ref.pc.id).target_lifespan_months == 72  # type: ignore[union-attr]
    (entry,) = session.exec(select(AuditEvent).where(AuditEvent.action == "lifespans_adopted"))
    assert entry.details == {"target_lifespan_months": {"pc": [60, 72]}}
    assert entry.actor_id == ref.admin.id
    # The flags follow the rule at once: the Latitude bought 2021-06-01 is no longer overdue.
    flags_after = session.exec(select(AssetFlag.flag).where(AssetFlag.asset_id == bought_2021))
    assert "overdue" not in set(flags_after)
    # The plan under the new rule is the what-if's.
    after = client.get("/reports/refresh-plan?from=2026-12-02").get_data(as_text=True)
    assert "Q2 2027" in after and 'id="adopt"' not in after


def fleet_tag_id(session: Session, bought: str) -> int | None:
    asset = session.exec(
        select(Asset).where(Asset.purchase_date == dt.date.fromisoformat(bought))
    ).one()
    return asset.id


def test_no_one_else_makes_it_the_rule(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    make_plan_fleet(session, ref)
    form = {"from": "2026-12-02", "lifespan.pc": "72", "confirm": "1"}
    for email, status in ((ref.admin_borgholm.email, 403), (ref.viewer.email, 403)):
        client = as_user(email)
        page = client.get("/reports/refresh-plan?lifespan.pc=72").get_data(as_text=True)
        assert 'id="adopt"' not in page
        assert client.post("/reports/refresh-plan/adopt", data=form).status_code == status
        client.post("/logout")
    session.expire_all()
    assert session.get(Category, ref.pc.id).target_lifespan_months == 60  # type: ignore[union-attr]
