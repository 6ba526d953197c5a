"""Answers that hold for a whole batch of changes in one transaction (an import's rows):
whether an owner has handed its register over, whether a user may place assets in a room,
which assets hold a tag or a serial number. Outside a batch every question goes to the
database, as it should for a single change; inside one, each is asked once, and an import
may ask thousands at once beforehand (`tell`). Only the import opens a batch. It changes no
owner or room; the tags and serials its own rows give are checked against each other there
(services/imports.py), and the database's unique constraints stand behind both."""

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


def tell(session: Session, question: Hashable, answer: object) -> None:
    """Inside a batch, the answer to `question`, found with many others in one query; outside
    one, nothing: the question is asked when it comes."""
    answers: dict[Hashable, object] | None = session.info.get(_KEY)
    if answers is not None:
        answers[question] = answer


def active(session: Session) -> bool:
    return _KEY in session.info
