"""What the register holds about one person, as an administrator asks for it: found by name
or e-mail whatever the case, in the devices they hold, the history, their account and its
logins, and the imports; exported as CSV and XLSX with each export in the audit log; for
administrators alone, and within their owner scope."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import Session, select

from inventory.domain.field_actions import FieldAction
from inventory.domain.roles import Role
from inventory.models import AuditEvent, ImportRun
from inventory.services import audit, field_actions

from ..factories import NOW, Reference, make_asset, make_user


def _person(session: Session, ref: Reference) -> None:
    """Anna Åberg: holds one device, held another, has an account that logged in, and was
    named by an Intune import as a device's primary user."""
    make_asset(session, ref, holder="Anna Åberg")
    earlier = make_asset(session, ref)
    for action, holder in ((FieldAction.HAND_OUT, "Anna Åberg"), (FieldAction.TAKE_BACK, "")):
        field_actions.perform(session, actor=ref.technician, asset=earlier, action=action,
                              holder=holder, now=NOW, expected_version=earlier.version)  # fmt: skip
    make_user(session, "anna.aberg@borgholm.se", Role.VIEWER, ref.borgholm)
    audit.record(session, action="login.success", subject="anna.aberg@borgholm.se",
                 remote_addr="10.0.0.7", at=NOW)  # fmt: skip
    session.add(ImportRun(
        actor_id=ref.admin.id, started_at=NOW, finished_at=NOW, filename="intune.csv",
        sha256="0" * 64, format="intune", outcome="done",
        rows=[{"line": 5, "tag": earlier.tag, "outcome": "updated", "reasons": [],
               "changes": {"mdm_user": [None, "anna.aberg@borgholm.se"]}}],
    ))  # fmt: skip
    session.commit()


def test_an_admin_finds_everything_about_a_person_and_exports_it(
    as_user: Callable[[str], FlaskClient], session: Session, ref: Reference
) -> None:
    _person(session, ref)
    client = as_user(ref.admin.email)
    page = client.post("/admin/personal-data", data={"q": "Anna Åberg"}).get_data(as_text=True)
    assert page.count("<td>Har nu</td>") == 1
    assert page.count("<td>Historik</td>") == 3  # registered, handed out, taken back
    by_mail = client.post("/admin/personal-data", data={"q": "ANNA.ABERG@borgholm.se"}).get_data(
        as_text=True
    )
    assert "Konto" in by_mail and "Loggade in" in by_mail and "10.0.0.7" in by_mail
    assert "intune.csv (nr" in by_mail and "Rad 5" in by_mail
    csv = client.post("/admin/personal-data.csv", data={"q": "Anna Åberg"})
    assert csv.status_code == 200 and "attachment" in csv.headers["Content-Disposition"]
    text = csv.get_data(as_text=True)
    assert text.startswith("\ufeffSlag;Inventarienummer eller konto;När;Fält;Vad")
    assert text.count("Anna Åberg") == 3  # the three history events; the device held: a row
    sheet = client.post("/admin/personal-data.xlsx", data={"q": "anna.aberg@borgholm.se"})
    rows = list(load_workbook(io.BytesIO(sheet.data)).worksheets[0].iter_rows(values_only=True))
    login = next(r for r in rows if r[0] == "Inloggning")
    assert isinstance(login[2], dt.datetime) and login[4] == "10.0.0.7"
    session.expire_all()
    exported = session.exec(
        select(AuditEvent).where(AuditEvent.action == "personal_data.exported")
    ).all()
    assert [(e.actor_id, e.subject, e.details["format"]) for e in exported] == [
        (ref.admin.id, "Anna Åberg", "csv"), (ref.admin.id, "anna.aberg@borgholm.se", "xlsx"),
    ]  # fmt: skip
    nobody = client.post("/admin/personal-data", data={"q": "Ingen Sådan"}).get_data(as_text=True)
    assert 'id="nothing"' in nobody
    # Each lookup is recorded as well, and the name is never in an address.
    looked_up = session.exec(
        select(AuditEvent).where(AuditEvent.action == "personal_data.viewed")
    ).all()
    assert [(e.subject, e.details["held"]) for e in looked_up] == [
        ("Anna Åberg", 1), ("ANNA.ABERG@borgholm.se", 0), ("Ingen Sådan", 0),
    ]  # fmt: skip
    assert "?q=" not in page and 'name="q" value="Anna Åberg"' in page


