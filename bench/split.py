"""Benchmark: computing the §20 split proposal at 100 000 assets, about a tenth of them joint.

    .venv/bin/python bench/split.py [--assets 100000] [--runs 3] [--database sqlite|URL] [--apply]

Seeds a fresh database with the demo generator, makes every tenth asset joint where the demo
fleet has fewer (the demo's joint share is the switches, access points and server halls), sets
the 2026 cost key and times `services.partnership.compute` for 2026-12-31: the two queries
(joint assets with their site's owner; disposals), the valuation, the allocation and the bulk
insert of the lines, committed. Then the read behind the API (summary and lines). With
--apply, applying the decision once (every joint asset's owner, history and flags).
Target: computing within 2 s on SQLite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from run import seeded_database  # bench/run.py, beside this script
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from inventory.models import Asset, Owner, User
from inventory.models.org import OwnerKind
from inventory.seeding import demo
from inventory.services import cost_keys, partnership

SPLIT_ON = dt.date(2026, 12, 31)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--apply", action="store_true", help="also time applying it once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _, engine = seeded_database(args.assets, args.database, Path(tmp))
        with Session(engine, expire_on_commit=False) as session:
            joint = session.exec(select(Owner.id).where(Owner.kind == OwnerKind.JOINT)).one()
            count = session.exec(
                select(func.count()).select_from(Asset).where(Asset.owner_id == joint)
            ).one()
            wanted = args.assets // 10
            if count < wanted:
                # Every m-th of the others becomes joint, to about a tenth in all.
                step = max(1, round((args.assets - count) / (wanted - count)))
                session.execute(
                    update(Asset)
                    .where(col(Asset.owner_id) != joint, col(Asset.id) % step == 0)
                    .values(owner_id=joint)
                )
                session.commit()
                count = session.exec(
                    select(func.count()).select_from(Asset).where(Asset.owner_id == joint)
                ).one()
            print(f"joint assets: {count:,} (all statuses)")
            admin = session.exec(select(User).where(User.email == demo.DEMO_ADMIN)).one()
            cost_keys.set_users(
                session, actor=None, year=2026, users={"morbylanga": 2002, "borgholm": 1658},
                now=dt.datetime.now(dt.UTC),
            )  # fmt: skip
            compute_ms, read_ms = [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                partnership.compute(session, actor=admin, on=SPLIT_ON, now=dt.datetime.now(dt.UTC))
                compute_ms.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                summary = partnership.summary(session, actor=admin, on=SPLIT_ON)
                lines = partnership.lines(session, actor=admin, on=SPLIT_ON)
                read_ms.append((time.perf_counter() - start) * 1000)
            print(f"lines: {len(lines):,}; compensation: {summary.compensation}")
            print(f"compute proposal: median {statistics.median(compute_ms):.0f} ms "
                  f"(runs: {', '.join(f'{m:.0f}' for m in compute_ms)}); target ≤ 2000 ms")  # fmt: skip
            print(f"read summary + lines: median {statistics.median(read_ms):.0f} ms")
            if args.apply:
                start = time.perf_counter()
                partnership.apply(
                    session, actor=admin, on=SPLIT_ON, decided_on=dt.date(2026, 12, 15),
                    decision_ref="ITN § 45/2026", now=dt.datetime.now(dt.UTC),
                    today=dt.date(2026, 12, 31),
                )  # fmt: skip
                print(f"apply: {(time.perf_counter() - start) * 1000:.0f} ms")
        engine.dispose()


if __name__ == "__main__":
    main()
