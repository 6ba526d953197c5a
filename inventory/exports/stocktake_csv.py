"""A closed stocktake as CSV, in the form Swedish spreadsheets open directly: semicolons,
decimal commas, UTF-8 with a byte-order mark."""

from __future__ import annotations

import csv
import io

from ..domain.money import ore_to_sek
from ..services.stocktakes import FOUND, MISPLACED, MISSING, Result
from .cells import text_cell

OUTCOME_NAMES = {FOUND: "hittad", MISSING: "saknas", MISPLACED: "felplacerad"}


def _sek(ore: int) -> str:
    return str(ore_to_sek(ore)).replace(".", ",")


def render(result: Result) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "inventarienummer",
            "modell",
            "utfall",
            "registrerad plats",
            "inköpspris_kr",
            "bokfört_värde_kr",
        ]
    )
    for outcome in (MISSING, MISPLACED, FOUND):
        for line in result.lines.get(outcome, []):
            writer.writerow(
                [
                    text_cell(line.tag),
                    text_cell(line.model),
                    OUTCOME_NAMES[outcome],
                    text_cell(line.registered_at or ""),
                    _sek(line.price_ore),
                    _sek(line.book_value_ore),
                ]
            )
    for code in result.unknown:
        writer.writerow([text_cell(code), "", "okänd kod", "", "", ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
