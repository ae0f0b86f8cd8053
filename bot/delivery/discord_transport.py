"""Discord DMs and channel messages over discord.py's REST client, without the gateway.

discord.py's HTTPClient keeps the per-route buckets and honours 429 `retry_after`; every request
it makes (its own retries included) first waits for the shared pacer, through an aiohttp trace
hook, so the dispatcher as a whole stays under the global limit.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import replace
from types import SimpleNamespace
from typing import Any, Protocol

import aiohttp
import discord
from discord.http import HTTPClient, Route, handle_message_parameters

from bot.clock import utcnow
from bot.delivery.buttons import with_notify
from bot.delivery.discord_errors import (
    Deferred,
    DmsRestricted,
    OpeningTooFast,
    classify,
    dms_restricted_notice,
)
from bot.delivery.dm_budget import DmOpenBudget, Slot
from bot.delivery.dm_opener import DmOpener
from bot.delivery.pacer import Pacer
from bot.delivery.publish_budget import PublishBudget, missed_note
from bot.delivery.transport import Outgoing, Transient, Unavailable
from bot.domain import TargetKind, is_critical
from bot.store import Database, StoreError
from bot.store.mentions import MentionWhen

log = logging.getLogger(__name__)

DM_CACHE_SIZE = 50_000
# discord.py rescans all of a client's rate-limit buckets whenever it adds one past 256, and a
# bucket lives 5 minutes: a fan-out to thousands of channels made that quadratic. Channels are
# spread over a few clients (by id), each with its own buckets; the pacer is shared by all.
SHARDS = 32
# A slot of the DM-open budget this near is waited for; a later one sends the delivery back to
# the outbox until then, so that waiting opens never hold up channels and open DMs.
SHORT_WAIT_SECONDS = 1.0
HELD_SLOTS_MAX = 100_000
ANNOUNCEMENT_CHANNEL = 5
PUBLISHER = -1  # the client that publishes: it gives up on a long 429 instead of waiting it out
PUBLISH_MAX_WAIT = 30.0  # discord.py's smallest; a publish 429 may ask for most of an hour
FOLLOW_SECONDS = 1.5  # a later delivery to a user comes back this long after the first one
MAX_DEFER = 30.0  # a delivery waiting for its DM-open slot is looked at again this often


class DmChannels:
    """User id -> DM channel id: in memory, backed by the dm_channels table."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._known: dict[str, str] = {}

    async def get(self, user_id: str) -> str | None:
        found = self._known.get(user_id)
        if found is None:
            found = await self.db.repos.dm_channels.get(user_id)
            if found is not None:
                self._remember(user_id, found)
        return found

    async def put(self, user_id: str, channel_id: str) -> None:
        self._remember(user_id, channel_id)
        async with self.db.transaction() as repos:
            await repos.dm_channels.put(user_id, channel_id, utcnow())

    async def forget(self, user_id: str) -> None:
        self._known.pop(user_id, None)
        async with self.db.transaction() as repos:
            await repos.dm_channels.forget(user_id)

    def _remember(self, user_id: str, channel_id: str) -> None:
        if len(self._known) >= DM_CACHE_SIZE:
            self._known.clear()  # the table still has them; this only bounds memory
        self._known[user_id] = channel_id


