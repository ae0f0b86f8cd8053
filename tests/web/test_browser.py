"""The page in a real headless Chromium: read it, switch the language, check phone and desktop."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.domain import Direction, Reason, Source, State, StatusRequest, Target
from bot.settings import Settings
from tests import browser
from tests.browser import (
    DESKTOP,
    PHONE,
    WAIT_SECONDS,
    axe_violations,
    chromium,
    require_axe,
    require_chromium,
    screenshot,
)
from tests.web.live import running


def read_the_page(url: str) -> dict[str, Any]:
    """What a person sees, step by step (blocking: runs in a thread beside the server)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    seen: dict[str, Any] = {}
    with chromium() as driver:
        driver.get(url)
        html = driver.find_element(By.TAG_NAME, "html")
        seen["ja_lang"] = html.get_attribute("lang")
        seen["ja_title"] = driver.find_element(By.TAG_NAME, "h1").text
        rows = driver.find_elements(By.CSS_SELECTOR, "tr[id^='asset-']")
        seen["ja_rows"] = [r.find_element(By.TAG_NAME, "th").text for r in rows]
        seen["ja_btc"] = driver.find_element(By.ID, "asset-BTC").text
        seen["ja_support"] = driver.find_element(By.CSS_SELECTOR, "section.support").text
        badge = driver.find_element(By.CSS_SELECTOR, "#asset-MONA .state-suspended")
        seen["suspended_colour"] = badge.value_of_css_property("color")
        seen["ja_shot"] = screenshot(driver, "status-ja-desktop.png", *DESKTOP)
        seen["axe"] = {"ja-desktop": axe_violations(driver)}

        driver.find_element(By.LINK_TEXT, "English").click()
        WebDriverWait(driver, WAIT_SECONDS).until(
            ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "deposit and withdrawal")
        )
        seen["en_lang"] = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
        seen["en_url"] = driver.current_url
        seen["en_btc"] = driver.find_element(By.ID, "asset-BTC").text
        seen["en_mona"] = driver.find_element(By.ID, "asset-MONA").text
        seen["en_support"] = driver.find_element(By.CSS_SELECTOR, "section.support").text
        seen["en_banner"] = driver.find_element(By.CSS_SELECTOR, ".banner").text
        seen["en_shot"] = screenshot(driver, "status-en-desktop.png", *DESKTOP)
        seen["axe"]["en-desktop"] = axe_violations(driver)

        driver.set_window_size(*PHONE)
        seen["phone_overflow"] = driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
        seen["phone_row_display"] = driver.find_element(
            By.CSS_SELECTOR, "#asset-BTC"
        ).value_of_css_property("display")
        seen["phone_shot"] = screenshot(driver, "status-en-phone.png", *PHONE)
        seen["axe"]["en-phone"] = axe_violations(driver)
        driver.find_element(By.LINK_TEXT, "日本語").click()
        WebDriverWait(driver, WAIT_SECONDS).until(
            ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "入出金状況")
        )
        seen["phone_ja_shot"] = screenshot(driver, "status-ja-phone.png", *PHONE)
        seen["axe"]["ja-phone"] = axe_violations(driver)
        seen["console"] = [entry["message"] for entry in driver.get_log("browser")]
    return seen


async def test_page_in_headless_chromium(settings: Settings) -> None:
    require_chromium()
    require_axe()
    async with running(settings) as (app, url):
        await app.services.status.change(
            StatusRequest(
                targets=tuple(Target("BTC", d, State.OPERATIONAL) for d in Direction),
                reason=Reason.MAINTENANCE,
                note="入出金を再開しました",
                actor="ops",
                source=Source.CLI,
            )
        )
        seen = await asyncio.to_thread(read_the_page, url)

    assert seen["ja_lang"] == "ja"
    assert seen["ja_title"] == "Zaif 入出金状況"
    assert len(seen["ja_rows"]) == 11
    assert seen["ja_rows"][0].split() == ["BTC", "ビットコイン"]
    assert "pepecash" in seen["ja_rows"][8]
    assert seen["ja_btc"].count("稼働中") == 2 and "入出金を再開しました" in seen["ja_btc"]
    assert "03-6629-2471" in seen["ja_support"] and "03-6629-2842" in seen["ja_support"]
    assert seen["suspended_colour"] == "rgba(138, 17, 17, 1)"  # the stylesheet passed the CSP

    assert seen["en_lang"] == "en"
    assert seen["en_url"].endswith("/?lang=en")
    assert seen["en_btc"].count("Operational") == 2
    assert seen["en_mona"].count("Suspended") == 2
    assert "Security incident" in seen["en_mona"]
    assert "Zaif Support Center" in seen["en_support"]
    assert "03-6629-2471" in seen["en_support"] and "03-6629-2842" in seen["en_support"]
    assert "Of 11 assets, deposits work for 1 and withdrawals for 1." in seen["en_banner"]

    assert seen["phone_overflow"] <= 0, "the page scrolls sideways on a phone"
    assert seen["phone_row_display"] == "grid"  # each table row is a card on a phone
    for shot in ("ja_shot", "en_shot", "phone_shot", "phone_ja_shot"):
        assert seen[shot].stat().st_size > 10_000
    blocked = [m for m in seen["console"] if "Content Security Policy" in m or "Refused" in m]
    assert not blocked, blocked
    # WCAG 2.1 AA by axe-core, in both languages, at desktop and phone widths.
    assert set(seen["axe"]) == {"ja-desktop", "en-desktop", "en-phone", "ja-phone"}
    assert all(found == [] for found in seen["axe"].values()), seen["axe"]


def test_missing_chromium_skips_locally_but_fails_under_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        require_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run under CI"):
        require_chromium()
