"""Building INTERACTION_CREATE payloads and tracking the bot's answers to them."""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from . import commands as cmd
from .errors import EmulatorError
from .payloads import channel_json, member_json, role_json, user_json
from .state import JSON, Guild, World

APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE = 2, 3, 4
EPHEMERAL = 1 << 6
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


@dataclass
class InteractionResult:
    response_type: int
    content: str | None
    embeds: list[JSON]
    flags: int
    ephemeral: bool
    allowed_mentions: JSON | None
    followups: list[JSON]
    latency: float
    raw: JSON


@dataclass
class Pending:
    """One dispatched interaction and everything the bot answered to it."""

    id: int
    token: str
    kind: int
    channel_id: int
    guild_id: int | None
    dispatched_at: float
    callback: asyncio.Future[JSON]
    acknowledged: bool = False
    acknowledged_at: float | None = None
    original: JSON | None = None
    message: JSON | None = None  # a component interaction: the message the component is on
    followups: list[JSON] = field(default_factory=list)
    updated: asyncio.Event = field(default_factory=asyncio.Event)


class Interactions:
    def __init__(self) -> None:
        self.by_id: dict[int, Pending] = {}
        self.by_token: dict[str, Pending] = {}

    def open(
        self, interaction_id: int, kind: int, channel_id: int, guild_id: int | None
    ) -> Pending:
        loop = asyncio.get_running_loop()
        pending = Pending(
            id=interaction_id,
            token="aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48),
            kind=kind,
            channel_id=channel_id,
            guild_id=guild_id,
            dispatched_at=time.monotonic(),
            callback=loop.create_future(),
        )
        self.by_id[pending.id] = pending
        self.by_token[pending.token] = pending
        return pending


def find_command(world: World, name: str, guild_id: int | None) -> JSON:
    scopes: list[int | None] = [guild_id, None] if guild_id is not None else [None]
    for scope in scopes:
        for command in world.commands.get(scope, []):
            if command["name"] == name and command["type"] == cmd.CHAT_INPUT:
                return command
    where = f"guild {guild_id}" if guild_id is not None else "global scope"
    raise EmulatorError(f"command {name!r} is not registered in {where} (did the bot sync?)")


def _coerce(
    world: World,
    definition: JSON,
    value: Any,
    resolved: JSON,
    guild: Guild | None,
    invoker: int | None = None,
) -> Any:
    kind = definition["type"]
    name = definition["name"]
    if kind == cmd.STRING:
        return value if isinstance(value, str) else str(value)
    if kind == cmd.INTEGER:
        return int(value)
    if kind == cmd.NUMBER:
        return float(value)
    if kind == cmd.BOOLEAN:
        return bool(value)
    snowflake = int(value)
    if kind == cmd.CHANNEL:
        channel = world.channel(snowflake)
        # Discord resolves a channel option with the invoking member's permissions in it.
        if guild is not None and invoker is not None:
            permissions = world.member_permissions(guild, invoker, channel.id)
        else:
            permissions = world.bot_permissions(channel)
        resolved.setdefault("channels", {})[str(snowflake)] = {
            **channel_json(world, channel),
            "permissions": str(permissions),
        }
    elif kind in (cmd.USER, cmd.MENTIONABLE) and snowflake in world.users:
        resolved.setdefault("users", {})[str(snowflake)] = user_json(world.users[snowflake])
        if guild is not None and snowflake in guild.members:
            data = member_json(
                world, guild.members[snowflake], world.member_permissions(guild, snowflake, None)
            )
            del data["user"]
            resolved.setdefault("members", {})[str(snowflake)] = data
    elif kind in (cmd.ROLE, cmd.MENTIONABLE) and guild is not None and snowflake in guild.roles:
        resolved.setdefault("roles", {})[str(snowflake)] = role_json(guild.roles[snowflake])
    else:
        raise EmulatorError(f"option {name!r}: cannot resolve {value!r}")
    return str(snowflake)


