"""Answers that hold for a whole batch of changes in one transaction (an import's rows):
whether an owner has handed its register over, whether a user may place assets in a room.
Outside a batch every question goes to the database, as it should for a single change;
inside one, each is asked once. Only the import opens a batch, and it changes neither."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlmodel import Session

_KEY = "inventory.batch_answers"
T = TypeVar("T")


@contextmanager
def batch(session: Session) -> Iterator[None]:
    session.info[_KEY] = {}
    try:
        yield
    finally:
        session.info.pop(_KEY, None)


def answer(session: Session, question: Hashable, ask: Callable[[], T]) -> T:
    """`ask()`, or inside a batch the answer it gave the first time."""
    answers: dict[Hashable, object] | None = session.info.get(_KEY)
    if answers is None:
        return ask()
    if question not in answers:
        answers[question] = ask()
    return answers[question]  # type: ignore[return-value]
