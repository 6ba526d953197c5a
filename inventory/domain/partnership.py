"""Dividing the joint property when the partnership ends (cooperation agreement §20), by the
cost key of §13: users per municipality. Pure: owner ids, öre and tags in, assignments,
shares and transfers out.

The rules, in order (issue 11):

1. an item at a site that belongs to one of the key's municipalities goes to it ("site": a
   joint switch in a Mörbylånga school stays in Mörbylånga);
2. the rest with a book value left (server halls, stock, the core network, items without a
   site) is allocated so that each side's *total* book value, site-bound items included,
   comes as close to its exact share as whole items allow ("balance"): greedy, largest value
   first, to the side furthest below its share, then single moves and swaps between two
   sides while they bring the sides closer;
3. the rest with no book value left is shared out by count, per category, in the key's
   proportion (largest remainder), because such items still have use value ("balance");
4. adjustments made by hand override where the rules put an item ("adjusted"); nothing is
   rebalanced after them: the compensation settles the difference.

What whole items cannot balance is settled in money: each side's share of the joint total is
its exact fraction rounded to the öre so that the shares add up to the total, and each side's
items plus the compensation it receives (less what it pays) equal its share, to the öre.

Everything is exact: shares are fractions, and the balancing compares each side's value
times the key's total users with its users times the joint total, both whole numbers.
Ties are broken by tag (items) and by owner id (sides), so the same input always gives the
same split.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from .errors import ValidationFailed
from .text import N_

NO_COST_KEY = N_(
    "There is no cost key for %(year)s: set the number of users of each municipality for "
    "%(year)s (agreement §13) before the joint property can be split."
)
INCOMPLETE_COST_KEY = N_(
    "The cost key for %(year)s needs users for at least two municipalities: set them "
    "(agreement §13) before the joint property can be split."
)

# The improvement pass stops after this many moves at the latest. Each move is the best one
# available and brings the sides strictly closer, so after the greedy pass (which leaves them
# within the largest item) one to a few moves settle it; each costs a pass over the items,
# so the cap bounds a pathological fleet's time (a deterministic cut: the same every run).
_MAX_IMPROVEMENTS = 200


class Basis(StrEnum):
    """Why an item went to its side."""

    SITE = "site"  # it stands at a site of that municipality
    BALANCE = "balance"  # allocated to bring the sides to their cost-key shares
    ADJUSTED = "adjusted"  # moved by hand, with a reason


@dataclass(frozen=True)
class SplitItem:
    """A joint asset as the split sees it, valued on the split date."""

    asset_id: int
    tag: str
    category_id: int
    # The owner of the site the asset stands at; None without a site or for a site of no one.
    site_owner_id: int | None
    book_value_ore: int
    purchase_price_ore: int


@dataclass(frozen=True)
class Assignment:
    asset_id: int
    # Where rules 1-3 put it, and where it goes (rule 4: an adjustment may differ).
    proposed_owner_id: int
    to_owner_id: int
    basis: Basis


@dataclass(frozen=True)
class Transfer:
    """Compensation: `from_owner_id` pays `to_owner_id` this many öre."""

    from_owner_id: int
    to_owner_id: int
    ore: int


@dataclass(frozen=True)
class SideTotal:
    owner_id: int
    users: int
    share: Fraction  # of the joint total, exact
    count: int
    book_value_ore: int
    share_ore: int  # the exact share of the joint total, rounded so that the shares add up

    @property
    def difference_ore(self) -> int:
        """What the side's items lack of its share (negative: what they exceed it by)."""
        return self.share_ore - self.book_value_ore


@dataclass(frozen=True)
class Settlement:
    """The money side of a split: the joint total, each side against its share, and who pays
    whom."""

    joint_total_ore: int
    sides: tuple[SideTotal, ...]  # in owner id order
    transfers: tuple[Transfer, ...]

    def side(self, owner_id: int) -> SideTotal:
        return next(s for s in self.sides if s.owner_id == owner_id)


