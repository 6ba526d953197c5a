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
