"""The `inventory` command line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session, select

from inventory.models import ApiToken, User
from inventory.services import users

from .factories import Reference


def test_users_create_reads_the_password_from_stdin(
    app: Flask, session: Session, ref: Reference
) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "Ny.Tekniker@Borgholm.se",
            "--role",
            "technician",
            "--owner",
            "borgholm",
            "--password-stdin",
        ],
        input="a-long-enough-password\n",
    )
    assert result.exit_code == 0, result.output
    user = session.exec(select(User).where(User.email == "ny.tekniker@borgholm.se")).one()
    assert user.role == "technician" and user.owner_id == ref.borgholm.id
    assert "a-long-enough-password" not in user.password_hash
    assert users.authenticate(
        session, email="ny.tekniker@borgholm.se", password="a-long-enough-password"
    )


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["bad-email", "--role", "viewer"], "a-long-enough-password\n", "email"),
        (["x@y.se", "--role", "viewer"], "short\n", "password"),
        (["x@y.se", "--role", "viewer", "--owner", "kalmar"], "a-long-enough-password\n", "owner"),
        (["admin@test.se", "--role", "viewer"], "a-long-enough-password\n", "email"),
    ],
)
def test_users_create_refuses_bad_input(
    app: Flask, ref: Reference, args: list[str], stdin: str, message: str
) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create", *args, "--password-stdin"], input=stdin
    )
    assert result.exit_code == 2
    assert f"error: {message}" in result.output


def test_tokens_create_prints_the_token_last_and_stores_its_hash(
    app: Flask, session: Session, ref: Reference
) -> None:
    result = app.test_cli_runner().invoke(args=["tokens", "create", ref.viewer.email])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    stored = session.exec(select(ApiToken)).one()
    assert stored.token_hash == users.hash_token(token)
    response = app.test_client().get("/api/v1/assets", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_tokens_create_for_an_unknown_user_fails(app: Flask, ref: Reference) -> None:
    result = app.test_cli_runner().invoke(args=["tokens", "create", "nobody@test.se"])
    assert result.exit_code == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_creates_an_empty_database_and_answers(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "INVENTORY_DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
        "INVENTORY_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    env.pop("INVENTORY_SECRET_KEY", None)
    cli = Path(sys.executable).parent / "inventory"
    proc = subprocess.Popen(
        [str(cli), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/login", timeout=2
                ) as response:
                    assert response.status == 200
                    assert "Logga in" in response.read().decode()
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0]
    assert f"http://127.0.0.1:{port}" in output
    assert (tmp_path / "instance" / "secret_key").exists()
