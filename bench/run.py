"""Benchmark: latency of the pages people use, at 10 000 to 1 000 000 assets, against a floor.

    .venv/bin/python bench/run.py [--sizes 10000 100000 1000000] [--requests 200]
        [--database sqlite|URL] [--workdir DIR --reuse]

For each fleet size it seeds a fresh database with the demo generator (timed), then times
requests through Flask's in-process client (no network): the asset page by tag, the API
lookup, a filtered list page, the first and the last page of the whole list, a free-text
search, the dashboard and the start page. In the same run it times a floor: a bare Flask +
SQLAlchemy route doing the same indexed lookup by tag and rendering a small template. Every
figure is printed also as a ratio to that floor, because ratios stay comparable across
machines and absolute times do not. Then, as medians of five: each report's page, a label
sheet, the nightly flag job, and a dry run of an import of 10 000 new devices.

With --reuse, a database that already holds the demo fleet of that size (SQLite: in
--workdir) is measured as it is instead of seeded again: seeding 1 000 000 takes minutes.
With --pages-only, only the requests are timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import tempfile
import time
from itertools import islice
from pathlib import Path

from flask import Flask, render_template
from flask.testing import FlaskClient
from jinja2 import DictLoader
from reports_common import admin_client  # type: ignore[import-not-found]
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from inventory import migrate
from inventory.db import make_engine
from inventory.exports import asset_files
from inventory.imports.layouts import said
from inventory.jobs import run_job
from inventory.models import Asset, User
from inventory.seeding import demo
from inventory.services import imports
from inventory.services.asset_export import export_assets
from inventory.services.asset_list import AssetFilter
from inventory.services.clock import utcnow

FLOOR = "floor (bare lookup + template)"
FLOOR_TEMPLATE = (
    "<h1>{{ row.tag }}</h1><p>{{ row.serial }} {{ row.status }} {{ row.purchase_date }}</p>"
)


def floor_app(url: str) -> Flask:
    """The least a Flask + SQLAlchemy app does for the same lookup: a session, one indexed
    query through the same ORM model, one small (compiled once) template."""
    app = Flask("floor")
    app.jinja_loader = DictLoader({"floor.html": FLOOR_TEMPLATE})
    engine = make_engine(url)

    @app.route("/floor/<tag>")
    def floor(tag: str) -> str:
        with Session(engine) as session:
            row = session.exec(select(Asset).where(Asset.tag == tag)).one()
            return render_template("floor.html", row=row)

    return app


def timed_interleaved(
    floor: tuple[FlaskClient, list[str]], cases: dict[str, tuple[FlaskClient, list[str]]]
) -> dict[str, list[float]]:
    """Milliseconds per request, the cases taking turns request by request, so that a slow
    moment of the machine falls on all of them alike. Every case's request follows a floor
    request, so that each is timed after the same neighbour (what ran just before shifts a
    request's time by several per cent, through the CPU's caches and the collector) and adding
    a case does not move the others' figures. Every response must be a 200."""
    floor_client, floor_urls = floor
    times: dict[str, list[float]] = {FLOOR: [], **{name: [] for name in cases}}

    def timed(name: str, client: FlaskClient, url: str) -> None:
        start = time.perf_counter()
        # A scanned label's URL redirects to the asset page: time both hops, as a phone does.
        response = client.get(url, follow_redirects=url.startswith("/a/"))
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        times[name].append(elapsed)

    rounds = min(len(urls) for _, urls in [floor, *cases.values()])
    for i in range(rounds):
        for name, (client, urls) in cases.items():
            timed(FLOOR, floor_client, floor_urls[i])
            timed(name, client, urls[i])
    return times


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def seeded_database(
    size: int, database: str, workdir: Path, *, reuse: bool = False
) -> tuple[str, Engine]:
    """A fresh database ('sqlite': a file in `workdir`; else a PostgreSQL URL whose schema is
    emptied) with the demo fleet of `size` assets: its URL and engine. With reuse, one that
    holds exactly `size` assets already is kept as it is."""
    url = f"sqlite:///{workdir / f'bench-{size}.db'}" if database == "sqlite" else database
    if reuse and _holds(url) == size:
        print(f"  reused a database of {size} assets")
        return url, make_engine(url)
    if database == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        with make_engine(url).begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine = make_engine(url)
    migrate.upgrade(engine)
    start = time.perf_counter()
    demo.seed_demo(engine, assets=size, seed=2025)
    print(f"  seeded {size} assets in {time.perf_counter() - start:.1f} s")
    return url, engine


