"""The README's promise: the demo login lands on a Swedish dashboard with the plan's fleet."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from inventory.seeding import demo

# Ölands IT-nämnd's 2025 plan: devices in use.
PLAN_2025 = {"switch": 500, "access-point": 900, "phone": 2300, "tablet": 1500, "pc": 1900,
             "chromebook": 2000}  # fmt: skip


def test_the_demo_admin_sees_the_plans_fleet_on_a_swedish_dashboard(
    engine: Engine, client: FlaskClient
) -> None:
    result = demo.seed_demo(engine, assets=None, seed=2025)
    assert result.created
    response = client.post(
        "/login",
        data={"email": demo.DEMO_ADMIN, "password": demo.DEMO_PASSWORD},
        follow_redirects=True,
    )
    # The admin lands on the start page (scan first); the dashboard is one link away.
    assert response.status_code == 200 and 'id="scan-now"' in response.get_data(as_text=True)
    response = client.get("/dashboard")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1 class="h3">Översikt</h1>' in html
    for slug, count in PLAN_2025.items():
        cell = re.search(rf'data-category="{slug}" data-owner="all">([^<]+)<', html)
        assert cell is not None, slug
        assert int(re.sub(r"\D", "", cell.group(1))) == count, slug
    for slug in ("server", "storage", "firewall"):
        cell = re.search(rf'data-category="{slug}" data-owner="all">([^<]+)<', html)
        assert cell is not None and int(re.sub(r"\D", "", cell.group(1))) > 0
    disposed = re.search(r'data-status="disposed">([^<]+)<', html)
    assert disposed is not None and int(re.sub(r"\D", "", disposed.group(1))) > 0
    # The flags are there from the first start, and the page says when they were computed
    # (issue 10: no "zero overdue" until the nightly job has run).
    overdue = re.findall(r'data-flag="overdue"[^>]*>(?:<a [^>]*>)?([^<]+)<', html)
    assert sum(int(re.sub(r"\D", "", n)) for n in overdue) > 0
    computed = re.search(r'data-flags-computed-on="(\d{4}-\d{2}-\d{2})"', html)
    assert computed is not None and "Flaggorna för hela registret beräknades" in html
