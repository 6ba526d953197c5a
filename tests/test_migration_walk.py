"""Walking the migrations down and up again keeps what the database maintains on asset.

SQLite drops a table's triggers when Alembic's batch mode rebuilds it, so a migration that
rebuilds asset and forgets `inventory.maintained.after_asset_rebuild()` leaves the search
index and the tally silently behind every later write. The walk goes through every revision
Alembic's script directory knows (new migrations are walked without being listed here): one
step down and back up from each, each revision's down to its parent and up to head again, and
the whole way down to base and up to head. After every step it checks

- the triggers, functions and indexes are those a fresh upgrade to that revision makes, and
  those the search index and the tally need where their tables exist (and, on the fresh
  upgrade, no revision loses a trigger of a table it keeps: a rebuild of any table);
- a copied, an edited, a moved and a deleted asset, written in SQL (which any revision's
  columns allow), are followed by the search index and by the tally;

and at head, through the app's own services: a new and an edited asset are found by the
list's search, the tally equals a fresh count, and the flags recomputed equal a fresh
assessment of every asset.

The walk runs in a database of its own (a file on SQLite, a database created and dropped
here on PostgreSQL): the fixtures' database is the whole run's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, inspect, make_url, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from inventory import maintained, migrate
from inventory.db import make_engine
from inventory.domain.statuses import Status
from inventory.models import Asset, AssetFlag, Category, Model, Owner
from inventory.services import flags
from inventory.services.asset_list import AssetFilter, list_assets

from .conftest import PG_URL
from .factories import TODAY, Reference, edit_asset, make_asset, make_reference

# A revision's schema objects, compared with those a fresh upgrade to it makes.
Snapshot = frozenset[tuple[str, ...]]


@pytest.fixture(params=["sqlite", "postgresql"])
def walk_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'walk.db'}")
        yield engine
        engine.dispose()
        return
    if not PG_URL:
        pytest.skip("INVENTORY_TEST_DATABASE_URL is not set")
    server = make_url(PG_URL)
    # Named after the run's database, so that a walk cut short is cleared by the next one.
    name = f"{server.database}_walk"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(server.set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def revisions(engine: Engine) -> list[str]:
    """Every revision, base first, from Alembic's script directory."""
    script = ScriptDirectory.from_config(migrate.alembic_config(engine))
    order = [r.revision for r in reversed(list(script.walk_revisions()))]
    parents = [script.get_revision(r).down_revision or "base" for r in order]
    assert parents == ["base", *order[:-1]], "the walk needs one line of revisions"
    return order


def current(engine: Engine) -> str:
    with engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return "base"
        found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return str(found) if found else "base"


# What exists ------------------------------------------------------------------------------


