"""Announcement channels: alerts posted there are published to following servers, at most 10 a
rolling hour per channel (counted in the database), critical ones first; the next published
alert says how many were not."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from pathlib import Path

from bot.app import Application
from bot.domain import Direction, Reason, Source, State, StatusRequest, Target, TargetKind
from tests.delivery.support import service_settings, subscribe_many, wait_for
from tests.discord_emulator import DiscordEmulator


def posted(emu: DiscordEmulator, channel: int, count: int) -> bool:
    return len(emu.messages(channel)) == count


def an_hour_earlier(db_path: Path) -> None:
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE publishes SET published_at = published_at - 3600")


def change(asset: str, state: State, reason: Reason = Reason.MAINTENANCE) -> StatusRequest:
    return StatusRequest(
        (Target(asset, Direction.WITHDRAWAL, state),), reason, "", "ops:test", Source.CLI
    )


async def test_twelve_alerts_in_an_hour_publish_ten_at_most_and_the_count_survives_a_restart(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = emu.add_guild("Zaif Community", locale="ja")
    news = emu.add_channel(guild, "exchange-status", announcement=True)
    plain = emu.add_channel(guild, "alerts")
    settings = service_settings(db_path, emu)
    app = await Application.open(settings)
    await subscribe_many(
        app.db,
        [
            (TargetKind.CHANNEL, str(news), {"guild_id": str(guild)}),
            (TargetKind.CHANNEL, str(plain), {"guild_id": str(guild)}),
        ],
    )
    await app.start()
    try:
        # Twelve routine alerts: the last two publishes of the hour are kept for critical ones,
        # so eight are published; every one is posted.
        for i in range(12):
            state = (State.OPERATIONAL, State.MAINTENANCE)[i % 2]
            await app.services.status.change(change("BTC", state))
            await wait_for(functools.partial(posted, emu, news, i + 1), 20, f"alert {i + 1}")
        await wait_for(lambda: emu.stats.crossposts == 8, 10, "eight publishes")
        # A critical alert still gets published: the reserve is for it.
        await app.services.status.change(change("BTC", State.SUSPENDED, Reason.SECURITY_INCIDENT))
        await wait_for(lambda: len(emu.messages(news)) == 13, 20, "the critical alert")
        await wait_for(lambda: emu.stats.crossposts == 9, 10, "the critical alert published")
        critical = emu.messages(news)[-1]
        assert critical["content"].startswith("前回の公開以降、4 件のお知らせ")
    finally:
        await app.stop()
    assert emu.published(plain) == []  # an ordinary channel publishes nothing

    # After a restart the count is still known: a routine alert is not published.
    app = await Application.open(settings)
    await app.start()
    try:
        await app.services.status.change(change("BTC", State.OPERATIONAL))
        await wait_for(lambda: len(emu.messages(news)) == 14, 20, "the alert after the restart")
        assert emu.stats.crossposts == 9
        assert emu.stats.crosspost_429s == 0
        # The hour passes (for Discord and for the stored count): the next alert is published
        # and says how many were posted unpublished since the last one.
        emu.forget_crossposts()
        # In a thread: the service, on this event loop, may be mid-transaction.
        await asyncio.to_thread(an_hour_earlier, db_path)
        await app.services.status.change(change("BTC", State.MAINTENANCE))
        await wait_for(lambda: len(emu.messages(news)) == 15, 20, "the next alert")
        await wait_for(lambda: emu.stats.crossposts == 10, 10, "the next publish")
        latest = emu.messages(news)[-1]
        assert latest["flags"] & 1
        assert latest["content"].startswith("前回の公開以降、1 件のお知らせ")
    finally:
        await app.stop()
    assert len(emu.published(news)) == 10
    assert emu.stats.crosspost_429s == 0
    assert [x for x in emu.rejections if "crosspost" in x.path] == []


async def test_a_429_on_publishing_is_honoured_and_holds_up_nothing(
    emu: DiscordEmulator, db_path: Path
) -> None:
    emu.crosspost_limit = (2, 3600.0)  # this Discord allows fewer than we expect
    guild = emu.add_guild("Zaif Community", locale="ja")
    news = emu.add_channel(guild, "exchange-status", announcement=True)
    plain = emu.add_channel(guild, "alerts")
    app = await Application.open(service_settings(db_path, emu))
    await subscribe_many(
        app.db,
        [
            (TargetKind.CHANNEL, str(news), {"guild_id": str(guild)}),
            (TargetKind.CHANNEL, str(plain), {"guild_id": str(guild)}),
        ],
    )
    await app.start()
    try:
        for i in range(5):
            state = (State.OPERATIONAL, State.MAINTENANCE)[i % 2]
            await app.services.status.change(change("BTC", state))
            await wait_for(functools.partial(posted, emu, plain, i + 1), 10, f"alert {i + 1}")
            await wait_for(functools.partial(posted, emu, news, i + 1), 10, f"alert {i + 1}")
        await wait_for(lambda: emu.stats.crosspost_429s == 1, 10, "the 429")
        # The 429's wait is kept: no publish is tried again before it runs out.
        assert emu.stats.crossposts == 2 and emu.stats.crosspost_429s == 1
        assert len(emu.published(news)) == 2
    finally:
        await app.stop()
