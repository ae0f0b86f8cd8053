"""The page as it stood on 2018-10-01, in headless Chromium: incident 1 at the top with its
timeline, and the 90-day bars turning red from the halt (screenshots in artifacts/web/)."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime
from typing import Any

from aiohttp.test_utils import TestServer

from bot.services.snapshot import ReadModel
from bot.store import Database
from bot.web.context import WebContext
from bot.web.site import build
from tests.browser import DESKTOP, WAIT_SECONDS, chromium, require_chromium, screenshot

AUTUMN_2018 = datetime(2018, 10, 1, 3, 0, tzinfo=UTC)


def read_2018(url: str) -> dict[str, Any]:
    from selenium.webdriver.common.by import By

    seen: dict[str, Any] = {}
    with chromium() as driver:
        driver.set_page_load_timeout(WAIT_SECONDS)
        for lang in ("ja", "en"):
            driver.get(f"{url}?lang={lang}")
            incident = driver.find_element(By.ID, "incident-1")
            incident.find_element(By.TAG_NAME, "summary").click()  # open the timeline
            seen[f"{lang}_incident"] = incident.text
            seen[f"{lang}_updates"] = len(incident.find_elements(By.CSS_SELECTOR, "li"))
            bars = driver.find_element(By.ID, "days-BTC")
            runs = bars.find_elements(By.CSS_SELECTOR, "line.day-suspended")
            seen[f"{lang}_red_runs"] = len(runs)
            seen[f"{lang}_red_days"] = sum(
                (int(run.get_attribute("x2")) - int(run.get_attribute("x1")) + 1) // 3
                for run in runs
            )
            seen[f"{lang}_red_stroke"] = runs[0].value_of_css_property("stroke")
            seen[f"{lang}_bar_words"] = bars.find_element(
                By.CSS_SELECTOR, ".visually-hidden"
            ).get_attribute("textContent")
            seen[f"{lang}_shot"] = screenshot(driver, f"status-2018-{lang}-desktop.png", *DESKTOP)
    return seen


async def test_the_2018_page_in_headless_chromium(context: WebContext, db: Database) -> None:
    require_chromium()
    snapshots = ReadModel(db, context.reference, context.zone, clock=lambda: AUTUMN_2018)
    then = dataclasses.replace(context, snapshots=snapshots)
    server = TestServer(build(then), host="127.0.0.1")
    await server.start_server()
    try:
        seen = await asyncio.to_thread(read_2018, str(server.make_url("/")))
    finally:
        await server.close()
    assert "Zaif 仮想通貨不正流出(BTC・MONA・BCH)" in seen["ja_incident"]
    assert "原因特定" in seen["ja_incident"] and "調査中" in seen["ja_incident"]
    assert "Identified" in seen["en_incident"]
    assert "Zaif crypto-asset outflow (BTC, MONA, BCH)" in seen["en_incident"]
    assert seen["ja_updates"] == seen["en_updates"] == 5
    # 2018-09-17 to 10-01, deposits and withdrawals: one run of 15 days each
    assert seen["ja_red_runs"] == seen["en_red_runs"] == 2
    assert seen["ja_red_days"] == seen["en_red_days"] == 2 * 15
    assert seen["ja_red_stroke"] == "rgb(198, 40, 40)"  # the stylesheet reached the SVG
    assert "2018-09-17–2018-10-01: 停止中" in seen["ja_bar_words"]
    assert "2018-09-17–2018-10-01: Suspended" in seen["en_bar_words"]
    for lang in ("ja", "en"):
        assert seen[f"{lang}_shot"].stat().st_size > 10_000
