"""Whole numbers typed into query strings and forms."""

from __future__ import annotations


def parse_whole(raw: str | None, low: int, high: int) -> int | None:
    """A whole number from low to high; None when nothing is given; ValueError for anything
    else (a sign, a decimal, other digits than ASCII, out of range)."""
    value = (raw or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise ValueError(value)
    return int(value)
