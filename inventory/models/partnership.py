"""The end of the partnership (cooperation agreement §20): split proposals for the joint
property, their lines and manual adjustments, and the handover of a departing owner."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..domain.partnership import Basis


class SplitState:
    DRAFT = "draft"
    # Decided by the committee and applied: every joint asset has its new owner, and the
    # lines keep the values they had.
    APPLIED = "applied"


# Why a line went to its side: site, balance or adjusted (the rules live in the domain).
SplitBasis = Basis


class SplitProposal(SQLModel, table=True):
    """A proposal to divide the joint property on `split_on`, by the cost key of that year.
    A draft is recomputed from the register on demand; an applied one is frozen."""

    __tablename__ = "split_proposal"
    id: int | None = Field(default=None, primary_key=True)
    split_on: dt.date = Field(unique=True)
    cost_key_year: int
    # The key as it was computed with ({owner id: users}): the lines were balanced to it, so
    # the page reads the proposal with it, and applying refuses when the key has changed.
    cost_key_users: dict[str, int] | None = Field(default=None, sa_column=Column(JSON))
    state: str = Field(default=SplitState.DRAFT, max_length=10)
    computed_at: dt.datetime
    computed_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    # The committee's decision, recorded when it is applied.
    decided_on: dt.date | None = None
    decision_ref: str = Field(default="", max_length=80)
    decision_comment: str = Field(default="", max_length=2000)
    applied_at: dt.datetime | None = None
    applied_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class SplitLine(SQLModel, table=True):
    """One joint asset in a proposal: where the rules put it, where it goes (after any
    adjustment), and what it was worth on the split date. Tag, category and site are kept
    so that an applied split reads as it was decided, whatever happens to the asset later."""

    __tablename__ = "split_line"
    __table_args__ = (UniqueConstraint("proposal_id", "asset_id"),)
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="split_proposal.id", index=True)
    asset_id: int = Field(foreign_key="asset.id", index=True)
    # The asset's optimistic-lock version when the line was computed: applying refuses a
    # proposal whose assets changed since.
    asset_version: int
    proposed_owner_id: int = Field(foreign_key="owner.id")
    to_owner_id: int = Field(foreign_key="owner.id")
    basis: str = Field(max_length=10)
    book_value_ore: int = Field(sa_column=Column(BigInteger, nullable=False))
    purchase_price_ore: int = Field(sa_column=Column(BigInteger, nullable=False))
    tag: str = Field(max_length=32)
    category_id: int = Field(foreign_key="category.id")
    site_id: int | None = Field(default=None, foreign_key="site.id")
    # The site's owner when computed: a site given to a municipality afterwards makes the
    # proposal stale, though no asset changed.
    site_owner_id: int | None = Field(default=None, foreign_key="owner.id")


class SplitAdjustment(SQLModel, table=True):
    """A hand move of one asset to a side, with its reason; kept with who and when. The
    latest adjustment of an asset in a proposal wins, also over a recompute."""

    __tablename__ = "split_adjustment"
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="split_proposal.id", index=True)
    asset_id: int = Field(foreign_key="asset.id")
    to_owner_id: int = Field(foreign_key="owner.id")
    reason: str = Field(max_length=500)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    at: dt.datetime


class OwnerHandover(SQLModel, table=True):
    """A departing owner's register handed over on its leaving date: its remaining assets
    went to the final state handed over, its only-scoped users were deactivated."""

    __tablename__ = "owner_handover"
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="owner.id", unique=True)
    handed_over_on: dt.date
    performed_at: dt.datetime
    performed_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    asset_count: int = 0
    # What the handover report lists: the deactivated users ({"email", "name"}) and the
    # number of tokens revoked.
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
