"""What the back-office write tests share: the running service on either engine with the Discord
emulator, a token, and requests that carry it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy
from pydantic import SecretStr

from bot.app import Application
from bot.domain import TargetKind
from bot.settings import (
    ApiSettings,
    DatabaseSettings,
    DeliverySettings,
    DiscordSettings,
    FeedSettings,
    Settings,
    WebSettings,
)
from bot.web import WebServer
from tests.delivery.support import subscribe_many
from tests.discord_emulator import DiscordEmulator
from tests.pg import fresh_database


@dataclass
class Live:
    app: Application
    url: str  # the page's root, ending in /
    http: aiohttp.ClientSession

    async def token(self, name: str, scopes: Iterable[str]) -> str:
        _, secret = await self.app.services.tokens.create(name, ",".join(scopes))
        return secret

    async def post(
        self,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        key: str | None = None,
        method: str = "POST",
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any], CIMultiDictProxy[str]]:
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        if key is not None:
            sent["Idempotency-Key"] = key
        async with self.http.request(
            method, self.url + path.lstrip("/"), json=body if data is None else None,
            data=data, headers=sent,
        ) as response:  # fmt: skip
            text = await response.text()
            document = await response.json(content_type=None) if text.strip() else {}
            return response.status, document, response.headers


def live_settings(database: DatabaseSettings, emu: DiscordEmulator | None, **api: Any) -> Settings:
    discord = (
        DiscordSettings(
            token=SecretStr(emu.token), api_base=emu.api_base, gateway_url=emu.gateway_url
        )
        if emu is not None
        else DiscordSettings()
    )
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database=database,
        discord=discord,
        web=WebSettings(port=0),
        feeds=FeedSettings(sources=[]),
        delivery=DeliverySettings(poll_seconds=0.5),
        api=ApiSettings(**api),
    )


@contextlib.asynccontextmanager
async def engine_settings(engine: str, folder: Path) -> AsyncIterator[DatabaseSettings]:
    if engine == "sqlite":
        yield DatabaseSettings(path=folder / "data" / "bot.sqlite3")
        return
    async with fresh_database() as url:
        yield DatabaseSettings(url=url)


@contextlib.asynccontextmanager
async def live_service(
    engine: str,
    folder: Path,
    emu: DiscordEmulator | None = None,
    dm_users: Iterable[int] = (),
    **api: Any,
) -> AsyncIterator[Live]:
    """The service as `run` builds it, web on a free port, Discord on the emulator when given;
    each of `dm_users` subscribed to BTC by DM."""
    async with engine_settings(engine, folder) as database:
        app = await Application.open(live_settings(database, emu, **api))
        try:
            users = [(TargetKind.DM, str(u), {"assets": ["BTC"]}) for u in dm_users]
            if users:
                await subscribe_many(app.db, users)
            await app.start()
            if emu is not None:
                await emu.wait_ready(timeout=10)
            web = next(c for c in app.components if isinstance(c, WebServer))
            async with aiohttp.ClientSession() as http:
                yield Live(app, web.url, http)
        finally:
            await app.stop()
