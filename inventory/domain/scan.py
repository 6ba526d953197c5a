"""What a scanned code means: one of our label URLs, or a bare asset tag."""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import urlsplit

from .assets import TAG_PATTERN, normalize_tag
from .errors import ValidationFailed
from .text import N_

MAX_CODE = 300
# A phone's clock may run a little ahead of the server's; further ahead than this it is
# wrong, and the scan is taken as made when it arrived.
DEVICE_CLOCK_AHEAD = dt.timedelta(minutes=5)


def tag_from_scan(code: str, *, base_url: str) -> str:
    """The asset tag in a scanned code; a clear error for anything else.

    Keyboard-wedge scanners type the code followed by Enter, so surrounding white space is
    ignored. A URL must be one of ours (same host as the configured base URL, path /a/<tag>).
    """
    text = (code or "").strip()
    if not text:
        raise ValidationFailed({"code": N_("Scan a label or type an asset tag.")})
    if len(text) > MAX_CODE:
        raise ValidationFailed({"code": N_("That code is too long to be one of our labels.")})
    if "://" in text:
        try:
            ours, scanned = urlsplit(base_url), urlsplit(text)
            scanned_host = scanned.netloc.lower()
        except ValueError:  # e.g. an unclosed IPv6 bracket
            raise ValidationFailed(
                {"code": N_("That QR code is not one of our asset labels.")}
            ) from None
        if (scanned.scheme, scanned_host) != (ours.scheme, ours.netloc.lower()):
            raise ValidationFailed({"code": N_("That QR code is not one of our asset labels.")})
        prefix = ours.path.rstrip("/") + "/a/"
        if not scanned.path.startswith(prefix):
            raise ValidationFailed({"code": N_("That QR code is not one of our asset labels.")})
        text = scanned.path.removeprefix(prefix)
    tag = normalize_tag(text)
    if not TAG_PATTERN.match(tag):
        raise ValidationFailed({"code": N_("That is neither an asset tag nor one of our labels.")})
    return tag


def scan_time(
    device_time: dt.datetime | None, *, started_at: dt.datetime, received_at: dt.datetime
) -> dt.datetime:
    """When a scan was made. A scan that waited offline on a phone carries the phone's time,
    which is kept, but a phone's clock can be wrong: a time too far ahead of the moment the
    scan arrived becomes that moment, and one before the stocktake started (no scan can be
    older than the page it was made on) becomes its start. Bounded rather than refused: a
    wrong clock must not cost the count of an item that was seen."""
    if device_time is None or device_time > received_at + DEVICE_CLOCK_AHEAD:
        return received_at
    return max(device_time, started_at)


def parse_device_time(raw: object) -> dt.datetime | None:
    """A scan's time as a phone sends it (ISO 8601 with its offset, as JavaScript's
    toISOString writes it), in UTC; None when it sends none."""
    if raw is None or raw == "":
        return None
    message = N_("The time of the scan could not be read.")
    if not isinstance(raw, str) or len(raw) > 40:
        raise ValidationFailed({"scanned_at": message})
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed({"scanned_at": message}) from None
    if moment.utcoffset() is None:  # a local time of an unknown zone
        raise ValidationFailed({"scanned_at": message})
    return moment.astimezone(dt.UTC)


def parse_client_id(raw: object) -> str:
    """The id a phone gave its scan (crypto.randomUUID), in the one spelling it is kept in."""
    try:
        if not isinstance(raw, str) or len(raw) != 36:
            raise ValueError(raw)
        return str(uuid.UUID(raw))
    except ValueError:
        raise ValidationFailed(
            {"client_id": N_("The scan has no valid id: reload the page and scan it again.")}
        ) from None
