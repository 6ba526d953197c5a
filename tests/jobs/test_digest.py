"""The weekly digest: each owner's technicians get what is newly overdue, due soon, out of
support and waiting in the reuse pool — only their own owner's."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from pathlib import Path

from flask import Flask
from sqlalchemy.engine import Engine
from sqlmodel import Session

from inventory.domain.statuses import Status
from inventory.jobs import run_job
from inventory.services import assets as asset_service

from ..factories import NOW, Reference, make_asset, record_wipe

ON = dt.date(2026, 11, 23)


def test_each_owner_gets_its_own_digest(
    app: Flask, engine: Engine, session: Session, ref: Reference
) -> None:
    settings = app.config["INVENTORY"]
    just_due = make_asset(session, ref, purchase_date=dt.date(2021, 11, 20))  # due 2026-11-20
    long_due = make_asset(session, ref, purchase_date=dt.date(2020, 1, 1))  # overdue for long
    pooled = make_asset(session, ref, purchase_date=dt.date(2025, 1, 1))
    record_wipe(session, ref, pooled)  # the pool takes only wiped devices
    asset_service.change_status(
        session, actor=ref.admin, asset=pooled, target=Status.REUSE_POOL, now=NOW
    )
    theirs = make_asset(
        session, ref, owner_id=ref.morbylanga.id, purchase_date=dt.date(2021, 11, 20)
    )
    assert run_job(engine, "flag-replacements", slot="f", today=ON) is not None
    run = run_job(engine, "digest", slot="d", today=ON, settings=settings)
    assert run is not None and run.outcome == "ok", run.error if run else None

    mails = [
        message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted((Path(settings.instance_path) / "mail").glob("*.eml"))
    ]
    to_borgholm = [m for m in mails if "tekniker.borgholm@test.se" in m["To"]]
    assert len(to_borgholm) == 1
    body = to_borgholm[0].get_content()
    assert "Borgholms kommun" in to_borgholm[0]["Subject"]
    newly = body.split("Nyss passerat")[1].split("\n\n")[0]
    assert just_due.tag in newly and long_due.tag not in newly
    assert pooled.tag in body.split("återbrukslagret")[1]
    assert theirs.tag not in body
    # Unscoped technicians get one digest over every owner.
    everyone = [m for m in mails if "tekniker@test.se" in m["To"]]
    assert len(everyone) == 1 and theirs.tag in everyone[0].get_content()


def test_each_line_gives_tag_model_and_holder_or_place(
    engine: Engine, session: Session, ref: Reference
) -> None:
    from inventory.services import digest

    with_her = make_asset(
        session, ref, holder="Karin Karlsson", purchase_date=dt.date(2021, 11, 20)
    )  # due 2026-11-20: newly overdue
    pooled = make_asset(session, ref, purchase_date=dt.date(2025, 1, 1), model_id=ref.iphone.id)
    record_wipe(session, ref, pooled)
    asset_service.change_status(
        session, actor=ref.admin, asset=pooled, target=Status.REUSE_POOL, now=NOW
    )
    nowhere = make_asset(session, ref, purchase_date=dt.date(2021, 11, 19), location_id=None)
    assert run_job(engine, "flag-replacements", slot="f", today=ON) is not None
    [everyone] = [
        m
        for m in digest.as_messages(
            digest.compose(session, today=ON), sender="s@x.se", base_url="http://inv", today=ON
        )
        if m["To"] == "admin@test.se, tekniker@test.se"
    ]
    body = everyone.get_content()
    url = f"http://inv/assets/{with_her.tag}"
    assert f"  {with_her.tag} · Dell Latitude 5440 · hos Karin Karlsson · {url}" in body
    assert f"  {pooled.tag} · Apple iPhone 15 · på Slottsskolan Hus A A12 · " in body
    assert f"  {nowhere.tag} · Dell Latitude 5440 · ingen plats angiven · " in body


def test_the_digest_reads_a_section_in_one_query_however_many_assets(
    engine: Engine, session: Session, ref: Reference
) -> None:
    """No query per line: the model, holder and place come joined (SQL statements counted
    while composing, for a register with two overdue devices and for one with ten)."""
    from sqlalchemy import event

    from inventory.services import digest

    def statements_composing() -> int:
        assert run_job(engine, "flag-replacements", slot=f"f{counted}", today=ON) is not None
        statements: list[str] = []

        def record(*args: object) -> None:
            statements.append(str(args[2]))

        with Session(engine) as reading:
            event.listen(engine, "before_cursor_execute", record)
            try:
                digests = digest.compose(reading, today=ON)
            finally:
                event.remove(engine, "before_cursor_execute", record)
        assert sum(len(lines) for d in digests for lines in d.sections.values()) >= counted
        return len(statements)

    due = dt.date(2021, 11, 20)  # due 2026-11-20: newly overdue on the 23rd
    for _ in range(2):
        make_asset(session, ref, holder="Karin Karlsson", purchase_date=due)
    counted = 2
    few = statements_composing()
    for _ in range(8):
        make_asset(session, ref, location_id=ref.server_hall.id, purchase_date=due)
    counted = 10
    assert statements_composing() == few
