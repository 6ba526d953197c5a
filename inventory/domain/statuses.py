"""Lifecycle statuses, disposal kinds and the allowed transitions: the one place they live."""

from __future__ import annotations

from enum import StrEnum

from .errors import InvalidTransition, ValidationFailed
from .text import N_


class Status(StrEnum):
    ORDERED = "ordered"
    IN_STOCK = "in_stock"
    DEPLOYED = "deployed"
    IN_REPAIR = "in_repair"
    RETURNED = "returned"
    REUSE_POOL = "reuse_pool"
    DISPOSED = "disposed"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def colour(self) -> str:
        """A Bootstrap contextual colour for badges."""
        return _STATUS_COLOURS[self]

    @property
    def is_active(self) -> bool:
        """Still part of the fleet (counts toward age and replacement figures)."""
        return self is not Status.DISPOSED

    @property
    def may_have_holder(self) -> bool:
        """Out with someone: handed out, or in repair on its user's behalf. Anywhere else the
        device has no holder: a person's name does not stay on a device they gave back."""
        return self in (Status.DEPLOYED, Status.IN_REPAIR)

    @property
    def is_editable(self) -> bool:
        """A disposed asset's record is final: it documents what left the register."""
        return self.is_active


_STATUS_LABELS = {
    Status.ORDERED: N_("Ordered"),
    Status.IN_STOCK: N_("In stock"),
    Status.DEPLOYED: N_("Deployed"),
    Status.IN_REPAIR: N_("In repair"),
    Status.RETURNED: N_("Returned"),
    Status.REUSE_POOL: N_("Reuse pool"),
    Status.DISPOSED: N_("Disposed"),
}

_STATUS_COLOURS = {
    Status.ORDERED: "secondary",
    Status.IN_STOCK: "info",
    Status.DEPLOYED: "success",
    Status.IN_REPAIR: "warning",
    Status.RETURNED: "primary",
    Status.REUSE_POOL: "primary",
    Status.DISPOSED: "dark",
}


class DisposalKind(StrEnum):
    RECYCLED = "recycled"
    SOLD = "sold"
    DONATED = "donated"
    LOST = "lost"
    STOLEN = "stolen"
    # The register of an owner leaving the partnership (agreement §20) goes to its new IT
    # organisation: its devices leave our register with their data, by agreement.
    HANDED_OVER = "handed_over"

    @property
    def label(self) -> str:
        return _DISPOSAL_LABELS[self]

    @property
    def leaves_with_data(self) -> bool:
        """Handed to someone else (a recycler, a buyer, a school): the device leaves the
        register only once its data has been wiped. A lost or stolen one is beyond that, and
        a handed-over one goes to its owner's new IT organisation with its data."""
        return self not in MISSING_KINDS and self is not DisposalKind.HANDED_OVER

    @property
    def only_by_handover(self) -> bool:
        """Reached only by the handover of a departing owner's register
        (services/handover.py), never by a status form, field action, assessment or import."""
        return self is DisposalKind.HANDED_OVER


MISSING_KINDS = frozenset({DisposalKind.LOST, DisposalKind.STOLEN})

_DISPOSAL_LABELS = {
    DisposalKind.RECYCLED: N_("Recycled"),
    DisposalKind.SOLD: N_("Sold"),
    DisposalKind.DONATED: N_("Donated"),
    DisposalKind.LOST: N_("Lost"),
    DisposalKind.STOLEN: N_("Stolen"),
    DisposalKind.HANDED_OVER: N_("Handed over"),
}

# A device out with a user can only leave the register by going missing; anything
# else (recycling, sale, donation) first goes through a return, where it is checked
# and its data wiped.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.ORDERED: frozenset({Status.IN_STOCK, Status.DEPLOYED, Status.DISPOSED}),
    Status.IN_STOCK: frozenset(
        {Status.DEPLOYED, Status.IN_REPAIR, Status.REUSE_POOL, Status.DISPOSED}
    ),
    Status.DEPLOYED: frozenset(
        {Status.IN_STOCK, Status.IN_REPAIR, Status.RETURNED, Status.DISPOSED}
    ),
    Status.IN_REPAIR: frozenset(
        {Status.DEPLOYED, Status.IN_STOCK, Status.RETURNED, Status.DISPOSED}
    ),
    Status.RETURNED: frozenset(
        {Status.IN_STOCK, Status.REUSE_POOL, Status.IN_REPAIR, Status.DISPOSED}
    ),
    Status.REUSE_POOL: frozenset(
        {Status.DEPLOYED, Status.IN_STOCK, Status.IN_REPAIR, Status.DISPOSED}
    ),
    Status.DISPOSED: frozenset(),
}

# Which ways out of the register each status allows.
_DISPOSAL_ALLOWED: dict[Status, frozenset[DisposalKind]] = {
    Status.ORDERED: MISSING_KINDS,  # an order that never arrived
    Status.DEPLOYED: MISSING_KINDS,
}


def allowed_targets(current: Status) -> frozenset[Status]:
    return TRANSITIONS[current]


# The ways out a person chooses (status form, reuse decision): all but the handover's own.
_CHOSEN_KINDS = frozenset(k for k in DisposalKind if not k.only_by_handover)


def allowed_disposal_kinds(current: Status) -> frozenset[DisposalKind]:
    """The disposal kinds a person may choose for a device in this status."""
    if Status.DISPOSED not in TRANSITIONS[current]:
        return frozenset()
    return _DISPOSAL_ALLOWED.get(current, _CHOSEN_KINDS)


def next_status(
    current: Status,
    target: Status,
    disposal_kind: DisposalKind | None = None,
    *,
    by_handover: bool = False,
) -> Status:
    """Return `target` if the lifecycle allows the move, else raise with a clear message.

    `by_handover` is the handover of the device's owner's register: it moves every device
    still in the register, whatever its status, to disposed as handed over, and it is the
    only way to that kind (services/lifecycle.py sets it only for a recorded handover of
    the asset's own owner)."""
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(before=current, after=target)
    handing_over = disposal_kind is not None and disposal_kind.only_by_handover
    if handing_over != by_handover:
        raise ValidationFailed(
            {
                "disposal_kind": N_(
                    "Only the handover of a departing owner's register hands devices over."
                )
            }
        )
    if by_handover:
        if target is not Status.DISPOSED:
            raise InvalidTransition(before=current, after=target)
        return target
    if target is Status.DISPOSED:
        if disposal_kind is None:
            raise ValidationFailed(
                {"disposal_kind": N_("Choose how the device left the register.")}
            )
        if disposal_kind not in allowed_disposal_kinds(current):
            raise ValidationFailed(
                {
                    "disposal_kind": N_(
                        "A device with this status can only be disposed of as lost or stolen. "
                        "To recycle, sell or donate it, first set it to Returned or In stock."
                    )
                }
            )
    elif disposal_kind is not None:
        raise ValidationFailed(
            {"disposal_kind": N_("Choose a disposal kind only when the new status is Disposed.")}
        )
    return target
