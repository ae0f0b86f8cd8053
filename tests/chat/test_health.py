"""/healthz of a running service with Discord on: the gateway connected, the dispatcher alive."""

from __future__ import annotations

import aiohttp

from bot.app import Application
from bot.chat.component import DiscordFrontEnd
from bot.settings import Settings
from bot.web import WebServer
from tests.chat.conftest import chat_settings
from tests.discord_emulator import DiscordEmulator


async def test_healthz_reports_discord_and_the_dispatcher(
    emu: DiscordEmulator, settings: Settings
) -> None:
    guild = emu.add_guild("Zaif Community")
    app = await Application.open(chat_settings(settings, emu, guild_ids=[guild]))
    try:
        await app.start()
        front = next(c for c in app.components if isinstance(c, DiscordFrontEnd))
        web = next(c for c in app.components if isinstance(c, WebServer))
        await front.wait_ready()
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{web.url}healthz") as response:
                report = await response.json()
                assert response.status == 200, report
            checks = report["checks"]
            assert checks["database"]["ok"] is True
            assert checks["discord"]["state"] == "connected"
            assert checks["discord"]["dms"] == "ok"
            assert checks["delivery"]["ok"] is True
            assert checks["delivery"]["state"] == "running"

            await front.bot.close()  # Discord gone: the service says so, and is not healthy
            async with session.get(f"{web.url}healthz") as response:
                report = await response.json()
                assert response.status == 503
            assert report["checks"]["discord"] == {
                "ok": False,
                "state": "closed",
                "latency_ms": None,
                "dms": "ok",
            }
            assert report["checks"]["delivery"]["ok"] is True
    finally:
        await app.stop()
