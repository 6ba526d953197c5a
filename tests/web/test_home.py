"""A technician's start page: scan first, their open stocktakes, what waits for them and the
assets they touched last, within their owner scope."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlmodel import Session

from inventory.domain.statuses import Status
from inventory.services import assets as asset_service
from inventory.services import stocktakes

from ..conftest import login
from ..factories import NOW, Reference, make_asset


def _to(session: Session, ref: Reference, status: Status, **kw: object):  # type: ignore[no-untyped-def]
    asset = make_asset(session, ref, **kw)
    if status is Status.RETURNED:
        asset = asset_service.change_status(
            session, actor=ref.admin, asset=asset, target=Status.DEPLOYED, now=NOW
        )
    return asset_service.change_status(
        session, actor=ref.admin, asset=asset, target=status, now=NOW
    )


def test_the_start_page_puts_scanning_first_and_lists_what_waits(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    returned = _to(session, ref, Status.RETURNED)
    faulty = _to(session, ref, Status.IN_REPAIR)
    theirs_returned = _to(session, ref, Status.RETURNED, owner_id=ref.morbylanga.id)
    theirs_faulty = _to(session, ref, Status.IN_REPAIR, owner_id=ref.morbylanga.id)
    touched = make_asset(session, ref, actor=ref.tech_borgholm)
    untouched = make_asset(session, ref)
    mine = stocktakes.start(session, actor=ref.tech_borgholm, now=NOW, location_id=ref.school.id)
    unscoped = stocktakes.start(session, actor=ref.admin, now=NOW, owner_slug="morbylanga")
    login(client, ref.tech_borgholm.email)
    page = client.get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # The large scan action comes before everything else on the page.
    assert html.index('id="scan-now"') < html.index('id="open-stocktakes"')
    assert 'href="/scan"' in html

    def section(name: str) -> str:
        start = html.index(f'id="{name}"')
        return html[start : html.index("</section>", start)]

    assert mine.title in section("open-stocktakes")
    assert unscoped.title not in html  # Mörbylånga kommun: another scope's stocktake
    assert returned.tag in section("waiting-assess") and ">1<" in section("waiting-assess")
    assert f"/assets/{returned.tag}/assess" in section("waiting-assess")
    assert faulty.tag in section("waiting-repair")
    assert theirs_returned.tag not in html and theirs_faulty.tag not in html
    assert touched.tag in section("recent") and untouched.tag not in section("recent")


def test_readers_land_on_the_dashboard_and_everyone_reaches_it(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.viewer.email)
    assert 'id="by-category"' in client.get("/").get_data(as_text=True)
    login(client, ref.technician.email)
    assert 'id="by-category"' not in client.get("/").get_data(as_text=True)
    assert 'id="by-category"' in client.get("/dashboard").get_data(as_text=True)


def test_the_phone_bottom_bar_keeps_the_scanner_one_tap_away(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    login(client, ref.viewer.email)
    for path in ("/", "/assets/", f"/assets/{asset.tag}", "/stocktakes/", "/reuse"):
        html = client.get(path).get_data(as_text=True)
        bar = html[
            html.index('class="bottom-bar') : html.index("</nav>", html.index('class="bottom-bar'))
        ]
        assert 'class="scan" href="/scan"' in bar, path
    assert 'aria-current="page"' in client.get("/assets/").get_data(as_text=True)
