"""The asset list's selection as a file (issue 15): in our own layout, which an import reads
back unchanged, or in Snipe-IT's asset-import layout; as CSV or XLSX.

Our CSV is what Swedish Excel opens as columns: semicolons, UTF-8 with a byte-order mark,
amounts with a decimal comma, dates as YYYY-MM-DD. The XLSX has typed cells: dates as
dates, amounts as numbers, text as text. Headers are in the user's language; the import
reads either language (imports/layouts.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from openpyxl import Workbook
from sqlmodel import Session

from ..domain.dates import months_between
from ..domain.money import sek_text
from ..domain.statuses import DisposalKind
from ..imports.layouts import NATIVE, said
from ..models import User
from ..services.asset_export import ExportedAsset, export_assets
from ..services.asset_list import AssetFilter
from . import xlsx_cells
from .cells import text_cell
from .snipeit_csv import HEADER as SNIPEIT_HEADER
from .snipeit_csv import status_label

Translate = Callable[[str], str]


def render(
    session: Session, *, actor: User, flt: AssetFilter, layout: str, locale: str, xlsx: bool
) -> tuple[bytes, int]:
    """The selection as one file's bytes, and how many assets it holds."""
    items = export_assets(session, actor=actor, flt=flt)
    native = layout == "native"
    translate: Translate = lambda message: said(message, locale)
    count = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal count
        for item in items:
            count += 1
            yield native_values(item, translate) if native else snipeit_values(item)

    header = native_header(locale) if native else list(SNIPEIT_HEADER)
    if xlsx:
        body = xlsx_bytes(header, rows(), native=native, title=said("Assets", locale))
    else:
        body = b"".join(csv_bytes(header, rows(), native=native))
    return body, count


_MONEY = ("price", "proceeds")


def native_values(item: ExportedAsset, translate: Translate) -> list[Any]:
    """One asset in our layout's column order (layouts.NATIVE), as typed values."""
    a = item.asset
    by_key: dict[str, Any] = {
        "tag": a.tag, "serial": a.serial, "owner": item.owner, "category": item.category,
        "manufacturer": item.manufacturer, "model": item.model,
        "status": translate(a.status_enum.label), "business_unit": item.business_unit,
        "service_object": item.service_object, "site": item.site, "building": item.building,
        "room": item.room, "holder": a.holder, "purchase_date": a.purchase_date,
        "in_service_date": a.in_service_date, "price": a.price_ore,
        "depreciation_months": a.depreciation_months, "supplier": a.supplier,
        "order_ref": a.order_ref, "warranty_end": a.warranty_end, "due_override": a.due_override,
        "hostname": a.hostname, "mac": a.mac, "ip": a.ip, "imei": a.imei, "notes": a.notes,
        "end_of_support": a.end_of_support, "os_version": a.os_version,
        "mdm_user": a.mdm_user, "mdm_seen_on": a.mdm_seen_on,
        "disposal_kind": translate(DisposalKind(a.disposal_kind).label) if a.disposal_kind else None,
        "disposed_on": a.disposed_on, "proceeds": a.proceeds_ore,
    }  # fmt: skip
    return [by_key[c.key] for c in NATIVE]


def native_header(locale: str) -> list[str]:
    return [c.sv if locale == "sv" else c.en for c in NATIVE]


def snipeit_values(item: ExportedAsset) -> list[Any]:
    """One asset in Snipe-IT's asset-import layout (exports/snipeit_csv.HEADER)."""
    a = item.asset
    name = status_label(a.status_enum, a.disposal_kind)
    warranty = months_between(a.purchase_date, a.warranty_end) if a.warranty_end else None
    return [
        item.owner, a.hostname, a.tag, a.serial, item.category, item.manufacturer, item.model,
        name, item.location, a.supplier, a.order_ref, a.purchase_date, a.price_ore,
        warranty if warranty is not None and warranty >= 0 else None,
        None,  # Asset EOL Date: Snipe-IT reckons it from the model's EOL months
        a.notes, a.holder,
    ]  # fmt: skip


_SNIPEIT_MONEY = {SNIPEIT_HEADER.index("Purchase Cost")}


def csv_bytes(header: list[str], rows: Iterable[list[Any]], *, native: bool) -> Iterator[bytes]:
    """CSV streamed a few hundred rows at a time: ours for Swedish Excel, Snipe-IT's as its
    own sample is written (commas, decimal points)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if native else ",", lineterminator="\r\n")
    writer.writerow(header)
    money = {i for i, c in enumerate(NATIVE) if c.key in _MONEY} if native else _SNIPEIT_MONEY
    yield ("\ufeff" + out.getvalue()).encode("utf-8")
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow([_csv_cell(v, i in money, native) for i, v in enumerate(row)])
        yield out.getvalue().encode("utf-8")


def _csv_cell(value: Any, money: bool, native: bool) -> str:
    if value is None:
        return ""
    if money and isinstance(value, int):
        text = sek_text(value)
        return text.replace(".", ",") if native else text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return text_cell(str(value))


def xlsx_bytes(header: list[str], rows: Iterable[list[Any]], *, native: bool, title: str) -> bytes:
    book = Workbook(write_only=True)
    ws = xlsx_cells.sheet_with_header(book, title, header, lambda h: h)
    money = {i for i, c in enumerate(NATIVE) if c.key in _MONEY} if native else _SNIPEIT_MONEY
    for row in rows:
        cells: list[Any] = []
        for i, value in enumerate(row):
            if value is None:
                cells.append(None)
            elif i in money and isinstance(value, int):
                cells.append(xlsx_cells.money_cell(ws, value))
            elif isinstance(value, dt.date):
                cells.append(xlsx_cells.date_cell(ws, value))
            elif isinstance(value, int):
                cells.append(value)
            else:
                cells.append(xlsx_cells.text_cell(ws, str(value)))
        ws.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
