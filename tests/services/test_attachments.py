"""Evidence files as use cases: written in the assessment's transaction or not at all, and
nothing added to a register that has been handed over."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from inventory.domain import reuse
from inventory.domain.attachments import Kind, Upload
from inventory.domain.errors import NotFound, PermissionDenied, ValidationFailed
from inventory.models import Assessment, Asset, AssetEvent, Attachment
from inventory.services import attachments, handover
from inventory.services import reuse as reuse_service

from ..departing import AFTER, AFTER_NOW, make_departing
from ..evidence import attach_later, pdf
from ..factories import NOW, TODAY, Reference, make_asset, record_wipe


def assess_with_report(session: Session, ref: Reference, asset: Asset) -> Assessment:
    return reuse_service.assess(
        session,
        actor=ref.technician,
        asset=asset,
        data=reuse.AssessmentInput(
            grade=reuse.Grade.B,
            decision=reuse.Decision.REUSE_POOL,
            wipe=reuse.Wipe(method="Blancco", on=TODAY, by="Tekniker"),
        ),
        today=TODAY,
        now=NOW,
        expected_version=asset.version,
        files=[(Kind.WIPE_REPORT, Upload("rapport.pdf", pdf()))],
    )


def test_the_assessment_and_its_file_are_one_transaction(
    session: Session, ref: Reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    asset = make_asset(session, ref)
    made = attachments.new_attachment

    def broken(**kwargs: object) -> Attachment:
        attachment = made(**kwargs)  # type: ignore[arg-type]
        attachment.uploaded_by = 2_147_483_000  # no such user: the insert fails
        return attachment

    monkeypatch.setattr(attachments, "new_attachment", broken)
    with pytest.raises(IntegrityError):
        assess_with_report(session, ref, asset)
    session.expire_all()
    assert session.exec(select(Assessment)).all() == []
    assert session.exec(select(Attachment)).all() == []
    assert [e.action for e in session.exec(select(AssetEvent))] == ["create"]
    assert session.get(Asset, asset.id).status == "in_stock"  # type: ignore[union-attr]


def test_the_file_is_tied_to_the_assessment_saved_with_it(session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref)
    assessment = assess_with_report(session, ref, asset)
    [kept] = session.exec(select(Attachment)).all()
    assert kept.assessment_id == assessment.id and kept.asset_id == asset.id
    assert [f.filename for f in attachments.of_assessment(session, assessment.id)] == [  # type: ignore[arg-type]
        "rapport.pdf"
    ]


def test_nothing_is_attached_to_a_register_that_has_been_handed_over(
    session: Session, ref: Reference
) -> None:
    w = make_departing(session, ref)
    handover.hand_over(session, actor=ref.admin, owner=w.owner, today=AFTER, now=AFTER_NOW)
    with pytest.raises(ValidationFailed) as refused:
        attach_later(session, ref, w.recycled, Kind.RECYCLING_CERTIFICATE, at=AFTER_NOW)
    assert "handed over" in refused.value.errors["recycling_certificate"]
    assert session.exec(select(Attachment)).all() == []


def test_only_a_technician_of_the_assets_owner_attaches(session: Session, ref: Reference) -> None:
    theirs = make_asset(session, ref, owner_id=ref.morbylanga.id, location_id=None)
    record_wipe(session, ref, theirs)
    upload = [(Kind.WIPE_REPORT, Upload("r.pdf", pdf()))]
    common = {"files": upload, "max_bytes": 1 << 20, "today": TODAY, "now": NOW}
    with pytest.raises(PermissionDenied):
        attachments.attach(session, actor=ref.viewer, tag=theirs.tag, **common)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        attachments.attach(session, actor=ref.tech_borgholm, tag=theirs.tag, **common)  # type: ignore[arg-type]
    assert session.exec(select(Attachment)).all() == []


def test_a_file_attached_later_goes_to_the_latest_assessment(
    session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    record_wipe(session, ref, asset, at=NOW)
    record_wipe(session, ref, asset, at=NOW + dt.timedelta(minutes=5))
    latest = session.exec(select(Assessment).order_by(Assessment.id.desc())).first()  # type: ignore[union-attr]
    kept = attach_later(session, ref, asset, at=NOW + dt.timedelta(minutes=6))
    assert latest is not None and kept.assessment_id == latest.id
    event = session.exec(select(AssetEvent).where(AssetEvent.action == "attachment")).one()
    assert event.changes == {"wipe_report": [None, "rapport.pdf"]}
    assert event.actor_id == ref.admin.id
