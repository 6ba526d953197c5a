"""Owner scope on every route, walked from the app's URL map (issue 10): a scoped admin,
technician and viewer of Borgholm, with Borgholm's, Mörbylånga's and the joint property's
rows present, read only Borgholm's rows (and the joint and unowned sites the rule lets
them place assets at) on every list page and list API, and another owner's row opened by
id or tag answers 404 exactly like a missing one.

Every route of the URL map is classified below: a list checked here, a detail route
checked here, or named as not a list with the reason. A new route that is none of these
fails test_every_route_is_classified, so it cannot be forgotten."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pypdfium2
import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import Session, select

from inventory.domain.roles import Role
from inventory.models import JobRun, User
from inventory.web.access import required_role

from ..conftest import login
from ..factories import Reference
from ..owner_world import World, make_world
from .test_access import routes

MISSING_ID = 2_147_483_000
MISSING_TAG = "IT-999999"


@dataclass(frozen=True)
class ListCheck:
    """A route that lists rows: opened with `query`, it must show every text of `shows`
    and none of the other owners' (World.foreign_texts, plus `hides`)."""

    query: str = ""
    shows: Callable[[World], list[str]] = lambda w: []
    hides: Callable[[World], list[str]] = lambda w: []
    # Not for scoped users at all (403 even where the role would do).
    refused: bool = False
    # Not for scoped users, who are answered as if it did not exist (404).
    hidden: bool = False
    pdf: bool = False
    xlsx: bool = False
    # The form sent, for a list asked for by POST.
    data: dict[str, str] | None = None


def _all_sites(w: World) -> list[str]:
    """Their own owner's, the joint property's and the unowned site."""
    return ["Slottsskolan", "Serverhall Borgholm", w.unowned_site.name]


# "METHOD /rule" (ids written <name>) -> how its list is checked.
_SINCE_2024 = "?from=2024-01-01&to=2026-11-23"

