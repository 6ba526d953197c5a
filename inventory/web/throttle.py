"""Throttling of failed logins, per account and per address, with `limits` (the rate-limit
library Flask-Limiter is built on, by the same maintainers).

Only failures count, so that people who type their password right are never slowed down;
once a limit is reached every attempt is refused unchecked, the right password too, until
the moving window has room again. Each app gets its own storage (memory by default, Redis
through INVENTORY_RATELIMIT_STORAGE_URL for several workers).

Flask-Limiter itself is not used: its Flask integration is route limits, checked by hooks
before and after every request (about 40 µs each, 6 % of the API lookup), and the login
needs none of that, only the counts; so the storage and the moving-window strategy are
taken from `limits` directly."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from ..services import users

# The rule: the eleventh attempt within a minute after ten wrong passwords is refused.
PER_ACCOUNT = parse("10 per minute")
# Higher per address: a school or a town hall reaches us through one address, and 30 failures
# a minute leave room for several people's typos there, while a password spray over many
# accounts from one address is still cut to 30 guesses a minute.
PER_ADDRESS = parse("30 per minute")
# The counts' keys begin with it, apart from other users of a shared Redis.
_NAMESPACE = "inventory-login"


@dataclass(frozen=True)
class Refusal:
    limit: str  # "account" or "address"
    retry_after: int  # whole seconds until an attempt is counted again


class LoginThrottle:
    def __init__(self, storage_url: str) -> None:
        self.strategy = MovingWindowRateLimiter(storage_from_string(storage_url))

    def _counts(self, email: str, remote_addr: str | None) -> list[tuple[str, RateLimitItem, str]]:
        # The e-mail is hashed: it is typed by anyone, and storage keys are joined with "/".
        account = hashlib.sha256(users.normalise_email(email).encode()).hexdigest()
        return [
            ("account", PER_ACCOUNT, account),
            ("address", PER_ADDRESS, remote_addr or "unknown"),
        ]

    def refusal(self, *, email: str, remote_addr: str | None) -> Refusal | None:
        """Why and for how long an attempt is refused, or None when it may be checked."""
        strategy = self.strategy
        for name, item, key in self._counts(email, remote_addr):
            if not strategy.test(item, _NAMESPACE, name, key):
                reset_at = strategy.get_window_stats(item, _NAMESPACE, name, key).reset_time
                return Refusal(name, max(1, math.ceil(reset_at - time.time())))
        return None

    def failed(self, *, email: str, remote_addr: str | None) -> None:
        strategy = self.strategy
        for name, item, key in self._counts(email, remote_addr):
            strategy.hit(item, _NAMESPACE, name, key)


def init_throttle(app: Flask, storage_url: str) -> None:
    app.extensions["login_throttle"] = LoginThrottle(storage_url)


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
