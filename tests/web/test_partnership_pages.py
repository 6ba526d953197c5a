"""The §20 split's proposal page, its adjustments, the decision and the exports, through
Flask's test client on a fleet worked out by hand (tests/split_page_world.py)."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from inventory.models import Asset, AssetEvent, SplitProposal
from inventory.services import partnership
from inventory.web import partnership as pages

from ..conftest import login
from ..factories import Reference, edit_asset
from ..split_page_world import (
    COMPENSATION,
    COMPENSATION_AFTER_MOVE,
    SPLIT_ON,
    SplitWorld,
    compute,
    make_split_world,
)
from .test_owner_scope import pdf_text

PAGE = "/partnership/split"
ON = "2026-12-31"


@pytest.fixture
def world(session: Session, ref: Reference) -> SplitWorld:
    return make_split_world(session, ref)


@pytest.fixture
def computed(session: Session, world: SplitWorld) -> SplitWorld:
    compute(session, world)
    return world


def text_of(html: str) -> str:
    """The page's words, without tags and with white space as one space."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def post_forms(html: str) -> list[str]:
    """The actions of the page's POST forms, logging out left out."""
    actions = re.findall(r'<form method="post" action="([^"]*)"', html)
    return [a for a in actions if a != "/logout"]


def move(client: FlaskClient, tags: list[str], to: str, reason: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"{PAGE}/adjust", data={"on": ON, "tag": tags, "to_owner": to, "reason": reason, **extra}
    )


def decide(client: FlaskClient, **fields: str):  # type: ignore[no-untyped-def]
    data = {"on": ON, "decided_on": "2026-11-20", "decision_ref": "ITN § 45/2026", **fields}
    return client.post(f"{PAGE}/decide", data=data)


# --- without a proposal ---------------------------------------------------------------------------


def test_without_a_proposal_an_admin_is_offered_to_compute_it(
    client: FlaskClient, world: SplitWorld
) -> None:
    login(client, world.ref.admin.email)
    response = client.get(PAGE)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Det finns inget förslag till delning per 2026-12-31 ännu." in text_of(body)
    assert post_forms(body) == [f"{PAGE}/compute"]


def test_a_missing_cost_key_is_said_with_a_link_to_the_cost_keys(
    client: FlaskClient, world: SplitWorld
) -> None:
    login(client, world.ref.admin.email)
    body = client.get(f"{PAGE}?on=2027-06-30").get_data(as_text=True)
    assert "Det finns ingen fördelningsnyckel för 2027" in text_of(body)
    assert 'href="/admin/cost-keys?year=2027"' in body
    assert post_forms(body) == []


def test_computing_shows_both_sides_against_their_shares(
    client: FlaskClient, world: SplitWorld
) -> None:
    login(client, world.ref.admin.email)
    response = client.post(f"{PAGE}/compute", data={"on": ON})
    assert response.status_code == 302
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    words = text_of(body)
    assert COMPENSATION in words
    # The chart is the app's own inline SVG: a bar per side, its share marked.
    assert body.count('<svg class="split-bar"') == 2
    assert "<script" not in body.split("<main")[1].split("</main>")[0]
    # Borgholm: items 43 250,00 kr against an exact share of 32 842,90 kr; Mörbylånga the rest.
    for figure in ("43\u00a0250,00\u00a0kr", "32\u00a0842,90\u00a0kr", "+10\u00a0407,10\u00a0kr"):
        assert figure in words
    assert "\u221210\u00a0407,10\u00a0kr" in words  # Borgholm's items exceed its share
    assert "45,3 %" in words and "54,7 %" in words
    assert "Plats" in words and "Balansering" in words
    assert 'href="/assets/GEM-003"' in body


# --- adjusting ------------------------------------------------------------------------------------


def test_moving_an_item_with_a_reason_changes_the_compensation_shown(
    client: FlaskClient, computed: SplitWorld
) -> None:
    login(client, computed.ref.admin.email)
    assert COMPENSATION in text_of(client.get(PAGE).get_data(as_text=True))
    response = move(client, ["GEM-004"], "borgholm", "Brandväggen stannar hos värdkommunen")
    assert response.status_code == 302
    words = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert COMPENSATION_AFTER_MOVE in words
    assert "1 objekt flyttades." in words
    # The log: who, from, to and why; the item itself says it was adjusted.
    assert "Mörbylånga kommun → Borgholms kommun" in words
    assert "Brandväggen stannar hos värdkommunen" in words
    assert "Justerad" in words