@dataclass(frozen=True)
class Allocation:
    assignments: tuple[Assignment, ...]  # in the order of the items given
    settlement: Settlement


# --- the cost key ------------------------------------------------------------------------------


def check_cost_key(year: int, users: Mapping[int, int] | None) -> dict[int, int]:
    """The key's municipalities with users (owner id -> users), or a clear error naming the
    year: never a guess. A municipality with no users has no share and is left out."""
    if not users:
        raise ValidationFailed({"cost_key": NO_COST_KEY}, {"cost_key": {"year": year}})
    counted = {owner: n for owner, n in users.items() if n > 0}
    if len(counted) < 2:
        raise ValidationFailed({"cost_key": INCOMPLETE_COST_KEY}, {"cost_key": {"year": year}})
    return dict(sorted(counted.items()))


def shares(users: Mapping[int, int]) -> dict[int, Fraction]:
    """Each municipality's exact share: its users over all users (agreement §13)."""
    total = sum(users.values())
    return {owner: Fraction(n, total) for owner, n in sorted(users.items())}


def percent(share: Fraction) -> Decimal:
    """A share as a percentage with one decimal, half up: 2002 of 3660 users -> 54.7."""
    exact = Decimal(share.numerator * 100) / Decimal(share.denominator)
    return exact.quantize(Decimal("0.1"), ROUND_HALF_UP)


def cost_key_year(on: date) -> int:
    """The key for a split on a date is that of the date's year (issue 11)."""
    return on.year


def in_split(purchase_date: date, disposed_on: date | None, *, on: date) -> bool:
    """Whether a joint asset is divided in the split of `on`: bought on or before that day and
    not disposed on or before it (a disposal is final: disposed later, it was still there)."""
    return purchase_date <= on and (disposed_on is None or disposed_on > on)


# --- money -------------------------------------------------------------------------------------


