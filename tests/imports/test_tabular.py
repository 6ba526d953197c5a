"""Reading import files as Swedish Excel, Snipe-IT, Google Admin and Intune write them:
Snipe-IT's public samples (../shared/data/snipeit/, read in place, not copied), and files
of our own with the quirks (semicolons, Windows-1252, CR-only lines, a workbook)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from inventory.domain.errors import ValidationFailed
from inventory.imports.tabular import (
    Format,
    detect,
    end_of_month,
    excel_mangled,
    normal_serial,
    read,
)

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "snipeit"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason="../shared/data/snipeit beside the clone"
)


@needs_samples
def test_snipeit_s_good_sample_is_read_and_recognised() -> None:
    table = read((SAMPLES / "assets-sample.csv").read_bytes())
    assert table.encoding == "utf-8-sig" and table.delimiter == ","
    assert table.headers[:3] == ["Company", "Name", "Asset Tag"]
    assert len(table.rows) == 22 and all(len(r) == len(table.headers) for r in table.rows)
    assert detect(table.headers) is Format.SNIPEIT
    assert table.duplicates() == []
    assert table.column(["asset tag"]) == 2


@needs_samples
def test_snipeit_s_bad_sample_shows_what_is_wrong_with_it() -> None:
    """CR-only lines, bytes that are not UTF-8, two Category and two Company columns, and
    serials Excel turned into 6.37702E+15: each is seen, none is read as something else."""
    table = read((SAMPLES / "assets-sample-BAD.csv").read_bytes())
    # Not UTF-8, and bytes Windows-1252 leaves undefined: read byte for byte (Latin-1).
    assert table.encoding == "latin-1"
    assert len(table.rows) == 200 and table.lines[0] == 2
    assert detect(table.headers) is Format.SNIPEIT
    assert table.duplicates() == ["Category", "Company"]
    # Its long numbers stand under "Model Number" (its serials are UUIDs).
    number = table.column(["model number"])
    assert number is not None
    mangled = [r[number] for r in table.rows if excel_mangled(r[number])]
    assert len(mangled) > 150 and "6.37702E+15" in mangled
    serial = table.column(["serial", "serial number"])
    assert serial is not None and not any(excel_mangled(r[serial]) for r in table.rows)


@needs_samples
def test_snipeit_s_blank_headers_are_columns_without_a_name() -> None:
    table = read((SAMPLES / "assets-sample-BLANKS.csv").read_bytes())
    assert table.headers[4] == "" and table.column(["Asset Tag"]) == 11
    assert detect(table.headers) is Format.SNIPEIT


def test_swedish_excel_csv_semicolons_windows_1252_and_cr_lines() -> None:
    text = "Inventarienummer;Serienummer;Placering;Pris\r" + "".join(
        f"IT-{n:06d};SN {n};Skåp Ö{n};12 490,50\r" for n in range(1, 121)
    )
    table = read(text.encode("cp1252"))
    assert (table.encoding, table.delimiter, len(table.rows)) == ("cp1252", ";", 120)
    assert table.rows[0] == ["IT-000001", "SN 1", "Skåp Ö1", "12 490,50"]
    assert table.lines[-1] == 121 and detect(table.headers) is None
    # With a byte-order mark, UTF-8 and quoted fields that hold a semicolon and a line.
    quoted = '\ufeffDevice name;Managed by;Serial number\n"PC; 1";Intune;"A\nB"\n'.encode()
    intune = read(quoted)
    assert intune.rows == [["PC; 1", "Intune", "A\nB"]] and detect(intune.headers) is Format.INTUNE


def test_a_workbook_is_read_as_the_text_people_see() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Serial Number", "Org Unit Path", "Auto Update Expiration", "Last Sync"])
    sheet.append([12345.0, "/Skolor/Åkerbo", "2029-06", dt.datetime(2026, 11, 2, 8, 30)])
    sheet.append([None, None, None, None])  # a blank row is skipped
    sheet.append(["5CD1234XYZ", "/Skolor", "2031-06", dt.datetime(2026, 11, 3)])
    out = io.BytesIO()
    book.save(out)
    table = read(out.getvalue())
    assert table.encoding == "xlsx" and detect(table.headers) is Format.GOOGLE_ADMIN
    assert table.rows[0] == ["12345", "/Skolor/Åkerbo", "2029-06", "2026-11-02 08:30:00"]
    assert table.rows[1][3] == "2026-11-03" and table.lines == [2, 4]


def test_the_formats_are_told_apart_by_their_headers() -> None:
    intune_full = ["Device ID", "Device name", "Enrollment date", "Last check-in",
                   "Azure AD Device ID", "OS version", "Serial number", "IMEI",
                   "Primary user UPN"]  # fmt: skip
    assert detect(intune_full) is Format.INTUNE
    assert detect(["Device name", "Managed by", "Ownership", "Compliance", "OS"]) is Format.INTUNE
    assert (
        detect(["serialNumber", "annotatedAssetId", "orgUnitPath", "autoUpdateThrough"])
        is Format.GOOGLE_ADMIN
    )
    assert detect(["Serial number", "Model"]) is None  # too little to tell
    assert detect([]) is None


@pytest.mark.parametrize("data", [b"", b"  \n\n", b"\x00\x01\x02", b"PK\x03\x04broken"])
def test_what_is_not_a_table_is_refused_with_a_reason(data: bytes) -> None:
    with pytest.raises(ValidationFailed) as refused:
        read(data)
    assert list(refused.value.errors) == ["file"]


def test_values_as_the_exports_write_them() -> None:
    assert normal_serial(" 5cd 1234 xyz ") == "5CD1234XYZ"
    assert excel_mangled("1.23E+15") and excel_mangled("5,02E+18") and excel_mangled("4E12")
    assert not excel_mangled("E12345") and not excel_mangled("12345") and not excel_mangled("3E-AB")
    assert end_of_month("2029-06") == dt.date(2029, 6, 30)
    assert end_of_month("2028-02") == dt.date(2028, 2, 29)
    assert end_of_month("2030-12") == dt.date(2030, 12, 31)
    assert end_of_month("2031-06-01") == dt.date(2031, 6, 1)
    assert end_of_month("2031-06-01T00:00:00Z") == dt.date(2031, 6, 1)
    assert end_of_month("2029-13") is None and end_of_month("juni 2029") is None


def test_a_damaged_workbook_is_refused_with_a_reason() -> None:
    """A read-only workbook is parsed while its rows are read: a sheet cut in half shows only
    then, and is refused like an unreadable file."""
    import zipfile

    book = Workbook()
    book.active.append(["Asset Tag", "Serial Number", "Purchase Cost"])
    book.active.append(["IT-1", "SN1", "100"])
    good = io.BytesIO()
    book.save(good)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good.getvalue())) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]
            dst.writestr(item, body)
    with pytest.raises(ValidationFailed) as refused:
        read(broken.getvalue())
    assert refused.value.errors == {"file": "The workbook could not be read."}