def test_several_items_move_at_once(
    client: FlaskClient, session: Session, computed: SplitWorld
) -> None:
    login(client, computed.ref.admin.email)
    move(client, ["GEM-001", "GEM-003"], "morbylanga", "Drift hos Mörbylånga")
    rows = partnership.lines(session, actor=computed.ref.admin, on=SPLIT_ON)
    sides = {row.tag: row.to_slug for row in rows}
    assert sides == {tag: "morbylanga" for tag in ("GEM-001", "GEM-002", "GEM-003", "GEM-004")}


def test_a_move_without_a_reason_or_items_is_refused_with_messages(
    client: FlaskClient, session: Session, computed: SplitWorld
) -> None:
    login(client, computed.ref.admin.email)
    response = move(client, ["GEM-004"], "borgholm", "  ")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Ange ett skäl till flytten." in text_of(body)
    assert 'value="GEM-004" id="pick-GEM-004" aria-label="Välj GEM-004" checked' in body
    response = move(client, [], "borgholm", "Skäl")
    assert "Välj minst en tillgång att flytta." in text_of(response.get_data(as_text=True))
    assert partnership.adjustment_log(session, actor=computed.ref.admin, on=SPLIT_ON) == []


# --- the list of items ----------------------------------------------------------------------------


def test_the_items_filter_by_side_category_and_site(
    client: FlaskClient, computed: SplitWorld
) -> None:
    ref = computed.ref
    login(client, ref.admin.email)

    def tags(query: str) -> list[str]:
        body = client.get(f"{PAGE}?on={ON}&{query}").get_data(as_text=True)
        return re.findall(r'<tr data-tag="([^"]+)"', body)

    assert tags("") == ["GEM-001", "GEM-002", "GEM-003", "GEM-004"]
    assert tags(f"side={ref.borgholm.id}") == ["GEM-001", "GEM-003"]
    hall = ref.server_hall.site_id
    assert tags(f"site={hall}&side={ref.morbylanga.id}") == ["GEM-004"]
    assert tags(f"category={ref.pc.id}") == ["GEM-001", "GEM-002", "GEM-003", "GEM-004"]


def test_a_wrong_filter_value_is_said_and_left_out(
    client: FlaskClient, computed: SplitWorld
) -> None:
    login(client, computed.ref.admin.email)
    response = client.get(f"{PAGE}?on={ON}&category={computed.ref.phone.id}&side=x&page=0")
    words = text_of(response.get_data(as_text=True))
    assert "Ingen av förslagets objekt har den kategorin: välj en ur listan." in words
    assert "Förslaget har ingen sådan sida: välj en kommun." in words
    assert "Sidan är ett heltal från 1: den första sidan visas." in words
    assert "Objekt 1–4 av 4." in words


def test_a_wrong_split_date_is_said(client: FlaskClient, computed: SplitWorld) -> None:
    login(client, computed.ref.admin.email)
    response = client.get(f"{PAGE}?on=2026-02-30")
    assert response.status_code == 400
    assert "Ogiltigt datum: skriv ÅÅÅÅ-MM-DD." in text_of(response.get_data(as_text=True))


