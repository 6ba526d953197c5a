"""The demo seed: exact counts, deterministic, idempotent, and histories that obey the lifecycle."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from inventory import migrate
from inventory.db import make_engine
from inventory.domain import assets as rules
from inventory.domain.reuse import needs_wipe
from inventory.domain.statuses import DisposalKind, Status, next_status
from inventory.models import (
    Asset,
    AssetEvent,
    AssetFlag,
    BusinessUnit,
    Category,
    CostKey,
    Location,
    Model,
    Owner,
)
from inventory.seeding import demo
from inventory.services import clock, flags, lifecycle, users

SMALL_FLEET = 600


def fresh_engine(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    return engine


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One small demo fleet, read (never changed) by the tests below."""
    engine = fresh_engine(tmp_path_factory.mktemp("demo") / "demo.db")
    result = demo.seed_demo(engine, assets=SMALL_FLEET, seed=2025)
    assert result.created
    yield engine
    engine.dispose()


@pytest.fixture
def session(seeded: Engine) -> Iterator[Session]:
    with Session(seeded) as s:
        yield s


def table_digest(engine: Engine, table: str) -> str:
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def events_by_asset(session: Session) -> dict[int, list[AssetEvent]]:
    grouped: dict[int, list[AssetEvent]] = defaultdict(list)
    ordered = select(AssetEvent).order_by(col(AssetEvent.at), col(AssetEvent.id))
    for event in session.exec(ordered):
        grouped[event.asset_id].append(event)
    return grouped


# --- counts --------------------------------------------------------------------------------


def test_default_fleet_is_the_2025_plan() -> None:
    counts = demo.fleet_counts(None)
    plan_2025 = {"switch": 500, "access-point": 900, "phone": 2300, "tablet": 1500, "pc": 1900,
                 "chromebook": 2000}  # fmt: skip
    assert {slug: counts[slug] for slug in plan_2025} == plan_2025
    assert counts["server"] > 0 and counts["storage"] > 0 and counts["firewall"] > 0


@pytest.mark.parametrize("total", [0, 1, 7, 13, 600, 10_001, 100_000])
def test_a_requested_count_is_met_exactly(total: int) -> None:
    counts = demo.fleet_counts(total)
    assert sum(counts.values()) == total
    whole = sum(demo.DEFAULT_FLEET.values())
    for slug, n in counts.items():
        # Largest remainder: every share is its exact quota rounded down or up.
        assert abs(n - total * demo.DEFAULT_FLEET[slug] / whole) < 1


def test_seeds_exactly_the_requested_number_in_proportion(session: Session) -> None:
    per_category = Counter(
        session.exec(select(Category.slug).join(Asset, col(Asset.category_id) == Category.id))
    )
    assert sum(per_category.values()) == SMALL_FLEET
    assert dict(per_category) == {k: n for k, n in demo.fleet_counts(SMALL_FLEET).items() if n}
    assert per_category["pc"] == 108  # 600 × 1 900 / 10 552 = 108.04


# --- determinism and idempotence -----------------------------------------------------------


def test_the_same_seed_gives_identical_rows(seeded: Engine, tmp_path: Path) -> None:
    again = fresh_engine(tmp_path / "again.db")
    demo.seed_demo(again, assets=SMALL_FLEET, seed=2025)
    assert table_digest(again, "asset") == table_digest(seeded, "asset")
    assert table_digest(again, "asset_event") == table_digest(seeded, "asset_event")
    again.dispose()


def test_another_seed_gives_another_fleet(seeded: Engine, tmp_path: Path) -> None:
    other = fresh_engine(tmp_path / "other.db")
    demo.seed_demo(other, assets=SMALL_FLEET, seed=7)
    assert table_digest(other, "asset") != table_digest(seeded, "asset")
    other.dispose()


def test_a_second_run_adds_nothing(tmp_path: Path) -> None:
    engine = fresh_engine(tmp_path / "twice.db")
    first = demo.seed_demo(engine, assets=50, seed=1)
    tables = ("asset", "asset_event", "app_user", "model", "location", "business_unit", "cost_key")
    before = {t: table_digest(engine, t) for t in tables}
    second = demo.seed_demo(engine, assets=50, seed=1)
    assert first.created and not second.created
    assert "already there" in second.summary
    assert {t: table_digest(engine, t) for t in before} == before
    engine.dispose()


def test_missing_reference_data_is_restored_even_when_assets_exist(tmp_path: Path) -> None:
    engine = fresh_engine(tmp_path / "restore.db")
    demo.seed_demo(engine, assets=20, seed=1)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM cost_key"))
    result = demo.seed_demo(engine, assets=20, seed=1)
    assert not result.created
    with Session(engine) as s:
        assert len(s.exec(select(CostKey)).all()) == 2
        assert len(s.exec(select(Asset)).all()) == 20
    engine.dispose()


