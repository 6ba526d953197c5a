"""The handover export's records as tables: one per kind of record, each column with its
machine key (JSON), its heading (XLSX, in the reader's language) and its kind of value, so
that the XLSX and the JSON hold the same content."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..domain.reuse import Decision
from ..domain.text import N_
from ..services.attachments import AttachmentInfo
from ..services.handover import AssetRecord, HandoverExport, HistoryRecord, StocktakeRecord
from ..services.reuse import AssessmentRecord
from ..services.stocktakes import FOUND, MISPLACED, MISSING


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    MOMENT = "moment"  # an aware UTC datetime
    MONEY = "money"  # öre
    NUMBER = "number"
    FLAG = "flag"  # yes or no
    # A value with a machine name (a status, a decision): the name in JSON, its label in
    # the reader's language in XLSX.
    NAMED = "named"


@dataclass(frozen=True)
class Column:
    key: str
    heading: str  # untranslated
    kind: Kind
    value: Callable[[Any], Any]
    # For NAMED: the machine name's label (untranslated).
    label: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str  # untranslated
    columns: tuple[Column, ...]
    rows: Callable[[HandoverExport], Sequence[Any]]


def _label(value: Any) -> str:
    return value.label if value is not None else ""


OUTCOME_LABELS = {FOUND: N_("Found"), MISSING: N_("Missing"), MISPLACED: N_("Misplaced")}


def _decision(value: str) -> str:
    try:
        return Decision(value).label
    except ValueError:
        return value


def _text(key: str, heading: str) -> Column:
    return Column(key, heading, Kind.TEXT, lambda r: getattr(r, key))


def _of(key: str, heading: str, kind: Kind) -> Column:
    return Column(key, heading, kind, lambda r: getattr(r, key))


ASSETS = Sheet(
    "assets",
    N_("Assets"),
    (
        _text("tag", N_("Asset tag")),
        _text("serial", N_("Serial number")),
        _text("category", N_("Category")),
        _text("manufacturer", N_("Manufacturer")),
        _text("model", N_("Model")),
        Column(
            "status", N_("Status"), Kind.NAMED, lambda r: r.status.value, lambda r: r.status.label
        ),
        Column(
            "disposal_kind",
            N_("Disposal kind"),
            Kind.NAMED,
            lambda r: r.disposal_kind.value if r.disposal_kind else None,
            lambda r: _label(r.disposal_kind),
        ),
        Column(
            "handed_over_from",
            N_("Status when handed over"),
            Kind.NAMED,
            lambda r: r.handed_over_from.value if r.handed_over_from else None,
            lambda r: _label(r.handed_over_from),
        ),
        _text("holder", N_("Holder")),
        _text("holder_at_handover", N_("Holder when handed over")),
        _text("business_unit", N_("Business unit")),
        _text("location", N_("Location")),
        _of("purchase_date", N_("Purchase date"), Kind.DATE),
        _of("in_service_date", N_("In-service date"), Kind.DATE),
        Column("purchase_price_sek", N_("Purchase price"), Kind.MONEY, lambda r: r.price_ore),
        Column("book_value_sek", N_("Book value"), Kind.MONEY, lambda r: r.book_value_ore),
        _of("depreciation_months", N_("Depreciation period (months)"), Kind.NUMBER),
        _of("warranty_end", N_("Warranty end"), Kind.DATE),
        _of("replacement_due", N_("Replacement due"), Kind.DATE),
        _text("supplier", N_("Supplier")),
        _text("order_ref", N_("Order/invoice reference")),
        _text("hostname", N_("Hostname")),
        _text("mac", N_("MAC address")),
        _text("ip", N_("IP address")),
        _text("imei", N_("IMEI")),
        _text("notes", N_("Notes")),
        _of("registered_at", N_("Registered"), Kind.MOMENT),
    ),
    lambda data: data.assets,
)

HISTORY = Sheet(
    "history",
    N_("History"),
    (
        _text("tag", N_("Asset tag")),
        _of("at", N_("When"), Kind.MOMENT),
        _text("actor", N_("By")),
        Column("action", N_("Event"), Kind.NAMED, lambda r: r.action, lambda r: r.action_text),
        _text("text", N_("Changes")),
        _text("comment", N_("Comment")),
    ),
    lambda data: data.history,
)

ASSESSMENTS = Sheet(
    "assessments",
    N_("Assessments"),
    (
        _text("tag", N_("Asset tag")),
        _of("assessed_at", N_("Assessed"), Kind.MOMENT),
        _text("assessed_by", N_("Assessed by")),
        _text("grade", N_("Condition")),
        _of("battery_health", N_("Battery health (%)"), Kind.NUMBER),
        _of("wiped", N_("Wiped"), Kind.FLAG),
        _text("wipe_method", N_("Wipe method")),
        _of("wiped_on", N_("Wiped on"), Kind.DATE),
        _text("wiped_by", N_("Wiped by")),
        Column(
            "decision",
            N_("Decision"),
            Kind.NAMED,
            lambda r: r.decision,
            lambda r: _decision(r.decision),
        ),
        _text("recycler", N_("Recycler")),
        _text("certificate", N_("Certificate number")),
        _text("reason", N_("Reason")),
    ),
    lambda data: data.assessments,
)

STOCKTAKES = Sheet(
    "stocktake_results",
    N_("Stocktake results"),
    (
        _of("stocktake_id", N_("Stocktake"), Kind.NUMBER),
        _text("title", N_("Title")),
        _of("closed_at", N_("Closed"), Kind.MOMENT),
        _text("tag", N_("Asset tag")),
        Column(
            "outcome",
            N_("Outcome"),
            Kind.NAMED,
            lambda r: r.outcome,
            lambda r: OUTCOME_LABELS.get(r.outcome, r.outcome),
        ),
        Column("purchase_price_sek", N_("Purchase price"), Kind.MONEY, lambda r: r.price_ore),
        Column("book_value_sek", N_("Book value"), Kind.MONEY, lambda r: r.book_value_ore),
        _text("registered_at", N_("Registered location")),
    ),
    lambda data: data.stocktakes,
)

ATTACHMENTS = Sheet(
    "attachments",
    N_("Attached files"),
    (
        _text("tag", N_("Asset tag")),
        Column("kind", N_("Kind"), Kind.NAMED, lambda r: r.kind.value, lambda r: r.kind.label),
        _text("filename", N_("File name")),
        # Where the ZIP of the files holds it; the digest proves it is the file kept.
        _text("archive_path", N_("File in the ZIP")),
        _text("content_type", N_("Content type")),
        _of("size_bytes", N_("Size (bytes)"), Kind.NUMBER),
        _text("sha256", N_("SHA-256")),
        _of("uploaded_at", N_("Attached"), Kind.MOMENT),
        _text("uploaded_by", N_("Attached by")),
    ),
    lambda data: data.attachments,
)

SHEETS = (ASSETS, HISTORY, ASSESSMENTS, STOCKTAKES, ATTACHMENTS)

# The records each sheet holds, for type checkers and readers.
Record = AssetRecord | HistoryRecord | AssessmentRecord | StocktakeRecord | AttachmentInfo
