"""Evidence files of the reuse routine (domain/attachments.py), kept in the database itself:
outside the web root, written in the same transaction as the assessment they prove, and in
every backup of the register (SQLite's backup copy, pg_dump) without a folder to remember."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlalchemy.orm import relationship
from sqlmodel import Field, Relationship, SQLModel

from .assessment import Assessment


class Attachment(SQLModel, table=True):
    __tablename__ = "attachment"
    # One file of each kind per assessment: a second upload (a double tap) is refused.
    __table_args__ = (
        UniqueConstraint("assessment_id", "kind", name="uq_attachment_assessment_kind"),
    )
    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", index=True)
    # The assessment it proves; none for evidence the register has no assessment for.
    assessment_id: int | None = Field(default=None, foreign_key="asset_assessment.id", index=True)
    kind: str = Field(max_length=30)  # domain.attachments.Kind
    filename: str = Field(max_length=200)
    # Decided from the bytes (domain.attachments.detect), never taken from the browser.
    content_type: str = Field(max_length=60)
    size_bytes: int
    sha256: str = Field(max_length=64)
    # Read only by the download and the handover's ZIP: listings select the other columns.
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_by: int = Field(foreign_key="app_user.id")
    uploaded_at: dt.datetime
    # Set with an assessment saved in the same flush, whose id is not known before it.
    assessment: Assessment | None = Relationship(sa_relationship=relationship(Assessment))
