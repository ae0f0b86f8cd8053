"""Server-side world of the emulator: users, guilds, channels, messages, commands.

Everything the bot can observe lives here so a bot running in another process
sees exactly what an in-process test sees.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .errors import EmulatorError

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits used to answer "what may this member / the bot do here".
ADMINISTRATOR = 1 << 3
MANAGE_ROLES = 1 << 28
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
ALL_PERMISSIONS = (1 << 51) - 1
DEFAULT_EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
)

GUILD_TEXT = 0
DM = 1
GUILD_ANNOUNCEMENT = 5  # followed by other servers; a bot's message there can be published
CROSSPOSTED = 1 << 0  # a message's flag once published


class SnowflakeFactory:
    """Monotonic snowflakes with a real timestamp part, as discord.py derives dates from them."""

    def __init__(self) -> None:
        self._counter = itertools.count()
        self._last = 0

    def next(self) -> int:
        now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        value = (now_ms << 22) | (next(self._counter) & 0xFFF)
        # Never hand out the same or a smaller id, even within one millisecond.
        self._last = max(value, self._last + 1)
        return self._last


def iso_now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class User:
    id: int
    username: str
    locale: str = "en-US"
    dms_open: bool = True
    bot: bool = False


@dataclass
class Role:
    id: int
    name: str
    permissions: int
    position: int
    mentionable: bool = False


@dataclass
class Member:
    user_id: int
    roles: list[int]
    permissions: int | None
    joined_at: str = field(default_factory=iso_now)


@dataclass
class Channel:
    id: int
    type: int
    name: str | None
    guild_id: int | None = None
    bot_can_send: bool = True
    recipient_id: int | None = None
    position: int = 0
    # Channel-level permission value per user id, reported in interactions.
    user_permissions: dict[int, int] = field(default_factory=dict)


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    preferred_locale: str = "en-US"
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    channel_ids: list[int] = field(default_factory=list)


@dataclass
class SentNonce:
    message: JSON
    at: float


class World:
    """All entities, keyed by snowflake."""

    NONCE_TTL = 180.0

    def __init__(self, snowflakes: SnowflakeFactory, bot: User) -> None:
        self.ids = snowflakes
        self.bot = bot
        self.users: dict[int, User] = {bot.id: bot}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, list[JSON]] = {}
        self.dm_channel_by_user: dict[int, int] = {}
        # Registered application commands: None is the global scope.
        self.commands: dict[int | None, list[JSON]] = {}
        self.nonces: dict[tuple[int, int, str], SentNonce] = {}

    # -- building the world -------------------------------------------------

    def add_guild(self, name: str, everyone_permissions: int) -> Guild:
        # Someone else owns the guild, not the bot: an owner bypasses every channel overwrite,
        # and discord.py's permissions_for would then disagree with what REST allows the bot.
        owner_id = self.ids.next()
        guild = Guild(id=self.ids.next(), name=name, owner_id=owner_id)
        # The @everyone role shares the guild's id, as on Discord.
        guild.roles[guild.id] = Role(guild.id, "@everyone", everyone_permissions, 0)
        guild.members[self.bot.id] = Member(self.bot.id, [], None)
        self.guilds[guild.id] = guild
        return guild

    def guild(self, guild_id: int) -> Guild:
        try:
            return self.guilds[guild_id]
        except KeyError:
            raise EmulatorError(f"unknown guild {guild_id}") from None

    def user(self, user_id: int) -> User:
        try:
            return self.users[user_id]
        except KeyError:
            raise EmulatorError(f"unknown user {user_id}") from None

    def channel(self, channel_id: int) -> Channel:
        try:
            return self.channels[channel_id]
        except KeyError:
            raise EmulatorError(f"unknown channel {channel_id}") from None

    def add_channel(
        self, guild: Guild, name: str, bot_can_send: bool, kind: int = GUILD_TEXT
    ) -> Channel:
        channel = Channel(
            id=self.ids.next(),
            type=kind,
            name=name,
            guild_id=guild.id,
            bot_can_send=bot_can_send,
            position=len(guild.channel_ids),
        )
        guild.channel_ids.append(channel.id)
        self.channels[channel.id] = channel
        self.messages[channel.id] = []
        return channel

    def dm_channel(self, user_id: int) -> Channel:
        """The one DM channel with a user; created on first use, then reused."""
        existing = self.dm_channel_by_user.get(user_id)
        if existing is not None:
            return self.channels[existing]
        channel = Channel(id=self.ids.next(), type=DM, name=None, recipient_id=user_id)
        self.channels[channel.id] = channel
        self.messages[channel.id] = []
        self.dm_channel_by_user[user_id] = channel.id
        return channel

    def message(self, channel_id: int, message_id: int) -> JSON | None:
        for message in self.messages.get(channel_id, []):
            if message["id"] == str(message_id):
                return message
        return None

    # -- permissions ----------------------------------------------------------

    def member_permissions(self, guild: Guild, user_id: int, channel_id: int | None) -> int:
        if channel_id is not None:
            override = self.channels[channel_id].user_permissions.get(user_id)
            if override is not None:
                return override
        member = guild.members.get(user_id)
        if member is None:
            return 0
        if member.permissions is not None:
            return member.permissions
        value = guild.roles[guild.id].permissions
        for role_id in member.roles:
            role = guild.roles.get(role_id)
            if role is not None:
                value |= role.permissions
        if value & ADMINISTRATOR:
            return ALL_PERMISSIONS
        return value

    def bot_permissions(self, channel: Channel) -> int:
        if channel.guild_id is None:
            return VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
        value = self.guilds[channel.guild_id].roles[channel.guild_id].permissions
        if not channel.bot_can_send:
            value &= ~(VIEW_CHANNEL | SEND_MESSAGES)
        return value

    def top_position(self, guild: Guild, user_id: int) -> int:
        """The highest of a member's roles (0: only @everyone)."""
        member = guild.members.get(user_id)
        roles = [guild.roles[r] for r in member.roles if r in guild.roles] if member else []
        return max((role.position for role in roles), default=0)

    # -- nonces ---------------------------------------------------------------

    def recall_nonce(self, channel_id: int, author_id: int, nonce: str) -> JSON | None:
        now = time.monotonic()
        # Nonces are remembered in time order: drop the expired ones from the front only, so
        # that a fan-out of thousands of messages does not rescan every nonce each time.
        while self.nonces:
            oldest = next(iter(self.nonces))
            if now - self.nonces[oldest].at <= self.NONCE_TTL:
                break
            del self.nonces[oldest]
        sent = self.nonces.get((channel_id, author_id, nonce))
        return None if sent is None else sent.message

    def remember_nonce(self, channel_id: int, author_id: int, nonce: str, message: JSON) -> None:
        self.nonces[(channel_id, author_id, nonce)] = SentNonce(message, time.monotonic())