def _holds(url: str) -> int | None:
    """How many assets the database at `url` holds, or None when it has no register."""
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    try:
        with make_engine(url).connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM asset")).scalar_one())
    except DBAPIError:  # no such table: nothing to reuse
        return None


def run_size(
    size: int,
    requests: int,
    database: str,
    workdir: Path,
    reuse: bool = False,
    pages_only: bool = False,
) -> list[tuple[str, float, float]]:
    url, engine = seeded_database(size, database, workdir, reuse=reuse)

    # Flags first, so that the dashboard below is measured with them. The first run writes
    # every flag, the others only what changed: the median is of the nightly kind, and of
    # five, because one run's time varies by a third on a busy machine.
    job_times = []
    for n in range(0 if pages_only else 5):
        start = time.perf_counter()
        run = run_job(engine, "flag-replacements", slot=f"bench-{n}", today=dt.date(2026, 11, 23))
        job_times.append((time.perf_counter() - start) * 1000)
        assert run is not None and run.outcome == "ok", run
    flag_job = ("flag job, whole register", *summary(job_times)) if job_times else None

    client = admin_client(url, workdir)
    app = client.application

    rng = random.Random(7)
    tags = [f"IT-{rng.randint(1, size):06d}" for _ in range(requests)]
    words = ["anna", "lenovo", "bh-sw", "ipad", "erik", "latitude", "olsson", "chromebook"]
    filters = [
        "owner=borgholm&category=pc&status=deployed",
        "owner=morbylanga&category=chromebook",
        "category=phone&status=in_repair",
        "status=deployed&sort=-purchase_date",
    ]
    floor_client = floor_app(url).test_client()
    # The dashboard moved to /dashboard in issue 12; code from before has it at /.
    dashboard = "/dashboard" if client.get("/dashboard").status_code == 200 else "/"
    floor = (floor_client, [f"/floor/{t}" for t in tags])
    cases = {
        "asset page by tag": (client, [f"/assets/{t}" for t in tags]),
        "API lookup": (client, [f"/api/v1/assets/{t}" for t in tags]),
        "filtered list page": (
            client,
            [f"/assets/?{filters[i % len(filters)]}" for i in range(requests)],
        ),
        "list, first page": (client, ["/assets/" for _ in range(requests)]),
        "list, last page": (client, ["/assets/?page=last" for _ in range(requests)]),
        "search": (client, [f"/assets/?q={words[i % len(words)]}" for i in range(requests)]),
        "dashboard": (client, [dashboard for _ in range(requests)]),
        "scan → asset page (/a/<tag>)": (client, [f"/a/{t}" for t in tags]),
    }
    if dashboard != "/":
        # Since issue 12 a technician (and an admin) lands on the start page at /.
        cases["start page"] = (client, ["/" for _ in range(requests)])
    # Seeding left a large heap behind in this process, which a server never has: move it
    # out of the collector's sight, so that its passes over the heap cost what they cost in
    # a server process (measured: without this the same code ranged 10-15 % between runs).
    gc.collect()
    gc.freeze()
    # Warm caches and connection pools first.
    timed_interleaved(
        (floor[0], floor[1][:20]), {name: (c, urls[:20]) for name, (c, urls) in cases.items()}
    )
    times = timed_interleaved(floor, cases)
    results = [(name, *summary(samples)) for name, samples in times.items()]
    if pages_only or flag_job is None:
        return results
    label_url = "/labels.pdf?layout=a4-3x8&" + "&".join(
        f"tag=IT-{n:06d}" for n in range(1, min(size, 500) + 1)
    )
    label_times = []
    for _ in range(5):
        start = time.perf_counter()
        response = client.get(label_url)
        label_times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
    results.append(("label PDF, 500 assets (A4)", *summary(label_times)))
    for name, path in REPORTS:
        report_times = []
        for _ in range(5):
            start = time.perf_counter()
            response = client.get(path)
            report_times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, path
        results.append((f"report: {name}", *summary(report_times)))
    results.append(flag_job)
    rows, import_times = _import_times(engine)
    results.append((f"import of {rows:,} new devices (dry run)", *summary(import_times)))
    app.extensions["db_engine"].dispose()
    engine.dispose()
    return results


