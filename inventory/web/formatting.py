"""Template filters: money, dates and labels as Swedes read them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from typing import Any

from babel import numbers
from flask import Flask
from flask_babel import get_locale, to_user_timezone
from markupsafe import Markup, escape

from ..domain.attachments import Kind as FileKind
from ..domain.history import FIELD_LABELS, action_label, change_lines
from ..domain.lifecycle import AgeBand, Reason
from ..domain.money import format_sek
from ..domain.personal import ANONYMISED, ANONYMISED_LABEL
from ..domain.reuse import Decision
from ..domain.roles import Role
from ..domain.statuses import DisposalKind, Status
from . import job_words
from .i18n import gettext, translations


def init_formatting(app: Flask) -> None:
    app.add_template_filter(_sek, "sek")
    app.add_template_filter(iso_date, "date")
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(one_decimal, "decimal1")
    app.add_template_filter(two_decimals, "decimal")
    app.add_template_filter(percent1, "percent1")
    app.add_template_filter(file_size, "file_size")
    app.add_template_filter(_file_kind_label, "file_kind_label")
    app.add_template_filter(choosing, "choosing")
    app.add_template_filter(_status_label, "status_label")
    app.add_template_filter(_disposal_label, "disposal_label")
    app.add_template_filter(_decision_label, "decision_label")
    app.add_template_filter(person, "person")
    app.add_template_global(Status, "Status")
    app.add_template_global(AgeBand, "AgeBand")
    app.add_template_global(Role, "Role")
    app.add_template_global(get_locale, "get_locale")
    app.add_template_global(picker_attributes, "picker")
    app.add_template_filter(_field_label, "field_label")
    app.add_template_filter(_action_label, "action_label")
    app.add_template_filter(_change_lines, "change_lines")
    app.add_template_global(reason_text, "reason_text")
    app.add_template_filter(contact_links, "contact_links")
    app.add_template_filter(job_words.job_title, "job_title")
    app.add_template_filter(job_words.slot_text, "job_slot")
    app.add_template_filter(job_words.outcome_text, "job_outcome")
    app.add_template_filter(job_words.counts_text, "job_counts")


# A Swedish phone number as people write it ("0485-880 00", "070-174 06 50") and an e-mail
# address, in the helpdesk line a finder reads on a phone.
_CONTACT = re.compile(
    r"(?P<phone>(?<![\w-])0\d{1,3}-\d{2,3}(?: \d{2,3}){0,3}(?![\w-]))"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
)


def contact_links(line: str) -> Markup:
    """The helpdesk line with its phone numbers and e-mail addresses as links a finder can
    tap, each kept on one line."""
    parts, end = [], 0
    for found in _CONTACT.finditer(line):
        parts.append(escape(line[end : found.start()]))
        if found["phone"]:
            digits = re.sub(r"\D", "", found["phone"])
            parts.append(
                Markup('<a class="text-nowrap" href="tel:{}">{}</a>').format(digits, found[0])
            )
        else:
            parts.append(Markup('<a href="mailto:{0}">{0}</a>').format(found[0]))
        end = found.end()
    parts.append(escape(line[end:]))
    return Markup("").join(parts)


def reason_text(reason: Reason) -> str:
    params = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in reason.params.items()}
    return gettext(reason.message, **params)


def _action_label(action: str) -> str:
    return gettext(action_label(action))


def _change_lines(changes: Mapping[str, Any], names: Mapping[tuple[str, Any], str]) -> list[str]:
    """An event's changes in words, as the exports write them (domain/history.py)."""
    return change_lines(
        "edit", changes, names=names, translate=gettext, plural=translations().ungettext
    )


def _field_label(name: str) -> str:
    label = FIELD_LABELS.get(name)
    return name if label is None else gettext(label)


def _sek(ore: int | None) -> str:
    return "" if ore is None else format_sek(ore)


def iso_date(value: dt.date | None) -> str:
    # ISO dates are what Swedish forms and registers use (SS-ISO 8601).
    return "" if value is None else value.isoformat()