LISTS: dict[str, ListCheck] = {
    # The start page (technicians, admins) or the dashboard (readers): none of the other
    # owners' stocktakes or assets; tests/web/test_home.py checks what the start page shows.
    "GET /": ListCheck(),
    "GET /dashboard": ListCheck(shows=lambda w: ['data-owner="borgholm"']),
    "GET /assets/": ListCheck(shows=lambda w: [w.mine.tag, w.mine_pool.tag]),
    "GET /api/v1/assets": ListCheck(query="?per_page=200", shows=lambda w: [w.mine.tag]),
    "GET /reuse": ListCheck(shows=lambda w: [w.mine_pool.tag]),
    "GET /reuse/assessments.csv": ListCheck(shows=lambda w: [w.mine_pool.tag]),
    "GET /stocktakes/": ListCheck(shows=lambda w: [w.mine_stocktake.title]),
    "GET /labels.pdf": ListCheck(query="?selection=list", shows=lambda w: [w.mine.tag], pdf=True),
    # Forms whose menus list owners, units and places.
    "GET /assets/new": ListCheck(shows=lambda w: [w.ref.unit_borgholm.name, *_all_sites(w)]),
    "GET /admin/sites": ListCheck(shows=_all_sites),
    "GET /admin/sites/new": ListCheck(shows=lambda w: [w.ref.borgholm.name]),
    "GET /admin/locations": ListCheck(shows=lambda w: ["A12", "Serverhall", w.unowned_room.room]),
    "GET /admin/locations/new": ListCheck(shows=_all_sites),
    "GET /admin/units": ListCheck(shows=lambda w: [w.ref.unit_borgholm.name]),
    "GET /admin/units/new": ListCheck(shows=lambda w: [w.ref.borgholm.name]),
    "GET /admin/users": ListCheck(
        shows=lambda w: [u.email for u in w.scoped_users],
        # Unscoped users are not a scoped admin's to see either.
        hides=lambda w: [w.ref.admin.email, w.ref.technician.email, w.ref.viewer.email],
    ),
    "GET /admin/users/new": ListCheck(shows=lambda w: [w.ref.borgholm.name]),
    # What the register holds about a person: Mörbylånga's holder (asked in lower case, so
    # that the echoed question is not itself the name) is not found by Borgholm's admin.
    "POST /admin/personal-data": ListCheck(data={"q": "maja mörby"}),
    "POST /admin/personal-data.csv": ListCheck(data={"q": "maja mörby"}),
    "POST /admin/personal-data.xlsx": ListCheck(data={"q": "maja mörby"}, xlsx=True),
    # Jobs run over the whole register: their runs are the register's figures.
    "GET /admin/jobs": ListCheck(refused=True, hides=lambda w: ["4711"]),
    # The audit log is both owners' events: an admin for all owners only (test_audit_page).
    "GET /admin/audit": ListCheck(refused=True),
    "GET /admin/audit.csv": ListCheck(refused=True),
    # The cost key divides both municipalities' costs and the joint property (§13, §20).
    "GET /admin/cost-keys": ListCheck(refused=True),
    "GET /admin/capitalisation": ListCheck(refused=True),
    # The §20 split is both sides' figures: for unscoped users only (services/partnership.py).
    "GET /api/v1/reports/partnership-split": ListCheck(hidden=True),
    # Its proposal page and exports (tests/web/test_partnership_pages.py).
    "GET /partnership/split": ListCheck(hidden=True),
    "GET /partnership/split.xlsx": ListCheck(hidden=True),
    "GET /partnership/split.pdf": ListCheck(hidden=True),
    # The refresh plan: the user's owner's devices only (a Borgholm pc bought 2024-08-15 is
    # due in Q3 2029), neither Mörbylånga's nor the joint property's.
    "GET /reports/refresh-plan": ListCheck(shows=lambda w: [w.ref.borgholm.name]),
    "GET /reports/refresh-plan.csv": ListCheck(shows=lambda w: [w.ref.borgholm.name]),
    "GET /reports/refresh-plan.xlsx": ListCheck(shows=lambda w: [w.ref.borgholm.name], xlsx=True),
    "GET /api/v1/reports/refresh-plan": ListCheck(
        shows=lambda w: ['"borgholm"'], hides=lambda w: ['"morbylanga"', '"joint"']
    ),
    "GET /reports/": ListCheck(),
    # The fleet counted by the owner of the day (asset_span): the other owners' names and
    # slugs nowhere.
    "GET /reports/sustainability": ListCheck(shows=lambda w: [w.ref.borgholm.name]),
    "GET /reports/sustainability.csv": ListCheck(shows=lambda w: [w.ref.borgholm.name]),
    "GET /reports/sustainability.xlsx": ListCheck(shows=lambda w: [w.ref.borgholm.name], xlsx=True),
    "GET /reports/sustainability.pdf": ListCheck(pdf=True),
    "GET /api/v1/reports/sustainability": ListCheck(
        shows=lambda w: ['"borgholm"'], hides=lambda w: ['"morbylanga"', '"joint"']
    ),
    # Finance on the day's owner (asset_span): the other owners' names and slugs nowhere.
    "GET /reports/book-value": ListCheck(shows=lambda w: [w.ref.borgholm.name]),
    "GET /reports/book-value.csv": ListCheck(shows=lambda w: [w.ref.borgholm.name]),
    "GET /reports/book-value.xlsx": ListCheck(shows=lambda w: [w.ref.borgholm.name], xlsx=True),
    "GET /api/v1/reports/book-value": ListCheck(
        shows=lambda w: ['"borgholm"'], hides=lambda w: ['"morbylanga"', '"joint"']
    ),
    "GET /reports/stock-value": ListCheck(),
    "GET /reports/stock-value.csv": ListCheck(),
    "GET /reports/stock-value.xlsx": ListCheck(xlsx=True),
    "GET /api/v1/reports/stock-value": ListCheck(hides=lambda w: ['"morbylanga"', '"joint"']),
    # The ledger since the world's devices were bought: the other owners nowhere.
    "GET /reports/ledger": ListCheck(query=_SINCE_2024, shows=lambda w: [w.ref.borgholm.name]),
    "GET /reports/ledger.csv": ListCheck(query=_SINCE_2024),
    "GET /reports/ledger.xlsx": ListCheck(query=_SINCE_2024, xlsx=True),
    "GET /api/v1/reports/ledger": ListCheck(
        query=_SINCE_2024,
        shows=lambda w: ['"borgholm"'],
        hides=lambda w: ['"morbylanga"', '"joint"'],
    ),
    # The invoicing basis of the world's devices' quarter: the other owners nowhere.
    "GET /reports/service-objects": ListCheck(query="?year=2026&quarter=3"),
    "GET /reports/service-objects.csv": ListCheck(query="?year=2026&quarter=3"),
    "GET /reports/service-objects.xlsx": ListCheck(query="?year=2026&quarter=3", xlsx=True),
    "GET /api/v1/reports/service-objects": ListCheck(
        query="?year=2026&quarter=3", hides=lambda w: ['"morbylanga"', '"joint"']
    ),
    # Counts the user's own devices only (the selection's count).
    "GET /assets/service-object": ListCheck(),
    # The list's selection as a file (issue 15), and the imports: a scoped user's own only.
    "GET /assets/export.csv": ListCheck(shows=lambda w: [w.mine.tag]),
    "GET /assets/export.xlsx": ListCheck(shows=lambda w: [w.mine.tag], xlsx=True),
    "GET /imports": ListCheck(),
    # The API's reference data within the owner scope, and a user's own tokens.
    "GET /api/v1/sites": ListCheck(shows=lambda w: ["Slottsskolan"]),
    "GET /api/v1/locations": ListCheck(shows=lambda w: ["A12"]),
    "GET /api/v1/business-units": ListCheck(shows=lambda w: [w.ref.unit_borgholm.name]),
    "GET /api/v1/owners": ListCheck(shows=lambda w: ["borgholm"]),
    "GET /api/v1/tokens": ListCheck(),
    "GET /account/tokens": ListCheck(),
    "GET /admin/service-objects": ListCheck(),
    "GET /reports/refresh-plan/devices": ListCheck(
        query="?owner=borgholm&category=pc&year=2029&quarter=3", shows=lambda w: [w.mine.tag]
    ),
    "GET /reports/refresh-plan/devices.csv": ListCheck(
        query="?owner=borgholm&category=pc&year=2029&quarter=3", shows=lambda w: [w.mine.tag]
    ),
    # Owners' leaving dates and handovers concern both municipalities: an admin for all.
    "GET /admin/owners": ListCheck(refused=True),
    # Shared by every owner: the same rows for all, still free of other owners' rows.
    "GET /admin/categories": ListCheck(shows=lambda w: [w.ref.pc.name]),
    "GET /admin/models": ListCheck(shows=lambda w: [w.ref.latitude.name]),
    "GET /api/v1/categories": ListCheck(shows=lambda w: [w.ref.pc.slug]),
}


