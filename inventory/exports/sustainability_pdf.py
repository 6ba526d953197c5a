"""The committee's tertial follow-up as a PDF (A4, one or two pages): both KPIs with target,
outcome and whether each is met, the trend over twelve tertials as a chart, the reuse
routine's activity, and the method in a few lines. ReportLab draws the chart itself (its
own graphics, Helvetica): nothing is fetched."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..domain.text import N_
from ..services.sustainability import Sustainability
from ..web import charts

Translate = Callable[..., str]

MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN
FONT, BOLD = "Helvetica", "Helvetica-Bold"
GRID = colors.HexColor("#adb5bd")
SHADE = colors.HexColor("#e9ecef")
TARGET = colors.HexColor("#6c757d")

_TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, spaceAfter=2 * mm)
_H2 = ParagraphStyle(
    "h2", fontName=BOLD, fontSize=12, leading=15, spaceBefore=5 * mm, spaceAfter=2 * mm
)
_BODY = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5)
_SMALL = ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10, textColor=colors.grey)
_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11.5)


def _one(value: Decimal | None, decimal_mark: str) -> str:
    if value is None:
        return "–"
    return f"{value.quantize(Decimal('0.1'))}".replace(".", decimal_mark)


def _percent(value: Decimal | None, decimal_mark: str) -> str:
    if value is None:
        return "–"
    text = _one(abs(value) * 100, decimal_mark)
    return ("−" if value < 0 else "+") + text + "\u00a0%"


def _verdict(met: bool | None, translate: Translate, missing: str) -> str:
    if met is None:
        return missing
    return translate(N_("Yes")) if met else translate(N_("No"))


def _chart(chart: charts.Drawing) -> Drawing:
    """The page's chart (web/charts.py geometry, SVG's y downwards) drawn with ReportLab's
    shapes at the page's width: the same picture on paper as on screen."""
    scale = WIDTH / chart.width
    legend_h = 12.0
    height = (chart.height + legend_h) * scale
    out = Drawing(WIDTH, height)

    def y(value: float) -> float:
        return (chart.height - value) * scale

    def x(value: float) -> float:
        return value * scale

    for tick in chart.value_ticks:
        out.add(Line(x(chart.left), y(tick.at), x(chart.plot_right), y(tick.at),
                     strokeColor=colors.HexColor("#dee2e6"), strokeWidth=0.5))  # fmt: skip
        out.add(String(x(chart.left - 6), y(tick.at + 4), tick.text, fontName=FONT,
                       fontSize=7, textAnchor="end"))  # fmt: skip
    for tick in chart.label_ticks:
        out.add(String(x(tick.at), y(chart.bottom_y + 18), tick.text, fontName=FONT,
                       fontSize=6.5, textAnchor="middle"))  # fmt: skip
    for bar in chart.bars:
        out.add(Rect(x(bar.x), y(bar.y + bar.height), x(bar.width), x(bar.height),
                     fillColor=colors.HexColor(bar.colour), strokeColor=None))  # fmt: skip
    for line in chart.lines:
        colour = colors.HexColor(line.colour)
        points = [c for px, py, _ in line.dots for c in (x(px), y(py))]
        if len(line.dots) > 1:
            out.add(PolyLine(points, strokeColor=colour, strokeWidth=1.6))
        for px, py, _ in line.dots:
            out.add(Circle(x(px), y(py), 1.8, fillColor=colour, strokeColor=None))
    if chart.target_y is not None:
        out.add(Line(x(chart.left), y(chart.target_y), x(chart.plot_right), y(chart.target_y),
                     strokeColor=TARGET, strokeWidth=1, strokeDashArray=(3, 2)))  # fmt: skip
        out.add(String(x(chart.plot_right), y(chart.target_y - 4), chart.target_text,
                       fontName=FONT, fontSize=7, textAnchor="end", fillColor=TARGET))  # fmt: skip
    legend_x = x(chart.left)
    for entry in chart.legend:
        out.add(Rect(legend_x, height - 9, 8, 6, fillColor=colors.HexColor(entry.colour),
                     strokeColor=None))  # fmt: skip
        out.add(String(legend_x + 11, height - 9, entry.name, fontName=FONT, fontSize=7.5))
        legend_x += 16 + stringWidth(entry.name, FONT, 7.5)
    return out


