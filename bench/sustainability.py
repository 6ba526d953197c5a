"""Benchmark: the sustainability report over the demo fleet, service call, page, exports and
the tertial PDF.

    .venv/bin/python bench/sustainability.py [--sizes 10000 100000] [--runs 5] [--database sqlite|URL]

Seeds a fresh database per size (as bench/run.py does) and times, as medians of the runs:
the report for the current tertial and for a past one (T2 2025, from the history), and
through Flask's in-process client the page, the JSON, the CSV, the XLSX and the PDF."""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from reports_common import admin_client, time_pages, timed  # type: ignore[import-not-found]
from run import seeded_database  # type: ignore[import-not-found]
from sqlmodel import Session, select

from inventory.domain.periods import tertial
from inventory.models import User
from inventory.seeding import demo
from inventory.services.sustainability import ReportFilter, sustainability

TODAY = dt.date(2026, 12, 2)
PAST = tertial(2025, 2)


def measure(size: int, runs: int, database: str, workdir: Path) -> list[tuple[str, float]]:
    url, engine = seeded_database(size, database, workdir)
    out = []
    with Session(engine) as session:
        actor = session.exec(select(User).where(User.email == demo.DEMO_ADMIN)).one()
        current = ReportFilter(on=TODAY, period=tertial(2026, 3))
        past = ReportFilter(on=PAST.end, period=PAST)
        out.append(("report, T3 2026 to date", timed(runs, lambda: sustainability(
            session, actor=actor, flt=current))))  # fmt: skip
        out.append(("report, T2 2025 (the fleet then)", timed(runs, lambda: sustainability(
            session, actor=actor, flt=past))))  # fmt: skip
    client = admin_client(url, workdir, TODAY)
    out += time_pages(
        client,
        runs,
        [
            ("page", "/reports/sustainability"),
            ("JSON", "/api/v1/reports/sustainability?year=2025&tertial=2"),
            ("CSV", "/reports/sustainability.csv"),
            ("XLSX", "/reports/sustainability.xlsx"),
            ("tertial PDF", "/reports/sustainability.pdf?year=2025&tertial=2"),
        ],
    )
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            rows = measure(size, args.runs, args.database, Path(tmp))
            print(f"\n{size:,} assets ({args.database.split(':')[0]}), median of {args.runs}")
            print("| sustainability | ms |\n|---|---|")
            for name, ms in rows:
                print(f"| {name} | {ms:.0f} |")


if __name__ == "__main__":
    main()
