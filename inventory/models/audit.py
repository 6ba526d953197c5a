"""Security-relevant events that are not an asset's history: logins, logouts, throttling.

A general table (who, when, what, about whom, from where) so that later issues can record
other events in it and an administration page can list them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    # Aware UTC, like every timestamp we store.
    at: dt.datetime = Field(index=True)
    # Who did it, when known: none for a failed or throttled login.
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    # login.success | login.failed | login.throttled | logout ...
    action: str = Field(max_length=40)
    # What it was about, e.g. the e-mail address a login tried (known or not).
    subject: str = Field(default="", max_length=254)
    # IPv6 text form is at most 45 characters.
    remote_addr: str | None = Field(default=None, max_length=45)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
