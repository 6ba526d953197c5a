"""The sustainability report as CSV (the table per owner and category, as on the page) and
XLSX (that table, the twelve tertials' trend and the climate years, a sheet each). XLSX
cells are typed: counts as whole numbers, years and kg as numbers shown with one decimal
as the page rounds them, changes as percentages. CSV writes decimals with a dot."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..domain.text import N_
from ..services.sustainability import Item, Sustainability
from .cells import text_cell as csv_text
from .xlsx_cells import PERCENT_FORMAT, date_cell, sheet_with_header, text_cell

Translate = Callable[[str], str]

ITEM_HEADERS = (
    N_("Owner"),
    N_("Category"),
    N_("Active"),
    N_("Average age (years)"),
    N_("Target lifespan (years)"),
    N_("Retired"),
    N_("Lifespan at retirement (years)"),
    N_("Handed out"),
    N_("Reused"),
)
TREND_HEADERS = (
    N_("Tertial"),
    N_("Active"),
    N_("Average age (years)"),
    N_("Retired"),
    N_("Lifespan at retirement (years)"),
    N_("Handed out"),
    N_("Reused"),
)
CLIMATE_HEADERS = (
    N_("Year"),
    N_("To"),
    N_("Devices bought"),
    N_("Without a footprint"),
    N_("Embodied CO2e (kg)"),
    N_("Per device (kg)"),
    N_("Change from the year before"),
    N_("Every device with a footprint"),
    N_("Avoided (kg CO2e)"),
)
ONE_DECIMAL = "0.0"


def _rounded(value: Decimal | None) -> str:
    """One decimal with a dot, as the page rounds; empty where the page shows a dash."""
    return "" if value is None else f"{value.quantize(Decimal('0.1'))}"


def _lines(report: Sustainability, translate: Translate) -> list[tuple[str, str, Item]]:
    """The page's table: a line per owner and category, then the total (no target: the
    categories' differ)."""
    lines = [(i.owner_name, i.category_name, i) for i in report.items]
    if report.items:
        lines.append((translate(N_("Total")), "", report.total()))
    return lines


def _item_values(item: Item) -> list[Any]:
    return [
        item.active_count,
        item.average_age_years,
        item.target_years,
        item.retired_count,
        item.average_lifespan_at_retirement_years,
        item.handed_out_count,
        item.reused_count,
    ]


def render_csv(report: Sustainability, translate: Translate) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([translate(h) for h in ITEM_HEADERS])
    for owner, category, item in _lines(report, translate):
        values = _item_values(item)
        writer.writerow(
            [csv_text(owner), csv_text(category)]
            + [_rounded(v) if isinstance(v, Decimal) or v is None else v for v in values]
        )
    # A BOM, so that Excel opens the file as UTF-8 (å, ä, ö).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _number(ws: WriteOnlyWorksheet, value: Decimal | int | None, fmt: str = "0") -> Any:
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value=float(value) if isinstance(value, Decimal) else value)
    cell.number_format = fmt
    return cell


def render_xlsx(report: Sustainability, translate: Translate) -> bytes:
    book = Workbook(write_only=True)
    ws = sheet_with_header(book, translate(N_("Per owner and category")), ITEM_HEADERS, translate)
    for owner, category, item in _lines(report, translate):
        counts_and_years = _item_values(item)
        ws.append(
            [text_cell(ws, owner), text_cell(ws, category)]
            + [
                _number(ws, v, ONE_DECIMAL if isinstance(v, Decimal) else "0")
                for v in counts_and_years
            ]
        )
    trend = sheet_with_header(book, translate(N_("Trend")), TREND_HEADERS, translate)
    for p in report.trend:
        trend.append(
            [
                text_cell(trend, p.period.name),
                _number(trend, p.active_count),
                _number(trend, p.average_age_years, ONE_DECIMAL),
                _number(trend, p.retired_count),
                _number(trend, p.average_lifespan_years, ONE_DECIMAL),
                _number(trend, p.handed_out_count),
                _number(trend, p.reused_count),
            ]
        )
    climate = sheet_with_header(book, translate(N_("Climate")), CLIMATE_HEADERS, translate)
    for y in report.climate:
        climate.append(
            [
                _number(climate, y.year),
                date_cell(climate, y.until),
                _number(climate, y.bought),
                _number(climate, y.without_footprint),
                _number(climate, y.total_kg, ONE_DECIMAL),
                _number(climate, y.per_device_kg, ONE_DECIMAL),
                _number(climate, y.change, PERCENT_FORMAT),
                text_cell(climate, translate(N_("Yes") if y.complete else N_("No"))),
                _number(climate, y.avoided_kg, ONE_DECIMAL),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
