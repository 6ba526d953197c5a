"""The import pages as a technician uses them: upload, the check's progress, what each row
would do, then the import as checked; and the list's selection downloaded as a file."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlmodel import Session, select

from inventory.imports import kept
from inventory.jobs import run_job
from inventory.models import Asset, AssetEvent, ImportRun

from ..factories import TODAY, Reference, make_asset
from ..imports.files import csv_text

HEADER = ["Inventarienummer", "Serienummer", "Ägare", "Kategori", "Tillverkare", "Modell",
          "Inköpsdatum", "Inköpspris (kr)"]  # fmt: skip


def _file(n: int, *, broken: tuple[int, ...] = ()) -> bytes:
    rows = [
        [f"WB-{i:04d}", f"WS{i:05d}", "Borgholms kommun", "Datorer", "Dell", "Latitude 5440",
         "2026-13-01" if i in broken else "2025-09-01", "9 990,00"]
        for i in range(n)
    ]  # fmt: skip
    return csv_text(HEADER, rows, delimiter=";").encode("utf-8-sig")


def _upload(client: FlaskClient, data: bytes, **form: str) -> int:
    response = client.post(
        "/imports", data={"file": (io.BytesIO(data), "datorer.csv"), **form},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _settled(client: FlaskClient, run_id: int) -> str:
    """The run's page once its check or import has gone through every row."""
    deadline = time.monotonic() + 60
    while True:
        page = client.get(f"/imports/{run_id}").get_data(as_text=True)
        if 'id="progress"' not in page:
            return page
        assert time.monotonic() < deadline, "the import did not finish"
        time.sleep(0.1)


def test_a_file_is_checked_shown_and_imported_as_checked(
    as_user: Callable[[str], FlaskClient], session: Session, ref: Reference
) -> None:
    client = as_user(ref.technician.email)
    run_id = _upload(client, _file(150, broken=(4, 90)))
    page = _settled(client, run_id)
    assert "Kontrollerad, inte importerad" in page
    assert 'id="rows-rejected"' in page and "Inköpsdatum:" in page
    assert "Importera bara de giltiga raderna" in page
    assert session.exec(select(Asset)).first() is None  # nothing written by the check
    report = client.get(f"/imports/{run_id}/rows.csv").get_data(as_text=True)
    assert report.startswith("\ufeffRad;Inventarienummer;Utfall;Vad") and "WB-0004" in report
    confirmed = client.post(f"/imports/{run_id}/confirm", data={"valid_only": "1"})
    assert confirmed.status_code == 302
    page = _settled(client, run_id)
    assert "Importerad" in page
    session.rollback()
    assert len(session.exec(select(Asset)).all()) == 148
    run = session.get(ImportRun, run_id)
    assert run is not None and run.outcome == "done" and run.actor_id == ref.technician.id
    events = session.exec(select(AssetEvent).where(AssetEvent.import_id == run_id)).all()
    assert len(events) == 148
    listing = client.get("/imports").get_data(as_text=True)
    assert "datorer.csv" in listing and "tekniker@test.se" in listing
    # Imported once: the same file again is all unchanged or taken.
    again = _settled(client, _upload(client, _file(150, broken=(4, 90))))
    assert "148" in again


