"""A cell's text as the value it means, the way the exports and Swedish Excel write them.
Each parser returns the value, None for an empty cell, or raises CellError with a message
for the person who made the file."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..domain.dates import local_date
from ..domain.errors import ValidationFailed
from ..domain.money import parse_sek
from ..domain.text import N_
from ..exports.cells import FORMULA_STARTS
from .tabular import end_of_month, excel_mangled


class CellError(Exception):
    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


MANGLED = N_(
    "Excel has turned this number into %(value)s and its digits are lost: format the column "
    "as text in the spreadsheet and export it again."
)
BAD_DAY = N_("%(value)s is not a date: write it as YYYY-MM-DD.")

_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ]([0-9:.]+)(Z|[+-][0-9:]+)?.*)?")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_US = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{2}|[0-9]{4})(?:[ ,].*)?")


def unquoted(value: str) -> str:
    """A cell without the apostrophe exports put before text a spreadsheet would run as a
    formula (exports/cells.py): "'=SUM(A1)" was typed as "=SUM(A1)"."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def text(raw: str, *, longest: int) -> str | None:
    value = unquoted(raw.strip())
    if not value:
        return None
    if len(value) > longest:
        raise CellError(N_("At most %(num)s characters."), num=longest)
    return value


def identifier(raw: str, *, longest: int) -> str | None:
    """A tag, serial or IMEI: refused when Excel made it 1.23E+15 (it can match nothing)."""
    value = unquoted(raw.strip())
    if not value:
        return None
    if excel_mangled(value):
        raise CellError(MANGLED, value=value)
    if len(value) > longest:
        raise CellError(N_("At most %(num)s characters."), num=longest)
    return value


def day(raw: str, *, us_slashes: bool = False, zone: str | None = None) -> dt.date | None:
    """YYYY-MM-DD (what Swedish Excel writes), with a time after it as workbooks and device
    management exports give it (a UTC time to the local date in `zone`), or YYYYMMDD;
    M/D/YY only where the format is American (Snipe-IT's own samples). Anything else,
    D/M or M/D, is ambiguous and refused."""
    value = raw.strip()
    if not value:
        return None
    try:
        if found := _ISO.fullmatch(value):
            if found[4] and found[5] and zone:
                moment = dt.datetime.fromisoformat(
                    f"{found[1]}-{int(found[2]):02}-{int(found[3]):02}T{found[4][:8]}"
                    f"{'+00:00' if found[5] == 'Z' else found[5]}"
                )
                return local_date(moment, zone)
            return dt.date(int(found[1]), int(found[2]), int(found[3]))
        if found := _COMPACT.fullmatch(value):
            return dt.date(int(found[1]), int(found[2]), int(found[3]))
        if us_slashes and (found := _US.fullmatch(value)):
            year = int(found[3]) + (2000 if len(found[3]) == 2 else 0)
            return dt.date(year, int(found[1]), int(found[2]))
    except (ValueError, OverflowError):  # no such day, or none a clock can show
        pass
    raise CellError(BAD_DAY, value=value[:40])


def support_end(raw: str) -> dt.date | None:
    """A Chromebook's auto-update expiry: YYYY-MM to the end of that month, or a date."""
    value = raw.strip()
    if not value:
        return None
    found = end_of_month(value)
    if found is None:
        raise CellError(N_("%(value)s is not a month: write it as YYYY-MM."), value=value[:40])
    return found


def kronor(raw: str) -> int | None:
    """An amount in kronor (decimal comma or point, spaces between thousands) in öre."""
    if not raw.strip():
        return None
    try:
        return parse_sek(raw)
    except ValidationFailed as exc:
        raise CellError(next(iter(exc.errors.values()))) from None


def whole(raw: str, *, low: int, high: int) -> int | None:
    value = raw.strip()
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,6}", value) or not low <= int(value) <= high:
        raise CellError(N_("A whole number from %(low)s to %(high)s."), low=low, high=high)
    return int(value)
