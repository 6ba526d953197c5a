"""An assessment's texts longer than the register keeps are refused with their limit."""

from __future__ import annotations

import datetime as dt

import pytest

from inventory.domain.errors import ValidationFailed
from inventory.domain.reuse import (
    MAX_LENGTHS,
    AssessmentInput,
    Cycle,
    Decision,
    Grade,
    Wipe,
    check,
)

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
BOUGHT_2020 = Cycle(purchase_date=dt.date(2020, 1, 15))


def test_texts_longer_than_the_register_keeps_are_refused_not_cut() -> None:
    wipe = Wipe(method="Blancco", on=TODAY, by="x" * (MAX_LENGTHS["wipe"] + 1))
    data = AssessmentInput(
        grade=Grade("B"),
        decision=Decision.RECYCLE,
        wipe=wipe,
        recycler="Stena",
        certificate="C" * (MAX_LENGTHS["certificate"] + 1),
        reason="r" * MAX_LENGTHS["reason"],  # exactly the limit is fine
    )
    with pytest.raises(ValidationFailed) as refused:
        check(data, young=False, today=TODAY, cycle=BOUGHT_2020, now=NOW)
    assert set(refused.value.errors) == {"wipe", "certificate"}
    assert refused.value.field_params["certificate"] == {"max": MAX_LENGTHS["certificate"]}
    check(
        AssessmentInput(
            grade=Grade("B"),
            decision=Decision.RECYCLE,
            wipe=Wipe(method="Blancco", on=TODAY, by="Tekniker"),
            recycler="Stena",
            certificate="C-1",
            reason="r" * MAX_LENGTHS["reason"],
        ),
        young=False,
        today=TODAY,
        cycle=BOUGHT_2020,
        now=NOW,
    )
