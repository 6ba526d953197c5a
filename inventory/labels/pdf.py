"""Label sheets as PDF: an A4 sheet of 3 × 8 labels of 70 × 37 mm, and 62 × 29 mm roll labels
for label printers. Each label: the QR code, the tag in large characters, the owner and a
configurable line (e.g. the IT helpdesk's phone)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from . import qr


@dataclass(frozen=True)
class Label:
    tag: str
    owner: str
    url: str


@dataclass(frozen=True)
class Layout:
    slug: str
    page_width: float
    page_height: float
    label_width: float
    label_height: float
    columns: int
    rows: int
    # Where the first label's top-left corner sits on the page.
    left: float
    top: float


LAYOUTS: dict[str, Layout] = {
    # 3 × 70 mm fill A4's 210 mm exactly; 8 × 37 mm = 296 mm leaves half a millimetre top and
    # bottom (the common "3 × 8, 70 × 37" office label sheets).
    "a4-3x8": Layout("a4-3x8", A4[0], A4[1], 70 * mm, 37 * mm, 3, 8, 0, 0.5 * mm),
    # Brother-style continuous 62 mm tape, cut at 29 mm: one label per page.
    "roll-62x29": Layout("roll-62x29", 62 * mm, 29 * mm, 62 * mm, 29 * mm, 1, 1, 0, 0),
}
# Inside each label, kept clear of the cut and of the printer's unprintable edge.
PADDING = 1.5 * mm


def render(labels: Sequence[Label], layout: Layout, *, footer: str) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(layout.page_width, layout.page_height))
    canvas.setTitle("Inventarieetiketter")
    canvas.setCreator("Ölands IT-nämnd inventarieregister")
    per_page = layout.columns * layout.rows
    for start in range(0, max(len(labels), 1), per_page):
        for index, label in enumerate(labels[start : start + per_page]):
            row, column = divmod(index, layout.columns)
            x = layout.left + column * layout.label_width
            y = layout.page_height - layout.top - (row + 1) * layout.label_height
            _draw_label(canvas, label, x, y, layout, footer)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw_label(
    canvas: Canvas, label: Label, x: float, y: float, layout: Layout, footer: str
) -> None:
    side = layout.label_height - 2 * PADDING
    _draw_qr(canvas, qr.matrix(label.url), x + PADDING, y + PADDING, side)
    text_x = x + PADDING + side + 1 * mm
    text_width = x + layout.label_width - PADDING - text_x
    top = y + layout.label_height - PADDING
    tag_size = _fit(label.tag, "Helvetica-Bold", text_width, 16)
    canvas.setFont("Helvetica-Bold", tag_size)
    canvas.drawString(text_x, top - tag_size, label.tag)
    lines = [(line, 7.0) for line in _wrap(label.owner, "Helvetica", 7, text_width)]
    lines += [(line, 6.0) for line in _wrap(footer, "Helvetica", 6, text_width)]
    line_y = top - tag_size - 3 * mm
    for line, size in lines[:4]:
        canvas.setFont("Helvetica", size)
        canvas.drawString(text_x, line_y, line)
        line_y -= 2.8 * mm


def _draw_qr(canvas: Canvas, modules: list[list[bool]], x: float, y: float, side: float) -> None:
    """Dark modules as filled rectangles, a row's adjacent ones merged into one (a third of the
    drawing work); the quiet zone is part of the matrix, so it stays white."""
    size = side / len(modules)
    path = canvas.beginPath()
    for r, row in enumerate(modules):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            path.rect(x + start * size, y + side - (r + 1) * size, (c - start) * size, size)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)


def _fit(text: str, font: str, width: float, largest: float) -> float:
    size = largest
    while size > 6 and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if stringWidth(trial, font, size) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def labels_from(rows: Iterable[tuple[str, str]], base_url: str) -> list[Label]:
    return [Label(tag=tag, owner=owner, url=qr.asset_url(base_url, tag)) for tag, owner in rows]