def test_a_fleet_can_follow_reference_data_seeded_earlier(tmp_path: Path) -> None:
    engine = fresh_engine(tmp_path / "later.db")
    assert not demo.seed_demo(engine, assets=0, seed=1).created
    assert demo.seed_demo(engine, assets=30, seed=1).created
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT rowid FROM asset_fts WHERE asset_fts MATCH '\"it-000030\"'")
        )
        assert [row[0] for row in found] == [30]
    engine.dispose()


# --- reference data ------------------------------------------------------------------------


def test_owners_and_cost_key_follow_the_agreement(session: Session) -> None:
    owners = {o.slug: o for o in session.exec(select(Owner))}
    assert owners["borgholm"].org_number == "212000-0795"
    assert owners["morbylanga"].org_number == "212000-0704"
    assert owners["joint"].kind == "joint" and owners["joint"].org_number is None
    assert owners["morbylanga"].leaves_on == dt.date(2026, 12, 31)
    assert owners["borgholm"].leaves_on is None and owners["joint"].leaves_on is None
    keys = {k.owner_id: k.users for k in session.exec(select(CostKey).where(CostKey.year == 2025))}
    assert keys == {owners["morbylanga"].id: 2002, owners["borgholm"].id: 1658}


def test_pcs_are_depreciated_over_four_years_with_a_five_year_target(session: Session) -> None:
    pc = session.exec(select(Category).where(Category.slug == "pc")).one()
    assert (pc.depreciation_months, pc.target_lifespan_months) == (48, 60)


def test_there_is_one_server_hall_per_municipality(session: Session) -> None:
    halls = session.exec(select(Location).where(col(Location.is_server_hall).is_(True))).all()
    assert len(halls) == 2


def test_demo_users_log_in_with_the_demo_password(session: Session) -> None:
    for spec in demo.DEMO_USERS:
        user = users.authenticate(session, email=spec.email, password=demo.DEMO_PASSWORD)
        assert user is not None and user.role == spec.role.value
        assert (user.owner_id is None) == (spec.owner is None)
    assert demo.DEMO_ADMIN in demo.LOGIN_HINT and demo.DEMO_PASSWORD in demo.LOGIN_HINT


# --- the assets ----------------------------------------------------------------------------


def test_tags_are_sequential_unique_and_valid(session: Session) -> None:
    tags = session.exec(select(Asset.tag).order_by(col(Asset.id))).all()
    assert tags == [f"IT-{n:06d}" for n in range(1, SMALL_FLEET + 1)]
    assert all(rules.check_tag(tag) == tag for tag in tags)


def test_serials_are_unique_per_model_and_phones_have_valid_imeis(session: Session) -> None:
    rows = session.exec(select(Asset.model_id, Asset.serial)).all()
    assert len(set(rows)) == len(rows) and all(serial for _, serial in rows)
    phones = session.exec(
        select(Asset.imei)
        .join(Category, col(Asset.category_id) == Category.id)
        .where(Category.slug == "phone")
    ).all()
    assert phones and all(imei and rules.normalize_imei(imei) == imei for imei in phones)
    assert len(set(phones)) == len(phones)


def test_network_identifiers_are_well_formed(session: Session) -> None:
    for asset in session.exec(select(Asset)):
        assert rules.normalize_mac(asset.mac) == asset.mac
        assert rules.normalize_ip(asset.ip) == asset.ip


def test_search_text_is_filled_and_found_by_free_text_search(
    seeded: Engine, session: Session
) -> None:
    for asset in session.exec(select(Asset)):
        assert asset.search_text == rules.search_text(
            asset.tag, asset.serial, asset.holder, asset.hostname
        )
    with seeded.connect() as conn:
        found = conn.execute(
            text("SELECT rowid FROM asset_fts WHERE asset_fts MATCH '\"it-000042\"'")
        ).all()
        triggers = (
            conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            .scalars()
            .all()
        )
    assert [row[0] for row in found] == [42]
    assert "asset_fts_insert" in triggers  # put back after seeding


def test_fields_are_consistent_with_the_reference_data(session: Session) -> None:
    units = {u.id: u.owner_id for u in session.exec(select(BusinessUnit))}
    model_category = {m.id: m.category_id for m in session.exec(select(Model))}
    depreciation = {c.id: c.depreciation_months for c in session.exec(select(Category))}
    for asset in session.exec(select(Asset)):
        assert model_category[asset.model_id] == asset.category_id
        assert asset.depreciation_months == depreciation[asset.category_id]
        if asset.business_unit_id is not None:
            assert units[asset.business_unit_id] == asset.owner_id
        rules.check_dates(
            rules.AssetDates(asset.purchase_date, asset.in_service_date, asset.warranty_end),
            today=demo.DEMO_TODAY,
        )
        assert asset.price_ore > 0
        assert asset.created_at.tzinfo is not None and asset.created_at <= asset.updated_at


def test_mostly_deployed_with_some_of_every_other_status(session: Session) -> None:
    statuses = Counter(session.exec(select(Asset.status)).all())
    assert statuses[Status.DEPLOYED] > SMALL_FLEET * 0.8
    assert statuses[Status.DISPOSED] > 0 and statuses[Status.IN_STOCK] > 0


