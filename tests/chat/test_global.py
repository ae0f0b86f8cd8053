"""With no guild configured the commands are synced globally and work in DMs too."""

from __future__ import annotations

import asyncio

from bot.chat.component import DiscordFrontEnd
from bot.domain import TargetKind
from bot.metrics import Metrics
from bot.settings import Settings
from bot.store import Database
from tests.chat.conftest import chat_settings, services_for
from tests.discord_emulator import DiscordEmulator


async def test_global_commands_in_a_dm(
    emu: DiscordEmulator, db: Database, settings: Settings
) -> None:
    user = emu.add_user("kenji", locale="ja")
    front = DiscordFrontEnd(chat_settings(settings, emu), services_for(db), Metrics())
    await front.start()
    try:
        synced = await emu.wait_commands(None, timeout=10)
        await asyncio.wait_for(front.wait_ready(), 10)
        assert len(synced) == 11
        status = await emu.invoke("status", {"asset": "xcp"}, user=user)
        assert status.embeds[0]["title"] == "XCP カウンターパーティ の入出金状況"
        subscribed = await emu.invoke("subscribe", {"asset": "zaif"}, user=user)
        # No dispatcher runs here: the welcome DM is still queued when the reply goes.
        assert subscribed.content == (
            "ZAIF のすべてのお知らせを DM でお知らせします。\n"
            "登録しました。DM へのご案内はまもなく届きます。"
        )
        sub = await db.repos.subscriptions.find(TargetKind.DM, str(user))
        assert sub is not None and sub.guild_id is None and sub.assets == frozenset({"ZAIF"})
        quiet = await emu.invoke("alerts quiet", {"from": "22:00", "until": "06:30"}, user=user)
        assert quiet.content is not None and quiet.content.startswith("設定しました。")
        operator = await emu.invoke(
            "operator set-status",
            {"asset": "btc", "direction": "both", "state": "operational", "reason": "other"},
            user=user,
        )
        assert operator.ephemeral
        assert operator.content == "このコマンドはサーバー内でのみ使えます。"
    finally:
        await front.stop()
