"""Evidence files of the reuse routine: the wipe tool's report, attached to the assessment
that records the wipe, and the recycler's certificate, attached to a recycling decision.

What a file is is decided here from its bytes, never from the name or the type a browser
sends: a PDF, a PNG, JPEG or WebP image (a photo of a paper certificate), or an XML report
(wipe tools such as Blancco export one). XML is parsed without a DTD: no entity is ever
declared or expanded, so a "billion laughs" file or one reaching for a local file is refused
before anything reads it. Web pages (HTML, SVG, XHTML) are refused: a browser would run them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from xml.parsers import expat

from .errors import ValidationFailed
from .reuse import Decision
from .statuses import DisposalKind
from .text import N_


class Kind(StrEnum):
    WIPE_REPORT = "wipe_report"
    RECYCLING_CERTIFICATE = "recycling_certificate"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def attached_label(self) -> str:
        """What the history says when one is attached: "Wipe report attached: r.pdf"."""
        return _ATTACHED[self]


_LABELS = {
    Kind.WIPE_REPORT: N_("Wipe report"),
    Kind.RECYCLING_CERTIFICATE: N_("Recycler's certificate"),
}
_ATTACHED = {
    Kind.WIPE_REPORT: N_("Wipe report attached"),
    Kind.RECYCLING_CERTIFICATE: N_("Recycler's certificate attached"),
}


@dataclass(frozen=True)
class FileType:
    content_type: str
    # The first is the one a name without an ending is given.
    extensions: tuple[str, ...]
    name: str  # as people call it, the same in every language


PDF = FileType("application/pdf", (".pdf",), "PDF")
PNG = FileType("image/png", (".png",), "PNG")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG")
WEBP = FileType("image/webp", (".webp",), "WebP")
XML = FileType("application/xml", (".xml",), "XML")
FILE_TYPES = (PDF, PNG, JPEG, WEBP, XML)
BY_CONTENT_TYPE = {t.content_type: t for t in FILE_TYPES}
# What a file picker offers (the accept attribute): the endings and the types.
ACCEPT = ",".join(
    [e for t in FILE_TYPES for e in t.extensions] + [t.content_type for t in FILE_TYPES]
)

FILENAME_LENGTH = 200  # models/attachment.py
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: the name the browser gave and its bytes."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class CheckedFile:
    """A file that may be kept: its cleaned name, the type its bytes are, their digest."""

    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    content: bytes


class _Refused(Exception):
    """Raised from inside the XML parser to stop it at a DTD or an entity."""


# XHTML and SVG are run by a browser as pages; their namespaces name them whatever the root.
_PAGE_NAMESPACES = ("http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg")
_PAGE_ROOTS = ("html", "svg")


def _xml_verdict(content: bytes) -> str | None:
    """None for plain XML; otherwise why the file is refused (or "" when it is no XML)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    roots: list[str] = []

    def refuse(*_: Any) -> None:
        raise _Refused

    def start(name: str, _attrs: Any) -> None:
        if not roots:
            roots.append(name)

    # A DTD is where entities are declared: without one, nothing is expanded or fetched.
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.StartElementHandler = start
    try:
        parser.Parse(content, True)
    except _Refused:
        return "dtd"
    except (expat.ExpatError, ValueError, UnicodeError):
        return ""
    namespace, _, local = roots[0].rpartition(" ") if roots else ("", "", "")
    if local.lower() in _PAGE_ROOTS or namespace in _PAGE_NAMESPACES:
        return "page"
    return None


_NOT_ALLOWED = N_(
    "Only a PDF, an XML report or an image (PNG, JPEG, WebP) can be attached: this file is "
    "none of them."
)


