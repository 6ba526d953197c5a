"""Which column of each import format holds which of our fields: by header name, with the
synonyms the exports use (REFERENCE.md §4.1, §4.4, §4.5), never by position.

Our own format (the list's export) names its columns in Swedish or English, as the user's
language was when it was written; both are read, as are the field names themselves."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from babel import support

from ..domain.text import N_
from .tabular import Format, Table, normal
from .tabular import detect as detect_export


class Layout(StrEnum):
    """An import format: ours, or one of the exports tabular.detect tells apart."""

    NATIVE = "native"
    SNIPEIT = Format.SNIPEIT.value
    GOOGLE_ADMIN = Format.GOOGLE_ADMIN.value
    INTUNE = Format.INTUNE.value

    @property
    def label(self) -> str:
        return N_("This register's own export") if self is Layout.NATIVE else Format(self).label

    @property
    def reports_devices(self) -> bool:
        """A device management export (Intune, Google Admin): it matches the register's
        assets and fills what it reports, and registers nothing."""
        return self in (Layout.GOOGLE_ADMIN, Layout.INTUNE)


@dataclass(frozen=True)
class NativeColumn:
    key: str
    en: str
    sv: str


# Our export's columns, in the order it writes them. The first block is what an import
# reads; the disposal columns are written for the reader and checked for nothing.
NATIVE: tuple[NativeColumn, ...] = (
    NativeColumn("tag", "Asset tag", "Inventarienummer"),
    NativeColumn("serial", "Serial number", "Serienummer"),
    NativeColumn("owner", "Owner", "Ägare"),
    NativeColumn("category", "Category", "Kategori"),
    NativeColumn("manufacturer", "Manufacturer", "Tillverkare"),
    NativeColumn("model", "Model", "Modell"),
    NativeColumn("status", "Status", "Status"),
    NativeColumn("business_unit", "Business unit", "Verksamhet"),
    NativeColumn("service_object", "Service object", "Tjänsteobjekt"),
    NativeColumn("site", "Site", "Anläggning"),
    NativeColumn("building", "Building", "Byggnad"),
    NativeColumn("room", "Room", "Rum"),
    NativeColumn("holder", "Holder", "Innehavare"),
    NativeColumn("purchase_date", "Purchase date", "Inköpsdatum"),
    NativeColumn("in_service_date", "In-service date", "Driftsättningsdatum"),
    NativeColumn("price", "Purchase price (SEK)", "Inköpspris (kr)"),
    NativeColumn("depreciation_months", "Depreciation period (months)", "Avskrivningstid (månader)"),
    NativeColumn("supplier", "Supplier", "Leverantör"),
    NativeColumn("order_ref", "Order/invoice reference", "Order-/fakturareferens"),
    NativeColumn("warranty_end", "Warranty end", "Garanti t.o.m."),
    NativeColumn("due_override", "Replace by", "Byt ut senast"),
    NativeColumn("hostname", "Hostname", "Värdnamn"),
    NativeColumn("mac", "MAC address", "MAC-adress"),
    NativeColumn("ip", "IP address", "IP-adress"),
    NativeColumn("imei", "IMEI", "IMEI"),
    NativeColumn("notes", "Notes", "Anteckningar"),
    NativeColumn("end_of_support", "Device's end of support", "Enhetens supportslut"),
    NativeColumn("os_version", "OS version", "OS-version"),
    NativeColumn("mdm_user", "Primary user (device management)", "Primär användare (enhetshantering)"),
    NativeColumn("mdm_seen_on", "Last check-in", "Senaste incheckning"),
    NativeColumn("disposal_kind", "Disposal kind", "Avyttringssätt"),
    NativeColumn("disposed_on", "Disposal date", "Avyttringsdatum"),
    NativeColumn("proceeds", "Proceeds (SEK)", "Intäkt (kr)"),
)  # fmt: skip
# Written out, not read back: a disposal is recorded through the lifecycle.
NATIVE_WRITTEN_ONLY = frozenset({"disposal_kind", "disposed_on", "proceeds"})

_SYNONYMS: dict[Layout, dict[str, tuple[str, ...]]] = {
    Layout.NATIVE: {c.key: (c.key, c.en, c.sv) for c in NATIVE if c.key not in NATIVE_WRITTEN_ONLY},
    # Snipe-IT's importer's labels and aliases (app/Livewire/Importer.php) and its samples.
    Layout.SNIPEIT: {
        "tag": ("Asset Tag", "asset_tag"),
        "serial": ("Serial Number", "Serial", "serial"),
        "owner": ("Company", "company"),
        "category": ("Category", "category"),
        "manufacturer": ("Manufacturer", "manufacturer"),
        "model": ("Model Name", "Model name", "Model", "asset_model"),
        "hostname": ("Name", "Item Name", "Asset Name", "item_name"),
        "status": ("Status", "status"),
        "location": ("Location", "location"),
        "supplier": ("Supplier", "supplier"),
        "order_ref": ("Order Number", "order_number"),
        "purchase_date": ("Purchase Date", "purchase_date"),
        "price": ("Purchase Cost", "purchase_cost"),
        "warranty_months": ("Warranty Months", "Warranty", "warranty_months"),
        "notes": ("Asset Notes", "Notes", "asset_notes"),
        "holder": ("Full Name", "Checked Out To: Full Name", "full_name"),
        "first_name": ("Checked Out To: First Name", "First Name", "first_name"),
        "last_name": ("Checked Out To: Last Name", "Last Name", "last_name"),
    },
    # The console's readable headers and the API's (and GAM's) field names (§4.4).
    Layout.GOOGLE_ADMIN: {
        "serial": ("Serial Number", "serialNumber"),
        "tag": ("Asset ID", "Annotated Asset ID", "annotatedAssetId"),
        "end_of_support": (
            "Auto Update Expiration", "Auto Update Through", "autoUpdateThrough",
            "autoUpdateExpiration", "AUE",
        ),
        "os_version": ("OS Version", "osVersion"),
        "mdm_seen_on": ("Last Sync", "lastSync"),
        "mdm_user": ("User", "Annotated User", "annotatedUser"),
    },
    # Intune's "All devices" export, selected columns or all inventory data (§4.5).
    Layout.INTUNE: {
        "serial": ("Serial number",),
        "imei": ("IMEI",),
        "os_version": ("OS version",),
        "mdm_user": ("Primary user UPN", "Primary user email address", "Primary user display name"),
        "mdm_seen_on": ("Last check-in",),
    },
}  # fmt: skip


@dataclass(frozen=True)
class Columns:
    """Where each of our fields is in one file: key -> column position."""

    layout: Layout
    positions: dict[str, int]
    headers: list[str]

    def header_of(self, key: str) -> str:
        """The file's own name for the column a field is read from (for messages)."""
        position = self.positions.get(key)
        return self.headers[position] if position is not None else key

    def has(self, key: str) -> bool:
        return key in self.positions

    def value(self, row: list[str], key: str) -> str | None:
        """The cell of `key` in `row`, trimmed; None when the file has no such column."""
        position = self.positions.get(key)
        return None if position is None else row[position].strip()


