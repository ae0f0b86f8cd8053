"""From Discord to Discord: members subscribe with /subscribe, an operator runs
/operator set-status for every asset, and each subscriber gets one alert in its own language."""

from __future__ import annotations

from pathlib import Path

from tests.chat.conftest import MANAGE_CHANNELS
from tests.delivery.support import bot_settings, dm_alerts, operated_guild, serving, wait_for
from tests.discord_emulator import DiscordEmulator


async def test_slash_subscriptions_hear_one_operator_action_once(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = operated_guild(emu)
    alerts = emu.add_channel(guild.id, "alerts")
    aiko = emu.add_user("aiko", locale="ja")
    ben = emu.add_user("ben", locale="en-US")
    carol = emu.add_user("carol", locale="en-GB")
    for member in (aiko, ben, carol):
        emu.add_member(guild.id, member)
    emu.set_user_permissions(guild.id, alerts, ben, MANAGE_CHANNELS)
    async with serving(bot_settings(db_path, emu, guild), emu, guild):
        await emu.invoke("subscribe", {}, user=aiko, guild=guild.id, locale="ja")
        await emu.invoke("subscribe", {"asset": "mona"}, user=ben, guild=guild.id, locale="en-US")
        await emu.invoke("subscribe", {"events": "orders"}, user=carol, guild=guild.id)
        await emu.invoke(
            "subscribe",
            {"channel": alerts, "asset": "btc", "events": "status"},
            user=ben,
            guild=guild.id,
            locale="en-US",
        )
        done = await emu.invoke(
            "operator set-status",
            {"asset": "all", "direction": "both", "state": "operational", "reason": "other"},
            user=guild.duty,
            guild=guild.id,
        )
        assert done.content is not None
        await wait_for(
            lambda: bool(dm_alerts(emu, aiko) and dm_alerts(emu, ben) and emu.messages(alerts)),
            5,
            "the alerts",
        )
    [to_aiko] = dm_alerts(emu, aiko)
    assert len(to_aiko["embeds"][0]["fields"]) == 11  # every asset, one message
    assert to_aiko["embeds"][0]["title"] == "入出金状況のお知らせ"
    [to_ben] = dm_alerts(emu, ben)
    assert [f["name"] for f in to_ben["embeds"][0]["fields"]] == ["MONA Monacoin"]
    [in_channel] = emu.messages(alerts)
    # A channel in a Japanese server hears in Japanese, though its manager writes English.
    assert [f["name"] for f in in_channel["embeds"][0]["fields"]] == ["BTC ビットコイン"]
    assert dm_alerts(emu, carol) == []  # orders only