@dataclass(frozen=True)
class DetailCheck:
    """A route that opens one row by id or tag: another owner's row must answer 404."""

    foreign: Callable[[World], list[str]]  # the other owners' rows' ids (or tags)
    missing: str = str(MISSING_ID)
    data: dict[str, str] = field(default_factory=dict)
    # For a route of two parameters: the URL of a value (by default the rule with its one
    # parameter set to it).
    url: Callable[[str], str] | None = None

    def address(self, rule: str, value: str) -> str:
        return self.url(value) if self.url else url_of(rule, value)


def _their_tags(w: World) -> list[str]:
    return [w.theirs.tag, w.joint_asset.tag]


def _their_stocktakes(w: World) -> list[str]:
    return [str(w.theirs_stocktake.id), str(w.unscoped_stocktake.id)]


_BY_TAG = DetailCheck(foreign=_their_tags, missing=MISSING_TAG)


def _their_files(w: World) -> list[str]:
    """Their files under their assets' tags, and under one of the user's own assets' tags
    (a file is found only under its own asset's)."""
    return [
        f"{w.theirs_pool.tag}|{w.theirs_file.id}",
        f"{w.joint_asset.tag}|{w.joint_file.id}",
        f"{w.mine_pool.tag}|{w.theirs_file.id}",
        f"{w.theirs_pool.tag}|{w.mine_file.id}",
    ]


