"""End-of-support dates from a CSV file: manufacturer, model, end_of_support (YYYY-MM-DD),
source. Commas or semicolons; UTF-8 with or without a byte-order mark."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from ..domain.dates import parse_date
from ..domain.errors import ValidationFailed
from ..domain.text import N_

REQUIRED = ("manufacturer", "model", "end_of_support")
MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class SupportEnd:
    manufacturer: str
    model: str
    end_of_support: dt.date
    source: str


def parse(data: bytes) -> list[SupportEnd]:
    """Every row, or every problem at once (line numbers as a spreadsheet shows them)."""
    if len(data) > MAX_BYTES:
        raise ValidationFailed({"file": N_("The file is too large (at most 2 MB).")})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed({"file": N_("The file is not UTF-8 text.")}) from None
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    )
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationFailed(
            {"file": N_("The file needs the columns %(columns)s.")},
            {"file": {"columns": ", ".join(REQUIRED)}},
        )
    reader.fieldnames = header
    rows: list[SupportEnd] = []
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for line, raw in enumerate(reader, start=2):
        maker, model = (raw.get("manufacturer") or "").strip(), (raw.get("model") or "").strip()
        try:
            end = parse_date(raw.get("end_of_support"))
        except ValidationFailed:
            end = None
        if end is None:
            problems.append(f"{line}: end_of_support")
            continue
        if not maker or not model:
            problems.append(f"{line}: manufacturer/model")
        elif (maker.lower(), model.lower()) in seen:
            problems.append(f"{line}: duplicate")
        else:
            seen.add((maker.lower(), model.lower()))
            rows.append(SupportEnd(maker, model, end, (raw.get("source") or "").strip()))
    if problems:
        raise ValidationFailed(
            {"file": N_("Fix these lines and load the file again: %(lines)s")},
            {"file": {"lines": "; ".join(problems[:20])}},
        )
    return rows