# --- history -------------------------------------------------------------------------------


def test_every_asset_starts_with_one_create_event(session: Session) -> None:
    events = events_by_asset(session)
    for asset in session.exec(select(Asset)):
        history = events[asset.id]  # type: ignore[index]
        assert history[0].action == "create"
        assert [e.action for e in history].count("create") == 1
        assert history[0].changes["tag"] == [None, asset.tag]
        assert history[0].at == asset.created_at and history[-1].at == asset.updated_at


def test_histories_replay_through_the_lifecycle_rules(session: Session) -> None:
    """Replaying each history from its create event lands on the asset's row as it is."""
    events = events_by_asset(session)
    for asset in session.exec(select(Asset)):
        history = events[asset.id]  # type: ignore[index]
        state: dict[str, Any] = {field: after for field, (_, after) in history[0].changes.items()}
        for event in history[1:]:
            if "status" in event.changes:
                before, after = event.changes["status"]
                assert before == state["status"]
                kind = event.changes.get("disposal_kind", [None, None])[1]
                next_status(Status(before), Status(after), DisposalKind(kind) if kind else None)
            for field, (before, after) in event.changes.items():
                assert state.get(field) == before, (asset.tag, field)
                state[field] = after
        assert state["status"] == asset.status
        assert state.get("disposal_kind") == asset.disposal_kind
        assert state.get("holder") == asset.holder
        assert state.get("location_id") == asset.location_id
        assert asset.version == len(history)
        assert all(a.at < b.at for a, b in pairwise(history))


def test_every_disposed_asset_has_a_disposal_event_and_kind(session: Session) -> None:
    events = events_by_asset(session)
    disposed = session.exec(select(Asset).where(Asset.status == Status.DISPOSED.value)).all()
    assert disposed
    for asset in disposed:
        last = events[asset.id][-1]  # type: ignore[index]
        # Lost and stolen by the status form; the rest by the reuse routine's assessment.
        assert last.action in {"status", "assessment"}
        assert last.changes["status"][1] == "disposed"
        assert last.changes["disposal_kind"] == [None, asset.disposal_kind]
        assert asset.disposal_kind in {k.value for k in DisposalKind}
        assert last.at.date() <= demo.DEMO_TODAY


def test_the_reuse_rules_hold_for_every_seeded_device(session: Session) -> None:
    """What the lifecycle transition demands on every path holds for the demo's devices
    too: in the pool or sold, donated, recycled only with a wipe that counts for its current
    cycle, recycled with recycler and certificate, a young device gone with a reason, and
    the last return recorded on the row."""
    events = events_by_asset(session)
    checked = Counter[str]()
    for asset in session.exec(select(Asset)):
        history = events[asset.id]  # type: ignore[index]
        returns = [e.at for e in history if e.changes.get("status", [None])[0] == "deployed"]
        assert asset.returned_at == (returns[-1] if returns else None), asset.tag
        kind = DisposalKind(asset.disposal_kind) if asset.disposal_kind else None
        if not needs_wipe(asset.status_enum, kind):
            continue
        wipe = lifecycle.wipe_in_effect(session, asset)
        assert wipe is not None, asset.tag
        assert wipe.on >= asset.purchase_date
        if kind is DisposalKind.RECYCLED:
            assert wipe.recycler and wipe.certificate
        if asset.status_enum is Status.DISPOSED and lifecycle.is_young(
            session, asset, today=clock.local_date(history[-1].at)
        ):
            assert history[-1].comment.strip(), asset.tag
        checked[asset.status] += 1
    assert checked[Status.REUSE_POOL] and checked[Status.DISPOSED]


def test_flags_are_stored_when_seeding(session: Session) -> None:
    """The dashboard reads the stored flags: right after seeding they are those of a fresh
    computation, not zero until the nightly job."""
    stored = {(f.asset_id, f.flag) for f in session.exec(select(AssetFlag))}
    assert stored
    flags.recompute(session, today=clock.today())
    assert {(f.asset_id, f.flag) for f in session.exec(select(AssetFlag))} == stored


def test_the_seed_leaves_the_planner_statistics_of_what_it_wrote(engine: Engine) -> None:
    """Without ANALYZE, PostgreSQL plans a fresh register's lists as if its tables were empty
    (on the test run's own database: SQLite, or PostgreSQL in CI's second run)."""
    demo.seed_demo(engine, assets=SMALL_FLEET, seed=3)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            rows = conn.exec_driver_sql(
                "SELECT reltuples FROM pg_class WHERE relname = 'asset'"
            ).scalar_one()
        else:
            rows = conn.exec_driver_sql(
                "SELECT CAST(substr(stat, 1, instr(stat, ' ') - 1) AS INTEGER)"
                " FROM sqlite_stat1 WHERE tbl = 'asset' LIMIT 1"
            ).scalar_one()
    assert rows >= SMALL_FLEET
