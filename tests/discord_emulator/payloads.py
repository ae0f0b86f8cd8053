"""JSON shapes of Discord objects, built from the emulator's world."""

from __future__ import annotations

from typing import Any

from .state import DM, JSON, Channel, Guild, Member, Role, User, World, iso_now


def user_json(user: User) -> JSON:
    return {
        "id": str(user.id),
        "username": user.username,
        "discriminator": "0",
        "global_name": None if user.bot else user.username,
        "avatar": None,
        "bot": user.bot,
        "system": False,
        "public_flags": 0,
        "flags": 0,
        "locale": user.locale,
    }


def role_json(role: Role) -> JSON:
    return {
        "id": str(role.id),
        "name": role.name,
        "permissions": str(role.permissions),
        "position": role.position,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": False,
        "mentionable": role.mentionable,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }


def member_json(world: World, member: Member, permissions: int | None = None) -> JSON:
    data: JSON = {
        "user": user_json(world.users[member.user_id]),
        "nick": None,
        "avatar": None,
        "banner": None,
        "roles": [str(r) for r in member.roles],
        "joined_at": member.joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def channel_json(world: World, channel: Channel) -> JSON:
    if channel.type == DM:
        assert channel.recipient_id is not None
        return {
            "id": str(channel.id),
            "type": DM,
            "last_message_id": _last_message_id(world, channel.id),
            "recipients": [user_json(world.users[channel.recipient_id])],
            "flags": 0,
        }
    overwrites: list[JSON] = []
    if not channel.bot_can_send:
        # The bot is denied view+send here, so discord.py's permissions_for agrees with REST.
        overwrites.append(
            {"id": str(world.bot.id), "type": 1, "allow": "0", "deny": str((1 << 10) | (1 << 11))}
        )
    return {
        "id": str(channel.id),
        "type": channel.type,
        "guild_id": str(channel.guild_id),
        "name": channel.name,
        "position": channel.position,
        "permission_overwrites": overwrites,
        "parent_id": None,
        "topic": None,
        "nsfw": False,
        "rate_limit_per_user": 0,
        "last_message_id": _last_message_id(world, channel.id),
        "flags": 0,
    }


def _last_message_id(world: World, channel_id: int) -> str | None:
    messages = world.messages.get(channel_id) or []
    return messages[-1]["id"] if messages else None


def guild_json(world: World, guild: Guild, *, full: bool) -> JSON:
    data: JSON = {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(guild.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": guild.preferred_locale,
        "features": [],
        "roles": [role_json(r) for r in guild.roles.values()],
        "emojis": [],
        "stickers": [],
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "max_members": 500000,
        "vanity_url_code": None,
    }
    if full:
        # member_count must equal the members sent, or discord.py waits for member chunks.
        data.update(
            {
                "unavailable": False,
                "large": False,
                "joined_at": guild.members[world.bot.id].joined_at,
                "member_count": len(guild.members),
                "members": [member_json(world, m) for m in guild.members.values()],
                "channels": [channel_json(world, world.channels[c]) for c in guild.channel_ids],
                "threads": [],
                "voice_states": [],
                "presences": [],
                "stage_instances": [],
                "guild_scheduled_events": [],
                "soundboard_sounds": [],
            }
        )
    return data


def message_json(
    world: World,
    *,
    message_id: int,
    channel: Channel | None,
    channel_id: int,
    author: User,
    payload: JSON,
    flags: int = 0,
    webhook_id: int | None = None,
    application_id: int | None = None,
    message_type: int = 0,
) -> JSON:
    embeds: list[Any] = payload.get("embeds") or []
    data: JSON = {
        "id": str(message_id),
        "type": message_type,
        "channel_id": str(channel_id),
        "author": user_json(author),
        "content": payload.get("content") or "",
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": bool(payload.get("tts", False)),
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [{"type": "rich", **e} for e in embeds],
        "components": payload.get("components") or [],
        "pinned": False,
        "flags": flags | int(payload.get("flags") or 0),
    }
    if channel is not None and channel.guild_id is not None:
        data["guild_id"] = str(channel.guild_id)
    if payload.get("nonce") is not None:
        data["nonce"] = payload["nonce"]
    if payload.get("allowed_mentions") is not None:
        # Not part of Discord's message object; kept so tests can assert what the bot asked for.
        data["allowed_mentions"] = payload["allowed_mentions"]
    if webhook_id is not None:
        data["webhook_id"] = str(webhook_id)
    if application_id is not None:
        data["application_id"] = str(application_id)
    return data


LOADING = 1 << 7


def edit(message: JSON, payload: JSON) -> None:
    """Apply a message edit (the fields it names) to the stored message."""
    for key in ("content", "embeds", "components", "allowed_mentions"):
        if key in payload:
            message[key] = (
                payload[key] if payload[key] is not None else ([] if key != "content" else "")
            )
    message["flags"] = int(message.get("flags") or 0) & ~LOADING
    message["edited_timestamp"] = iso_now()
