"""The asset ledger's page, CSV, XLSX and JSON on the fleet of tests/finance_fleet.py
(make_ledger_fleet) for the first half of 2025 (answers in tests/services/test_ledger.py),
and the status form's disposal date and proceeds."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import Session

from inventory.models import Asset

from ..factories import Reference
from ..finance_fleet import make_ledger_fleet

D = dt.date
H1 = "from=2025-01-01&to=2025-06-30"


def test_the_ledger_page_and_its_exports_agree(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    fleet = make_ledger_fleet(session, ref)
    client = as_user(ref.viewer.email)
    page = client.get(f"/reports/ledger?{H1}").get_data(as_text=True)
    assert "Anläggningsreskontra 2025-01-01 – 2025-06-30" in page
    assert 'class="report-chart"' in page and "2025-06" in page
    # Acquired: F2-F4 (37 470), F7 (30 000), F8 (35 000); sold F9 for 3 500 kr, 23 125 left.
    assert "102\u00a0470,00\u00a0kr" in page and "3\u00a0500,00\u00a0kr" in page
    assert "23\u00a0125,00\u00a0kr" in page and "Såld" in page
    assert fleet["F9"].tag in page and fleet["S2"].tag not in page  # S2 was expensed
    rows = list(csv.reader(io.StringIO(
        client.get(f"/reports/ledger.csv?{H1}").get_data().decode("utf-8-sig")), delimiter=";"))  # fmt: skip
    assert rows[0][:3] == ["Datum", "Händelse", "Inventarienummer"]
    assert len(rows) == 1 + 9
    sold = next(r for r in rows if r[2] == fleet["F9"].tag)
    assert sold[:2] == ["2025-06-14", "Avyttring"] and sold[7] == "Såld"
    assert sold[8:12] == ["30000.00", "6875.00", "23125.00", "3500.00"]
    moved = [r for r in rows if r[2] == fleet["F8"].tag and r[1].startswith("Överförd")]
    assert [(r[1], r[4], r[6], r[10]) for r in moved] == [
        ("Överförd till annan ägare", ref.joint.name, ref.borgholm.name, "32812.50"),
        ("Överförd från annan ägare", ref.borgholm.name, ref.joint.name, "32812.50"),
    ]
    book = load_workbook(io.BytesIO(client.get(f"/reports/ledger.xlsx?{H1}").get_data()))
    assert book.sheetnames == ["Händelser", "Per ägare och kategori", "Kostnadsförda"]
    entries = list(book["Händelser"].iter_rows(min_row=2))
    assert len(entries) == len(rows) - 1
    cells = next(r for r in entries if r[2].value == fleet["F9"].tag)
    assert cells[0].value.date() == D(2025, 6, 14) and cells[0].is_date
    assert [c.value for c in cells[8:12]] == [30000.0, 6875.0, 23125.0, 3500.0]
    assert cells[11].number_format == '#,##0.00 "kr"'
    sums = [[c.value for c in r] for r in book["Per ägare och kategori"].iter_rows(min_row=2)]
    assert ["Totalt", None, "Avyttring", 2, 70000.0, 26875.0, 43125.0, 3500.0] in sums
    apart = [[c.value for c in r] for r in book["Kostnadsförda"].iter_rows(min_row=2)]
    assert apart == [[ref.borgholm.name, 2, 21990.0, 0, 0.0]]
    body = client.get(f"/api/v1/reports/ledger?{H1}").get_json()
    item = next(i for i in body["items"] if (i["owner"], i["kind"]) == ("borgholm", "disposal"))
    assert item == {"owner": "borgholm", "category": "pc", "kind": "disposal", "count": 2,
                    "acquisition_value_sek": "70000.00", "accumulated_depreciation_sek": "26875.00",
                    "book_value_sek": "43125.00", "proceeds_sek": "3500.00"}  # fmt: skip
    entry = next(e for e in body["entries"] if e["kind"] == "transfer_in")
    assert (entry["date"], entry["owner"], entry["other_owner"]) == (
        "2025-06-10",
        "borgholm",
        "joint",
    )
    assert body["expensed"] == [{"owner": "borgholm", "bought_count": 2, "purchase_price_sek": "21990.00",
                                 "disposed_count": 0, "proceeds_sek": "0.00"}]  # fmt: skip


def test_the_ledger_refuses_a_bad_period_clearly(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    client = as_user(ref.viewer.email)
    refused = client.get("/api/v1/reports/ledger?from=2025-06-30&to=2025-01-01")
    assert refused.status_code == 400 and "Sista dagen" in refused.get_json()["error"]["message"]
    assert client.get("/api/v1/reports/ledger?from=2027-01-01&to=2027-12-31").status_code == 400
    assert client.get("/api/v1/reports/ledger?from=2025-13-01&to=2025-12-31").status_code == 400
    assert client.get("/reports/ledger.csv?from=x&to=y").status_code == 400
    # The page says what was wrong and shows this year's ledger instead.
    page = client.get("/reports/ledger?from=2025-06-30&to=2025-01-01").get_data(as_text=True)
    assert "Sista dagen" in page and "Anläggningsreskontra 2026-01-01 – 2026-11-23" in page
    # By default: this year up to today.
    assert client.get("/api/v1/reports/ledger").get_json()["from"] == "2026-01-01"


def test_the_status_form_dates_a_disposal_and_refuses_proceeds_for_a_loss(
    session: Session,
    ref: Reference,
    client,  # type: ignore[no-untyped-def]
) -> None:
    """Through the page: the confirm step shows the date and proceeds, and the move keeps
    them; typed proceeds in Swedish; the history says them."""
    from ..conftest import login

    fleet = make_ledger_fleet(session, ref)
    login(client, ref.admin.email)
    asset = fleet["S1"]  # in stock since 2024-09-01; sold needs a wipe: lost takes none
    data = {"version": str(asset.version), "target": "disposed", "disposal_kind": "lost",
            "disposed_on": "2026-11-20", "proceeds": "", "comment": "Borttappad"}  # fmt: skip
    shown = client.post(f"/assets/{asset.tag}/status", data=data)
    assert shown.status_code == 200 and "2026-11-20" in shown.text
    refused = client.post(f"/assets/{asset.tag}/status",
                          data=data | {"proceeds": "1 200,50", "confirmed": "1"})  # fmt: skip
    assert refused.status_code == 302
    session.expire_all()
    assert session.get(Asset, asset.id).status == "in_stock"  # type: ignore[union-attr]
    client.post(f"/assets/{asset.tag}/status", data=data | {"confirmed": "1"})
    session.expire_all()
    moved = session.get(Asset, asset.id)
    assert moved is not None
    assert (moved.status, moved.disposal_kind, moved.disposed_on) == (
        "disposed",
        "lost",
        D(2026, 11, 20),
    )
    page = client.get(f"/assets/{asset.tag}").text
    assert "Avyttringsdatum" in page and "2026-11-20" in page