def _file_url(value: str) -> str:
    tag, file_id = value.split("|")
    return f"/assets/{tag}/files/{file_id}"


_THEIR_IMPORTS = DetailCheck(foreign=lambda w: [str(w.theirs_import.id)])

DETAILS: dict[str, DetailCheck] = {
    "GET /imports/<run_id>": _THEIR_IMPORTS,
    "PATCH /api/v1/assets/<tag>": _BY_TAG,
    "GET /api/v1/assets/<tag>/history": _BY_TAG,
    "POST /api/v1/assets/<tag>/transitions": _BY_TAG,
    "POST /api/v1/assets/<tag>/actions/<action>": _BY_TAG,
    "GET /imports/<run_id>/rows.csv": _THEIR_IMPORTS,
    "POST /imports/<run_id>/confirm": _THEIR_IMPORTS,
    "GET /assets/<tag>": _BY_TAG,
    "GET /api/v1/assets/<tag>": _BY_TAG,
    "GET /assets/<tag>/edit": _BY_TAG,
    "POST /assets/<tag>/edit": _BY_TAG,
    "POST /assets/<tag>/status": DetailCheck(
        foreign=_their_tags, missing=MISSING_TAG, data={"target": "in_repair", "confirmed": "1"}
    ),
    "GET /assets/<tag>/assess": _BY_TAG,
    "POST /assets/<tag>/assess": _BY_TAG,
    "GET /assets/<tag>/do/<action>": _BY_TAG,
    "POST /assets/<tag>/do/<action>": _BY_TAG,
    "GET /assets/<tag>/qr.svg": _BY_TAG,
    "GET /assets/<tag>/qr.png": _BY_TAG,
    # Evidence files of the reuse routine (tests/web/test_attachments.py).
    "POST /assets/<tag>/files": _BY_TAG,
    "GET /assets/<tag>/files/<file_id>": DetailCheck(
        foreign=_their_files, missing=f"{MISSING_TAG}|{MISSING_ID}", url=_file_url
    ),
    "GET /admin/sites/<item_id>": DetailCheck(foreign=lambda w: [str(w.morbylanga_site.id)]),
    "POST /admin/sites/<item_id>": DetailCheck(
        foreign=lambda w: [str(w.morbylanga_site.id)], data={"name": "Stulen", "owner_id": ""}
    ),
    "GET /admin/locations/<item_id>": DetailCheck(foreign=lambda w: [str(w.morbylanga_room.id)]),
    "POST /admin/locations/<item_id>": DetailCheck(foreign=lambda w: [str(w.morbylanga_room.id)]),
    "GET /admin/units/<item_id>": DetailCheck(foreign=lambda w: [str(w.ref.unit_morbylanga.id)]),
    "POST /admin/units/<item_id>": DetailCheck(
        foreign=lambda w: [str(w.ref.unit_morbylanga.id)],
        data={"owner_id": "1", "name": "Stulen"},
    ),
    "GET /admin/users/<item_id>": DetailCheck(
        foreign=lambda w: [str(w.ref.viewer_morbylanga.id), str(w.ref.admin.id)]
    ),
    "POST /admin/users/<item_id>": DetailCheck(
        foreign=lambda w: [str(w.ref.viewer_morbylanga.id), str(w.ref.admin.id)],
        data={"role": "admin", "owner_id": "", "active": "y", "password": "taken-over-123"},
    ),
    "GET /stocktakes/<stocktake_id>": DetailCheck(foreign=_their_stocktakes),
    "GET /stocktakes/<stocktake_id>.csv": DetailCheck(foreign=_their_stocktakes),
    "POST /stocktakes/<stocktake_id>/scan": DetailCheck(
        foreign=_their_stocktakes, data={"code": "IT-000001"}
    ),
    # The phone's JSON scans: refused as missing before their body is read (and with JSON
    # bodies in tests/web/test_offline_scans.py).
    "POST /stocktakes/<stocktake_id>/scans": DetailCheck(
        foreign=_their_stocktakes, data={"code": "IT-000001"}
    ),
    "POST /stocktakes/<stocktake_id>/close": DetailCheck(foreign=_their_stocktakes),
    "POST /stocktakes/<stocktake_id>/move-misplaced": DetailCheck(foreign=_their_stocktakes),
}

