"""The scripted day's HTML report in headless Chromium: no WCAG 2.1 AA violation (axe-core),
nothing wider than an A4 page when printed, and a PDF of the expected pages."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

from tests.browser import ARTIFACTS, axe_violations, chromium, require_axe, require_chromium
from tests.report.day import Day

# A4 less the report's 12 mm side margins, in CSS pixels (96 per inch).
PRINTED_WIDTH = round((210 - 2 * 12) / 25.4 * 96)

_OVERFLOW = """
const limit = document.documentElement.clientWidth;
return Array.from(document.querySelectorAll("table, pre, img, header, main, section"))
  .filter((e) => e.getBoundingClientRect().right > limit + 0.5 || e.scrollWidth > e.clientWidth + 1)
  .map((e) => e.tagName + (e.id ? "#" + e.id : "") + " " + e.scrollWidth + "/" + e.clientWidth);
"""


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_report_is_accessible_and_prints_on_a4(day: Day, lang: str) -> None:
    require_chromium()
    require_axe()
    done = day.report("--lang", lang)
    assert done.returncode == 0, done.stderr
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = ARTIFACTS / f"report-{lang}.html"
    page.write_text(done.stdout, encoding="utf-8")
    events = done.stdout.count('<section class="event"')
    assert events >= 7
    with chromium() as driver:
        driver.get(page.as_uri())
        assert driver.find_element("tag name", "html").get_attribute("lang") == lang
        violations = axe_violations(driver)
        assert violations == [], violations
        # Laid out as printed: print styles, the width of an A4 page's text.
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": PRINTED_WIDTH, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
        )
        overflowing: list[Any] = driver.execute_script(_OVERFLOW)
        assert overflowing == []
        printed = driver.execute_cdp_cmd(
            "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}
        )
    pdf = base64.b64decode(printed["data"])
    (ARTIFACTS / f"report-{lang}.pdf").write_bytes(pdf)
    # The summary on its own page(s), then the events, none split across a page: at least two
    # pages, at most one more per event.
    pages = _pages(pdf)
    assert 2 <= pages <= 2 + events, pages
