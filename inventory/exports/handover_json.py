"""The handover export as JSON: the XLSX's content under machine keys — money as decimal
strings with two decimals (kronor), dates as ISO dates, moments as ISO times in UTC,
statuses and decisions by their machine names — for tools that load a register."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from ..domain.money import sek_text
from ..services.handover import HandoverExport, HandoverReport
from .handover_sheets import SHEETS, Column, Kind

# Raise it when the shape changes in a way a reader must know of.
FORMAT_VERSION = 1


def render(data: HandoverExport, translate: Callable[[str], str]) -> bytes:
    """`translate` gives the history's words in the reader's language."""
    document: dict[str, Any] = {
        "format": "oland-inventory/handover",
        "format_version": FORMAT_VERSION,
        "owner": {"slug": data.owner_slug, "name": data.owner_name, "org_number": data.org_number},
        "leaves_on": _date(data.leaves_on),
        "book_values_on": _date(data.valued_on),
        "generated_at": _moment(data.generated_at),
        "handover": _handover(data.handover),
    }
    for sheet in SHEETS:
        records = []
        for record in sheet.rows(data):
            row = {column.key: _value(column, record) for column in sheet.columns}
            if sheet.key == "history":
                row["changes"] = record.changes  # as recorded: ids, öre, machine names
            records.append(row)
        document[sheet.key] = records
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _value(column: Column, record: Any) -> Any:
    value = column.value(record)
    if value is None:
        return None
    if column.kind is Kind.MONEY:
        return sek_text(value)
    if column.kind is Kind.DATE:
        return _date(value)
    if column.kind is Kind.MOMENT:
        return _moment(value)
    return value


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _moment(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _handover(report: HandoverReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "handed_over_on": _date(report.handed_over_on),
        "performed_at": _moment(report.performed_at),
        "performed_by": report.performed_by,
        "assets": report.asset_count,
        "users_deactivated": [{"email": u.email, "name": u.name} for u in report.users],
        "tokens_revoked": report.tokens_revoked,
    }
