"""A wrong bot token: /healthz says so, nothing loops or leaks, and the alerts wait for the fix."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr

from bot.app import Application
from bot.domain import Direction, Reason, Source, State, StatusRequest, Target, TargetKind
from bot.settings import Settings, WebSettings
from bot.web import WebServer
from tests.delivery.support import service_settings, subscribe_many, wait_for
from tests.discord_emulator import DiscordEmulator

REFUSED_WITHIN = 30.0
# The gateway and the outbox each try once; a loop would have made hundreds of tries by now.
MOST_LOGINS = 4


def with_token(settings: Settings, token: str) -> Settings:
    discord = settings.discord.model_copy(update={"token": SecretStr(token)})
    return settings.model_copy(update={"discord": discord, "web": WebSettings(port=0)})


async def healthz(app: Application) -> tuple[int, dict[str, object]]:
    web = next(c for c in app.components if isinstance(c, WebServer))
    async with aiohttp.ClientSession() as session, session.get(f"{web.url}healthz") as response:
        return response.status, await response.json()


async def test_a_wrong_token_is_reported_refused_and_its_alerts_go_out_after_the_fix(
    emu: DiscordEmulator, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    user = emu.add_user("aiko", locale="ja")
    right = service_settings(db_path, emu, max_age_seconds=3600)
    app = await Application.open(with_token(right, "not-the-token"))
    await subscribe_many(app.db, [(TargetKind.DM, str(user), {})])
    started = time.monotonic()
    await app.start()
    try:
        change = await app.services.status.change(
            StatusRequest(
                (Target("BTC", Direction.WITHDRAWAL, State.OPERATIONAL),),
                Reason.MAINTENANCE,
                "",
                "ops:test",
                Source.CLI,
            )
        )
        assert change.deliveries == 1
        while True:
            status, report = await healthz(app)
            checks = report["checks"]
            assert isinstance(checks, dict)
            if checks["discord"]["state"] == "refused":
                break
            assert time.monotonic() - started < REFUSED_WITHIN, checks["discord"]
            await asyncio.sleep(0.2)
        assert status == 503
        assert "token" in checks["discord"]["reason"]
        assert "not-the-token" not in str(report)
        # The dispatcher tried once, found the token refused, and put the alert back.
        await wait_for(lambda: "deliveries wait for a restart" in caplog.text, 10, "the refusal")
        await asyncio.sleep(2)  # long enough for a tight loop to show
        logins = [r for r in emu.rejections if r.path.endswith("/users/@me")]
        assert 1 <= len(logins) <= MOST_LOGINS
        assert len(emu.rejections) <= MOST_LOGINS
        assert emu.dm_messages(user) == []
        states = await app.db.repos.outbox.states()
        assert states.get("pending") == 1 and not states.get("failed"), states
        (sub,) = await app.services.subscriptions.list()
        assert sub.active and sub.disabled_reason is None
    finally:
        await app.stop()
    gc.collect()  # an unclosed aiohttp session says so when it is collected
    await asyncio.sleep(0)
    assert "Unclosed client session" not in caplog.text
    assert "Unclosed connector" not in caplog.text

    # The token fixed, the service restarted: the alert that waited goes out.
    fixed = await Application.open(right)
    await fixed.start()
    try:
        await wait_for(lambda: len(emu.dm_messages(user)) == 1, 20, "the waiting alert")
    finally:
        await fixed.stop()
    assert "BTC" in str(emu.dm_messages(user)[0]["embeds"])
