"""Singular and plural right, in Swedish and English: one of a thing is not "1 tillgångar"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlmodel import Session

from inventory.web import i18n, job_words

from ..conftest import login
from ..factories import Reference, make_asset


@contextmanager
def speaking(app: Flask, language: str) -> Iterator[None]:
    """A request in `language`: the catalogue is looked up once per request (web/i18n.py)."""
    with app.test_request_context("/"), force_locale(language):
        yield


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("sv", "1 aktiv tillgång i registret.", "2 aktiva tillgångar i registret."),
        ("en", "1 active asset in the register.", "2 active assets in the register."),
    ],
)
def test_the_dashboard_counts_one_asset_and_two_assets(
    client: FlaskClient, session: Session, ref: Reference, language: str, one: str, two: str
) -> None:
    make_asset(session, ref)
    login(client, ref.viewer.email)
    client.get(f"/lang/{language}")
    assert one in client.get("/").get_data(as_text=True)
    make_asset(session, ref)
    page = client.get("/").get_data(as_text=True)
    assert two in page and one not in page


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        (
            "sv",
            "1 tillgång kontrollerad · 1 e-postmeddelande skickat · 1 kopia sparad",
            "2 tillgångar kontrollerade · 2 e-postmeddelanden skickade · 2 kopior sparade",
        ),
        (
            "en",
            "1 asset checked · 1 e-mail sent · 1 copy kept",
            "2 assets checked · 2 e-mails sent · 2 copies kept",
        ),
    ],
)
def test_a_job_runs_counts_take_the_number_of_their_nouns(
    app: Flask, language: str, one: str, two: str
) -> None:
    with speaking(app, language):
        assert job_words.counts_text(json.dumps({"assets": 1, "mails": 1, "kept": 1})) == one
        assert job_words.counts_text(json.dumps({"assets": 2, "mails": 2, "kept": 2})) == two


# The messages with a count that the views flash (web/stocktakes.py, web/auth.py,
# web/owners.py), as they call them.
FLASHED = {
    "moved here": ("%(num)s item registered here.", "%(num)s items registered here."),
    "throttled": (
        "Too many failed logins. Try again in %(num)s second.",
        "Too many failed logins. Try again in %(num)s seconds.",
    ),
    "deactivated": ("%(num)s user deactivated", "%(num)s users deactivated"),
}


@pytest.mark.parametrize(
    ("language", "message", "one", "two"),
    [
        ("sv", "moved here", "1 enhet registrerad här.", "2 enheter registrerade här."),
        ("en", "moved here", "1 item registered here.", "2 items registered here."),
        ("sv", "throttled", "Försök igen om 1 sekund.", "Försök igen om 2 sekunder."),
        ("en", "throttled", "Try again in 1 second.", "Try again in 2 seconds."),
        ("sv", "deactivated", "1 användare inaktiverad", "2 användare inaktiverade"),
        ("en", "deactivated", "1 user deactivated", "2 users deactivated"),
    ],
)
def test_flashed_counts_take_the_number_of_their_nouns(
    app: Flask, language: str, message: str, one: str, two: str
) -> None:
    singular, plural = FLASHED[message]
    with speaking(app, language):
        assert i18n.ngettext(singular, plural, 1).endswith(one)
        assert i18n.ngettext(singular, plural, 2).endswith(two)


def test_a_stocktake_that_moves_one_item_says_one(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    from inventory.services import stocktakes

    from ..factories import NOW, TODAY

    stray = make_asset(session, ref, location_id=ref.server_hall.id)
    count = stocktakes.start(session, actor=ref.technician, location_id=ref.school.id, now=NOW)
    stocktakes.record_scan(
        session, actor=ref.technician, stocktake=count, code=stray.tag, base_url="", now=NOW
    )
    stocktakes.close(session, actor=ref.technician, stocktake=count, today=TODAY, now=NOW)
    login(client, ref.technician.email)
    page = client.post(f"/stocktakes/{count.id}/move-misplaced", follow_redirects=True)
    assert "1 enhet registrerad här." in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("sv", "1 skannad · 1 registrerad här", "0 skannade · 2 registrerade här"),
        ("en", "1 scanned · 1 registered here", "0 scanned · 2 registered here"),
    ],
)
def test_a_stocktakes_progress_says_one_and_many_right(
    app: Flask, language: str, one: str, many: str
) -> None:
    from inventory.services.stocktakes import Progress
    from inventory.web.stocktakes import progress_text

    with speaking(app, language):
        assert progress_text(Progress(scanned=1, expected=1, recent=[])) == one
        assert progress_text(Progress(scanned=0, expected=2, recent=[])) == many
