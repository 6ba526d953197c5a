"""Benchmark: the finance reports over the demo fleet (its owners test purchase orders
together), service call and page.

    .venv/bin/python bench/finance.py [--sizes 10000 100000] [--runs 5] [--database sqlite|URL]

Seeds a fresh database per size (as bench/run.py does) and times, as medians of the runs,
the book value and the stock value today and on a past day, the asset ledger of a year and
the invoicing basis of a quarter, and their pages and XLSX."""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from reports_common import admin_client, time_pages, timed  # type: ignore[import-not-found]
from run import seeded_database  # type: ignore[import-not-found]
from sqlmodel import Session, select

from inventory.domain.periods import year
from inventory.models import User
from inventory.seeding import demo
from inventory.services.book_value import BookFilter, book_value
from inventory.services.ledger import LedgerFilter, ledger
from inventory.services.service_objects import BasisFilter, Quarter, basis
from inventory.services.stock_value import StockFilter, stock_value

TODAY = dt.date(2026, 12, 2)
PAST = dt.date(2025, 9, 30)


def measure(size: int, runs: int, database: str, workdir: Path) -> list[tuple[str, float]]:
    url, engine = seeded_database(size, database, workdir)
    out = []
    with Session(engine) as s:
        actor = s.exec(select(User).where(User.email == demo.DEMO_ADMIN)).one()
        for name, day in (("today", TODAY), ("on 2025-09-30", PAST)):
            out.append((f"book value, {name}", timed(runs, lambda d=day: book_value(
                s, actor=actor, flt=BookFilter(on=d)))))  # fmt: skip
            out.append((f"stock value, {name}", timed(runs, lambda d=day: stock_value(
                s, actor=actor, flt=StockFilter(on=d)))))  # fmt: skip
        out.append(("ledger, 2025", timed(runs, lambda: ledger(
            s, actor=actor, flt=LedgerFilter(period=year(2025))))))  # fmt: skip
        out.append(("invoicing basis, Q3 2026", timed(runs, lambda: basis(
            s, actor=actor, flt=BasisFilter(quarter=Quarter(2026, 3))))))  # fmt: skip
    client = admin_client(url, workdir, TODAY)
    out += time_pages(
        client,
        runs,
        [
            ("book value page", "/reports/book-value"),
            ("book value XLSX", "/reports/book-value.xlsx"),
            ("stock value page", "/reports/stock-value"),
            ("ledger page, 2025", "/reports/ledger?from=2025-01-01&to=2025-12-31"),
            ("ledger XLSX, 2025", "/reports/ledger.xlsx?from=2025-01-01&to=2025-12-31"),
            ("invoicing basis page, Q3 2026", "/reports/service-objects?year=2026&quarter=3"),
            ("invoicing basis XLSX, Q3 2026", "/reports/service-objects.xlsx?year=2026&quarter=3"),
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
            print("| finance | ms |\n|---|---|")
            for name, ms in rows:
                print(f"| {name} | {ms:.0f} |")


if __name__ == "__main__":
    main()
