"""A split proposal as an XLSX workbook: a summary sheet (the cost key, each side's shares and
totals, the compensation, the decision once applied), the items, and the adjustments. Typed
cells: money as numbers in kronor with a kr format, dates as dates, shares as numbers with a
per cent format, so that the committee's staff can sum and sort them."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..domain.text import N_
from .split_common import (
    DECIDED,
    DRAFT,
    SplitDocument,
    basis_label,
    compensation_sentence,
)
from .xlsx_cells import PERCENT_FORMAT, date_cell, moment_cell, money_cell, text_cell

Translate = Callable[[str], str]


class Money(int):
    """An amount in öre, for a money cell."""


class Share(float):
    """A fraction of one, for a per cent cell."""


def render(doc: SplitDocument, translate: Translate) -> bytes:
    book = Workbook(write_only=True)
    _summary_sheet(book, doc, translate)
    _items_sheet(book, doc, translate)
    _moves_sheet(book, doc, translate)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _summary_sheet(book: Workbook, doc: SplitDocument, t: Translate) -> None:
    s = doc.summary
    ws = book.create_sheet(t(N_("Summary"))[:31])
    for column, width in zip("ABCDEFGHI", (30, 20, 12, 10, 10, 18, 18, 18, 18), strict=True):
        ws.column_dimensions[column].width = width
    rows: list[list[Any]] = [
        [_bold(ws, t(N_("Split of the joint property (agreement §20)")))],
        [t(N_("Split date")), s.on],
        [t(N_("Cost key of the year")), s.cost_key_year],
        [t(N_("State")), t(DECIDED if s.applied else DRAFT)],
        [t(N_("Computed")), s.computed_at],
        [t(N_("Computed by")), s.computed_by],
    ]
    if s.applied:
        rows += [
            [t(N_("Date of the decision")), s.decided_on],
            [t(N_("Decision reference")), s.decision_ref],
            [t(N_("Comment")), s.decision_comment],
            [t(N_("Applied")), s.applied_at],
            [t(N_("Applied by")), s.applied_by],
        ]
    rows.append([])
    headings = [
        N_("Municipality"),
        N_("Organisation no."),
        N_("Users"),
        N_("Share"),
        N_("Items"),
        N_("Purchase price"),
        N_("Book value"),
        N_("Exact share"),
        N_("Difference"),
    ]
    rows.append([_bold(ws, t(h)) for h in headings])
    for side in s.sides:
        party = doc.parties.get(side.owner_id)
        rows.append(
            [
                side.name,
                party.org_number if party else "",
                side.users,
                Share(side.share),
                side.count,
                Money(side.purchase_price_ore),
                Money(side.book_value_ore),
                Money(side.share_ore),
                Money(side.difference_ore),
            ]
        )
    rows.append(
        [
            _bold(ws, t(N_("Joint property in all"))),
            "",
            sum(side.users for side in s.sides),
            Share(1),
            sum(side.count for side in s.sides),
            Money(s.joint_purchase_price_ore),
            Money(s.joint_total_ore),
            Money(sum(side.share_ore for side in s.sides)),
            Money(0),
        ]
    )
    rows += [[], [_bold(ws, t(N_("Compensation"))), compensation_sentence(s, t)]]
    for pay in s.transfers:
        rows.append([t(N_("Pays")), pay.from_name])
        rows.append([t(N_("Receives")), pay.to_name])
        rows.append([t(N_("Amount")), Money(pay.ore)])
    for row in rows:
        ws.append([_cell(ws, value) for value in row])


def _items_sheet(book: Workbook, doc: SplitDocument, t: Translate) -> None:
    ws = book.create_sheet(t(N_("Items"))[:31])
    ws.freeze_panes = "A2"
    widths = (16, 28, 18, 26, 22, 22, 14, 16, 16, 40)
    for column, width in zip("ABCDEFGHIJ", widths, strict=True):
        ws.column_dimensions[column].width = width
    headings = [
        N_("Asset tag"),
        N_("Model"),
        N_("Category"),
        N_("Site"),
        N_("To"),
        N_("Proposed by the rules"),
        N_("Basis"),
        N_("Purchase price"),
        N_("Book value"),
        N_("Reason"),
    ]
    ws.append([_bold(ws, t(h)) for h in headings])
    names = {p.owner_id: p.name for p in doc.parties.values()}
    by_slug = {side.slug: side.name for side in doc.summary.sides}
    for line in doc.lines:
        ws.append(
            [
                _cell(ws, value)
                for value in (
                    line.tag,
                    doc.models.get(line.asset_id, ""),
                    line.category,
                    line.site,
                    names.get(line.to_owner_id, line.to_name),
                    by_slug.get(line.proposed_slug, ""),
                    basis_label(line.basis, t),
                    Money(line.purchase_price_ore),
                    Money(line.book_value_ore),
                    line.reason,
                )
            ]
        )


def _moves_sheet(book: Workbook, doc: SplitDocument, t: Translate) -> None:
    ws = book.create_sheet(t(N_("Adjustments"))[:31])
    ws.freeze_panes = "A2"
    for column, width in zip("ABCDEF", (17, 16, 22, 22, 40, 28), strict=True):
        ws.column_dimensions[column].width = width
    headings = [N_("When"), N_("Asset tag"), N_("From"), N_("To"), N_("Reason"), N_("By")]
    ws.append([_bold(ws, t(h)) for h in headings])
    for move in doc.moves:
        ws.append(
            [
                _cell(ws, value)
                for value in (
                    move.at,
                    move.tag,
                    move.from_name,
                    move.to_name,
                    move.reason,
                    move.actor_name or move.actor_email,
                )
            ]
        )


def _bold(ws: WriteOnlyWorksheet, text: str) -> Cell:
    cell = _cell(ws, text)
    cell.font = Font(bold=True)
    return cell


def _cell(ws: WriteOnlyWorksheet, value: Any) -> Cell:
    """A typed cell for a value: Money, Share, a datetime, a date, a number or text."""
    if isinstance(value, Cell):
        return value
    if value is None or value == "":
        return WriteOnlyCell(ws, value=None)
    if isinstance(value, Money):
        return money_cell(ws, int(value))
    if isinstance(value, Share):
        cell = WriteOnlyCell(ws, value=float(value))
        cell.number_format = PERCENT_FORMAT
        return cell
    if isinstance(value, dt.datetime):
        return moment_cell(ws, value)
    if isinstance(value, dt.date):
        return date_cell(ws, value)
    if isinstance(value, int | float):
        return WriteOnlyCell(ws, value=value)
    return text_cell(ws, str(value))
