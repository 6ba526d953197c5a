"""The dashboard's colours: a fleet's average age against its target lifespan, "near" from
the category's planning horizon before the target on (as a single device's "due soon")."""

from __future__ import annotations

import pytest

from inventory.domain.lifecycle import AgeBand, age_band


@pytest.mark.parametrize(
    ("age_years", "band"),
    [
        (0.0, AgeBand.WITHIN),
        (3.99, AgeBand.WITHIN),  # PCs: 5 years' target, 12 months' horizon
        (4.0, AgeBand.APPROACHING),
        (4.99, AgeBand.APPROACHING),
        (5.0, AgeBand.PAST),
        (7.5, AgeBand.PAST),
    ],
)
def test_a_pc_fleet_is_within_near_or_past_its_five_years(age_years: float, band: AgeBand) -> None:
    assert age_band(age_years, target_months=60, horizon_months=12) is band


def test_a_longer_horizon_starts_near_earlier() -> None:
    assert age_band(3.5, target_months=60, horizon_months=12) is AgeBand.WITHIN
    assert age_band(3.5, target_months=60, horizon_months=24) is AgeBand.APPROACHING


def test_no_horizon_goes_from_within_straight_to_past() -> None:
    assert age_band(4.99, target_months=60, horizon_months=0) is AgeBand.WITHIN
    assert age_band(5.0, target_months=60, horizon_months=0) is AgeBand.PAST