# Routes that list no owner's rows, and why.
NOT_A_LIST: dict[str, str] = {
    "GET /login": "the login form",
    "GET /admin/personal-data": "the empty lookup form (POST lists)",
    "GET /healthz": "the process is up: no data (test_health)",
    "GET /readyz": "ready for traffic: checks' answers, no data (test_health)",
    "POST /login": "logging in",
    "POST /logout": "logging out",
    "GET /lang/<code>": "the language switch",
    "GET /static/<filename>": "static files",
    "GET /bootstrap/static/<filename>": "static files",
    "GET /a/<tag>": "a scanned label: logged in, a redirect to the asset page (checked above)",
    "GET /scan": "the camera page: no rows",
    "GET /stocktakes/sw.js": "the stocktakes' service worker: a script, no rows",
    "GET /admin/": "links to the admin pages (test_the_admin_index_offers_jobs_...)",
    "POST /admin/jobs/<name>/run": "starting a job (test_a_scoped_admin_cannot_start_a_job)",
    "POST /admin/capitalisation": "the prisbasbelopp and the owners' capitalisation rules: an "
    "admin for all owners only",
    "POST /admin/cost-keys": "setting the cost key: an admin for all owners only "
    "(test_a_scoped_admin_can_neither_read_nor_change_the_key)",
    # Changing the §20 split: an admin for all owners only, 404 to anyone scoped
    # (test_a_scoped_user_finds_no_split_at_all).
    "POST /partnership/split/compute": "computing the split: an admin for all owners only",
    "POST /partnership/split/adjust": "moving split items: an admin for all owners only",
    "POST /partnership/split/decide": "applying the split: an admin for all owners only",
    "POST /assets/new": "a write: owner and place checked by services (test_assets)",
    "POST /admin/service-objects": "the service objects: an admin for all owners only "
    "(test_service_objects)",
    "POST /assets/service-object": "a write within the list's scope (test_service_objects)",
    "GET /api/v1/openapi.json": "the API's description",
    "GET /api/v1/docs": "the API's reference page",
    "GET /api/v1/models": "models are shared by every owner",
    "GET /api/v1/manufacturers": "manufacturers are shared by every owner",
    "GET /api/v1/service-objects": "the service objects are the same for every owner",
    "POST /api/v1/assets": "a registration, for the caller's own owner only (tests/api)",
    "POST /api/v1/tokens": "a token of one's own (tests/api/test_tokens_api.py)",
    "DELETE /api/v1/tokens/<token_id>": "one's own token only (tests/api/test_tokens_api.py)",
    "POST /account/tokens": "a token of one's own (tests/web/test_token_page.py)",
    "POST /account/tokens/<token_id>/revoke": "one's own token only (tests/web/test_token_page.py)",
    "POST /imports": "an upload, each row checked against the uploader's owner "
    "(tests/imports/test_imports.py)",
    "POST /stocktakes/": "a write: place and owner within scope (test_stocktakes)",
    "POST /admin/sites/new": "a write of shared data: an admin for all owners only",
    "POST /admin/locations/new": "a write of shared data: an admin for all owners only",
    "POST /admin/models/new": "a write of shared data: an admin for all owners only",
    "GET /admin/models/new": "a form of shared data: categories only, shared by every owner",
    "POST /admin/units/new": "a write: the owner must be the admin's own (test_scoped_admin)",
    "POST /admin/users/new": "a write: the owner must be the admin's own (test_scoped_admin)",
    "GET /admin/categories/<item_id>": "shared reference data, the same for every owner",
    "POST /admin/categories/<item_id>": "shared reference data: an admin for all owners only",
    "GET /admin/models/<item_id>": "shared reference data, the same for every owner",
    # A departing owner's handover and its exports: an admin for all owners only, 403 to
    # anyone scoped (tests/web/test_handover_pages.py).
    "GET /admin/owners/<owner_id>": "an owner's leaving date: an admin for all owners only",
    "POST /admin/owners/<owner_id>": "an owner's leaving date: an admin for all owners only",
    "GET /admin/owners/<owner_id>/handover": "the handover page: an admin for all owners only",
    "POST /admin/owners/<owner_id>/handover": "handing over: an admin for all owners only",
    "GET /admin/owners/<owner_id>/handover.xlsx": "the export: an admin for all owners only",
    "GET /admin/owners/<owner_id>/handover.json": "the export: an admin for all owners only",
    "GET /admin/owners/<owner_id>/handover-snipeit.csv": "the export: an admin for all owners",
    "GET /admin/owners/<owner_id>/handover-files.zip": "the export: an admin for all owners only",
    "POST /admin/models/<item_id>": "shared reference data: an admin for all owners only",
    "POST /reports/refresh-plan/adopt": "the lifespans are both owners' rule: an admin for all",
}


