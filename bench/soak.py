"""Soak test: a bounded mixed load against a real `inventory serve` on PostgreSQL.

    .venv/bin/python bench/soak.py --database postgresql+psycopg://postgres@127.0.0.1:5432/soak
        [--assets 5000] [--minutes 3] [--clients 4] [--workers 2]

Seeds the demo fleet into the (emptied) database, starts `inventory serve` with its
scheduler on a free loopback port, and runs `--clients` processes for `--minutes`, each
over its own keep-alive connection with a technician's API token: lists walked by cursor,
assets read by tag, their history, the dashboard's health check, and writes (a note
changed with If-Match, then read back and compared). Each client writes only its own share
of the fleet, so that a 412 would be a fault, not a race. Once a minute the flag job runs
in another process beside the load, as the nightly one would. At the end it prints the
requests, their rate, the server errors (must be 0), the writes and how many read back as
written (must be all), and each gunicorn worker's resident memory after the warm-up and at
the end. Exit status 1 if any of those fails."""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from served import free_port, seeded_with_token, wait_ready  # type: ignore[import-not-found]
from sqlmodel import col

from inventory.models import Asset

ROOT = Path(__file__).resolve().parent.parent
INVENTORY = ROOT / ".venv" / "bin" / "inventory"


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(c) for c in children)


def _client(port: int, token: str, tags: list[str], until: float, out: mp.Queue) -> None:
    """One client's loop; its tally goes to `out` at the end."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    auth = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    tally = {"requests": 0, "errors": 0, "writes": 0, "verified": 0, "statuses": {}}
    rng = random.Random(os.getpid())

    def call(method: str, path: str, body: dict | None = None, **headers: str):  # type: ignore[no-untyped-def]
        data = json.dumps(body).encode() if body is not None else None
        hdrs = {**auth, **headers}
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=hdrs)
        response = conn.getresponse()
        payload = response.read()
        tally["requests"] += 1
        key = str(response.status)
        tally["statuses"][key] = tally["statuses"].get(key, 0) + 1
        if response.status >= 500:
            tally["errors"] += 1
        return response, payload

    n = 0
    while time.monotonic() < until:
        n += 1
        tag = rng.choice(tags)
        pick = rng.random()
        if pick < 0.35:
            call("GET", f"/api/v1/assets/{tag}")
        elif pick < 0.55:
            call("GET", f"/api/v1/assets?per_page=50&q={tag[:4]}")
        elif pick < 0.65:
            call("GET", f"/api/v1/assets/{tag}/history")
        elif pick < 0.70:
            call("GET", "/readyz")
        else:
            got, _ = call("GET", f"/api/v1/assets/{tag}")
            if got.status != 200:
                continue
            note = f"soak {os.getpid()} {n} {time.time():.6f}"
            written, _ = call("PATCH", f"/api/v1/assets/{tag}", {"notes": note},
                              **{"If-Match": got.getheader("ETag") or ""})  # fmt: skip
            if written.status == 200:
                tally["writes"] += 1
                back, payload = call("GET", f"/api/v1/assets/{tag}")
                if back.status == 200 and json.loads(payload).get("notes") == note:
                    tally["verified"] += 1
    conn.close()
    out.put(tally)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--assets", type=int, default=5000)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="soak-"))
    # The demo technician for all owners: writes need the role, the fleet is both owners.
    url, token, tags = seeded_with_token(args.assets, args.database, work,
                                         email="tekniker@demo.oland.se",
                                         where=col(Asset.status) != "disposed")  # fmt: skip
    port = free_port()
    env = {**os.environ, "INVENTORY_DATABASE_URL": url, "INVENTORY_INSTANCE_PATH": str(work / "i"),
           "INVENTORY_SECRET_KEY": "soak-" + "x" * 40}  # fmt: skip
    log = (work / "serve.log").open("w")
    server = subprocess.Popen(  # the scheduler runs in its master, as in production
        [str(INVENTORY), "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        wait_ready(port, "/readyz", server, work / "serve.log")
        shares = [tags[i :: args.clients] for i in range(args.clients)]
        # A warm-up, so that the memory measured first is the workers' working size.
        warm = mp.Queue()
        _client(port, token, shares[0], time.monotonic() + 10, warm)
        warm.get()
        rss_start = {pid: _rss_kib(pid) for pid in _workers(server.pid)}
        until = time.monotonic() + args.minutes * 60
        out: mp.Queue = mp.Queue()
        clients = [mp.Process(target=_client, args=(port, token, share, until, out))
                   for share in shares]  # fmt: skip
        started = time.monotonic()
        for c in clients:
            c.start()
        jobs = 0
        samples: list[int] = []  # the workers' RSS together, once a minute
        while time.monotonic() < until:
            time.sleep(min(60, max(0, until - time.monotonic())))
            samples.append(sum(_rss_kib(pid) for pid in _workers(server.pid)))
            if time.monotonic() < until - 5:
                ran = subprocess.run([str(INVENTORY), "jobs", "run", "flag-replacements"],
                                     env=env, capture_output=True, text=True, check=False)  # fmt: skip
                jobs += ran.returncode == 0
        tallies = [out.get() for _ in clients]
        for c in clients:
            c.join()
        took = time.monotonic() - started
        rss_end = {pid: _rss_kib(pid) for pid in _workers(server.pid)}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    total = {k: sum(t[k] for t in tallies) for k in ("requests", "errors", "writes", "verified")}
    statuses: dict[str, int] = {}
    for t in tallies:
        for k, v in t["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    print(f"\nsoak: {args.assets:,} assets, {args.clients} clients, {args.workers} workers, "
          f"{took / 60:.1f} min, flag job run {jobs} times beside the load")  # fmt: skip
    print(f"requests {total['requests']:,} ({total['requests'] / took:.0f}/s), "
          f"answers {dict(sorted(statuses.items()))}")  # fmt: skip
    print(f"server errors {total['errors']}; writes {total['writes']:,}, "
          f"read back as written {total['verified']:,}")  # fmt: skip
    for pid in sorted(rss_start):
        print(f"worker {pid}: RSS {rss_start[pid] / 1024:.0f} MB after warm-up, "
              f"{rss_end.get(pid, 0) / 1024:.0f} MB at the end")  # fmt: skip
    print("workers' RSS together, a minute apart: "
          + " → ".join(f"{kib / 1024:.0f}" for kib in samples) + " MB")  # fmt: skip
    same_workers = set(rss_start) == set(rss_end)
    ok = total["errors"] == 0 and total["writes"] == total["verified"] > 0 and same_workers
    if not same_workers:
        print("a worker was replaced during the run (crashed or killed)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
