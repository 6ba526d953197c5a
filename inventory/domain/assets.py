"""Rules for the fields of an asset: tag format, dates and network identifiers."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import ValidationFailed
from .text import N_

TAG_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")
MAC_PATTERN = re.compile(r"^[0-9A-F]{2}([:-]?[0-9A-F]{2}){5}$")
EARLIEST_PURCHASE = date(1990, 1, 1)
LATEST_IN_SERVICE = timedelta(days=366)
LATEST_DATE = date(2100, 12, 31)
MAX_DEPRECIATION_MONTHS = 600


def normalize_tag(raw: str) -> str:
    return (raw or "").strip().upper()


def lookup_tag(raw: str) -> str | None:
    """The tag to look up for what someone typed or scanned, or None if it cannot be one
    (so that junk, such as a NUL byte, never reaches the database)."""
    tag = normalize_tag(raw)
    return tag if TAG_PATTERN.match(tag) else None


_SERIES = re.compile(r"^(.*?[^0-9])([0-9]+)$")


def next_in_series(tag: str | None) -> tuple[str, int, int] | None:
    """A tag's series and the number after it: "IT-010234" → ("IT-", 6, 10235); None for a
    tag that does not end in digits after a prefix. The next tag must still fit the format."""
    match = _SERIES.match(tag or "")
    if match is None:
        return None
    prefix, digits = match.groups()
    number = int(digits) + 1
    if len(prefix) + max(len(digits), len(str(number))) > 32:
        return None
    return prefix, len(digits), number


def check_tag(raw: str) -> str:
    tag = normalize_tag(raw)
    if not TAG_PATTERN.match(tag):
        raise ValidationFailed(
            {"tag": N_("An asset tag is 3–32 characters: letters A–Z, digits and hyphens.")}
        )
    return tag


@dataclass(frozen=True)
class AssetDates:
    purchase_date: date
    in_service_date: date | None = None
    warranty_end: date | None = None
    due_override: date | None = None


def check_dates(dates: AssetDates, *, today: date) -> None:
    errors: dict[str, str] = {}
    if dates.purchase_date < EARLIEST_PURCHASE:
        errors["purchase_date"] = N_("The purchase date is implausibly early.")
    elif dates.purchase_date > today:
        errors["purchase_date"] = N_("The purchase date cannot be in the future.")
    if dates.in_service_date is not None and dates.in_service_date < dates.purchase_date:
        errors["in_service_date"] = N_("A device cannot be taken into use before it was bought.")
    elif dates.in_service_date is not None and dates.in_service_date > today + LATEST_IN_SERVICE:
        errors["in_service_date"] = N_("The in-service date is more than a year away.")
    if dates.warranty_end is not None and dates.warranty_end < dates.purchase_date:
        errors["warranty_end"] = N_("The warranty cannot end before the purchase date.")
    elif dates.warranty_end is not None and dates.warranty_end > LATEST_DATE:
        errors["warranty_end"] = N_("The warranty end is implausibly far away.")
    if (
        dates.due_override is not None
        and not dates.purchase_date <= dates.due_override <= LATEST_DATE
    ):
        errors["due_override"] = N_("A replacement date lies between the purchase and 2100.")
    if errors:
        raise ValidationFailed(errors)


def check_depreciation_months(months: int, *, field: str = "depreciation_months") -> int:
    if not 0 <= months <= MAX_DEPRECIATION_MONTHS:
        raise ValidationFailed({field: N_("A period is between 0 and 600 months.")})
    return months


def normalize_mac(raw: str | None) -> str | None:
    if not raw or not raw.strip():
        return None
    mac = raw.strip().upper()
    if not MAC_PATTERN.match(mac):
        raise ValidationFailed({"mac": N_("A MAC address looks like 00:1A:2B:3C:4D:5E.")})
    digits = re.sub(r"[^0-9A-F]", "", mac)
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def normalize_ip(raw: str | None) -> str | None:
    if not raw or not raw.strip():
        return None
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        raise ValidationFailed({"ip": N_("Enter a valid IPv4 or IPv6 address.")}) from None


def normalize_imei(raw: str | None) -> str | None:
    """An IMEI is 15 digits whose last is a Luhn check digit."""
    if not raw or not raw.strip():
        return None
    digits = re.sub(r"[\s-]", "", raw)
    if not (digits.isdigit() and len(digits) == 15 and luhn_valid(digits)):
        raise ValidationFailed({"imei": N_("An IMEI is 15 digits with a valid check digit.")})
    return digits


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def search_text(*parts: str | None) -> str:
    """What free-text search looks in: lower-cased, one space between parts."""
    return " ".join(p.strip().lower() for p in parts if p and p.strip())