def build_options(
    world: World,
    command: JSON,
    path: list[str],
    values: dict[str, Any],
    *,
    focused: str | None,
    guild: Guild | None,
    invoker: int | None = None,
) -> tuple[list[JSON], JSON]:
    """Nested interaction options for a command path like ["operator", "set-status"]."""
    resolved: JSON = {}
    chain: list[JSON] = []
    definitions: list[JSON] = command.get("options") or []
    for part in path:
        match = next((o for o in definitions if o["name"] == part), None)
        if match is None or match["type"] not in (cmd.SUB_COMMAND, cmd.SUB_COMMAND_GROUP):
            raise EmulatorError(f"{command['name']!r} has no subcommand {part!r}")
        chain.append({"type": match["type"], "name": part})
        definitions = match.get("options") or []
    if any(o["type"] in (cmd.SUB_COMMAND, cmd.SUB_COMMAND_GROUP) for o in definitions):
        raise EmulatorError(f"{command['name']!r} needs a subcommand, got path {path!r}")
    leaf: list[JSON] = []
    by_name = {o["name"]: o for o in definitions}
    for name, value in values.items():
        definition = by_name.get(name)
        if definition is None:
            raise EmulatorError(f"unknown option {name!r}; registered: {sorted(by_name)}")
        option: JSON = {"type": definition["type"], "name": name}
        if name == focused:
            # While typing, Discord sends the partial input as a string.
            option["value"] = str(value)
            option["focused"] = True
        else:
            option["value"] = _coerce(world, definition, value, resolved, guild, invoker)
        leaf.append(option)
    if focused is None:
        missing = [o["name"] for o in definitions if o.get("required") and o["name"] not in values]
        if missing:
            raise EmulatorError(f"missing required options {missing}")
    elif focused not in values:
        raise EmulatorError(f"focused option {focused!r} has no value")
    options = leaf
    for parent in reversed(chain):
        options = [{**parent, "options": options}]
    return options, resolved


def interaction_payload(
    world: World,
    *,
    pending: Pending,
    application_id: int,
    command: JSON,
    options: list[JSON],
    resolved: JSON,
    user_id: int,
    locale: str,
) -> JSON:
    data: JSON = {"id": command["id"], "name": command["name"], "type": cmd.CHAT_INPUT}
    if options:
        data["options"] = options
    if resolved:
        data["resolved"] = resolved
    if "guild_id" in command:
        data["guild_id"] = command["guild_id"]
    return envelope(
        world,
        pending=pending,
        application_id=application_id,
        data=data,
        user_id=user_id,
        locale=locale,
    )


def envelope(
    world: World,
    *,
    pending: Pending,
    application_id: int,
    data: JSON,
    user_id: int,
    locale: str,
) -> JSON:
    """The interaction around its `data`: channel, invoker (member with permissions or user)."""
    channel = world.channels[pending.channel_id]
    payload: JSON = {
        "id": str(pending.id),
        "application_id": str(application_id),
        "type": pending.kind,
        "data": data,
        "channel_id": str(channel.id),
        "channel": channel_json(world, channel),
        "locale": locale,
        "app_permissions": str(world.bot_permissions(channel)),
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        "version": 1,
        "token": pending.token,
    }
    if pending.guild_id is not None:
        guild = world.guilds[pending.guild_id]
        member = guild.members.get(user_id)
        if member is None:
            raise EmulatorError(f"user {user_id} is not a member of guild {guild.id}")
        permissions = world.member_permissions(guild, user_id, channel.id)
        payload.update(
            {
                "guild_id": str(guild.id),
                "guild": {"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
                "guild_locale": guild.preferred_locale,
                "member": member_json(world, member, permissions),
                "authorizing_integration_owners": {"0": str(guild.id)},
                "context": 0,
            }
        )
    else:
        payload.update(
            {
                "user": user_json(world.user(user_id)),
                "authorizing_integration_owners": {"0": str(user_id)},
                "context": 1,
            }
        )
    return payload


def find_component(message: JSON, custom_id: str) -> JSON | None:
    for row in message.get("components") or []:
        for item in row.get("components") or []:
            if item.get("custom_id") == custom_id:
                return dict(item)
    return None


def component_payload(
    world: World,
    *,
    pending: Pending,
    application_id: int,
    message: JSON,
    custom_id: str,
    user_id: int,
    locale: str,
) -> JSON:
    """A button pressed on `message` (MESSAGE_COMPONENT), the message as Discord sends it."""
    data: JSON = {"custom_id": custom_id, "component_type": 2}
    payload = envelope(
        world,
        pending=pending,
        application_id=application_id,
        data=data,
        user_id=user_id,
        locale=locale,
    )
    payload["message"] = {k: v for k, v in message.items() if k != "allowed_mentions"}
    return payload


def result_from(pending: Pending, callback: JSON) -> InteractionResult:
    """The test-facing view of the bot's answer; a deferral is filled from what followed it."""
    response_type = int(callback.get("type", 0))
    data: JSON = callback.get("data") or {}
    source = data
    if response_type == 5:
        source = pending.followups[0] if pending.followups else (pending.original or {})
    flags = int(source.get("flags") or 0) | int(data.get("flags") or 0)
    latency = (pending.acknowledged_at or time.monotonic()) - pending.dispatched_at
    return InteractionResult(
        response_type=response_type,
        content=source.get("content") or None,
        embeds=list(source.get("embeds") or []),
        flags=flags,
        ephemeral=bool(flags & EPHEMERAL),
        allowed_mentions=source.get("allowed_mentions"),
        followups=pending.followups,
        latency=latency,
        raw=callback,
    )
