"""Discord DMs and channel messages over discord.py's REST client, without the gateway.

discord.py's HTTPClient keeps the per-route buckets and honours 429 `retry_after`; every request
it makes (its own retries included) first waits for the shared pacer, through an aiohttp trace
hook, so the dispatcher as a whole stays under the global limit.
"""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace
from typing import Any

import aiohttp
import discord
from discord.http import HTTPClient, Route, handle_message_parameters

from bot.clock import utcnow
from bot.delivery.pacer import Pacer
from bot.delivery.transport import Outgoing, Permanent, Rejected, Transient
from bot.domain import TargetKind
from bot.store import Database

log = logging.getLogger(__name__)

DM_CACHE_SIZE = 50_000
# discord.py rescans all of a client's rate-limit buckets whenever it adds one past 256, and a
# bucket lives 5 minutes: a fan-out to thousands of channels made that quadratic. Channels are
# spread over a few clients (by id), each with its own buckets; the pacer is shared by all.
SHARDS = 32


class DmChannels:
    """User id -> DM channel id: in memory, backed by the dm_channels table."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._known: dict[str, str] = {}

    async def get(self, user_id: str) -> str | None:
        found = self._known.get(user_id)
        if found is None:
            found = await self._db.repos.dm_channels.get(user_id)
            if found is not None:
                self._remember(user_id, found)
        return found

    async def put(self, user_id: str, channel_id: str) -> None:
        self._remember(user_id, channel_id)
        async with self._db.transaction() as repos:
            await repos.dm_channels.put(user_id, channel_id, utcnow())

    async def forget(self, user_id: str) -> None:
        self._known.pop(user_id, None)
        async with self._db.transaction() as repos:
            await repos.dm_channels.forget(user_id)

    def _remember(self, user_id: str, channel_id: str) -> None:
        if len(self._known) >= DM_CACHE_SIZE:
            self._known.clear()  # the table still has them; this only bounds memory
        self._known[user_id] = channel_id


def _describe(exc: discord.HTTPException) -> str:
    return f"{exc.status} {exc.code}: {exc.text}"[:300]


class DiscordTransport:
    """Sends to a user's DM or to a guild channel; one instance serves both kinds."""

    name = "discord"

    def __init__(self, token: str, api_base: str, pacer: Pacer, dm_channels: DmChannels) -> None:
        self._token = token
        self._api_base = api_base.rstrip("/")
        self._pacer = pacer
        self._dm_channels = dm_channels
        self._clients: dict[int, HTTPClient] = {}
        self._login = asyncio.Lock()

    async def start(self) -> None:
        # discord.py builds every URL from this class attribute; the chat front end sets the same.
        Route.BASE = self._api_base

    async def stop(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for http in clients:
            await http.close()

    async def _client(self, shard: int = 0) -> HTTPClient:
        found = self._clients.get(shard)
        if found is not None:
            return found
        async with self._login:
            if shard not in self._clients:
                trace = aiohttp.TraceConfig()
                trace.on_request_start.append(self._paced)
                http = HTTPClient(asyncio.get_running_loop(), http_trace=trace)
                try:
                    await http.static_login(self._token)
                except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
                    await http.close()
                    raise Transient(f"cannot log in to Discord: {exc}") from None
                self._clients[shard] = http
            return self._clients[shard]

    async def _paced(self, session: Any, context: SimpleNamespace, params: Any) -> None:
        await self._pacer.acquire()

    async def send(self, outgoing: Outgoing) -> str:
        sub = outgoing.subscription
        try:
            if sub.target_kind is TargetKind.DM:
                return await self._send_dm(sub.target, outgoing)
            return await self._post(sub.target, outgoing)
        except discord.Forbidden as exc:
            raise Permanent(_describe(exc)) from None
        except discord.NotFound as exc:
            raise Permanent(_describe(exc)) from None
        except discord.RateLimited as exc:
            raise Transient(f"rate limited for {exc.retry_after:.1f}s", exc.retry_after) from None
        except discord.DiscordServerError as exc:
            raise Transient(_describe(exc)) from None
        except discord.HTTPException as exc:
            if exc.status in (401, 429) or exc.status >= 500:
                raise Transient(_describe(exc)) from None
            raise Rejected(_describe(exc)) from None
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise Transient(f"network: {type(exc).__name__}: {exc}"[:300]) from None

    async def _send_dm(self, user_id: str, outgoing: Outgoing) -> str:
        channel_id = await self._dm_channels.get(user_id)
        if channel_id is not None:
            try:
                return await self._post(channel_id, outgoing)
            except discord.NotFound:
                # The cached DM channel is gone; open it afresh once.
                log.info("DM channel of user %s is gone; opening a new one", user_id)
                await self._dm_channels.forget(user_id)
        http = await self._client(0)  # one client holds the DM-opening bucket
        data = await http.start_private_message(int(user_id))
        channel_id = str(data["id"])
        await self._dm_channels.put(user_id, channel_id)
        return await self._post(channel_id, outgoing)

    async def _post(self, channel_id: str, outgoing: Outgoing) -> str:
        http = await self._client(int(channel_id) % SHARDS)
        # The nonce makes Discord answer a re-send (after a crash) with the first message.
        params = handle_message_parameters(
            embed=discord.Embed.from_dict(outgoing.embed),
            nonce=outgoing.nonce,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        if outgoing.components and params.payload is not None:
            # Plain component JSON: the buttons' callbacks live in the chat front end, which
            # knows them by their custom ids, so no discord.ui.View is needed here.
            params.payload["components"] = outgoing.components
        message = await http.send_message(int(channel_id), params=params)
        return str(message["id"])

    async def edit(self, channel_id: str, message_id: str, embed: dict[str, Any]) -> None:
        """Replace the embed of one of the bot's messages (a fan-out's progress message); the
        request passes the same pacer as every send."""
        http = await self._client(int(channel_id) % SHARDS)
        params = handle_message_parameters(
            embed=discord.Embed.from_dict(embed), allowed_mentions=discord.AllowedMentions.none()
        )
        await http.edit_message(int(channel_id), int(message_id), params=params)
