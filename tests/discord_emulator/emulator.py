"""DiscordEmulator: the object tests drive. All state is server-side, so the bot under
test may run in this process or in a subprocess pointed at api_base / gateway_url."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiohttp import web

from .errors import EmulatorError
from .faults import Faults, Stats
from .gateway import Gateway, Session
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    InteractionResult,
    Interactions,
    Pending,
    build_options,
    find_command,
    interaction_payload,
    result_from,
)
from .payloads import guild_json, message_json, user_json
from .ratelimit import GlobalLimiter, RouteLimiter
from .server import RestApi, build_middleware
from .state import (
    DEFAULT_EVERYONE_PERMISSIONS,
    JSON,
    Channel,
    Member,
    Role,
    SnowflakeFactory,
    User,
    World,
)
from .webhooks import DEFERRED_MESSAGE, WebhookApi

# Application flags: GATEWAY_GUILD_MEMBERS_LIMITED | GATEWAY_MESSAGE_CONTENT_LIMITED, so
# discord.py's privileged intents are accepted as for a small verified-free bot.
APPLICATION_FLAGS = (1 << 15) | (1 << 19)


class DiscordEmulator:
    def __init__(self, token: str = "test-token", *, bot_name: str = "status-bot") -> None:
        self.token = token
        self._ids = SnowflakeFactory()
        self.application_id = self._ids.next()
        # Discord bots share their application's id.
        self.bot_user_id = self.application_id
        self.application_flags = APPLICATION_FLAGS
        self.world = World(self._ids, User(self.bot_user_id, bot_name, bot=True))
        self.stats = Stats()
        self.faults = Faults()
        self.global_limit_per_second: int | None = 50
        self.channel_message_limit: tuple[int, float] = (5, 5.0)
        # Discord invalidates an interaction not acknowledged within 3 s.
        self.interaction_ack_deadline: float | None = 3.0
        self.global_limiter = GlobalLimiter()
        self.route_limiter = RouteLimiter()
        self.interactions = Interactions()
        self.gateway = Gateway(token=token, ready_payload=self._ready, guild_payloads=self._guilds)
        self._commands_changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # -- lifecycle ------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(middlewares=[build_middleware(self)])
        app.router.add_get("/gateway", self.gateway.handle)
        RestApi(self).add_routes(app)
        WebhookApi(self).add_routes(app)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and isinstance(server, asyncio.base_events.Server)
        self._port = server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> DiscordEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise EmulatorError("emulator not started")
        return self._port

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def heartbeat_interval(self) -> float:
        return self.gateway.heartbeat_interval_ms / 1000

    @heartbeat_interval.setter
    def heartbeat_interval(self, seconds: float) -> None:
        self.gateway.heartbeat_interval_ms = int(seconds * 1000)

    # -- building the world -------------------------------------------------

    def add_guild(
        self,
        name: str,
        *,
        everyone_permissions: int = DEFAULT_EVERYONE_PERMISSIONS,
        locale: str = "en-US",
    ) -> int:
        guild = self.world.add_guild(name, everyone_permissions)
        guild.preferred_locale = locale
        return guild.id

    def add_user(self, name: str, *, locale: str = "en-US", dms_open: bool = True) -> int:
        user = User(self._ids.next(), name, locale=locale, dms_open=dms_open)
        self.world.users[user.id] = user
        return user.id

    def set_dms_open(self, user_id: int, dms_open: bool) -> None:
        self.world.user(user_id).dms_open = dms_open

    def add_role(self, guild_id: int, name: str, *, permissions: int = 0) -> int:
        guild = self.world.guild(guild_id)
        role_id = self._ids.next()
        guild.roles[role_id] = Role(role_id, name, permissions, len(guild.roles))
        return role_id

    def add_member(
        self,
        guild_id: int,
        user_id: int,
        *,
        roles: list[int] | None = None,
        permissions: int | None = None,
    ) -> None:
        guild = self.world.guild(guild_id)
        self.world.user(user_id)
        for role in roles or []:
            if role not in guild.roles:
                raise EmulatorError(f"role {role} is not in guild {guild_id}")
        guild.members[user_id] = Member(user_id, list(roles or []), permissions)

    def add_channel(self, guild_id: int, name: str, *, bot_can_send: bool = True) -> int:
        return self.world.add_channel(self.world.guild(guild_id), name, bot_can_send).id

    def set_user_permissions(
        self, guild_id: int, channel_id: int, user_id: int, permissions: int
    ) -> None:
        channel = self.world.channel(channel_id)
        if channel.guild_id != guild_id:
            raise EmulatorError(f"channel {channel_id} is not in guild {guild_id}")
        channel.user_permissions[user_id] = permissions

    # -- observing the bot ----------------------------------------------------

    def commands(self, guild_id: int | None = None) -> list[JSON]:
        return list(self.world.commands.get(guild_id, []))

    def messages(self, channel_id: int) -> list[JSON]:
        return list(self.world.messages.get(channel_id, []))

    def dm_messages(self, user_id: int) -> list[JSON]:
        channel_id = self.world.dm_channel_by_user.get(user_id)
        return [] if channel_id is None else self.messages(channel_id)

    @property
    def identify_count(self) -> int:
        return self.gateway.identifies

    @property
    def resume_count(self) -> int:
        return self.gateway.resumes

    def record_message(self, channel: Channel, payload: JSON) -> JSON:
        message = message_json(
            self.world,
            message_id=self._ids.next(),
            channel=channel,
            channel_id=channel.id,
            author=self.world.bot,
            payload=payload,
        )
        self.world.messages[channel.id].append(message)
        self.stats.messages_created += 1
        return message

    def reset_rate_limits(self) -> None:
        self.global_limiter.reset()
        self.route_limiter.reset()

    # -- waiting --------------------------------------------------------------

    async def wait_ready(self, timeout: float = 10) -> None:  # noqa: ASYNC109 - part of the tests' API
        try:
            await asyncio.wait_for(self.gateway.ready.wait(), timeout)
        except TimeoutError:
            raise EmulatorError(f"no client identified within {timeout}s") from None

    async def wait_resumed(self, timeout: float = 10) -> None:  # noqa: ASYNC109 - part of the tests' API
        try:
            await asyncio.wait_for(self.gateway.resumed.wait(), timeout)
        except TimeoutError:
            raise EmulatorError(f"the client did not resume within {timeout}s") from None

    def notify_commands_changed(self) -> None:
        async def notify() -> None:
            async with self._commands_changed:
                self._commands_changed.notify_all()

        asyncio.get_running_loop().create_task(notify())

    async def wait_commands(self, guild_id: int | None = None, timeout: float = 10) -> list[JSON]:  # noqa: ASYNC109 - part of the tests' API
        async def registered() -> list[JSON]:
            async with self._commands_changed:
                await self._commands_changed.wait_for(lambda: guild_id in self.world.commands)
            return self.commands(guild_id)

        try:
            return await asyncio.wait_for(registered(), timeout)
        except TimeoutError:
            raise EmulatorError(f"no commands synced for {guild_id} within {timeout}s") from None

    # -- gateway --------------------------------------------------------------

    def _ready(self, session: Session) -> JSON:
        return {
            "v": 10,
            "user": {**user_json(self.world.bot), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g), "unavailable": True} for g in self.world.guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": self.application_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "_trace": ["discord-emulator"],
        }

    def _guilds(self) -> list[JSON]:
        return [guild_json(self.world, g, full=True) for g in self.world.guilds.values()]

    async def disconnect_gateway(
        self, resumable: bool = True, *, use_reconnect_opcode: bool = False
    ) -> None:
        await self.gateway.disconnect(
            resumable=resumable, use_reconnect_opcode=use_reconnect_opcode
        )

    # -- interactions ---------------------------------------------------------

    def _open(
        self,
        kind: int,
        name: str,
        options: dict[str, Any] | None,
        *,
        focused: str | None,
        user: int,
        guild: int | None,
        channel: int | None,
        locale: str | None,
    ) -> tuple[Pending, JSON]:
        parts = name.split()
        if not parts:
            raise EmulatorError("empty command name")
        command = find_command(self.world, parts[0], guild)
        guild_obj = self.world.guild(guild) if guild is not None else None
        if channel is None:
            if guild_obj is None:
                channel = self.world.dm_channel(user).id
            elif guild_obj.channel_ids:
                channel = guild_obj.channel_ids[0]
            else:
                raise EmulatorError(f"guild {guild} has no channel to invoke in")
        elif self.world.channel(channel).guild_id != guild:
            raise EmulatorError(f"channel {channel} is not in guild {guild}")
        invoker = self.world.user(user)
        opts, resolved = build_options(
            self.world, command, parts[1:], options or {}, focused=focused, guild=guild_obj
        )
        pending = self.interactions.open(self._ids.next(), kind, channel, guild)
        payload = interaction_payload(
            self.world,
            pending=pending,
            application_id=self.application_id,
            command=command,
            options=opts,
            resolved=resolved,
            user_id=user,
            locale=locale or invoker.locale,
        )
        return pending, payload

    async def _deliver(self, pending: Pending, payload: JSON, timeout: float) -> JSON:  # noqa: ASYNC109 - part of the tests' API
        await self.wait_ready(timeout)
        pending.dispatched_at = time.monotonic()
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        try:
            return await asyncio.wait_for(asyncio.shield(pending.callback), timeout)
        except TimeoutError:
            name = payload["data"]["name"]
            raise EmulatorError(f"the bot did not answer /{name} within {timeout}s") from None

    async def invoke(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: int,
        guild: int | None = None,
        channel: int | None = None,
        locale: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the tests' API
    ) -> InteractionResult:
        """Run a slash command ("cmd", "cmd sub" or "cmd group sub") as `user` and return
        the bot's answer; a deferral waits for the followup or the @original edit."""
        started = time.monotonic()
        pending, payload = self._open(
            APPLICATION_COMMAND,
            name,
            options,
            focused=None,
            user=user,
            guild=guild,
            channel=channel,
            locale=locale,
        )
        callback = await self._deliver(pending, payload, timeout)
        if callback.get("type") == DEFERRED_MESSAGE:
            remaining = max(timeout - (time.monotonic() - started), 0.0)
            try:
                await asyncio.wait_for(pending.updated.wait(), remaining)
            except TimeoutError:
                raise EmulatorError(
                    f"/{name} deferred but sent nothing within {timeout}s"
                ) from None
        return result_from(pending, callback)

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any],
        *,
        focused: str,
        user: int,
        guild: int | None = None,
        channel: int | None = None,
        locale: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the tests' API
    ) -> list[JSON]:
        pending, payload = self._open(
            AUTOCOMPLETE,
            name,
            options,
            focused=focused,
            user=user,
            guild=guild,
            channel=channel,
            locale=locale,
        )
        callback = await self._deliver(pending, payload, timeout)
        choices: list[JSON] = (callback.get("data") or {}).get("choices") or []
        return choices
