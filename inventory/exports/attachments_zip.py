"""A departing owner's evidence files as one ZIP: a folder per asset, and a manifest
(manifest.csv) that names each file's asset, kind, name, SHA-256 and size, so that whoever
takes the register over can check every file against the register's own record of it (the
XLSX and JSON list the same files, with the same paths)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
from typing import IO

from ..services.attachments import AttachmentInfo
from ..services.handover import AttachedFiles
from .cells import text_cell

MANIFEST = "manifest.csv"
MANIFEST_HEADER = (
    "tag",
    "kind",
    "filename",
    "path",
    "sha256",
    "size_bytes",
    "content_type",
    "uploaded_at",
    "uploaded_by",
)
# Written to disk past this: a register's evidence can be larger than a worker's memory.
IN_MEMORY_BYTES = 32 * 1024 * 1024


def render(bundle: AttachedFiles) -> IO[bytes]:
    """The ZIP, as a file rewound to its start (the caller sends and closes it)."""
    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115 (sent, then closed)
    by_id = {f.id: f for f in bundle.files}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file_id, content in bundle.contents:
            info = by_id[file_id]
            entry = zipfile.ZipInfo(info.archive_path, date_time=_zip_time(info.uploaded_at))
            # PDFs and photos are compressed already; XML reports shrink well.
            entry.compress_type = (
                zipfile.ZIP_DEFLATED
                if info.content_type == "application/xml"
                else zipfile.ZIP_STORED
            )
            archive.writestr(entry, content)
        archive.writestr(MANIFEST, manifest(bundle.files))
    out.seek(0)
    return out  # type: ignore[return-value]


def manifest(files: list[AttachmentInfo]) -> bytes:
    """UTF-8 with a byte-order mark, so that a spreadsheet reads å, ä and ö right."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(MANIFEST_HEADER)
    for f in files:
        writer.writerow(
            [
                f.tag,
                f.kind.value,
                # Never starting as a formula would (domain.attachments.clean_filename).
                f.filename,
                f.archive_path,
                f.sha256,
                f.size_bytes,
                f.content_type,
                _utc(f.uploaded_at).isoformat().replace("+00:00", "Z"),
                text_cell(f.uploaded_by),
            ]
        )
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def _utc(moment: dt.datetime) -> dt.datetime:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC)


def _zip_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """ZIP entries keep a local time without zone: the register's UTC, as stored."""
    t = _utc(moment)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)
