"""The floor of bench/over_http.py as a WSGI app for gunicorn: bench/run.py's bare Flask +
SQLAlchemy lookup by tag, on the database in FLOOR_DATABASE_URL."""

from __future__ import annotations

import os

from run import floor_app  # type: ignore[import-not-found]

app = floor_app(os.environ["FLOOR_DATABASE_URL"])
