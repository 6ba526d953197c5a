"""Money in exact öre (integer). SEK amounts are parsed from what Swedes type.

The grammar parse_sek accepts (issue 10: "12.500" was read as 12,50 kr, a thousandfold
error), after surrounding white space and one suffix "kr", "SEK" or ":-" / ",-" (any case,
with or without a space before it) are taken away:

    amount    = integer [ decimals ]
    integer   = digits                          12500
              | d{1,3} ( SPACE d{3} )+          12 500, 1 234 567  (SPACE: a space, a
                                                no-break space U+00A0 or a narrow no-break
                                                space U+202F; exactly one between groups)
              | d{1,3} ( "." d{3} ){2,}         1.234.567  (two or more dot groups cannot
                                                be a decimal mark)
              | d{1,3} "." d{3} comma-dec       1.234,50  (one dot group only before a
                                                comma decimal, which settles what it is)
    decimals  = "," d{1,2}                      12 500,50, 12500,5
              | "." d{1,2}                      12.5, 12.50  (not after dot groups)

Refused, each with a message that shows the accepted forms:
- ambiguous: a single dot or comma followed by exactly three digits and nothing else of
  its kind ("12.500", "1,234", "12 345,505"): thousands or öre? The writer must say;
- misplaced or mixed groups ("12 34", "1.23,4", "1 2345", "1.234 567,00", "12,345.50");
- more than two decimals ("12,3456"), a negative amount, and more than 100 million kronor.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .errors import ValidationFailed
from .text import N_

# A purchase above 100 million kronor is a typing error, not an IT asset.
MAX_PRICE_ORE = 100_000_000 * 100
# Longer than "100 000 000,00 SEK" with room to spare; longer input is not an amount.
_MAX_TYPED = 40

EMPTY = N_("Enter a price in kronor, e.g. 12 345,50.")
MALFORMED = N_("Write the price in kronor as 12500, 12 500, 12 500,50, 12500,50 or 1.234,50.")
AMBIGUOUS = N_(
    "A single dot or comma before exactly three digits could mean thousands or öre: write "
    "12500 or 12 500 for twelve thousand five hundred kronor, 12,50 for twelve kronor fifty "
    "(accepted: 12500, 12 500, 12 500,50, 12500,50, 1.234,50)."
)
TOO_MANY_DECIMALS = N_("A price has at most two decimals (öre).")
NEGATIVE = N_("A price cannot be negative.")

_SPACE = "[ \u00a0\u202f]"
_SUFFIX = re.compile(rf"{_SPACE}?(kr|sek|:-|,-)$", re.IGNORECASE)
_AMOUNT = re.compile(
    rf"""(?:
        # plain or space-grouped kronor; a comma or dot decimal mark
        (?P<spaced>[0-9]+|[0-9]{{1,3}}(?:{_SPACE}[0-9]{{3}})+) (?:[.,](?P<spaced_ore>[0-9]+))?
        # two or more dot groups; a comma decimal mark only
      | (?P<dotted>[0-9]{{1,3}}(?:\.[0-9]{{3}}){{2,}}) (?:,(?P<dotted_ore>[0-9]+))?
        # one dot group, read as thousands only when a comma decimal follows
      | (?P<dotted_one>[0-9]{{1,3}}\.[0-9]{{3}}) ,(?P<dotted_one_ore>[0-9]+)
    )""",
    re.VERBOSE,
)


def parse_sek(text: str, *, field: str = "price") -> int:
    """What someone typed as kronor -> öre, by the grammar above; a field error otherwise."""
    typed = (text or "").strip()
    if len(typed) > _MAX_TYPED:
        raise ValidationFailed({field: MALFORMED})
    typed = _SUFFIX.sub("", typed).strip()
    if not typed:
        raise ValidationFailed({field: EMPTY})
    if typed[0] in "-\u2212":
        raise ValidationFailed({field: NEGATIVE})
    match = _AMOUNT.fullmatch(typed)
    if match is None:
        raise ValidationFailed({field: MALFORMED})
    kind = next(k for k in ("spaced", "dotted", "dotted_one") if match[k] is not None)
    ore = match[f"{kind}_ore"] or "0"
    if len(ore) == 3:
        raise ValidationFailed({field: AMBIGUOUS})
    if len(ore) > 3:
        raise ValidationFailed({field: TOO_MANY_DECIMALS})
    kronor = re.sub(r"[^0-9]", "", match[kind])
    return sek_to_ore(Decimal(f"{kronor}.{ore}"), field=field)


def parse_optional_sek(text: str | None, *, field: str) -> int | None:
    """As parse_sek, an empty field being no amount (None) rather than an error."""
    return parse_sek(text, field=field) if text and text.strip() else None


def sek_to_ore(value: Decimal, *, field: str = "price") -> int:
    if not value.is_finite():
        raise ValidationFailed({field: MALFORMED})
    if value < 0:
        raise ValidationFailed({field: NEGATIVE})
    ore = value * 100
    if ore != ore.to_integral_value():
        raise ValidationFailed({field: TOO_MANY_DECIMALS})
    if ore > MAX_PRICE_ORE:
        raise ValidationFailed({field: N_("That price is too high for one asset.")})
    return int(ore)


def ore_to_sek(ore: int) -> Decimal:
    return (Decimal(ore) / 100).quantize(Decimal("0.01"))


def sek_text(ore: int) -> str:
    """'12490.00': kronor with two decimals, exact, as the API and JSON exports give money."""
    return f"{ore_to_sek(ore):.2f}"


def format_sek(ore: int) -> str:
    """Swedish style: '12 345,50 kr' with a no-break space as thousands separator."""
    sek, rest = divmod(ore, 100)
    grouped = f"{sek:,}".replace(",", "\u00a0")
    return f"{grouped},{rest:02d}\u00a0kr"
