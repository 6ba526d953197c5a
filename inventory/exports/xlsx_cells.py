"""Typed cells for the XLSX exports, written once: money as numbers in kronor with a kr
format, dates as dates, moments as the wall clock showed them, text that stays text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..domain.dates import zone_info
from ..domain.money import ore_to_sek
from ..services import clock

MONEY_FORMAT = '#,##0.00 "kr"'
PERCENT_FORMAT = "0.0 %"
DATE_FORMAT = "yyyy-mm-dd"
MOMENT_FORMAT = "yyyy-mm-dd hh:mm"


def wall_clock(moment: dt.datetime) -> dt.datetime:
    """A stored moment as the clock on the wall showed it where the register is kept, without
    its zone (spreadsheets and printed protocols know none)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(zone_info(clock.zone())).replace(tzinfo=None)


def money_cell(ws: WriteOnlyWorksheet, ore: int) -> WriteOnlyCell:
    # A cell holds a double: exact for every amount in öre up to 2^53 / 100 kronor.
    cell = WriteOnlyCell(ws, value=float(ore_to_sek(ore)))
    cell.number_format = MONEY_FORMAT
    return cell


def date_cell(ws: WriteOnlyWorksheet, day: dt.date) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=day)
    cell.number_format = DATE_FORMAT
    return cell


def moment_cell(ws: WriteOnlyWorksheet, moment: dt.datetime) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=wall_clock(moment))
    cell.number_format = MOMENT_FORMAT
    return cell


def sheet_with_header(
    book: Workbook, title: str, headers: Sequence[str], translate: Callable[[str], str]
) -> WriteOnlyWorksheet:
    """A new write-only sheet (its title cut to Excel's 31 characters) whose first row is
    the translated headers in bold."""
    ws = book.create_sheet(title[:31])
    bold = Font(bold=True)
    row = []
    for header in headers:
        cell = text_cell(ws, translate(header))
        cell.font = bold
        row.append(cell)
    ws.append(row)
    return ws


def text_cell(ws: WriteOnlyWorksheet, value: str | None) -> WriteOnlyCell:
    """Text stays text: openpyxl would store a value starting with "=" as a formula, which a
    spreadsheet runs (names typed into the register are not ours to run). A string cell is
    never run, so no quote is added, as CSV needs (exports/cells.py)."""
    cell = WriteOnlyCell(ws, value=value)
    if value is not None:
        cell.data_type = "s"
    return cell