def test_the_items_come_a_page_at_a_time(
    client: FlaskClient, computed: SplitWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PER_PAGE", 3)
    login(client, computed.ref.admin.email)
    first = client.get(PAGE).get_data(as_text=True)
    assert re.findall(r'<tr data-tag="([^"]+)"', first) == ["GEM-001", "GEM-002", "GEM-003"]
    assert "Sida 1 av 2" in text_of(first)
    second = client.get(f"{PAGE}?on={ON}&page=2").get_data(as_text=True)
    assert re.findall(r'<tr data-tag="([^"]+)"', second) == ["GEM-004"]
    assert "Objekt 4–4 av 4." in text_of(second)


# --- who sees what --------------------------------------------------------------------------------


def test_an_unscoped_viewer_reads_the_proposal_without_any_form(
    client: FlaskClient, computed: SplitWorld
) -> None:
    login(client, computed.ref.viewer.email)
    body = client.get(PAGE).get_data(as_text=True)
    assert COMPENSATION in text_of(body)
    assert post_forms(body) == []
    assert 'name="tag"' not in body
    assert 'href="/partnership/split"' in body  # in the menu
    assert client.get(f"/partnership/split.pdf?on={ON}").status_code == 200
    assert move(client, ["GEM-004"], "borgholm", "Skäl").status_code == 403
    assert client.post(f"{PAGE}/compute", data={"on": ON}).status_code == 403


@pytest.mark.parametrize("who", ["admin_borgholm", "tech_borgholm", "viewer_morbylanga"])
def test_a_scoped_user_finds_no_split_at_all(
    client: FlaskClient, session: Session, computed: SplitWorld, who: str
) -> None:
    user = getattr(computed.ref, who)
    login(client, user.email)
    for url in (PAGE, f"{PAGE}?on=2027-06-30", f"{PAGE}.xlsx", f"{PAGE}.pdf"):
        assert client.get(url).status_code == 404, url
    assert 'href="/partnership/split"' not in client.get("/").get_data(as_text=True)
    if who == "admin_borgholm":
        assert client.post(f"{PAGE}/compute", data={"on": ON}).status_code == 404
        assert move(client, ["GEM-004"], "borgholm", "Skäl").status_code == 404
        assert decide(client, confirmed="yes").status_code == 404
    assert partnership.adjustment_log(session, actor=computed.ref.admin, on=SPLIT_ON) == []


def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient, computed: SplitWorld) -> None:
    for url in (PAGE, f"{PAGE}.xlsx", f"{PAGE}.pdf"):
        response = client.get(url)
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    assert client.post(f"{PAGE}/adjust", data={"on": ON}).status_code == 302


def test_the_page_speaks_english_when_asked(client: FlaskClient, computed: SplitWorld) -> None:
    login(client, computed.ref.admin.email)
    client.get("/lang/en")
    words = text_of(client.get(PAGE).get_data(as_text=True))
    assert "Borgholms kommun pays Mörbylånga kommun 10\u00a0407,10\u00a0kr." in words
    assert "Split of the joint property" in words


# --- deciding -------------------------------------------------------------------------------------


def test_deciding_takes_a_confirm_step_then_applies_the_split(
    client: FlaskClient, session: Session, computed: SplitWorld
) -> None:
    ref = computed.ref
    login(client, ref.admin.email)
    review = decide(client, comment="Enligt förslaget")
    assert review.status_code == 200
    words = text_of(review.get_data(as_text=True))
    assert "Bekräfta beslutet" in words and "2 objekt till Borgholms kommun" in words
    assert session.exec(select(SplitProposal)).one().state == "draft"  # nothing applied yet

    applied = decide(client, comment="Enligt förslaget", confirmed="yes")
    assert applied.status_code == 302
    body = client.get(applied.headers["Location"]).get_data(as_text=True)
    words = text_of(body)
    assert "Beslutat: ITN § 45/2026 den 2026-11-20" in words
    assert COMPENSATION in words
    assert post_forms(body) == []  # read-only: no recompute, moves or decision
    session.expire_all()
    owners = {a.tag: a.owner_id for a in session.exec(select(Asset))}
    assert owners["GEM-003"] == ref.borgholm.id and owners["GEM-004"] == ref.morbylanga.id
    events = session.exec(select(AssetEvent).where(AssetEvent.action == "split")).all()
    assert len(events) == 4 and all("ITN § 45/2026" in (e.comment or "") for e in events)
    assert client.get(f"{PAGE}.pdf?on={ON}").status_code == 200  # still exportable


def test_a_decision_needs_its_date_and_reference(
    client: FlaskClient, session: Session, computed: SplitWorld
) -> None:
    login(client, computed.ref.admin.email)
    response = decide(client, decided_on="", decision_ref="", confirmed="yes")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert body.count("Det här fältet är obligatoriskt.") == 2 or "obligatoriskt" in body
    assert session.exec(select(SplitProposal)).one().state == "draft"


