"""The public page a scanned label opens says what fits what became of the device — a sold or
donated one need not come back, a lost or stolen one is wanted —, and still shows nobody's
personal data: not the holder, the place or the serial."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlmodel import Session

from inventory.config import Settings
from inventory.domain.statuses import DisposalKind, Status
from inventory.models import Asset
from inventory.services import assets as asset_service

from ..factories import NOW, Reference, make_asset, record_wipe
from ..web.test_words import visible

SECRETS = ("Greta", "Hemlig", "HEMLIG", "Slottsskolan", "A12", "bh-secret", "Latitude", "Dell")


def disposed_of(session: Session, ref: Reference, kind: DisposalKind | None) -> Asset:
    """A device that was out with Greta Hemlig, then left the register as `kind` (None: still
    with her) the way a technician records it."""
    asset = make_asset(
        session, ref, holder="Greta Hemlig", serial="SN-HEMLIG-42", hostname="bh-secret-pc",
        location_id=ref.school.id, purchase_date=dt.date(2019, 1, 1),
    )  # fmt: skip
    if kind is None:
        return asset
    if kind is DisposalKind.HANDED_OVER:
        # Only the handover of the owner's whole register reaches it (services/handover.py,
        # tested there); here only what the finder's page makes of it.
        session.execute(
            update(Asset)
            .where(Asset.id == asset.id)  # type: ignore[arg-type]
            .values(status=Status.DISPOSED.value, disposal_kind=kind.value, holder=None)
        )
        session.commit()
        return asset
    if kind.leaves_with_data:  # sold, donated, recycled: back with IT and wiped first
        asset_service.change_status(
            session, actor=ref.technician, asset=asset, target=Status.RETURNED, now=NOW
        )
        record_wipe(session, ref, asset)
    asset_service.change_status(
        session, actor=ref.technician, asset=asset, target=Status.DISPOSED,
        disposal_kind=kind, now=NOW,
        proceeds_ore=50_000 if kind is DisposalKind.SOLD else None,  # a sale has its proceeds
    )  # fmt: skip
    return asset


@pytest.mark.parametrize(
    ("kind", "heading", "note", "asks_contact"),
    [
        (None, "Den här enheten tillhör Borgholms kommun",
         "Kontakta IT så att den kan lämnas tillbaka", True),
        (DisposalKind.SOLD, "Den här enheten har tillhört Borgholms kommun",
         ("Borgholms kommun har sålt den här enheten: den finns inte längre i registret, och "
          "du behöver inte lämna tillbaka den."), False),
        (DisposalKind.DONATED, "Den här enheten har tillhört Borgholms kommun",
         "Borgholms kommun har skänkt bort den här enheten", False),
        (DisposalKind.RECYCLED, "Den här enheten har tillhört Borgholms kommun",
         "har lämnats till återvinning", True),
        (DisposalKind.LOST, "Den här enheten tillhör Borgholms kommun",
         "Den här enheten är anmäld försvunnen. Kontakta IT", True),
        (DisposalKind.STOLEN, "Den här enheten tillhör Borgholms kommun",
         "Den här enheten är anmäld stulen. Kontakta IT", True),
        (DisposalKind.HANDED_OVER, "Den här enheten tillhör Borgholms kommun",
         "följde med registret för Borgholms kommun till dess nya IT-organisation", True),
    ],
)  # fmt: skip
def test_the_finder_is_told_what_fits_what_became_of_the_device(
    client: FlaskClient,
    session: Session,
    ref: Reference,
    kind: DisposalKind | None,
    heading: str,
    note: str,
    asks_contact: bool,
) -> None:
    asset = disposed_of(session, ref, kind)
    response = client.get(f"/a/{asset.tag}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    text = visible(html).text
    assert heading in text and note in text and asset.tag in text
    # "Return it to IT" only where the device is wanted back.
    assert ("lämnas tillbaka:" in text) == (kind in (None, DisposalKind.LOST, DisposalKind.STOLEN))
    helpdesk = html.split('id="helpdesk"')[1].split("</p>")[0]
    assert "IT-supporten, Ölands IT-nämnd" in helpdesk
    assert ("Frågor om den?" in helpdesk) == (not asks_contact)
    for secret in SECRETS:
        assert secret not in html, secret


def test_the_finder_reads_it_in_english_too(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = disposed_of(session, ref, DisposalKind.SOLD)
    client.get("/lang/en")
    text = visible(client.get(f"/a/{asset.tag}").get_data(as_text=True)).text
    assert "This device used to belong to Borgholms kommun" in text
    assert "you do not need to return it" in text


def test_a_corrected_tags_old_label_tells_the_same(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    from ..services.test_tag_aliases import rename

    asset = disposed_of(session, ref, None)
    old = asset.tag
    asset = rename(session, ref, asset, "IT-999001")
    asset_service.change_status(
        session, actor=ref.technician, asset=asset, target=Status.DISPOSED,
        disposal_kind=DisposalKind.STOLEN, now=NOW,
    )  # fmt: skip
    text = visible(client.get(f"/a/{old}").get_data(as_text=True)).text
    assert old in text and "anmäld stulen" in text and "Greta" not in text


def test_the_demo_seed_gives_the_found_page_a_phone_number_and_an_e_mail_address(
    make_app: Callable[..., Flask], tmp_path: object
) -> None:
    """`inventory seed demo` keeps the demo's helpdesk line in the instance folder, where the
    settings read it; the variable still wins, and an operator's own line stays."""
    from pathlib import Path

    from inventory.config import keep_helpdesk_line
    from inventory.seeding.demo import DEMO_HELPDESK_LINE

    app = make_app()
    instance = Path(app.config["INVENTORY"].instance_path)
    database = app.config["INVENTORY"].database_url
    result = app.test_cli_runner().invoke(args=["seed", "demo", "--assets", "3"])
    assert result.exit_code == 0, result.output
    line = (instance / "helpdesk_line").read_text(encoding="utf-8").strip()
    assert line == DEMO_HELPDESK_LINE
    assert "070-174 06 50" in line and "servicedesk@demo.oland.se" in line
    environ = {"INVENTORY_INSTANCE_PATH": str(instance), "INVENTORY_DATABASE_URL": database}
    settings = Settings.from_env(environ)
    assert settings.helpdesk_line == DEMO_HELPDESK_LINE
    assert Settings.from_env({**environ, "INVENTORY_HELPDESK_LINE": "IT 0485-1"}).helpdesk_line == (
        "IT 0485-1"
    )
    assert not keep_helpdesk_line(instance, "något annat")
    assert Settings.from_env(environ).helpdesk_line == DEMO_HELPDESK_LINE
    # The found page of the demo says it.
    demo_app = make_app(helpdesk_line=settings.helpdesk_line)
    from sqlmodel import select

    with Session(demo_app.extensions["db_engine"]) as session:
        tag = session.exec(select(Asset.tag)).first()
    html = demo_app.test_client().get(f"/a/{tag}").get_data(as_text=True)
    text = visible(html).text
    assert "070-174 06 50" in text and "servicedesk@demo.oland.se" in text
    # A finder on a phone taps the number or the address.
    assert '<a class="text-nowrap" href="tel:0701740650">070-174 06 50</a>' in html
    assert '<a href="mailto:servicedesk@demo.oland.se">' in html


def test_without_a_seeded_line_the_settings_keep_the_default(tmp_path: object) -> None:
    from pathlib import Path

    instance = Path(str(tmp_path)) / "instance"
    settings = Settings.from_env(
        {"INVENTORY_INSTANCE_PATH": str(instance), "INVENTORY_SECRET_KEY": "x" * 40}
    )
    assert settings.helpdesk_line == "IT-supporten, Ölands IT-nämnd"
