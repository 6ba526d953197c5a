"""Benchmark: importing files and walking the API's cursor (issue 15).

    .venv/bin/python bench/imports.py [--rows 10000] [--walk 100000] [--runs 3] [--database sqlite|URL]

On the demo fleet of `--rows` assets: our own export of the whole register (CSV), that file
imported again (every row unchanged), a file of as many new devices (every row created), and
an Intune export reporting every device with a serial number (every row updated): these two
on a fresh copy of the database each run on SQLite, as dry runs (everything but the commit)
on PostgreSQL, whose database is not copied. Then, on `--walk` assets, the whole register
walked through GET /api/v1/assets by its cursor, 500 a page, with a token, as another
system does. Medians of the runs, in seconds."""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from run import seeded_database  # type: ignore[import-not-found]
from sqlmodel import Session, select

from inventory import create_app
from inventory.config import Settings
from inventory.db import make_engine
from inventory.exports import asset_files
from inventory.models import User
from inventory.seeding import demo
from inventory.services import imports, users
from inventory.services.asset_list import AssetFilter
from inventory.services.clock import utcnow


def seconds(runs: int, work: Callable[[int], object]) -> float:
    times = []
    for n in range(runs):
        begin = time.perf_counter()
        work(n)
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def _new_devices(export: bytes) -> bytes:
    """The export with every tag and serial made new, and every device in stock: a file of
    devices the register has never seen."""
    rows = list(csv.reader(io.StringIO(export.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    at = {name: i for i, name in enumerate(header)}
    out = [header]
    for row in body:
        row = list(row)
        row[at["Inventarienummer"]] = "NY-" + row[at["Inventarienummer"]][3:]
        if row[at["Serienummer"]]:
            row[at["Serienummer"]] = "N" + row[at["Serienummer"]]
        row[at["Status"]], row[at["Innehavare"]] = "I lager", ""
        for name in ("IMEI", "Avyttringssätt", "Avyttringsdatum", "Intäkt (kr)"):
            row[at[name]] = ""
        out.append(row)
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(out)
    return text.getvalue().encode("utf-8")


def _intune(export: bytes) -> bytes:
    rows = list(csv.reader(io.StringIO(export.decode("utf-8-sig")), delimiter=";"))
    serial = rows[0].index("Serienummer")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Device name", "Serial number", "OS version", "Last check-in",
                     "Primary user UPN", "Managed by"])  # fmt: skip
    for n, row in enumerate(rows[1:]):
        if row[serial]:
            writer.writerow([f"PC{n}", row[serial], f"10.0.22631.{n % 5000}",
                             "2026-11-30 07:12:45.0000000", f"user{n}@oland.se", "Intune"])  # fmt: skip
    return out.getvalue().encode("utf-8")


def measure_imports(rows: int, runs: int, database: str, workdir: Path) -> list[tuple[str, float]]:
    url, engine = seeded_database(rows, database, workdir)
    out: list[tuple[str, float]] = []
    with Session(engine) as s:
        admin = s.exec(select(User).where(User.email == demo.DEMO_ADMIN)).one()
        begin = time.perf_counter()
        export, count = asset_files.render(
            s, actor=admin, flt=AssetFilter(), layout="native", locale="sv", xlsx=False
        )
        out.append((f"export of the register, {count:,} rows (CSV)", time.perf_counter() - begin))
    engine.dispose()
    sqlite = database == "sqlite"
    template = workdir / "template.db"
    if sqlite:
        shutil.copy(url.removeprefix("sqlite:///"), template)

    def run(data: bytes, *, fresh: bool, dry: bool) -> Callable[[int], object]:
        def work(n: int) -> None:
            target = url
            if fresh and sqlite:
                copy = workdir / f"copy-{n}.db"
                shutil.copy(template, copy)
                target = f"sqlite:///{copy}"
            eng = make_engine(target)
            with Session(eng, expire_on_commit=False) as s:
                admin = s.exec(select(User).where(User.email == demo.DEMO_ADMIN)).one()
                result = imports.run_import(
                    s, actor=admin, data=data, filename="bench.csv", options=imports.Options(),
                    dry_run=dry, now=utcnow(),
                )  # fmt: skip
                assert not result.counts["rejected"], result.run.rows[:2]
            eng.dispose()

        return work

    new = _new_devices(export)
    out.append((f"import of the same file again: {count:,} rows unchanged",
                seconds(runs, run(export, fresh=False, dry=False))))  # fmt: skip
    label = "import" if sqlite else "dry run (everything but the commit)"
    out.append((f"{label} of {count:,} new devices: every row created",
                seconds(runs, run(new, fresh=True, dry=not sqlite))))  # fmt: skip
    intune = _intune(export)
    reported = intune.count(b"\n") - 1
    label = "import" if sqlite else "dry run"
    out.append((f"Intune export ({label}), {reported:,} rows: every device updated",
                seconds(runs, run(intune, fresh=True, dry=not sqlite))))  # fmt: skip
    return out


def measure_walk(size: int, runs: int, database: str, workdir: Path) -> list[tuple[str, float]]:
    url, engine = seeded_database(size, database, workdir)
    with Session(engine) as s:
        token = users.create_token(s, email=demo.DEMO_ADMIN, now=utcnow())
    engine.dispose()
    app = create_app(Settings(database_url=url, secret_key="bench-" + "x" * 40,
                              instance_path=workdir / "instance", csrf_enabled=False))  # fmt: skip
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    walked = [0]

    def walk(_: int) -> None:
        cursor: str | None = ""
        seen = 0
        while cursor is not None:
            page = client.get(f"/api/v1/assets?per_page=500&cursor={cursor}", headers=headers)
            assert page.status_code == 200, page.get_data(as_text=True)[:300]
            body = page.get_json()
            seen += len(body["items"])
            cursor = body["next_cursor"]
        walked[0] = seen

    took = seconds(runs, walk)
    return [(f"API cursor walk of the whole register, {walked[0]:,} assets, 500 a page", took)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--walk", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = measure_imports(args.rows, args.runs, args.database, Path(tmp))
        if args.walk:
            rows += measure_walk(args.walk, args.runs, args.database, Path(tmp))
    print(f"\n{args.database.split(':')[0]}, median of {args.runs}")
    print("| import and API | s |\n|---|---|")
    for name, s in rows:
        print(f"| {name} | {s:.1f} |")


if __name__ == "__main__":
    main()
