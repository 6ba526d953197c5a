"""Template filters: money, dates and labels as Swedes read them."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

from ..domain.field_actions import FieldAction
from ..domain.lifecycle import Reason
from ..domain.money import format_sek
from ..domain.roles import Role
from ..domain.statuses import DisposalKind, Status


def init_formatting(app: Flask) -> None:
    app.add_template_filter(_sek, "sek")
    app.add_template_filter(_date, "date")
    app.add_template_filter(_status_label, "status_label")
    app.add_template_filter(_disposal_label, "disposal_label")
    app.add_template_global(Status, "Status")
    app.add_template_global(Role, "Role")
    app.add_template_global(get_locale, "get_locale")
    app.add_template_filter(_field_label, "field_label")
    app.add_template_filter(_action_label, "action_label")
    app.add_template_global(reason_text, "reason_text")


def reason_text(reason: Reason) -> str:
    params = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in reason.params.items()}
    return gettext(reason.message, **params)


# What each kind of history event is called.
ACTION_LABELS = {
    "create": _l("Registered"),
    "edit": _l("Edited"),
    "status": _l("Status changed"),
    "note": _l("Note"),
}


def _action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    try:
        return gettext(FieldAction(action).label)
    except ValueError:
        return action


# Names of the asset's fields as the history shows them.
FIELD_LABELS = {
    "tag": _l("Asset tag"),
    "serial": _l("Serial number"),
    "model_id": _l("Model"),
    "category_id": _l("Category"),
    "owner_id": _l("Owner"),
    "business_unit_id": _l("Business unit"),
    "location_id": _l("Location"),
    "holder": _l("Holder"),
    "status": _l("Status"),
    "disposal_kind": _l("Disposal kind"),
    "purchase_date": _l("Purchase date"),
    "in_service_date": _l("In-service date"),
    "price_ore": _l("Purchase price"),
    "depreciation_months": _l("Depreciation period"),
    "supplier": _l("Supplier"),
    "order_ref": _l("Order/invoice reference"),
    "warranty_end": _l("Warranty end"),
    "hostname": _l("Hostname"),
    "mac": _l("MAC address"),
    "ip": _l("IP address"),
    "imei": _l("IMEI"),
    "due_override": _l("Replace by"),
    "notes": _l("Notes"),
}


def _field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def _sek(ore: int | None) -> str:
    return "" if ore is None else format_sek(ore)


def _date(value: dt.date | None) -> str:
    # ISO dates are what Swedish forms and registers use (SS-ISO 8601).
    return "" if value is None else value.isoformat()


def _status_label(value: str | Status) -> str:
    return gettext(Status(value).label)


def _disposal_label(value: str | None) -> str:
    return "" if not value else gettext(DisposalKind(value).label)
