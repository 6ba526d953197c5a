"""An error we cause: logged as one JSON line naming its request, and answered with a page
(or the API's JSON) that shows the request's id and nothing of the internals."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from flask import Flask

from inventory import create_app, logs
from inventory.config import Settings
from inventory.web.access import public

from ..conftest import TEST_SECRET


def _breaking_app(database_url: str, tmp_path: Path) -> Flask:
    """The app as it runs in production (not testing: errors are answered, not raised), with
    one route that fails the way a bug would."""
    app = create_app(Settings(database_url=database_url, secret_key=TEST_SECRET,
                              instance_path=tmp_path / "instance"))  # fmt: skip

    @public
    def broken() -> str:
        raise RuntimeError("secret internals: table asset_span column x")

    app.add_url_rule("/broken", "broken", broken)
    app.add_url_rule("/api/v1/broken", "api_broken", broken)
    return app


def test_a_server_error_shows_its_request_id_and_is_logged_as_a_json_line(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = _breaking_app(database_url, tmp_path).test_client()
    with caplog.at_level(logging.ERROR):
        page = client.get("/broken")
    assert page.status_code == 500
    rid = page.headers[logs.HEADER]
    html = page.get_data(as_text=True)
    assert f"Felnummer för IT: {rid}" in html
    assert "secret internals" not in html and "RuntimeError" not in html
    record = next(r for r in caplog.records if r.levelno >= logging.ERROR)
    line = json.loads(logs.JsonLines().format(record))
    assert line["request_id"] == rid and line["path"] == "/broken" and line["method"] == "GET"
    assert "RuntimeError: secret internals" in line["error"]

    api = client.get("/api/v1/broken", headers={logs.HEADER: "from-the-proxy-123"})
    assert api.status_code == 500 and api.headers[logs.HEADER] == "from-the-proxy-123"
    body = api.get_json()["error"]
    assert body["request_id"] == "from-the-proxy-123" and "secret" not in json.dumps(body)


def test_every_answer_names_its_request_and_a_bad_given_id_is_replaced(
    database_url: str, tmp_path: Path
) -> None:
    client = _breaking_app(database_url, tmp_path).test_client()
    first, second = client.get("/login"), client.get("/login")
    assert first.headers[logs.HEADER] != second.headers[logs.HEADER]
    odd = client.get("/login", headers={logs.HEADER: "<script>"})
    assert odd.headers[logs.HEADER] != "<script>" and len(odd.headers[logs.HEADER]) == 16
