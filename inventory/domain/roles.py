"""User roles and what each may do."""

from __future__ import annotations

from enum import StrEnum

from .text import N_


class Role(StrEnum):
    ADMIN = "admin"
    TECHNICIAN = "technician"
    VIEWER = "viewer"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def label(self) -> str:
        return _LABELS[self]

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


_RANK = {Role.VIEWER: 1, Role.TECHNICIAN: 2, Role.ADMIN: 3}
_LABELS = {
    Role.ADMIN: N_("Administrator"),
    Role.TECHNICIAN: N_("Technician"),
    Role.VIEWER: N_("Viewer"),
}
