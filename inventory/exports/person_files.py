"""What the register holds about one person (services/personal_data.find_person), as the
page shows it, as a file: CSV for Swedish Excel (semicolons, BOM) or XLSX with typed cells,
a row per finding."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook

from ..domain.audit import ACTIONS
from ..domain.history import FIELD_LABELS
from ..domain.personal import ANONYMISED, ANONYMISED_LABEL
from ..domain.roles import Role
from ..domain.statuses import Status
from ..domain.text import N_
from ..services.personal_data import Findings
from . import xlsx_cells
from .cells import text_cell

Translate = Callable[[str], str]

HEADER = (N_("Kind"), N_("Tag or account"), N_("When"), N_("Field"), N_("What"))
KINDS = {
    "held": N_("Holds now"),
    "history": N_("History"),
    "account": N_("Account"),
    "login": N_("Login"),
    "import": N_("Import"),
}


def rows(found: Findings, translate: Translate) -> list[list[Any]]:
    """(kind, tag or account, when, field, what): the page's sections, one after another."""

    def field(name: str) -> str:
        return translate(FIELD_LABELS.get(name, name))

    def value(v: Any) -> str:
        if v == ANONYMISED:
            return translate(ANONYMISED_LABEL)
        return "—" if v in (None, "") else str(v)

    kind = {key: translate(text) for key, text in KINDS.items()}
    out: list[list[Any]] = []
    for held in found.held:
        what = f"{translate(Status(held.status).label)} · {held.owner}"
        out.append([kind["held"], held.tag, None, field(held.field), what])
    for mention in found.history:
        out.append([kind["history"], mention.tag, mention.at, field(mention.field),
                    f"{value(mention.before)} → {value(mention.after)}"])  # fmt: skip
    for account in found.accounts:
        role = translate(Role(account.role).label)
        state = translate(N_("active")) if account.active else translate(N_("deactivated"))
        out.append([kind["account"], account.email, None, role, f"{account.name} · {state}"])
        for at, action, addr in account.logins:
            words = translate(ACTIONS[action]) if action in ACTIONS else action
            out.append([kind["login"], account.email, at, words, addr or ""])
    for named in found.imports:
        line = translate(N_("Row %(line)s")) % {"line": named.line}
        out.append([kind["import"], f"{named.filename} (nr {named.run_id})", named.at,
                    field(named.field), line])  # fmt: skip
    return out


def render(found: Findings, translate: Translate, *, xlsx: bool) -> bytes:
    table = rows(found, translate)
    if xlsx:
        book = Workbook(write_only=True)
        ws = xlsx_cells.sheet_with_header(book, translate(N_("Personal data")), HEADER, translate)
        for row in table:
            ws.append([
                xlsx_cells.moment_cell(ws, v) if isinstance(v, dt.datetime)
                else None if v is None else xlsx_cells.text_cell(ws, str(v))
                for v in row
            ])  # fmt: skip
        body = io.BytesIO()
        book.save(body)
        return body.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow([translate(h) for h in HEADER])
    for row in table:
        writer.writerow([
            xlsx_cells.wall_clock(v).strftime("%Y-%m-%d %H:%M") if isinstance(v, dt.datetime)
            else "" if v is None else text_cell(str(v))
            for v in row
        ])  # fmt: skip
    return ("\ufeff" + text.getvalue()).encode("utf-8")
