"""Files and folders the app creates for its data: readable by the server's user only.

The database holds holders' names, and the secret key signs every session."""

from __future__ import annotations

import os
from pathlib import Path


def private_directory(path: Path) -> None:
    """Make a folder the app keeps data in, readable by its owner only (0700) when the app
    creates it; a folder the operator made is left as it is."""
    if not path.exists():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)


def private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (0600), unless it exists: SQLite
    gives its -wal, -shm and -journal files the mode of the database file."""
    private_directory(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
