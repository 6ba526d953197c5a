"""The refresh plan as CSV and XLSX: one row per quarter (or the backlog), owner and
category, the same figures as the page. Typed cells in XLSX (numbers, kronor with a kr
format); CSV with a dot for decimals, as spreadsheets import it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from decimal import Decimal

from openpyxl import Workbook

from ..domain.money import sek_text
from ..domain.refresh_plan import kg_text
from ..domain.text import N_
from ..services.refresh_plan import DeviceDue, Plan, PlanLine
from .cells import text_cell as csv_text
from .xlsx_cells import money_cell, sheet_with_header, text_cell

Translate = Callable[[str], str]

HEADERS = (
    N_("Year"),
    N_("Quarter"),
    N_("Owner"),
    N_("Category"),
    N_("Devices due"),
    N_("Estimated cost (kr)"),
    N_("Embodied CO2e (kg)"),
    N_("Devices without a price"),
    N_("Devices without a footprint"),
)


def _lines(plan: Plan) -> Iterator[PlanLine]:
    yield from plan.backlog
    yield from plan.items


def _period(line: PlanLine, translate: Translate) -> tuple[int | str, int | str]:
    if line.year is None:
        return translate(N_("Overdue")), ""
    return line.year, line.quarter or ""


def render_csv(plan: Plan, translate: Translate) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([translate(h) for h in HEADERS])
    for line in _lines(plan):
        year, quarter = _period(line, translate)
        writer.writerow(
            [
                year,
                quarter,
                csv_text(line.owner_name),
                csv_text(line.category_name),
                line.count,
                sek_text(line.cost_ore),
                kg_text(line.co2e_kg),
                line.unpriced,
                line.no_footprint,
            ]
        )
    # A BOM, so that Excel opens the file as UTF-8 (å, ä, ö).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_xlsx(plan: Plan, translate: Translate) -> bytes:
    book = Workbook(write_only=True)
    ws = sheet_with_header(book, translate(N_("Refresh plan")), HEADERS, translate)
    for line in _lines(plan):
        year, quarter = _period(line, translate)
        ws.append(
            [
                year if isinstance(year, int) else text_cell(ws, year),
                quarter if isinstance(quarter, int) else None,
                text_cell(ws, line.owner_name),
                text_cell(ws, line.category_name),
                line.count,
                money_cell(ws, line.cost_ore),
                float(line.co2e_kg.quantize(Decimal("0.1"))),
                line.unpriced,
                line.no_footprint,
            ]
        )
    body = io.BytesIO()
    book.save(body)
    return body.getvalue()


DEVICE_HEADERS = (
    N_("Tag"),
    N_("Model"),
    N_("Owner"),
    N_("Category"),
    N_("In service or purchased"),
    N_("Due"),
    N_("Estimated cost (kr)"),
    N_("Embodied CO2e (kg)"),
)


def devices_csv(devices: list[DeviceDue], translate: Translate) -> bytes:
    """The devices behind a line of the plan, as the page lists them."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([translate(h) for h in DEVICE_HEADERS])
    for d in devices:
        writer.writerow(
            [
                csv_text(d.tag),
                csv_text(d.model),
                csv_text(d.owner),
                csv_text(d.category),
                d.start.isoformat(),
                d.due.isoformat(),
                "" if d.unit_cost_ore is None else sek_text(d.unit_cost_ore),
                "" if d.co2e_kg is None else kg_text(Decimal(d.co2e_kg)),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
