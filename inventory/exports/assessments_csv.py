"""The reuse routine's assessments as CSV, for a controller to check every wipe: in the
form Swedish spreadsheets open directly (semicolons, UTF-8 with a byte-order mark)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from ..domain.reuse import Decision
from ..services.clock import local_date
from ..services.reuse import AssessmentRecord
from .cells import text_cell

HEADER = (
    "inventarienummer",
    "serienummer",
    "tillverkare",
    "modell",
    "ägare",
    "bedömd",
    "bedömd_av",
    "skick",
    "batterihälsa_procent",
    "raderad",
    "raderingsmetod",
    "raderingsdatum",
    "raderad_av",
    "beslut",
    "återvinnare",
    "certifikatnummer",
    "motivering",
)


def render(records: Sequence[AssessmentRecord], translate: Callable[[str], str]) -> bytes:
    """`translate` gives the decisions' names in the reader's language."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for r in records:
        writer.writerow(
            [
                text_cell(r.tag),
                text_cell(r.serial or ""),
                text_cell(r.manufacturer),
                text_cell(r.model),
                text_cell(r.owner),
                local_date(r.assessed_at).isoformat(),
                text_cell(r.assessed_by),
                r.grade,
                "" if r.battery_health is None else r.battery_health,
                "ja" if r.wiped else "nej",
                text_cell(r.wipe_method),
                r.wiped_on.isoformat() if r.wiped_on else "",
                text_cell(r.wiped_by),
                translate(Decision(r.decision).label),
                text_cell(r.recycler),
                text_cell(r.certificate),
                text_cell(r.reason),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
