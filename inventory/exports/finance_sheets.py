"""The book value and stock value reports as CSV (the page's main table, with its total)
and XLSX (that table and the others of the page, a sheet each). XLSX cells are typed:
counts as numbers, money as kronor with a kr format, dates as dates; CSV writes kronor with
a dot and two decimals, as spreadsheets import them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..domain.money import sek_text
from ..domain.text import N_
from ..services.book_value import BookLine, BookValue
from ..services.stock_value import StockLine, StockValue
from .cells import text_cell as csv_text
from .xlsx_cells import date_cell, money_cell, sheet_with_header, text_cell

Translate = Callable[[str], str]

BOOK_HEADERS = (
    N_("Owner"),
    N_("Category"),
    N_("Investments"),
    N_("Acquisition value (kr)"),
    N_("Accumulated depreciation (kr)"),
    N_("Book value (kr)"),
    N_("Expensed devices"),
    N_("Expensed, purchase price (kr)"),
)
STOCK_HEADERS = (
    N_("Owner"),
    N_("Category"),
    N_("Devices in stock"),
    N_("Stock value (kr)"),
    N_("Average days in stock"),
    N_("In stock for more than six months"),
    N_("Their value (kr)"),
)
LONG_HEADERS = (
    N_("Asset tag"),
    N_("Model"),
    N_("Owner"),
    N_("Category"),
    N_("In stock since"),
    N_("Days in stock"),
    N_("Purchase price (kr)"),
)


def _csv(rows: list[list[Any]], headers: Sequence[str], translate: Translate) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([translate(h) for h in headers])
    writer.writerows(rows)
    # A BOM, so that Excel opens the file as UTF-8 (å, ä, ö).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _with_total(
    lines: Sequence[Any], total: Any, translate: Translate
) -> list[tuple[str, str, Any]]:
    out = [(x.owner_name, x.category_name, x) for x in lines]
    if lines:
        out.append((translate(N_("Total")), "", total))
    return out


def _book_values(line: BookLine) -> list[tuple[str, int]]:
    """(kind, value): "n" a count, "kr" öre."""
    return [
        ("n", line.count),
        ("kr", line.acquisition_ore),
        ("kr", line.accumulated_ore),
        ("kr", line.book_value_ore),
        ("n", line.expensed_count),
        ("kr", line.expensed_ore),
    ]


def _stock_values(line: StockLine) -> list[tuple[str, Any]]:
    average = line.average_days
    return [
        ("n", line.count),
        ("kr", line.value_ore),
        ("d", None if average is None else round(average, 1)),
        ("n", line.long_count),
        ("kr", line.long_value_ore),
    ]


def _csv_value(kind: str, value: Any) -> Any:
    if value is None:
        return ""
    return sek_text(value) if kind == "kr" else value


def book_csv(report: BookValue, translate: Translate) -> bytes:
    rows = [
        [csv_text(owner), csv_text(category)] + [_csv_value(k, v) for k, v in _book_values(x)]
        for owner, category, x in _with_total(report.lines, report.total(), translate)
    ]
    return _csv(rows, BOOK_HEADERS, translate)


def stock_csv(report: StockValue, translate: Translate) -> bytes:
    rows = [
        [csv_text(owner), csv_text(category)] + [_csv_value(k, v) for k, v in _stock_values(x)]
        for owner, category, x in _with_total(report.lines, report.total(), translate)
    ]
    return _csv(rows, STOCK_HEADERS, translate)


def _cell(ws: WriteOnlyWorksheet, kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "kr":
        return money_cell(ws, value)
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "0.0" if kind == "d" else "0"
    return cell


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def book_xlsx(report: BookValue, translate: Translate) -> bytes:
    book = Workbook(write_only=True)
    lines = _with_total(report.lines, report.total(), translate)
    ws = sheet_with_header(book, translate(N_("Book value")), BOOK_HEADERS, translate)
    for owner, category, x in lines:
        ws.append([text_cell(ws, owner), text_cell(ws, category)]
                  + [_cell(ws, k, v) for k, v in _book_values(x)])  # fmt: skip
    years = sheet_with_header(book, translate(N_("Depreciation per year")),
                   [N_("Owner"), N_("Category"), *map(str, report.years)], translate)  # fmt: skip
    for owner, category, x in lines:
        years.append([text_cell(years, owner), text_cell(years, category)]
                     + [money_cell(years, v) for v in x.by_year])  # fmt: skip
    months = sheet_with_header(book, translate(N_("Depreciation per month")),
                    [N_("Owner"), N_("Category"), *(f"{report.filter.on.year}-{m:02d}"
                                                    for m in range(1, 13))], translate)  # fmt: skip
    for owner, category, x in lines:
        months.append([text_cell(months, owner), text_cell(months, category)]
                      + [money_cell(months, v) for v in x.by_month])  # fmt: skip
    return _save(book)


def stock_xlsx(report: StockValue, translate: Translate) -> bytes:
    book = Workbook(write_only=True)
    ws = sheet_with_header(book, translate(N_("Stock value")), STOCK_HEADERS, translate)
    for owner, category, x in _with_total(report.lines, report.total(), translate):
        ws.append([text_cell(ws, owner), text_cell(ws, category)]
                  + [_cell(ws, k, v) for k, v in _stock_values(x)])  # fmt: skip
    long = sheet_with_header(book, translate(N_("More than six months")), LONG_HEADERS, translate)
    for d in report.long:
        long.append([text_cell(long, d.tag), text_cell(long, d.model), text_cell(long, d.owner_name),
                     text_cell(long, d.category_name), date_cell(long, d.since),
                     _cell(long, "n", d.days), money_cell(long, d.price_ore)])  # fmt: skip
    return _save(book)
