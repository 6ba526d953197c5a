"""The deployment files in deploy/ name commands and options the app has: a unit file that
starts a command we renamed would fail only on the municipality's server."""

from __future__ import annotations

import shlex

from flask import Flask

from inventory.config import PROJECT_ROOT

UNIT = PROJECT_ROOT / "deploy" / "inventory.service"


def test_the_systemd_unit_runs_commands_and_options_the_app_has(app: Flask) -> None:
    lines = [line for line in UNIT.read_text().splitlines() if line.startswith("Exec")]
    assert {line.split("=", 1)[0] for line in lines} == {"ExecStartPre", "ExecStart"}
    runner = app.test_cli_runner()
    for line in lines:
        words = shlex.split(line.split("=", 1)[1])
        assert words[0].endswith("/.venv/bin/inventory")
        commands = [w for w in words[1:] if not w.startswith("-")][:2]
        if commands[-1].isdigit() or "." in commands[-1]:
            commands = commands[:1]
        helped = runner.invoke(args=[*commands, "--help"])
        assert helped.exit_code == 0, (line, helped.output)
        for option in (w for w in words if w.startswith("--")):
            assert option in helped.output, (line, option)


def test_the_nginx_site_forwards_what_the_app_believes() -> None:
    site = (PROJECT_ROOT / "deploy" / "nginx-inventory.conf").read_text()
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Request-ID"):
        assert f"proxy_set_header {header}" in site, header
    assert "proxy_pass http://inventory_app;" in site and "server 127.0.0.1:8000;" in site
