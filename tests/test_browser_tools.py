"""The accessibility check itself: axe-core in headless Chromium finds what it should, and says
so when it is missing."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import quote

import pytest

from tests import browser
from tests.browser import axe_violations, chromium, require_axe, require_chromium

GOOD = """<!doctype html><html lang="en"><head><title>Status</title></head>
<body><main><h1>Status</h1><p>Deposits are open.</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="a green dot"></main></body></html>"""
# Three WCAG failures: no page language, an image without a text alternative, and a form field
# without a label.
BAD = """<!doctype html><html><head><title>Status</title></head>
<body><main><h1>Status</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text"></main></body></html>"""


def violations_of(html: str) -> list[str]:
    with chromium(lang="en-US") as driver:
        driver.get("data:text/html;charset=utf-8," + quote(html))
        return sorted(v["id"] for v in axe_violations(driver))


async def test_axe_finds_the_violations_of_a_bad_page_and_none_of_a_good_one() -> None:
    require_chromium()
    require_axe()
    good, bad = await asyncio.gather(
        asyncio.to_thread(violations_of, GOOD), asyncio.to_thread(violations_of, BAD)
    )
    assert good == []
    assert {"html-has-lang", "image-alt", "label"} <= set(bad), bad


def test_missing_axe_skips_locally_but_fails_under_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "AXE_SCRIPT", browser.ROOT / "node_modules" / "no-axe.js")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        require_axe()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run under CI"):
        require_axe()
