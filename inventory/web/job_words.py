"""The jobs page in words: what each job is called, how a run was started, its outcome and
what it did ("1 908 tillgångar kontrollerade · Försenad: 510"), instead of the registry's
keys, the slot's machine time stamp and the JSON a run stores (jobs/__init__.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from flask_babel import format_number

from ..domain.lifecycle import Flag
from ..domain.text import N_
from .i18n import gettext, ngettext

# What each job of jobs.JOBS is called.
JOB_TITLES = {
    "flag-replacements": N_("Replacement flags"),
    "digest": N_("Weekly digest"),
    "backup": N_("Database backup"),
    "purge-uploads": N_("Removal of uploaded import files"),
    "anonymise-holders": N_("Anonymisation of earlier holders"),
}

OUTCOMES = {
    "running": N_("Running"),
    "ok": N_("Succeeded"),
    "failed": N_("Failed"),
}

# A scheduled run's slot is "<job>@<day>" (jobs/scheduler.py); a run started by hand, from
# the page or the command line, has "manual-<moment>".
_FLAGS = frozenset(flag.value for flag in Flag)
_SCHEDULED = re.compile(r"[a-z-]+@(\d{4}-\d{2}-\d{2})")


def job_title(name: str) -> str:
    title = JOB_TITLES.get(name)
    return gettext(title) if title else name


def outcome_text(outcome: str) -> str:
    text = OUTCOMES.get(outcome)
    return gettext(text) if text else outcome


def slot_text(slot: str) -> str:
    scheduled = _SCHEDULED.fullmatch(slot)
    if scheduled:
        return gettext("Scheduled, %(date)s", date=scheduled[1])
    if slot.startswith("manual-"):
        return gettext("Started by hand")
    return slot


def counts_text(stored: str) -> str:
    """A run's counts (stored as JSON) in words, in the order the job returned them."""
    try:
        counts = json.loads(stored) if stored else {}
    except ValueError:
        return ""
    if not isinstance(counts, Mapping):
        return ""
    phrases = [_phrase(str(key), value) for key, value in counts.items()]
    return " · ".join(p for p in phrases if p)


def _phrase(key: str, value: object) -> str:
    if not isinstance(value, int) or isinstance(value, bool):
        return ""
    shown = format_number(value)
    if key in _FLAGS:
        return f"{gettext(Flag(key).label)}: {shown}"
    if key == "assets":
        return ngettext("%(num)s asset checked", "%(num)s assets checked", value, num=shown)
    if key == "mails":
        return ngettext("%(num)s e-mail sent", "%(num)s e-mails sent", value, num=shown)
    if key == "bytes":
        return gettext("copy of %(size)s MB", size=_megabytes(value))
    if key == "events":
        return ngettext("%(num)s history event anonymised", "%(num)s history events anonymised",
                        value, num=shown)  # fmt: skip
    if key == "imports":
        return ngettext("%(num)s import anonymised", "%(num)s imports anonymised", value,
                        num=shown)  # fmt: skip
    if key == "files":
        return ngettext("%(num)s file removed", "%(num)s files removed", value, num=shown)
    if key == "kept":
        return ngettext("%(num)s copy kept", "%(num)s copies kept", value, num=shown)
    if key == "skipped":
        # backup.backup_sqlite on PostgreSQL: pg_dump backs it up (README).
        return gettext("nothing to do on PostgreSQL: back it up with pg_dump")
    # A count this page does not know yet: its figure, under its key in plain letters.
    return f"{key.replace('_', ' ').replace('-', ' ')}: {shown}"


def _megabytes(size: int) -> str:
    from .formatting import one_decimal

    return one_decimal(size / 1_000_000)
