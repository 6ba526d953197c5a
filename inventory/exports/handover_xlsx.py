"""The handover export as an XLSX workbook: an overview, then a sheet per kind of record,
with typed cells — money as numbers in kronor with a number format, dates as dates, times
in the register's time zone — so that whoever takes the register over can sort and sum it."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..domain.text import N_
from ..services.handover import HandoverExport
from .handover_sheets import SHEETS, Column, Kind, Sheet
from .xlsx_cells import date_cell, moment_cell, money_cell, text_cell

# Excel's limit on a sheet's name, and the characters it refuses in one.
_TITLE_LENGTH = 31
_TITLE_REFUSED = str.maketrans({c: " " for c in "[]:*?/\\"})
_WIDTHS = {
    Kind.TEXT: 22,
    Kind.DATE: 12,
    Kind.MOMENT: 17,
    Kind.MONEY: 14,
    Kind.NUMBER: 10,
    Kind.FLAG: 8,
    Kind.NAMED: 16,
}


def render(data: HandoverExport, translate: Callable[[str], str]) -> bytes:
    """`translate` gives headings and names in the reader's language (Swedish by default)."""
    book = Workbook(write_only=True)
    _overview(book, data, translate)
    for sheet in SHEETS:
        _sheet(book, sheet, data, translate)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _title(text: str) -> str:
    return text.translate(_TITLE_REFUSED)[:_TITLE_LENGTH]


def _overview(book: Workbook, data: HandoverExport, translate: Callable[[str], str]) -> None:
    ws = book.create_sheet(_title(translate(N_("Handover"))))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 40
    rows: list[tuple[str, Any, Kind]] = [
        (N_("Owner"), data.owner_name, Kind.TEXT),
        (N_("Organisation number"), data.org_number, Kind.TEXT),
        (N_("Leaves the partnership on"), data.leaves_on, Kind.DATE),
        (N_("Book values on"), data.valued_on, Kind.DATE),
        (N_("Exported"), data.generated_at, Kind.MOMENT),
        (N_("Assets"), len(data.assets), Kind.NUMBER),
        (N_("History events"), len(data.history), Kind.NUMBER),
        (N_("Assessments"), len(data.assessments), Kind.NUMBER),
        (N_("Stocktake results"), len(data.stocktakes), Kind.NUMBER),
        (N_("Attached files"), len(data.attachments), Kind.NUMBER),
    ]
    if data.handover is not None:
        rows += [
            (N_("Handed over on"), data.handover.handed_over_on, Kind.DATE),
            (N_("Assets handed over"), data.handover.asset_count, Kind.NUMBER),
        ]
    for label, value, kind in rows:
        ws.append([_heading(ws, translate(label)), _cell(ws, kind, value)])


def _sheet(
    book: Workbook, sheet: Sheet, data: HandoverExport, translate: Callable[[str], str]
) -> None:
    ws = book.create_sheet(_title(translate(sheet.title)))
    ws.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _WIDTHS[column.kind]
    ws.append([_heading(ws, translate(c.heading)) for c in sheet.columns])
    for record in sheet.rows(data):
        ws.append([_value_cell(ws, column, record, translate) for column in sheet.columns])


def _heading(ws: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = text_cell(ws, text)
    cell.font = Font(bold=True)
    return cell


def _value_cell(
    ws: WriteOnlyWorksheet, column: Column, record: Any, translate: Callable[[str], str]
) -> WriteOnlyCell:
    if column.kind is Kind.NAMED:
        assert column.label is not None
        named = column.value(record)
        return text_cell(ws, translate(column.label(record)) if named else None)
    return _cell(ws, column.kind, column.value(record))


def _cell(ws: WriteOnlyWorksheet, kind: Kind, value: Any) -> WriteOnlyCell:
    if value is None or value == "":
        return WriteOnlyCell(ws, value=None)
    if kind is Kind.MONEY:
        return money_cell(ws, value)
    if kind is Kind.DATE:
        return date_cell(ws, value)
    if kind is Kind.MOMENT:
        return moment_cell(ws, value)
    if kind in (Kind.NUMBER, Kind.FLAG):
        return WriteOnlyCell(ws, value=value)
    return text_cell(ws, str(value))
