"""PostgreSQL: a request that only read ends its transaction with COMMIT, so that psycopg
keeps the connection's prepared statements (it drops them at every ROLLBACK) and the same
lookup is not planned anew at every request; a request that wrote and did not commit is
still rolled back."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlmodel import Session

from inventory import db
from inventory.models import Asset
from inventory.services import users

from ..factories import NOW, Reference, make_asset


def test_the_same_lookup_is_prepared_once_and_kept_between_requests(
    app: Flask, client: FlaskClient, session: Session, ref: Reference
) -> None:
    engine = app.extensions["db_engine"]
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's driver keeps its own statement cache")
    assets = [make_asset(session, ref) for _ in range(8)]
    token = users.create_token(session, email=ref.viewer.email, now=NOW)
    engine.dispose()  # one fresh connection for the requests below
    for asset in assets:
        answer = client.get(
            f"/api/v1/assets/{asset.tag}", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 200
    with engine.connect() as conn:
        prepared = conn.execute(
            text(
                "SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%asset.tag =%'"
            )
        ).all()
    assert prepared, "the lookup was planned anew at every request"


def test_a_request_that_wrote_without_committing_is_rolled_back(
    app: Flask, session: Session, ref: Reference
) -> None:
    if app.extensions["db_engine"].dialect.name != "postgresql":
        pytest.skip("only PostgreSQL's read-only requests end with COMMIT")
    asset = make_asset(session, ref)
    with app.test_request_context():
        s = db.session()
        s.get(Asset, asset.id).notes = "never saved"  # type: ignore[union-attr]
        s.flush()  # written, not committed: a view that failed after its flush
        app.do_teardown_appcontext()
    with app.test_request_context():
        s = db.session()
        s.connection().exec_driver_sql("UPDATE asset SET notes = 'raw, not saved'")
        app.do_teardown_appcontext()
    session.expire_all()
    assert session.get(Asset, asset.id).notes == ""  # type: ignore[union-attr]
