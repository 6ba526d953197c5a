"""Earlier tags of an asset: a printed label keeps working after its tag is corrected."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class AssetTagAlias(SQLModel, table=True):
    """An old tag that still leads to its asset (issue: labels stay valid when a tag is
    corrected). A tag is either one asset's current tag or one asset's alias, never both:
    services/tag_aliases.py keeps the two apart."""

    __tablename__ = "asset_tag_alias"
    id: int | None = Field(default=None, primary_key=True)
    tag: str = Field(max_length=32, unique=True)
    asset_id: int = Field(foreign_key="asset.id", index=True)
    created_at: dt.datetime
