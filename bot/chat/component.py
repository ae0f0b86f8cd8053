"""The Discord front end as a component of the service: log in, connect, sync; close on stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from typing import Any

import discord
import yarl
from discord.gateway import DiscordWebSocket

from bot.metrics import Metrics
from bot.services.bundle import Services
from bot.settings import Settings

from .client import ChatContext, StatusBot

log = logging.getLogger(__name__)

STOP_TIMEOUT = 10.0


def point_at(api_base: str, gateway_url: str) -> None:
    """Send discord.py's REST calls and gateway connection where the settings say (a proxy)."""
    discord.http.Route.BASE = api_base.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


class DiscordFrontEnd:
    """Runs the bot in a background task, so that Discord being away stops nothing else."""

    name = "discord"

    def __init__(self, settings: Settings, services: Services, metrics: Metrics) -> None:
        if settings.discord.token is None:
            raise ValueError("the Discord front end needs BOT_DISCORD__TOKEN")
        self._settings = settings
        self._services = services
        self.bot = StatusBot(ChatContext(services, settings.discord, settings.zone, metrics))
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        config = self._settings.discord
        point_at(config.api_base, config.gateway_url)
        self._task = asyncio.create_task(self._run(), name="discord")

    async def _run(self) -> None:
        token = self._settings.discord.token
        assert token is not None
        try:
            await self.bot.start(token.get_secret_value(), reconnect=True)
        except discord.LoginFailure:
            log.error("Discord refused the bot token (BOT_DISCORD__TOKEN); Discord is off")
        except discord.HTTPException as exc:
            log.error("Discord refused the bot's start-up (HTTP %s): %s", exc.status, exc.text)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the Discord client stopped")

    async def health(self) -> dict[str, Any]:
        """Connected when the gateway session is ready; the latency is the last heartbeat's.
        `dms` says whether Discord lets the bot DM new subscribers; channels go on either way."""
        if self.bot.is_closed():
            state = "closed"
        elif self.bot.is_ready():
            state = "connected"
        else:
            state = "connecting"
        latency = self.bot.latency
        return {
            "ok": state == "connected",
            "state": state,
            # NaN or infinity until the first heartbeat is acknowledged: JSON has neither.
            "latency_ms": round(latency * 1000, 1) if math.isfinite(latency) else None,
            "dms": await self._services.subscriptions.dms_state(),
        }

    async def wait_ready(self) -> None:
        await self.bot.wait_until_ready()

    async def stop(self) -> None:
        await self.bot.close()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, STOP_TIMEOUT)
            except TimeoutError:
                log.warning("the Discord client did not stop in %ss; cancelled", STOP_TIMEOUT)
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
