"""A technician's day on a phone (issue 12): scan, act and scan the next with a wedge
scanner, also after a refused code; the asset list as cards; the register form with its
searchable menus. Screenshots of the pages are kept as test artefacts."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlmodel import Session, select

from inventory.models import Asset, Location

from ..factories import Reference, make_asset
from .test_phone import log_in


def wedge(page: Any, code: str) -> None:
    """A keyboard-wedge scanner: types into whatever has the focus, then Enter."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def focused_field(page: Any) -> tuple[str, str]:
    return tuple(page.evaluate("() => [document.activeElement.id, document.activeElement.value]"))


def test_scan_act_and_scan_the_next_one_after_a_refused_code(
    phone: Any, session: Session, ref: Reference, screenshot: Callable[[Any, str], Any]
) -> None:
    first = make_asset(session, ref, holder=None)
    second = make_asset(session, ref, holder=None)
    theirs = make_asset(session, ref, owner_id=ref.morbylanga.id)
    log_in(phone, ref.tech_borgholm.email)
    screenshot(phone, "start")
    phone.click("#scan-now")
    phone.wait_for_url(re.compile(r"/scan$"))
    screenshot(phone, "scan")
    for refused in ("IT-404404", theirs.tag, "WIFI:S:skolan;;"):
        wedge(phone, refused)
        # The answer to this code, not the page of the one before it.
        phone.wait_for_url(
            lambda url, code=refused: parse_qs(urlsplit(url).query).get("code") == [code]
        )
        phone.wait_for_selector(".alert-danger")
        # Empty and focused: the next code is not glued onto this one.
        assert focused_field(phone) == ("code", ""), refused
    wedge(phone, first.tag.lower())
    phone.wait_for_url(re.compile(rf"/assets/{first.tag}\?scanned=1$"))
    assert focused_field(phone) == ("code", "")
    phone.click("#actions >> text=Lämna ut")
    phone.fill("#holder", "Karin Karlsson")
    phone.click("#confirm")
    phone.wait_for_url(re.compile(rf"/assets/{first.tag}\?scanned=1$"))
    assert "Utlämnad" in phone.inner_text("#status")
    screenshot(phone, "asset-after-action")
    # Back on the asset, the field waits for the next scan.
    assert focused_field(phone) == ("code", "")
    wedge(phone, second.tag)
    phone.wait_for_url(re.compile(rf"/assets/{second.tag}\?scanned=1$"))
    # The bottom bar's scan button is one tap away on every page.
    box = phone.locator(".bottom-bar a.scan").bounding_box()
    assert box is not None and box["height"] >= 44 and box["y"] + box["height"] <= 844


