"""The reuse routine (återbruk): a returned device is assessed, wiped and then decided on.

Nothing leaves the register without a recorded data wipe, and a device younger than its
target lifespan leaves only with a written reason: the committee's goal is that computers
live five years, so the default is to use them again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .errors import ValidationFailed
from .statuses import DisposalKind, Status
from .text import N_


class Grade(StrEnum):
    A = "A"  # as new
    B = "B"  # wear, works fully
    C = "C"  # works with faults


class Decision(StrEnum):
    REUSE_POOL = "reuse_pool"
    SPARE = "spare"
    SELL = "sell"
    DONATE = "donate"
    RECYCLE = "recycle"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def target(self) -> Status:
        return _TARGETS[self]

    @property
    def disposal_kind(self) -> DisposalKind | None:
        return _KINDS.get(self)

    @property
    def leaves_register(self) -> bool:
        return self.target is Status.DISPOSED


_LABELS = {
    Decision.REUSE_POOL: N_("To the reuse pool"),
    Decision.SPARE: N_("Keep as a spare"),
    Decision.SELL: N_("Sell"),
    Decision.DONATE: N_("Donate"),
    Decision.RECYCLE: N_("Recycle"),
}
_TARGETS = {
    Decision.REUSE_POOL: Status.REUSE_POOL,
    Decision.SPARE: Status.IN_STOCK,
    Decision.SELL: Status.DISPOSED,
    Decision.DONATE: Status.DISPOSED,
    Decision.RECYCLE: Status.DISPOSED,
}
_KINDS = {
    Decision.SELL: DisposalKind.SOLD,
    Decision.DONATE: DisposalKind.DONATED,
    Decision.RECYCLE: DisposalKind.RECYCLED,
}


@dataclass(frozen=True)
class Wipe:
    method: str
    on: dt.date
    by: str


@dataclass(frozen=True)
class AssessmentInput:
    grade: Grade
    decision: Decision
    battery_health: int | None = None
    wipe: Wipe | None = None
    recycler: str = ""
    certificate: str = ""
    reason: str = ""
    # What a sale (or a recycler) paid, in öre: a sale needs it (domain/disposal.py).
    proceeds_ore: int | None = None


@dataclass(frozen=True)
class Cycle:
    """Where a device stands in its life, for judging a wipe: when it was bought, and when it
    last came back from a user (None: never handed out) with that moment's local date."""

    purchase_date: dt.date
    returned_at: dt.datetime | None = None
    returned_on: dt.date | None = None


@dataclass(frozen=True)
class RecordedWipe:
    """An assessment's data wipe, as recorded: its date, when the assessment was saved, and
    for recycling the recycler and its certificate."""

    on: dt.date
    recorded_at: dt.datetime
    recycler: str = ""
    certificate: str = ""


def wipe_counts(wipe: RecordedWipe, cycle: Cycle) -> bool:
    """A wipe speaks for the device's data only if it is no older than the purchase and was
    done and recorded after the device's latest return: a wipe from an earlier cycle says
    nothing about what the last user left on it."""
    if wipe.on < cycle.purchase_date:
        return False
    if cycle.returned_at is None:
        return True
    assert cycle.returned_on is not None
    return wipe.recorded_at >= cycle.returned_at and wipe.on >= cycle.returned_on


def needs_wipe(target: Status, kind: DisposalKind | None) -> bool:
    """The reuse pool, and every way out of the register that hands the device to someone."""
    if target is Status.REUSE_POOL:
        return True
    return target is Status.DISPOSED and kind is not None and kind.leaves_with_data


def check_move(
    target: Status,
    kind: DisposalKind | None,
    *,
    wipe: RecordedWipe | None,
    young: bool,
    reason: str,
) -> None:
    """The reuse routine's rules for a status move, whichever way it arrives (status form,
    field action, assessment, API, import): `wipe` is the one that counts for the device's
    current cycle, or None when there is none."""
    errors = _move_errors(target, kind, wipe=wipe, young=young, reason=reason)
    if errors:
        raise ValidationFailed(errors)


