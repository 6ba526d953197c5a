"""What a disposal records for the books (the asset ledger, services/ledger.py): the day the
device left and, when it was sold, what it fetched. Pure: values in, errors out.

The day may be earlier than the day it is recorded (a sale settled last week), but not in
the future, not before the device was bought, and not before its last change of owner or
status: the register's history of the device runs forward (domain/spans.py)."""

from __future__ import annotations

import datetime as dt

from .errors import ValidationFailed
from .statuses import DisposalKind
from .text import N_

# Proceeds are what a buyer paid (a sale) or a recycler paid for the material; a donation,
# a loss and a handover bring nothing.
TAKES_PROCEEDS = frozenset({DisposalKind.SOLD, DisposalKind.RECYCLED})
NEEDS_PROCEEDS = frozenset({DisposalKind.SOLD})


def check(
    kind: DisposalKind,
    *,
    on: dt.date,
    proceeds_ore: int | None,
    today: dt.date,
    bought: dt.date,
    last_change: dt.date | None,
) -> None:
    """Raise ValidationFailed with the fields at fault, or return."""
    errors: dict[str, str] = {}
    params: dict[str, dict[str, object]] = {}
    if on > today:
        errors["disposed_on"] = N_("The disposal date cannot be in the future.")
    elif on < bought:
        errors["disposed_on"] = N_(
            "The disposal date cannot be before the purchase date (%(day)s)."
        )
        params["disposed_on"] = {"day": bought.isoformat()}
    elif last_change is not None and on < last_change:
        errors["disposed_on"] = N_(
            "The disposal date cannot be before the device's last change of status or owner "
            "(%(day)s)."
        )
        params["disposed_on"] = {"day": last_change.isoformat()}
    if proceeds_ore is None and kind in NEEDS_PROCEEDS:
        errors["proceeds"] = N_("Enter what the device was sold for, in kronor.")
    elif proceeds_ore is not None and kind not in TAKES_PROCEEDS:
        errors["proceeds"] = N_("Proceeds are entered only for a device sold or recycled.")
    elif proceeds_ore is not None and proceeds_ore < 0:
        errors["proceeds"] = N_("Proceeds cannot be negative.")
    if errors:
        raise ValidationFailed(errors, params)
