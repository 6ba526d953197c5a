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
    *, is_joint: bool, leaves_on: dt.date | None, today: dt.date, handed_over: bool
) -> Refusal | None:
    """Why the register cannot be handed over today, or None when it can: once, on or after
    the owner's leaving date; never the joint property, which is divided instead."""
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
    return None


def check(*, is_joint: bool, leaves_on: dt.date | None, today: dt.date, handed_over: bool) -> None:
    found = refusal(is_joint=is_joint, leaves_on=leaves_on, today=today, handed_over=handed_over)
    if found is not None:
        raise ValidationFailed({"handover": found.message}, {"handover": found.params})
