"""The order people expect in a list of names: Swedish alphabetical order (å, ä and ö after
z; case and accents second) with numbers by value, so that Klassrum 2 comes before
Klassrum 10 and Hus B before Hus Å."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TypeVar

# Letters of the Swedish alphabet after z, and letters Swedish sorts as one of them
# (Svenska Akademiens ordlista: æ as ä, ø as ö; ü as y). Other accented letters sort as
# their base letter (é as e).
_AFTER_Z = {"å": "{0", "ä": "{1", "æ": "{1", "ö": "{2", "ø": "{2"}
_AS = {"ü": "y"}
_CHUNKS = re.compile(r"(\d+)")
T = TypeVar("T")


def _letter(ch: str) -> str:
    if ch in _AFTER_Z:
        return _AFTER_Z[ch]
    if ch in _AS:
        return _AS[ch]
    base = unicodedata.normalize("NFD", ch)[0]
    return base


def swedish_key(text: str) -> tuple[tuple[int, str | int], ...]:
    """A sort key: text chunks by the Swedish alphabet, digit runs by their value; ties
    broken by the text as written (upper case before lower, so the order is total)."""
    folded = text.casefold()
    key: list[tuple[int, str | int]] = []
    for i, chunk in enumerate(_CHUNKS.split(folded)):
        if not chunk:
            continue
        if i % 2:
            key.append((0, int(chunk)))
        else:
            key.append((1, "".join(_letter(ch) for ch in chunk)))
    key.append((2, text))
    return tuple(key)


def in_swedish_order(items: Iterable[tuple[T, str]]) -> list[tuple[T, str]]:
    """(value, name) pairs ordered by name."""
    return sorted(items, key=lambda item: swedish_key(item[1]))
