"""/alerts through discord.py: quiet hours, a digest and back, for a DM and for a channel that
only its managers may set; a channel's alerts default to its server's language."""

from __future__ import annotations

from bot.domain import AlertMode, TargetKind
from tests.chat.conftest import MANAGE_CHANNELS, Chat

MEMBER = (1 << 10) | (1 << 11) | (1 << 31)


async def test_a_dm_subscriber_sets_quiet_hours_a_digest_and_goes_back(chat: Chat) -> None:
    emu, guild, aiko = chat.emu, chat.guild, chat.aiko
    none = await emu.invoke("alerts show", {}, user=aiko, guild=guild)
    assert (
        none.ephemeral
        and none.content == "ここには通知の登録がありません。先に /subscribe で登録してください。"
    )
    await emu.invoke("subscribe", {}, user=aiko, guild=guild)
    quiet = await emu.invoke(
        "alerts quiet", {"from": "23:00", "until": "7:00"}, user=aiko, guild=guild
    )
    assert quiet.ephemeral and quiet.content is not None
    assert quiet.content.startswith("設定しました。おやすみ時間 23:00 〜 07:00")
    assert "すぐにお知らせします" in quiet.content  # critical alerts still come at once
    shown = await emu.invoke("alerts show", {}, user=aiko, guild=guild, locale="en-US")
    assert shown.content is not None
    assert shown.content.startswith("Your DMs: Quiet hours 23:00 to 07:00 (JST)")
    bad = await emu.invoke("alerts digest", {"at": "25:00"}, user=aiko, guild=guild)
    assert (
        bad.content
        == "「25:00」は時刻として読めません。HH:MM(日本時間、例: 23:00)で入力してください。"
    )
    await emu.invoke("alerts digest", {"at": "8:30"}, user=aiko, guild=guild)
    sub = await chat.front.bot.context.services.subscriptions.find(TargetKind.DM, str(aiko))
    assert sub is not None and sub.mode is AlertMode.DIGEST and sub.digest_at == "08:30"
    back = await emu.invoke("alerts instant", {}, user=aiko, guild=guild, locale="en-US")
    assert back.content == "Done. At once (no quiet hours, no digest)"


async def test_a_channels_mode_is_for_its_managers_and_its_language_the_servers(
    chat: Chat,
) -> None:
    emu, guild, ben, aiko = chat.emu, chat.guild, chat.ben, chat.aiko
    emu.set_user_permissions(guild, chat.alerts, ben, MANAGE_CHANNELS | MEMBER)
    emu.set_user_permissions(guild, chat.channel, ben, MANAGE_CHANNELS | MEMBER)
    # An English-speaking manager in a Japanese server: the channel's alerts are Japanese...
    await emu.invoke("subscribe", {"channel": chat.alerts}, user=ben, guild=guild)
    # ...unless asked for in English.
    await emu.invoke(
        "subscribe", {"channel": chat.channel, "language": "en"}, user=ben, guild=guild
    )
    services = chat.front.bot.context.services
    in_alerts = await services.subscriptions.find(TargetKind.CHANNEL, str(chat.alerts))
    in_general = await services.subscriptions.find(TargetKind.CHANNEL, str(chat.channel))
    assert in_alerts is not None and in_alerts.locale == "ja"
    assert in_general is not None and in_general.locale == "en"
    done = await emu.invoke(
        "alerts digest", {"at": "09:00", "channel": chat.alerts}, user=ben, guild=guild
    )
    assert done.content is not None and done.content.startswith("Done. One summary a day at 09:00")
    refused = await emu.invoke("alerts show", {"channel": chat.alerts}, user=aiko, guild=guild)
    assert refused.ephemeral and refused.content is not None
    assert "チャンネルの管理" in refused.content
    refused = await emu.invoke("subscriptions", {"channel": chat.alerts}, user=aiko, guild=guild)
    assert refused.ephemeral and refused.content is not None
    assert "チャンネルの管理" in refused.content
    allowed = await emu.invoke("subscriptions", {"channel": chat.alerts}, user=ben, guild=guild)
    assert allowed.embeds