def _move_errors(
    target: Status,
    kind: DisposalKind | None,
    *,
    wipe: RecordedWipe | None,
    young: bool,
    reason: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not needs_wipe(target, kind):
        return errors
    if wipe is None:
        errors["wipe"] = (
            N_(
                "The reuse pool takes only devices whose data has been wiped since their last "
                "return: record the wipe in an assessment."
            )
            if target is Status.REUSE_POOL
            else N_(
                "A device leaves only after its data has been wiped since its last return: "
                "record the wipe in an assessment."
            )
        )
    elif kind is DisposalKind.RECYCLED and not (wipe.recycler.strip() and wipe.certificate.strip()):
        errors["recycler"] = N_(
            "Recycling needs the recycler and its certificate number: record them in the "
            "assessment."
        )
    if target is Status.DISPOSED and young and not reason.strip():
        errors["reason"] = N_(
            "This device is younger than its target lifespan: write why it should leave "
            "instead of being used again."
        )
    return errors


# What the register keeps of each text (models/assessment.py): longer is refused, not cut.
MAX_LENGTHS = {"wipe": 120, "recycler": 120, "certificate": 80, "reason": 1000}


def check(
    data: AssessmentInput, *, young: bool, today: dt.date, cycle: Cycle, now: dt.datetime
) -> None:
    """All of an assessment's rules at once, each failure on its own field: its texts, the
    wipe's date against the purchase, the last return and today, and the decision's move
    under the same rules as every other (check_move)."""
    errors: dict[str, str] = {}
    params: dict[str, dict[str, object]] = {}
    texts = {
        "wipe": (data.wipe.method, data.wipe.by) if data.wipe else (),
        "recycler": (data.recycler,),
        "certificate": (data.certificate,),
        "reason": (data.reason,),
    }
    for name, values in texts.items():
        if any(len(value.strip()) > MAX_LENGTHS[name] for value in values):
            errors[name] = N_("Too long: at most %(max)s characters.")
            params[name] = {"max": MAX_LENGTHS[name]}
    if data.battery_health is not None and not 0 <= data.battery_health <= 100:
        errors["battery_health"] = N_("Battery health is a percentage from 0 to 100.")
    wipe = recorded(data, now=now)
    if data.wipe is not None and "wipe" not in errors:
        if not data.wipe.method.strip() or not data.wipe.by.strip():
            errors["wipe"] = N_("Say how the data was wiped and by whom.")
        elif data.wipe.on > today:
            errors["wipe"] = N_("The wipe cannot be dated in the future.")
        elif data.wipe.on < cycle.purchase_date:
            errors["wipe"] = N_("The wipe cannot be dated before the purchase (%(date)s).")
            params["wipe"] = {"date": cycle.purchase_date.isoformat()}
        elif wipe is not None and not wipe_counts(wipe, cycle):
            errors["wipe"] = N_(
                "The wipe is dated before the device's last return (%(date)s), so it says "
                "nothing about the last user's data: wipe it again and record that wipe."
            )
            params["wipe"] = {"date": (cycle.returned_on or cycle.purchase_date).isoformat()}
    if "wipe" in errors:
        wipe = None
    for name, message in _move_errors(
        data.decision.target,
        data.decision.disposal_kind,
        wipe=wipe,
        young=young,
        reason=data.reason,
    ).items():
        errors.setdefault(name, message)
    if errors:
        raise ValidationFailed(errors, params)


def recorded(data: AssessmentInput, *, now: dt.datetime) -> RecordedWipe | None:
    """The assessment's wipe as it will be recorded, saved at `now`."""
    if data.wipe is None:
        return None
    return RecordedWipe(
        on=data.wipe.on,
        recorded_at=now,
        recycler=data.recycler.strip(),
        certificate=data.certificate.strip(),
    )
