"""An uploaded file, kept in the instance folder's imports/ from its check to its import.

It may hold personal data (device management exports name each device's user), so it is
kept no longer than it is needed: deleted once imported, and, if it was checked and never
imported, removed with its progress note after KEEP (the nightly job, and each new upload)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

KEEP = dt.timedelta(hours=24)
_SUFFIXES = (".upload", ".progress")


def folder(instance_path: Path) -> Path:
    here = Path(instance_path) / "imports"
    here.mkdir(parents=True, exist_ok=True)
    return here


def upload(instance_path: Path, run_id: int) -> Path:
    return folder(instance_path) / f"{run_id}.upload"


def progress(instance_path: Path, run_id: int) -> Path:
    """How far the running check or import has come (a file beside the upload: the import's
    own transaction cannot be read from outside it)."""
    return folder(instance_path) / f"{run_id}.progress"


def purge(instance_path: Path) -> int:
    """Remove what is older than KEEP; how many files were removed. By the machine's own
    clock, which stamped the files."""
    oldest = time.time() - KEEP.total_seconds()
    removed = 0
    for path in folder(instance_path).iterdir():
        if path.suffix in _SUFFIXES and path.is_file():
            try:
                if path.stat().st_mtime < oldest:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # an import finishing at the same moment took it
                pass
    return removed
