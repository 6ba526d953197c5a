"""The book value and stock value pages, their CSV and XLSX, and the JSON API, on the fleet
of tests/finance_fleet.py on 2025-06-30 (answers in tests/services/test_finance.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import Session

from ..factories import Reference
from ..finance_fleet import make_finance_fleet

ON = "on=2025-06-30"
# Borgholm's computers: 4 investments, 73 470 kr, depreciated 14 311,23 kr.
PC = ["Borgholms kommun", "Datorer", "4", "73470.00", "14311.23", "59158.77", "2", "25490.00"]


def test_the_book_value_page_and_its_exports_agree(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    make_finance_fleet(session, ref)
    client = as_user(ref.viewer.email)
    page = client.get(f"/reports/book-value?{ON}").get_data(as_text=True)
    assert "Bokfört värde per 2025-06-30" in page and 'class="report-chart"' in page
    assert "59\u00a0158,77\u00a0kr" in page and "14\u00a0311,23\u00a0kr" in page
    rows = list(csv.reader(io.StringIO(
        client.get(f"/reports/book-value.csv?{ON}").get_data().decode("utf-8-sig")), delimiter=";"))  # fmt: skip
    assert rows[0][:3] == ["Ägare", "Kategori", "Investeringar"]
    assert PC in rows and rows[-1][0] == "Totalt"
    book = load_workbook(io.BytesIO(client.get(f"/reports/book-value.xlsx?{ON}").get_data()))
    assert book.sheetnames == ["Bokfört värde", "Avskrivningar per år", "Avskrivningar per månad"]
    sheet = book["Bokfört värde"]
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert len(values) == len(rows) - 1
    pc = next(v for v in values if v[:2] == ["Borgholms kommun", "Datorer"])
    assert pc[2:6] == [4, 73470.0, 14311.23, 59158.77]
    cell = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "Datorer")[3]
    assert cell.number_format == '#,##0.00 "kr"'
    years = [[c.value for c in r] for r in book["Avskrivningar per år"].iter_rows()]
    assert years[0][2:] == ["2025", "2026", "2027", "2028", "2029"]
    body = client.get(f"/api/v1/reports/book-value?{ON}").get_json()
    item = next(i for i in body["items"] if (i["owner"], i["category"]) == ("borgholm", "pc"))
    assert item["count"] == 4 and item["book_value_sek"] == "59158.77"
    assert item["acquisition_value_sek"] == "73470.00"
    assert item["accumulated_depreciation_sek"] == "14311.23"
    assert item["depreciation_by_year_sek"]["2029"] == "3122.52"
    assert client.get("/api/v1/reports/book-value?on=2030-01-01").status_code == 400
    assert client.get("/reports/book-value.csv?on=31/12").status_code == 400


def test_the_stock_value_page_and_its_exports_agree(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    fleet = make_finance_fleet(session, ref)
    client = as_user(ref.viewer.email)
    page = client.get(f"/reports/stock-value?{ON}").get_data(as_text=True)
    assert "Lagervärde per 2025-06-30" in page
    assert fleet["S1"].tag in page and fleet["F1"].tag in page  # over six months
    assert fleet["S2"].tag not in page
    rows = list(csv.reader(io.StringIO(
        client.get(f"/reports/stock-value.csv?{ON}").get_data().decode("utf-8-sig")), delimiter=";"))  # fmt: skip
    # S1, S2, F1, F2-F4: 6 devices, 98 960 kr; 1 211 days in stock together; two over six months.
    assert ["Borgholms kommun", "Datorer", "6", "98960.00", "201.8", "2", "48490.00"] in rows
    book = load_workbook(io.BytesIO(client.get(f"/reports/stock-value.xlsx?{ON}").get_data()))
    long = [[c.value for c in r] for r in book["Mer än sex månader"].iter_rows(min_row=2)]
    assert [r[0] for r in long] == [fleet["F1"].tag, fleet["S1"].tag]
    assert long[0][5] == 516 and long[0][6] == 36000.0
    body = client.get(f"/api/v1/reports/stock-value?{ON}").get_json()
    item = next(i for i in body["items"] if i["category"] == "pc")
    assert (item["count"], item["value_sek"], item["over_six_months_count"]) == (6, "98960.00", 2)
