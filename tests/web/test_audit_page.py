"""The audit log as an administrator for all owners reads it: each kind of event in words,
with before and after for reference data; filtered by kind, period and who or what; a page
at a time; downloaded as CSV; for no one else."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlmodel import Session

from inventory.services import audit, reference, users

from ..factories import NOW, Reference


def _happenings(session: Session, ref: Reference) -> None:
    users.create_user(session, email="ny.tekniker@borgholm.se", role="technician",
                      password="tjugotre gröna ankor simmar", actor=ref.admin)  # fmt: skip
    reference.update_category(session, actor=ref.admin, category=ref.pc, depreciation_months=36,
                              target_lifespan_months=ref.pc.target_lifespan_months,
                              name=ref.pc.name)  # fmt: skip


def test_an_admin_reads_the_log_in_words_and_filters_it(
    as_user: Callable[[str], FlaskClient], session: Session, ref: Reference
) -> None:
    _happenings(session, ref)
    client = as_user(ref.admin.email)  # a login: in the log too
    client.get("/assets/export.csv")
    page = client.get("/admin/audit").get_data(as_text=True)
    for words in (
        "Loggade in",
        "Konto skapat",
        "Kategori ändrad",
        "Tillgångar exporterade",
        "Avskrivningstid: 48 → 36",
        "ny.tekniker@borgholm.se",
        "Roll: — → Tekniker",
    ):
        assert words in page, words
    assert "category.changed" not in page and "depreciation_months" not in page
    only = client.get("/admin/audit?kind=reference").get_data(as_text=True)
    assert "Kategori ändrad" in only and "Loggade in" not in only
    who = client.get("/admin/audit?q=ny.tekniker").get_data(as_text=True)
    assert "Konto skapat" in who and "Kategori ändrad" not in who
    assert 'id="none"' in client.get("/admin/audit?since=2099-01-01").get_data(as_text=True)
    assert client.get("/admin/audit?since=2026-02-30").status_code == 422
    assert client.get("/admin/audit?kind=nonsense").status_code == 422
    csv = client.get("/admin/audit.csv?kind=reference")
    text = csv.get_data(as_text=True)
    assert text.startswith("\ufeffNär;Vad;Vem;Om;Från;Detaljer") and "Kategori ändrad" in text
    assert "Loggade in" not in text


def test_the_log_goes_back_a_page_at_a_time(
    as_user: Callable[[str], FlaskClient], session: Session, ref: Reference
) -> None:
    for n in range(205):
        audit.record(session, action="login.failed", subject=f"nr{n:03d}@test.se", at=NOW)
    session.commit()
    client = as_user(ref.admin.email)
    first = client.get("/admin/audit?kind=logins").get_data(as_text=True)
    assert first.count("<tr>") == 201 and 'id="older"' in first  # a header and 200 rows
    older = first.split('id="older" href="')[1].split('"')[0].replace("&amp;", "&")
    rest = client.get(older).get_data(as_text=True)
    assert "nr000@test.se" in rest and "nr204@test.se" not in rest and 'id="older"' not in rest


def test_only_an_admin_for_all_owners_reads_it(
    as_user: Callable[[str], FlaskClient], ref: Reference
) -> None:
    for email in (ref.admin_borgholm.email, ref.technician.email, ref.viewer.email):
        client = as_user(email)
        assert client.get("/admin/audit").status_code == 403, email
        assert client.get("/admin/audit.csv").status_code == 403, email
