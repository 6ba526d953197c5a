"""The asset ledger as CSV (its entries, one row each, as the finance system takes them in)
and XLSX (the entries, the sums per owner, category and kind with the totals of each kind,
and the expensed devices apart), typed as the finance reports are (exports/finance_sheets.py):
money as kronor, dates as dates."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook

from ..domain.statuses import DisposalKind
from ..domain.text import N_
from ..services.ledger import Entry, EntryKind, Ledger
from .cells import text_cell as csv_text
from .finance_sheets import Translate, _cell, _csv, _csv_value, _save
from .xlsx_cells import date_cell, sheet_with_header, text_cell

ENTRY_HEADERS = (
    N_("Date"),
    N_("Entry"),
    N_("Asset tag"),
    N_("Model"),
    N_("Owner"),
    N_("Category"),
    N_("Other owner"),
    N_("Disposal kind"),
    N_("Acquisition value (kr)"),
    N_("Accumulated depreciation (kr)"),
    N_("Book value (kr)"),
    N_("Proceeds (kr)"),
    N_("Order/invoice reference"),
)
SUM_HEADERS = (
    N_("Owner"),
    N_("Category"),
    N_("Entry"),
    N_("Devices"),
    N_("Acquisition value (kr)"),
    N_("Accumulated depreciation (kr)"),
    N_("Book value (kr)"),
    N_("Proceeds (kr)"),
)
EXPENSED_HEADERS = (
    N_("Owner"),
    N_("Bought, expensed"),
    N_("Their purchase price (kr)"),
    N_("Disposed of, expensed when bought"),
    N_("Their proceeds (kr)"),
)


def _texts(e: Entry, translate: Translate) -> list[str]:
    kind = translate(DisposalKind(e.disposal_kind).label) if e.disposal_kind else ""
    return [translate(e.kind.label), e.tag, e.model, e.owner_name, e.category_name,
            e.counterpart_name or "", kind]  # fmt: skip


def _money(e: Entry) -> list[tuple[str, Any]]:
    return [("kr", e.acquisition_ore), ("kr", e.accumulated_ore), ("kr", e.book_value_ore),
            ("kr", e.proceeds_ore)]  # fmt: skip


def ledger_csv(report: Ledger, translate: Translate) -> bytes:
    rows = [
        [e.day.isoformat(), *(csv_text(t) for t in _texts(e, translate))]
        + [_csv_value(k, v) for k, v in _money(e)]
        + [csv_text(e.order_ref or "")]
        for e in report.entries
    ]
    return _csv(rows, ENTRY_HEADERS, translate)


def ledger_xlsx(report: Ledger, translate: Translate) -> bytes:
    book = Workbook(write_only=True)
    ws = sheet_with_header(book, translate(N_("Entries")), ENTRY_HEADERS, translate)
    for e in report.entries:
        ws.append([date_cell(ws, e.day), *(text_cell(ws, t) for t in _texts(e, translate))]
                  + [_cell(ws, k, v) for k, v in _money(e)]
                  + [text_cell(ws, e.order_ref)])  # fmt: skip
    sums = sheet_with_header(book, translate(N_("Per owner and category")), SUM_HEADERS,
                             translate)  # fmt: skip
    totals = [report.total(kind) for kind in EntryKind]
    for x in [*report.lines, *(t for t in totals if t.count)]:
        owner = x.owner_name or translate(N_("Total"))
        sums.append([text_cell(sums, owner), text_cell(sums, x.category_name),
                     text_cell(sums, translate(x.kind.label)), _cell(sums, "n", x.count),
                     _cell(sums, "kr", x.acquisition_ore), _cell(sums, "kr", x.accumulated_ore),
                     _cell(sums, "kr", x.book_value_ore),
                     _cell(sums, "kr", x.proceeds_ore)])  # fmt: skip
    apart = sheet_with_header(book, translate(N_("Expensed")), EXPENSED_HEADERS, translate)
    for y in report.expensed:
        apart.append([text_cell(apart, y.owner_name), _cell(apart, "n", y.bought_count),
                      _cell(apart, "kr", y.bought_ore), _cell(apart, "n", y.disposed_count),
                      _cell(apart, "kr", y.proceeds_ore)])  # fmt: skip
    return _save(book)
