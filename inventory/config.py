"""Typed settings, read from INVENTORY_* environment variables.

Tests build their own Settings and pass them to create_app; nothing here is read
at import time.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from babel.dates import get_timezone

from .domain.dates import parse_date
from .domain.errors import ValidationFailed
from .files import private_directory

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    base_url: str = "http://127.0.0.1:8000"
    default_locale: str = "sv"
    # Times are stored in UTC and shown in this zone.
    timezone: str = "Europe/Stockholm"
    instance_path: Path = DEFAULT_INSTANCE
    csrf_enabled: bool = True
    # Line printed on labels and on the public "found device" page.
    helpdesk_line: str = "IT-supporten, Ölands IT-nämnd"
    # Mail: with no SMTP host, messages are written as .eml files to the instance's mail/.
    smtp_host: str = ""
    smtp_port: int = 25
    mail_from: str = "inventarie@localhost"
    # Where failed logins are counted (limits' storage URL): memory:// is per process, so
    # several workers or hosts share redis://host:6379 instead (install the redis extra).
    ratelimit_storage_url: str = "memory://"
    # The day the joint property is split by default (agreement §20: the cooperation
    # agreement ends on 2026-12-31, when Mörbylånga leaves).
    split_on: dt.date = dt.date(2026, 12, 31)
    # The largest evidence file (a wipe report, a recycler's certificate) kept, in MB.
    attachment_max_mb: int = 10
    # The categories (slugs) the committee's KPIs count as computers.
    kpi_computers: tuple[str, ...] = ("pc", "chromebook")
    # How long after a holding ended the history keeps the holder's name (GDPR: storage
    # limitation; the nightly anonymise-holders job), in months.
    holder_retention_months: int = 12
    # How many reverse proxies stand in front and set X-Forwarded-For/-Proto/-Host: only
    # then are those headers believed (the login throttle must see the real address).
    trusted_proxies: int = 0
    # A login lasts at most this long, and ends after this long without a request.
    session_hours: int = 12
    session_idle_minutes: int = 120
    testing: bool = False
    extra: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        instance = Path(env.get("INVENTORY_INSTANCE_PATH", str(DEFAULT_INSTANCE)))
        database_url = env.get("INVENTORY_DATABASE_URL") or f"sqlite:///{instance / 'inventory.db'}"
        secret_key = env.get("INVENTORY_SECRET_KEY") or _instance_secret(instance)
        if secret_key in {"change-me", "changeme", "secret", ""}:
            raise ValueError("INVENTORY_SECRET_KEY is a placeholder; set a long random value")
        timezone = env.get("INVENTORY_TIMEZONE", cls.timezone)
        try:
            get_timezone(timezone)
        except LookupError:
            raise ValueError(
                f"INVENTORY_TIMEZONE is not a time zone name such as Europe/Stockholm: {timezone!r}"
            ) from None
        return cls(
            database_url=database_url,
            secret_key=secret_key,
            base_url=env.get("INVENTORY_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            default_locale=env.get("INVENTORY_DEFAULT_LOCALE", "sv"),
            timezone=timezone,
            instance_path=instance,
            helpdesk_line=env.get("INVENTORY_HELPDESK_LINE")
            or _instance_helpdesk_line(instance)
            or cls.helpdesk_line,
            smtp_host=env.get("INVENTORY_SMTP_HOST", ""),
            smtp_port=int(env.get("INVENTORY_SMTP_PORT", "25")),
            mail_from=env.get("INVENTORY_MAIL_FROM", cls.mail_from),
            ratelimit_storage_url=env.get(
                "INVENTORY_RATELIMIT_STORAGE_URL", cls.ratelimit_storage_url
            ),
            split_on=_split_on(env.get("INVENTORY_SPLIT_ON", "")) or cls.split_on,
            attachment_max_mb=_whole(
                env, "INVENTORY_ATTACHMENT_MAX_MB", cls.attachment_max_mb, 1, 100
            ),
            kpi_computers=_slugs(env.get("INVENTORY_KPI_COMPUTERS", "")) or cls.kpi_computers,
            holder_retention_months=_whole(
                env, "INVENTORY_HOLDER_RETENTION_MONTHS", cls.holder_retention_months, 1, 120
            ),
            trusted_proxies=_whole(env, "INVENTORY_TRUSTED_PROXIES", cls.trusted_proxies, 0, 5),
            session_hours=_whole(env, "INVENTORY_SESSION_HOURS", cls.session_hours, 1, 168),
            session_idle_minutes=_whole(
                env, "INVENTORY_SESSION_IDLE_MINUTES", cls.session_idle_minutes, 5, 1440
            ),
        )

    @property
    def attachment_max_bytes(self) -> int:
        return self.attachment_max_mb * 1024 * 1024

    @property
    def max_request_bytes(self) -> int:
        """What a request may carry at most: the assessment form's two files at their
        largest, and room for its fields. A file over attachment_max_mb within this is
        refused by the form, which keeps what was typed; beyond it, by a 413 page."""
        return 2 * self.attachment_max_bytes + 1024 * 1024

    @property
    def https(self) -> bool:
        """Served over https: cookies are then sent over https only."""
        return self.base_url.lower().startswith("https://")


def _split_on(raw: str) -> dt.date | None:
    try:
        return parse_date(raw)
    except ValidationFailed:
        raise ValueError(f"INVENTORY_SPLIT_ON is not a date YYYY-MM-DD: {raw!r}") from None


# The instance's own helpdesk line, when INVENTORY_HELPDESK_LINE is not set: `inventory seed
# demo` writes the demo's there, so that the demo's labels and found-device page show a phone
# number and an e-mail address without any configuration.
HELPDESK_FILE = "helpdesk_line"


def _instance_helpdesk_line(instance: Path) -> str:
    path = instance / HELPDESK_FILE
    return path.read_text(encoding="utf-8").strip() if path.is_file() else ""


def keep_helpdesk_line(instance: Path, line: str) -> bool:
    """Write the instance's helpdesk line unless it has one (an operator's edit stays)."""
    path = instance / HELPDESK_FILE
    if path.exists():
        return False
    private_directory(instance)
    path.write_text(line + "\n", encoding="utf-8")
    return True


_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def _slugs(raw: str) -> tuple[str, ...]:
    """Category slugs separated by commas ("pc,chromebook")."""
    slugs = tuple(s.strip() for s in raw.split(",") if s.strip())
    for slug in slugs:
        if not _SLUG.fullmatch(slug):
            raise ValueError(
                f"INVENTORY_KPI_COMPUTERS is not a list of category slugs such as pc,chromebook: "
                f"{raw!r}"
            )
    return slugs


def _whole(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "")
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and low <= int(raw) <= high):
        raise ValueError(f"{name} is not a whole number from {low} to {high}: {raw!r}")
    return int(raw)


def _instance_secret(instance: Path) -> str:
    """A secret key generated once and kept in the instance folder (mode 0600)."""
    private_directory(instance)
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    # Created with its mode: written first and chmod-ed after, it would be readable meanwhile.
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
        file.write(key)
    return key
