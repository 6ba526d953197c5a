"""/healthz and /readyz, as a load balancer asks them: public, uncached, and /readyz 503 for
each thing that makes the process unfit for traffic, 200 again once it is mended."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from inventory import create_app
from inventory.config import Settings
from inventory.models import JobRun

from ..conftest import TEST_SECRET
from ..factories import NOW


def test_health_answers_without_asking_the_database(client: FlaskClient) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.get_json() == {"status": "ok"}
    assert answer.headers["Cache-Control"] == "no-store"


def test_ready_until_a_job_s_last_run_fails_and_again_when_it_succeeds(
    client: FlaskClient, session: Session
) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    assert ready.get_json() == {
        "status": "ready", "checks": {"database": "ok", "migrations": "ok", "jobs": "ok"}
    }  # fmt: skip
    session.add(JobRun(job="backup", slot="backup@2026-11-22", started_at=NOW,
                       finished_at=NOW, outcome="ok"))  # fmt: skip
    session.add(JobRun(job="backup", slot="backup@2026-11-23", started_at=NOW,
                       finished_at=NOW, outcome="failed", error="OSError: disk full"))  # fmt: skip
    session.commit()
    failing = client.get("/readyz")
    assert failing.status_code == 503
    body = failing.get_json()
    assert body["status"] == "not ready" and body["checks"]["jobs"] == "last run failed: backup"
    assert "disk full" not in failing.get_data(as_text=True)  # the job page tells the why
    session.add(JobRun(job="backup", slot="manual-1", started_at=NOW, finished_at=NOW,
                       outcome="ok"))  # fmt: skip
    session.commit()
    assert client.get("/readyz").status_code == 200


def test_not_ready_on_a_schema_behind_the_code(client: FlaskClient, engine: Engine) -> None:
    with engine.begin() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    try:
        behind = client.get("/readyz")
        assert behind.status_code == 503
        assert behind.get_json()["checks"]["migrations"].startswith("not at head")
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    assert client.get("/readyz").status_code == 200


def test_not_ready_without_its_database_or_with_an_empty_one(tmp_path: Path) -> None:
    in_the_way = tmp_path / "a-folder"  # where the database file should be
    in_the_way.mkdir()
    for url, checks in (
        (f"sqlite:///{in_the_way}", {"database": "unreachable (OperationalError)"}),
        (f"sqlite:///{tmp_path / 'empty.db'}", {"database": "ok", "jobs": "not checked",
         "migrations": "not at head: run inventory db upgrade"}),
    ):  # fmt: skip
        app = create_app(Settings(database_url=url, secret_key=TEST_SECRET,
                                  instance_path=tmp_path / "instance", testing=True))  # fmt: skip
        answer = app.test_client().get("/readyz")
        assert answer.status_code == 503 and answer.get_json()["checks"] == checks
        assert app.test_client().get("/healthz").status_code == 200
