"""Discord's anti-spam answers to opening DM channels never disable a subscriber: 40003 slows the
DM-open budget down while channels and open DMs go on, and a quarantine is reported once."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp

from bot.app import Application
from bot.clock import utcnow
from bot.domain import EventFilter, TargetKind
from bot.settings import WebSettings
from bot.web import WebServer
from tests.delivery.support import eventually, service_settings, subscribe_many, wait_for
from tests.delivery.test_failures import reopen
from tests.discord_emulator import DiscordEmulator


async def test_40003_never_disables_and_every_subscriber_is_reached(
    emu: DiscordEmulator, db_path: Path
) -> None:
    # Discord answers 40003 past 10 new DM channels in 5 s; the budget asks for 5 a second.
    emu.dm_open_limit = (10, 5.0)
    guild = emu.add_guild("Zaif Community")
    fresh = [emu.add_user(f"fresh{i}") for i in range(30)]  # subscribed before DMs were opened
    known = [emu.add_user(f"known{i}") for i in range(5)]  # their DM channels are kept
    channels = [emu.add_channel(guild, f"alerts-{i}") for i in range(5)]
    app = await Application.open(service_settings(db_path, emu, dm_opens_per_minute=300))
    async with app.db.transaction() as repos:
        for user in known:
            channel = emu.world.dm_channel(user)
            emu.record_message(channel, {"content": "an earlier alert"})
            await repos.dm_channels.put(str(user), str(channel.id), utcnow())
    everyone: list[tuple[TargetKind, str, dict[str, Any]]] = [
        (TargetKind.DM, str(u), {}) for u in fresh + known
    ]
    everyone += [(TargetKind.CHANNEL, str(c), {"guild_id": str(guild)}) for c in channels]
    await subscribe_many(app.db, everyone)
    await app.start()
    try:
        await app.services.status.change(reopen("BTC"))
        # Channels and DMs already open are not held up by the DM channels still to open.
        await wait_for(
            lambda: (
                all(emu.messages(c) for c in channels)
                and all(len(emu.dm_messages(u)) == 2 for u in known)
            ),
            5,
            "the channels and the open DMs",
        )
        assert sum(1 for u in fresh if emu.dm_messages(u)) < len(fresh)
        await wait_for(lambda: all(emu.dm_messages(u) for u in fresh), 90, "every fresh subscriber")
        assert emu.stats.dm_too_fast >= 1
        assert emu.stats.dm_channels_opened == len(fresh)
        subs = await app.services.subscriptions.list()
        assert [s.target for s in subs if not s.active] == []
        assert all(len(emu.dm_messages(u)) == 1 for u in fresh)  # each reached once
        rejected = [x for x in emu.rejections if x.status != 403]
        assert rejected == []
    finally:
        await app.stop()


async def test_a_quarantined_bot_tells_the_operators_once_and_keeps_channels_going(
    emu: DiscordEmulator, db_path: Path
) -> None:
    emu.quarantined = True
    guild = emu.add_guild("Zaif Community")
    fresh = [emu.add_user(f"fresh{i}") for i in range(6)]
    known = emu.add_user("known")
    alerts = emu.add_channel(guild, "alerts")
    operators = emu.add_channel(guild, "operators")
    settings = service_settings(db_path, emu, dm_opens_per_minute=600).model_copy(
        update={"web": WebSettings(port=0)}
    )
    app = await Application.open(settings)
    channel = emu.world.dm_channel(known)
    emu.record_message(channel, {"content": "an earlier alert"})
    async with app.db.transaction() as repos:
        await repos.dm_channels.put(str(known), str(channel.id), utcnow())
    everyone: list[tuple[TargetKind, str, dict[str, Any]]] = [
        (TargetKind.DM, str(u), {}) for u in [*fresh, known]
    ]
    everyone += [(TargetKind.CHANNEL, str(alerts), {"guild_id": str(guild)})]
    everyone += [(TargetKind.CHANNEL, str(operators), {"events": EventFilter.OPERATOR})]
    await subscribe_many(app.db, everyone)
    await app.start()
    web = next(c for c in app.components if isinstance(c, WebServer))
    try:
        await app.services.status.change(reopen("BTC"))
        await app.services.status.change(reopen("MONA"))

        def restricted_notices() -> list[str]:
            return [
                m["embeds"][0]["title"]
                for m in emu.messages(operators)
                if "restricting" in m["embeds"][0].get("title", "")
                or "制限" in m["embeds"][0].get("title", "")
            ]

        await wait_for(lambda: len(restricted_notices()) == 1, 10, "the operators told")
        await wait_for(
            lambda: len(emu.messages(alerts)) == 2 and len(emu.dm_messages(known)) == 3,
            10,
            "the channel and the DM already open",
        )
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{web.url}healthz") as response:
                report = await response.json()
        assert report["checks"]["discord"]["dms"] == "restricted"
        await asyncio.sleep(2)  # more refusals come in; the operators are not told again
        assert len(restricted_notices()) == 1
        assert emu.stats.quarantine_refusals >= 1
        assert all(emu.dm_messages(u) == [] for u in fresh)

        async def none_disabled() -> bool:
            subs = await app.services.subscriptions.list()
            return all(s.active for s in subs)

        await eventually(none_disabled, 1, "every subscription still active")
    finally:
        await app.stop()


async def test_subscribers_from_before_get_their_dm_channels_opened_quietly(
    emu: DiscordEmulator, db_path: Path
) -> None:
    users = [emu.add_user(f"early{i}") for i in range(12)]
    app = await Application.open(service_settings(db_path, emu, dm_opens_per_minute=600))
    await subscribe_many(app.db, [(TargetKind.DM, str(u), {}) for u in users])
    await app.start()
    try:

        async def all_open() -> bool:
            return await app.db.repos.dm_channels.count() == len(users)

        await eventually(all_open, 20, "every DM channel opened in the background")
        assert emu.stats.dm_channels_opened == len(users)
        assert all(emu.dm_messages(u) == [] for u in users)  # opening one sends nothing
        opens, requests = emu.stats.dm_open_requests, emu.stats.requests - emu.stats.logins
        await app.services.status.change(reopen("BTC"))
        await wait_for(lambda: all(emu.dm_messages(u) for u in users), 10, "the alert")
        assert emu.stats.dm_open_requests == opens  # the alert opened no DM channel
        # Requests per message, leaving out each REST client's one login per process.
        spent = emu.stats.requests - emu.stats.logins - requests
        assert spent / len(users) <= 1.15
    finally:
        await app.stop()


async def test_alerts_waiting_for_a_dm_channel_keep_their_order(
    emu: DiscordEmulator, db_path: Path
) -> None:
    # 60 opens a minute: the third user's channel is a couple of seconds away.
    users = [emu.add_user(f"late{i}") for i in range(3)]
    app = await Application.open(service_settings(db_path, emu, dm_opens_per_minute=60))
    await subscribe_many(app.db, [(TargetKind.DM, str(u), {}) for u in users])
    await app.start()
    try:
        await app.services.status.change(reopen("BTC"))
        await app.services.status.change(reopen("MONA"))
        await wait_for(lambda: all(len(emu.dm_messages(u)) == 2 for u in users), 30, "both alerts")
        for user in users:
            first, second = (json.dumps(m["embeds"][0]) for m in emu.dm_messages(user))
            assert "BTC" in first and "MONA" not in first and "MONA" in second
        assert emu.stats.dm_channels_opened == len(users)
    finally:
        await app.stop()
