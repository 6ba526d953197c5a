"""The one-tap actions a technician takes with a scanned asset, and what each needs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import ValidationFailed
from .statuses import TRANSITIONS, Status
from .text import N_


class FieldAction(StrEnum):
    SEEN = "seen"
    HAND_OUT = "hand_out"
    TAKE_BACK = "take_back"
    MOVE = "move"
    REPORT_FAULT = "report_fault"
    NOTE = "note"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def needs_holder(self) -> bool:
        return self is FieldAction.HAND_OUT

    @property
    def takes_location(self) -> bool:
        """Moving requires a place; seeing it or handing it out may correct the place; taking
        it back asks where it is now (the form proposes the IT storage)."""
        return self in (
            FieldAction.MOVE, FieldAction.SEEN, FieldAction.HAND_OUT, FieldAction.TAKE_BACK
        )  # fmt: skip

    @property
    def needs_location(self) -> bool:
        return self is FieldAction.MOVE

    @property
    def needs_comment(self) -> bool:
        return self in (FieldAction.REPORT_FAULT, FieldAction.NOTE)

    @property
    def target(self) -> Status | None:
        """The status the action moves the asset to, if it changes the status at all."""
        return _TARGETS.get(self)


_LABELS = {
    FieldAction.SEEN: N_("Seen here"),
    FieldAction.HAND_OUT: N_("Hand out"),
    FieldAction.TAKE_BACK: N_("Take back"),
    FieldAction.MOVE: N_("Move"),
    FieldAction.REPORT_FAULT: N_("Report fault"),
    FieldAction.NOTE: N_("Add note"),
}
_TARGETS = {
    FieldAction.HAND_OUT: Status.DEPLOYED,
    FieldAction.TAKE_BACK: Status.RETURNED,
    FieldAction.REPORT_FAULT: Status.IN_REPAIR,
}


def available(status: Status) -> list[FieldAction]:
    """What can be done with an asset in this status: nothing once it is disposed; a status
    move only where the lifecycle allows it."""
    if status is Status.DISPOSED:
        return []
    return [a for a in FieldAction if a.target is None or a.target in TRANSITIONS[status]]


def check_input(action: FieldAction, *, holder: str, location_id: int | None, comment: str) -> None:
    errors: dict[str, str] = {}
    if action.needs_holder and not holder.strip():
        errors["holder"] = N_("Say who gets the device: a person or a shared use.")
    if action.needs_location and location_id is None:
        errors["location_id"] = N_("Choose where the device is now.")
    if action.needs_comment and not comment.strip():
        errors["comment"] = N_("Write what is wrong or what to note.")
    if len(holder) > 200 or len(comment) > 500:
        errors["comment" if len(comment) > 500 else "holder"] = N_("That text is too long.")
    if errors:
        raise ValidationFailed(errors)


@dataclass(frozen=True)
class Storage:
    """An IT storage room (Location.is_it_storage) and the owner of its site."""

    location_id: int
    site_id: int
    site_owner_id: int | None


def return_place(
    stores: list[Storage],
    *,
    asset_site_id: int | None,
    asset_owner_id: int,
    technician_owner_id: int | None,
) -> int | None:
    """Where a device taken back most likely goes: the IT storage of the site it is at (the
    technician is standing there), else of the technician's own municipality, else of the
    device's owner, else the first one; None when there is no IT storage."""
    for wanted in (
        lambda s: s.site_id == asset_site_id,
        lambda s: technician_owner_id is not None and s.site_owner_id == technician_owner_id,
        lambda s: s.site_owner_id == asset_owner_id,
        lambda s: True,
    ):
        found = next((s for s in stores if wanted(s)), None)
        if found is not None:
            return found.location_id
    return None
