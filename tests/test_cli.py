"""The `inventory` command line."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
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


class _Browser:
    """A cookie-keeping HTTP client for the served app (loopback only), not following redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base + path, data=body))

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def log_in(self, email: str, password: str) -> int:
        _, page = self.get("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        status, _ = self.post(
            "/login", {"email": email, "password": password, "csrf_token": token.group(1)}
        )
        return status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_serve_keeps_every_request_to_itself(tmp_path: Path) -> None:
    """Under gunicorn, as the README starts it: logins don't leak between visitors, and each
    visitor can log in (a shared app context once made requests share the logged-in user)."""
    port = _free_port()
    env = {
        **os.environ,
        "INVENTORY_DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
        "INVENTORY_INSTANCE_PATH": str(tmp_path / "instance"),
        "HOME": str(tmp_path / "home"),
    }
    env.pop("INVENTORY_SECRET_KEY", None)
    env.pop("XDG_RUNTIME_DIR", None)
    cli = str(Path(sys.executable).parent / "inventory")
    seeded = subprocess.run(  # noqa: PLW1510  (the return code is asserted below)
        [cli, "seed", "demo", "--assets", "30"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert seeded.returncode == 0, seeded.stderr
    proc = subprocess.Popen(
        [cli, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/login", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        admin, viewer, stranger = _Browser(base), _Browser(base), _Browser(base)
        assert admin.log_in("admin@demo.oland.se", "demo-oland-2025") == 302
        assert admin.get("/")[0] == 200
        for _ in range(5):
            status, page = stranger.get("/")
            assert status == 302, "a visitor without a login saw the dashboard"
            assert stranger.get("/api/v1/assets/IT-000001")[0] == 401
            assert "admin@demo.oland.se" not in stranger.get("/login")[1]
        assert viewer.log_in("lasare@demo.oland.se", "demo-oland-2025") == 302
        status, page = viewer.get("/")
        assert status == 200 and "lasare@demo.oland.se" in page
        assert "admin@demo.oland.se" in admin.get("/")[1]
        viewer.get("/lang/en")
        assert "Dashboard" in viewer.get("/")[1] and "Rapporter" in admin.get("/")[1]
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0]
    assert f"Inventory is running at {base}" in output
    assert (tmp_path / "instance" / "secret_key").exists()
    # Nothing written to the home directory: no gunicorn control socket.
    assert "Control socket" not in output and not (tmp_path / "home" / ".gunicorn").exists()
