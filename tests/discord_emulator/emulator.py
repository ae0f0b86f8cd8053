"""DiscordEmulator: the object tests drive. All state is server-side, so the bot under
test may run in this process or in a subprocess pointed at api_base / gateway_url."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from aiohttp import web

from .errors import EmulatorError
from .faults import Faults, OpenWindow, Stats
from .gateway import Gateway, Session
from .interactions import Interactions
from .invoke import InvokeMixin
from .payloads import channel_json, guild_json, member_json, message_json, role_json, user_json
from .ratelimit import GlobalLimiter, RouteLimiter
from .server import Rejection, RestApi, build_middleware
from .state import (
    CROSSPOSTED,
    DEFAULT_EVERYONE_PERMISSIONS,
    GUILD_ANNOUNCEMENT,
    GUILD_TEXT,
    JSON,
    Channel,
    Member,
    Role,
    SnowflakeFactory,
    User,
    World,
)
from .webhooks import WebhookApi

# GATEWAY_GUILD_MEMBERS_LIMITED | GATEWAY_MESSAGE_CONTENT_LIMITED: an unverified bot with
# the members and message-content intents switched on, as the status bot is configured.
APPLICATION_FLAGS = (1 << 15) | (1 << 19)


class DiscordEmulator(InvokeMixin):
    def __init__(self, token: str = "test-token", *, bot_name: str = "status-bot") -> None:
        self.token = token
        self._ids = SnowflakeFactory()
        self.application_id = self._ids.next()
        # Discord bots share their application's id.
        self.bot_user_id = self.application_id
        self.application_flags = APPLICATION_FLAGS
        self.world = World(self._ids, User(self.bot_user_id, bot_name, bot=True))
        self.stats = Stats()
        self.rejections: list[Rejection] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self.faults = Faults()
        self.global_limit_per_second: int | None = 50
        self.channel_message_limit: tuple[int, float] = (5, 5.0)
        # Past this many new DM channels in so many seconds, opening one is answered 403 40003.
        self.dm_open_limit: tuple[int, float] | None = None
        self.dm_open_window = OpenWindow()
        # Flagged by the anti-spam system: no new DM channel with anyone never messaged (20026).
        self.quarantined = False
        # Publishing (crossposting) in an announcement channel: this many per rolling window.
        self.crosspost_limit: tuple[int, float] = (10, 3600.0)
        self.crosspost_windows: dict[int, OpenWindow] = {}
        # Discord invalidates an interaction not acknowledged within 3 s.
        self.interaction_ack_deadline: float | None = 3.0
        self.global_limiter = GlobalLimiter()
        self.route_limiter = RouteLimiter()
        self.interactions = Interactions()
        self.gateway = Gateway(
            token=token,
            ready_payload=self._ready,
            guild_payloads=self._guilds,
            members_chunk=self._members_chunk,
        )
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
        self._port = int(self._runner.addresses[0][1])

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
        self._announce("GUILD_CREATE", lambda: guild_json(self.world, guild, full=True))
        return guild.id

    def add_user(self, name: str, *, locale: str = "en-US", dms_open: bool = True) -> int:
        user = User(self._ids.next(), name, locale=locale, dms_open=dms_open)
        self.world.users[user.id] = user
        return user.id

    def set_dms_open(self, user_id: int, dms_open: bool) -> None:
        self.world.user(user_id).dms_open = dms_open

    def add_role(
        self, guild_id: int, name: str, *, permissions: int = 0, mentionable: bool = False
    ) -> int:
        """A role above every role made before it (Discord's position order)."""
        guild = self.world.guild(guild_id)
        role_id = self._ids.next()
        role = guild.roles[role_id] = Role(
            role_id, name, permissions, len(guild.roles), mentionable
        )
        self._announce(
            "GUILD_ROLE_CREATE", lambda: {"guild_id": str(guild_id), "role": role_json(role)}
        )
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
        member = guild.members[user_id] = Member(user_id, list(roles or []), permissions)
        self._announce(
            "GUILD_MEMBER_ADD",
            lambda: {**member_json(self.world, member), "guild_id": str(guild_id)},
        )

    def member_roles(self, guild_id: int, user_id: int) -> list[int]:
        return list(self.world.guild(guild_id).members[user_id].roles)

    def add_channel(
        self, guild_id: int, name: str, *, bot_can_send: bool = True, announcement: bool = False
    ) -> int:
        kind = GUILD_ANNOUNCEMENT if announcement else GUILD_TEXT
        channel = self.world.add_channel(self.world.guild(guild_id), name, bot_can_send, kind)
        self._announce("CHANNEL_CREATE", lambda: channel_json(self.world, channel))
        return channel.id

    def set_channel_type(self, channel_id: int, *, announcement: bool) -> None:
        """A server's admin converts a text channel to an announcement channel, or back."""
        channel = self.world.channel(channel_id)
        channel.type = GUILD_ANNOUNCEMENT if announcement else GUILD_TEXT
        self._announce("CHANNEL_UPDATE", lambda: channel_json(self.world, channel))

    def set_user_permissions(
        self, guild_id: int, channel_id: int, user_id: int, permissions: int
    ) -> None:
        channel = self.world.channel(channel_id)
        if channel.guild_id != guild_id:
            raise EmulatorError(f"channel {channel_id} is not in guild {guild_id}")
        channel.user_permissions[user_id] = permissions

    def _announce(self, event: str, payload: Callable[[], JSON]) -> None:
        """Tell a connected client about a world change made after it identified."""
        if self.gateway.current is None:
            return
        data = payload()
        task = asyncio.get_running_loop().create_task(self.gateway.dispatch(event, data))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

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
        self.stats.created_at.append(time.monotonic())
        return message

    def published(self, channel_id: int) -> list[JSON]:
        """The channel's messages that were published to following servers."""
        return [m for m in self.messages(channel_id) if m.get("flags", 0) & CROSSPOSTED]

    def forget_crossposts(self) -> None:
        """As if the rolling hour had passed: every channel may publish 10 again."""
        self.crosspost_windows.clear()

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

    def _members_chunk(self, request: JSON) -> JSON | None:
        """Answer to REQUEST_GUILD_MEMBERS (guild.chunk()): every member in one chunk."""
        guild = self.world.guilds.get(int(request.get("guild_id") or 0))
        if guild is None:
            return None
        members = [member_json(self.world, m) for m in guild.members.values()]
        wanted = request.get("user_ids")
        if wanted:
            members = [m for m in members if m["user"]["id"] in {str(u) for u in wanted}]
        chunk: JSON = {
            "guild_id": str(guild.id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if request.get("nonce") is not None:
            chunk["nonce"] = request["nonce"]
        return chunk

    def _guilds(self) -> list[JSON]:
        return [guild_json(self.world, g, full=True) for g in self.world.guilds.values()]

    async def disconnect_gateway(
        self, resumable: bool = True, *, use_reconnect_opcode: bool = False
    ) -> None:
        await self.gateway.disconnect(
            resumable=resumable, use_reconnect_opcode=use_reconnect_opcode
        )
