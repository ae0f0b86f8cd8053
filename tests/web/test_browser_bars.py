"""The 90-day bars drawn as one dashed line per run of equal days look as a rect a day did.

On a fixed history (the seeded 2018 halt, plus changes of every state in the weeks before it,
seen on a 2018 clock), headless Chromium screenshots each bar as the page draws it; then the
test puts back, in the same page, the markup the page used to send (one rect per day, computed
here from the same days) and screenshots again. Both pictures are compared pixel by pixel in the
browser, at desktop and phone widths: rendering the old way in the same browser, rather than
keeping a reference image, makes the comparison hold whatever Chromium's version or fonts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
from datetime import UTC, datetime
from typing import Any

from aiohttp.test_utils import TestServer

from bot.domain import Direction, Reason, Source, State, StatusRequest, Target
from bot.services.snapshot import ReadModel
from bot.services.status import StatusService
from bot.store import Database
from bot.web.context import WebContext
from bot.web.site import build
from tests.browser import DESKTOP, PHONE, chromium, require_chromium

AUTUMN_2018 = datetime(2018, 10, 1, 3, 0, tzinfo=UTC)
# (day in 2018, asset, direction, state): runs of one day and of many, every state, both ends.
HISTORY = [
    ((7, 3), "BCY", Direction.DEPOSIT, State.DELAYED),
    ((7, 20), "BCY", Direction.DEPOSIT, State.OPERATIONAL),
    ((8, 1), "SJCX", Direction.WITHDRAWAL, State.MAINTENANCE),
    ((8, 2), "SJCX", Direction.WITHDRAWAL, State.OPERATIONAL),
    ((8, 5), "SJCX", Direction.WITHDRAWAL, State.DELAYED),
    ((8, 6), "SJCX", Direction.WITHDRAWAL, State.SUSPENDED),
    ((8, 7), "SJCX", Direction.WITHDRAWAL, State.OPERATIONAL),
    ((8, 20), "FSCC", Direction.DEPOSIT, State.MAINTENANCE),
    ((9, 1), "FSCC", Direction.DEPOSIT, State.OPERATIONAL),
]


async def write_history(db: Database) -> None:
    for (month, day), asset, direction, state in HISTORY:
        moment = datetime(2018, month, day, 3, 0, tzinfo=UTC)
        await StatusService(db, clock=functools.partial(lambda at: at, moment)).change(
            StatusRequest(
                (Target(asset, direction, state),), Reason.MAINTENANCE, "", "ops", Source.CLI
            )
        )


def cell_a_day(days: list[str]) -> str:
    """The bars' markup before runs: one rect per day, 2 units wide, 3 apart."""
    return "".join(
        f'<rect class="day day-{state}" x="{index * 3}" width="2" height="12"/>'
        for index, state in enumerate(days)
    )


# Draws two PNG data URLs on canvases: [pixels that differ, the largest difference in any colour
# channel], or [-1, 255] when the sizes differ.
COMPARE = """
const [a, b, done] = arguments;
const load = (src) => new Promise((ok) => {
  const i = new Image(); i.onload = () => ok(i); i.src = src;
});
Promise.all([load(a), load(b)]).then(([x, y]) => {
  if (x.width !== y.width || x.height !== y.height) { done([-1, 255]); return; }
  const pixels = (img) => {
    const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
    const g = c.getContext('2d'); g.drawImage(img, 0, 0);
    return g.getImageData(0, 0, img.width, img.height).data;
  };
  const p = pixels(x), q = pixels(y);
  let differ = 0, most = 0;
  for (let i = 0; i < p.length; i += 4) {
    const d = Math.max(Math.abs(p[i] - q[i]), Math.abs(p[i + 1] - q[i + 1]),
                       Math.abs(p[i + 2] - q[i + 2]));
    if (d > 0) differ++;
    most = Math.max(most, d);
  }
  done([differ, most]);
});
"""


