"""Every transition rule of the lifecycle, checked over all pairs of statuses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory.domain.errors import InvalidTransition, ValidationFailed
from inventory.domain.statuses import (
    TRANSITIONS,
    DisposalKind,
    Status,
    allowed_disposal_kinds,
    next_status,
)

statuses = st.sampled_from(list(Status))
kinds = st.sampled_from(list(DisposalKind))


@given(current=statuses, target=statuses)
def test_a_move_is_allowed_exactly_when_the_table_lists_it(current: Status, target: Status) -> None:
    kind = next(iter(allowed_disposal_kinds(current)), None) if target is Status.DISPOSED else None
    if target in TRANSITIONS[current]:
        assert next_status(current, target, kind) is target
    else:
        with pytest.raises(InvalidTransition):
            next_status(current, target, kind)


@given(target=statuses)
def test_nothing_leaves_disposed(target: Status) -> None:
    with pytest.raises(InvalidTransition):
        next_status(Status.DISPOSED, target, DisposalKind.RECYCLED)


@given(current=statuses)
def test_no_status_moves_to_itself(current: Status) -> None:
    assert current not in TRANSITIONS[current]


@given(current=statuses.filter(lambda s: Status.DISPOSED in TRANSITIONS[s]))
def test_disposal_needs_a_kind(current: Status) -> None:
    with pytest.raises(ValidationFailed) as err:
        next_status(current, Status.DISPOSED, None)
    assert "disposal_kind" in err.value.errors


@given(current=statuses, kind=kinds)
def test_a_device_out_with_a_user_leaves_only_as_lost_or_stolen(
    current: Status, kind: DisposalKind
) -> None:
    if current not in (Status.DEPLOYED, Status.ORDERED):
        return
    if kind in (DisposalKind.LOST, DisposalKind.STOLEN):
        assert next_status(current, Status.DISPOSED, kind) is Status.DISPOSED
    else:
        with pytest.raises(ValidationFailed):
            next_status(current, Status.DISPOSED, kind)


@given(current=statuses, target=statuses, kind=kinds)
def test_a_disposal_kind_only_goes_with_disposal(
    current: Status, target: Status, kind: DisposalKind
) -> None:
    if target is Status.DISPOSED or target not in TRANSITIONS[current]:
        return
    with pytest.raises(ValidationFailed):
        next_status(current, target, kind)


def test_every_status_but_disposed_can_reach_disposal() -> None:
    for status in Status:
        seen, frontier = {status}, [status]
        while frontier:
            for nxt in TRANSITIONS[frontier.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        assert Status.DISPOSED in seen


def test_returned_devices_can_go_to_the_reuse_pool() -> None:
    assert next_status(Status.RETURNED, Status.REUSE_POOL) is Status.REUSE_POOL
