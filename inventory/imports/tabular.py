"""Reading what people import (issue 15's first layer): a CSV or an XLSX file as a header
and rows of text, whatever Swedish Excel, Snipe-IT, Google Admin or Intune made of it, and
which of those it is, from the header alone.

CSV: UTF-8 with or without a byte-order mark, else Windows-1252 (Excel's "CSV" in Sweden),
else Latin-1, which reads any byte; commas, semicolons or tabs, whichever the header row
uses most; CRLF, LF or CR-only line ends (the csv module reads all three). XLSX: the first
sheet, each cell as the text a person sees (dates as YYYY-MM-DD, whole numbers without a
decimal part). Columns are found by header name (`column`), never by position: the exports
change, and extra or missing optional columns are the norm."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile, LargeZipFile

from ..domain.errors import ValidationFailed
from ..domain.text import N_

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
_XLSX_MAGIC = b"PK\x03\x04"
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Table:
    headers: list[str]  # as the file has them, trimmed
    rows: list[list[str]]  # each padded to the headers' length
    # The spreadsheet row number of each of `rows` (the header is row 1; blank rows skipped).
    lines: list[int]
    encoding: str  # "xlsx" for a workbook
    delimiter: str | None = None

    def duplicates(self) -> list[str]:
        """Header names given to more than one column (Snipe-IT's bad sample has two
        Category and two Company columns): which one is meant cannot be told."""
        counts = Counter(normal(h) for h in self.headers if normal(h))
        return sorted({h for h in self.headers if counts[normal(h)] > 1}, key=normal)

    def column(self, names: Iterable[str]) -> int | None:
        """The position of the first column whose header is one of `names` (synonyms,
        compared as `normal` makes them), or None."""
        wanted = [normal(n) for n in names]
        found = [normal(h) for h in self.headers]
        for name in wanted:
            if name in found:
                return found.index(name)
        return None


def normal(header: str) -> str:
    """A header as compared: case, spaces, a trailing colon and a byte-order mark do not
    count ("Serial Number", "serial number ", "SerialNumber" stay distinct words though:
    synonyms list both)."""
    return " ".join(header.replace("\ufeff", "").strip().rstrip(":").casefold().split())


def read(data: bytes) -> Table:
    if len(data) > MAX_BYTES:
        raise ValidationFailed({"file": N_("The file is too large (at most 20 MB).")})
    if not data.strip():
        raise ValidationFailed({"file": N_("The file is empty.")})
    if data.startswith(_XLSX_MAGIC):
        return _read_xlsx(data)
    return _read_csv(data)


def _decode(data: bytes) -> tuple[str, str]:
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _delimiter(text: str) -> str:
    first = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    counts = {d: first.count(d) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: counts[d])


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise ValidationFailed({"file": N_("This is not a CSV or XLSX file.")})
    delimiter = _delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise ValidationFailed({"file": N_("The file is not readable as CSV.")}) from None
    return _table(((i, r) for i, r in enumerate(records, start=1)), encoding, delimiter)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook  # only for workbooks
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        # A damaged workbook, or another kind of zip.
        raise ValidationFailed({"file": N_("The workbook could not be read.")}) from None
    try:
        sheet = book.worksheets[0]
        records = (
            (i, [_cell_text(v) for v in row])
            for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        return _table(records, "xlsx", None)
    except ValidationFailed:
        raise
    except (ParseError, IndexError, KeyError, TypeError, ValueError, OSError, LargeZipFile):
        # A read-only workbook is parsed while its rows are read: a damaged sheet shows here.
        raise ValidationFailed({"file": N_("The workbook could not be read.")}) from None
    finally:
        book.close()


def _table(
    records: Iterable[tuple[int, Sequence[str]]], encoding: str, delimiter: str | None
) -> Table:
    headers: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    for line, record in records:
        cells = [c.strip() for c in record]
        if not any(cells):
            continue
        if headers is None:
            headers = cells
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationFailed({"file": N_("The file has more than 200 000 rows.")})
        rows.append(cells + [""] * (len(headers) - len(cells)))
        lines.append(line)
    if headers is None:
        raise ValidationFailed({"file": N_("The file is empty.")})
    return Table(headers, rows, lines, encoding, delimiter)


class Format(StrEnum):
    SNIPEIT = "snipeit"
    GOOGLE_ADMIN = "google-admin"
    INTUNE = "intune"

    @property
    def label(self) -> str:
        return _FORMAT_LABELS[self]


_FORMAT_LABELS = {
    Format.SNIPEIT: N_("Snipe-IT asset import"),
    Format.GOOGLE_ADMIN: N_("Google Admin: ChromeOS devices"),
    Format.INTUNE: N_("Microsoft Intune: all devices"),
}

# What each export's header has: one of the first, and one of the second (REFERENCE.md §4.1,
# §4.4 and §4.5; the Google console's own layout is undocumented, so its API names and its
# readable names are both accepted).
_SIGNATURES: dict[Format, tuple[frozenset[str], frozenset[str]]] = {
    Format.SNIPEIT: (
        frozenset({"asset tag"}),
        frozenset({"purchase cost", "item name", "model name", "asset eol date",
                   "checked out to: username", "checkout type", "asset notes"}),
    ),
    Format.GOOGLE_ADMIN: (
        frozenset({"serial number", "serialnumber"}),
        frozenset({"org unit path", "orgunitpath", "auto update expiration",
                   "autoupdateexpiration", "autoupdatethrough", "annotated asset id",
                   "annotatedassetid", "platform version", "platformversion"}),
    ),
    Format.INTUNE: (
        frozenset({"device name"}),
        frozenset({"primary user upn", "managed by", "last check-in", "azure ad device id",
                   "entra deviceid", "enrollment date", "device id"}),
    ),
}  # fmt: skip


def detect(headers: Sequence[str]) -> Format | None:
    """The export a header row comes from, or None when it is none of them."""
    have = {normal(h) for h in headers}
    for fmt, (must, also) in _SIGNATURES.items():
        if have & {normal(n) for n in must} and have & {normal(n) for n in also}:
            return fmt
    return None


# --- values ---------------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]+")


def excel_mangled(value: str) -> bool:
    """A long number Excel turned into 1.23E+15: the digits it had are lost, so it can match
    nothing and is refused, with its row."""
    return bool(_SCIENTIFIC.fullmatch(value.strip()))


def normal_serial(value: str) -> str:
    """A serial number as matched: upper case, without spaces."""
    return "".join(value.split()).upper()


def end_of_month(value: str) -> dt.date | None:
    """A Chromebook's auto-update expiry as exports give it, "2029-06" (to the end of that
    month) or a whole date; None for anything else."""
    text = value.strip()
    found = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})(?:-([0-9]{1,2}))?(?:[T ].*)?", text)
    if not found:
        return None
    year, month = int(found[1]), int(found[2])
    if not 1 <= month <= 12:
        return None
    if found[3]:
        try:
            return dt.date(year, month, int(found[3]))
        except ValueError:
            return None
    after = dt.date(year + (month == 12), month % 12 + 1, 1)
    return after - dt.timedelta(days=1)