def route_key(method: str, rule: str) -> str:
    """'GET /admin/sites/<item_id>': the rule with its converters left out."""
    return f"{method} " + re.sub(r"<(?:[^>:]*:)?(\w+)>", r"<\1>", re.sub(r"\([^)]*\)", "", rule))


def url_of(rule: str, value: str) -> str:
    """The rule with its one row parameter set to `value`."""
    url = rule.replace("<action>", "seen")
    return re.sub(r"<[^>]+>", value, url)


@pytest.fixture
def world(session: Session, ref: Reference) -> World:
    return make_world(session, ref)


def role_allows(app: Flask, endpoint: str, user: User) -> bool:
    with app.test_request_context():
        needed = required_role(endpoint)
    return isinstance(needed, Role) and user.role_enum.at_least(needed)


def test_every_route_is_classified(app: Flask) -> None:
    keys = {route_key(method, rule) for _, method, rule in routes(app)}
    unclassified = sorted(keys - LISTS.keys() - DETAILS.keys() - NOT_A_LIST.keys())
    assert unclassified == [], "classify these routes in tests/web/test_owner_scope.py"
    stale = sorted((LISTS.keys() | DETAILS.keys() | NOT_A_LIST.keys()) - keys)
    assert stale == []


def xlsx_text(document: bytes) -> str:
    book = load_workbook(io.BytesIO(document), read_only=True)
    return "\n".join(
        str(value) for ws in book for row in ws.iter_rows(values_only=True) for value in row
    )


def pdf_text(document: bytes) -> str:
    pages = pypdfium2.PdfDocument(document)
    return "\n".join(page.get_textpage().get_text_range() for page in pages)


@pytest.mark.parametrize("who", ["admin_borgholm", "tech_borgholm", "viewer_borgholm"])
def test_a_scoped_user_reads_only_their_owners_rows_on_every_list(
    app: Flask, client: FlaskClient, world: World, who: str
) -> None:
    user = getattr(world, who, None) or getattr(world.ref, who)
    login(client, user.email)
    checked = 0
    for endpoint, method, rule in routes(app):
        check = LISTS.get(route_key(method, rule))
        if check is None:
            continue
        response = client.open(rule + check.query, method=method, data=check.data)
        where = (who, rule)
        if not role_allows(app, endpoint, user) or check.refused:
            assert response.status_code == 403, where
        elif check.hidden:
            assert response.status_code == 404, where
        else:
            assert response.status_code == 200, (where, response.get_data(as_text=True)[:300])
            checked += 1
        ok = response.status_code == 200
        body = (
            pdf_text(response.data)
            if check.pdf and ok
            else xlsx_text(response.data)
            if check.xlsx and ok
            else response.get_data(as_text=True)
        )
        for text in check.shows(world) if response.status_code == 200 else []:
            assert text in body, (where, "missing", text)
        for text in world.foreign_texts + check.hides(world):
            assert text not in body, (where, "leaks", text)
    assert checked >= {"admin_borgholm": 18, "tech_borgholm": 8, "viewer_borgholm": 6}[who]


