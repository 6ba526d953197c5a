"""The handover export's files: the XLSX opened with openpyxl (a sheet per kind of record,
typed cells, Swedish headings), the JSON (machine keys, money as decimal strings, ISO
dates) and the CSV in Snipe-IT's asset-import layout."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from babel.support import Translations
from openpyxl import load_workbook
from sqlmodel import Session

from inventory.config import PROJECT_ROOT
from inventory.domain.attachments import Kind
from inventory.domain.errors import PermissionDenied
from inventory.exports import attachments_zip, handover_json, handover_xlsx, snipeit_csv
from inventory.models import Attachment
from inventory.services import handover

from ..departing import AFTER, AFTER_NOW, Departing, make_departing
from ..evidence import XML_REPORT, attach_later, image
from ..factories import Reference, record_wipe

SWEDISH = Translations.load(str(PROJECT_ROOT / "inventory" / "translations"), ["sv"]).ugettext


@pytest.fixture
def w(session: Session, ref: Reference) -> Departing:
    return make_departing(session, ref)


def export(
    session: Session, w: Departing, translate: Callable[[str], str] = SWEDISH
) -> handover.HandoverExport:
    return handover.export(
        session, actor=w.ref.admin, owner=w.owner, today=AFTER, now=AFTER_NOW,
        translate=translate, file_format="test",
    )  # fmt: skip


def handed_over(session: Session, w: Departing) -> handover.HandoverExport:
    handover.hand_over(session, actor=w.ref.admin, owner=w.owner, today=AFTER, now=AFTER_NOW)
    return export(session, w)


def rows_of(sheet: Any) -> list[dict[str, Any]]:
    header, *rows = [[c for c in row] for row in sheet.iter_rows()]
    return [{h.value: c for h, c in zip(header, row, strict=True)} for row in rows]


# --- XLSX ----------------------------------------------------------------------------------


def test_the_workbook_has_a_sheet_per_kind_of_record_with_swedish_headings(
    session: Session, w: Departing
) -> None:
    book = load_workbook(io.BytesIO(handover_xlsx.render(export(session, w), SWEDISH)))
    assert book.sheetnames == [
        "Överlämning",
        "Tillgångar",
        "Historik",
        "Bedömningar",
        "Inventeringsresultat",
        "Bifogade filer",
    ]
    headings = [c.value for c in next(book["Tillgångar"].iter_rows())]
    assert headings[:3] == ["Inventarienummer", "Serienummer", "Kategori"]
    assert "Inköpspris" in headings and "Bokfört värde" in headings


def test_money_is_a_number_in_kronor_and_dates_are_dates(session: Session, w: Departing) -> None:
    book = load_workbook(io.BytesIO(handover_xlsx.render(handed_over(session, w), SWEDISH)))
    assets = {row["Inventarienummer"].value: row for row in rows_of(book["Tillgångar"])}
    deployed = assets[w.deployed.tag]
    price = deployed["Inköpspris"]
    assert price.data_type == "n" and price.value == 12490.50
    assert "0.00" in price.number_format and "kr" in price.number_format
    assert deployed["Bokfört värde"].data_type == "n"
    bought = deployed["Inköpsdatum"]
    assert bought.is_date and bought.value.date() == dt.date(2024, 8, 15)
    assert bought.number_format == "yyyy-mm-dd"
    assert deployed["Garanti t.o.m."].value.date() == dt.date(2027, 8, 15)
    assert deployed["Status"].value == "Avyttrad"
    assert deployed["Avyttringssätt"].value == "Överlämnad"
    assert deployed["Status vid överlämningen"].value == "Utlämnad"
    assert deployed["Innehavare vid överlämningen"].value == "Maja Mörby"
    assert deployed["Avskrivningstid (månader)"].value == 48
    # Every asset, the one recycled before the handover too.
    assert set(assets) == {a.tag for a in (*w.remaining, w.recycled)}
    assert assets[w.recycled.tag]["Avyttringssätt"].value == "Återvunnen"


def test_text_that_looks_like_a_formula_stays_text(session: Session, w: Departing) -> None:
    book = load_workbook(io.BytesIO(handover_xlsx.render(export(session, w), SWEDISH)))
    notes = {r["Inventarienummer"].value: r["Anteckningar"] for r in rows_of(book["Tillgångar"])}
    cell = notes[w.deployed.tag]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_the_history_is_in_words_with_times_as_times(session: Session, w: Departing) -> None:
    book = load_workbook(io.BytesIO(handover_xlsx.render(handed_over(session, w), SWEDISH)))
    history = [
        r for r in rows_of(book["Historik"]) if r["Inventarienummer"].value == w.deployed.tag
    ]
    created, *_, last = history
    assert created["Händelse"].value == "Registrerad"
    assert "Modell: Latitude 5440" in created["Ändringar"].value
    assert "Inköpspris: 12\u00a0490,50\u00a0kr" in created["Ändringar"].value
    assert last["Händelse"].value == "Överlämnad"
    assert "Status: Utlämnad → Avyttrad" in last["Ändringar"].value
    assert "Avyttringssätt: — → Överlämnad" in last["Ändringar"].value
    assert "Innehavare: Maja Mörby → —" in last["Ändringar"].value
    when = last["När"]
    assert when.is_date and when.value == dt.datetime(2027, 1, 4, 9, 0)  # 08:00 UTC in Sweden


def test_assessments_and_stocktake_results_have_their_own_sheets(
    session: Session, w: Departing
) -> None:
    book = load_workbook(io.BytesIO(handover_xlsx.render(export(session, w), SWEDISH)))
    assessed = {r["Inventarienummer"].value: r for r in rows_of(book["Bedömningar"])}
    assert set(assessed) == {w.pooled.tag, w.recycled.tag}
    recycled = assessed[w.recycled.tag]
    assert recycled["Beslut"].value == "Återvinn" and recycled["Batterihälsa (%)"].value == 87
    assert recycled["Raderad den"].is_date and recycled["Raderad"].value is True
    results = rows_of(book["Inventeringsresultat"])
    outcomes = {r["Inventarienummer"].value: r["Utfall"].value for r in results}
    assert outcomes[w.in_stock.tag] == "Hittade"
    assert outcomes[w.deployed.tag] == "Saknas"
    assert all(r["Inköpspris"].data_type == "n" for r in results)


def test_the_workbook_speaks_english_to_an_english_reader(session: Session, w: Departing) -> None:
    book = load_workbook(io.BytesIO(handover_xlsx.render(export(session, w, str), str)))
    assert book.sheetnames[1:] == [
        "Assets",
        "History",
        "Assessments",
        "Stocktake results",
        "Attached files",
    ]


def with_evidence(session: Session, w: Departing) -> tuple[Attachment, Attachment]:
    """The recycled device's wipe report (XML) and the recycler's certificate (a photo), and
    Borgholm's file beside them, which Mörbylånga's export must not hold."""
    report = attach_later(session, w.ref, w.recycled, name="radering.xml", content=XML_REPORT)
    photo = image("JPEG")
    certificate = attach_later(
        session, w.ref, w.recycled, Kind.RECYCLING_CERTIFICATE, name="=intyg.jpg", content=photo
    )
    record_wipe(session, w.ref, w.borgholm)
    attach_later(session, w.ref, w.borgholm, name="borgholm.pdf")
    return report, certificate


def test_the_attached_files_have_their_own_sheet_and_the_overview_counts_them(
    session: Session, w: Departing
) -> None:
    report, _ = with_evidence(session, w)
    book = load_workbook(io.BytesIO(handover_xlsx.render(export(session, w), SWEDISH)))
    rows = rows_of(book["Bifogade filer"])
    assert [r["Filnamn"].value for r in rows] == ["radering.xml", "intyg.jpg"]
    first = rows[0]
    assert first["Inventarienummer"].value == w.recycled.tag
    assert (
        first["Slag"].value == "Raderingsrapport" and rows[1]["Slag"].value == "Återvinnarens intyg"
    )
    assert first["Fil i ZIP-arkivet"].value == f"{w.recycled.tag}/{report.id}-radering.xml"
    assert first["SHA-256"].value == hashlib.sha256(XML_REPORT).hexdigest()
    assert first["Storlek (byte)"].data_type == "n" and first["Storlek (byte)"].value == len(
        XML_REPORT
    )
    assert first["Bifogad"].is_date and first["Bifogad av"].value == w.ref.admin.email
    overview = {r[0].value: r[1].value for r in book["Överlämning"].iter_rows()}
    assert overview["Bifogade filer"] == 2


def test_the_json_lists_the_attached_files_under_machine_keys(
    session: Session, w: Departing
) -> None:
    report, certificate = with_evidence(session, w)
    document = json.loads(handover_json.render(export(session, w), SWEDISH))
    assert document["attachments"] == [
        {
            "tag": w.recycled.tag,
            "kind": "wipe_report",
            "filename": "radering.xml",
            "archive_path": f"{w.recycled.tag}/{report.id}-radering.xml",
            "content_type": "application/xml",
            "size_bytes": len(XML_REPORT),
            "sha256": hashlib.sha256(XML_REPORT).hexdigest(),
            "uploaded_at": "2026-11-23T09:30:00Z",
            "uploaded_by": w.ref.admin.email,
        },
        {
            "tag": w.recycled.tag,
            "kind": "recycling_certificate",
            "filename": "intyg.jpg",
            "archive_path": f"{w.recycled.tag}/{certificate.id}-intyg.jpg",
            "content_type": "image/jpeg",
            "size_bytes": certificate.size_bytes,
            "sha256": certificate.sha256,
            "uploaded_at": "2026-11-23T09:30:00Z",
            "uploaded_by": w.ref.admin.email,
        },
    ]


def test_the_zip_holds_every_file_of_the_owner_with_a_manifest_that_proves_them(
    session: Session, w: Departing
) -> None:
    report, certificate = with_evidence(session, w)
    bundle = handover.attached_files(session, actor=w.ref.admin, owner=w.owner)
    archive = zipfile.ZipFile(attachments_zip.render(bundle))
    assert archive.testzip() is None
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert [m["path"] for m in manifest] == [
        f"{w.recycled.tag}/{report.id}-radering.xml",
        f"{w.recycled.tag}/{certificate.id}-intyg.jpg",
    ]
    assert sorted(archive.namelist()) == sorted([m["path"] for m in manifest] + ["manifest.csv"])
    for entry in manifest:
        content = archive.read(entry["path"])
        assert hashlib.sha256(content).hexdigest() == entry["sha256"]
        assert len(content) == int(entry["size_bytes"])
        assert entry["tag"] == w.recycled.tag and entry["uploaded_at"] == "2026-11-23T09:30:00Z"
    assert archive.read(manifest[0]["path"]) == XML_REPORT
    assert [m["kind"] for m in manifest] == ["wipe_report", "recycling_certificate"]
    assert "borgholm.pdf" not in " ".join(archive.namelist())


def test_only_an_admin_for_all_owners_gets_the_files(session: Session, w: Departing) -> None:
    with_evidence(session, w)
    for who in (w.ref.admin_borgholm, w.ref.technician, w.ref.viewer):
        with pytest.raises(PermissionDenied):
            handover.attached_files(session, actor=who, owner=w.owner)


# --- JSON ----------------------------------------------------------------------------------


def test_the_json_holds_the_same_records_under_machine_keys(session: Session, w: Departing) -> None:
    document = json.loads(handover_json.render(handed_over(session, w), SWEDISH))
    assert document["owner"] == {
        "slug": "morbylanga",
        "name": "Mörbylånga kommun",
        "org_number": "212000-0704",
    }
    assert document["leaves_on"] == "2026-12-31"
    assets = {a["tag"]: a for a in document["assets"]}
    deployed = assets[w.deployed.tag]
    assert deployed["purchase_price_sek"] == "12490.50"
    assert deployed["purchase_date"] == "2024-08-15"
    assert (deployed["status"], deployed["disposal_kind"]) == ("disposed", "handed_over")
    assert deployed["handed_over_from"] == "deployed"
    assert deployed["holder_at_handover"] == "Maja Mörby"
    assert deployed["registered_at"].endswith("Z")
    assert len(document["assets"]) == 4
    assert {a["tag"] for a in document["assessments"]} == {w.pooled.tag, w.recycled.tag}
    assert all(isinstance(r["book_value_sek"], str) for r in document["stocktake_results"])
    last = [h for h in document["history"] if h["tag"] == w.deployed.tag][-1]
    assert last["action"] == "handover" and last["changes"]["status"] == ["deployed", "disposed"]
    assert document["handover"]["assets"] == 3
    assert [u["email"] for u in document["handover"]["users_deactivated"]] == [
        w.viewer.email,
        w.tech.email,
    ]


# --- Snipe-IT CSV --------------------------------------------------------------------------

# Column names of Snipe-IT's own asset-import sample (sample_csvs/assets-sample.csv) that we
# fill, spelled as there, and the names its importer gives the fields the sample leaves out.
SAMPLE_NAMES = {
    "Company", "Name", "Asset Tag", "Category", "Supplier", "Manufacturer", "Location",
    "Order Number", "Asset Notes", "Purchase Date", "Purchase Cost", "Asset EOL Date",
}  # fmt: skip
IMPORTER_NAMES = {"Serial Number", "Model Name", "Status", "Warranty Months", "Full Name"}


def snipeit_rows(data: handover.HandoverExport) -> tuple[bytes, list[dict[str, str]]]:
    body = snipeit_csv.render(data)
    return body, list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_has_snipe_its_asset_import_headers(session: Session, w: Departing) -> None:
    body, _ = snipeit_rows(export(session, w))
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, like the sample
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header == list(snipeit_csv.HEADER)
    assert set(header) == SAMPLE_NAMES | IMPORTER_NAMES


def test_the_names_taken_from_snipe_its_sample_are_spelled_as_in_it() -> None:
    """Against the public sample itself (../shared/data/snipeit, beside the project in CI),
    not only the list above."""
    from inventory.config import PROJECT_ROOT

    sample = PROJECT_ROOT.parent / "shared" / "data" / "snipeit" / "assets-sample.csv"
    if not sample.exists():
        pytest.skip("../shared/data/snipeit is not beside the project")
    header = next(csv.reader(io.StringIO(sample.read_text(encoding="utf-8-sig"))))
    assert SAMPLE_NAMES <= set(header)
    assert not IMPORTER_NAMES & set(header)  # those are the importer's names, not the sample's


def test_handed_over_assets_load_as_they_were_handed_over(session: Session, w: Departing) -> None:
    _, rows = snipeit_rows(handed_over(session, w))
    by_tag = {r["Asset Tag"]: r for r in rows}
    deployed = by_tag[w.deployed.tag]
    assert deployed["Company"] == "Mörbylånga kommun"
    assert deployed["Status"] == "Ready to Deploy" and deployed["Full Name"] == "Maja Mörby"
    assert deployed["Purchase Cost"] == "12490.50" and deployed["Purchase Date"] == "2024-08-15"
    assert deployed["Warranty Months"] == "36"
    assert deployed["Model Name"] == "Latitude 5440" and deployed["Manufacturer"] == "Dell"
    assert deployed["Location"] == "Mörbylånga skola Hus M M-12"
    assert deployed["Asset EOL Date"] == "2029-08-15"  # the target lifespan of 60 months
    assert deployed["Asset Notes"].startswith("'=")  # no formula for a spreadsheet to run
    assert by_tag[w.in_stock.tag]["Status"] == "Ready to Deploy"
    assert by_tag[w.recycled.tag]["Status"] == "Archived"
    assert by_tag[w.recycled.tag]["Asset EOL Date"] == ""
