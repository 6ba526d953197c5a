"""An impossible date typed into the browser's own date field: the browser cannot read it and
would send nothing, which the server took for an empty field (issue 10)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from inventory.models import Asset

from ..factories import Reference, make_asset
from .test_phone import log_in


def _type_impossible_date(page: Any, selector: str) -> None:
    page.fill(selector, "")
    page.focus(selector)
    page.keyboard.type("02302028")  # 30 February, in the field's month/day/year segments
    assert page.eval_on_selector(selector, "e => e.validity.badInput && e.value === ''")


def test_an_impossible_typed_date_says_invalid_date_and_keeps_the_saved_one(
    phone: Any, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, tag="IT-DATE-1")
    saved_warranty = asset.warranty_end
    log_in(phone, ref.technician.email)
    phone.goto("/assets/IT-DATE-1/edit")
    _type_impossible_date(phone, "#warranty_end")
    phone.click("button.btn-lg[type=submit]")
    phone.wait_for_selector(".is-invalid")
    page = phone.content()
    assert "Ogiltigt datum: skriv ÅÅÅÅ-MM-DD." in page
    assert "obligatoriskt" not in page
    session.expire_all()
    stored = session.exec(select(Asset).where(Asset.tag == "IT-DATE-1")).one()
    assert stored.version == asset.version and stored.warranty_end == saved_warranty


def test_an_impossible_purchase_date_says_invalid_date_not_required(
    phone: Any, session: Session, ref: Reference
) -> None:
    make_asset(session, ref, tag="IT-DATE-1")
    log_in(phone, ref.technician.email)
    phone.goto("/assets/IT-DATE-1/edit")
    _type_impossible_date(phone, "#purchase_date")
    phone.click("button.btn-lg[type=submit]")
    phone.wait_for_selector(".is-invalid")
    page = phone.content()
    assert "Ogiltigt datum: skriv ÅÅÅÅ-MM-DD." in page and "obligatoriskt" not in page
