"""The flag job: every active asset's flags stored in one run; one claim per slot."""

from __future__ import annotations

import datetime as dt
import threading

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from inventory.domain.statuses import DisposalKind, Status
from inventory.jobs import run_job
from inventory.models import AssetFlag, JobRun
from inventory.services import assets as asset_service

from ..conftest import login
from ..factories import NOW, Reference, make_asset, record_wipe

ON = dt.date(2026, 11, 23)


def stored(session: Session) -> set[tuple[str, str]]:
    from inventory.models import Asset

    rows = session.exec(
        select(Asset.tag, AssetFlag.flag).join(Asset, Asset.id == AssetFlag.asset_id)
    ).all()
    return {(tag, flag) for tag, flag in rows}


def test_the_job_stores_the_same_flags_the_rules_give(
    engine: Engine, session: Session, ref: Reference
) -> None:
    old = make_asset(session, ref, purchase_date=dt.date(2021, 8, 15))  # 5 years passed: overdue
    kept = make_asset(session, ref, purchase_date=dt.date(2022, 11, 1))  # depreciated, not yet 5
    new = make_asset(session, ref, purchase_date=dt.date(2026, 9, 1))  # nothing to say
    gone = make_asset(session, ref, purchase_date=dt.date(2019, 1, 1))
    record_wipe(session, ref, gone)
    asset_service.change_status(
        session,
        actor=ref.admin,
        asset=gone,
        target=Status.DISPOSED,
        disposal_kind=DisposalKind.RECYCLED,
        now=NOW,
    )
    run = run_job(engine, "flag-replacements", slot="2026-11-23", today=ON)
    assert run is not None and run.outcome == "ok"
    session.expire_all()
    flags = stored(session)
    assert (old.tag, "overdue") in flags
    assert {(kept.tag, "depreciated_keep"), (kept.tag, "due_soon")} <= flags
    assert not {f for f in flags if f[0] in (new.tag, gone.tag)}
    # A second run replaces, never duplicates.
    run_job(engine, "flag-replacements", slot="2026-11-24", today=ON)
    session.expire_all()
    assert stored(session) == flags


def test_a_slot_runs_once_however_many_schedulers_wake_for_it(
    engine: Engine, ref: Reference
) -> None:
    outcomes: list[object] = []
    barrier = threading.Barrier(4)

    def scheduler() -> None:
        barrier.wait()
        outcomes.append(run_job(engine, "flag-replacements", slot="nightly-2026-11-23", today=ON))

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    ran = [o for o in outcomes if o is not None]
    assert len(outcomes) == 4 and len(ran) == 1
    with Session(engine) as s:
        runs = s.exec(select(JobRun).where(JobRun.slot == "nightly-2026-11-23")).all()
        assert len(runs) == 1 and runs[0].outcome == "ok" and runs[0].finished_at is not None


def test_the_list_and_api_filter_on_stored_flags(
    engine: Engine, client: FlaskClient, session: Session, ref: Reference
) -> None:
    old = make_asset(session, ref, purchase_date=dt.date(2021, 8, 15))
    make_asset(session, ref, purchase_date=dt.date(2026, 9, 1))
    run_job(engine, "flag-replacements", slot="x", today=ON)
    login(client, ref.viewer.email)
    found = client.get("/api/v1/assets?flag=overdue").get_json()
    assert [i["tag"] for i in found["items"]] == [old.tag]
    # A query string the API cannot read is a bad request (400); a bad body is 422.
    assert client.get("/api/v1/assets?flag=nonsense").status_code == 400
    assert old.tag in client.get("/assets/?flag=overdue").get_data(as_text=True)


def test_the_command_runs_a_job_now(app: Flask, session: Session, ref: Reference) -> None:
    make_asset(session, ref, purchase_date=dt.date(2021, 8, 15))
    result = app.test_cli_runner().invoke(
        args=["jobs", "run", "flag-replacements", "--on", "2026-11-23"]
    )
    assert result.exit_code == 0, result.output
    assert '"overdue": 1' in result.output
    from inventory.cli import JOB_NAMES
    from inventory.jobs import JOBS

    assert sorted(JOB_NAMES) == sorted(JOBS)  # every job can be run from the command line


