"""The audit log in words: what each action is called, and its details as "Role: Technician →
Administrator" rather than the keys and JSON it is stored as (services/audit.py)."""

from __future__ import annotations

from typing import Any

from ..domain.audit import ACTIONS
from ..domain.history import FIELD_LABELS
from ..domain.roles import Role
from ..domain.text import N_
from .i18n import gettext

# Detail keys and columns beyond the assets' own field labels.
_KEYS = {
    "role": N_("Role"),
    "active": N_("Active"),
    "name": N_("Name"),
    "owner_id": N_("Owner"),
    "tokens_revoked": N_("API tokens revoked"),
    "password_changed": N_("Password changed"),
    "format": N_("Format"),
    "layout": N_("Layout"),
    "count": N_("Rows"),
    "events": N_("History events"),
    "imports": N_("Imports"),
    "months": N_("Retention (months)"),
    "days": N_("Days"),
    "held": N_("Devices held"),
    "history": N_("History events"),
    "accounts": N_("Accounts"),
    "limit": N_("Limit"),
    "retry_after": N_("Seconds to wait"),
    "target_lifespan_months": N_("Target lifespan (months)"),
    "horizon_months": N_("Horizon (months)"),
    "building": N_("Building"),
    "room": N_("Room"),
    "address": N_("Address"),
    "site_id": N_("Site"),
    "manufacturer_id": N_("Manufacturer"),
    "standard_price_ore": N_("Standard price"),
    "carbon_kg": N_("Footprint (kg CO2e)"),
    "is_server_hall": N_("Server hall"),
    "is_it_storage": N_("IT storage"),
    "slug": N_("Code"),
}
_HIDDEN = frozenset({"id", "token_id", "run_id"})


def action_text(action: str) -> str:
    words = ACTIONS.get(action)
    return gettext(words) if words else action.replace("_", " ").replace(".", ": ")


def details_text(details: dict[str, Any]) -> str:
    """Each detail on its own, " · " between them; changes as "Label: before → after"."""
    parts: list[str] = []
    for key, value in details.items():
        if key in _HIDDEN:
            continue
        if key in ("changes", "after") and isinstance(value, dict):
            for field, change in value.items():
                pair = change if key == "changes" else [None, change]
                if isinstance(pair, list | tuple) and len(pair) == 2:
                    parts.append(
                        f"{_label(field)}: {_value(field, pair[0])} → {_value(field, pair[1])}"
                    )
            continue
        parts.append(f"{_label(key)}: {_value(key, value)}")
    return " · ".join(parts)


def _label(key: str) -> str:
    words = _KEYS.get(key) or FIELD_LABELS.get(key)
    return gettext(words) if words else key.replace("_", " ")


def _value(key: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext(N_("yes")) if value else gettext(N_("no"))
    if key == "role" and isinstance(value, str) and value in {r.value for r in Role}:
        return gettext(Role(value).label)
    if isinstance(value, dict):
        return ", ".join(f"{_label(k)}: {_value(k, v)}" for k, v in value.items())
    return str(value)
