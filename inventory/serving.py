"""Production serving with gunicorn, started from `inventory serve`."""

from __future__ import annotations

import contextvars
from typing import Any

import click
from flask import Flask
from gunicorn.app.base import BaseApplication
from sqlmodel import Session, select

from . import db
from .jobs.scheduler import start_background
from .seeding.demo import DEMO_ADMIN, LOGIN_HINT


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key == "control_socket_disable" and key not in self.cfg.settings:
                continue  # gunicorn before 25.1 has no control socket to disable
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def run(app: Flask, *, host: str, port: int, workers: int, scheduler: bool = True) -> None:
    from .models import User

    with Session(db.engine()) as s:
        has_demo = s.exec(select(User.id).where(User.email == DEMO_ADMIN)).first() is not None
    # Connections opened before forking must not be shared by the workers.
    db.engine().dispose()
    click.echo(f"Inventory is running at http://{host}:{port}")
    if has_demo:
        click.echo(LOGIN_HINT)
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "accesslog": "-",
        # Gunicorn would otherwise open a control socket in the user's home directory
        # (~/.gunicorn), which a service account may not have; a service manager stops and
        # restarts the register instead.
        "control_socket_disable": True,
    }
    if scheduler:
        # Started in the master once it is ready, not in each forked worker.
        engine = db.engine()
        settings = app.config["INVENTORY"]
        options["when_ready"] = lambda _server: start_background(engine, settings)
    server = _Gunicorn(app, options)
    # Flask's CLI runs every command inside an app context. Requests reuse an app context that
    # is already active, so served from in here they would all share one `g` (the logged-in
    # user, the CSRF token, the database session). An empty contextvars context has none.
    contextvars.Context().run(server.run)
