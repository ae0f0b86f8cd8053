"""Headless Chromium for the tests that look at what a person sees, and axe-core to check it.

Uses Debian's chromium and chromium-driver (never a downloaded browser), and axe-core from the npm
registry (`package.json`; `make test` installs it into node_modules/). Without them a test is
skipped on a developer's machine, and fails under CI, where .ci/run and the Makefile install them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "artifacts" / "web"
DESKTOP = (1280, 900)
PHONE = (390, 844)
WAIT_SECONDS = 15
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# The rules axe-core tags as WCAG 2.0 and 2.1, levels A and AA: what "WCAG 2.1 AA" asks.
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def _missing(what: str, hint: str) -> None:
    reason = f"{what} not installed ({hint})"
    if os.environ.get("CI"):
        pytest.fail(f"browser test cannot run under CI: {reason}")
    pytest.skip(reason)


def require_chromium() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        _missing(", ".join(missing), "apt-get install chromium chromium-driver")


def require_axe() -> str:
    """axe-core's script, to inject into a page."""
    if not AXE_SCRIPT.exists():
        _missing(str(AXE_SCRIPT.relative_to(ROOT)), "npm ci, as make test does")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@contextmanager
def chromium(*, lang: str = "ja-JP") -> Iterator[Any]:
    """A fresh headless Chromium with its own profile; by default a Japanese customer's browser."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="status-page-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # The page should come up in the browser's language without ?lang.
    options.add_argument(f"--lang={lang}")
    primary = lang.split("-")[0]
    options.add_experimental_option("prefs", {"intl.accept_languages": f"{lang},{primary}"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        driver.set_page_load_timeout(WAIT_SECONDS)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(driver: Any, name: str, width: int, height: int) -> Path:
    """The whole page at this width: the window is made as tall as the document."""
    driver.set_window_size(width, height)
    full = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(width, max(height, full))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    assert driver.save_screenshot(str(path))
    driver.set_window_size(width, height)
    return path


_RUN_AXE = """
const [tags, done] = [arguments[0], arguments[arguments.length - 1]];
axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then((result) => done(result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ")),
  }))))
  .catch((error) => done([{id: "axe-error", impact: "critical", help: String(error), nodes: []}]));
"""


def axe_violations(driver: Any, tags: tuple[str, ...] = WCAG_21_AA) -> list[dict[str, Any]]:
    """axe-core's violations of the page now loaded (each with its rule id and the nodes hit).

    The script is injected through the driver, so the page's Content-Security-Policy, which allows
    no inline script, stays as it is served.
    """
    driver.set_script_timeout(60)
    driver.execute_script(require_axe())
    found: list[dict[str, Any]] = driver.execute_async_script(_RUN_AXE, list(tags))
    return found