def compare_bars(url: str, old: dict[str, list[str]]) -> dict[str, Any]:
    from selenium.webdriver.common.by import By

    seen: dict[str, Any] = {"differ": {}, "most": {}, "bars": 0, "runs": {}}
    shots: dict[str, list[tuple[str, str]]] = {}
    wrong = ("", "")
    with chromium() as driver:
        driver.set_script_timeout(30)
        for lang in ("ja", "en"):
            for name, (width, height) in (("desktop", DESKTOP), ("phone", PHONE)):
                driver.set_window_size(width, height)
                driver.get(f"{url}?lang={lang}")
                # The whole page in the window: no scrolling between the two screenshots.
                full = int(driver.execute_script("return document.documentElement.scrollHeight"))
                driver.set_window_size(width, max(height, full))
                section = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=days]")
                svgs = driver.find_elements(By.CSS_SELECTOR, ".bars figure.bar svg")
                seen["bars"] = len(svgs)
                seen["runs"][lang] = len(section.find_elements(By.CSS_SELECTOR, "svg .day"))
                now = [svg.screenshot_as_base64 for svg in svgs]
                keys = [
                    svg.find_element(By.XPATH, "ancestor::div[@class='bars']").get_attribute("id")
                    + f"/{index % 2}"
                    for index, svg in enumerate(svgs)
                ]
                for svg, key in zip(svgs, keys, strict=True):
                    driver.execute_script(
                        "arguments[0].innerHTML = arguments[1]", svg, cell_a_day(old[key])
                    )
                before = [svg.screenshot_as_base64 for svg in svgs]
                shots[f"{lang}-{name}"] = list(zip(now, before, strict=True))
                if (lang, name) == ("ja", "desktop"):
                    # The check can fail: one day of another colour is seen.
                    days = list(old[keys[0]])
                    days[10] = "delayed" if days[10] != "delayed" else "operational"
                    driver.execute_script(
                        "arguments[0].innerHTML = arguments[1]", svgs[0], cell_a_day(days)
                    )
                    wrong = (now[0], svgs[0].screenshot_as_base64)
                seen[f"{lang}-{name}-size"] = svgs[0].size
        # Compared on a blank page: the status page's CSP rightly loads no data: images.
        driver.get("about:blank")
        for key, pairs in shots.items():
            found = [
                driver.execute_async_script(
                    COMPARE, f"data:image/png;base64,{a}", f"data:image/png;base64,{b}"
                )
                for a, b in pairs
            ]
            seen["most"][key] = max(most for _, most in found)
            seen["differ"][key] = sum(differ for differ, _ in found)
        seen["wrong_day"] = driver.execute_async_script(
            COMPARE, *(f"data:image/png;base64,{shot}" for shot in wrong)
        )[1]
    return seen


async def test_runs_draw_the_same_pixels_as_a_cell_a_day(context: WebContext, db: Database) -> None:
    require_chromium()
    await write_history(db)
    snapshots = ReadModel(db, context.reference, context.zone, clock=lambda: AUTUMN_2018)
    then = dataclasses.replace(context, snapshots=snapshots)
    snapshot = await snapshots.get()
    old = {
        f"days-{code}/{index}": [d.state.value if d.state else "none" for d in days]
        for (code, direction), days in snapshot.daily.items()
        for index in [list(Direction).index(direction)]
    }
    server = TestServer(build(then), host="127.0.0.1")
    await server.start_server()
    try:
        seen = await asyncio.to_thread(compare_bars, str(server.make_url("/")), old)
    finally:
        await server.close()
    assert seen["bars"] == 22
    assert set(seen["most"]) == {"ja-desktop", "ja-phone", "en-desktop", "en-phone"}
    # The same picture: at most one level of antialiasing rounding on a cell's edge. One day
    # of another colour, or a cell a pixel off, differs by far more (the check below).
    assert all(most <= 1 for most in seen["most"].values()), seen
    assert seen["wrong_day"] > 40, seen["wrong_day"]
    # Far fewer elements than the 1,980 days they draw: the seeded halt and the history's runs.
    assert seen["runs"]["ja"] == seen["runs"]["en"] < 100
    assert seen["ja-phone-size"]["width"] < seen["ja-desktop-size"]["width"]