def largest_remainder(total: int, weights: Mapping[int, int]) -> dict[int, int]:
    """`total` whole units divided in proportion to `weights` (all > 0), each part the exact
    quota rounded down, the units left over going to the largest remainders (ties: the lower
    key). The parts add up to `total`."""
    weight_sum = sum(weights.values())
    keys = sorted(weights)
    parts = {k: total * weights[k] // weight_sum for k in keys}
    left = total - sum(parts.values())
    by_remainder = sorted(keys, key=lambda k: (-(total * weights[k] % weight_sum), k))
    for k in by_remainder[:left]:
        parts[k] += 1
    return parts


def settle(users: Mapping[int, int], values: Mapping[int, tuple[int, int]]) -> Settlement:
    """Each side's share of the joint total and the compensation. `values`: owner id ->
    (count, book value öre) of the items it gets; a side of the key missing there gets none."""
    key = _checked(users)
    exact = shares(key)
    total = sum(value for _, value in values.values())
    money = largest_remainder(total, key)
    sides = tuple(
        SideTotal(
            owner_id=owner,
            users=key[owner],
            share=exact[owner],
            count=values.get(owner, (0, 0))[0],
            book_value_ore=values.get(owner, (0, 0))[1],
            share_ore=money[owner],
        )
        for owner in key
    )
    return Settlement(total, sides, transfers({s.owner_id: s.difference_ore for s in sides}))


def transfers(owed: Mapping[int, int]) -> tuple[Transfer, ...]:
    """Payments that settle what each side is owed (positive) or owes (negative); the amounts
    add up to zero. With two sides one payment; with more, the largest debtor pays the largest
    creditor first, so there are at most sides - 1 payments."""
    if sum(owed.values()) != 0:
        raise ValueError("what the sides owe and are owed must add up to zero")
    debtors = sorted(((-v, k) for k, v in owed.items() if v < 0), key=lambda p: (-p[0], p[1]))
    creditors = sorted(((v, k) for k, v in owed.items() if v > 0), key=lambda p: (-p[0], p[1]))
    paid: list[Transfer] = []
    d = c = 0
    debts = [amount for amount, _ in debtors]
    credits = [amount for amount, _ in creditors]
    while d < len(debts) and c < len(credits):
        amount = min(debts[d], credits[c])
        paid.append(Transfer(debtors[d][1], creditors[c][1], amount))
        debts[d] -= amount
        credits[c] -= amount
        d += debts[d] == 0
        c += credits[c] == 0
    return tuple(paid)


# --- allocation --------------------------------------------------------------------------------


def allocate(
    users: Mapping[int, int],
    items: Sequence[SplitItem],
    adjustments: Mapping[int, int] | None = None,
) -> Allocation:
    """Assign every item to one of the key's municipalities by the rules above. `users`: the
    cost key (owner id -> users, checked by `check_cost_key`); `adjustments`: asset id ->
    owner id, pinned by hand (ids of items not given are ignored)."""
    key = _checked(users)
    pinned = adjustments or {}
    for owner in pinned.values():
        if owner not in key:
            raise ValueError(f"owner {owner} is not in the cost key")

    proposed: dict[int, tuple[int, Basis]] = {}
    balance: list[SplitItem] = []
    worthless: dict[int, list[SplitItem]] = defaultdict(list)
    for item in items:
        if item.site_owner_id in key:
            proposed[item.asset_id] = (item.site_owner_id, Basis.SITE)
        elif item.book_value_ore > 0:
            balance.append(item)
        else:
            worthless[item.category_id].append(item)

    site_bound: dict[int, int] = defaultdict(int)
    for item in items:
        if item.site_owner_id in key:
            site_bound[item.site_owner_id] += item.book_value_ore
    total = sum(item.book_value_ore for item in items)
    for asset_id, owner in _balance(key, balance, site_bound, total).items():
        proposed[asset_id] = (owner, Basis.BALANCE)
    for category in sorted(worthless):
        for asset_id, owner in _by_count(key, worthless[category]).items():
            proposed[asset_id] = (owner, Basis.BALANCE)

    assignments = []
    for item in items:
        owner, basis = proposed[item.asset_id]
        final = pinned.get(item.asset_id)
        assignments.append(
            Assignment(
                asset_id=item.asset_id,
                proposed_owner_id=owner,
                to_owner_id=owner if final is None else final,
                basis=basis if final is None else Basis.ADJUSTED,
            )
        )
    return Allocation(tuple(assignments), settle(key, side_values(items, assignments)))


def _checked(users: Mapping[int, int]) -> dict[int, int]:
    """A key already checked by `check_cost_key`: a wrong one here is our error."""
    key = dict(sorted(users.items()))
    if len(key) < 2 or any(n <= 0 for n in key.values()):
        raise ValueError("the cost key needs at least two municipalities with users")
    return key


def side_values(
    items: Sequence[SplitItem], assignments: Sequence[Assignment]
) -> dict[int, tuple[int, int]]:
    """Owner id -> (count, book value öre) of the items assigned to it."""
    value = {item.asset_id: item.book_value_ore for item in items}
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for a in assignments:
        sums[a.to_owner_id][0] += 1
        sums[a.to_owner_id][1] += value[a.asset_id]
    return {owner: (count, ore) for owner, (count, ore) in sums.items()}


def _balance(
    key: dict[int, int], items: list[SplitItem], site_bound: Mapping[int, int], total: int
) -> dict[int, int]:
    """Rule 2. Deviations are kept scaled by the key's total users, so that they are whole
    numbers: side i's deviation is value_i * users_total - users_i * joint_total."""
    scale = sum(key.values())
    deviation = {owner: site_bound.get(owner, 0) * scale - n * total for owner, n in key.items()}
    ordered = sorted(items, key=lambda item: (-item.book_value_ore, item.tag))
    owner_of: dict[int, int] = {}
    held: dict[int, list[tuple[int, str, int]]] = {owner: [] for owner in key}
    for item in ordered:
        # The side furthest below its share (the most negative deviation; ties: lower id).
        side = min(key, key=lambda owner: (deviation[owner], owner))
        owner_of[item.asset_id] = side
        deviation[side] += item.book_value_ore * scale
        held[side].append((item.book_value_ore, item.tag, item.asset_id))
    _improve(deviation, held, scale, owner_of)
    return owner_of


def _spread(deviation: Mapping[int, int]) -> tuple[int, int]:
    """What the improvement pass reduces: the largest deviation, then the sum of them all."""
    return max(abs(d) for d in deviation.values()), sum(abs(d) for d in deviation.values())


def _improve(
    deviation: dict[int, int],
    held: dict[int, list[tuple[int, str, int]]],
    scale: int,
    owner_of: dict[int, int],
) -> None:
    """Single moves and swaps between two sides, the best one first, while one makes the
    spread smaller. For a side `a` above its share and `b` below, moving value `delta` from a
    to b (an item of a, or an item of a for one of b: their difference) is best at
    delta = (dev_a - dev_b) / 2; each side's values are kept sorted to find the items nearest
    that by bisection."""
    for entries in held.values():
        entries.sort()
    for _ in range(_MAX_IMPROVEMENTS):
        best = _best_move(deviation, held, scale)
        if best is None:
            return
        a, b, give, take = best
        for source, target, entry in ((a, b, give), (b, a, take)):
            if entry is None:
                continue
            held[source].pop(bisect.bisect_left(held[source], entry))
            bisect.insort(held[target], entry)
            owner_of[entry[2]] = target
            deviation[source] -= entry[0] * scale
            deviation[target] += entry[0] * scale


Entry = tuple[int, str, int]  # (book value öre, tag, asset id), sorted by value then tag


def _best_move(
    deviation: dict[int, int], held: dict[int, list[Entry]], scale: int
) -> tuple[int, int, Entry, Entry | None] | None:
    """The move or swap that makes the spread smallest (ties: by the tags moved), as
    (from side, to side, item given, item taken back or None); None when none helps."""
    current = _spread(deviation)
    best: tuple[tuple[int, int], tuple[str, str]] | None = None
    chosen: tuple[int, int, Entry, Entry | None] | None = None
    for a in sorted(deviation):
        for b in sorted(deviation):
            if a == b or deviation[a] <= deviation[b]:
                continue
            ideal = Fraction(deviation[a] - deviation[b], 2 * scale)
            for give, take in _candidates(held[a], held[b], ideal):
                delta = (give[0] - (take[0] if take else 0)) * scale
                if delta <= 0:
                    continue
                after = dict(deviation)
                after[a] -= delta
                after[b] += delta
                rank = (_spread(after), (give[1], take[1] if take else ""))
                if rank[0] < current and (best is None or rank < best):
                    best, chosen = rank, (a, b, give, take)
    return chosen


def _candidates(
    give_from: list[Entry], take_from: list[Entry], ideal: Fraction
) -> list[tuple[Entry, Entry | None]]:
    """Items of `give_from`, alone or swapped for one of `take_from`, whose value moved (öre)
    comes nearest `ideal` from below and from above."""
    found: list[tuple[Entry, Entry | None]] = []
    if not give_from:
        return found
    values = [entry[0] for entry in give_from]
    found.extend((give_from[i], None) for i in _around(values, ideal))
    if take_from:
        takes = [entry[0] for entry in take_from]
        for give in give_from:
            found.extend((give, take_from[j]) for j in _around(takes, give[0] - ideal))
    return found


def _around(values: list[int], target: Fraction) -> list[int]:
    """Indexes of the values nearest `target` from below and above, in a sorted list."""
    i = bisect.bisect_left(values, target)
    return [j for j in (i - 1, i) if 0 <= j < len(values)]


def _by_count(key: dict[int, int], items: list[SplitItem]) -> dict[int, int]:
    """Rule 3 for one category: counts in the key's proportion by largest remainder; the
    items in tag order, each side's count in turn (sides in owner id order)."""
    counts = largest_remainder(len(items), key)
    ordered = sorted(items, key=lambda item: item.tag)
    owners = [owner for owner in key for _ in range(counts[owner])]
    return {item.asset_id: owner for item, owner in zip(ordered, owners, strict=True)}