def test_an_unreadable_upload_is_refused_at_once_with_a_reason(
    as_user: Callable[[str], FlaskClient], ref: Reference
) -> None:
    client = as_user(ref.technician.email)
    bad = client.post(
        "/imports", data={"file": (io.BytesIO(b"Namn;Telefon\nAnna;070\n"), "x.csv")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert bad.status_code == 422
    assert "Filens format gick inte att avgöra" in bad.get_data(as_text=True)
    none = client.post("/imports", data={}, content_type="multipart/form-data")
    assert none.status_code == 422
    viewer = as_user(ref.viewer.email)
    assert viewer.get("/imports").status_code == 403


def test_the_list_s_selection_downloads_in_both_layouts(
    as_user: Callable[[str], FlaskClient], session: Session, ref: Reference
) -> None:
    mine = make_asset(session, ref, owner_id=ref.borgholm.id, serial="DL-1")
    theirs = make_asset(session, ref, owner_id=ref.morbylanga.id, serial="DL-2")
    client = as_user(ref.viewer.email)
    native = client.get("/assets/export.csv?owner=borgholm").get_data(as_text=True)
    assert mine.tag in native and theirs.tag not in native
    assert native.startswith("\ufeffInventarienummer;")
    snipe = client.get("/assets/export.csv?layout=snipeit").get_data(as_text=True)
    assert snipe.startswith("\ufeffCompany,Name,Asset Tag") and theirs.tag in snipe
    book = client.get("/assets/export.xlsx")
    assert book.status_code == 200 and book.data[:2] == b"PK"
    assert client.get("/assets/export.csv?layout=other").status_code == 400
    page = client.get("/assets/?owner=borgholm").get_data(as_text=True)
    assert 'href="/assets/export.xlsx?owner=borgholm"' in page


def test_nobody_imports_a_file_another_user_checked(
    as_user: Callable[[str], FlaskClient], session: Session, ref: Reference
) -> None:
    """It would run with the other user's owners and be shown to its uploader."""
    scoped = as_user(ref.tech_borgholm.email)
    run_id = _upload(scoped, _file(3))
    _settled(scoped, run_id)
    other = as_user(ref.technician.email)
    assert other.post(f"/imports/{run_id}/confirm", data={}).status_code == 403
    session.rollback()
    assert session.get(ImportRun, run_id).outcome == "checked"  # type: ignore[union-attr]
    mine = as_user(ref.tech_borgholm.email)
    assert mine.post(f"/imports/{run_id}/confirm", data={}).status_code == 302
    assert "Importerad" in _settled(mine, run_id)
    # A second press finds it taken: nothing is started again.
    again = mine.post(f"/imports/{run_id}/confirm", data={}, follow_redirects=True)
    assert "har importerats eller kontrollerats igen" in again.get_data(as_text=True)


def test_the_asset_s_history_names_the_import_that_changed_it(
    as_user: Callable[[str], FlaskClient], session: Session, ref: Reference
) -> None:
    client = as_user(ref.technician.email)
    run_id = _upload(client, _file(2))
    _settled(client, run_id)
    assert client.post(f"/imports/{run_id}/confirm", data={}).status_code == 302
    _settled(client, run_id)
    page = client.get("/assets/WB-0001").get_data(as_text=True)
    assert f'href="/imports/{run_id}"' in page and f"Import nr {run_id}" in page
    history = client.get("/api/v1/assets/WB-0001/history").get_json()
    assert history["items"][0]["import_id"] == run_id


def test_an_upload_never_imported_is_removed_after_a_day(
    as_user: Callable[[str], FlaskClient], session: Session, ref: Reference
) -> None:
    """A device management export names people: a checked file nobody imports is not kept
    past kept.KEEP, by the nightly job (or the next upload), and its page then says so."""
    client = as_user(ref.technician.email)
    old_run = _upload(client, _file(3))
    assert "Importera" in _settled(client, old_run)
    instance = client.application.config["INVENTORY"].instance_path
    upload = kept.upload(instance, old_run)
    a_day_ago = time.time() - kept.KEEP.total_seconds() - 60
    os.utime(upload, (a_day_ago, a_day_ago))
    fresh_run = _upload(client, _file(2))  # the next upload removes it too; the job, nightly
    _settled(client, fresh_run)
    assert not upload.exists() and kept.upload(instance, fresh_run).exists()
    page = client.get(f"/imports/{old_run}").get_data(as_text=True)
    assert 'id="gone"' in page and 'id="confirm"' not in page
    assert client.post(f"/imports/{old_run}/confirm").status_code == 302
    session.rollback()
    assert session.exec(select(Asset)).first() is None
    settings = client.application.config["INVENTORY"]
    os.utime(kept.upload(instance, fresh_run), (a_day_ago, a_day_ago))
    engine = client.application.extensions["db_engine"]
    run = run_job(engine, "purge-uploads", slot="manual-test", today=TODAY, settings=settings)
    assert run is not None and run.outcome == "ok" and run.counts == '{"files": 1}'
    assert not kept.upload(instance, fresh_run).exists()
