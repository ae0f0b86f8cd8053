"""/subscribe by DM queues a welcome that opens the DM channel while the user is there: a burst of
sign-ups on a Discord answering 40003 is paced, never dropped; closed DMs are told at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.domain import TargetKind
from bot.settings import DeliverySettings
from tests.delivery.support import bot_settings, operated_guild, serving, wait_for
from tests.delivery.test_cli import cli
from tests.delivery.test_failures import reopen
from tests.discord_emulator import DiscordEmulator


async def test_sixty_sign_ups_are_all_welcomed_and_the_next_alert_opens_nothing(
    emu: DiscordEmulator, db_path: Path
) -> None:
    emu.dm_open_limit = (10, 5.0)  # Discord: 40003 past 10 new DM channels in 5 s
    guild = operated_guild(emu)
    closed = emu.add_user("closed", locale="en-US", dms_open=False)
    people = [emu.add_user(f"member{i}", locale="ja" if i % 2 else "en-US") for i in range(60)]
    for user in (closed, *people):
        emu.add_member(guild.id, user)
    delivery = DeliverySettings(poll_seconds=0.5, dm_opens_per_minute=600)
    async with serving(bot_settings(db_path, emu, guild, delivery=delivery), emu, guild) as app:
        told = await emu.invoke("subscribe", {}, user=closed, guild=guild.id, locale="en-US")
        assert told.ephemeral
        assert "Allow direct messages from server members" in (told.content or "")
        assert "/subscribe again" in (told.content or "")
        answers = await asyncio.gather(
            *(
                emu.invoke(
                    "subscribe",
                    {"asset": "btc"},
                    user=user,
                    guild=guild.id,
                    locale="ja" if i % 2 else "en-US",
                    timeout=10,
                )
                for i, user in enumerate(people)
            )
        )
        assert all(a.ephemeral and a.content for a in answers)
        await wait_for(
            lambda: all(emu.dm_messages(u) for u in people), 240, "every member welcomed"
        )
        assert emu.stats.dm_too_fast >= 1  # Discord did push back
        for i, user in enumerate(people):
            [welcome] = emu.dm_messages(user)
            embed = welcome["embeds"][0]
            if i % 2:
                assert (
                    embed["title"] == "通知の登録が完了しました" and "BTC" in embed["description"]
                )
            else:
                assert embed["title"] == "You are subscribed" and "BTC" in embed["description"]
            labels = [b["label"] for row in welcome["components"] for b in row["components"]]
            assert labels[0] in ("通知を解除", "Unsubscribe")
            assert welcome["allowed_mentions"] == {"parse": []}
        subs = {s.target: s for s in await app.services.subscriptions.list(TargetKind.DM)}
        assert all(subs[str(u)].active for u in people)  # none disabled
        assert not subs[str(closed)].active and subs[str(closed)].disabled_reason == "dm_closed"
        shown = await emu.invoke("subscriptions", {}, user=closed, guild=guild.id, locale="en-US")
        assert "your DMs are closed" in str(shown.embeds)
        # In a thread: a blocked event loop could hold the service's write transaction open
        # while the CLI waits for it.
        listing = (await asyncio.to_thread(cli, db_path, "subscriptions")).stdout
        [row] = [line for line in listing.splitlines() if str(closed) in line]
        assert "dm_closed" in row

        # The next alert: one request per message, no DM channel opened.
        opens = emu.stats.dm_open_requests
        requests = emu.stats.requests - emu.stats.logins
        await app.services.status.change(reopen("BTC"))
        await wait_for(lambda: all(len(emu.dm_messages(u)) == 2 for u in people), 30, "the alert")
        assert emu.stats.dm_open_requests == opens
        spent = emu.stats.requests - emu.stats.logins - requests
        assert spent / len(people) <= 1.15, spent
        assert emu.dm_messages(closed) == []