def columns(table: Table, layout: Layout) -> Columns:
    """Our fields found in the table's header (the first synonym present wins)."""
    positions: dict[str, int] = {}
    for key, names in _SYNONYMS[layout].items():
        found = table.column(names)
        if found is not None:
            positions[key] = found
    return Columns(layout, positions, table.headers)


def detect(table: Table) -> Layout | None:
    """The format a file is in, from its header: one of the exports, or ours (its tag or
    serial column under our names, with a model)."""
    found = detect_export(table.headers)
    if found is not None:
        return Layout(found.value)
    native = columns(table, Layout.NATIVE)
    if (native.has("tag") or native.has("serial")) and native.has("model"):
        return Layout.NATIVE
    return None


def duplicated(table: Table, layout: Layout) -> dict[str, list[int]]:
    """Our fields read from a header given to several columns (Snipe-IT's bad sample has
    two Category columns): key -> every position with that header."""
    out: dict[str, list[int]] = {}
    found = [normal(h) for h in table.headers]
    for key, names in _SYNONYMS[layout].items():
        for name in names:
            positions = [i for i, h in enumerate(found) if h == normal(name)]
            if positions:
                if len(positions) > 1:
                    out[key] = positions
                break
    return out


_TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"


@cache
def _swedish() -> support.NullTranslations:
    return support.Translations.load(str(_TRANSLATIONS), ["sv"])


def said(message: str, locale: str) -> str:
    """A label in the language an export is written in (outside any request: the CLI)."""
    return str(_swedish().ugettext(message)) if locale == "sv" else message


def both_languages(message: str) -> frozenset[str]:
    """A label as an import compares it: in English and in Swedish."""
    return frozenset({normal(message), normal(said(message, "sv"))})
