"""The sustainability page, its CSV, XLSX and tertial PDF, and the JSON API, on the fleet of
tests/sustainability_fleet.py. The year 2025, the fleet on 2025-12-31: Borgholm's computers
A3, A4, A8, A9 (5 030 days of age together: 3.44 years each); A1 and A2 retired after
2 220 and 1 984 days (5.75 years: the 5-year KPI met); A3 and A4 handed out, A3 reused; one
300-kg computer bought in 2025 as in 2024 (no change: the −5 % KPI not met)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pypdfium2
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import Session

from ..factories import Reference
from ..sustainability_fleet import make_sustainability_fleet

YEAR_2025 = "year=2025"


def test_the_page_shows_both_kpis_the_charts_and_the_table(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    make_sustainability_fleet(session, ref)
    client = as_user(ref.viewer.email)
    page = client.get(f"/reports/sustainability?{YEAR_2025}").get_data(as_text=True)
    assert "Hållbarhet · 2025" in page
    assert "Lång livslängd och cirkulär användning av datorer" in page
    assert "Minskat klimatavtryck på inköp av standarddatorer" in page
    # 5.75 years on average for the two computers retired: met. No change in kg: not met.
    assert "5,8 <span" in page and "Uppfyllt" in page and "Inte uppfyllt" in page
    assert "+0,0\u00a0%" in page
    assert page.count('class="report-chart"') == 2 and 'id="trend-chart"' in page
    # Borgholm's computers: 4 active, 3,4 years, target 5,0, 2 retired at 5,8, 2 handed out, 1 reused.
    row = page[page.index("<td>Borgholms kommun</td><td>Datorer</td>") :]
    row = row[: row.index("</tr>")]
    cells = [c.split(">")[-1] for c in row.split("</td>")[:-1]]
    assert cells == ["Borgholms kommun", "Datorer", "4", "3,4", "5,0", "2", "5,8", "2", "1"]
    client.get("/lang/en")
    english = client.get(f"/reports/sustainability?{YEAR_2025}").get_data(as_text=True)
    assert "Long life and circular use of computers" in english and "5.8 <span" in english


def test_a_wrong_period_is_said_and_the_current_tertial_shown(
    ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    client = as_user(ref.viewer.email)
    page = client.get("/reports/sustainability?year=2025&tertial=4", follow_redirects=True)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Tertialet måste vara 1, 2 eller 3." in text
    assert "Hållbarhet · T3 2026" in text
    later = client.get("/reports/sustainability?year=2027").get_data(as_text=True)
    assert "Perioden har inte börjat än." in later
    assert client.get("/reports/sustainability.csv?on=2025-02-30").status_code == 400


def test_the_exports_match_the_page(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    make_sustainability_fleet(session, ref)
    client = as_user(ref.viewer.email)
    text = client.get(f"/reports/sustainability.csv?{YEAR_2025}").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Ägare", "Kategori", "Aktiv", "Medelålder (år)"]
    assert ["Borgholms kommun", "Datorer", "4", "3.4", "5.0", "2", "5.8", "2", "1"] in rows
    assert ["Borgholms kommun", "Mobiltelefoner", "1", "2.8", "4.0", "0", "", "0", "0"] in rows
    body = client.get(f"/reports/sustainability.xlsx?{YEAR_2025}").get_data()
    book = load_workbook(io.BytesIO(body))
    assert book.sheetnames == ["Per ägare och kategori", "Utveckling", "Klimat"]
    sheet = book["Per ägare och kategori"]
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert len(values) == len(rows) - 1
    pc = next(v for v in values if v[:2] == ["Borgholms kommun", "Datorer"])
    assert pc[2] == 4 and isinstance(pc[2], int)
    assert round(pc[3], 4) == round(5030 / 365.25 / 4, 4)  # unrounded, shown as 0.0
    pc_row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "Datorer")
    assert pc_row[3].number_format == "0.0"
    assert f"{pc[3]:.1f}" == "3.4" and f"{pc[6]:.1f}" == "5.8"
    climate = [[c.value for c in r] for r in book["Klimat"].iter_rows(min_row=2)]
    assert [row[0] for row in climate] == [2020, 2021, 2022, 2023, 2024, 2025]
    assert climate[-1][2:5] == [1, 0, 300.0] and climate[-1][6] == 0
    assert book["Klimat"].cell(row=7, column=7).number_format == "0.0 %"
    trend = [[c.value for c in r] for r in book["Utveckling"].iter_rows(min_row=2)]
    assert len(trend) == 12 and trend[-1][0] == "T3 2025"


def test_the_tertial_follow_up_pdf_shows_both_kpis(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    make_sustainability_fleet(session, ref)
    client = as_user(ref.viewer.email)
    response = client.get(f"/reports/sustainability.pdf?{YEAR_2025}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.data)
    assert 1 <= len(pdf) <= 2
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    text = " ".join(text.split())
    assert "Tertialuppföljning: hållbarhet · 2025" in text
    assert "Lång livslängd och cirkulär användning av datorer" in text
    assert "Minskat klimatavtryck på inköp av standarddatorer" in text
    assert "5,8 år i genomsnitt för 2 avvecklade datorer" in text
    assert "+0,0 %" in text and "−5,0 % per år" in text
    # Rendered: the trend chart's lines are drawn in the page's blue and teal.
    image = pdf[0].render(scale=1.5).to_pil().convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 24) or []}
    assert any(abs(r - 0x0D) < 40 and abs(g - 0x6E) < 40 and b > 200 for r, g, b in colours)
    assert any(r < 80 and g > 160 and 120 < b < 200 for r, g, b in colours)


def test_the_api_gives_the_same_figures(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    make_sustainability_fleet(session, ref)
    client = as_user(ref.viewer.email)
    body = client.get("/api/v1/reports/sustainability?year=2025&tertial=2").get_json()
    assert body["period"] == {"name": "T2 2025", "from": "2025-05-01", "to": "2025-08-31"}
    assert body["on"] == "2025-08-31"
    items = {(i["owner"], i["category"]): i for i in body["items"]}
    pc = items[("borgholm", "pc")]
    assert pc["active_count"] == 5 and pc["target_years"] == 5.0
    assert pc["average_age_years"] == 6481 / 365.25 / 5  # unrounded
    assert (pc["retired_count"], pc["average_lifespan_at_retirement_years"]) == (0, None)
    assert pc["reused_count"] == 1 and pc["handed_out_count"] == 2
    kpi = body["kpi"]
    assert kpi["computers"] == ["pc", "chromebook"]
    assert kpi["lifespan"] == {"retired_count": 0, "average_lifespan_at_retirement_years": None,
                               "target_years": 5.0, "met": None}  # fmt: skip
    assert kpi["reuse"]["reused_share"] == 0.5
    assert kpi["climate"]["met"] is False and kpi["climate"]["target_change"] == -0.05
    assert len(body["trend"]) == 12 and body["climate"][-1]["year"] == 2025
    on = client.get("/api/v1/reports/sustainability?on=2025-06-30").get_json()
    assert on["period"]["from"] == "2025-05-01" and on["period"]["to"] == "2025-06-30"
    refused = client.get("/api/v1/reports/sustainability?year=20x5&tertial=9&owner=nobody")
    assert refused.status_code == 400
    assert set(refused.get_json()["error"]["fields"]) == {"year", "tertial"}
    unknown = client.get("/api/v1/reports/sustainability?owner=nobody")
    assert unknown.status_code == 400 and "owner" in unknown.get_json()["error"]["fields"]
    # A day to come (today is 2026-11-23) and a date outside the register's years.
    for query, field in (
        ("on=2026-11-24", "on"),
        ("on=0004-01-01", "on"),
        ("from=2025-01-01&to=3000-01-01", "to"),
    ):
        answer = client.get(f"/api/v1/reports/sustainability?{query}")
        assert answer.status_code == 400, query
        assert set(answer.get_json()["error"]["fields"]) == {field}, query
    phones = client.get("/api/v1/reports/sustainability?category=phone").get_json()
    assert phones["kpi"]["applies"] is False and phones["kpi"]["climate"]["met"] is None
    assert all("complete" in y for y in phones["climate"])