def test_applying_twice_is_refused_in_swedish(client: FlaskClient, computed: SplitWorld) -> None:
    login(client, computed.ref.admin.email)
    decide(client, confirmed="yes")
    again = decide(client, decision_ref="ITN § 46/2026", confirmed="yes")
    words = text_of(client.get(again.headers["Location"]).get_data(as_text=True))
    assert "Delningen per 2026-12-31 är beslutad (ITN § 45/2026)" in words


def test_a_stale_proposal_is_refused_naming_the_changed_assets(
    client: FlaskClient, session: Session, computed: SplitWorld
) -> None:
    ref = computed.ref
    asset = computed.assets["GEM-003"]
    edit_asset(
        session, ref, asset, owner_id=ref.joint.id, location_id=ref.server_hall.id,
        price_ore=4_800_000, purchase_date=dt.date(2026, 1, 1), supplier="Atea",
    )  # fmt: skip
    login(client, ref.admin.email)
    response = decide(client, confirmed="yes")
    words = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Registret har ändrats sedan förslaget beräknades (GEM-003)" in words
    session.expire_all()
    assert session.exec(select(SplitProposal)).one().state == "draft"


def test_a_changed_cost_key_is_said_and_the_decision_waits_for_a_recompute(
    client: FlaskClient, session: Session, computed: SplitWorld
) -> None:
    from inventory.services import cost_keys

    ref = computed.ref
    cost_keys.set_users(
        session, actor=ref.admin, year=2026, users={"morbylanga": 1, "borgholm": 3},
        now=dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC),
    )  # fmt: skip
    login(client, ref.admin.email)
    page = client.get(f"{PAGE}?on={ON}").get_data(as_text=True)
    assert 'id="key-changed"' in page
    assert "Fördelningsnyckeln för 2026 har ändrats sedan förslaget beräknades" in text_of(page)
    response = decide(client, confirmed="yes")
    words = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "beräkna förslaget på nytt, granska det och verkställ det sedan" in words
    session.expire_all()
    assert session.exec(select(SplitProposal)).one().state == "draft"


# --- exports --------------------------------------------------------------------------------------


def test_the_xlsx_has_typed_cells_with_the_figures_of_the_service(
    client: FlaskClient, session: Session, computed: SplitWorld
) -> None:
    ref = computed.ref
    login(client, ref.admin.email)
    move(client, ["GEM-004"], "borgholm", "Brandväggen stannar hos värdkommunen")
    response = client.get(f"{PAGE}.xlsx?on={ON}")
    assert response.status_code == 200
    assert 'filename="delning-2026-12-31.xlsx"' in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Sammanfattning", "Objekt", "Justeringar"]
    summary = partnership.summary(session, actor=ref.admin, on=SPLIT_ON)

    sheet = book["Sammanfattning"]
    label = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    split_date = label["Delningsdag"][1]
    assert split_date.is_date and split_date.value == dt.datetime(2026, 12, 31)
    assert label["Fördelningsnyckel för året"][1].value == 2026
    for side in summary.sides:
        row = label[side.name]
        users, share, count, price, value, exact, difference = (c for c in row[2:9])
        assert users.value == side.users and count.value == side.count
        assert share.value == pytest.approx(float(side.share)) and "%" in share.number_format
        for cell, ore in ((price, side.purchase_price_ore), (value, side.book_value_ore),
                          (exact, side.share_ore), (difference, side.difference_ore)):  # fmt: skip
            assert cell.data_type == "n" and cell.value == ore / 100 and "kr" in cell.number_format
    assert label[summary.sides[0].name][1].value == "212000-0795"
    pay = summary.compensation
    assert pay is not None
    assert label["Belopp"][1].value == pay.ore / 100 == 21_157.10
    assert label["Betalar"][1].value == pay.from_name == "Borgholms kommun"

    items = list(book["Objekt"].iter_rows(values_only=True))
    assert items[0][:3] == ("Inventarienummer", "Modell", "Kategori")
    by_tag = {row[0]: row for row in items[1:]}
    assert by_tag["GEM-004"][4] == "Borgholms kommun" and by_tag["GEM-004"][6] == "Justerad"
    assert by_tag["GEM-003"][8] == 37_000.0 and by_tag["GEM-003"][1] == "Dell Latitude 5440"
    moves = list(book["Justeringar"].iter_rows(values_only=True))
    assert moves[1][1:5] == (
        "GEM-004",
        "Mörbylånga kommun",
        "Borgholms kommun",
        "Brandväggen stannar hos värdkommunen",
    )
    assert isinstance(moves[1][0], dt.datetime)


