"""The page's 90-day bars (on a 2018 clock) and reopening estimates with their slips."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime

from aiohttp.test_utils import TestClient, TestServer

from bot.domain import Direction, Reason, Source, State, StatusRequest, Target
from bot.services.snapshot import ReadModel
from bot.store import Database
from bot.web.context import WebContext
from bot.web.site import build
from tests.web.helpers import Client
from tests.web.test_browser_bars import write_history

AUTUMN_2018 = datetime(2018, 10, 1, 3, 0, tzinfo=UTC)
PAGE_LIMIT = 60_000  # bytes of `/` before compression (it was 155 KB with a rect a day)


def _bar(html: str, code: str) -> str:
    match = re.search(rf'<div class="bars" id="days-{re.escape(code)}">(.*?)</div>', html, re.S)
    assert match, f"no bars for {code}"
    return match.group(1)


async def test_the_seeded_halt_shows_on_a_2018_clock(context: WebContext, db: Database) -> None:
    snapshots = ReadModel(db, context.reference, context.zone, clock=lambda: AUTUMN_2018)
    then = dataclasses.replace(context, snapshots=snapshots)
    async with TestClient(TestServer(build(then))) as client:
        ja = await (await client.get("/")).text()
        en = await (await client.get("/?lang=en")).text()
    btc = _bar(ja, "BTC")
    assert btc.count("<svg") == 2  # deposit and withdrawal
    # 90 days a bar: a run of 75 days without a record, then one of 15 suspended days from
    # 2018-09-17, each one line from its first cell to the end of its last.
    assert btc.count('<line class="day day-none" x1="0" x2="224" y1="6" y2="6"/>') == 2
    assert btc.count('<line class="day day-suspended" x1="225" x2="269" y1="6" y2="6"/>') == 2
    assert btc.count("<line") == 4
    assert "2018-07-04–2018-09-16: 記録なし; 2018-09-17–2018-10-01: 停止中" in btc
    assert "2018-09-18–2018-10-01: Suspended" in _bar(en, "ZAIF")
    assert 'aria-hidden="true"' in btc  # the words are the accessible version, not the picture


async def test_estimates_and_their_slips_on_the_page_and_in_the_api(
    client: Client, context: WebContext
) -> None:
    for day in ("2026-12-01", "2026-12-03", "2026-12-10"):
        await context.status.change(
            StatusRequest(
                targets=(Target("MONA", Direction.WITHDRAWAL, State.SUSPENDED),),
                reason=Reason.SECURITY_INCIDENT,
                note="",
                actor="ops",
                source=Source.CLI,
                expected_reopen=datetime.fromisoformat(f"{day}T01:00:00+00:00"),
            )
        )
    page = await (await client.get("/?lang=en")).text()
    row = re.search(r'<tr id="asset-MONA">(.*?)</tr>', page, re.S)
    assert row and "2026-12-10 10:00" in row.group(1) and "(revised 2×)" in row.group(1)
    status = await (await client.get("/api/v1/status")).json()
    mona = next(a for a in status["assets"] if a["code"] == "MONA")
    assert mona["withdrawal"]["estimate_revisions"] == 2
    assert mona["withdrawal"]["expected_reopen"] == "2026-12-10T01:00:00Z"
    assert mona["deposit"]["estimate_revisions"] == 0
    detail = await (await client.get("/api/v1/assets/mona")).json()
    assert [e["new_estimate"] for e in detail["estimates"]["withdrawal"]] == [
        "2026-12-01T01:00:00Z",
        "2026-12-03T01:00:00Z",
        "2026-12-10T01:00:00Z",
    ]
    assert detail["estimates"]["deposit"] == []
    # Reopening clears the estimate; the next halt starts counting again.
    await context.status.change(
        StatusRequest(
            targets=(Target("MONA", Direction.WITHDRAWAL, State.OPERATIONAL),),
            reason=Reason.OTHER,
            note="",
            actor="ops",
            source=Source.CLI,
        )
    )
    detail = await (await client.get("/api/v1/assets/mona")).json()
    page = await (await client.get("/?lang=en")).text()
    row = re.search(r'<tr id="asset-MONA">(.*?)</tr>', page, re.S)
    assert row and "Expected to reopen" not in row.group(1)
    assert detail["withdrawal"]["expected_reopen"] is None
    assert detail["withdrawal"]["estimate_revisions"] == 0
    assert detail["estimates"]["withdrawal"] == []


async def test_the_page_is_under_60_kb_plain_in_both_languages(
    client: Client, context: WebContext, db: Database
) -> None:
    for lang in ("ja", "en"):
        response = await client.get(f"/?lang={lang}", headers={"Accept-Encoding": "identity"})
        assert response.headers.get("Content-Encoding") is None
        assert len(await response.read()) < PAGE_LIMIT
    # With every state in the bars: the 2018 halt and the weeks of changes before it.
    await write_history(db)
    snapshots = ReadModel(db, context.reference, context.zone, clock=lambda: AUTUMN_2018)
    then = dataclasses.replace(context, snapshots=snapshots)
    async with TestClient(TestServer(build(then))) as old:
        for lang in ("ja", "en"):
            page = await (await old.get(f"/?lang={lang}")).read()
            assert len(page) < PAGE_LIMIT
            assert page.count(b"<line") < 100  # a line per run, not a rect per day
