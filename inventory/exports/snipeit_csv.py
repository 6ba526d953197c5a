"""The handover export as a CSV in Snipe-IT's asset-import layout, so that whoever takes
the register over can load it into that common open-source tool (or any that reads it).

The headings are those Snipe-IT's importer maps to its asset fields by name (its own
sample, sample_csvs/assets-sample.csv, and its importer's aliases): Company, Name, Asset
Tag, Serial Number, Category, Manufacturer, Model Name, Status, Location, Supplier, Order
Number, Purchase Date, Purchase Cost, Warranty Months, Asset EOL Date, Asset Notes and Full
Name (whom it is checked out to). Like the sample: commas, UTF-8 with a byte-order mark,
costs with a decimal point; dates as YYYY-MM-DD, which its importer reads unambiguously.

An asset handed over is written as it was handed over (its status and holder then): it is
a live device for the organisation taking it on. One that left the register earlier is
archived (or lost/stolen)."""

from __future__ import annotations

import csv
import io

from ..domain.dates import months_between
from ..domain.money import sek_text
from ..domain.statuses import MISSING_KINDS, Status
from ..services.handover import AssetRecord, HandoverExport
from .cells import text_cell

HEADER = (
    "Company",
    "Name",
    "Asset Tag",
    "Serial Number",
    "Category",
    "Manufacturer",
    "Model Name",
    "Status",
    "Location",
    "Supplier",
    "Order Number",
    "Purchase Date",
    "Purchase Cost",
    "Warranty Months",
    "Asset EOL Date",
    "Asset Notes",
    "Full Name",
)

# Our statuses as Snipe-IT's default status labels (a fresh installation has these; its
# importer creates a label it does not know).
STATUS_NAMES = {
    Status.ORDERED: "Pending",
    Status.IN_STOCK: "Ready to Deploy",
    Status.DEPLOYED: "Ready to Deploy",  # deployed = checked out to the Full Name
    Status.IN_REPAIR: "Out for Repair",
    Status.RETURNED: "Pending",  # back with IT, to be checked and wiped
    Status.REUSE_POOL: "Ready to Deploy",
    Status.DISPOSED: "Archived",
}
LOST_OR_STOLEN = "Lost/Stolen"


def status_name(asset: AssetRecord) -> str:
    return status_label(asset.status_as_handed_over, asset.disposal_kind)


def status_label(status: Status, disposal_kind: str | None) -> str:
    """Snipe-IT's status label for one of ours (and how it left, for a disposed device)."""
    if status is Status.DISPOSED and disposal_kind in MISSING_KINDS:
        return LOST_OR_STOLEN
    return STATUS_NAMES[status]


def render(data: HandoverExport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for asset in data.assets:
        warranty = (
            months_between(asset.purchase_date, asset.warranty_end) if asset.warranty_end else None
        )
        row = [
            data.owner_name,
            asset.hostname or "",
            asset.tag,
            asset.serial or "",
            asset.category,
            asset.manufacturer,
            asset.model,
            status_name(asset),
            asset.location or "",
            asset.supplier or "",
            asset.order_ref or "",
            asset.purchase_date.isoformat(),
            sek_text(asset.price_ore),
            "" if warranty is None or warranty < 0 else str(warranty),
            asset.replacement_due.isoformat() if asset.replacement_due else "",
            asset.notes,
            asset.holder_as_handed_over or "",
        ]
        writer.writerow([text_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