def test_an_admin_runs_a_job_now_and_sees_the_run(
    engine: Engine, client: FlaskClient, session: Session, ref: Reference
) -> None:
    import time

    make_asset(session, ref, purchase_date=dt.date(2021, 8, 15))
    login(client, ref.admin.email)
    assert client.post("/admin/jobs/flag-replacements/run").status_code == 302
    deadline = time.monotonic() + 30
    while True:
        with Session(engine) as s:
            run = s.exec(select(JobRun)).first()
        if run is not None and run.finished_at is not None:
            break
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.1)
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "flag-replacements" in page and "text-bg-success" in page
    assert "overdue&#34;: 1" in page  # the run's counts, HTML-escaped
    assert client.post("/admin/jobs/nonsense/run").status_code == 404


def test_the_scheduler_plans_the_nightly_flag_run(engine: Engine, app: Flask) -> None:
    from apscheduler.schedulers.background import BackgroundScheduler

    from inventory.jobs.scheduler import configure

    scheduler = configure(
        BackgroundScheduler(timezone="Europe/Stockholm"), engine, app.config["INVENTORY"]
    )
    scheduler.start(paused=True)
    try:
        job = scheduler.get_job("flag-replacements")
        assert job is not None
        assert (job.next_run_time.hour, job.next_run_time.minute) == (2, 15)
        digest = scheduler.get_job("digest")
        assert digest is not None and digest.next_run_time.weekday() == 0
    finally:
        scheduler.shutdown(wait=False)


def test_the_dashboard_shows_flags_the_reuse_pool_and_average_age(
    engine: Engine, client: FlaskClient, session: Session, ref: Reference
) -> None:
    import re

    make_asset(session, ref, purchase_date=dt.date(2021, 8, 15))  # overdue, 5.3 years
    pooled = make_asset(session, ref, purchase_date=dt.date(2024, 11, 23))  # 2.0 years
    record_wipe(session, ref, pooled)  # the pool takes only wiped devices
    asset_service.change_status(
        session, actor=ref.admin, asset=pooled, target=Status.REUSE_POOL, now=NOW
    )
    run_job(engine, "flag-replacements", slot="x", today=ON)
    login(client, ref.viewer.email)
    page = client.get("/").get_data(as_text=True)
    overdue = re.search(
        r'data-flag="overdue" data-category="pc" data-owner="borgholm">(?:<a [^>]*>)?(\d+)', page
    )
    assert overdue is not None and overdue.group(1) == "1"
    pool = re.search(r'data-pool="pc" data-owner="borgholm">(?:<a [^>]*>)?(\d+)', page)
    assert pool is not None and pool.group(1) == "1"
    age = re.search(r'data-category="pc" data-age="([0-9.]+)"', page)
    assert age is not None and abs(float(age.group(1)) - 3.65) < 0.02  # (5.27 + 2.0) / 2


def test_two_scheduler_instances_run_a_due_job_once(
    engine: Engine, app: Flask, ref: Reference
) -> None:
    """Two APScheduler instances (as in two gunicorn masters or hosts) wake for the same
    slot against one database: one runs the job, the other finds the slot taken."""
    import time

    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.date import DateTrigger

    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    schedulers = []
    for _ in range(2):
        scheduler = BackgroundScheduler(timezone="UTC")
        scheduler.add_job(
            run_job,
            DateTrigger(run_date=when),
            args=[engine, "flag-replacements"],
            kwargs={
                "slot": "flag-replacements@2026-11-23",
                "today": ON,
                "settings": app.config["INVENTORY"],
            },
        )
        schedulers.append(scheduler)
    for scheduler in schedulers:
        scheduler.start()
    deadline = time.monotonic() + 30
    while any(s.get_jobs() for s in schedulers) and time.monotonic() < deadline:
        time.sleep(0.1)
    for scheduler in schedulers:
        scheduler.shutdown(wait=True)
    with Session(engine) as s:
        runs = s.exec(select(JobRun).where(JobRun.slot == "flag-replacements@2026-11-23")).all()
    assert len(runs) == 1 and runs[0].outcome == "ok"
