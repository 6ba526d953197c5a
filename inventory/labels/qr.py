"""QR codes that encode an asset's stable short URL, `<base URL>/a/<tag>`."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

# ISO/IEC 18004 asks for four modules of light margin around the symbol: scanners need it.
QUIET_ZONE = 4


def asset_url(base_url: str, tag: str) -> str:
    return f"{base_url.rstrip('/')}/a/{tag}"


def _code(data: str, box_size: int = 10) -> qrcode.QRCode:  # type: ignore[type-arg]
    # Level M survives a scratched or dirty label (15 % of the code) and keeps the code small.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, box_size=box_size)
    code.add_data(data)
    code.make(fit=True)
    return code


def matrix(data: str) -> list[list[bool]]:
    """The modules of the symbol, quiet zone included (True is dark)."""
    return [list(row) for row in _code(data).get_matrix()]


def svg(data: str) -> bytes:
    image = _code(data).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def png(data: str, box_size: int = 10) -> bytes:
    image = _code(data, box_size=box_size).make_image(fill_color="black", back_color="white")
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()
