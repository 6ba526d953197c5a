"""What a scanned code means: one of our label URLs, or a bare asset tag."""

from __future__ import annotations

from urllib.parse import urlsplit

from .assets import TAG_PATTERN, normalize_tag
from .errors import ValidationFailed
from .text import N_

MAX_CODE = 300


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
