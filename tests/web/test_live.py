"""The web front end inside the running service, and a change made by the CLI showing up there."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import aiohttp
import feedparser
import pytest

from bot.app import Application
from bot.settings import Settings, WebSettings
from bot.web import WebServer
from tests.web.live import VISIBILITY_MARGIN_SECONDS, cli, running, seen_within


async def test_service_serves_on_a_free_port_and_stops(settings: Settings) -> None:
    async with running(settings) as (_, url):
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url)
        assert not url.endswith(":0/")
        async with aiohttp.ClientSession() as session:
            async with session.get(url + "healthz") as response:
                assert response.status == 200
                body = await response.json()
        assert body["checks"]["web"]["ok"] is True
        assert body["checks"]["snapshot"]["ok"] is True
        assert body["checks"]["discord"] == {"ok": True, "state": "off"}
    with pytest.raises(aiohttp.ClientConnectionError):
        async with aiohttp.ClientSession() as session:
            await session.get(url + "healthz")


async def test_web_can_be_switched_off(settings: Settings) -> None:
    quiet = settings.model_copy(update={"web": WebSettings(enabled=False, port=0)})
    app = await Application.open(quiet)
    try:
        await app.start()
        assert not [c for c in app.components if isinstance(c, WebServer)]
    finally:
        await app.stop()


async def test_a_taken_port_is_an_error_at_start(settings: Settings) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = settings.model_copy(update={"web": WebSettings(port=port)})
        app = await Application.open(busy)
        try:
            with pytest.raises(OSError):
                await app.start()
        finally:
            await app.stop()


async def test_cli_change_shows_on_page_and_feed(settings: Settings, db_path: Path) -> None:
    async with running(settings) as (_, url):
        async with aiohttp.ClientSession() as session:
            async with session.get(url + "feed.atom?lang=en") as response:
                before = feedparser.parse(await response.read())
            code, out, err = await cli(
                db_path,
                "status",
                "set",
                "ncxc",
                "--deposit",
                "operational",
                "--withdrawal",
                "maintenance",
                "--reason",
                "wallet_upgrade",
                "--note",
                "Counterparty wallet moved to new servers",
            )
            assert code == 0, err
            assert "NCXC deposit: suspended -> operational" in out
            # Another process's change: the poll sees it within its interval.
            await seen_within(
                session,
                url + "?lang=en",
                lambda page: "Counterparty wallet moved to new servers" in page,
                settings.delivery.poll_seconds + VISIBILITY_MARGIN_SECONDS,
            )
            async with session.get(url + "?lang=en") as response:
                html = await response.text()
            async with session.get(url + "feed.atom?lang=en") as response:
                after = feedparser.parse(await response.read())
    row = re.search(r'<tr id="asset-NCXC">(.*?)</tr>', html, re.S)
    assert row is not None
    assert "Operational" in row.group(1) and "Maintenance" in row.group(1)
    assert "Counterparty wallet moved to new servers" in row.group(1)
    assert len(after.entries) == len(before.entries) + 1
    newest = after.entries[0]
    assert newest.id not in {e.id for e in before.entries}
    assert newest.title == (
        "NCXC: Deposit Suspended → Operational, Withdrawal Suspended → Maintenance"
    )
    assert "Reason: Wallet upgrade" in newest.content[0].value


async def test_cli_refusal_changes_nothing_on_the_page(settings: Settings, db_path: Path) -> None:
    async with running(settings) as (_, url):
        async with aiohttp.ClientSession() as session:
            async with session.get(url + "api/v1/assets/BTC/history") as response:
                before = await response.json()
            code, _, err = await cli(
                db_path, "status", "set", "DOGE", "--deposit", "operational", "--reason", "other"
            )
            assert code == 2
            assert "unknown asset" in err
            async with session.get(url + "api/v1/assets/BTC/history") as response:
                assert await response.json() == before