@pytest.mark.parametrize("who", ["admin_borgholm", "tech_borgholm", "viewer_borgholm"])
def test_another_owners_row_by_id_or_tag_answers_like_a_missing_one(
    app: Flask, client: FlaskClient, world: World, who: str
) -> None:
    user = getattr(world, who, None) or getattr(world.ref, who)
    login(client, user.email)
    checked = 0
    for endpoint, method, rule in routes(app):
        check = DETAILS.get(route_key(method, rule))
        if check is None:
            continue
        allowed = role_allows(app, endpoint, user)
        missing_url = check.address(rule, check.missing)
        missing = client.open(missing_url, method=method, data=check.data)
        for value in check.foreign(world):
            foreign = client.open(check.address(rule, value), method=method, data=check.data)
            where = (who, method, rule, value)
            assert foreign.status_code == (404 if allowed else 403), where
            assert missing.status_code == foreign.status_code, where
            # The page names its own address (the language links): the same but for it.
            same = foreign.get_data(as_text=True).replace(check.address(rule, value), missing_url)
            if not value.isdigit():  # a page about a missing tag repeats the tag typed
                same = same.replace(value, check.missing)
            # Each page's CSRF token is signed when it renders (a second apart, they differ).
            assert _unsigned(same) == _unsigned(missing.get_data(as_text=True)), where
            checked += allowed
    assert checked >= {"admin_borgholm": 30, "tech_borgholm": 18, "viewer_borgholm": 10}[who]


_CSRF_TOKEN = re.compile(r'(<input[^>]*name="csrf_token"[^>]*value=)"[^"]*"')


def _unsigned(page: str) -> str:
    return _CSRF_TOKEN.sub(r'\1""', page)


def test_nothing_of_another_owner_changed_through_the_detail_routes(
    app: Flask, client: FlaskClient, session: Session, world: World
) -> None:
    before = {u.id: (u.role, u.owner_id, u.password_hash) for u in session.exec(select(User))}
    test_another_owners_row_by_id_or_tag_answers_like_a_missing_one(
        app, client, world, "admin_borgholm"
    )
    session.expire_all()
    after = {u.id: (u.role, u.owner_id, u.password_hash) for u in session.exec(select(User))}
    assert after == before
    assert session.get(type(world.theirs_stocktake), world.theirs_stocktake.id).status == "open"  # type: ignore[union-attr]


def test_an_admin_for_all_owners_sees_every_owners_rows(client: FlaskClient, world: World) -> None:
    """The negative of the walk: the texts it looks for are on the pages it walks."""
    login(client, world.ref.admin.email)
    pages = "".join(
        client.get(url).get_data(as_text=True)
        for url in (
            "/assets/",
            "/admin/sites",
            "/admin/locations",
            "/admin/units",
            "/admin/users",
            "/stocktakes/",
            "/reuse",
            "/imports",
        )
    )
    for text in world.foreign_texts:
        if text not in (world.theirs.tag, world.joint_asset.tag, "MB-SECRET-1", "Maja Mörby"):
            assert text in pages, text
    assert world.theirs.tag in pages and world.joint_asset.tag in pages
    assert "4711" in client.get("/admin/jobs").get_data(as_text=True)


def test_the_admin_index_offers_jobs_only_to_an_admin_for_all_owners(
    client: FlaskClient, world: World
) -> None:
    login(client, world.ref.admin_borgholm.email)
    assert "/admin/jobs" not in client.get("/admin/").get_data(as_text=True)
    login(client, world.ref.admin.email)
    assert "/admin/jobs" in client.get("/admin/").get_data(as_text=True)


def test_a_scoped_admin_cannot_start_a_job(
    client: FlaskClient, session: Session, world: World
) -> None:
    login(client, world.ref.admin_borgholm.email)
    response = client.post("/admin/jobs/flag-replacements/run")
    assert response.status_code == 403
    assert "köra jobb" in response.get_data(as_text=True)  # why, in Swedish
    assert len(session.exec(select(JobRun)).all()) == 1  # only the world's own run
