"""Benchmark over HTTP: the API lookup and the asset page by tag served by `inventory serve`
(gunicorn) beside
the floor, a bare Flask + SQLAlchemy lookup (bench/http_floor.py) under gunicorn with as
many workers, on the same database, in one interleaved run.

    .venv/bin/python bench/over_http.py --database postgresql+psycopg://postgres@127.0.0.1:5432/b
        [--assets 10000] [--workers 2] [--clients 8] [--seconds 10] [--rounds 3]

`--clients` processes each keep one connection open and ask for random tags as fast as
answers come (as `wrk -c` would), for `--seconds`, floor and app in turn, `--rounds` times.
Prints, for each, the median latency and the requests a second (medians over the rounds),
and the app's as ratios to the floor's."""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from served import free_port, seeded_with_token, wait_ready  # type: ignore[import-not-found]

from inventory.seeding.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def _client(port: int, prefix: str, tags: list[str], headers: dict[str, str], seconds: float,
            out: mp.Queue) -> None:  # fmt: skip
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    rng = random.Random(os.getpid())
    times: list[float] = []
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        begin = time.perf_counter()
        conn.request("GET", prefix + rng.choice(tags), headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            out.put(("error", response.status))
            return
        times.append(time.perf_counter() - begin)
    out.put(("ok", times))


def _round(port: int, prefix: str, tags: list[str], headers: dict[str, str], clients: int,
           seconds: float) -> tuple[float, float]:  # fmt: skip
    """(median latency in ms, requests a second) of one round."""
    out: mp.Queue = mp.Queue()
    procs = [mp.Process(target=_client, args=(port, prefix, tags, headers, seconds, out))
             for _ in range(clients)]  # fmt: skip
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    times: list[float] = []
    for kind, value in results:
        if kind == "error":
            sys.exit(f"an answer was {value}")
        times.extend(value)
    return statistics.median(times) * 1000, len(times) / seconds


def _session_cookie(port: int, email: str, password: str) -> str:
    """Log in through the login form, as a browser does (its CSRF token, its cookie): the
    session cookie to send with each page request."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login")
    form = conn.getresponse()
    html = form.read().decode()
    cookie = form.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert token is not None, "no CSRF token on the login page"
    body = urllib.parse.urlencode({"csrf_token": token[1], "email": email, "password": password})
    conn.request("POST", "/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})  # fmt: skip
    done = conn.getresponse()
    done.read()
    assert done.status == 302, f"login answered {done.status}"
    return done.getheader("Set-Cookie", "").split(";")[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="http-bench-"))
    url, token, tags = seeded_with_token(args.assets, args.database, work,
                                         email="lasare@demo.oland.se")  # fmt: skip
    app_port, floor_port = free_port(), free_port()
    env = {**os.environ, "INVENTORY_DATABASE_URL": url, "FLOOR_DATABASE_URL": url,
           "INVENTORY_INSTANCE_PATH": str(work / "i"), "INVENTORY_SECRET_KEY": "b" * 48}  # fmt: skip
    log = (work / "servers.log").open("w")
    app = subprocess.Popen(
        [str(BIN / "inventory"), "serve", "--port", str(app_port), "--workers",
         str(args.workers), "--no-scheduler"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    floor = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(args.workers), "--bind",
         f"127.0.0.1:{floor_port}", "--chdir", str(ROOT / "bench"), "http_floor:app"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        wait_ready(app_port, "/healthz", app, work / "servers.log")
        wait_ready(floor_port, f"/floor/{tags[0]}", floor, work / "servers.log")
        api_headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        cookie = _session_cookie(app_port, "lasare@demo.oland.se", DEMO_PASSWORD)
        targets = {
            "floor (bare lookup + template)": (floor_port, "/floor/", {}),
            "API lookup by tag": (app_port, "/api/v1/assets/", api_headers),
            "asset page by tag (signed in)": (app_port, "/assets/", {"Cookie": cookie}),
        }
        for port, prefix, headers in targets.values():  # warm both up
            _round(port, prefix, tags, headers, args.clients, 2)
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in targets}
        for _ in range(args.rounds):
            for name, (port, prefix, headers) in targets.items():
                figures[name].append(
                    _round(port, prefix, tags, headers, args.clients, args.seconds)
                )
    finally:
        for proc in (app, floor):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    floor_ms = statistics.median(ms for ms, _ in figures["floor (bare lookup + template)"])
    floor_rps = statistics.median(rps for _, rps in figures["floor (bare lookup + template)"])
    print(f"\n{args.assets:,} assets ({url.split(':')[0]}), {args.workers} gunicorn workers each, "
          f"{args.clients} clients, {args.rounds} rounds of {args.seconds:.0f} s, interleaved")  # fmt: skip
    print("| request | median ms | × floor | requests/s | × floor |\n|---|---|---|---|---|")
    for name, rounds in figures.items():
        ms = statistics.median(m for m, _ in rounds)
        rps = statistics.median(r for _, r in rounds)
        print(f"| {name} | {ms:.2f} | {ms / floor_ms:.2f} | {rps:.0f} | {rps / floor_rps:.2f} |")


if __name__ == "__main__":
    main()
