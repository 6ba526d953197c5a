"""`inventory costkeys set YEAR OWNER USERS` and `inventory costkeys list`."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlmodel import Session, select

from inventory.models import CostKey

from .factories import Reference


def test_costkeys_set_and_list(app: Flask, session: Session, ref: Reference) -> None:
    runner = app.test_cli_runner()
    for slug, users in (("morbylanga", "2002"), ("borgholm", "1658")):
        result = runner.invoke(args=["costkeys", "set", "2025", slug, users])
        assert result.exit_code == 0, result.output
    stored = {
        k.owner_id: k.users for k in session.exec(select(CostKey).where(CostKey.year == 2025))
    }
    assert stored == {ref.morbylanga.id: 2002, ref.borgholm.id: 1658}
    listed = runner.invoke(args=["costkeys", "list"])
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert any("morbylanga" in line and "2002" in line and "54.7 %" in line for line in lines)
    assert any("borgholm" in line and "1658" in line and "45.3 %" in line for line in lines)


def test_costkeys_list_without_keys_says_how_to_set_one(app: Flask, ref: Reference) -> None:
    result = app.test_cli_runner().invoke(args=["costkeys", "list"])
    assert result.exit_code == 0 and "costkeys set" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2026", "kalmar", "100"], "error: owner: Unknown municipality code: kalmar."),
        (["1850", "borgholm", "100"], "error: year: The year must lie between 2000 and 2100."),
        (["2026", "borgholm", "-5"], "error: users: The number of users cannot be negative."),
    ],
)
def test_costkeys_set_refuses_bad_input_clearly(
    app: Flask, session: Session, ref: Reference, args: list[str], message: str
) -> None:
    result = app.test_cli_runner().invoke(args=["costkeys", "set", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert session.exec(select(CostKey)).all() == []


def test_costkeys_set_refuses_a_year_that_is_no_number(app: Flask, ref: Reference) -> None:
    result = app.test_cli_runner().invoke(args=["costkeys", "set", "tjugo", "borgholm", "5"])
    assert result.exit_code == 2 and "YEAR" in result.output