def snapshot(conn: Connection) -> Snapshot:
    """Tables by name; triggers, trigger functions and indexes by name and definition.
    Tables' own text is left out: a rebuilt table's CREATE differs in form only."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute(
            text(
                "SELECT type, name, tbl_name, CASE WHEN type = 'table' THEN '' "
                "ELSE coalesce(sql, '') END FROM sqlite_master "
                "WHERE name NOT LIKE 'sqlite_autoindex_%'"
            )
        )
        return _ours(rows)
    queries = (
        "SELECT 'table', tablename, tablename, '' FROM pg_tables WHERE schemaname = 'public'",
        (
            "SELECT 'index', indexname, tablename, indexdef FROM pg_indexes "
            "WHERE schemaname = 'public'"
        ),
        (
            "SELECT 'trigger', tgname, tgrelid::regclass::text, pg_get_triggerdef(oid) "
            "FROM pg_trigger WHERE NOT tgisinternal"
        ),
        # Functions of our own: those of extensions (pg_trgm's) are left out.
        (
            "SELECT 'function', p.proname, '', p.prosrc FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND "
            "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
        ),
    )
    return _ours(r for q in queries for r in conn.execute(text(q)))


def _ours(rows: Iterable[Sequence[Any]]) -> Snapshot:
    # Alembic's own table stays, emptied, when the walk goes down to base.
    return frozenset(tuple(str(v) for v in r) for r in rows if r[2] != "alembic_version")


def names(found: Snapshot, kind: str) -> set[str]:
    return {obj[1] for obj in found if obj[0] == kind}


def check_maintained_objects(found: Snapshot, revision: str, dialect: str) -> None:
    """Where the asset table, the search index and the tally exist, what keeps them does."""
    tables = names(found, "table")
    if "asset" not in tables:
        return
    if dialect == "sqlite":
        assert maintained.SEARCH_TABLE in tables, revision
        assert set(maintained.SQLITE_SEARCH_TRIGGERS) <= names(found, "trigger"), revision
        if maintained.TALLY_TABLE in tables:
            assert set(maintained.SQLITE_TALLY_TRIGGERS) <= names(found, "trigger"), revision
        return
    assert maintained.POSTGRESQL_SEARCH_INDEX in names(found, "index"), revision
    if maintained.TALLY_TABLE in tables:
        assert maintained.POSTGRESQL_TALLY_TRIGGER in names(found, "trigger"), revision
        assert maintained.POSTGRESQL_TALLY_FUNCTION in names(found, "function"), revision


# Triggers a revision drops on purpose, as (revision, trigger, table).
DROPPED_ON_PURPOSE: set[tuple[str, str, str]] = {
    # The tally went (issue 16): its table with its triggers.
    *(("0020", trigger, "asset") for trigger in maintained.SQLITE_TALLY_TRIGGERS),
    ("0020", maintained.POSTGRESQL_TALLY_TRIGGER, "asset"),
}


def check_no_trigger_lost(before: Snapshot, after: Snapshot, revision: str) -> None:
    """An upgrade keeps the triggers of the tables it keeps. A trigger lost with its table
    still there is most likely a SQLite rebuild (see inventory/maintained.py): the revision
    must put it back, or list it above when it drops it on purpose."""
    tables = names(after, "table")
    kept = {(obj[1], obj[2]) for obj in after if obj[0] == "trigger"}
    lost = {
        (revision, obj[1], obj[2])
        for obj in before
        if obj[0] == "trigger" and obj[2] in tables and (obj[1], obj[2]) not in kept
    }
    assert lost <= DROPPED_ON_PURPOSE, f"triggers lost by {revision}: {sorted(lost)}"


# What follows a write, at any revision ------------------------------------------------------


def searched(conn: Connection, needle: str) -> set[int]:
    """Assets whose search text holds needle, through the index the app searches."""
    if conn.dialect.name == "sqlite":
        phrase = '"' + needle.replace('"', '""') + '"'
        rows = conn.execute(
            text("SELECT rowid FROM asset_fts WHERE asset_fts MATCH :p"), {"p": phrase}
        )
    else:
        rows = conn.execute(
            text("SELECT id FROM asset WHERE search_text LIKE :p"), {"p": f"%{needle}%"}
        )
    return {int(r[0]) for r in rows}


def scanned(conn: Connection, needle: str) -> set[int]:
    """The same, read from the asset table itself."""
    rows = conn.execute(
        text("SELECT id FROM asset WHERE instr(search_text, :n) > 0")
        if conn.dialect.name == "sqlite"
        else text("SELECT id FROM asset WHERE strpos(search_text, :n) > 0"),
        {"n": needle},
    )
    return {int(r[0]) for r in rows}


def check_tally(conn: Connection) -> None:
    if maintained.TALLY_TABLE not in inspect(conn).get_table_names():
        return
    kept = conn.execute(
        text("SELECT owner_id, category_id, status, n FROM asset_tally WHERE n <> 0")
    )
    counted = conn.execute(
        text(
            "SELECT owner_id, category_id, status, count(*) FROM asset "
            "GROUP BY owner_id, category_id, status"
        )
    )
    assert {tuple(r) for r in kept} == {tuple(r) for r in counted}


def check_index_agrees(conn: Connection) -> None:
    """Every asset is found by its tag, and only the assets holding it."""
    for (tag,) in conn.execute(text("SELECT lower(tag) FROM asset")).all():
        assert searched(conn, tag) == scanned(conn, tag), tag


def check_sql_writes_followed(engine: Engine, step: int) -> None:
    """A copy, an edit of search text and of status, and a delete, each seen by the search
    index and the tally. Only columns every revision has are named; the copy takes the rest
    from the asset it copies."""
    with engine.begin() as conn:
        if "asset" not in inspect(conn).get_table_names():
            return
        check_index_agrees(conn)
        check_tally(conn)
        ids = [r[0] for r in conn.execute(text("SELECT id FROM asset ORDER BY id"))]
        if not ids:
            return
        source, edited = ids[0], ids[-1]
        schema = inspect(conn)
        described = schema.get_columns("asset")
        columns = [c["name"] for c in described if c["name"] != "id"]
        nullable = {c["name"] for c in described if c["nullable"]}
        # Nullable columns of unique keys (serial, and any a later revision adds) are left
        # empty in the copy; tag is given.
        unique = nullable & {
            name
            for u in [*schema.get_unique_constraints("asset"), *schema.get_indexes("asset")]
            if u.get("unique", True)
            for name in u["column_names"]
            if name
        }
        given = {c: "NULL" for c in unique} | {"tag": ":tag", "search_text": ":copy"}
        copied = f"walk-copy-{step:03d}"
        conn.execute(
            text(
                f"INSERT INTO asset ({', '.join(columns)}) "
                f"SELECT {', '.join(given.get(c, c) for c in columns)} FROM asset WHERE id = :id"
            ),
            {"tag": f"WALK-{step}", "copy": copied, "id": source},
        )
        copy = conn.execute(text("SELECT id FROM asset WHERE tag = :t"), {"t": f"WALK-{step}"})
        copy_id = int(copy.scalar_one())
        assert searched(conn, copied) == {copy_id}
        check_tally(conn)

        marker = f"walk-edit-{step:03d}"
        conn.execute(
            text("UPDATE asset SET search_text = search_text || :m WHERE id = :id"),
            {"m": f" {marker}", "id": edited},
        )
        assert searched(conn, marker) == {edited}
        status = conn.execute(text("SELECT status FROM asset WHERE id = :id"), {"id": edited})
        before = status.scalar_one()
        moved = (
            Status.IN_REPAIR.value if before != Status.IN_REPAIR.value else Status.IN_STOCK.value
        )
        for value in (moved, before):
            conn.execute(
                text("UPDATE asset SET status = :s WHERE id = :id"), {"s": value, "id": edited}
            )
            check_tally(conn)

        conn.execute(text("DELETE FROM asset WHERE id = :id"), {"id": copy_id})
        assert searched(conn, copied) == set()
        check_tally(conn)
        check_index_agrees(conn)


# What follows a write at head, through the app ----------------------------------------------


@dataclass
class Register:
    """The walk's assets at head, made and edited through the services."""

    engine: Engine
    ref: Reference | None = None
    visits: int = 0
    edited_text: list[str] = field(default_factory=list)

    def check_at_head(self) -> None:
        self.visits += 1
        n = self.visits
        with Session(self.engine, expire_on_commit=False) as session:
            if self.ref is None or session.exec(select(Owner)).first() is None:
                # Down at base everything went; the register starts anew.
                self.ref = make_reference(session)
                # Out with someone (registered with a holder): its holder can be edited.
                make_asset(
                    session, self.ref, purchase_date=dt.date(2019, 1, 10), holder="Walk Start"
                )
                make_asset(
                    session, self.ref, model_id=self.ref.iphone.id, owner_id=self.ref.morbylanga.id
                )
                self.edited_text = []
            ref = self.ref
            new = make_asset(session, ref, holder=f"Walk New {n:03d}")
            first = session.exec(select(Asset).order_by(Asset.id)).first()  # type: ignore[arg-type]
            assert first is not None
            edit_asset(
                session,
                ref,
                first,
                holder=f"Walk Edited {n:03d}",
                purchase_date=first.purchase_date,
            )

            def found(q: str) -> set[str]:
                page = list_assets(session, actor=ref.admin, flt=AssetFilter(q=q, per_page=200))
                return {row.tag for row in page.items}

            assert found(f"walk new {n:03d}") == {new.tag}
            assert found(f"walk edited {n:03d}") == {first.tag}
            # The edit replaced the holder the last visit gave it.
            for before in self.edited_text:
                assert found(before) == set()
            self.edited_text.append(f"walk edited {n:03d}")
            assert list_assets(session, actor=ref.admin, flt=AssetFilter()).total == len(
                session.exec(select(Asset.id)).all()
            )

            flags.recompute(session, today=TODAY)
            stored = {(f.flag, f.asset_id, f.due_date) for f in session.exec(select(AssetFlag))}
            assert stored == fresh_flags(session)
            assert stored, "the walk's register has an asset past its lifespan"
        with self.engine.connect() as conn:
            check_tally(conn)


