"""The buttons under alerts, pressed through real discord.py: Unsubscribe and Mute in a DM and
in a channel, by a manager and by a member who may not, and again after a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.app import Application
from bot.chat.component import DiscordFrontEnd
from bot.domain import (
    Direction,
    Reason,
    Source,
    State,
    StatusRequest,
    Target,
    TargetKind,
)
from bot.settings import (
    DatabaseSettings,
    DeliverySettings,
    DiscordSettings,
    Settings,
    WebSettings,
)
from tests.chat.conftest import MANAGE_CHANNELS, wait_for_guild
from tests.delivery.support import DM_OPENS, dm_alerts, eventually, wait_for
from tests.discord_emulator import DiscordEmulator

PAGE = "https://status.example.jp/"
MEMBER = (1 << 10) | (1 << 11) | (1 << 31)  # view, send, use commands: no Manage Channels


def settings_for(emu: DiscordEmulator, db_path: Path, guild: int) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database=DatabaseSettings(path=db_path),
        discord=DiscordSettings(
            token=SecretStr(emu.token),
            api_base=emu.api_base,
            gateway_url=emu.gateway_url,
            guild_ids=[guild],
        ),
        web=WebSettings(enabled=False, public_url=PAGE),
        delivery=DeliverySettings(dm_opens_per_minute=DM_OPENS),
    )


async def started(settings: Settings, emu: DiscordEmulator, guild: int) -> Application:
    app = await Application.open(settings)
    await app.start()
    await emu.wait_ready(timeout=10)
    await emu.wait_commands(guild, timeout=10)
    front = next(c for c in app.components if isinstance(c, DiscordFrontEnd))
    await wait_for_guild(front, guild)
    return app


def change(asset: str, state: State = State.DELAYED) -> StatusRequest:
    return StatusRequest(
        (Target(asset, Direction.WITHDRAWAL, state),), Reason.MAINTENANCE, "", "ops", Source.CLI
    )


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in message["components"] for b in row["components"]]


def custom_id(message: dict[str, Any], prefix: str) -> str:
    return str(
        next(b["custom_id"] for b in buttons(message) if b.get("custom_id", "").startswith(prefix))
    )


async def test_unsubscribe_and_mute_in_a_dm_and_a_channel_before_and_after_a_restart(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = emu.add_guild("Zaif Community", locale="ja")
    alerts = emu.add_channel(guild, "alerts")
    english = emu.add_channel(guild, "alerts-en")
    aiko = emu.add_user("aiko", locale="ja")
    dan = emu.add_user("dan", locale="en-US")
    ben = emu.add_user("ben", locale="en-US")  # manages #alerts, writes English
    carol = emu.add_user("carol", locale="en-GB")  # a member who may not manage it
    for user in (aiko, dan, ben, carol):
        emu.add_member(guild, user)
    emu.set_user_permissions(guild, alerts, ben, MANAGE_CHANNELS | MEMBER)
    emu.set_user_permissions(guild, alerts, carol, MEMBER)
    emu.set_user_permissions(guild, english, ben, MANAGE_CHANNELS | MEMBER)
    settings = settings_for(emu, db_path, guild)
    app = await started(settings, emu, guild)
    try:
        await emu.invoke("subscribe", {"asset": "btc"}, user=aiko, guild=guild)
        await emu.invoke("subscribe", {}, user=dan, guild=guild)
        made = await emu.invoke(
            "subscribe", {"channel": alerts, "events": "status"}, user=ben, guild=guild
        )
        assert made.ephemeral
        await emu.invoke(
            "subscribe",
            {"channel": english, "asset": "btc", "language": "en"},
            user=ben,
            guild=guild,
        )
        refused = await emu.invoke("subscriptions", {"channel": alerts}, user=carol, guild=guild)
        assert refused.ephemeral and "Manage Channels" in (refused.content or "")
        await app.services.status.change(change("BTC"))

        async def all_sent() -> bool:
            return "pending" not in await app.db.repos.outbox.states()

        # Sent before the next change: an alert still waiting would be merged into it.
        await eventually(all_sent, 5, "the first alert")
        await app.services.status.change(change("BTC", State.OPERATIONAL))
        await wait_for(
            lambda: len(dm_alerts(emu, aiko)) == 2 and len(emu.messages(alerts)) == 2,
            5,
            "the alerts",
        )
        first, second = dm_alerts(emu, aiko)
        # Button texts in the subscription's language; a link to the page; Mute for one asset.
        assert [b["label"] for b in buttons(second)] == [
            "通知を解除",
            "BTC の通知を止める",
            "ステータスページ",
        ]
        assert buttons(second)[2]["url"] == PAGE
        in_channel = emu.messages(alerts)[0]
        # A Japanese server: the channel's alerts are Japanese, though its manager writes English.
        assert in_channel["embeds"][0]["title"] == "入出金状況のお知らせ"
        await wait_for(lambda: len(emu.messages(english)) == 2, 5, "the English alerts")
        in_english = emu.messages(english)[0]
        assert in_english["embeds"][0]["title"] == "Deposit/withdrawal status update"
        assert [b["label"] for b in buttons(in_english)][:2] == ["Unsubscribe", "Mute BTC"]

        # A DM: Unsubscribe, answered in the presser's language; the buttons are shown as used.
        pressed = await emu.press(
            second, custom_id(second, "alerts:unsubscribe"), user=aiko, followups=1
        )
        assert pressed.response_type == 7
        assert pressed.followups[0]["content"].startswith("通知を解除しました")
        assert pressed.followups[0]["flags"] & 64
        stored = dm_alerts(emu, aiko)[1]
        assert all(b.get("disabled") for b in buttons(stored) if "url" not in b)
        assert await app.services.subscriptions.find(TargetKind.DM, str(aiko)) is None
        # The older alert's buttons: its subscription is gone, and nothing changes.
        gone = await emu.press(first, custom_id(first, "alerts:mute"), user=aiko)
        assert gone.ephemeral and "すでに解除" in (gone.content or "")
        assert dm_alerts(emu, aiko)[0]["components"] == first["components"]

        # A channel: a member without Manage Channels is refused, politely and privately.
        mute = custom_id(in_channel, "alerts:mute")
        no = await emu.press(in_channel, mute, user=carol)
        assert no.response_type == 4 and no.ephemeral
        assert no.content == "Only members who can manage this channel may use these buttons."
        sub = await app.services.subscriptions.find(TargetKind.CHANNEL, str(alerts))
        assert sub is not None and sub.all_assets
        # Its manager mutes BTC: every other asset stays.
        yes = await emu.press(in_channel, mute, user=ben, followups=1)
        assert yes.followups[0]["content"].startswith("BTC muted. Still alerting for: ")
        sub = await app.services.subscriptions.find(TargetKind.CHANNEL, str(alerts))
        assert sub is not None and "BTC" not in sub.assets and "MONA" in sub.assets
        await app.services.status.change(change("MONA"))
        await wait_for(
            lambda: len(dm_alerts(emu, dan)) == 3 and len(emu.messages(alerts)) == 3,
            5,
            "the MONA alert",
        )
    finally:
        await app.stop()

    # After a restart, the buttons on messages sent before it still answer.
    app = await started(settings, emu, guild)
    try:
        mona = emu.messages(alerts)[2]
        unsubscribe = custom_id(mona, "alerts:unsubscribe")
        no = await emu.press(mona, unsubscribe, user=carol)
        assert no.ephemeral and "manage this channel" in (no.content or "")
        yes = await emu.press(mona, unsubscribe, user=ben, followups=1)
        assert yes.followups[0]["content"] == "Unsubscribed: these alerts will no longer be sent."
        assert await app.services.subscriptions.find(TargetKind.CHANNEL, str(alerts)) is None
        to_dan = dm_alerts(emu, dan)[0]  # the first BTC alert, sent before the restart
        muted = await emu.press(to_dan, custom_id(to_dan, "alerts:mute"), user=dan, followups=1)
        assert muted.followups[0]["content"].startswith("BTC muted.")
        left = await app.services.subscriptions.find(TargetKind.DM, str(dan))
        assert left is not None and "BTC" not in left.assets
    finally:
        await app.stop()
