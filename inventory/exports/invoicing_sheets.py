"""The quarterly invoicing basis as CSV and XLSX: a row per owner, business unit and
service object with the devices and their object-months, and the total; typed as the other
reports' exports (object-months as numbers with two decimals)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ..domain.text import N_
from ..services.service_objects import Basis, BasisLine
from .cells import text_cell as csv_text
from .finance_sheets import Translate, _csv, _save
from .xlsx_cells import sheet_with_header, text_cell

HEADERS = (
    N_("Quarter"),
    N_("Owner"),
    N_("Business unit"),
    N_("Service object"),
    N_("Devices"),
    N_("Device-days in use"),
    N_("Object-months"),
)


def _names(x: BasisLine, translate: Translate) -> list[str]:
    return [
        x.owner_name,
        x.business_unit or translate(N_("No business unit given")),
        x.service_object or translate(N_("No service object")),
    ]


def basis_csv(report: Basis, translate: Translate) -> bytes:
    q = report.filter.quarter.name
    rows = [
        [q, *(csv_text(n) for n in _names(x, translate)), x.devices, x.days, f"{x.object_months}"]
        for x in report.lines
    ]
    if report.lines:
        rows.append([q, translate(N_("Total")), "", "", "", sum(x.days for x in report.lines),
                     f"{report.total_months}"])  # fmt: skip
    return _csv(rows, HEADERS, translate)


def basis_xlsx(report: Basis, translate: Translate) -> bytes:
    book = Workbook(write_only=True)
    ws = sheet_with_header(book, translate(N_("Invoicing basis")), HEADERS, translate)
    q = report.filter.quarter.name

    def number(value: object, shape: str = "0") -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = shape
        return cell

    for x in report.lines:
        ws.append([text_cell(ws, q), *(text_cell(ws, n) for n in _names(x, translate)),
                   number(x.devices), number(x.days), number(x.object_months, "0.00")])  # fmt: skip
    if report.lines:
        ws.append([text_cell(ws, q), text_cell(ws, translate(N_("Total"))), None, None, None,
                   number(sum(x.days for x in report.lines)),
                   number(report.total_months, "0.00")])  # fmt: skip
    return _save(book)
