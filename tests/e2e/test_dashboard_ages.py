"""The dashboard's age bars in a real browser on a phone: each bar is a named progress bar,
its colour says within / near / past the target as the legend explains, the bars' lengths
follow the age, and every coloured word keeps WCAG AA contrast against the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from ..factories import Reference, make_asset
from .test_phone import log_in

# WCAG 2.1's relative luminance and contrast ratio, computed where the colours are known:
# in the browser, from the computed styles.
CONTRAST = """
(element) => {
  const rgb = (css) => css.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let back = element;
  while (back && getComputedStyle(back).backgroundColor === "rgba(0, 0, 0, 0)") back = back.parentElement;
  const fg = lum(rgb(getComputedStyle(element).color));
  const bg = lum(rgb(back ? getComputedStyle(back).backgroundColor : "rgb(255, 255, 255)"));
  return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
}
"""


def test_the_age_bars_read_at_a_glance_on_a_phone(
    phone: Any, session: Session, ref: Reference
) -> None:
    # Computers (5 years' target, 12 months' horizon) 5.3 years old on average: past it.
    for bought in (dt.date(2021, 8, 1), dt.date(2021, 8, 1)):
        make_asset(session, ref, purchase_date=bought)
    # Phones (4 years' target): one 1.3 years old, well within.
    make_asset(session, ref, model_id=ref.iphone.id, purchase_date=dt.date(2025, 8, 1))
    log_in(phone, ref.viewer.email)

    bars = phone.get_by_role("progressbar")
    assert bars.count() == 2
    names = [bars.nth(i).get_attribute("aria-label") for i in range(2)]
    assert names == ["Datorer: 5,3 av 5 år, över målet", "Mobiltelefoner: 1,3 av 4 år, inom målet"]
    # Playwright finds each by its accessible name, as a screen reader announces it.
    assert phone.get_by_role("progressbar", name="Datorer: 5,3 av 5 år, över målet").is_visible()

    pcs = phone.locator('[data-category="pc"][data-band]')
    phones = phone.locator('[data-category="phone"][data-band]')
    assert pcs.get_attribute("data-band") == "past"
    assert phones.get_attribute("data-band") == "within"
    assert "över målet" in pcs.inner_text() and "5,3 av 5 år" in pcs.inner_text()

    # The colour of a bar is the colour of its band in the legend.
    def fill(locator: Any) -> str:
        return str(locator.evaluate("(e) => getComputedStyle(e).backgroundColor"))

    legend = phone.locator("#age-legend")
    assert legend.inner_text().count("målet") >= 3
    for band, bar in (("past", pcs), ("within", phones)):
        swatch = legend.locator(f'[data-band="{band}"] .age-swatch')
        assert fill(bar.locator(".progress-bar")) == fill(swatch)
    assert fill(pcs.locator(".progress-bar")) != fill(phones.locator(".progress-bar"))

    # A past-target bar fills its track; a young fleet's fills about a third of it.
    def share(bar: Any) -> float:
        inner = bar.locator(".progress-bar").bounding_box()
        track = bar.locator(".progress").bounding_box()
        return float(inner["width"] / track["width"])

    assert share(pcs) > 0.99
    assert 0.25 < share(phones) < 0.4

    # Every coloured word, in the rows and the legend, keeps 4.5:1 against its background.
    words = phone.locator('[class*="age-word-"]')
    assert words.count() == 5
    for i in range(words.count()):
        ratio = words.nth(i).evaluate(CONTRAST)
        assert ratio >= 4.5, (words.nth(i).inner_text(), ratio)