def _table(rows: list[list[object]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), BOLD, 8.5),
                ("FONT", (0, 1), (-1, -1), FONT, 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def render(
    report: Sustainability,
    translate: Translate,
    *,
    trend: charts.Drawing,
    generated_on: dt.date,
    decimal_mark: str = ",",
) -> bytes:
    """`trend` is the page's trend chart, drawn here as there."""
    k, f = report.kpi, report.filter
    dm = decimal_mark
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=translate(N_("Tertial follow-up: sustainability")) + " " + f.period.name,
    )
    t = translate
    story: list[object] = [
        Paragraph(
            escape(t(N_("Tertial follow-up: sustainability")) + " · " + f.period.name), _TITLE
        ),
        Paragraph(
            escape(
                t(
                    N_(
                        "%(start)s–%(end)s; the fleet at the end of %(day)s. Computers: %(names)s. Made %(made)s."
                    ),
                    start=f.period.start.isoformat(),
                    end=f.period.end.isoformat(),
                    day=f.on.isoformat(),
                    names=", ".join(k.computer_names),
                    made=generated_on.isoformat(),
                )
            ),
            _SMALL,
        ),
        Paragraph(escape(t(N_("The committee's KPIs (Agenda 2030 goal 12)"))), _H2),
    ]
    climate_outcome = t(
        N_("%(change)s: %(kg)s kg CO2e against %(before)s kg the same days a year before"),
        change=_percent(k.climate_change, dm),
        kg=_one(k.bought_kg, dm),
        before=_one(k.bought_kg_before, dm),
    )
    climate_missing = (
        t(
            N_("Cannot be judged: computers without a footprint: %(num)s"),
            num=k.bought_without_footprint,
        )
        if k.bought_without_footprint
        else t(N_("Cannot be judged: nothing bought a year before"))
    )
    rows: list[list[object]] = [
        [t(N_("KPI")), t(N_("Target")), t(N_("Outcome")), t(N_("Met"))],
        [
            Paragraph(escape(t(N_("Long life and circular use of computers"))), _CELL),
            Paragraph(escape(t(N_("%(years)s years"), years=k.lifespan_target_years)), _CELL),
            Paragraph(
                escape(
                    t(
                        N_("%(years)s years on average for %(num)s computers retired"),
                        years=_one(k.average_lifespan_years, dm),
                        num=k.retired_count,
                    )
                ),
                _CELL,
            ),
            Paragraph(escape(_verdict(k.lifespan_met, t, t(N_("No computers retired")))), _CELL),
        ],
        [
            Paragraph(escape(t(N_("Reduced climate footprint of computer purchases"))), _CELL),
            Paragraph(
                escape(t(N_("%(change)s a year"), change=_percent(k.climate_target_change, dm))),
                _CELL,
            ),
            Paragraph(escape(climate_outcome), _CELL),
            Paragraph(escape(_verdict(k.climate_met, t, climate_missing)), _CELL),
        ],
    ]
    story.append(_table(rows, [52 * mm, 26 * mm, 66 * mm, WIDTH - 144 * mm]))
    story.append(Paragraph(escape(t(N_("Trend over twelve tertials: the computers"))), _H2))
    story.append(_chart(trend))
    story.append(Paragraph(escape(t(N_("The reuse routine"))), _H2))
    share = _percent(k.reused_share, dm).lstrip("+") if k.reused_share is not None else "–"
    story.append(
        Paragraph(
            escape(
                t(
                    N_(
                        "In the period %(handed)s computers were handed out, %(reused)s of them reused from the reuse pool (%(share)s). The %(active)s active computers are %(age)s years old on average."
                    ),
                    handed=k.handed_out_count,
                    reused=k.reused_count,
                    share=share,
                    active=k.active_count,
                    age=_one(k.average_age_years, dm),
                )
            ),
            _BODY,
        )
    )
    story.append(Spacer(0, 3 * mm))
    trend_rows: list[list[object]] = [
        [t(N_("Tertial")), t(N_("Active")), t(N_("Average age (years)")), t(N_("Retired")),
         t(N_("Lifespan at retirement (years)")), t(N_("Handed out")), t(N_("Reused"))]
    ]  # fmt: skip
    for p in report.trend:
        trend_rows.append(
            [p.period.name, p.active_count, _one(p.average_age_years, dm), p.retired_count,
             _one(p.average_lifespan_years, dm), p.handed_out_count, p.reused_count]
        )  # fmt: skip
    header_style = ParagraphStyle("th", parent=_CELL, fontName=BOLD, fontSize=8)
    trend_rows[0] = [Paragraph(escape(str(h)), header_style) for h in trend_rows[0]]
    story.append(_table(trend_rows, [22 * mm] + [(WIDTH - 22 * mm) / 6] * 6))
    story.append(Spacer(0, 3 * mm))
    story.append(
        Paragraph(
            escape(
                t(
                    N_(
                        "Method: lifespan from the in-service date (else the purchase date) to the disposal; devices handed over to a departing owner's new organisation are not retirements. Embodied CO2e from each model's product carbon footprint (manufacturers' sheets); devices without one are counted apart."
                    )
                )
            ),
            _SMALL,
        )
    )
    doc.build(story)
    return out.getvalue()
