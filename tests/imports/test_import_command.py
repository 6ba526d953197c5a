"""`inventory import` and `inventory export` as an operator runs them, and an import killed
half-way (a separate process, SIGKILL) leaving the register exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine
from sqlmodel import Session, func, select

from inventory.models import Asset, AssetEvent, ImportRun

from ..factories import Reference, make_asset
from .files import csv_text


def _rows(n: int) -> list[list[object]]:
    return [
        [f"KL-{i:05d}", f"KS{i:06d}", "Borgholms kommun", "Datorer", "Dell", "Latitude 5440",
         "I lager", "2025-03-01", "12 490,50"]
        for i in range(n)
    ]  # fmt: skip


_HEADER = ["Inventarienummer", "Serienummer", "Ägare", "Kategori", "Tillverkare", "Modell",
           "Status", "Inköpsdatum", "Inköpspris (kr)"]  # fmt: skip


def test_export_then_import_on_the_command_line_changes_nothing(
    app: Flask, session: Session, ref: Reference, tmp_path: Path
) -> None:
    for i in range(5):
        make_asset(session, ref, serial=f"CLI{i}", owner_id=(ref.borgholm, ref.joint)[i % 2].id)
    runner = app.test_cli_runner()
    out = tmp_path / "borgholm.xlsx"
    exported = runner.invoke(args=["export", "--owner", "borgholm", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert "Wrote 3 assets" in exported.output
    again = runner.invoke(args=["import", str(out)])
    assert again.exit_code == 0, again.output
    assert "native: 3 unchanged." in again.output and "Imported (import 1)" in again.output
    bad = tmp_path / "bad.csv"
    rows = _rows(4)
    rows[2][7] = "1/3/2025"
    bad.write_text(csv_text(_HEADER, rows, delimiter=";"), encoding="utf-8")
    refused = runner.invoke(args=["import", str(bad), "--format", "native"])
    assert refused.exit_code == 1
    assert "row 4: rejected: Inköpsdatum:" in refused.output
    assert "Nothing was written" in refused.output
    valid = runner.invoke(args=["import", str(bad), "--valid-only"])
    assert valid.exit_code == 0 and "3 created, 1 rejected" in valid.output
    unknown = runner.invoke(args=["import", str(bad), "--owner", "nowhere"])
    assert unknown.exit_code == 2 and "unknown owner" in unknown.output


def test_an_import_killed_half_way_leaves_the_register_as_it_was(
    database_url: str, session: Session, ref: Reference, tmp_path: Path
) -> None:
    make_asset(session, ref, serial="KEPT-1")
    big = tmp_path / "big.csv"
    big.write_text(csv_text(_HEADER, _rows(6000), delimiter=";"), encoding="utf-8")
    env = {
        **os.environ,
        "INVENTORY_DATABASE_URL": database_url,
        "INVENTORY_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    cli = str(Path(sys.executable).parent / "inventory")
    engine = create_engine(database_url)

    def counts() -> tuple[int, int, list[str]]:
        with Session(engine) as s:
            return (
                s.exec(select(func.count()).select_from(Asset)).one(),
                s.exec(select(func.count()).select_from(AssetEvent)).one(),
                list(s.exec(select(ImportRun.outcome))),
            )

    before = counts()
    proc = subprocess.Popen([cli, "import", str(big)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while counts()[2] != ["running"]:  # the run is recorded before the rows are read
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(1.5)  # well into its rows, far from their end
        assert proc.poll() is None, "the import ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assets, events, runs = counts()
    assert (assets, events) == before[:2]
    # Listed as begun and never finished: nothing of it was committed.
    assert runs == ["running"]
    engine.dispose()
