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


# What the register keeps of each text (models/assessment.py): longer is refused, not cut.
MAX_LENGTHS = {"wipe": 120, "recycler": 120, "certificate": 80, "reason": 1000}


def check(data: AssessmentInput, *, young: bool, today: dt.date) -> None:
    """All of an assessment's rules at once, each failure on its own field."""
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
    if data.wipe is not None and "wipe" not in errors:
        if not data.wipe.method.strip() or not data.wipe.by.strip():
            errors["wipe"] = N_("Say how the data was wiped and by whom.")
        elif data.wipe.on > today:
            errors["wipe"] = N_("The wipe cannot be dated in the future.")
    if data.decision.leaves_register:
        if data.wipe is None:
            errors["wipe"] = N_(
                "A device leaves only after its data has been wiped: record the wipe."
            )
        if young and not data.reason.strip():
            errors["reason"] = N_(
                "This device is younger than its target lifespan: write why it should leave "
                "instead of being used again."
            )
    if data.decision is Decision.RECYCLE and not (
        data.recycler.strip() and data.certificate.strip()
    ):
        errors["recycler"] = N_("Recycling needs the recycler and its certificate number.")
    if errors:
        raise ValidationFailed(errors, params)