def test_the_asset_list_is_cards_on_a_phone(
    phone: Any, session: Session, ref: Reference, screenshot: Callable[[Any, str], Any]
) -> None:
    assets = [make_asset(session, ref, holder=f"Elev {n}") for n in range(5)]
    in_store = make_asset(session, ref, holder=None)
    log_in(phone, ref.technician.email)
    phone.goto("/assets/")
    screenshot(phone, "asset-list")
    # Nothing scrolls sideways; each card is one large tap target showing the status.
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    card = phone.locator("#asset-list tbody tr").first
    box = card.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] > 300
    assert card.locator(".c-status .badge").is_visible()
    assert "Elev 0" in card.inner_text()
    # A card names the holder, or where the device is when no one holds it; not both.
    assert "A12" not in card.inner_text()
    stored = phone.locator("#asset-list tbody tr", has_text=in_store.tag)
    assert "A12" in stored.inner_text()
    # The filters are folded away behind one button.
    assert not phone.locator("#f-owner").is_visible()
    phone.click("button[aria-controls=filters]")
    phone.locator("#f-owner").wait_for(state="visible")
    phone.wait_for_selector("#filters.collapse.show")  # opened (not still opening)
    phone.click("button[aria-controls=filters]")
    phone.locator("#f-owner").wait_for(state="hidden")
    # A tap anywhere on the card opens the asset, not only on its tag.
    where = phone.locator("#asset-list tbody tr").first.locator(".c-model").bounding_box()
    assert where is not None
    phone.touchscreen.tap(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
    phone.wait_for_url(re.compile(rf"/assets/{assets[0].tag}$"))


def test_registering_with_the_searchable_menus(
    phone: Any, session: Session, ref: Reference, screenshot: Callable[[Any, str], Any]
) -> None:
    make_asset(session, ref, tag="BH-000041")
    site = ref.school.site_id
    session.add_all(
        [Location(site_id=site, building="Hus B", room=f"Klassrum {n}") for n in (10, 2, 1)]
    )
    session.commit()
    log_in(phone, ref.technician.email)
    phone.goto("/assets/new")
    # Nothing chosen for the technician, so no tag proposed yet.
    assert phone.input_value("#tag") == ""
    phone.select_option("#owner_id", str(ref.borgholm.id))
    assert phone.input_value("#tag") == "BH-000042"
    # The model menu filters as one types; picking a model shows its category.
    phone.fill("#model_id", "lati")
    options = phone.locator("#model_id-options [role=option]")
    assert options.all_inner_texts() == ["Datorer: Dell Latitude 5440"]
    phone.keyboard.press("ArrowDown")
    phone.keyboard.press("Enter")
    assert phone.inner_text("#model-category") == "Kategori: Datorer"
    # Rooms in the order people read them: Klassrum 2 before Klassrum 10.
    phone.fill("#location_id", "hus b klass")
    rooms = phone.locator("#location_id-options [role=option]").all_inner_texts()
    assert rooms == [f"Slottsskolan Hus B Klassrum {n}" for n in (1, 2, 10)]
    screenshot(phone, "register-picker")
    phone.locator("#location_id-options [role=option]").nth(1).click()
    assert phone.input_value("#location_id") == "Slottsskolan Hus B Klassrum 2"
    # A name typed that is no option does not stay: the chosen one does.
    phone.fill("#location_id", "Ingenstans")
    phone.locator("#serial").focus()
    assert phone.input_value("#location_id") == "Slottsskolan Hus B Klassrum 2"
    phone.fill("#serial", "PF-4711")
    phone.fill("#purchase_date", "2025-03-10")
    phone.fill("#price", "12 490")
    phone.click("button.btn-lg[type=submit]")
    phone.wait_for_url(re.compile(r"/assets/BH-000042$"))
    session.expire_all()
    saved = session.exec(select(Asset).where(Asset.tag == "BH-000042")).one()
    room = session.exec(select(Location).where(Location.room == "Klassrum 2")).one()
    assert saved.model_id == ref.latitude.id and saved.location_id == room.id
    assert saved.owner_id == ref.borgholm.id


def test_the_scan_page_and_the_one_tap_actions_work_by_keyboard(
    phone: Any, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, holder=None)
    log_in(phone, ref.technician.email)
    phone.goto("/scan")
    # The field is focused and named by its label: a screen reader says what to do.
    assert focused_field(phone) == ("code", "")
    assert phone.evaluate("() => document.activeElement.labels[0].textContent").startswith(
        "Etikett eller inventarienummer"
    )
    wedge(phone, asset.tag)
    phone.wait_for_url(re.compile(rf"/assets/{asset.tag}\?scanned=1$"))
    # From the next-scan field, Tab walks to the one-tap actions; Enter opens one.
    reached = []
    for _ in range(12):
        phone.keyboard.press("Tab")
        reached.append(phone.evaluate("() => document.activeElement.textContent.trim()"))
        if reached[-1] == "Lämna ut":
            break
    assert reached[-1] == "Lämna ut", reached
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(rf"/assets/{asset.tag}/do/hand_out$"))
    # The one field the action needs has the focus.
    assert phone.evaluate("() => document.activeElement.id") == "holder"
    phone.keyboard.type("Karin Karlsson")
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(rf"/assets/{asset.tag}\?scanned=1$"))
    assert "Utlämnad" in phone.inner_text("#status")
