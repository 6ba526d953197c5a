"""Cost keys (agreement §13): users per municipality per year (services/cost_keys.py)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from sqlmodel import Session, select

from inventory.domain.errors import PermissionDenied, ValidationFailed
from inventory.models import AuditEvent, CostKey
from inventory.services import cost_keys, partnership

from ..factories import NOW, TODAY, Reference, make_asset


def test_a_years_key_gives_exact_shares_and_percentages(session: Session, ref: Reference) -> None:
    key = cost_keys.set_users(
        session, actor=None, year=2025, users={"morbylanga": 2002, "borgholm": 1658}, now=NOW
    )
    assert key.total_users == 3660
    rows = {row.slug: row for row in key.rows}
    assert rows["morbylanga"].share == Fraction(2002, 3660)
    assert (str(rows["morbylanga"].percent), str(rows["borgholm"].percent)) == ("54.7", "45.3")
    assert [k.year for k in cost_keys.list_keys(session, actor=ref.admin)] == [2025]


def test_setting_one_municipality_keeps_the_others_and_is_audited(
    session: Session, ref: Reference
) -> None:
    cost_keys.set_users(session, actor=None, year=2026, users={"borgholm": 1600}, now=NOW)
    cost_keys.set_users(session, actor=ref.admin, year=2026, users={"morbylanga": 2000}, now=NOW)
    cost_keys.set_users(session, actor=ref.admin, year=2026, users={"borgholm": 1650}, now=NOW)
    stored = {k.owner_id: k.users for k in session.exec(select(CostKey))}
    assert stored == {ref.borgholm.id: 1650, ref.morbylanga.id: 2000}
    audits = session.exec(select(AuditEvent).where(AuditEvent.action == "cost_key.set")).all()
    assert [(a.subject, a.details["before"], a.details["after"]) for a in audits] == [
        ("2026 borgholm", None, 1600),
        ("2026 morbylanga", None, 2000),
        ("2026 borgholm", 1600, 1650),
    ]


@pytest.mark.parametrize(
    ("year", "users", "field"),
    [
        (1899, {"borgholm": 10}, "year"),
        (2026, {"kalmar": 10}, "owner"),
        (2026, {"joint": 10}, "owner"),
        (2026, {"borgholm": -1}, "users"),
    ],
)
def test_a_wrong_year_owner_or_number_is_refused(
    session: Session, ref: Reference, year: int, users: dict[str, int], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        cost_keys.set_users(session, actor=None, year=year, users=users, now=NOW)
    assert field in refused.value.errors
    assert session.exec(select(CostKey)).all() == []


@pytest.mark.parametrize("who", ["admin_borgholm", "technician", "viewer"])
def test_only_an_admin_for_all_owners_changes_the_key(
    session: Session, ref: Reference, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        cost_keys.set_users(
            session, actor=getattr(ref, who), year=2026, users={"borgholm": 1}, now=NOW
        )
    with pytest.raises(PermissionDenied):
        cost_keys.list_keys(session, actor=getattr(ref, who))


def test_the_split_of_a_date_takes_the_key_of_its_year(session: Session, ref: Reference) -> None:
    cost_keys.set_users(
        session, actor=None, year=2025, users={"morbylanga": 2002, "borgholm": 1658}, now=NOW
    )
    assert cost_keys.key_for_split(session, on=dt.date(2025, 12, 31)).year == 2025
    with pytest.raises(ValidationFailed) as refused:
        cost_keys.key_for_split(session, on=dt.date(2026, 12, 31))
    assert refused.value.field_params["cost_key"] == {"year": 2026}


def test_a_key_with_one_municipality_is_refused_for_the_split(
    session: Session, ref: Reference
) -> None:
    cost_keys.set_users(
        session, actor=None, year=2026, users={"borgholm": 1658, "morbylanga": 0}, now=NOW
    )
    with pytest.raises(ValidationFailed) as refused:
        cost_keys.key_for_split(session, on=dt.date(2026, 12, 31))
    assert "two municipalities" in refused.value.errors["cost_key"]


def test_the_key_of_a_decided_split_can_no_longer_change(session: Session, ref: Reference) -> None:
    users = {"morbylanga": 2002, "borgholm": 1658}
    cost_keys.set_users(session, actor=None, year=2026, users=users, now=NOW)
    make_asset(session, ref, owner_id=ref.joint.id)
    on = dt.date(2026, 11, 1)
    partnership.compute(session, actor=ref.admin, on=on, now=NOW)
    partnership.apply(
        session, actor=ref.admin, on=on, decided_on=on, decision_ref="ITN § 45/2026", now=NOW,
        today=TODAY,
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        cost_keys.set_users(session, actor=None, year=2026, users={"borgholm": 1}, now=NOW)
    assert refused.value.field_params["year"] == {"year": 2026}
