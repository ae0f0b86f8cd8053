"""What the delivery tests share: settings for a service pointed at the emulator, bulk
subscriptions, a webhook receiver that checks signatures, and waiting for a condition."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import os
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import discord
import yarl
from aiohttp import web
from discord.gateway import DiscordWebSocket
from pydantic import SecretStr

from bot.app import Application
from bot.clock import utcnow
from bot.domain import EventFilter, Subscription, TargetKind
from bot.settings import DatabaseSettings, DeliverySettings, DiscordSettings, Settings, WebSettings
from bot.store import Database
from tests.discord_emulator import DiscordEmulator

TOKEN = "test-token"
# The emulator answers no 40003 unless a test asks it to: tests not about the DM-open budget open
# DM channels as fast as Discord's other limits allow.
DM_OPENS = 6000


def service_settings(db_path: Path, emu: DiscordEmulator | None, **delivery: Any) -> Settings:
    discord_settings = (
        DiscordSettings(
            token=SecretStr(emu.token), api_base=emu.api_base, gateway_url=emu.gateway_url
        )
        if emu is not None
        else DiscordSettings()
    )
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database=DatabaseSettings(path=db_path),
        discord=discord_settings,
        delivery=DeliverySettings(
            **{"poll_seconds": 0.5, "dm_opens_per_minute": DM_OPENS, **delivery}
        ),
        web=WebSettings(port=0, enabled=False),
    )


def service_env(db_path: Path, emu: DiscordEmulator, **delivery: Any) -> dict[str, str]:
    """The environment of a `python -m bot run` subprocess pointed at the emulator."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        {
            "BOT_DATABASE__PATH": str(db_path),
            "BOT_DISCORD__TOKEN": emu.token,
            "BOT_DISCORD__API_BASE": emu.api_base,
            "BOT_DISCORD__GATEWAY_URL": emu.gateway_url,
            "BOT_WEB__PORT": "0",
            "BOT_FEEDS__SOURCES": "[]",
            "BOT_LOG_LEVEL": "INFO",
        }
    )
    for key, value in {"dm_opens_per_minute": DM_OPENS, **delivery}.items():
        env[f"BOT_DELIVERY__{key.upper()}"] = str(value)
    return env


async def start_service(
    env: dict[str, str],
    cwd: Path,
    module: str = "bot",
    ready: str = "delivery started",
    log: list[str] | None = None,
) -> asyncio.subprocess.Process:
    """Start `python -m bot run` (or another module's `run`) and return once its log shows
    `ready` (by default: its dispatcher has started, so it leads); with `log`, every line of
    its log is kept there."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        module,
        "run",
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    seen: list[str] = [] if log is None else log

    async def started() -> None:
        assert process.stderr is not None
        while True:
            line = (await process.stderr.readline()).decode()
            if not line:
                raise AssertionError("the service exited:\n" + "".join(seen[-30:]))
            seen.append(line)
            if ready in line:
                return

    await asyncio.wait_for(started(), 20)
    # Keep draining stderr so that the service never blocks on a full pipe.
    asyncio.get_running_loop().create_task(_drain(process, log))
    return process


async def _drain(process: asyncio.subprocess.Process, log: list[str] | None = None) -> None:
    assert process.stderr is not None
    while line := await process.stderr.readline():
        if log is not None:
            log.append(line.decode())


@contextlib.asynccontextmanager
async def emulated_discord() -> AsyncIterator[DiscordEmulator]:
    """An emulator with discord.py's endpoints pointed at it, restored afterwards."""
    saved_base, saved_gateway = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    emu = DiscordEmulator(token=TOKEN)
    await emu.start()
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(emu.gateway_url)
    try:
        yield emu
    finally:
        discord.http.Route.BASE = saved_base
        DiscordWebSocket.DEFAULT_GATEWAY = saved_gateway
        await emu.stop()


async def subscribe_many(
    db: Database, subs: Iterable[tuple[TargetKind, str, dict[str, Any]]]
) -> None:
    """Write many subscriptions in one transaction (the services do one per subscriber)."""
    now = utcnow()
    async with db.transaction() as repos:
        await repos.subscriptions.add_many(
            Subscription(
                id=0,
                target_kind=kind,
                target=target,
                guild_id=options.get("guild_id"),
                all_assets=options.get("assets") is None,
                assets=frozenset(options.get("assets") or ()),
                events=options.get("events", EventFilter.ALL),
                locale=options.get("locale", "ja"),
                created_by="test",
                created_at=now,
                secret=options.get("secret"),
            )
            for kind, target, options in subs
        )


