"""What the public page of a scanned label says to whoever found the device: whose it is and
what to do, by what became of it. A device in the fleet goes back to IT; one that was sold
or donated is the finder's business no longer; one reported lost or stolen is wanted back.
The page names the owner only (no holder, place or serial)."""

from __future__ import annotations

from dataclasses import dataclass

from .statuses import DisposalKind, Status
from .text import N_


@dataclass(frozen=True)
class FinderNote:
    """Untranslated; `heading` and `message` take the owner's name as %(owner)s."""

    heading: str
    message: str
    # Whether the finder is asked to contact IT (the helpdesk line follows).
    asks_contact: bool = True


BELONGS = N_("This device belongs to %(owner)s")
BELONGED = N_("This device used to belong to %(owner)s")

IN_FLEET = FinderNote(BELONGS, N_("Found it? Please contact IT so that it can be returned:"))

_LEFT = {
    DisposalKind.SOLD: FinderNote(
        BELONGED,
        N_(
            "%(owner)s has sold this device: it is no longer in the register, and you do not "
            "need to return it."
        ),
        asks_contact=False,
    ),
    DisposalKind.DONATED: FinderNote(
        BELONGED,
        N_(
            "%(owner)s has donated this device: it is no longer in the register, and you do "
            "not need to return it."
        ),
        asks_contact=False,
    ),
    DisposalKind.RECYCLED: FinderNote(
        BELONGED,
        N_(
            "This device was handed in for recycling and is no longer in the register. If you "
            "found it outside a recycling point, please contact IT so that it is taken care "
            "of:"
        ),
    ),
    DisposalKind.LOST: FinderNote(
        BELONGS,
        N_("This device has been reported lost. Please contact IT so that it can be returned:"),
    ),
    DisposalKind.STOLEN: FinderNote(
        BELONGS,
        N_("This device has been reported stolen. Please contact IT so that it can be returned:"),
    ),
    # Agreement §20: the register of an owner leaving the partnership went with its devices
    # to the owner's new IT organisation.
    DisposalKind.HANDED_OVER: FinderNote(
        BELONGS,
        N_(
            "This device went with %(owner)s's register to its new IT organisation and is no "
            "longer in ours. Please contact %(owner)s, or us:"
        ),
    ),
}

# Disposed before the register recorded how (no kind).
NO_LONGER_REGISTERED = FinderNote(
    BELONGED, N_("This device is no longer in the register. If you found it, please contact IT:")
)


def finder_note(status: Status, disposal_kind: DisposalKind | None) -> FinderNote:
    if status is not Status.DISPOSED:
        return IN_FLEET
    if disposal_kind is None:
        return NO_LONGER_REGISTERED
    return _LEFT[disposal_kind]
