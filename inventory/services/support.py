"""A device's end of support: its own where one is known (a Chromebook's auto-update expiry,
imported from Google Admin), else its model's. Every query that needs it selects SUPPORT_END,
so that the flags, the asset page, the refresh plan and the handover agree."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col

from ..models import Asset, Model

SUPPORT_END = func.coalesce(col(Asset.end_of_support), col(Model.end_of_support)).label(
    "end_of_support"
)