class Background(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class DiscordTransport:
    """Sends to a user's DM or to a guild channel; one instance serves both kinds."""

    name = "discord"

    def __init__(
        self,
        token: str,
        api_base: str,
        pacer: Pacer,
        dm_channels: DmChannels,
        dm_budget: DmOpenBudget,
        *,
        public_url: str = "",
        open_in_background: bool = True,
    ) -> None:
        self._token = token
        self._api_base = api_base.rstrip("/")
        self._pacer = pacer
        self._dm_channels = dm_channels
        self._dm_budget = dm_budget
        # User id -> the delivery that reserved a DM-open slot for them, and the slot.
        self._held: dict[str, tuple[int, Slot | None]] = {}
        # Subscribers whose DM channel is not known yet get it opened ahead of their alerts.
        self._background: list[Background] = []
        if open_in_background:
            self._background.append(DmOpener(dm_channels.db, self.open_dm))
        self._clients: dict[int, HTTPClient] = {}
        self._login = asyncio.Lock()
        self._me: Any = None  # what the first login learnt of the bot: the token is good
        self._public_url = public_url
        self._publishing = PublishBudget(dm_channels.db)
        self._learning: dict[str, asyncio.Task[int | None]] = {}  # channel id -> its lookup
        self._tasks: set[asyncio.Task[None]] = set()  # publishes, and alerts awaiting a lookup
        self._publish_locks: dict[str, asyncio.Lock] = {}
        self._refused: str | None = None  # set once Discord refuses the token; never retried

    async def start(self) -> None:
        # discord.py builds every URL from this class attribute; the chat front end sets the same.
        Route.BASE = self._api_base
        for part in self._background:
            await part.start()

    def attach(self, part: Background) -> None:
        """Run `part` (the welcomer) while the transport runs: it sends through it."""
        self._background.append(part)

    async def stop(self) -> None:
        for part in reversed(self._background):
            await part.stop()
        tasks = [*self._tasks, *self._learning.values()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        clients, self._clients = list(self._clients.values()), {}
        for http in clients:
            await http.close()

    async def _client(self, shard: int = 0, max_wait: float | None = None) -> HTTPClient:
        found = self._clients.get(shard)
        if found is not None:
            return found
        async with self._login:
            if self._refused is not None:
                raise Unavailable(self._refused)
            if shard not in self._clients:
                trace = aiohttp.TraceConfig()
                trace.on_request_start.append(self._paced)
                http = HTTPClient(
                    asyncio.get_running_loop(), http_trace=trace, max_ratelimit_timeout=max_wait
                )
                try:
                    if self._me is None:
                        self._me = await http.static_login(self._token)
                    else:
                        await _login_known(http, self._token, self._me)
                except discord.LoginFailure:
                    await http.close()
                    self._refused = "Discord refused the bot token (HTTP 401)"
                    log.error("%s: Discord deliveries wait for a restart", self._refused)
                    raise Unavailable(self._refused) from None
                except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
                    await http.close()
                    raise Transient(f"cannot log in to Discord: {exc}") from None
                self._clients[shard] = http
            return self._clients[shard]

    async def _paced(self, session: Any, context: SimpleNamespace, params: Any) -> None:
        await self._pacer.acquire()

    async def send(self, outgoing: Outgoing) -> str:
        sub = outgoing.subscription
        dm = sub.target_kind is TargetKind.DM
        try:
            if dm:
                return await self._send_dm(sub.target, outgoing)
            return await self._post_in_channel(sub.target, outgoing)
        except discord.RateLimited as exc:
            raise Transient(f"rate limited for {exc.retry_after:.1f}s", exc.retry_after) from None
        except discord.HTTPException as exc:
            failure = classify(exc.status, exc.code, exc.text, dm=dm)
            if exc.status == 403 and isinstance(failure, Transient):
                log.warning("delivery %d: Discord answered %s", outgoing.delivery_id, failure)
            raise failure from None
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
        channel_id = await self._open_dm(user_id, outgoing.delivery_id)
        return await self._post(channel_id, outgoing)

    async def _open_dm(self, user_id: str, delivery_id: int) -> str:
        """Open the user's DM channel for a delivery, within the DM-open budget: a slot more
        than a moment away sends the delivery back to the outbox until then (Deferred). A later
        delivery to the same user waits for the first one's open, so their order holds."""
        owner, held = self._held.pop(user_id, (delivery_id, None))
        slot = await self._dm_budget.reserve(held)
        wait = slot.at - self._dm_budget.now()
        if owner != delivery_id or wait > SHORT_WAIT_SECONDS:
            if len(self._held) >= HELD_SLOTS_MAX:
                self._held.clear()  # only bounds memory: a lost slot is reserved again
            self._held[user_id] = (owner, slot)
            if owner != delivery_id:
                wait += FOLLOW_SECONDS
            # Back within a bounded time: a budget that recovers meanwhile hands out new slots.
            raise Deferred(f"waiting {wait:.0f}s for the DM-open budget", min(wait, MAX_DEFER))
        return await self._open_in(slot, user_id)

    async def open_dm(self, user_id: str) -> None:
        """Open and keep a user's DM channel, sending nothing. Alerts go first: this waits until
        the budget has no slot reserved ahead (else Deferred), then for its own slot."""
        if not await self._dm_budget.idle():
            raise Deferred("alerts are using the DM-open budget", SHORT_WAIT_SECONDS)
        if await self._dm_channels.get(user_id) is not None:
            return
        slot = await self._dm_budget.reserve()
        try:
            await self._open_in(slot, user_id)
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise Transient(f"network: {type(exc).__name__}: {exc}"[:300]) from None

    async def _open_in(self, slot: Slot, user_id: str) -> str:
        wait = slot.at - self._dm_budget.now()
        if wait > 0:
            await asyncio.sleep(wait)
        http = await self._client(0)  # one client holds the DM-opening bucket
        try:
            data = await http.start_private_message(int(user_id))
        except discord.HTTPException as exc:
            failure = classify(exc.status, exc.code, exc.text, dm=True)
            if isinstance(failure, OpeningTooFast):
                await self._dm_budget.too_fast(slot)
            elif isinstance(failure, DmsRestricted) and await self._dm_budget.restricted():
                failure.notice = dms_restricted_notice()
            log.warning("opening the DM channel of user %s: %s", user_id, failure)
            raise failure from None
        await self._dm_budget.reached()
        channel_id = str(data["id"])
        await self._dm_channels.put(user_id, channel_id)
        return channel_id

    async def _post_in_channel(self, channel_id: str, outgoing: Outgoing) -> str:
        """Post in a guild channel: with its subscription's role pinged when that applies, and
        in an announcement channel published too when the publish budget allows (in the
        background: a 429 there never holds up a delivery). A channel whose type no process has
        seen yet is posted in first and asked about after, so no alert waits for the lookup."""
        event = outgoing.event
        critical = event is not None and is_critical(event.kind, event.payload)
        sub = outgoing.subscription
        db = self._dm_channels.db
        mention = await db.repos.mentions.of(sub.id)
        lines: list[str] = []
        role = None
        if mention is not None:
            outgoing = replace(outgoing, components=with_notify(outgoing.components, sub))
            if mention.when is MentionWhen.ALL or critical:
                role = mention.role_id
                lines.append(f"<@&{role}>")
        known = await db.repos.channel_types.of(channel_id)
        decision = None
        if known == ANNOUNCEMENT_CHANNEL:
            decision = await self._publishing.take(channel_id, critical)
            if decision.publish and decision.missed:
                lines.append(missed_note(sub.locale, decision.missed, self._public_url))
        message_id = await self._post(channel_id, outgoing, "\n".join(lines) or None, role)
        if known is None:
            self._in_background(self._learn_then_publish(channel_id, message_id, critical))
        elif decision is not None and decision.publish:
            self._in_background(self._publish(channel_id, message_id))
        return message_id

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _learn_then_publish(self, channel_id: str, message_id: str, critical: bool) -> None:
        """Ask Discord the type of a channel posted in for the first time (once per process at
        most, whatever number of alerts wait for the answer), keep it for every process, and
        publish the alert if it is an announcement channel."""
        learning = self._learning.get(channel_id)
        if learning is None:
            learning = self._learning[channel_id] = asyncio.create_task(self._learn(channel_id))
            learning.add_done_callback(lambda _: self._learning.pop(channel_id, None))
        if await asyncio.shield(learning) != ANNOUNCEMENT_CHANNEL:
            return
        decision = await self._publishing.take(channel_id, critical)
        if decision.publish:
            await self._publish(channel_id, message_id)

    async def _learn(self, channel_id: str) -> int | None:
        try:
            data = await (await self._client(int(channel_id) % SHARDS)).get_channel(channel_id)
        except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.warning("asking the type of channel %s: %s", channel_id, exc)
            return None  # asked again after its next alert
        kind = int(data["type"])
        try:
            async with self._dm_channels.db.transaction() as repos:
                await repos.channel_types.record(channel_id, kind, utcnow())
        except StoreError as exc:  # known to this process all the same
            log.warning("keeping the type of channel %s: %s", channel_id, exc)
        return kind

    async def _publish(self, channel_id: str, message_id: str) -> None:
        # One publish at a time per channel: a 429 to one stops the next before it is tried.
        async with self._publish_locks.setdefault(channel_id, asyncio.Lock()):
            if await self._publishing.blocked(channel_id):
                await self._publishing.failed(channel_id, None)
                return
            try:
                await (await self._client(PUBLISHER, PUBLISH_MAX_WAIT)).publish_message(
                    channel_id, message_id
                )
            except discord.RateLimited as exc:
                log.warning("publishing in channel %s: wait %.0fs", channel_id, exc.retry_after)
                await self._publishing.failed(channel_id, exc.retry_after)
            except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
                log.warning("publishing message %s in %s: %s", message_id, channel_id, exc)
                await self._publishing.failed(channel_id, None)

    async def _post(
        self,
        channel_id: str,
        outgoing: Outgoing,
        content: str | None = None,
        role: str | None = None,
    ) -> str:
        http = await self._client(int(channel_id) % SHARDS)
        # The nonce makes Discord answer a re-send (after a crash) with the first message.
        params = handle_message_parameters(
            content=content,
            embed=discord.Embed.from_dict(outgoing.embed),
            nonce=outgoing.nonce,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        if role is not None and params.payload is not None:
            # The subscription's one role, and no other mention whatever the text says.
            params.payload["allowed_mentions"] = {"parse": [], "roles": [role]}
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


async def _login_known(http: HTTPClient, token: str, me: Any) -> None:
    """Log a further client in without its `GET /users/@me`: the first client's login checked
    the token, and one request per client (32 of them) would take 0.7 s of the shared budget
    from the first alerts after a start."""

    async def known(route: Route, **kwargs: Any) -> Any:
        return me

    http.request = known  # type: ignore[method-assign]  # its one request, answered from memory
    try:
        await http.static_login(token)
    finally:
        delattr(http, "request")
