"""Benchmark: the refresh plan and its what-if over the demo fleet, service call and page.

    .venv/bin/python bench/refresh_plan.py [--sizes 10000 100000] [--runs 5] [--database sqlite|URL]

Seeds a fresh database per size (as bench/run.py does) and times, as medians of the runs:
the plan under today's lifespans, the what-if (computers at 72 months), and the page with
the what-if through Flask's in-process client (both plans, the chart and the tables)."""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from reports_common import admin_client, timed  # type: ignore[import-not-found]
from run import seeded_database  # type: ignore[import-not-found]
from sqlmodel import Session, select

from inventory.models import User
from inventory.seeding import demo
from inventory.services.refresh_plan import PlanFilter, refresh_plan

START = dt.date(2026, 12, 2)


def measure(size: int, runs: int, database: str, workdir: Path) -> tuple[float, float, float]:
    """The plan, the what-if and the page, in ms, at one fleet size."""
    url, engine = seeded_database(size, database, workdir)
    with Session(engine) as session:
        actor = session.exec(select(User).where(User.email == demo.DEMO_ADMIN)).one()
        plain = PlanFilter(start=START)
        what_if = PlanFilter(start=START, lifespans={"pc": 72, "chromebook": 72})
        today_ms = timed(runs, lambda: refresh_plan(session, actor=actor, flt=plain))
        what_if_ms = timed(runs, lambda: refresh_plan(session, actor=actor, flt=what_if))
    client = admin_client(url, workdir)
    page = "/reports/refresh-plan?from=2026-12-02&lifespan.pc=72&lifespan.chromebook=72"

    def get_page() -> None:
        assert client.get(page).status_code == 200

    page_ms = timed(runs, get_page)
    engine.dispose()
    return today_ms, what_if_ms, page_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            today_ms, what_if_ms, page_ms = measure(size, args.runs, args.database, Path(tmp))
            print(f"\n{size:,} assets ({args.database.split(':')[0]}), median of {args.runs}")
            print("| refresh plan | ms |\n|---|---|")
            print(f"| today's lifespans | {today_ms:.0f} |")
            print(f"| what-if (computers 72 months) | {what_if_ms:.0f} |")
            print(f"| page with the what-if (both plans) | {page_ms:.0f} |")


if __name__ == "__main__":
    main()
