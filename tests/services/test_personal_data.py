"""The nightly anonymisation of earlier holders (GDPR: storage limitation): a holding that
ended longer ago than the retention time leaves the history with a mark in the name's place,
the history keeping its shape; a holding still going on, or ended within the time, keeps its
name; what imports recorded of those people goes the same way; running again changes nothing."""

from __future__ import annotations

import datetime as dt
import json

from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from inventory.domain.field_actions import FieldAction
from inventory.domain.personal import ANONYMISED, expired_names
from inventory.jobs import run_job
from inventory.models import Asset, AssetEvent, AuditEvent, ImportRun
from inventory.services import field_actions, personal_data

from ..conftest import login
from ..factories import Reference, make_asset

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the cutoff at 12 months: 2025-11-23


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=UTC)


def test_which_names_go_is_told_by_when_each_holding_ended() -> None:
    events = [
        (1, _at("2023-01-10"), {"holder": [None, "Anna"]}),
        (2, _at("2024-02-01"), {"location_id": [1, 2]}),
        (3, _at("2025-03-01"), {"holder": ["Anna", None], "status": ["deployed", "returned"]}),
        (4, _at("2025-04-01"), {"holder": [None, "Bertil"]}),
        (5, _at("2025-12-01"), {"holder": ["Bertil", None]}),  # within the 12 months
        (6, _at("2026-01-05"), {"holder": [None, "Anna"]}),  # Anna again: still hers
        (7, _at("2024-06-01"), {"mdm_user": ["x@oland.se", "y@oland.se"]}),
    ]
    events.sort(key=lambda e: e[1])
    assert expired_names(events, before=_at("2025-11-23")) == {
        1: {"holder": {"Anna"}}, 3: {"holder": {"Anna"}}, 7: {"mdm_user": {"x@oland.se"}},
    }  # fmt: skip


def _hand_out(session: Session, ref: Reference, asset: Asset, who: str, at: str) -> None:
    field_actions.perform(session, actor=ref.technician, asset=asset, holder=who,
                          action=FieldAction.HAND_OUT, now=_at(at),
                          expected_version=asset.version)  # fmt: skip


def _take_back(session: Session, ref: Reference, asset: Asset, at: str) -> None:
    field_actions.perform(session, actor=ref.technician, asset=asset,
                          action=FieldAction.TAKE_BACK, now=_at(at),
                          expected_version=asset.version)  # fmt: skip


def _holders(session: Session, asset: Asset) -> list[list[object]]:
    session.expire_all()
    events = session.exec(
        select(AssetEvent).where(AssetEvent.asset_id == asset.id).order_by(col(AssetEvent.id))
    )
    return [e.changes["holder"] for e in events if "holder" in e.changes]


def test_the_job_anonymises_ended_holdings_and_keeps_the_history_s_shape(
    session: Session, ref: Reference, as_user: object, client: FlaskClient
) -> None:
    pc = make_asset(session, ref)
    _hand_out(session, ref, pc, "Anna Åberg", "2024-01-10")
    _take_back(session, ref, pc, "2025-03-01")
    still_out = make_asset(session, ref)
    _hand_out(session, ref, still_out, "Bertil Berg", "2024-04-01")
    kept = make_asset(session, ref)
    _hand_out(session, ref, kept, "Cecilia Ceder", "2025-01-10")
    _take_back(session, ref, kept, "2026-02-01")  # within the twelve months
    events_before = session.exec(select(AssetEvent)).all()
    session.add(ImportRun(
        actor_id=ref.admin.id, started_at=_at("2025-01-02"), finished_at=_at("2025-01-02"),
        filename="intune.csv", sha256="0" * 64, format="intune", outcome="done",
        rows=[{"line": 2, "tag": pc.tag, "outcome": "updated",
               "changes": {"mdm_user": [None, "anna@oland.se"], "os_version": [None, "11"]},
               "reasons": []}],
    ))  # fmt: skip
    session.commit()

    first = personal_data.anonymise_expired(session, now=NOW, months=12)
    assert first == {"events": 2, "imports": 1}
    assert _holders(session, pc) == [[None, ANONYMISED], [ANONYMISED, None]]
    assert _holders(session, still_out) == [[None, "Bertil Berg"]]
    assert _holders(session, kept) == [[None, "Cecilia Ceder"], ["Cecilia Ceder", None]]
    assert len(session.exec(select(AssetEvent)).all()) == len(events_before)  # same shape
    run = session.exec(select(ImportRun)).one()
    assert run.rows[0]["changes"] == {"mdm_user": [None, ANONYMISED], "os_version": [None, "11"]}
    assert "Anna" not in json.dumps(run.rows)
    assert session.get(Asset, still_out.id).holder == "Bertil Berg"  # type: ignore[union-attr]
    assert personal_data.anonymise_expired(session, now=NOW, months=12) == {"events": 0,
                                                                            "imports": 0}  # fmt: skip
    logged = session.exec(select(AuditEvent).where(
        AuditEvent.action == "personal_data.anonymised")).all()  # fmt: skip
    assert [e.details["events"] for e in logged] == [2]

    # The history says so, in the user's language.
    login(client, ref.technician.email)
    page = client.get(f"/assets/{pc.tag}").get_data(as_text=True)
    assert "(anonymiserad)" in page and "Anna" not in page and ANONYMISED not in page


def test_the_nightly_job_uses_the_configured_retention(
    session: Session, ref: Reference, client: FlaskClient
) -> None:
    pc = make_asset(session, ref)
    _hand_out(session, ref, pc, "Anna Åberg", "2026-01-10")
    _take_back(session, ref, pc, "2026-03-01")  # nine months before today
    settings = client.application.config["INVENTORY"]
    engine = client.application.extensions["db_engine"]
    run = run_job(engine, "anonymise-holders", slot="manual-a", today=NOW.date(), settings=settings)
    assert run is not None and run.outcome == "ok", run.error if run else None
    assert _holders(session, pc)[0] == [None, "Anna Åberg"]  # 12 months: kept
    from dataclasses import replace

    shorter = replace(settings, holder_retention_months=6)
    run = run_job(engine, "anonymise-holders", slot="manual-b", today=NOW.date(), settings=shorter)
    assert run is not None and run.outcome == "ok" and json.loads(run.counts)["events"] == 2
    assert _holders(session, pc) == [[None, ANONYMISED], [ANONYMISED, None]]
