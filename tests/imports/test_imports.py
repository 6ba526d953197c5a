"""Importing files into the register (issue 15), through the service every entry point uses,
on a real database: our own export read back unchanged; files with errors written not at
all, or only their valid rows when asked; Snipe-IT's, Google Admin's and Intune's exports
of a hundred rows and more, with the quirks their makers leave in them."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, col, func, select

from inventory.domain.errors import ValidationFailed
from inventory.domain.statuses import Status
from inventory.exports import asset_files
from inventory.imports.layouts import Layout
from inventory.models import (
    Asset,
    AssetEvent,
    AuditEvent,
    ImportRun,
    Location,
    Manufacturer,
    Model,
    Site,
)
from inventory.services import asset_list, imports
from inventory.services.asset_list import AssetFilter
from inventory.services.imports import Options, Outcome

from ..factories import NOW, Reference, edit_asset, make_asset
from ..finance_fleet import make_ledger_fleet
from .files import (
    GOOGLE_API,
    GOOGLE_READABLE,
    INTUNE_HEADER,
    csv_text,
    intune_row,
    swedish_excel,
)

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "snipeit"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason="../shared/data/snipeit beside the clone"
)


def _fleet(session: Session, ref: Reference, n: int = 110) -> list[Asset]:
    """The ledger fleet (a sold and a lost device among them) and `n` more, with what the
    exports must carry through: holders, places, units, notes that look like formulas."""
    out = list(make_ledger_fleet(session, ref).values())
    for i in range(n):
        phone = i % 5 == 0
        out.append(
            make_asset(
                session, ref,
                model_id=(ref.iphone if phone else ref.latitude).id,
                owner_id=(ref.borgholm, ref.morbylanga, ref.joint)[i % 3].id,
                business_unit_id=ref.unit_borgholm.id if i % 3 == 0 else None,
                serial=f"sn-{i:04d}x" if i % 7 else None,
                holder="Anna Åberg" if i % 4 == 0 else None,
                location_id=ref.school.id if i % 2 else None,
                notes="=SUMMA(A1) trasig skärm" if i == 3 else ("Ny; med semikolon" if i == 4 else ""),
                price_ore=1_234_550 + i,
                imei="490154203237518" if i == 10 else None,
            )
        )  # fmt: skip
    return out


def _run(
    session: Session, ref: Reference, data: bytes, *, dry_run: bool = False, **options: object
) -> imports.Result:
    return imports.run_import(
        session, actor=options.pop("actor", ref.admin), data=data, filename="fil.csv",  # type: ignore[arg-type]
        options=Options(**options), dry_run=dry_run, now=NOW,  # type: ignore[arg-type]
    )  # fmt: skip


def _events(session: Session) -> int:
    session.rollback()
    return session.exec(select(func.count()).select_from(AssetEvent)).one()


def _versions(session: Session) -> dict[str, int]:
    session.rollback()
    return dict(session.exec(select(Asset.tag, Asset.version)).all())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("layout", "locale", "xlsx"),
    [("native", "sv", False), ("native", "en", True), ("snipeit", "en", False),
     ("snipeit", "en", True)],
)  # fmt: skip
def test_an_export_imported_again_changes_nothing_and_says_so(
    session: Session, ref: Reference, layout: str, locale: str, xlsx: bool
) -> None:
    fleet = _fleet(session, ref)
    body, count = asset_files.render(
        session, actor=ref.admin, flt=AssetFilter(), layout=layout, locale=locale, xlsx=xlsx
    )
    assert count == len(fleet) >= 110
    before, events = _versions(session), _events(session)
    result = _run(session, ref, body)
    assert result.layout.value == layout
    assert result.counts[Outcome.UNCHANGED] == count, result.run.rows[:3]
    assert result.written and result.run.outcome == "done"
    assert _versions(session) == before and _events(session) == events


def test_our_csv_is_what_swedish_excel_opens_and_the_workbook_is_typed(
    session: Session, ref: Reference
) -> None:
    _fleet(session, ref, n=5)
    body, _ = asset_files.render(
        session, actor=ref.admin, flt=AssetFilter(owner="borgholm"), layout="native",
        locale="sv", xlsx=False,
    )  # fmt: skip
    text = body.decode("utf-8")
    assert text.startswith("\ufeffInventarienummer;Serienummer;Ägare;")
    assert ";12345,50;" in text or ";12345,51;" in text  # a decimal comma
    assert "Mörbylånga" not in text  # the list's own filter
    sheet = asset_files.render(
        session, actor=ref.admin, flt=AssetFilter(), layout="native", locale="en", xlsx=True
    )[0]
    ws = load_workbook(io.BytesIO(sheet)).worksheets[0]
    header = [c.value for c in ws[1]]
    price, bought = header.index("Purchase price (SEK)"), header.index("Purchase date")
    row = [c for c in ws[2]]
    assert isinstance(row[price].value, int | float) and isinstance(row[bought].value, dt.datetime)


def _native_file(ref: Reference, rows: list[list[object]]) -> bytes:
    header = ["Inventarienummer", "Serienummer", "Ägare", "Kategori", "Tillverkare", "Modell",
              "Status", "Inköpsdatum", "Inköpspris (kr)", "Innehavare", "Anläggning", "Byggnad",
              "Rum", "Anteckningar"]  # fmt: skip
    return swedish_excel(csv_text(header, rows, delimiter=";"))


def _native_row(i: int, **changes: object) -> list[object]:
    values: dict[str, object] = {
        "tag": f"NY-{i:05d}", "serial": f"NS{i:05d}", "owner": "Borgholms kommun",
        "category": "Datorer", "maker": "Dell", "model": "Latitude 5440", "status": "I lager",
        "bought": "2025-03-01", "price": "12 490,50", "holder": "", "site": "Slottsskolan",
        "building": "Hus A", "room": "A12", "notes": "Köpt på ramavtal",
    }  # fmt: skip
    values.update(changes)
    return list(values.values())


def test_a_file_with_errors_writes_nothing_and_names_each_row_and_column(
    session: Session, ref: Reference
) -> None:
    rows = [_native_row(i) for i in range(120)]
    rows[5] = _native_row(5, price="12,495")  # ambiguous: thousands or öre?
    rows[17] = _native_row(17, bought="03/01/2025")  # day or month first?
    rows[40] = _native_row(40, serial="1.23457E+15")  # what Excel made of a long serial
    rows[41] = _native_row(41, maker="Lenovo", model="ThinkPad X13")  # not in the register
    rows[60] = _native_row(60, tag="NY-00001")  # the same tag as row 3
    rows[61] = _native_row(61, owner="Kalmar kommun")
    rows[62] = _native_row(62, status="Avyttrad")
    data = _native_file(ref, rows)
    before = _events(session)
    result = _run(session, ref, data)
    assert not result.written and result.run.outcome == "refused"
    assert result.counts[Outcome.REJECTED] == 7 and result.counts[Outcome.CREATED] == 113
    assert _events(session) == before
    assert session.exec(select(func.count()).select_from(Asset)).one() == 0
    rejected = {r.line: r for r in result.rows if r.outcome is Outcome.REJECTED}
    # Spreadsheet rows: the header is row 1.
    assert set(rejected) == {7, 19, 42, 43, 62, 63, 64}
    assert [(x.column, x.key) for x in rejected[7].reasons] == [("Inköpspris (kr)", "price")]
    assert rejected[19].reasons[0].column == "Inköpsdatum"
    assert rejected[42].reasons[0].params == {"value": "1.23457E+15"}
    assert rejected[43].reasons[0].params == {"name": "Lenovo ThinkPad X13"}
    assert rejected[62].reasons[0].params == {"line": 3}
    assert rejected[63].reasons[0].column == "Ägare"
    assert rejected[64].reasons[0].message.startswith("A new asset is registered as")
    assert [(ref_.kind, ref_.name, ref_.created) for ref_ in result.refs] == [
        ("model", "Lenovo ThinkPad X13", False)
    ]
    session.rollback()
    run = session.get(ImportRun, result.run.id)
    assert run is not None and run.counts["rejected"] == 7
    assert sum(r["outcome"] == "rejected" for r in run.rows) == 7 and len(run.rows) == 120


def test_the_valid_rows_alone_and_what_the_user_agreed_to_create(
    session: Session, ref: Reference
) -> None:
    rows = [_native_row(i) for i in range(100)]
    rows[10] = _native_row(10, price="")
    rows[11] = _native_row(11, maker="Lenovo", model="ThinkPad X13", site="Rälla skola",
                           building="", room="Bibliotek")  # fmt: skip
    result = _run(session, ref, _native_file(ref, rows), valid_only=True, create_missing=True)
    assert result.written and result.counts[Outcome.CREATED] == 99
    assert result.counts[Outcome.REJECTED] == 1
    session.rollback()
    made = session.exec(select(Asset).where(Asset.tag == "NY-00011")).one()
    model = session.get(Model, made.model_id)
    place = session.get(Location, made.location_id)
    assert model is not None and model.name == "ThinkPad X13" and model.category_id == ref.pc.id
    assert place is not None and place.room == "Bibliotek"
    assert {(r.kind, r.created) for r in result.refs} == {("model", True), ("location", True)}
    assert session.exec(select(Asset).where(Asset.tag == "NY-00010")).first() is None
    logged = session.exec(select(AuditEvent.action, AuditEvent.subject)).all()
    assert {("model.created", "Lenovo ThinkPad X13"), ("site.created", "Rälla skola"),
            ("location.created", "Rälla skola Bibliotek")} <= set(logged)  # fmt: skip
    # Each new asset's history names the import; the list of imports says what each did.
    event = session.exec(select(AssetEvent).where(AssetEvent.asset_id == made.id)).one()
    assert event.action == "create" and event.import_id == result.run.id
    assert made.price_ore == 1_249_050 and made.purchase_date == dt.date(2025, 3, 1)
    runs = imports.recent_runs(session, actor=ref.admin)
    assert runs[0][0].id == result.run.id and runs[0][0].counts["created"] == 99


def test_a_dry_run_shows_each_change_and_writes_nothing(session: Session, ref: Reference) -> None:
    fleet = _fleet(session, ref, n=100)
    body, _ = asset_files.render(
        session, actor=ref.admin, flt=AssetFilter(), layout="native", locale="sv", xlsx=False
    )
    text = body.decode("utf-8-sig")
    target = next(a for a in fleet if a.status == Status.IN_STOCK and a.serial)
    line = next(row for row in text.split("\r\n") if row.startswith(target.tag + ";"))
    cells = line.split(";")
    cells[23] = "10.20.30.40"  # IP address
    cells[25] = "Bytt batteri"  # notes
    edited = text.replace(line, ";".join(cells))
    before = _versions(session)
    result = _run(session, ref, edited.encode("cp1252"), dry_run=True)
    assert result.run.outcome == "checked" and not result.written
    changed = [r for r in result.rows if r.outcome is Outcome.UPDATED]
    assert len(changed) == 1 and changed[0].tag == target.tag
    assert changed[0].changes["ip"] == [None, "10.20.30.40"]
    assert changed[0].changes["notes"][1] == "Bytt batteri"
    assert _versions(session) == before
    written = _run(session, ref, edited.encode("cp1252"))
    assert written.written and written.counts[Outcome.UPDATED] == 1
    session.rollback()
    event = session.exec(
        select(AssetEvent)
        .where(AssetEvent.asset_id == target.id)
        .order_by(col(AssetEvent.id).desc())
    ).first()
    assert event is not None and event.action == "import" and event.import_id == written.run.id


def _snipeit_rows(ref: Reference, n: int) -> bytes:
    header = [
        "Company",
        "Name",
        "Asset Tag",
        "Serial",
        "Category",
        "Manufacturer",
        "Model name",
        "Status",
        "Location",
        "Supplier",
        "Order Number",
        "Purchase Date",
        "Purchase Cost",
        "Warranty",
        "Notes",
        "Full Name",
        "Checked Out To: Username",
    ]
    rows = []
    for i in range(n):
        rows.append([
            "Mörbylånga kommun" if i % 2 else "Borgholms kommun", f"pc-{i}", f"SN-{i:05d}",
            "6.37702E+15" if i == 7 else f"SNIPE{i:06d}", "Datorer", "Dell", "Latitude 5440",
            "Ready to Deploy" if i % 3 else "Pending", "Slottsskolan Hus A A12", "Atea",
            f"PO-{i}", f"{1 + i % 12}/{1 + i % 28}/24", f"{1200 + i}.5", "36", "", 
            "Bo Ek" if i % 3 == 1 else "", "",
        ])  # fmt: skip
    return ("\ufeff" + csv_text(header, rows)).encode("utf-8")


def test_a_snipe_it_export_is_taken_in_with_its_american_dates(
    session: Session, ref: Reference
) -> None:
    result = _run(session, ref, _snipeit_rows(ref, 130), valid_only=True)
    assert result.layout is Layout.SNIPEIT
    assert result.counts[Outcome.CREATED] == 129
    rejected = [r for r in result.rows if r.outcome is Outcome.REJECTED]
    assert [(r.line, r.reasons[0].column) for r in rejected] == [(9, "Serial")]
    session.rollback()
    one = session.exec(select(Asset).where(Asset.tag == "SN-00001")).one()
    assert one.purchase_date == dt.date(2024, 2, 2) and one.price_ore == 120_150
    assert one.status == Status.DEPLOYED and one.holder == "Bo Ek"
    assert one.warranty_end == dt.date(2027, 2, 2) and one.location_id == ref.school.id
    assert one.owner_id == ref.morbylanga.id
    pending = session.exec(select(Asset).where(Asset.tag == "SN-00000")).one()
    assert pending.status == Status.ORDERED


@needs_samples
def test_snipe_it_s_bad_sample_is_rejected_row_by_row_with_reasons(
    session: Session, ref: Reference
) -> None:
    data = (SAMPLES / "assets-sample-BAD.csv").read_bytes()
    result = _run(session, ref, data, dry_run=True, create_missing=True)
    assert result.layout is Layout.SNIPEIT
    assert len(result.rows) == result.counts[Outcome.REJECTED] == 200
    for row in result.rows:
        assert row.reasons and all(r.message for r in row.reasons), row
    said = {r.key for row in result.rows for r in row.reasons}
    # Its companies and categories are nobody's here, and many rows have no price.
    assert {"owner", "category", "price"} <= said
    assert session.exec(select(func.count()).select_from(Asset)).one() == 0


@needs_samples
def test_snipe_it_s_good_sample_is_read_whole_and_refused_for_its_strangers(
    session: Session, ref: Reference
) -> None:
    data = (SAMPLES / "assets-sample.csv").read_bytes()
    result = _run(session, ref, data, dry_run=True)
    assert result.counts[Outcome.REJECTED] == 22
    assert all(any(r.key == "owner" for r in row.reasons) for row in result.rows)


def _chromebooks(session: Session, ref: Reference, n: int) -> list[Asset]:
    return [
        make_asset(session, ref, serial=f"5CD{i:07d}", owner_id=ref.borgholm.id) for i in range(n)
    ]


@pytest.mark.parametrize("header", [GOOGLE_READABLE, GOOGLE_API])
def test_google_admin_sets_each_chromebook_s_end_of_support(
    session: Session, ref: Reference, header: tuple[str, ...]
) -> None:
    books = _chromebooks(session, ref, 110)
    rows = []
    for i, book in enumerate(books):
        values = {
            "serial": book.serial.lower() if i % 2 else f" {book.serial} ",  # type: ignore[union-attr]
            "aue": "2029-06" if i % 3 else "2031-06-30",
            "os": "126.0.6478.222", "sync": "2026-11-20T07:15:02.000Z", "user": f"elev{i}@skola.se",
        }  # fmt: skip
        row = []
        for name in header:
            key = {
                "Serial Number": "serial", "serialNumber": "serial",
                "Auto Update Expiration": "aue", "autoUpdateThrough": "aue",
                "OS Version": "os", "osVersion": "os", "Last Sync": "sync", "lastSync": "sync",
                "User": "user", "annotatedUser": "user",
            }.get(name)  # fmt: skip
            row.append(values[key] if key else "x")
        rows.append(row)
    rows.append(["unknown" if h in ("Serial Number", "serialNumber") else "" for h in header])
    result = _run(session, ref, csv_text(header, rows).encode("utf-8"))
    assert result.layout is Layout.GOOGLE_ADMIN and result.written
    assert result.counts[Outcome.UPDATED] == 110 and result.counts[Outcome.NOT_FOUND] == 1
    session.rollback()
    first, second = session.get(Asset, books[1].id), session.get(Asset, books[0].id)
    assert first is not None and second is not None
    assert first.end_of_support == dt.date(2029, 6, 30)
    assert second.end_of_support == dt.date(2031, 6, 30)
    assert first.os_version == "126.0.6478.222" and first.mdm_user == "elev1@skola.se"
    assert first.mdm_seen_on == dt.date(2026, 11, 20)


def test_intune_fills_what_it_reports_and_flags_disposed_devices_still_in_use(
    session: Session, ref: Reference
) -> None:
    fleet = make_ledger_fleet(session, ref)
    pcs = [make_asset(session, ref, serial=f"PF{i:06d}") for i in range(100)]
    phones = [
        make_asset(session, ref, model_id=ref.iphone.id, imei=imei)
        for imei in ("490154203237518", "356938035643809")
    ]
    lost = fleet["F5"]  # lost on 2025-05-15, and still checking in
    lost.serial = "LOST-1"
    session.add(lost)
    session.commit()
    rows = [
        intune_row({"Device name": f"BH-PC-{i}", "Serial number": pc.serial,
                    "OS version": "10.0.22631.4460", "Last check-in": "2026-11-22 06:12:45.0000000",
                    "Primary user UPN": f"anstalld{i}@borgholm.se", "OS": "Windows"})
        for i, pc in enumerate(pcs)
    ]  # fmt: skip
    for phone in phones:
        rows.append(intune_row({"Device name": "iPhone", "IMEI": phone.imei, "Serial number": "",
                                "OS version": "18.1", "Last check-in": "2026-11-21 10:00:00"}))  # fmt: skip
    rows.append(intune_row({"Serial number": "LOST-1", "Last check-in": "2026-11-20 08:00:00"}))
    rows.append(intune_row({"Serial number": "BYOD-77", "Last check-in": "2026-11-20 08:00:00"}))
    result = _run(session, ref, csv_text(INTUNE_HEADER, rows).encode("utf-8-sig"))
    assert result.layout is Layout.INTUNE and result.written
    assert result.counts[Outcome.UPDATED] == 102
    assert result.counts[Outcome.CONFLICT] == 1 and result.counts[Outcome.NOT_FOUND] == 1
    conflict = next(r for r in result.rows if r.outcome is Outcome.CONFLICT)
    assert conflict.tag == lost.tag and conflict.reasons[0].params == {"date": "2026-11-20"}
    session.rollback()
    pc = session.get(Asset, pcs[3].id)
    phone = session.get(Asset, phones[1].id)
    assert pc is not None and phone is not None
    assert (pc.os_version, pc.mdm_user, pc.mdm_seen_on) == (
        "10.0.22631.4460",
        "anstalld3@borgholm.se",
        dt.date(2026, 11, 22),
    )
    assert phone.os_version == "18.1"


def test_a_scoped_technician_imports_for_their_own_owner_only(
    session: Session, ref: Reference
) -> None:
    theirs = make_asset(session, ref, owner_id=ref.morbylanga.id, serial="MB-1")
    rows = [_native_row(i) for i in range(3)]
    rows.append(_native_row(3, owner="Mörbylånga kommun"))
    rows.append(_native_row(4, tag=theirs.tag, serial="MB-1"))
    result = _run(session, ref, _native_file(ref, rows), actor=ref.tech_borgholm, dry_run=True)
    rejected = {r.line: r.reasons[0] for r in result.rows if r.outcome is Outcome.REJECTED}
    assert set(rejected) == {5, 6}
    assert rejected[5].key == "owner"
    # Another owner's asset is not found: its tag is simply taken, as on the form.
    assert rejected[6].message == "Another asset already has this tag."
    with pytest.raises(ValidationFailed):
        _run(session, ref, _native_file(ref, rows), actor=ref.tech_borgholm,
             owner_id=ref.morbylanga.id)  # fmt: skip
    with pytest.raises(Exception, match="permission"):
        _run(session, ref, _native_file(ref, rows), actor=ref.viewer)


def test_a_file_that_is_none_of_the_formats_is_refused_whole(
    session: Session, ref: Reference
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _run(session, ref, b"Namn;Telefon\nAnna;070\n")
    assert "format" in refused.value.errors
    with pytest.raises(ValidationFailed) as empty:
        _run(session, ref, b"   ")
    assert "file" in empty.value.errors


def test_another_owners_row_creates_and_reveals_nothing_even_with_consent(
    session: Session, ref: Reference
) -> None:
    """A scoped administrator agrees to create what the file names and imports the valid
    rows: a row of the other municipality is refused before anything of it is looked up."""
    from inventory.models import BusinessUnit

    header = ["Inventarienummer", "Ägare", "Kategori", "Tillverkare", "Modell", "Inköpsdatum",
              "Inköpspris (kr)", "Verksamhet"]  # fmt: skip
    rows = [
        ["SC-1", "Borgholms kommun", "Datorer", "Dell", "Latitude 5440", "2025-01-02", "100", ""],
        ["SC-2", "Mörbylånga kommun", "Datorer", "Dell", "Latitude 5440", "2025-01-02", "100",
         "Hemlig enhet"],
        ["SC-3", "Mörbylånga kommun", "Datorer", "Dell", "Latitude 5440", "2025-01-02", "100",
         ref.unit_morbylanga.name],
    ]  # fmt: skip
    data = csv_text(header, rows, delimiter=";").encode()
    result = _run(session, ref, data, actor=ref.admin_borgholm, create_missing=True,
                  valid_only=True)  # fmt: skip
    assert result.counts[Outcome.CREATED] == 1 and result.counts[Outcome.REJECTED] == 2
    refused = [r for r in result.rows if r.outcome is Outcome.REJECTED]
    # The same answer whether the other owner's unit exists or not.
    assert [(r.reasons[0].key, r.reasons[0].message) for r in refused] == [
        ("owner", "You can only register assets for your own municipality.")
    ] * 2
    session.rollback()
    assert (
        session.exec(select(BusinessUnit).where(BusinessUnit.name == "Hemlig enhet")).first()
        is None
    )
    assert result.refs == []


def test_rows_that_would_clash_with_each_other_are_rejected_in_the_check_too(
    session: Session, ref: Reference
) -> None:
    first, second = make_asset(session, ref, serial="CL-1"), make_asset(session, ref, serial="CL-2")
    header = ["Inventarienummer", "Serienummer"]
    rows = [[first.tag, "SAMMA"], [second.tag, "SAMMA"], ["NY-99", ""]]
    data = csv_text(header, rows, delimiter=";").encode()
    checked = _run(session, ref, data, dry_run=True, layout=Layout.NATIVE)
    done = _run(session, ref, data, layout=Layout.NATIVE, valid_only=True)
    for result in (checked, done):
        outcomes = [(r.line, r.outcome) for r in result.rows]
        assert outcomes[:2] == [(2, Outcome.UPDATED), (3, Outcome.REJECTED)], outcomes
        assert result.rows[1].reasons[0].params == {"line": 2}
    session.rollback()
    assert session.get(Asset, second.id).serial == "CL-2"  # type: ignore[union-attr]
    assert session.get(Asset, first.id).serial == "SAMMA"  # type: ignore[union-attr]


def test_a_moment_no_calendar_holds_rejects_its_row_not_the_file(
    session: Session, ref: Reference
) -> None:
    pcs = [make_asset(session, ref, serial=f"OV-{i}") for i in range(2)]
    rows = [
        intune_row({"Serial number": pcs[0].serial, "Last check-in": "9999-12-31T23:59:59Z"}),
        intune_row({"Serial number": pcs[1].serial, "Last check-in": "2026-11-20 08:00:00"}),
    ]
    result = _run(session, ref, csv_text(INTUNE_HEADER, rows).encode(), valid_only=True)
    assert [r.outcome for r in result.rows] == [Outcome.REJECTED, Outcome.UPDATED]
    assert result.rows[0].reasons[0].column == "Last check-in"


def test_the_owner_of_rows_without_one_must_exist(session: Session, ref: Reference) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _run(session, ref, _native_file(ref, [_native_row(1)]), owner_id=99_999)
    assert "owner" in refused.value.errors


def test_rows_that_clash_with_the_register_are_rejected_as_the_form_rejects_them(
    session: Session, ref: Reference
) -> None:
    """The import asks who holds its tags and serials in a few queries beforehand: a tag
    another owner's asset has, a tag that was another asset's (its labels still lead there),
    a serial another asset of the model has, each still rejects its row, as the form does."""
    theirs = make_asset(session, ref, owner_id=ref.morbylanga.id, serial="DUP-1")
    renamed = make_asset(session, ref, tag="BH-OLD01", serial="REN-1")
    edit_asset(session, ref, renamed, tag="BH-NEW01")  # BH-OLD01 now leads to it
    mine = make_asset(session, ref, serial="MIN-1")
    rows = [
        _native_row(1, tag=theirs.tag, serial=""),
        _native_row(2, tag="BH-OLD01", serial=""),
        _native_row(3, serial="DUP-1"),
        _native_row(4, tag="BH-OLD01", serial="MIN-1"),  # matched by serial: a new tag
        _native_row(5),
        _native_row(6, tag="bh-new01", serial="REN-1"),  # its own tag, as typed
    ]
    mine_tag = mine.tag
    result = _run(session, ref, _native_file(ref, rows), actor=ref.tech_borgholm,
                  valid_only=True)  # fmt: skip
    outcomes = {r.line: r for r in result.rows}
    taken = "Another asset already has this tag."
    assert [x.message for x in outcomes[2].reasons] == [taken]
    assert outcomes[3].reasons[0].message.startswith("This tag was another asset's tag")
    assert outcomes[4].reasons[0].key == "serial"
    assert outcomes[5].reasons[0].message.startswith("This tag was another asset's tag")
    assert outcomes[6].outcome is Outcome.CREATED
    assert outcomes[7].outcome is not Outcome.REJECTED, outcomes[7].reasons
    session.rollback()
    assert session.get(Asset, mine.id).tag == mine_tag != "BH-OLD01"  # type: ignore[union-attr]
    assert session.exec(select(func.count()).select_from(Asset)).one() == 4


def test_what_only_rejected_rows_named_is_not_created(session: Session, ref: Reference) -> None:
    """Importing the valid rows alone, with consent to create what the file names: a model,
    a place and their manufacturer and site named only by rows rejected after all are not
    left behind, and the run does not say they were created."""
    renamed = make_asset(session, ref, tag="BH-OLD02")
    edit_asset(session, ref, renamed, tag="BH-NEW02")  # BH-OLD02's labels still lead to it
    rows = [_native_row(i) for i in range(3)]
    # Rejected by the registration's own checks, after what they name was made.
    rows[0] = _native_row(0, maker="Fairphone", model="Fairphone 5", tag="BH-OLD02")
    rows[1] = _native_row(1, site="Ny skola", building="", room="Sal 1", tag="BH-OLD02")
    rows[2] = _native_row(2, maker="Lenovo", model="ThinkPad X13")
    makers, sites = _count(session, Manufacturer), _count(session, Site)
    result = _run(session, ref, _native_file(ref, rows), valid_only=True, create_missing=True)
    assert result.written and result.counts[Outcome.CREATED] == 1
    assert {(r.name, r.created) for r in result.refs} == {
        ("Fairphone Fairphone 5", False), ("Ny skola Sal 1", False),
        ("Lenovo ThinkPad X13", True),
    }  # fmt: skip
    session.rollback()
    models = set(session.exec(select(Model.name)).all())
    assert "ThinkPad X13" in models and "Fairphone 5" not in models
    assert _count(session, Manufacturer) == makers + 1 and _count(session, Site) == sites
    assert session.exec(select(Location).where(Location.room == "Sal 1")).first() is None
    run = session.get(ImportRun, result.run.id)
    assert run is not None and sum(r["created"] for r in run.refs) == 1
    # What the import made of the reference data is in the audit log, as the models page
    # records it; what it dropped is not.
    logged = session.exec(
        select(AuditEvent).where(col(AuditEvent.action).endswith(".created"))
    ).all()
    assert [(e.action, e.subject, e.actor_id) for e in logged] == [
        ("model.created", "Lenovo ThinkPad X13", ref.admin.id)
    ]
    assert logged[0].details["changes"]["name"] == [None, "ThinkPad X13"]


def _count(session: Session, table: type) -> int:
    session.rollback()
    return session.exec(select(func.count()).select_from(table)).one()


def test_devices_imported_many_at_once_are_found_by_search_and_later_ones_too(
    session: Session, ref: Reference
) -> None:
    """An import's rows are indexed for search in one statement each batch (SQLite: the
    insert trigger is off meanwhile, inventory/search_index.py): every device is found, the
    trigger is back for the next registration, and a failed import leaves it too."""
    rows = [_native_row(i, holder=f"Elev {i:03d}", serial=f"QX{i:05d}") for i in range(120)]
    result = _run(session, ref, _native_file(ref, rows))
    assert result.written and result.counts[Outcome.CREATED] == 120
    session.rollback()

    def found(q: str) -> list[str]:
        page = asset_list.list_assets(session, actor=ref.admin, flt=AssetFilter(q=q, per_page=200))
        return [row.tag for row in page.items]

    assert found("elev 0") == [f"NY-{i:05d}" for i in range(100)]
    assert found("QX00119") == ["NY-00119"]
    refused = [_native_row(200 + i, serial=f"QY{i:05d}") for i in range(60)]
    refused[59] = _native_row(259, price="12,495")
    assert not _run(session, ref, _native_file(ref, refused)).written
    session.rollback()
    later = make_asset(session, ref, holder="Efter importen")
    assert found("efter importen") == [later.tag] and found("QY000") == []
