"""Lifecycle facts of one asset on a reference date: age, book value, depreciation end,
replacement due date, and the flags with their reasons. Pure: values in, values out.

The committee's goal is that computers live 5 years on average while they are depreciated
over 4 (Ölands IT-nämnd, Agenda 2030 KPI "Lång livslängd och cirkulär användning av datorer"):
a fully depreciated device that is younger than its target lifespan is kept, not replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from .dates import add_months, age_years
from .depreciation import book_value, depreciation_start
from .statuses import Status
from .text import N_

WARRANTY_WARNING = timedelta(days=90)
DEFAULT_HORIZON_MONTHS = 12


class Flag(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    END_OF_SUPPORT = "end_of_support"
    WARRANTY_ENDING = "warranty_ending"
    DEPRECIATED_KEEP = "depreciated_keep"
    REUSE_CANDIDATE = "reuse_candidate"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def urgent(self) -> bool:
        """The device should already have been replaced: past its due date or its support."""
        return self in (Flag.OVERDUE, Flag.END_OF_SUPPORT)


_LABELS = {
    Flag.OVERDUE: N_("Overdue"),
    Flag.DUE_SOON: N_("Due soon"),
    Flag.END_OF_SUPPORT: N_("End of support"),
    Flag.WARRANTY_ENDING: N_("Warranty ending"),
    Flag.DEPRECIATED_KEEP: N_("Depreciated, keep in use"),
    Flag.REUSE_CANDIDATE: N_("Reuse candidate"),
}


@dataclass(frozen=True)
class AssetTerms:
    """What the rules need to know of an asset, its category and its model."""

    purchase_date: date
    price_ore: int
    depreciation_months: int
    target_lifespan_months: int
    status: Status = Status.DEPLOYED
    in_service_date: date | None = None
    horizon_months: int = DEFAULT_HORIZON_MONTHS
    end_of_support: date | None = None
    due_override: date | None = None
    warranty_end: date | None = None

    @property
    def start(self) -> date:
        return depreciation_start(self.purchase_date, self.in_service_date)


@dataclass(frozen=True)
class Reason:
    flag: Flag
    message: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class LifecycleFacts:
    age_years: float
    book_value_ore: int
    depreciation_end: date
    lifespan_end: date
    due_date: date
    reasons: tuple[Reason, ...]

    @property
    def flags(self) -> tuple[Flag, ...]:
        return tuple(r.flag for r in self.reasons)


class AgeBand(StrEnum):
    """How a fleet's average age stands against its category's target lifespan, as the
    dashboard colours it: well within it, within the planning horizon of it (what the "due
    soon" flag calls near), or past it."""

    WITHIN = "within"
    APPROACHING = "approaching"
    PAST = "past"

    @property
    def label(self) -> str:
        return _AGE_BAND_LABELS[self]


_AGE_BAND_LABELS = {
    AgeBand.WITHIN: N_("within target"),
    AgeBand.APPROACHING: N_("near target"),
    AgeBand.PAST: N_("past target"),
}


def age_band(age_years: float, target_months: int, horizon_months: int) -> AgeBand:
    """`age_years` against a target of `target_months`; "near" starts `horizon_months`
    before the target, as for a single device's "due soon"."""
    age_months = age_years * 12
    if age_months >= target_months:
        return AgeBand.PAST
    if age_months >= target_months - horizon_months:
        return AgeBand.APPROACHING
    return AgeBand.WITHIN


def lifespan_end(start: date, target_months: int) -> date:
    """When a device reaches its category's target lifespan (PCs: 5 years)."""
    return add_months(start, target_months)


def younger_than_target(start: date, target_months: int, today: date) -> bool:
    """Still short of its target lifespan: such a device is used again rather than replaced,
    and leaves the register only with a written reason."""
    return today < lifespan_end(start, target_months)


def replacement_due(
    start: date, target_months: int, end_of_support: date | None, override: date | None = None
) -> date:
    """The earliest of the lifespan target, the vendor's end of support and an override."""
    candidates = [lifespan_end(start, target_months), end_of_support, override]
    return min(d for d in candidates if d is not None)


def assess(terms: AssetTerms, *, today: date) -> LifecycleFacts:
    start = terms.start
    value = book_value(terms.price_ore, start, terms.depreciation_months, today)
    depreciation_end = add_months(start, terms.depreciation_months)
    lifespan = lifespan_end(start, terms.target_lifespan_months)
    due = replacement_due(
        start, terms.target_lifespan_months, terms.end_of_support, terms.due_override
    )
    reasons: list[Reason] = []
    if terms.status.is_active:
        young = younger_than_target(start, terms.target_lifespan_months, today)
        reasons.extend(_reasons(terms, today, value, depreciation_end, lifespan, due, young))
    return LifecycleFacts(
        age_years=age_years(start, today),
        book_value_ore=value,
        depreciation_end=depreciation_end,
        lifespan_end=lifespan,
        due_date=due,
        reasons=tuple(reasons),
    )


def _reasons(
    terms: AssetTerms,
    today: date,
    value: int,
    depreciation_end: date,
    lifespan: date,
    due: date,
    young: bool,
) -> list[Reason]:
    found: list[Reason] = []
    if today > due:
        found.append(Reason(Flag.OVERDUE, N_("Replacement was due on %(date)s."), {"date": due}))
    elif due <= add_months(today, terms.horizon_months):
        found.append(
            Reason(
                Flag.DUE_SOON,
                N_("Replacement is due on %(date)s, within %(months)s months."),
                {"date": due, "months": terms.horizon_months},
            )
        )
    if terms.end_of_support is not None and terms.end_of_support <= today:
        found.append(
            Reason(
                Flag.END_OF_SUPPORT,
                N_("The manufacturer's support ended on %(date)s."),
                {"date": terms.end_of_support},
            )
        )
    if terms.warranty_end is not None and today <= terms.warranty_end <= today + WARRANTY_WARNING:
        found.append(
            Reason(
                Flag.WARRANTY_ENDING,
                N_("The warranty ends on %(date)s."),
                {"date": terms.warranty_end},
            )
        )
    if value == 0 and today >= depreciation_end and young:
        found.append(
            Reason(
                Flag.DEPRECIATED_KEEP,
                N_(
                    "Fully depreciated on %(date)s but younger than its target lifespan: keep it in use."
                ),
                {"date": depreciation_end},
            )
        )
    if terms.status in (Status.RETURNED, Status.REUSE_POOL) and young:
        found.append(
            Reason(
                Flag.REUSE_CANDIDATE,
                N_(
                    "Back with IT and younger than its target lifespan (%(date)s): hand it out again."
                ),
                {"date": lifespan},
            )
        )
    return found
