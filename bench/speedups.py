"""Benchmark: what each of the app's own speed-ups buys, switched off in turn (issue 16).

    .venv/bin/python bench/speedups.py [--size 100000] [--requests 300] [--database sqlite|URL]
        [--workdir DIR --reuse]

On the demo fleet, the pages people use are timed through Flask's in-process client as
shipped and with one speed-up at a time replaced by the plain way, request by request in
turn (so a slow moment of the machine falls on all of them alike):

- fragments: the layout's head, menus and footer and the list's filter menus rendered on
  every page, instead of once per role, language and reference data ({% cache %},
  inventory/web/fragments.py);
- reference: owners, categories, sites and units read from the database for every request,
  instead of once per process while reference_version stands still
  (inventory/services/reference_cache.py).

Each switch is a patch of this process only, put on before the request and taken off after;
which comes first in a round moves from one round to the next.
Printed: the median ms of each page as shipped, and what each switch adds to it.

Two more were measured so and went (issue 16, 100 000 assets on SQLite, README): the CSRF
token signed once a minute per session instead of for every page (0.04-0.05 ms a page), and
templates compiled once per language with their constant strings translated in place
(0.10 ms on the asset page, 0.16 on the list).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from markupsafe import Markup
from reports_common import admin_client  # type: ignore[import-not-found]
from run import seeded_database  # type: ignore[import-not-found]

from inventory.services import reference_cache
from inventory.web import fragments


@contextmanager
def _shipped(app: Any) -> Iterator[None]:
    yield


@contextmanager
def _no_fragment_cache(app: Any) -> Iterator[None]:
    original = fragments.FragmentCache._render_once
    fragments.FragmentCache._render_once = (  # type: ignore[method-assign]
        lambda self, template, key, caller: Markup(caller())
    )
    try:
        yield
    finally:
        fragments.FragmentCache._render_once = original  # type: ignore[method-assign]


@contextmanager
def _reference_every_request(app: Any) -> Iterator[None]:
    original = reference_cache.reference_names

    def every_time(session: Any) -> Any:
        conn = session.connection()
        version = conn.execute(reference_cache._VERSION).scalar()
        return reference_cache._load(conn, version, shared=False)

    _patch_everywhere(original, every_time)
    try:
        yield
    finally:
        _patch_everywhere(every_time, original)


def _patch_everywhere(old: Any, new: Any) -> None:
    """Replace a function in every module of the app that imported it by name."""
    import sys

    for name, module in list(sys.modules.items()):
        if name.startswith("inventory") and getattr(module, "reference_names", None) is old:
            module.reference_names = new  # type: ignore[attr-defined]


SWITCHES = {
    "as shipped": _shipped,
    "fragments": _no_fragment_cache,
    "reference": _reference_every_request,
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        url, engine = seeded_database(args.size, args.database, workdir, reuse=args.reuse)
        client = admin_client(url, workdir)
        app = client.application
        rng = random.Random(7)
        tags = [f"IT-{rng.randint(1, args.size):06d}" for _ in range(args.requests)]
        pages = {
            "asset page": [f"/assets/{t}" for t in tags],
            "list, filtered": ["/assets/?owner=borgholm&category=pc&status=deployed"] * len(tags),
            "start page": ["/"] * len(tags),
            "dashboard": ["/dashboard"] * len(tags),
            "API lookup": [f"/api/v1/assets/{t}" for t in tags],
        }
        times: dict[tuple[str, str], list[float]] = {
            (page, switch): [] for page in pages for switch in SWITCHES
        }
        gc.collect()
        gc.freeze()
        order = list(SWITCHES)
        for warm in (True, False):
            for i in range(20 if warm else args.requests):
                # Each in turn first: what ran just before moves a request's time.
                order = order[1:] + order[:1]
                for page, urls in pages.items():
                    for switch in order:
                        patch = SWITCHES[switch]
                        with patch(app):
                            start = time.perf_counter()
                            response = client.get(urls[i % len(urls)])
                            elapsed = (time.perf_counter() - start) * 1000
                        assert response.status_code == 200, (urls[i], response.status_code)
                        if not warm:
                            times[(page, switch)].append(elapsed)
        print(f"\n{args.size:,} assets ({args.database.split(':')[0]}), {args.requests} requests")
        header = " | ".join(f"{s} +ms" for s in list(SWITCHES)[1:])
        print(f"| page | as shipped ms | {header} |")
        print("|---|---|" + "---|" * (len(SWITCHES) - 1))
        for page in pages:
            base = statistics.median(times[(page, "as shipped")])
            extra = [statistics.median(times[(page, s)]) - base for s in list(SWITCHES)[1:]]
            print(f"| {page} | {base:.2f} | " + " | ".join(f"{x:+.2f}" for x in extra) + " |")
        engine.dispose()


if __name__ == "__main__":
    main()