def test_the_pdf_protocol_has_the_parties_totals_and_signature_lines(
    client: FlaskClient, computed: SplitWorld
) -> None:
    login(client, computed.ref.admin.email)
    response = client.get(f"{PAGE}.pdf?on={ON}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = pdf_text(response.data)
    flat = re.sub(r"\s+", " ", text)
    assert "Överlämningsprotokoll" in flat
    assert "FÖRSLAG" in flat
    assert "212000-0795" in flat and "212000-0704" in flat
    assert "43 250,00 kr" in flat and "29 250,00 kr" in flat and "72 500,00 kr" in flat
    assert "Borgholms kommun betalar Mörbylånga kommun 10 407,10 kr." in flat
    for line in ("Underskrift", "Namnförtydligande", "Datum", "Ort"):
        assert len(re.findall(rf"\b{line}\b", flat)) == 2, line
    assert "Bilaga 1" in flat and "GEM-003" in flat


def test_the_pdf_of_an_applied_split_names_the_decision(
    client: FlaskClient, computed: SplitWorld
) -> None:
    login(client, computed.ref.admin.email)
    decide(client, confirmed="yes")
    flat = re.sub(r"\s+", " ", pdf_text(client.get(f"{PAGE}.pdf?on={ON}").data))
    assert "Beslutat: ITN § 45/2026 den 2026-11-20" in flat
    assert "FÖRSLAG" not in flat


def test_the_pdf_lists_the_adjustments_with_their_reasons(
    client: FlaskClient, computed: SplitWorld
) -> None:
    login(client, computed.ref.admin.email)
    move(client, ["GEM-004"], "borgholm", "Brandväggen stannar hos värdkommunen")
    flat = re.sub(r"\s+", " ", pdf_text(client.get(f"{PAGE}.pdf?on={ON}").data))
    assert "Bilaga 3: justeringar för hand" in flat
    assert "Brandväggen stannar hos värdkommunen" in flat
    assert "Borgholms kommun betalar Mörbylånga kommun 21 157,10 kr." in flat


def test_a_decision_dated_in_the_future_is_refused(
    client: FlaskClient, session: Session, computed: SplitWorld
) -> None:
    login(client, computed.ref.admin.email)
    refused = decide(client, decided_on="2027-03-01", confirmed="yes")
    words = text_of(client.get(refused.headers["Location"]).get_data(as_text=True))
    assert "Ett beslut kan inte dateras i framtiden" in words
    session.expire_all()
    assert session.exec(select(SplitProposal)).one().state == "draft"


def test_a_reason_that_looks_like_a_formula_is_plain_text_in_the_xlsx(
    client: FlaskClient, computed: SplitWorld
) -> None:
    """Text cells are never run as formulas, so the reason is kept as typed, without the
    quote CSV needs."""
    login(client, computed.ref.admin.email)
    reason = "=brandväggen stannar hos värdkommunen"
    assert move(client, ["GEM-001"], "borgholm", reason).status_code == 302
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{PAGE}.xlsx?on={ON}").data))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and "brandväggen" in c.value]  # fmt: skip
    assert cells and all(c.value == reason and c.data_type == "s" for c in cells)


def test_the_confirm_step_is_not_offered_for_a_proposal_that_would_be_refused(
    client: FlaskClient, session: Session, computed: SplitWorld
) -> None:
    ref = computed.ref
    edit_asset(
        session, ref, computed.assets["GEM-003"], owner_id=ref.joint.id,
        location_id=ref.server_hall.id, price_ore=4_800_000, purchase_date=dt.date(2026, 1, 1),
        supplier="Atea",
    )  # fmt: skip
    login(client, ref.admin.email)
    review = decide(client)  # the first step, before any confirmation
    assert review.status_code == 302
    words = text_of(client.get(review.headers["Location"]).get_data(as_text=True))
    assert "Registret har ändrats sedan förslaget beräknades (GEM-003)" in words
    assert "Bekräfta beslutet" not in words