def choosing(menus: str, chosen: Mapping[str, str], **defaults: str) -> Markup:
    """<select name="..."> menus rendered once (and cached), with each menu's chosen value,
    from the query string or the defaults, marked selected. A value that is none of a
    menu's options marks nothing."""
    html = str(escape(menus))  # markup stays as it is; anything else is escaped
    end = 0
    while (start := html.find('<select name="', end)) >= 0:
        name_end = html.find('"', start + 14)
        end = html.find("</select>", name_end)
        if name_end < 0 or end < 0:
            break
        name = html[start + 14 : name_end]
        value = chosen.get(name) or defaults.get(name)
        if not value:
            continue
        option = str(Markup('<option value="{}">').format(value))
        found = html.find(option, name_end, end)
        if found >= 0:
            mark = found + len(option) - 1
            html = html[:mark] + " selected" + html[mark:]
            end += len(" selected")
    return Markup(html)


def local_time(value: dt.datetime | None) -> str:
    """'2026-11-23 16:05': a stored (UTC) time as the clock on the wall showed it, in the
    configured zone (Europe/Stockholm)."""
    return "" if value is None else to_user_timezone(value).strftime("%Y-%m-%d %H:%M")


_TENTH = Decimal("0.1")


@lru_cache(maxsize=8)
def decimal_symbol(language: str) -> str:
    return str(numbers.get_decimal_symbol(language))


@lru_cache(maxsize=8)
def _symbols(language: str) -> dict[int, str]:
    """Python's "," and "." as the language writes them (Swedish: a no-break space per
    thousand and a decimal comma)."""
    return str.maketrans(
        {",": str(numbers.get_group_symbol(language)), ".": decimal_symbol(language)}
    )


def one_decimal(value: float | Decimal) -> str:
    """'3,4' and '17 205,0' in Swedish, '3.4' and '17,205.0' in English: what Babel's
    decimalformat("#,##0.0") shows, without parsing the pattern anew for every number (the
    asset page shows one on every view)."""
    # Rounded and signed as Babel does: the digits as written, half to even, a hyphen.
    rounded = Decimal(str(value)).quantize(_TENTH, ROUND_HALF_EVEN)
    text = f"{abs(rounded):,f}".translate(_symbols(str(get_locale())))
    return "-" + text if rounded.is_signed() else text


def two_decimals(value: Decimal) -> str:
    """'1 234,50' in Swedish, '1,234.50' in English (object-months)."""
    rounded = value.quantize(Decimal("0.01"), ROUND_HALF_EVEN)
    text = f"{abs(rounded):,f}".translate(_symbols(str(get_locale())))
    return "-" + text if rounded.is_signed() else text


def percent1(value: float | Decimal, signed: bool = False) -> str:
    """A share as "12,5 %" ("12.5 %" in English); `signed` writes a change as "+3,0 %" or
    "−5,0 %" (a minus sign, as printed figures have it)."""
    text = one_decimal(Decimal(str(value)) * 100)
    if signed:
        text = "−" + text[1:] if text.startswith("-") else "+" + text
    return text + "\u00a0%"


_KILOBYTE = 1024
_MEGABYTE = 1024 * 1024


def file_size(size_bytes: int) -> str:
    """'340 kB', '1,2 MB' in Swedish ('1.2 MB' in English): a file's size as people read it,
    in whole kilobytes (at least one) below a megabyte."""
    language = str(get_locale())
    if size_bytes < _MEGABYTE:
        kilobytes = max(1, round(size_bytes / _KILOBYTE))
        return f"{numbers.format_decimal(kilobytes, locale=language)}\u00a0kB"
    megabytes = Decimal(size_bytes) / _MEGABYTE
    return f"{numbers.format_decimal(megabytes, format='#,##0.0', locale=language)}\u00a0MB"


def _file_kind_label(value: str | FileKind) -> str:
    return gettext(FileKind(value).label)


def _status_label(value: str | Status) -> str:
    return gettext(Status(value).label)


def _disposal_label(value: str | None) -> str:
    return "" if not value else gettext(DisposalKind(value).label)


def _decision_label(value: str | None) -> str:
    """An assessment's decision in words; a value the register no longer knows as it is."""
    if not value:
        return ""
    try:
        return gettext(Decision(value).label)
    except ValueError:
        return value


def picker_attributes() -> dict[str, str]:
    """What makes a <select> searchable (static/picker.js), with its words in the user's
    language: `render_kw` of a form field, or `{{ picker()|xmlattr }}` in a template."""
    return {
        "data-picker": "",
        "data-none": gettext("Nothing matches."),
        "data-more": gettext("%(num)s matches: type more to narrow the list."),
    }


def person(name: str | None) -> str:
    """A person's name as stored, or what an anonymised one shows (domain/personal.py)."""
    if name == ANONYMISED:
        return gettext(ANONYMISED_LABEL)
    return name or ""
