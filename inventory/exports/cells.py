"""Cells safe to open in a spreadsheet."""

from __future__ import annotations

# A cell starting with one of these is run as a formula by Excel and LibreOffice (OWASP,
# "CSV injection"); names typed into the register must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value
