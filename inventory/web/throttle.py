"""Throttling of failed logins, per account and per address (Flask-Limiter).

Only failures count, so that people who type their password right are never slowed down;
once a limit is reached every attempt is refused unchecked, the right password too, until
the moving window has room again. Each app gets its own Limiter and so its own storage
(memory by default, Redis through INVENTORY_RATELIMIT_STORAGE_URL for several workers)."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse

from ..services import users

# The rule: the eleventh attempt within a minute after ten wrong passwords is refused.
PER_ACCOUNT = parse("10 per minute")
# Higher per address: a school or a town hall reaches us through one address, and 30 failures
# a minute leave room for several people's typos there, while a password spray over many
# accounts from one address is still cut to 30 guesses a minute.
PER_ADDRESS = parse("30 per minute")


@dataclass(frozen=True)
class Refusal:
    limit: str  # "account" or "address"
    retry_after: int  # whole seconds until an attempt is counted again


class LoginThrottle:
    def __init__(self, app: Flask, storage_url: str) -> None:
        # No limits of its own: the limiter keeps the counts that login() asks about.
        self.limiter = Limiter(
            key_func=get_remote_address,
            storage_uri=storage_url,
            strategy="moving-window",
            default_limits=[],
            key_prefix="inventory-login",
        )
        self.limiter.init_app(app)
        # Its hook before every request has nothing to check: exempt everything at once, which
        # keeps it to a few microseconds instead of some thirty.
        self.limiter.request_filter(lambda: True)

    def _counts(self, email: str, remote_addr: str | None) -> list[tuple[str, RateLimitItem, str]]:
        # The e-mail is hashed: it is typed by anyone, and storage keys are joined with "/".
        account = hashlib.sha256(users.normalise_email(email).encode()).hexdigest()
        return [
            ("account", PER_ACCOUNT, account),
            ("address", PER_ADDRESS, remote_addr or "unknown"),
        ]

    def refusal(self, *, email: str, remote_addr: str | None) -> Refusal | None:
        """Why and for how long an attempt is refused, or None when it may be checked."""
        strategy = self.limiter.limiter
        for name, item, key in self._counts(email, remote_addr):
            if not strategy.test(item, name, key):
                reset_at = strategy.get_window_stats(item, name, key).reset_time
                return Refusal(name, max(1, math.ceil(reset_at - time.time())))
        return None

    def failed(self, *, email: str, remote_addr: str | None) -> None:
        strategy = self.limiter.limiter
        for name, item, key in self._counts(email, remote_addr):
            strategy.hit(item, name, key)


def init_throttle(app: Flask, storage_url: str) -> None:
    app.extensions["login_throttle"] = LoginThrottle(app, storage_url)


def login_throttle() -> LoginThrottle:
    return current_app.extensions["login_throttle"]  # type: ignore[no-any-return]


def per_process_warning(storage_url: str, workers: int) -> str | None:
    """What to tell the operator who serves several workers with counts kept in memory: each
    worker counts on its own, so an account can take up to workers × 10 failures a minute."""
    if workers <= 1 or not storage_url.startswith("memory://"):
        return None
    return (
        f"warning: failed logins are counted in each of the {workers} workers' memory, so an "
        f"account is refused only after up to {workers} x {PER_ACCOUNT.amount} failures a "
        "minute; set INVENTORY_RATELIMIT_STORAGE_URL=redis://... to count them together, "
        "or serve with --workers 1."
    )