def test_only_admins_ask_and_a_question_must_be_one(
    as_user: Callable[[str], FlaskClient], ref: Reference
) -> None:
    tech = as_user(ref.technician.email)
    assert tech.post("/admin/personal-data", data={"q": "Anna"}).status_code == 403
    assert tech.post("/admin/personal-data.csv", data={"q": "Anna"}).status_code == 403
    admin = as_user(ref.admin.email)
    assert admin.post("/admin/personal-data.csv", data={"q": ""}).status_code == 422
    assert admin.post("/admin/personal-data", data={"q": "x" * 300}).status_code == 422
    assert admin.post("/admin/personal-data", data={"q": " "}).status_code == 422
    assert admin.get("/admin/personal-data").status_code == 200  # the empty form


def test_a_scoped_admin_finds_only_their_owner_s_side_of_a_person(
    as_user: Callable[[str], FlaskClient], session: Session, ref: Reference
) -> None:
    make_asset(session, ref, owner_id=ref.morbylanga.id, holder="Maja Mörby", serial="MB-77")
    make_asset(session, ref, owner_id=ref.borgholm.id, holder="Maja Mörby", serial="BH-77")
    question = "/admin/personal-data.csv"
    everyone = (
        as_user(ref.admin.email).post(question, data={"q": "maja mörby"}).get_data(as_text=True)
    )
    assert everyone.count("Har nu;") == 2
    scoped = (
        as_user(ref.admin_borgholm.email)
        .post(question, data={"q": "maja mörby"})
        .get_data(as_text=True)
    )
    assert scoped.count("Har nu;") == 1 and "Mörbylånga" not in scoped


def test_a_person_is_found_whatever_the_case_of_letters_beyond_ascii(
    as_user: Callable[[str], FlaskClient], session: Session, ref: Reference
) -> None:
    # SQLite folds the case of ASCII letters only, and the history's JSON keeps Å as \u00c5
    # and å as \u00e5: asked in lower case, the upper-case name must still be found.
    asset = make_asset(session, ref)
    field_actions.perform(session, actor=ref.technician, asset=asset,
                          action=FieldAction.HAND_OUT, holder="ÅSA ÖBERG", now=NOW,
                          expected_version=asset.version)  # fmt: skip
    make_asset(session, ref, holder="Ææ Øø")
    make_asset(session, ref, holder="Åsa Öberg-Lind")  # another person
    admin = as_user(ref.admin.email)
    found = admin.post("/admin/personal-data.csv", data={"q": "åsa öberg"}).get_data(as_text=True)
    assert found.count("Har nu;") == 1 and found.count("Historik;") == 1
    assert "Öberg-Lind" not in found
    # A name with no ASCII letters at all is found too, in the history as well, without
    # reading every row: as typed, in lower or upper case, or with capitals.
    held = make_asset(session, ref)
    field_actions.perform(session, actor=ref.technician, asset=held,
                          action=FieldAction.HAND_OUT, holder="МАРИЯ ПЕТРОВА", now=NOW,
                          expected_version=held.version)  # fmt: skip
    cyrillic = admin.post("/admin/personal-data.csv", data={"q": "мария петрова"})
    assert cyrillic.get_data(as_text=True).count("Historik;") == 1
    none_ascii = admin.post("/admin/personal-data.csv", data={"q": "ææ øø"})
    assert none_ascii.get_data(as_text=True).count("Har nu;") == 1
