"""Loading end-of-support dates from a CSV file: all or nothing, clear line-by-line errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session, select

from inventory.config import PROJECT_ROOT
from inventory.domain.errors import ValidationFailed
from inventory.imports.end_of_support_csv import parse
from inventory.models import AuditEvent, Model

from ..factories import Reference


def test_loading_sets_dates_and_reports_unknown_models(
    app: Flask, session: Session, ref: Reference, tmp_path: Path
) -> None:
    csv_file = tmp_path / "eos.csv"
    csv_file.write_text(
        "\ufeffmanufacturer;model;end_of_support;source\n"
        "Apple;iPhone 15;2030-09-30;vendor page\n"
        "Nokia;3310;2005-01-01;museum\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["eos", "load", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert "1 models updated" in result.output and "Nokia 3310" in result.output
    session.expire_all()
    assert session.get(Model, ref.iphone.id).end_of_support == dt.date(2030, 9, 30)  # type: ignore[union-attr]
    # In the audit log as a change on the models page is, with before and after.
    logged = session.exec(select(AuditEvent).where(AuditEvent.action == "model.changed")).all()
    assert [(e.subject, e.details["changes"]) for e in logged] == [
        ("Apple iPhone 15", {"end_of_support": [None, "2030-09-30"]})
    ]


def test_a_bad_file_changes_nothing_and_names_the_lines(
    app: Flask, session: Session, ref: Reference, tmp_path: Path
) -> None:
    csv_file = tmp_path / "eos.csv"
    csv_file.write_text(
        "manufacturer,model,end_of_support\nApple,iPhone 15,2030-09-30\nDell,Latitude 5440,31/12/2030\n"
        "Apple,iPhone 15,2031-01-01\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["eos", "load", str(csv_file)])
    assert result.exit_code == 2
    assert "3: end_of_support" in result.output and "4: duplicate" in result.output
    session.expire_all()
    assert session.get(Model, ref.iphone.id).end_of_support is None  # type: ignore[union-attr]
    no_columns = tmp_path / "x.csv"
    no_columns.write_text("name,date\nx,y\n", encoding="utf-8")
    assert (
        "end_of_support"
        in app.test_cli_runner().invoke(args=["eos", "load", str(no_columns)]).output
    )


def test_the_shipped_file_loads(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["eos", "load", str(PROJECT_ROOT / "seed" / "end_of_support.csv")]
    )
    assert result.exit_code == 0, result.output


def test_an_impossible_or_non_dashed_date_names_its_line() -> None:
    data = b"manufacturer;model;end_of_support\nDell;A;2030-02-28\nDell;B;2030-02-30\nDell;C;20300228\n"
    with pytest.raises(ValidationFailed) as err:
        parse(data)
    assert err.value.field_params["file"]["lines"] == "3: end_of_support; 4: end_of_support"
