"""An asset's history in words: what each kind of event and each field is called, and a
change written out as people read it ("Status: Deployed → Disposed"). The asset page and
the exports that hand a register over say the same."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .attachments import Kind as FileKind
from .field_actions import FieldAction
from .money import format_sek
from .personal import ANONYMISED, ANONYMISED_LABEL
from .reuse import Decision
from .statuses import DisposalKind, Status
from .text import N_

# What each kind of history event is called.
ACTION_LABELS = {
    "create": N_("Registered"),
    "edit": N_("Edited"),
    "status": N_("Status changed"),
    "note": N_("Note"),
    "assessment": N_("Assessed"),
    # The departing owner's register handed over (services/handover.py).
    "handover": N_("Handed over"),
    # The decided split of the joint property (agreement §20, services/partnership.py).
    "split": N_("Split of the joint property"),
    # An evidence file attached to the latest assessment afterwards (services/attachments.py).
    "attachment": N_("File attached"),
    # An asset changed by a row of an imported file (services/imports.py); the event names
    # its import (a registration by an import stays "create", naming it too).
    "import": N_("Changed by an import"),
}

# Names of the asset's fields as the history shows them.
FIELD_LABELS = {
    "tag": N_("Asset tag"),
    "serial": N_("Serial number"),
    "model_id": N_("Model"),
    "category_id": N_("Category"),
    "owner_id": N_("Owner"),
    "business_unit_id": N_("Business unit"),
    "service_object_id": N_("Service object"),
    "location_id": N_("Location"),
    "holder": N_("Holder"),
    "status": N_("Status"),
    "disposal_kind": N_("Disposal kind"),
    "disposed_on": N_("Disposal date"),
    "proceeds_ore": N_("Proceeds"),
    # The day the §20 split moved the device to its municipality.
    "split_on": N_("Split date"),
    "purchase_date": N_("Purchase date"),
    "in_service_date": N_("In-service date"),
    "price_ore": N_("Purchase price"),
    "depreciation_months": N_("Depreciation period"),
    "supplier": N_("Supplier"),
    "order_ref": N_("Order/invoice reference"),
    "warranty_end": N_("Warranty end"),
    "hostname": N_("Hostname"),
    "mac": N_("MAC address"),
    "ip": N_("IP address"),
    "imei": N_("IMEI"),
    "due_override": N_("Replace by"),
    "notes": N_("Notes"),
    # What device management reports (Intune, Google Admin imports).
    "end_of_support": N_("End of support"),
    "os_version": N_("OS version"),
    "mdm_user": N_("Primary user (device management)"),
    "mdm_seen_on": N_("Last check-in"),
    # What an assessment records (reuse routine).
    "grade": N_("Condition"),
    "battery_health": N_("Battery health"),
    "wipe_method": N_("Wipe method"),
    "wiped_on": N_("Wiped on"),
    "wiped_by": N_("Wiped by"),
    "decision": N_("Decision"),
    "recycler": N_("Recycler"),
    "certificate": N_("Certificate number"),
    # Assessments recorded before these fields were written out one by one.
    "assessment": N_("Assessment"),
}

NOTHING = "—"
# Who an event names when no user made it (a command-line load, a job).
SYSTEM = N_("System")

# Translates a message with a plural form: (singular, plural, n) -> the catalogue's form for
# n, placeholders still in it (gettext's ngettext).
Plural = Callable[[str, str, int], str]

# An evidence file attached, recorded under its kind: {kind: [None, file name]}.
_FILE_KINDS = frozenset(kind.value for kind in FileKind)


def action_label(action: str) -> str:
    """The untranslated name of an event's action; an action the register no longer knows
    as it is."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    try:
        return FieldAction(action).label
    except ValueError:
        return action


def value_text(
    field: str,
    value: Any,
    *,
    names: Mapping[tuple[str, Any], str],
    translate: Callable[[str], str],
    plural: Plural | None = None,
) -> str:
    """One value of a field as the history shows it: statuses, kinds and decisions by their
    names, money in kronor, periods in months, battery health in per cent, ids by what they
    name (`names`: (field, id) -> name)."""
    if value is None or value == "":
        return NOTHING
    if value == ANONYMISED:
        return translate(ANONYMISED_LABEL)
    if (field, value) in names:
        return names[(field, value)]
    try:
        if field == "status":
            return translate(Status(value).label)
        if field == "disposal_kind":
            return translate(DisposalKind(value).label)
        if field == "decision":
            return translate(Decision(value).label)
    except ValueError:
        return str(value)
    if field in ("price_ore", "proceeds_ore") and isinstance(value, int):
        return format_sek(value)
    if field == "battery_health" and isinstance(value, int):
        return f"{value} %"
    if field == "depreciation_months" and isinstance(value, int) and plural is not None:
        return plural("%(num)s month", "%(num)s months", value) % {"num": value}
    return str(value)


def change_lines(
    action: str,
    changes: Mapping[str, Any],
    *,
    names: Mapping[tuple[str, Any], str],
    translate: Callable[[str], str],
    plural: Plural | None = None,
) -> list[str]:
    """Each change of an event in words, in the order recorded: "Status: Deployed →
    Disposed"; a registration gives what it set ("Serial number: SN1")."""
    lines = []
    for field, (before, after) in changes.items():
        if field in _FILE_KINDS:  # "Wipe report attached: report.pdf"
            lines.append(f"{translate(FileKind(field).attached_label)}: {after}")
            continue
        label = translate(FIELD_LABELS[field]) if field in FIELD_LABELS else field
        now = value_text(field, after, names=names, translate=translate, plural=plural)
        if action == "create":
            lines.append(f"{label}: {now}")
        else:
            was = value_text(field, before, names=names, translate=translate, plural=plural)
            lines.append(f"{label}: {was} → {now}")
    return lines
