"""Real files of each kind the reuse routine keeps as evidence, and ones it must refuse, made
here rather than stored in the repository: a PDF drawn by reportlab, images by Pillow, a
wipe tool's XML report in the shape Blancco exports."""

from __future__ import annotations

import datetime as dt
import io
from functools import cache

from PIL import Image
from reportlab.pdfgen import canvas
from sqlmodel import Session

from inventory.domain.attachments import Kind, Upload
from inventory.models import Asset, Attachment
from inventory.services import attachments

from .factories import NOW, TODAY, Reference


@cache
def pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Raderingsrapport IT-000001: Blancco Drive Eraser, NIST 800-88 Purge")
    page.save()
    return out.getvalue()


def image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(out, kind)
    return out.getvalue()


XML_REPORT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b"<report><erasure><state>Successful</state><method>NIST 800-88 Purge</method>"
    b"<serial>SN00000001</serial><operator>Tekniker Tina</operator></erasure></report>\n"
)

# What a browser may send that is none of the kept types.
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
WEB_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
XHTML_PAGE = (
    b'<html xmlns="http://www.w3.org/1999/xhtml"><body><script>alert(1)</script></body></html>'
)
SVG_IMAGE = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
# The "billion laughs": ten levels of ten entities, a gigabyte once expanded.
XML_BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>\n<lolz>&lol9;</lolz>\n"
)
XML_LOCAL_FILE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
)


def attach_later(
    session: Session,
    ref: Reference,
    asset: Asset,
    kind: Kind = Kind.WIPE_REPORT,
    *,
    name: str = "rapport.pdf",
    content: bytes | None = None,
    at: dt.datetime = NOW,
) -> Attachment:
    """A file attached afterwards to the asset's latest assessment, through the service."""
    return attachments.attach(
        session,
        actor=ref.admin,
        tag=asset.tag,
        files=[(kind, Upload(name, pdf() if content is None else content))],
        max_bytes=10 * 1024 * 1024,
        today=TODAY,
        now=at,
    )
