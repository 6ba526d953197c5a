"""Words a technician understands (issue 12): the pages say what they mean in Swedish (and
English), never the register's internal names — a status or flag value, an owner's slug, a
field's key —, the JSON a job stores or a machine time stamp. Checked on the visible text of
the pages an admin reaches from the dashboard, of a world where something has happened."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, deque
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from inventory.domain.statuses import DisposalKind, Status
from inventory.jobs import run_job
from inventory.models import Asset, JobRun
from inventory.services import assets as asset_service
from inventory.services import stocktakes

from ..conftest import login
from ..factories import NOW, TODAY, Reference, edit_asset, make_asset, record_wipe


class VisibleText(HTMLParser):
    """What a reader sees of a page: its text and the names that assistive technology reads
    out (title, aria-label, alt, placeholder, a button's value) — no tags, no other
    attributes (a hidden input's value, a link's URL and a data-* attribute are not read)."""

    READ_OUT = ("title", "aria-label", "aria-valuetext", "alt", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")
        self.parts += [attributes[a] or "" for a in self.READ_OUT if attributes.get(a)]
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def visible(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    return parser


ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d")
CLOCK_WITH_SECONDS = re.compile(r"\b\d{1,2}:\d\d:\d\d\b")
JSON = re.compile(r"[{\[]\s*\"|\"\s*:\s")
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
EMAIL = re.compile(r"\S+@\S+")
MAC_ADDRESS = re.compile(r"\b(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}\b")
# Internal values that are English words too: wrong on a Swedish page only.
SWEDISH_PAGE_NEVER = re.compile(
    r"\b(ordered|deployed|returned|disposed|recycled|sold|donated|lost|stolen|overdue"
    r"|borgholm|morbylanga|joint|running|failed|ok|backup|digest|flag-replacements)\b"
)
# Owners' slugs, in either language (their names are capitalised: "Borgholms kommun").
SLUGS = re.compile(r"\b(borgholm|morbylanga)\b")
# What a command names as it is typed: allowed as a word of its own.
COMMANDS = {"pg_dump"}


def internal_words(text: str, language: str) -> list[str]:
    text = EMAIL.sub(" ", text)  # the demo's addresses name their owners
    text = MAC_ADDRESS.sub(" ", text)  # "02:0C:69:33:46:1D" is no clock
    found = [m.group(0) for m in ISO_MOMENT.finditer(text)]
    found += [m.group(0) for m in CLOCK_WITH_SECONDS.finditer(text)]
    found += [m.group(0) for m in JSON.finditer(text)]
    found += [m.group(0) for m in SNAKE_CASE.finditer(text) if m.group(0) not in COMMANDS]
    found += [m.group(0) for m in SLUGS.finditer(text)]
    if language == "sv":
        found += [m.group(0) for m in SWEDISH_PAGE_NEVER.finditer(text)]
    return found


@pytest.fixture
def eventful(app: Flask, engine: Engine, session: Session, ref: Reference) -> Reference:
    """Assets with a life behind them — edits of id fields, a hand-out and return, a reuse
    assessment, a disposal —, a stocktake, and a run of every job."""
    moved = make_asset(session, ref, holder="Anna Andersson")  # deployed, with her
    edit_asset(
        session, ref, moved, location_id=ref.server_hall.id, holder="Bo Berg",
        depreciation_months=36, price_ore=999_000,
        business_unit_id=ref.unit_borgholm.id, comment="Flyttad till serverhallen",
    )  # fmt: skip
    returned = make_asset(session, ref, purchase_date=dt.date(2019, 3, 1))
    for target in (Status.DEPLOYED, Status.RETURNED):
        asset_service.change_status(
            session, actor=ref.technician, asset=returned, target=target, now=NOW
        )
    record_wipe(session, ref, returned)
    sold = make_asset(session, ref, owner_id=ref.morbylanga.id, purchase_date=dt.date(2019, 1, 1))
    record_wipe(session, ref, sold)
    asset_service.change_status(
        session, actor=ref.technician, asset=sold, target=Status.DISPOSED,
        disposal_kind=DisposalKind.SOLD, proceeds_ore=120_000, now=NOW,
    )  # fmt: skip
    make_asset(session, ref, owner_id=ref.joint.id, model_id=ref.iphone.id)
    make_asset(session, ref, holder="Cecilia Ceder", purchase_date=dt.date(2020, 1, 1))  # overdue
    stocktakes.start(session, actor=ref.technician, location_id=ref.school.id, now=NOW)
    settings = app.config["INVENTORY"]
    for name in ("flag-replacements", "digest", "backup", "purge-uploads"):
        run = run_job(
            engine, name, slot=f"manual-{NOW.isoformat()}", today=TODAY, settings=settings
        )
        assert run is not None and run.outcome == "ok", run.error if run else name
    run_job(engine, "flag-replacements", slot=f"flag-replacements@{TODAY}", today=TODAY)
    # A failed run, as a run that raised is recorded.
    session.add(
        JobRun(job="digest", slot="digest@2026-11-16", started_at=NOW, finished_at=NOW,
               outcome="failed", error="SMTPConnectError: (421, 'unavailable')")
    )  # fmt: skip
    session.commit()
    return ref


# Not pages for the register's users: files, and the API's reference, whose words are the
# API's own field names and JSON (for those who connect other systems).
SKIPPED = re.compile(
    r"^/(logout|lang/)|\.(pdf|csv|xlsx|json|png|svg)(\?|$)|^/static/|^/api/v1/docs"
)


def crawl(client: FlaskClient, start: list[str], *, per_shape: int = 3) -> dict[str, VisibleText]:
    """The `start` pages and every page reachable by links from them, a few of each shape of
    URL beyond those."""
    pages: dict[str, VisibleText] = {}
    queue, seen, shapes = deque(start), set(), Counter[str]()
    while queue:
        url = queue.popleft()
        shape = re.sub(r"\d+", "N", re.sub(r"/assets/[^/?]+", "/assets/T", url.split("?")[0]))
        if url in seen or (shapes[shape] >= per_shape and url not in start):
            continue
        seen.add(url)
        shapes[shape] += 1
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = pages[url] = visible(response.get_data(as_text=True))
        queue += [
            link.split("#")[0]
            for link in page.links
            if link.startswith("/") and not link.startswith("//") and not SKIPPED.search(link)
        ]
    return pages


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_pages_an_admin_reaches_say_no_internal_names_json_or_time_stamps(
    client: FlaskClient, session: Session, eventful: Reference, language: str
) -> None:
    login(client, eventful.admin.email)
    client.get(f"/lang/{language}")
    assets = [f"/assets/{tag}" for tag in eventful_tags(session)]
    pages = crawl(client, ["/", *assets])
    # The crawl reached what it is meant to check.
    for url in ("/", "/assets/", "/admin/jobs", "/admin/categories", "/reuse", "/stocktakes/"):
        assert url in pages, url
    assert set(assets) <= set(pages) and len(assets) == 5
    found = {
        url: words for url, page in pages.items() if (words := internal_words(page.text, language))
    }
    assert found == {}


def test_the_check_finds_what_it_looks_for() -> None:
    """The regular expressions above catch each kind of internal word they are for."""
    text = (
        'manual-2026-12-02T19:20:01 kl. 20:20:01 {"assets": 3} location_id in_stock '
        "Borgholms kommun borgholm tekniker.borgholm@test.se pg_dump 02:0C:69:33:46:1D"
    )
    assert internal_words(text, "en") == [
        "2026-12-02T19", "20:20:01", '{"', '": ', "location_id", "in_stock", "borgholm",
    ]  # fmt: skip
    assert internal_words("Status: disposed, ok", "sv") == ["disposed", "ok"]
    assert internal_words("Status: disposed, ok", "en") == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "sv",
            [
                "Utbytesflaggor", "Startad för hand", "tillgångar kontrollerade",
                "Schemalagd, 2026-11-23", "Veckosammanfattning", "e-postmeddelanden skickade",
                "Säkerhetskopia av databasen", "Lyckades", "Misslyckades",
            ],
        ),
        (
            "en",
            [
                "Replacement flags", "Started by hand", "assets checked", "Scheduled, 2026-11-23",
                "Weekly digest", "e-mails sent", "Database backup", "Succeeded", "Failed",
            ],
        ),
    ],
)  # fmt: skip
def test_the_jobs_page_says_each_run_in_words(
    client: FlaskClient, eventful: Reference, language: str, expected: list[str]
) -> None:
    login(client, eventful.admin.email)
    client.get(f"/lang/{language}")
    html = client.get("/admin/jobs").get_data(as_text=True)
    text = visible(html).text
    for words in expected:
        assert words in text, words
    # The failed run started and finished at 10:30 in Sweden (09:30 UTC), to the minute.
    assert "2026-11-23 10:30 2026-11-23 10:30" in text
    # The flags the run counted, by their names; the stored counts stay in data-counts.
    assert ("Försenad: " if language == "sv" else "Overdue: ") in text
    assert 'data-counts="{&#34;assets&#34;:' in html
    assert "SMTPConnectError" in html  # what went wrong, folded away for the developers


@pytest.mark.parametrize(
    ("language", "said"),
    [("sv", "Placering: Välj var enheten finns nu."), ("en", "Location: Choose where the device is now.")],
)  # fmt: skip
def test_a_field_error_on_a_page_without_its_field_is_said_with_the_fields_name(
    client: FlaskClient, session: Session, ref: Reference, language: str, said: str
) -> None:
    asset = make_asset(session, ref)
    login(client, ref.technician.email)
    client.get(f"/lang/{language}")
    version = asset_service.get_asset(session, actor=ref.technician, tag=asset.tag).version
    response = client.post(
        f"/assets/{asset.tag}/do/move", data={"version": str(version), "location_id": ""}
    )
    assert response.status_code == 422
    text = visible(response.get_data(as_text=True)).text
    assert said in text, text
    assert "location_id" not in text


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("sv", "Avyttringssätt: Välj hur enheten har lämnat registret."),
        ("en", "Disposal kind: Choose how the device left the register."),
    ],
)
def test_a_refused_status_change_names_the_field_it_lacks(
    client: FlaskClient, session: Session, ref: Reference, language: str, said: str
) -> None:
    asset = make_asset(session, ref)
    login(client, ref.technician.email)
    client.get(f"/lang/{language}")
    response = client.post(
        f"/assets/{asset.tag}/status", data={"target": "disposed", "version": "1"},
        follow_redirects=True,
    )  # fmt: skip
    text = visible(response.get_data(as_text=True)).text
    assert said in text
    assert "disposal_kind" not in text
    assert asset_service.get_asset(session, actor=ref.admin, tag=asset.tag).status == "in_stock"


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        ("sv", ["Avskrivningstid: 48 månader → 36 månader",
                "Placering: Slottsskolan Hus A A12 → Serverhall Borgholm Kommunhuset Serverhall",
                "Inköpspris: 12 490,00 kr → 9 990,00 kr"]),
        ("en", ["Depreciation period: 48 months → 36 months",
                "Location: Slottsskolan Hus A A12 → Serverhall Borgholm Kommunhuset Serverhall",
                "Purchase price: 12 490,00 kr → 9 990,00 kr"]),
    ],
)  # fmt: skip
def test_the_history_says_periods_in_months_and_places_by_name(
    client: FlaskClient, eventful: Reference, session: Session, language: str, lines: list[str]
) -> None:
    login(client, eventful.admin.email)
    client.get(f"/lang/{language}")
    page = client.get(f"/assets/{eventful_tags(session)[0]}").get_data(as_text=True)
    history = visible(page[page.index('id="history"') :]).text
    for line in lines:
        assert line in history.replace("\u00a0", " "), line


def eventful_tags(session: Session) -> list[str]:
    """The tags of the eventful world's assets, the one moved and edited first."""
    return list(session.exec(select(Asset.tag).order_by(col(Asset.id))))


@pytest.mark.parametrize(("language", "system"), [("sv", "Systemet"), ("en", "System")])
def test_an_event_no_user_made_is_said_to_be_the_systems(
    client: FlaskClient, session: Session, ref: Reference, language: str, system: str
) -> None:
    asset = make_asset(session, ref)
    asset_service.record_change(
        session, asset=asset, actor=None, now=NOW, today=TODAY, action="note", changes={},
        comment="Inläst från leverantörens fil",
    )  # fmt: skip
    login(client, ref.viewer.email)
    client.get(f"/lang/{language}")
    history = client.get(f"/assets/{asset.tag}").get_data(as_text=True).split('id="history"')[1]
    assert f"· {system}</small>" in history
    assert "system<" not in history