# Each report's page as a controller opens it (today, all owners).
REPORTS = [
    ("sustainability (tertial)", "/reports/sustainability"),
    ("book value", "/reports/book-value"),
    ("stock value", "/reports/stock-value"),
    ("asset ledger (year)", "/reports/ledger"),
    ("refresh plan", "/reports/refresh-plan"),
    ("invoicing basis (quarter)", "/reports/service-objects"),
    ("partnership split (§20)", "/partnership/split"),
]


def _import_times(engine: Engine, rows: int = 10_000) -> tuple[int, list[float]]:
    """Milliseconds of three dry runs (everything but the commit) of an import of up to
    `rows` new devices: the first devices in use exported, each given a new tag and serial;
    and how many there were."""
    from imports import _new_devices  # type: ignore[import-not-found]

    with Session(engine) as s:
        admin = s.exec(select(User).where(User.email == demo.DEMO_ADMIN)).one()
        # In use only: a disposed device's row would be refused as a new device.
        in_use = AssetFilter(status="deployed")
        chosen = islice(export_assets(s, actor=admin, flt=in_use), rows)
        values = (asset_files.native_values(item, lambda m: said(m, "sv")) for item in chosen)
        header = asset_files.native_header("sv")
        export = b"".join(asset_files.csv_bytes(header, values, native=True))
    data = _new_devices(export)
    times = []
    for _ in range(3):
        with Session(engine, expire_on_commit=False) as s:
            admin = s.exec(select(User).where(User.email == demo.DEMO_ADMIN)).one()
            start = time.perf_counter()
            result = imports.run_import(
                s, actor=admin, data=data, filename="bench.csv", options=imports.Options(),
                dry_run=True, now=utcnow(),
            )  # fmt: skip
            times.append((time.perf_counter() - start) * 1000)
            assert not result.counts["rejected"], result.run.rows[:2]
    return export.count(b"\n") - 1, times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workdir", type=Path, help="where SQLite databases are kept")
    parser.add_argument("--reuse", action="store_true", help="measure a seeded database again")
    parser.add_argument(
        "--pages-only", action="store_true", help="the pages alone: no labels, reports, jobs"
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--database",
        default="sqlite",
        help="'sqlite' (a temporary file) or a PostgreSQL URL whose schema is emptied",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        for size in args.sizes:
            print(
                f"\n{size:,} assets ({args.database.split(':')[0]}), {args.requests} requests each"
            )
            results = run_size(
                size, args.requests, args.database, workdir, args.reuse, args.pages_only
            )
            floor = results[0][1]
            print(f"| {'request':40} | median ms | p95 ms | × floor (median) |")
            print(f"|{'-' * 42}|-----------|--------|------------------|")
            for name, median, p95 in results:
                print(f"| {name:40} | {median:9.2f} | {p95:6.2f} | {median / floor:16.1f} |")


if __name__ == "__main__":
    main()
