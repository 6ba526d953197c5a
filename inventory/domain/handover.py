"""When a departing owner's register may be handed over (cooperation agreement §20: a
member leaves on the day its agreement ends). Pure: values in, values out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .errors import ValidationFailed
from .text import N_


@dataclass(frozen=True)
class Refusal:
    message: str
    params: dict[str, object] = field(default_factory=dict)


def refusal(
    *,
    is_joint: bool,
    leaves_on: dt.date | None,
    today: dt.date,
    handed_over: bool,
    open_stocktakes: int = 0,
    undecided_split: dt.date | None = None,
) -> Refusal | None:
    """Why the register cannot be handed over today, or None when it can: once, on or after
    the owner's leaving date; never the joint property, which is divided instead. Not while
    a stocktake of the owner's is open (its scans would be missing from what is handed over,
    and closing it afterwards would find the devices misplaced), and not while a split of
    the joint property up to the leaving date is only a proposal: applied afterwards, it
    would give the departed owner devices that no handover could reach."""
    if is_joint:
        return Refusal(N_("The joint property is not handed over: it is divided (agreement §20)."))
    if handed_over:
        return Refusal(N_("This owner's register has already been handed over."))
    if leaves_on is None:
        return Refusal(N_("Set the day the owner leaves the partnership first."))
    if today < leaves_on:
        return Refusal(
            N_("The register can be handed over on or after %(date)s, the day the owner leaves."),
            {"date": leaves_on.isoformat()},
        )
    if open_stocktakes:
        return Refusal(
            N_("Close the owner's open stocktakes first (%(count)s): their scans belong to "
               "what is handed over."),
            {"count": open_stocktakes},
        )  # fmt: skip
    if undecided_split is not None:
        return Refusal(
            N_("The split of the joint property on %(date)s is still a proposal: apply it "
               "first, so that the owner's share is handed over with the rest."),
            {"date": undecided_split.isoformat()},
        )  # fmt: skip
    return None


def check(**facts: object) -> None:
    found = refusal(**facts)  # type: ignore[arg-type]
    if found is not None:
        raise ValidationFailed({"handover": found.message}, {"handover": found.params})
