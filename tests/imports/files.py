"""Import files for tests, written the way their makers write them: Swedish Excel (semicolons,
Windows-1252, decimal commas, CR-only lines), Snipe-IT (commas, M/D/YY dates), Google Admin
(the console's readable headers, or the API's camelCase names as GAM writes them) and
Intune's "all devices" export with all inventory data. Each a hundred rows or more."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

# The full inventory export's columns, in its order (REFERENCE.md §4.5).
INTUNE_HEADER = [
    "Device ID",
    "Device name",
    "Enrollment date",
    "Last check-in",
    "Azure AD Device ID",
    "OS version",
    "Azure AD registered",
    "EAS activation ID",
    "Serial number",
    "Manufacturer",
    "Model",
    "EAS activated",
    "IMEI",
    "Last EAS sync time",
    "EAS reason",
    "EAS status",
    "Compliance grace period expiration",
    "Security patch level",
    "Wi-Fi MAC",
    "MEID",
    "Subscriber carrier",
    "Total storage",
    "Free storage",
    "Management name",
    "Category",
    "UserId",
    "Primary user UPN",
    "Primary user email address",
    "Primary user display name",
    "WiFiIPv4Address",
    "WiFiSubnetID",
    "Compliance",
    "Managed by",
    "Ownership",
    "Device state",
    "Intune registered",
    "Supervised",
    "Encrypted",
    "OS",
    "SkuFamily",
    "JoinType",
    "Phone number",
    "Jailbroken",
    "ICCID",
    "EthernetMAC",
    "CellularTechnology",
    "ProcessorArchitecture",
    "EID",
    "SystemManagementBIOSVersion",
    "TPMManufacturerId",
    "TPMManufacturerVersion",
]

# The console's readable headers, starting as third-party importers saw them (§4.4).
GOOGLE_READABLE = (
    "Device ID", "Serial Number", "Model", "Last Sync", "First enrollment time", "OS Version",
    "Org Unit Path", "Status", "Asset ID", "User", "Location", "Notes", "Ethernet MAC Address",
    "MAC Address", "Auto Update Expiration", "Boot Mode", "Platform Version",
)  # fmt: skip
GOOGLE_API = (
    "deviceId", "serialNumber", "model", "lastSync", "osVersion", "orgUnitPath", "status",
    "annotatedAssetId", "annotatedUser", "annotatedLocation", "macAddress",
    "autoUpdateThrough", "platformVersion", "firmwareVersion", "bootMode",
)  # fmt: skip


def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue()


def swedish_excel(text: str) -> bytes:
    """As Excel in Sweden saves "CSV (semikolonavgränsad)" on a Mac of old: Windows-1252,
    and CR alone between lines."""
    return text.replace("\r\n", "\r").encode("cp1252")


def intune_row(values: dict[str, object]) -> list[object]:
    return [values.get(name, "") for name in INTUNE_HEADER]
