"""Lanes through real discord.py to the emulator at Discord's 50/s: a channel and a webhook
subscribed after 400 DM subscribers get each alert within seconds, and a security halt made in
the middle of a routine fan-out overtakes it; with the DM rows written in the change's
transaction, and with them left to the backlog, as a fan-out to many DM subscribers is."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.domain import Reason, State, TargetKind
from bot.store import outbox_backlog
from bot.store.outbox import OutboxRepo
from tests.delivery.fanout import change, fan_out_service, mentions, sent_at
from tests.delivery.support import subscribe_many, wait_for
from tests.discord_emulator import DiscordEmulator

DMS = 400
WITHIN = timedelta(seconds=3)


@pytest.fixture(params=["in one go", "in batches"])
def batches(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The batches of DM rows the backlog wrote (none when written in one go)."""
    if request.param == "in batches":
        monkeypatch.setattr(outbox_backlog, "INLINE_DMS", DMS // 4)
        monkeypatch.setattr(outbox_backlog, "BATCH_IDS", DMS // 8)
    written: list[int] = []
    more = OutboxRepo.fan_out_more

    async def counted(self: OutboxRepo, *args: Any) -> int | None:
        rows = await more(self, *args)
        if rows:
            written.append(rows)
        return rows

    monkeypatch.setattr(OutboxRepo, "fan_out_more", counted)
    return written


async def test_channels_and_webhooks_do_not_wait_behind_dms_and_a_halt_overtakes_routine(
    emu: DiscordEmulator, db_path: Path, batches: list[int], request: pytest.FixtureRequest
) -> None:
    guild = emu.add_guild("Zaif Community")
    channel = emu.add_channel(guild, "alerts")
    users = [emu.add_user(f"user-{n}") for n in range(DMS)]
    async with fan_out_service(emu, db_path) as service:
        service.hooks.secrets["ops"] = "s3cret"
        await service.status.change(change("BTC", State.OPERATIONAL))  # nobody subscribed yet
        await subscribe_many(service.db, [(TargetKind.DM, str(u), {}) for u in users])
        # Subscribed last: before lanes, these two waited behind every DM.
        await subscribe_many(
            service.db,
            [
                (TargetKind.CHANNEL, str(channel), {"locale": "en", "guild_id": str(guild)}),
                (TargetKind.WEBHOOK, service.hooks.url("ops"), {"secret": "s3cret"}),
            ],
        )
        routine_at = datetime.now(UTC)
        result = await service.status.change(change("MONA", State.DELAYED))
        assert result.deliveries == DMS + 2
        await asyncio.sleep(0.5)
        critical_at = datetime.now(UTC)
        await service.status.change(change("BTC", State.SUSPENDED, Reason.SECURITY_INCIDENT))

        def dms() -> int:
            return sum(len(emu.dm_messages(u)) for u in users)

        await wait_for(lambda: len(service.hooks.received.get("ops", [])) == 2, 5, "webhooks")
        await wait_for(lambda: len(emu.messages(channel)) == 2, 5, "both channel alerts")
        queued_when_channel_had_both = 2 * DMS - dms()
        await wait_for(lambda: dms() == 2 * DMS, 90, "every DM")
        await asyncio.sleep(0.5)  # anything doubled would show up now

    posted = emu.messages(channel)
    hooks = service.hooks.received["ops"]
    assert [mentions(m, "MONA") for m in posted] == [True, False]
    assert [h.document["event"]["payload"]["changes"][0]["asset"] for h in hooks] == [
        "MONA",
        "BTC",
    ]
    assert sent_at(posted[0]) - routine_at < WITHIN
    assert sent_at(posted[1]) - critical_at < WITHIN
    assert hooks[0].at - routine_at < WITHIN
    assert hooks[1].at - critical_at < WITHIN
    assert queued_when_channel_had_both >= 300, "hundreds of DMs were still queued"

    every_dm = [m for u in users for m in emu.dm_messages(u)]
    routine = [sent_at(m) for m in every_dm if mentions(m, "MONA")]
    critical = [sent_at(m) for m in every_dm if mentions(m, "BTC")]
    assert len(routine) == len(critical) == DMS
    assert max(critical) < max(routine)
    assert all(len(emu.dm_messages(u)) == 2 for u in users)
    assert emu.stats.global_429s == 0
    assert emu.stats.duplicate_nonces == 0
    if "in batches" in request.node.name:
        assert len(batches) >= 16 and sum(batches) == 2 * DMS
    else:
        assert batches == []