def fresh_flags(session: Session) -> set[tuple[str, int, dt.date]]:
    """Every active asset assessed on its own, through the domain's rules."""
    expected: set[tuple[str, int, dt.date]] = set()
    rows = session.exec(
        select(Asset, Category, Model)
        .join(Category, Category.id == Asset.category_id)  # type: ignore[arg-type]
        .join(Model, Model.id == Asset.model_id)  # type: ignore[arg-type]
    ).all()
    for asset, category, model in rows:
        if asset.status == Status.DISPOSED.value:
            continue
        facts = flags.facts_for(
            asset,
            target_lifespan_months=category.target_lifespan_months,
            horizon_months=category.horizon_months,
            end_of_support=model.end_of_support,
            today=TODAY,
        )
        expected |= {(flag.value, asset.id, facts.due_date) for flag in facts.flags}  # type: ignore[misc]
    return expected


# The walk ---------------------------------------------------------------------------------


@dataclass
class Walk:
    engine: Engine
    order: list[str]
    fresh: dict[str, Snapshot]
    register: Register
    steps: int = 0

    def go(self, revision: str) -> None:
        config = migrate.alembic_config(self.engine)
        here = current(self.engine)
        if here == revision:
            return
        position = {r: i for i, r in enumerate(["base", *self.order])}
        if position[revision] < position[here]:
            command.downgrade(config, revision)
        else:
            command.upgrade(config, revision)
        self.check(revision)

    def check(self, revision: str) -> None:
        self.steps += 1
        assert current(self.engine) == revision
        with self.engine.connect() as conn:
            found = snapshot(conn)
        assert found == self.fresh[revision], (
            f"at {revision}: missing {sorted(self.fresh[revision] - found)}, "
            f"unexpected {sorted(found - self.fresh[revision])}"
        )
        check_maintained_objects(found, revision, self.engine.dialect.name)
        check_sql_writes_followed(self.engine, self.steps)
        if revision == self.order[-1]:
            self.register.check_at_head()


