"""Money in exact öre (integer). SEK amounts are parsed from what Swedes type."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .errors import ValidationFailed
from .text import N_

# A purchase above 100 million kronor is a typing error, not an IT asset.
MAX_PRICE_ORE = 100_000_000 * 100

_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_sek(text: str, *, field: str = "price") -> int:
    """'12 345,50', '12345.5', '12 345 kr' -> öre. Refuses negatives, fractions of öre, junk."""
    cleaned = _SPACES.sub("", text or "")
    cleaned = re.sub(r"(?i)(kr|sek|:-)$", "", cleaned)
    if not cleaned:
        raise ValidationFailed({field: N_("Enter a price in kronor, e.g. 12 345,50.")})
    if "," in cleaned and "." in cleaned:
        # 12.345,50: dots are thousands separators.
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?[0-9]{1,12}(\.[0-9]+)?", cleaned):
        raise ValidationFailed({field: N_("Enter a price in kronor, e.g. 12 345,50.")})
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationFailed({field: N_("Enter a price in kronor, e.g. 12 345,50.")}) from None
    return sek_to_ore(value, field=field)


def sek_to_ore(value: Decimal, *, field: str = "price") -> int:
    if not value.is_finite():
        raise ValidationFailed({field: N_("Enter a price in kronor, e.g. 12 345,50.")})
    if value < 0:
        raise ValidationFailed({field: N_("A price cannot be negative.")})
    ore = value * 100
    if ore != ore.to_integral_value():
        raise ValidationFailed({field: N_("A price has at most two decimals (öre).")})
    if ore > MAX_PRICE_ORE:
        raise ValidationFailed({field: N_("That price is too high for one asset.")})
    return int(ore)


def ore_to_sek(ore: int) -> Decimal:
    return (Decimal(ore) / 100).quantize(Decimal("0.01"))


def format_sek(ore: int) -> str:
    """Swedish style: '12 345,50 kr' with a narrow no-break space as thousands separator."""
    sek, rest = divmod(ore, 100)
    grouped = f"{sek:,}".replace(",", "\u00a0")
    return f"{grouped},{rest:02d}\u00a0kr"
