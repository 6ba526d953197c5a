"""A split proposal as a PDF handover protocol (A4): the parties, the split date and cost key,
each side's totals against its share, the compensation, the decision (or, for a draft, a
clear "Proposal" mark on every page), lines for both parties' signatures, and each side's
items as an appendix.

ReportLab's standard Helvetica (WinAnsi encoding) writes å, ä and ö, as the labels do."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from ..domain.money import format_sek
from ..domain.partnership import percent
from ..domain.text import N_
from .split_common import (
    DRAFT,
    SplitDocument,
    basis_label,
    compensation_sentence,
    signed_sek,
)
from .xlsx_cells import wall_clock

Translate = Callable[[str], str]

MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN
FONT, BOLD = "Helvetica", "Helvetica-Bold"
RED = colors.HexColor("#b02a37")
GRID = colors.HexColor("#adb5bd")
SHADE = colors.HexColor("#e9ecef")
# Rows of an appendix table per chunk: ReportLab splits a long table page by page, each
# split measuring what is left, so a chunk keeps that work linear in the items.
_CHUNK = 250

_TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, spaceAfter=4 * mm)
_H2 = ParagraphStyle(
    "h2", fontName=BOLD, fontSize=12, leading=15, spaceBefore=5 * mm, spaceAfter=2 * mm
)
_BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13, alignment=TA_LEFT)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=8, leading=10)
_STRONG = ParagraphStyle("strong", parent=_BODY, fontName=BOLD, fontSize=11, leading=14)
_MARK = ParagraphStyle("mark", parent=_BODY, fontName=BOLD, fontSize=12, leading=15, textColor=RED)


def render(doc: SplitDocument, translate: Translate) -> bytes:
    t = translate
    s = doc.summary
    out = io.BytesIO()
    title = t(N_("Handover protocol: split of the joint property"))
    footer = f"{title} · {s.on.isoformat()}"
    draft_mark = "" if s.applied else t(DRAFT).upper()

    def on_page(canvas: Canvas, _document: Any) -> None:
        _decorate(
            canvas, footer, t(N_("Page %(num)s")) % {"num": canvas.getPageNumber()}, draft_mark
        )

    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 5 * mm,
        title=title,
        author="Ölands IT-nämnd",
        creator="Ölands IT-nämnd inventarieregister",
    )
    story: list[Flowable] = [Paragraph(_x(title), _TITLE)]
    story += _status(doc, t)
    story += _parties(doc, t)
    story += _totals(doc, t)
    story += _signatures(doc, t)
    for number, side in enumerate(s.sides, start=1):
        story += _appendix(doc, t, number, side.owner_id, side.name)
    if doc.moves:
        story += _moves(doc, t, len(s.sides) + 1)
    pdf.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return out.getvalue()


def _x(text: str) -> str:
    """Text for a Paragraph, whose markup is XML."""
    return escape(text)


def _decorate(canvas: Canvas, footer: str, page: str, draft_mark: str) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.setFillColor(colors.HexColor("#495057"))
    canvas.drawString(MARGIN, 10 * mm, footer)
    canvas.drawRightString(A4[0] - MARGIN, 10 * mm, page)
    if draft_mark:
        # A draft is marked on every page, so that no page of it passes for the decision.
        canvas.setFillColor(colors.Color(0.69, 0.16, 0.22, alpha=0.12))
        canvas.setFont(BOLD, 90)
        canvas.translate(A4[0] / 2, A4[1] / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, -30, draft_mark)
    canvas.restoreState()


def _status(doc: SplitDocument, t: Translate) -> list[Flowable]:
    s = doc.summary
    facts = [
        (t(N_("Split date")), s.on.isoformat()),
        (
            t(N_("Cost key")),
            t(N_("users per municipality, %(year)s (agreement §13)")) % {"year": s.cost_key_year},
        ),
        (t(N_("Computed")), _moment(s.computed_at)),
    ]
    if s.applied:
        mark = Paragraph(
            _x(
                t(N_("Decided: %(ref)s on %(date)s"))
                % {"ref": s.decision_ref, "date": _date(s.decided_on)}
            ),
            _STRONG,
        )
        facts += [(t(N_("Applied")), _moment(s.applied_at))]
        if s.decision_comment:
            facts += [(t(N_("Comment")), s.decision_comment)]
    else:
        mark = Paragraph(
            _x(t(N_("PROPOSAL: not decided. The figures may change until the committee decides."))),
            _MARK,
        )
    intro = Paragraph(
        _x(
            t(
                N_(
                    "The joint property of the Öland IT partnership is divided between the "
                    "municipalities by the cost key, as the cooperation agreement's §20 says: "
                    "what whole items cannot balance is settled in money."
                )
            )
        ),
        _BODY,
    )
    return [mark, Spacer(1, 3 * mm), intro, Spacer(1, 3 * mm), _facts(facts)]


def _facts(rows: Sequence[tuple[str, str]]) -> Table:
    table = Table(
        [[Paragraph(_x(k), _SMALL), Paragraph(_x(v), _BODY)] for k, v in rows],
        colWidths=[40 * mm, WIDTH - 40 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


def _parties(doc: SplitDocument, t: Translate) -> list[Flowable]:
    s = doc.summary
    head = [t(N_("Party")), t(N_("Organisation no.")), t(N_("Users")), t(N_("Share"))]
    body = []
    for side in s.sides:
        party = doc.parties.get(side.owner_id)
        body.append(
            [side.name, party.org_number if party else "", str(side.users), _percent(side.share)]
        )
    return [
        Paragraph(_x(t(N_("Parties"))), _H2),
        _grid([head, *body], [70 * mm, 45 * mm, 30 * mm, 35 * mm], right_from=2),
    ]


def _totals(doc: SplitDocument, t: Translate) -> list[Flowable]:
    s = doc.summary
    head = [
        t(N_("Municipality")),
        t(N_("Items")),
        t(N_("Book value")),
        t(N_("Exact share")),
        t(N_("Difference")),
    ]
    body = [
        [
            side.name,
            str(side.count),
            format_sek(side.book_value_ore),
            format_sek(side.share_ore),
            signed_sek(side.difference_ore, minus="-"),
        ]
        for side in s.sides
    ]
    total = [
        t(N_("Joint property in all")),
        str(sum(side.count for side in s.sides)),
        format_sek(s.joint_total_ore),
        format_sek(sum(side.share_ore for side in s.sides)),
        "",
    ]
    grid = _grid([head, *body, total], [60 * mm, 20 * mm, 34 * mm, 34 * mm, 32 * mm], right_from=1)
    grid.setStyle(TableStyle([("FONTNAME", (0, -1), (-1, -1), BOLD)]))
    explained = t(
        N_(
            "Book value on the split date by the register's depreciation rules. Exact share: "
            "the municipality's share of the joint total by the cost key. Difference: what its "
            "items lack of its share (+) or exceed it by (-)."
        )
    )
    return [
        Paragraph(_x(t(N_("Totals and compensation"))), _H2),
        grid,
        Spacer(1, 2 * mm),
        Paragraph(_x(explained), _SMALL),
        Spacer(1, 4 * mm),
        Paragraph(_x(compensation_sentence(s, t)), _STRONG),
    ]


def _signatures(doc: SplitDocument, t: Translate) -> list[Flowable]:
    s = doc.summary
    blocks = []
    for side in s.sides:
        lines: list[Flowable] = [
            Paragraph(_x(t(N_("For %(party)s")) % {"party": side.name}), _STRONG)
        ]
        for label in (N_("Signature"), N_("Name in print"), N_("Date"), N_("Place")):
            lines += [Spacer(1, 9 * mm), _Line(80 * mm), Paragraph(_x(t(label)), _SMALL)]
        blocks.append(lines)
    rows = [blocks[i : i + 2] for i in range(0, len(blocks), 2)]
    for row in rows:
        row += [[]] * (2 - len(row))
    table = Table(rows, colWidths=[WIDTH / 2, WIDTH / 2], hAlign="LEFT")
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return [KeepTogether([Paragraph(_x(t(N_("Signatures"))), _H2), table])]


class _Line(Flowable):
    """A line to sign or write on."""

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width, self.height = width, 1

    def draw(self) -> None:
        self.canv.setStrokeColor(colors.black)
        self.canv.setLineWidth(0.6)
        self.canv.line(0, 0, self.width, 0)


# Appendix columns: heading, width, right-aligned.
_COLUMNS = (
    (N_("Asset tag"), 24 * mm, False),
    (N_("Model"), 40 * mm, False),
    (N_("Category"), 24 * mm, False),
    (N_("Site"), 32 * mm, False),
    (N_("Basis"), 18 * mm, False),
    (N_("Purchase price"), 21 * mm, True),
    (N_("Book value"), 21 * mm, True),
)
_CELL_SIZE = 7


def _appendix(
    doc: SplitDocument, t: Translate, number: int, owner_id: int, name: str
) -> list[Flowable]:
    lines = doc.side_lines(owner_id)
    heading = t(N_("Appendix %(num)s: items to %(party)s")) % {"num": number, "party": name}
    flow: list[Flowable] = [PageBreak(), Paragraph(_x(heading), _H2)]
    # "Items: 1" reads right in both languages, where "1 items" would not.
    count = t(N_("Items: %(count)s, book value %(value)s.")) % {
        "count": len(lines),
        "value": format_sek(sum(line.book_value_ore for line in lines)),
    }
    flow.append(Paragraph(_x(count), _BODY))
    flow.append(Spacer(1, 2 * mm))
    head = [t(h) for h, _, _ in _COLUMNS]
    widths = [w for _, w, _ in _COLUMNS]
    rows = [
        [
            line.tag,
            doc.models.get(line.asset_id, ""),
            line.category,
            line.site,
            basis_label(line.basis, t),
            format_sek(line.purchase_price_ore),
            format_sek(line.book_value_ore),
        ]
        for line in lines
    ]
    if not rows:
        flow.append(Paragraph(_x(t(N_("No items."))), _BODY))
    for start in range(0, len(rows), _CHUNK):
        chunk = [
            [_fit(v, w) for v, w in zip(row, widths, strict=True)]
            for row in rows[start : start + _CHUNK]
        ]
        flow.append(_grid([head, *chunk], widths, right_from=5, size=_CELL_SIZE))
    return flow


def _moves(doc: SplitDocument, t: Translate, number: int) -> list[Flowable]:
    """The adjustments made by hand, with their reasons: why an item is not where the rules
    put it."""
    heading = t(N_("Appendix %(num)s: adjustments made by hand")) % {"num": number}
    head = [t(N_("When")), t(N_("Asset tag")), t(N_("From")), t(N_("To")), t(N_("Reason"))]
    rows = [
        [
            Paragraph(_x(text), _SMALL)
            for text in (
                _moment(move.at),
                move.tag,
                move.from_name,
                move.to_name,
                move.reason,
            )
        ]
        for move in doc.moves
    ]
    widths = [26 * mm, 24 * mm, 32 * mm, 32 * mm, WIDTH - 114 * mm]
    return [
        PageBreak(),
        Paragraph(_x(heading), _H2),
        _grid([head, *rows], widths, right_from=len(widths), size=_CELL_SIZE),
    ]


def _grid(
    rows: list[list[str]], widths: Sequence[float], *, right_from: int, size: float = 9
) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTNAME", (0, 0), (-1, 0), BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), size),
                ("LEADING", (0, 0), (-1, -1), size + 2),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID),
                ("ALIGN", (right_from, 0), (-1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _fit(text: str, width: float) -> str:
    """The text cut to its column, with an ellipsis: an appendix line stays one line."""
    room = width - 4
    if stringWidth(text, FONT, _CELL_SIZE) <= room:
        return text
    while text and stringWidth(text + "…", FONT, _CELL_SIZE) > room:
        text = text[:-1]
    return text + "…"


def _percent(share: Any) -> str:
    return f"{percent(share)}".replace(".", ",") + " %"


def _date(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


def _moment(value: dt.datetime | None) -> str:
    return "" if value is None else wall_clock(value).strftime("%Y-%m-%d %H:%M")
