"""What the benchmarks that talk HTTP to a served app share (bench/soak.py, over_http.py):
a seeded database with a user's token, a free loopback port, a wait until a server answers."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from run import seeded_database  # type: ignore[import-not-found]
from sqlmodel import Session, select

from inventory.models import Asset
from inventory.services import users
from inventory.services.clock import utcnow


def seeded_with_token(
    size: int, database: str, work: Path, *, email: str, where: Any = None
) -> tuple[str, str, list[str]]:
    """The demo fleet of `size` in a fresh database: its URL, a day's API token of the demo
    user `email`, and the tags of the assets `where` selects (all without it)."""
    url, engine = seeded_database(size, database, work)
    with Session(engine) as s:
        token = users.create_token(s, email=email, now=utcnow(), days=1)
        query = select(Asset.tag) if where is None else select(Asset.tag).where(where)
        tags = list(s.exec(query))
    engine.dispose()
    return url, token, tags


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, path: str, proc: subprocess.Popen[Any], log: Path) -> None:
    """Until `path` answers 200, for a minute at most; the run ends if the server does not."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit(f"the server on port {port} did not answer {path}: see {log}")