async def wait_for(
    condition: Callable[[], bool], within: float, what: str = "the condition"
) -> float:
    """Wait until `condition()` holds; return the seconds it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > within:
            raise AssertionError(f"{what} did not happen within {within}s")
        await asyncio.sleep(0.02)
    return time.monotonic() - started


async def eventually(
    check: Callable[[], Awaitable[bool]], within: float, what: str = "the condition"
) -> None:
    started = time.monotonic()
    while not await check():
        if time.monotonic() - started > within:
            raise AssertionError(f"{what} did not happen within {within}s")
        await asyncio.sleep(0.05)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    document: dict[str, Any]
    at: datetime = field(default_factory=utcnow)  # when it arrived


async def serve_posts(
    handle: Callable[[web.Request], Awaitable[web.Response]],
) -> tuple[web.AppRunner, str]:
    """A real HTTP server on 127.0.0.1 (a free port) answering POST /{name}; its runner and
    base URL."""
    app = web.Application()
    app.router.add_post("/{name}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


@dataclass
class WebhookReceiver:
    """A real HTTP server on 127.0.0.1 that checks each POST's HMAC signature."""

    secrets: dict[str, str] = field(default_factory=dict)  # path -> secret
    statuses: dict[str, int] = field(default_factory=dict)  # path -> forced answer
    received: dict[str, list[Received]] = field(default_factory=dict)
    bad_signatures: int = 0
    base: str = ""
    _runner: web.AppRunner | None = None

    async def start(self) -> None:
        self._runner, self.base = await serve_posts(self._handle)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"

    async def _handle(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        body = await request.read()
        secret = self.secrets.get(name, "")
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("X-Signature-256", "")):
            self.bad_signatures += 1
            return web.Response(status=401)
        forced = self.statuses.get(name)
        if forced is not None:
            return web.Response(status=forced)
        self.received.setdefault(name, []).append(
            Received(dict(request.headers), body, json.loads(body))
        )
        return web.Response(status=204)


@dataclass(frozen=True, slots=True)
class OperatedGuild:
    """A Japanese server with a #general channel and an operator on duty."""

    id: int
    operators: int
    duty: int


def operated_guild(emu: DiscordEmulator) -> OperatedGuild:
    guild = emu.add_guild("Zaif Community", locale="ja")
    operators = emu.add_role(guild, "operators")
    emu.add_channel(guild, "general")
    duty = emu.add_user("duty", locale="ja")
    emu.add_member(guild, duty, roles=[operators])
    return OperatedGuild(guild, operators, duty)


def bot_settings(
    db_path: Path, emu: DiscordEmulator, guild: OperatedGuild, **sections: Any
) -> Settings:
    """The whole service pointed at the emulator, commands synced to `guild`; no web unless a
    `web` section is given."""
    chosen: dict[str, Any] = {
        "web": WebSettings(enabled=False),
        "delivery": DeliverySettings(dm_opens_per_minute=DM_OPENS),
        **sections,
    }
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database=DatabaseSettings(path=db_path),
        discord=DiscordSettings(
            token=SecretStr(emu.token),
            api_base=emu.api_base,
            gateway_url=emu.gateway_url,
            guild_ids=[guild.id],
            operator_role_ids=[guild.operators],
        ),
        **chosen,
    )


@contextlib.asynccontextmanager
async def serving(
    settings: Settings, emu: DiscordEmulator, guild: OperatedGuild
) -> AsyncIterator[Application]:
    """The service started, its commands synced and the guild in the bot's cache; stopped after."""
    from bot.chat.component import DiscordFrontEnd
    from tests.chat.conftest import wait_for_guild

    app = await Application.open(settings)
    await app.start()
    try:
        await emu.wait_ready(timeout=10)
        await emu.wait_commands(guild.id, timeout=10)
        front = next(c for c in app.components if isinstance(c, DiscordFrontEnd))
        await wait_for_guild(front, guild.id)
        yield app
    finally:
        await app.stop()


WELCOME_TITLES = ("通知の登録が完了しました", "You are subscribed")


def dm_alerts(emu: DiscordEmulator, user: int) -> list[dict[str, Any]]:
    """A user's DMs without the welcome that /subscribe sends first."""
    return [
        m
        for m in emu.dm_messages(user)
        if not (m.get("embeds") and m["embeds"][0].get("title") in WELCOME_TITLES)
    ]


class Endpoint:
    """A local receiver that answers after `delay`, counting the requests open at once."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.open = 0
        self.most = 0
        self.answered: list[float] = []
        self._runner: web.AppRunner | None = None
        self.base = ""

    async def start(self) -> None:
        self._runner, self.base = await serve_posts(self._handle)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        await request.read()
        self.open += 1
        self.most = max(self.most, self.open)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.open -= 1
        self.answered.append(time.time())  # wall clock: a bench compares it with a change's time
        return web.Response(status=204)