def test_walking_every_revision_down_and_up_keeps_search_tally_and_flags_working(
    walk_engine: Engine,
) -> None:
    order = revisions(walk_engine)
    parent = dict(zip(order, ["base", *order[:-1]], strict=True))
    head = order[-1]

    # A fresh upgrade, one revision at a time, tells what each revision holds.
    fresh: dict[str, Snapshot] = {}
    with walk_engine.connect() as conn:
        fresh["base"] = snapshot(conn)
    for revision in order:
        migrate.upgrade(walk_engine, revision)
        with walk_engine.connect() as conn:
            fresh[revision] = snapshot(conn)
        check_maintained_objects(fresh[revision], revision, walk_engine.dialect.name)
        check_no_trigger_lost(fresh[parent[revision]], fresh[revision], revision)

    walk = Walk(walk_engine, order, fresh, Register(walk_engine))
    walk.check(head)
    for revision in reversed(order):
        walk.go(parent[revision])  # one step down
        walk.go(revision)  # and back up;
        walk.go(head)  # then up to head in one go, for the app's checks there,
        walk.go(parent[revision])  # and down in one go, to walk on from one step lower
    assert current(walk_engine) == "base"
    # The whole way up and down in one go each.
    walk.go(head)
    walk.go("base")
    walk.go(head)
    assert walk.register.visits >= len(order) + 2


_SPANS = text(
    "SELECT asset_id, owner_id, status, from_status, started_on, ended_on FROM asset_span "
    "ORDER BY asset_id, started_on, id"
)


def _spans_again_from_the_history(engine: Engine) -> tuple[list[Any], list[Any]]:
    """The spans as written, and as 0014 cuts them from the events (down to 0013, up)."""
    with engine.connect() as conn:
        written = [tuple(r) for r in conn.execute(_SPANS)]
    command.downgrade(migrate.alembic_config(engine), "0013")
    assert "asset_span" not in inspect(engine).get_table_names()
    migrate.upgrade(engine)
    with engine.connect() as conn:
        return written, [tuple(r) for r in conn.execute(_SPANS)]


def test_the_span_migration_cuts_the_history_as_the_write_point_does(
    walk_engine: Engine,
) -> None:
    """A hand-built fleet moved through the services at past moments: the spans the write
    point wrote come back the same from the history alone."""
    from .factories import make_reference
    from .sustainability_fleet import make_sustainability_fleet

    migrate.upgrade(walk_engine)
    with Session(walk_engine) as session:
        make_sustainability_fleet(session, make_reference(session))
    written, cut = _spans_again_from_the_history(walk_engine)
    assert len(written) == 17  # nine assets, eight moves
    assert cut == written


def test_the_span_migration_cuts_the_demo_history_as_the_seed_does(walk_engine: Engine) -> None:
    from inventory.seeding import demo

    migrate.upgrade(walk_engine)
    demo.seed_demo(walk_engine, assets=300, seed=7)
    written, cut = _spans_again_from_the_history(walk_engine)
    assert len(written) > 300  # every asset, and those that moved
    assert cut == written
