"""Opt-in role pings: a channel subscription pings one named role (critical alerts by default),
and any member takes or drops that role with the alert's "Notify me" button."""

from __future__ import annotations

from pathlib import Path

from bot.domain import (
    Direction,
    EventFilter,
    Reason,
    Source,
    State,
    StatusRequest,
    Target,
    TargetKind,
)
from bot.services.subscriptions import Mention, MentionWhen
from tests.chat.conftest import MANAGE_CHANNELS
from tests.delivery.support import OperatedGuild, bot_settings, operated_guild, serving, wait_for
from tests.delivery.test_buttons import buttons, custom_id
from tests.discord_emulator import DiscordEmulator

MANAGE_ROLES = 1 << 28


def change(state: State, reason: Reason) -> StatusRequest:
    return StatusRequest(
        (Target("BTC", Direction.WITHDRAWAL, state),), reason, "", "ops:test", Source.CLI
    )


def pinging_guild(
    emu: DiscordEmulator, bot_permissions: int
) -> tuple[OperatedGuild, int, int, int]:
    """A server with #alerts (ben manages it), a mentionable role to ping, and the bot's own
    role above it: (guild, #alerts, the role, #operators)."""
    guild = operated_guild(emu)
    alerts = emu.add_channel(guild.id, "alerts")
    operators = emu.add_channel(guild.id, "operators")
    role = emu.add_role(guild.id, "exchange-alerts", mentionable=True)
    mine = emu.add_role(guild.id, "status-bot", permissions=bot_permissions)
    emu.add_member(guild.id, emu.bot_user_id, roles=[mine])
    return guild, alerts, role, operators


async def test_a_role_is_pinged_on_critical_alerts_only_and_taken_with_notify_me(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild, alerts, role, operators = pinging_guild(emu, MANAGE_ROLES)
    ben = emu.add_user("ben", locale="en-US")
    carol = emu.add_user("carol", locale="ja")
    for user in (ben, carol):
        emu.add_member(guild.id, user)
    emu.set_user_permissions(guild.id, alerts, ben, MANAGE_CHANNELS | (1 << 10) | (1 << 11))
    async with serving(bot_settings(db_path, emu, guild), emu, guild) as app:
        everyone = await emu.invoke(
            "subscribe",
            {"channel": alerts, "mention_role": guild.id},
            user=ben,
            guild=guild.id,
            locale="en-US",
        )
        assert everyone.content == (
            "@everyone cannot be pinged. Choose a role made for these alerts."
        )
        quiet = emu.add_role(guild.id, "quiet-role")  # not mentionable
        unmentionable = await emu.invoke(
            "subscribe",
            {"channel": alerts, "mention_role": quiet},
            user=ben,
            guild=guild.id,
            locale="en-US",
        )
        assert (unmentionable.content or "").startswith(f"The bot cannot mention <@&{quiet}>.")
        made = await emu.invoke(
            "subscribe",
            {"channel": alerts, "mention_role": role},
            user=ben,
            guild=guild.id,
            locale="en-US",
        )
        assert (made.content or "").endswith(f"<@&{role}> will be pinged for critical alerts.")
        shown = await emu.invoke(
            "subscriptions", {"channel": alerts}, user=ben, guild=guild.id, locale="en-US"
        )
        assert f"Role pinged: <@&{role}> (critical alerts)" in str(shown.embeds)

        await app.services.status.change(change(State.MAINTENANCE, Reason.MAINTENANCE))
        await wait_for(lambda: len(emu.messages(alerts)) == 1, 10, "the routine alert")
        routine = emu.messages(alerts)[0]
        assert not routine.get("content")  # pings nobody
        assert routine["allowed_mentions"] == {"parse": []}
        # A Japanese server: the channel's alerts, buttons included, are in Japanese.
        assert "通知を受け取る" in [b["label"] for b in buttons(routine)]

        await app.services.status.change(change(State.SUSPENDED, Reason.SECURITY_INCIDENT))
        await wait_for(lambda: len(emu.messages(alerts)) == 2, 10, "the security halt")
        halt = emu.messages(alerts)[1]
        assert halt["content"] == f"<@&{role}>"
        assert halt["allowed_mentions"] == {"parse": [], "roles": [str(role)]}

        notify = custom_id(halt, "alerts:role:")
        given = await emu.press(halt, notify, user=carol, locale="ja")
        assert given.ephemeral and (given.content or "").startswith(f"<@&{role}> を付けました")
        assert role in emu.member_roles(guild.id, carol)
        taken = await emu.press(halt, notify, user=carol, locale="ja")
        assert (taken.content or "").startswith(f"<@&{role}> を外しました")
        assert role not in emu.member_roles(guild.id, carol)
        assert emu.messages(operators) == []
        assert [x for x in emu.rejections if "/roles/" in x.path] == []


async def test_without_manage_roles_the_press_is_refused_and_the_operators_told(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild, alerts, role, operators = pinging_guild(emu, 0)
    carol = emu.add_user("carol", locale="en-US")
    emu.add_member(guild.id, carol)
    async with serving(bot_settings(db_path, emu, guild), emu, guild) as app:
        await app.services.subscriptions.subscribe(
            TargetKind.CHANNEL,
            str(operators),
            assets=None,
            events=EventFilter.OPERATOR,
            locale="en",
            created_by="test",
        )
        sub = await app.services.subscriptions.subscribe(
            TargetKind.CHANNEL,
            str(alerts),
            assets=None,
            events=EventFilter.ALL,
            locale="en",
            created_by="test",
            guild_id=str(guild.id),
        )
        await app.services.subscriptions.set_mention(sub.id, Mention(str(role), MentionWhen.ALL))
        await app.services.status.change(change(State.MAINTENANCE, Reason.MAINTENANCE))
        await wait_for(lambda: len(emu.messages(alerts)) == 1, 10, "the alert")
        alert = emu.messages(alerts)[0]
        assert alert["content"] == f"<@&{role}>"  # `all`: every alert pings
        refused = await emu.press(alert, custom_id(alert, "alerts:role:"), user=carol)
        assert refused.ephemeral
        assert refused.content == (
            "Sorry, the role cannot be changed right now. The operators have been told."
        )
        assert role not in emu.member_roles(guild.id, carol)

        def told() -> list[str]:
            return [
                m["embeds"][0].get("description", "")
                for m in emu.messages(operators)
                if "Manage Roles" in m["embeds"][0].get("description", "")
            ]

        await wait_for(lambda: len(told()) == 1, 10, "the operators told")
        assert f"<@&{role}>" in told()[0] and f"<#{alerts}>" in told()[0]
