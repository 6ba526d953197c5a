"""Investment or expense for each asset, by its owner's rule (domain/capitalisation.py), and
the prisbasbelopp table and the owners' rules, kept by an admin for all owners or the
server's operator (the command line, actor None): they decide what both municipalities'
accounts carry. Decided when asked, never stored: a changed rule, prisbasbelopp or order
is in every answer at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Integer, cast, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from ..domain import capitalisation as rules
from ..domain.errors import ValidationFailed
from ..domain.text import N_
from ..models import Asset, Owner, Prisbasbelopp, User
from . import audit
from .access import require_unscoped_admin

FIRST_YEAR, LAST_YEAR = 2000, 2100
# Kronor: the prisbasbelopp has been 36 000-60 000 this century.
MIN_AMOUNT_ORE, MAX_AMOUNT_ORE = 1_000_00, 1_000_000_00


def rule_of(owner: Owner) -> rules.Rule:
    return rules.Rule(
        threshold_ore=owner.capitalise_threshold_ore,
        share_pbb=Decimal(owner.capitalise_share_pbb),
        min_months=owner.capitalise_min_months,
        by_order=owner.capitalise_by_order,
    )


_SAME_ORDER = aliased(Asset)
# What an asset's decision needs beside the asset, as columns of a query that joins its
# owner (catalog's asset queries add them, so that the asset page stays one query): the
# owner's rule, the purchase year's prisbasbelopp, the total of the asset's purchase order.
RULE_COLUMNS: tuple[Any, ...] = (
    col(Owner.capitalise_threshold_ore),
    col(Owner.capitalise_share_pbb),
    col(Owner.capitalise_min_months),
    col(Owner.capitalise_by_order),
    select(Prisbasbelopp.amount_ore)
    .where(col(Prisbasbelopp.year) == cast(func.extract("year", col(Asset.purchase_date)), Integer))
    .correlate(Asset)
    .scalar_subquery(),
    select(func.sum(_SAME_ORDER.price_ore))
    .where(
        _SAME_ORDER.owner_id == col(Asset.owner_id),
        _SAME_ORDER.order_ref == col(Asset.order_ref),
        func.trim(col(Asset.order_ref)) != "",
    )
    .correlate(Asset)
    .scalar_subquery(),
)


def decide_from_row(asset: Asset, values: Sequence[Any]) -> rules.Decision:
    """The decision from RULE_COLUMNS' values."""
    threshold, share, months, by_order, basbelopp, order_total = values
    rule = rules.Rule(threshold, Decimal(share), months, bool(by_order))
    return rules.decide(
        rule,
        price_ore=asset.price_ore,
        depreciation_months=asset.depreciation_months,
        prisbasbelopp_ore=basbelopp,
        order_total_ore=int(order_total) if order_total is not None else None,
    )


def decide_asset(session: Session, asset: Asset) -> rules.Decision:
    """One asset's decision, read in one query (the pages have it in their own: AssetDetails)."""
    values = session.exec(
        select(*RULE_COLUMNS)  # type: ignore[call-overload]
        .select_from(Asset)
        .join(Owner, col(Owner.id) == col(Asset.owner_id))
        .where(col(Asset.id) == asset.id)
    ).one()
    return decide_from_row(asset, values)


@dataclass(frozen=True)
class Basbelopp:
    year: int
    amount_ore: int


def list_basbelopp(session: Session) -> list[Basbelopp]:
    return [
        Basbelopp(p.year, p.amount_ore)
        for p in session.exec(select(Prisbasbelopp).order_by(col(Prisbasbelopp.year).desc()))
    ]


def set_basbelopp(
    session: Session, *, actor: User | None, year: int, amount_ore: int, now: dt.datetime
) -> None:
    """The year's prisbasbelopp, new or corrected; audited with before and after."""
    if actor is not None:
        require_unscoped_admin(actor)
    errors: dict[str, str] = {}
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = N_("The year must be a year from 2000 to 2100.")
    if not MIN_AMOUNT_ORE <= amount_ore <= MAX_AMOUNT_ORE:
        errors["amount"] = N_("The prisbasbelopp must be from 1 000 to 1 000 000 kr.")
    if errors:
        raise ValidationFailed(errors)
    row = session.get(Prisbasbelopp, year)
    before = row.amount_ore if row else None
    if row is None:
        row = Prisbasbelopp(year=year, amount_ore=amount_ore)
    row.amount_ore = amount_ore
    session.add(row)
    audit.record(
        session, actor=actor, action="prisbasbelopp_set", at=now, subject=str(year),
        details={"amount_ore": [before, amount_ore]},
    )  # fmt: skip
    session.commit()


def parse_share(raw: str | None) -> Decimal:
    """A share of the prisbasbelopp as people write it: "0,5" or "0.5" (0.01 to 10)."""
    text = (raw or "").strip().replace(",", ".").replace("\u00a0", "")
    try:
        share = Decimal(text)
    except InvalidOperation:
        share = Decimal(-1)
    if (
        not share.is_finite()
        or not Decimal("0.01") <= share <= Decimal(10)
        or share != share.quantize(Decimal("0.01"))
    ):
        raise ValidationFailed(
            {
                "share_pbb": N_(
                    "The share must be a number from 0,01 to 10 with two decimals at most."
                )
            }
        )
    return share


def set_rule(
    session: Session, *, actor: User | None, owner: Owner, rule: rules.Rule, now: dt.datetime
) -> None:
    """An owner's capitalisation rule; audited with before and after."""
    if actor is not None:
        require_unscoped_admin(actor)
    errors: dict[str, str] = {}
    if rule.threshold_ore is not None and not 0 <= rule.threshold_ore <= MAX_AMOUNT_ORE * 100:
        errors["threshold"] = N_("The threshold must be from 0 to 100 000 000 kr.")
    if not 0 <= rule.min_months <= 600:
        errors["min_months"] = N_("The minimum time must be from 0 to 600 months.")
    if errors:
        raise ValidationFailed(errors)
    before = rule_of(owner)
    owner.capitalise_threshold_ore = rule.threshold_ore
    owner.capitalise_share_pbb = rule.share_pbb
    owner.capitalise_min_months = rule.min_months
    owner.capitalise_by_order = rule.by_order
    session.add(owner)
    audit.record(
        session, actor=actor, action="capitalisation_rule_set", at=now, subject=owner.slug,
        details={"before": _jsonable(before), "after": _jsonable(rule)},
    )  # fmt: skip
    session.commit()


def _jsonable(rule: rules.Rule) -> dict[str, object]:
    return {
        "threshold_ore": rule.threshold_ore,
        "share_pbb": str(rule.share_pbb),
        "min_months": rule.min_months,
        "by_order": rule.by_order,
    }
