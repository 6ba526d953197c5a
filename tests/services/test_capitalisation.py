"""Investment or expense for assets in the register: the purchase year's prisbasbelopp from
the table, the owner's rule, the order's total; who may change them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from inventory.domain.capitalisation import Reason, Rule
from inventory.domain.errors import PermissionDenied, ValidationFailed
from inventory.models import AuditEvent, Prisbasbelopp
from inventory.services import capitalisation

from ..factories import NOW, Reference, make_asset


def test_the_migration_holds_the_sourced_prisbasbelopp(session: Session) -> None:
    table = {b.year: b.amount_ore for b in capitalisation.list_basbelopp(session)}
    assert table[2025] == 58_800_00 and table[2026] == 59_200_00 and table[2016] == 44_300_00


def test_an_asset_is_decided_by_its_year_its_owner_and_its_order(
    session: Session, ref: Reference
) -> None:
    # 2025: half of 58 800 kr is 29 400 kr; a Latitude at 12 490 kr is expensed alone.
    pcs = [make_asset(session, ref, purchase_date=dt.date(2025, 3, 1), order_ref="BH-2503")
           for _ in range(3)]  # fmt: skip
    decision = capitalisation.decide_asset(session, pcs[0])
    assert (decision.capitalised, decision.reason, decision.threshold_ore) == (
        False, Reason.BELOW, 29_400_00,
    )  # fmt: skip
    # Borgholm tests orders together: three on one order, 37 470 kr, are one investment.
    capitalisation.set_rule(session, actor=ref.admin, owner=ref.borgholm,
                            rule=Rule(by_order=True), now=NOW)  # fmt: skip
    decision = capitalisation.decide_asset(session, pcs[0])
    assert (decision.capitalised, decision.reason, decision.tested_ore) == (
        True, Reason.ORDER_ABOVE, 3 * 1_249_000,
    )  # fmt: skip
    # Another owner's order of the same reference is not theirs.
    theirs = make_asset(session, ref, owner_id=ref.morbylanga.id, order_ref="BH-2503",
                        purchase_date=dt.date(2025, 3, 1))  # fmt: skip
    assert capitalisation.decide_asset(session, theirs).reason is Reason.BELOW
    # A year without a prisbasbelopp cannot be decided by a share of it.
    old = make_asset(session, ref, purchase_date=dt.date(2015, 5, 1), price_ore=40_000_00)
    assert capitalisation.decide_asset(session, old).reason is Reason.NO_BASBELOPP
    capitalisation.set_basbelopp(session, actor=None, year=2015, amount_ore=44_500_00, now=NOW)
    assert capitalisation.decide_asset(session, old).reason is Reason.ABOVE


def test_only_an_admin_for_all_owners_changes_them(session: Session, ref: Reference) -> None:
    with pytest.raises(PermissionDenied):
        capitalisation.set_basbelopp(session, actor=ref.admin_borgholm, year=2027,
                                     amount_ore=60_000_00, now=NOW)  # fmt: skip
    with pytest.raises(PermissionDenied):
        capitalisation.set_rule(session, actor=ref.technician, owner=ref.borgholm,
                                rule=Rule(), now=NOW)  # fmt: skip
    with pytest.raises(ValidationFailed) as bad:
        capitalisation.set_basbelopp(session, actor=ref.admin, year=1999, amount_ore=5, now=NOW)
    assert set(bad.value.errors) == {"year", "amount"}
    capitalisation.set_basbelopp(session, actor=ref.admin, year=2027, amount_ore=60_000_00, now=NOW)
    assert session.get(Prisbasbelopp, 2027).amount_ore == 60_000_00  # type: ignore[union-attr]
    logged = session.exec(select(AuditEvent).where(AuditEvent.action == "prisbasbelopp_set")).one()
    assert logged.subject == "2027" and logged.details == {"amount_ore": [None, 60_000_00]}
    with pytest.raises(ValidationFailed):
        capitalisation.parse_share("0,505")


def test_the_page_the_asset_and_the_api_say_which_and_why(
    session: Session, ref: Reference, as_user: Callable[[str], FlaskClient]
) -> None:
    server = make_asset(session, ref, price_ore=110_000_00, purchase_date=dt.date(2025, 2, 1))
    pc = make_asset(session, ref, purchase_date=dt.date(2025, 2, 1))
    admin = as_user(ref.admin.email)
    page = admin.get(f"/assets/{server.tag}").get_data(as_text=True)
    assert "Investering: kostar mer än gränsen och används tillräckligt länge" in page
    assert "110\u00a0000,00\u00a0kr mot 29\u00a0400,00\u00a0kr" in page
    assert admin.get(f"/api/v1/assets/{server.tag}").get_json()["capitalised"] is True
    body = admin.get(f"/api/v1/assets/{pc.tag}").get_json()
    assert body["capitalised"] is False and body["capitalisation_reason"]
    # The admin page: a rule in kronor for Mörbylånga, a prisbasbelopp for 2027.
    listing = admin.get("/admin/capitalisation").get_data(as_text=True)
    assert "59\u00a0200,00\u00a0kr" in listing and "Mörbylånga kommun" in listing
    saved = admin.post("/admin/capitalisation", data={
        "form": "rule", "owner": str(ref.morbylanga.id), "threshold": "100 000",
        "share_pbb": "0,5", "min_months": "36"})  # fmt: skip
    assert saved.status_code == 302
    session.refresh(ref.morbylanga)
    assert ref.morbylanga.capitalise_threshold_ore == 100_000_00
    # An emptied minimum time is an error, not zero months.
    empty = admin.post("/admin/capitalisation", data={
        "form": "rule", "owner": str(ref.morbylanga.id), "share_pbb": "0,5", "min_months": ""})  # fmt: skip
    assert empty.status_code == 422
    session.refresh(ref.morbylanga)
    assert ref.morbylanga.capitalise_min_months == 36
    refused = admin.post("/admin/capitalisation", data={"form": "basbelopp", "year": "2027",
                                                         "amount": "sextio"})  # fmt: skip
    assert refused.status_code == 422
    assert admin.post("/admin/capitalisation", data={"form": "basbelopp", "year": "2027",
                                                     "amount": "60 000"}).status_code == 302  # fmt: skip
    assert as_user(ref.admin_borgholm.email).get("/admin/capitalisation").status_code == 403
