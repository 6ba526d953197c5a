"""What the report benchmarks share: a median of timed runs, and Flask's in-process client
logged in as the demo's admin on a seeded database."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient

from inventory import create_app
from inventory.config import Settings
from inventory.seeding import demo


def timed(runs: int, work: Callable[[], object]) -> float:
    """The median of `runs` runs of `work`, in ms."""
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        work()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times)


def time_pages(
    client: FlaskClient, runs: int, pages: list[tuple[str, str]]
) -> list[tuple[str, float]]:
    """(name, median ms) of each (name, path) fetched `runs` times; each must answer 200."""
    out = []
    for name, path in pages:

        def get(path: str = path) -> None:
            assert client.get(path).status_code == 200, path

        out.append((name, timed(runs, get)))
    return out


def admin_client(url: str, workdir: Path, today: dt.date | None = None) -> FlaskClient:
    settings = Settings(
        database_url=url,
        secret_key="bench-" + "x" * 40,
        instance_path=workdir / "instance",
        csrf_enabled=False,
        extra={"today": today} if today else {},
    )
    client = create_app(settings).test_client()
    response = client.post(
        "/login", data={"email": demo.DEMO_ADMIN, "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302, "demo login failed"
    return client
