"""An import's rows as a CSV for the person who fixes the file: each row's number, tag, what
became of it, and why or what changed, in the user's language."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from typing import Any

from ..domain.history import change_lines
from ..domain.text import N_
from ..models import ImportRun
from .cells import text_cell

HEADER = (N_("Row"), N_("Asset tag"), N_("Outcome"), N_("What"))


def rows_csv(
    run: ImportRun,
    translate: Callable[..., str],
    *,
    reason_text: Callable[[dict[str, Any]], str],
    labels: Mapping[tuple[str, Any], str],
    outcome_label: Callable[[str], str],
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([translate(h) for h in HEADER])
    for row in run.rows:
        what = [reason_text(r) for r in row.get("reasons") or []]
        what += change_lines("edit", row.get("changes") or {}, names=labels, translate=translate)
        writer.writerow([
            row["line"], text_cell(row.get("tag") or ""), outcome_label(row["outcome"]),
            text_cell(" · ".join(what)),
        ])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")