def detect(content: bytes) -> FileType:
    """The type the bytes are, or a ValidationFailed on "file" saying why none is allowed."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    verdict = _xml_verdict(content) if _looks_like_markup(content) else ""
    if verdict is None:
        return XML
    if verdict == "page" or _looks_like_html(content):
        raise ValidationFailed(
            {"file": N_("A web page (HTML or SVG) cannot be attached: save the report as a PDF.")}
        )
    if verdict == "dtd":
        raise ValidationFailed(
            {
                "file": N_(
                    "XML with a DTD or entity declarations is not accepted: export the report "
                    "without them, or as a PDF."
                )
            }
        )
    raise ValidationFailed({"file": _NOT_ALLOWED})


def _looks_like_markup(content: bytes) -> bool:
    """Text starting with "<" (after a byte-order mark and white space) in UTF-8 or UTF-16."""
    head = content[:64]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(bom)
    return head.lstrip(b" \t\r\n\x00")[:1] == b"<"


def _looks_like_html(content: bytes) -> bool:
    head = content[:1024].lower()
    return any(mark in head for mark in (b"<!doctype html", b"<html", b"<svg", b"<script"))


# Characters a file name may not hold on the systems it is saved to, and control characters.
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*]')


def clean_filename(raw: str, file_type: FileType) -> str:
    """The name to keep: without any folder, characters unsafe on Windows, macOS or Linux,
    leading dots or formula signs; at most FILENAME_LENGTH characters, ending as its type
    does (a name without an ending gets the type's). Raises when the name's ending is another
    type's: a PNG named .pdf is a mistake to point out, not to store."""
    name = unicodedata.normalize("NFC", re.split(r"[/\\]", raw)[-1])
    name = " ".join(_UNSAFE_NAME.sub("_", name).split())
    stem, dot, ending = name.rpartition(".")
    if not dot:
        stem, ending = name, ""
    ending = f".{ending.lower()}" if ending.strip() else ""
    # Nor starting as a spreadsheet formula would: the handover's manifest lists the names.
    stem = stem.lstrip("=+-@").strip(". ")
    if ending and ending not in file_type.extensions:
        raise ValidationFailed(
            {
                "file": N_(
                    "The file is named %(name)s but holds a %(type)s file: choose the right file, "
                    "or rename it."
                )
            },
            {"file": {"name": name[-80:], "type": file_type.name}},
        )
    ending = ending or file_type.extensions[0]
    stem = stem or "fil"
    return stem[: FILENAME_LENGTH - len(ending)].rstrip(". ") + ending


def check_file(upload: Upload, *, max_bytes: int, field: str) -> CheckedFile:
    """An upload that may be kept, or a ValidationFailed on `field` saying why not: empty,
    larger than `max_bytes`, of a type not allowed, or named as another type."""
    size = len(upload.content)
    try:
        if size == 0:
            raise ValidationFailed({"file": N_("The file %(name)s is empty.")})
        if size > max_bytes:
            raise ValidationFailed(
                {"file": N_("The file %(name)s is larger than %(max)s MB: choose a smaller one.")},
                {"file": {"max": max_bytes // MEGABYTE}},
            )
        file_type = detect(upload.content)
        filename = clean_filename(upload.filename, file_type)
    except ValidationFailed as exc:
        params = {"name": upload.filename[-80:], **exc.field_params.get("file", {})}
        raise ValidationFailed({field: exc.errors["file"]}, {field: params}) from None
    return CheckedFile(
        filename=filename,
        content_type=file_type.content_type,
        size_bytes=size,
        sha256=hashlib.sha256(upload.content).hexdigest(),
        content=upload.content,
    )


def misfit_in_assessment(kind: Kind, *, wiped: bool, decision: Decision) -> str | None:
    """Why a file of `kind` does not belong to an assessment saved with this wipe and
    decision, or None. Never dropped silently: a report for a wipe not recorded is a
    question to the technician, like wipe details with the box unticked."""
    if kind is Kind.WIPE_REPORT and not wiped:
        return N_(
            "You attached a wipe report but did not tick that the data has been wiped: tick it "
            "and describe the wipe, or remove the file."
        )
    if kind is Kind.RECYCLING_CERTIFICATE and decision is not Decision.RECYCLE:
        return N_(
            "The recycler's certificate belongs to a decision to recycle: choose Recycle, or "
            "remove the file."
        )
    return None


@dataclass(frozen=True)
class LatestAssessment:
    """What decides whether a file may be attached afterwards: the asset's latest
    assessment (None: never assessed), and what it already has."""

    wiped: bool
    decision: str
    attached: frozenset[Kind]


def misfit_later(
    kind: Kind, *, latest: LatestAssessment | None, disposal_kind: str | None
) -> str | None:
    """Why a file of `kind` cannot be attached to the asset's latest assessment now, or None.
    A technician often gets the recycler's certificate weeks after the device left."""
    if latest is None:
        return N_("Files belong to an assessment: assess the device first.")
    if kind in latest.attached:
        return already_attached(kind)
    if kind is Kind.WIPE_REPORT and not latest.wiped:
        return N_("The latest assessment records no data wipe: a wipe report has nothing to prove.")
    if kind is Kind.RECYCLING_CERTIFICATE and not (
        latest.decision == Decision.RECYCLE.value and disposal_kind == DisposalKind.RECYCLED.value
    ):
        return N_("A recycler's certificate belongs to a device that has been recycled.")
    return None


def already_attached(kind: Kind) -> str:
    return (
        N_("The latest assessment already has a wipe report.")
        if kind is Kind.WIPE_REPORT
        else N_("The latest assessment already has a recycler's certificate.")
    )


def latest_from_history(
    changes_newest_first: list[tuple[str, Mapping[str, Any]]],
) -> LatestAssessment | None:
    """The latest assessment as an asset's history (action, changes; newest first) tells it:
    an assessment's event records its wipe, decision and the files saved with it, and every
    file attached since has an event of its own."""
    attached: set[Kind] = set()
    for action, changes in changes_newest_first:
        attached.update(kind for kind in Kind if kind.value in changes)
        if action == "assessment":
            decision = changes.get("decision", [None, ""])[1] or ""
            wiped = bool(changes.get("wiped_on", [None, None])[1])
            return LatestAssessment(wiped=wiped, decision=decision, attached=frozenset(attached))
    return None


def offered_later(latest: LatestAssessment | None, *, disposal_kind: str | None) -> list[Kind]:
    """The kinds the asset page offers to attach afterwards."""
    return [k for k in Kind if misfit_later(k, latest=latest, disposal_kind=disposal_kind) is None]
