"""The domain's status rules as SQL, for queries over the register: one clause each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import col

from ..domain.statuses import Status

# Statuses that are no longer part of the fleet (Status.is_active is false).
_GONE = tuple(status.value for status in Status if not status.is_active)


def active(status_column: Any) -> ColumnElement[bool]:
    """Still part of the fleet: counts toward ages, replacements, labels and stocktakes."""
    return col(status_column).not_in(_GONE)
