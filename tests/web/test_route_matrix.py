"""Every route of the app's URL map, pages and API, with each of its methods, asked by each
kind of user: anonymous, a viewer, technician and admin for all owners, and a viewer,
technician and admin limited to one owner. The table below says who may use each route; a
route it does not name fails the test, so none is forgotten. Each answer must be what the
table allows, and no answer a server error. Rows are named by ids and tags that do not exist,
so that the answers are the role gate's alone; which rows each scoped user sees is
test_owner_scope's part.

"admin for all owners": an admin limited to one owner is refused (403) as well."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from inventory.domain.roles import Role
from inventory.web.access import required_role

from ..conftest import login
from ..factories import Reference
from .test_access import fill, routes

MISSING_ID = "2147483000"
MISSING_TAG = "IT-999999"
ALL_OWNERS = "admin for all owners"

WHO_MAY: dict[str, str] = {
    "DELETE /api/v1/tokens/<token_id>": "viewer",
    "GET /": "viewer",
    "GET /a/<tag>": "public",
    "GET /account/tokens": "viewer",
    "GET /admin/": "admin",
    "GET /admin/audit": "admin for all owners",
    "GET /admin/audit.csv": "admin for all owners",
    "GET /admin/capitalisation": "admin for all owners",
    "GET /admin/categories": "admin",
    "GET /admin/categories/<item_id>": "admin",
    "GET /admin/cost-keys": "admin for all owners",
    "GET /admin/jobs": "admin for all owners",
    "GET /admin/locations": "admin",
    "GET /admin/locations/<item_id>": "admin",
    "GET /admin/locations/new": "admin",
    "GET /admin/models": "admin",
    "GET /admin/models/<item_id>": "admin",
    "GET /admin/models/new": "admin",
    "GET /admin/owners": "admin for all owners",
    "GET /admin/owners/<owner_id>": "admin for all owners",
    "GET /admin/owners/<owner_id>/handover": "admin for all owners",
    "GET /admin/owners/<owner_id>/handover-files.zip": "admin for all owners",
    "GET /admin/owners/<owner_id>/handover-snipeit.csv": "admin for all owners",
    "GET /admin/owners/<owner_id>/handover.json": "admin for all owners",
    "GET /admin/owners/<owner_id>/handover.xlsx": "admin for all owners",
    "GET /admin/personal-data": "admin",
    "POST /admin/personal-data": "admin",
    "POST /admin/personal-data.csv": "admin",
    "POST /admin/personal-data.xlsx": "admin",
    "GET /admin/service-objects": "admin",
    "GET /admin/sites": "admin",
    "GET /admin/sites/<item_id>": "admin",
    "GET /admin/sites/new": "admin",
    "GET /admin/units": "admin",
    "GET /admin/units/<item_id>": "admin",
    "GET /admin/units/new": "admin",
    "GET /admin/users": "admin",
    "GET /admin/users/<item_id>": "admin",
    "GET /admin/users/new": "admin",
    "GET /api/v1/assets": "viewer",
    "GET /api/v1/assets/<tag>": "viewer",
    "GET /api/v1/assets/<tag>/history": "viewer",
    "GET /api/v1/business-units": "viewer",
    "GET /api/v1/categories": "viewer",
    "GET /api/v1/docs": "viewer",
    "GET /api/v1/locations": "viewer",
    "GET /api/v1/manufacturers": "viewer",
    "GET /api/v1/models": "viewer",
    "GET /api/v1/openapi.json": "viewer",
    "GET /api/v1/owners": "viewer",
    "GET /api/v1/reports/book-value": "viewer",
    "GET /api/v1/reports/ledger": "viewer",
    "GET /api/v1/reports/partnership-split": "viewer",
    "GET /api/v1/reports/refresh-plan": "viewer",
    "GET /api/v1/reports/service-objects": "viewer",
    "GET /api/v1/reports/stock-value": "viewer",
    "GET /api/v1/reports/sustainability": "viewer",
    "GET /api/v1/service-objects": "viewer",
    "GET /api/v1/sites": "viewer",
    "GET /api/v1/tokens": "viewer",
    "GET /assets/": "viewer",
    "GET /assets/<tag>": "viewer",
    "GET /assets/<tag>/assess": "technician",
    "GET /assets/<tag>/do/<action>": "technician",
    "GET /assets/<tag>/edit": "technician",
    "GET /assets/<tag>/files/<file_id>": "viewer",
    "GET /assets/<tag>/qr.png": "viewer",
    "GET /assets/<tag>/qr.svg": "viewer",
    "GET /assets/export.csv": "viewer",
    "GET /assets/export.xlsx": "viewer",
    "GET /assets/new": "technician",
    "GET /assets/service-object": "technician",
    "GET /bootstrap/static/<filename>": "public",
    "GET /dashboard": "viewer",
    "GET /healthz": "public",
    "GET /imports": "technician",
    "GET /imports/<run_id>": "technician",
    "GET /imports/<run_id>/rows.csv": "technician",
    "GET /labels.pdf": "technician",
    "GET /lang/<code>": "public",
    "GET /login": "public",
    "GET /partnership/split": "viewer",
    "GET /partnership/split.pdf": "viewer",
    "GET /partnership/split.xlsx": "viewer",
    "GET /readyz": "public",
    "GET /reports/": "viewer",
    "GET /reports/book-value": "viewer",
    "GET /reports/book-value.csv": "viewer",
    "GET /reports/book-value.xlsx": "viewer",
    "GET /reports/ledger": "viewer",
    "GET /reports/ledger.csv": "viewer",
    "GET /reports/ledger.xlsx": "viewer",
    "GET /reports/refresh-plan": "viewer",
    "GET /reports/refresh-plan.csv": "viewer",
    "GET /reports/refresh-plan.xlsx": "viewer",
    "GET /reports/refresh-plan/devices": "viewer",
    "GET /reports/refresh-plan/devices.csv": "viewer",
    "GET /reports/service-objects": "viewer",
    "GET /reports/service-objects.csv": "viewer",
    "GET /reports/service-objects.xlsx": "viewer",
    "GET /reports/stock-value": "viewer",
    "GET /reports/stock-value.csv": "viewer",
    "GET /reports/stock-value.xlsx": "viewer",
    "GET /reports/sustainability": "viewer",
    "GET /reports/sustainability.csv": "viewer",
    "GET /reports/sustainability.pdf": "viewer",
    "GET /reports/sustainability.xlsx": "viewer",
    "GET /reuse": "viewer",
    "GET /reuse/assessments.csv": "viewer",
    "GET /scan": "viewer",
    "GET /static/<filename>": "public",
    "GET /stocktakes/": "viewer",
    "GET /stocktakes/<stocktake_id>": "viewer",
    "GET /stocktakes/<stocktake_id>.csv": "viewer",
    "GET /stocktakes/sw.js": "public",
    "PATCH /api/v1/assets/<tag>": "technician",
    "POST /account/tokens": "viewer",
    "POST /account/tokens/<token_id>/revoke": "viewer",
    "POST /admin/capitalisation": "admin for all owners",
    "POST /admin/categories/<item_id>": "admin",
    "POST /admin/cost-keys": "admin for all owners",
    "POST /admin/jobs/<name>/run": "admin for all owners",
    "POST /admin/locations/<item_id>": "admin",
    "POST /admin/locations/new": "admin",
    "POST /admin/models/<item_id>": "admin",
    "POST /admin/models/new": "admin",
    "POST /admin/owners/<owner_id>": "admin for all owners",
    "POST /admin/owners/<owner_id>/handover": "admin for all owners",
    "POST /admin/service-objects": "admin for all owners",
    "POST /admin/sites/<item_id>": "admin",
    "POST /admin/sites/new": "admin",
    "POST /admin/units/<item_id>": "admin",
    "POST /admin/units/new": "admin",
    "POST /admin/users/<item_id>": "admin",
    "POST /admin/users/new": "admin",
    "POST /api/v1/assets": "technician",
    "POST /api/v1/assets/<tag>/actions/<action>": "technician",
    "POST /api/v1/assets/<tag>/transitions": "technician",
    "POST /api/v1/tokens": "viewer",
    "POST /assets/<tag>/assess": "technician",
    "POST /assets/<tag>/do/<action>": "technician",
    "POST /assets/<tag>/edit": "technician",
    "POST /assets/<tag>/files": "technician",
    "POST /assets/<tag>/status": "technician",
    "POST /assets/new": "technician",
    "POST /assets/service-object": "technician",
    "POST /imports": "technician",
    "POST /imports/<run_id>/confirm": "technician",
    "POST /login": "public",
    "POST /logout": "public",
    "POST /partnership/split/adjust": "admin",
    "POST /partnership/split/compute": "admin",
    "POST /partnership/split/decide": "admin",
    "POST /reports/refresh-plan/adopt": "admin",
    "POST /stocktakes/": "technician",
    "POST /stocktakes/<stocktake_id>/close": "technician",
    "POST /stocktakes/<stocktake_id>/move-misplaced": "technician",
    "POST /stocktakes/<stocktake_id>/scan": "technician",
    "POST /stocktakes/<stocktake_id>/scans": "technician",
}

PERSONAS = {
    "anonymous": None,
    "viewer": "viewer",
    "scoped viewer": "viewer_morbylanga",
    "technician": "technician",
    "scoped technician": "tech_borgholm",
    "admin": "admin",
    "scoped admin": "admin_borgholm",
}


def route_key(method: str, rule: str) -> str:
    return f"{method} " + re.sub(r"<(?:[^>:]*:)?(\w+)>", r"<\1>", rule)


def url_for_rule(rule: str) -> str:
    """Every row parameter a row that does not exist."""
    return re.sub(r"<[^>]+>", "x", fill(rule, MISSING_TAG, {"item": int(MISSING_ID)}))


def test_the_table_names_every_route_and_its_role_is_the_route_s_own(app: Flask) -> None:
    keys = {route_key(method, rule): endpoint for endpoint, method, rule in routes(app)}
    assert sorted(keys.keys() - WHO_MAY.keys()) == [], "name these routes in WHO_MAY"
    assert sorted(WHO_MAY.keys() - keys.keys()) == [], "these routes are gone"
    with app.test_request_context():
        for key, endpoint in keys.items():
            role = required_role(endpoint)
            declared = "public" if role is None else role.value if isinstance(role, Role) else "?"
            expected = "admin" if WHO_MAY[key] == ALL_OWNERS else WHO_MAY[key]
            assert declared == expected, key


def _allowed(who: str, user_role: Role | None, needed: str) -> bool:
    if needed == "public":
        return True
    if user_role is None:
        return False
    if needed == ALL_OWNERS:
        return user_role is Role.ADMIN and not who.startswith("scoped")
    return user_role.at_least(Role(needed))


@pytest.mark.parametrize("who", list(PERSONAS))
def test_each_kind_of_user_gets_what_the_table_allows_and_never_a_server_error(
    app: Flask, client: FlaskClient, ref: Reference, who: str
) -> None:
    attribute = PERSONAS[who]
    user = getattr(ref, attribute) if attribute else None
    if user is not None:
        login(client, user.email)
    answered = 0
    for _, method, rule in routes(app):
        key = route_key(method, rule)
        needed = WHO_MAY[key]
        response = client.open(url_for_rule(rule), method=method, data={})
        status, where = response.status_code, (who, key, response.status_code)
        assert status < 500, where
        if _allowed(who, user.role_enum if user else None, needed):
            assert status not in (401, 403), where
        elif user is None:
            if rule.startswith("/api/"):
                assert status == 401, where
            else:
                assert status == 302 and "/login?next=" in response.headers["Location"], where
        else:
            assert status == 403, where
        answered += 1
        if key == "POST /logout" and user is not None:
            login(client, user.email)  # the walk goes on logged in
    assert answered == len(WHO_MAY)
