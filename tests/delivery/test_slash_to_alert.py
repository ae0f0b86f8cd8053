"""From Discord to Discord: members subscribe with /subscribe, an operator runs
/operator set-status for every asset, and each subscriber gets one alert in its own language."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from bot.app import Application
from bot.chat.component import DiscordFrontEnd
from bot.settings import DatabaseSettings, DiscordSettings, Settings, WebSettings
from tests.chat.conftest import MANAGE_CHANNELS, wait_for_guild
from tests.delivery.support import wait_for
from tests.discord_emulator import DiscordEmulator


async def test_slash_subscriptions_hear_one_operator_action_once(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = emu.add_guild("Zaif Community", locale="ja")
    operators = emu.add_role(guild, "operators")
    alerts = emu.add_channel(guild, "alerts")
    aiko = emu.add_user("aiko", locale="ja")
    ben = emu.add_user("ben", locale="en-US")
    carol = emu.add_user("carol", locale="en-GB")
    duty = emu.add_user("duty", locale="ja")
    for member in (aiko, ben, carol):
        emu.add_member(guild, member)
    emu.add_member(guild, duty, roles=[operators])
    emu.set_user_permissions(guild, alerts, ben, MANAGE_CHANNELS)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database=DatabaseSettings(path=db_path),
        discord=DiscordSettings(
            token=SecretStr(emu.token),
            api_base=emu.api_base,
            gateway_url=emu.gateway_url,
            guild_ids=[guild],
            operator_role_ids=[operators],
        ),
        web=WebSettings(enabled=False),
    )
    app = await Application.open(settings)
    await app.start()
    try:
        await emu.wait_ready(timeout=10)
        await emu.wait_commands(guild, timeout=10)
        front = next(c for c in app.components if isinstance(c, DiscordFrontEnd))
        await wait_for_guild(front, guild)
        await emu.invoke("subscribe", {}, user=aiko, guild=guild, locale="ja")
        await emu.invoke("subscribe", {"asset": "mona"}, user=ben, guild=guild, locale="en-US")
        await emu.invoke("subscribe", {"events": "orders"}, user=carol, guild=guild)
        await emu.invoke(
            "subscribe",
            {"channel": alerts, "asset": "btc", "events": "status"},
            user=ben,
            guild=guild,
            locale="en-US",
        )
        done = await emu.invoke(
            "operator set-status",
            {"asset": "all", "direction": "both", "state": "operational", "reason": "other"},
            user=duty,
            guild=guild,
        )
        assert done.content is not None
        await wait_for(
            lambda: bool(emu.dm_messages(aiko) and emu.dm_messages(ben) and emu.messages(alerts)),
            5,
            "the alerts",
        )
    finally:
        await app.stop()
    [to_aiko] = emu.dm_messages(aiko)
    assert len(to_aiko["embeds"][0]["fields"]) == 11  # every asset, one message
    assert to_aiko["embeds"][0]["title"] == "入出金状況のお知らせ"
    [to_ben] = emu.dm_messages(ben)
    assert [f["name"] for f in to_ben["embeds"][0]["fields"]] == ["MONA Monacoin"]
    [in_channel] = emu.messages(alerts)
    # A channel in a Japanese server hears in Japanese, though its manager writes English.
    assert [f["name"] for f in in_channel["embeds"][0]["fields"]] == ["BTC ビットコイン"]
    assert emu.dm_messages(carol) == []  # orders only
