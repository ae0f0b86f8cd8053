"""Superseded alerts merged, through real discord.py to the emulator: a pair flipped four times
during a 400-DM fan-out reaches each subscriber in at most 3 messages, the last reading the final
state; a merge over a security halt says so; quiet hours list a flipped pair once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.domain import Reason, State, TargetKind
from tests.delivery.fanout import change, fan_out_service
from tests.delivery.support import eventually, subscribe_many, wait_for
from tests.delivery.test_quiet_hours import Service, jst, service, subscriber
from tests.discord_emulator import DiscordEmulator

__all__ = ["service"]  # the quiet-hours service fixture, used here too

DMS = 400
FLIPS = (State.MAINTENANCE, State.OPERATIONAL, State.MAINTENANCE, State.OPERATIONAL)


def field(message: dict[str, Any]) -> str:
    return str(message["embeds"][0]["fields"][0]["value"])


def reads_operational(message: dict[str, Any]) -> bool:
    value = field(message)  # one alert, or several merged into one
    return value.endswith("→ Operational") or value.startswith("Withdrawal: Operational (")


async def test_four_flips_during_a_400_dm_fan_out_reach_each_subscriber_at_most_three_times(
    emu: DiscordEmulator, db_path: Path
) -> None:
    users = [emu.add_user(f"user-{n}") for n in range(DMS)]
    async with fan_out_service(emu, db_path) as service:
        await service.status.change(change("BTC", State.OPERATIONAL))  # nobody subscribed yet
        await subscribe_many(service.db, [(TargetKind.DM, str(u), {"locale": "en"}) for u in users])
        for n, state in enumerate(FLIPS):
            if n:
                await asyncio.sleep(0.6)  # four flips in under two seconds
            await service.status.change(change("BTC", state))

        async def settled() -> bool:
            states = await service.db.repos.outbox.states()
            return "pending" not in states

        await wait_for(lambda: bool(emu.dm_messages(users[-1])), 60, "the last subscriber")
        await eventually(settled, 60, "every delivery sent or merged")
        await asyncio.sleep(0.5)  # anything doubled would show up now
        states = await service.db.repos.outbox.states()

    counts = [len(emu.dm_messages(u)) for u in users]
    assert min(counts) >= 1, "nobody gets nothing"
    assert max(counts) <= 3
    assert sum(counts) / DMS <= 2.0
    assert all(reads_operational(emu.dm_messages(u)[-1]) for u in users)
    assert states.get("merged", 0) == 4 * DMS - sum(counts)
    assert set(states) <= {"sent", "merged"}
    assert emu.stats.duplicate_nonces == 0 and emu.stats.global_429s == 0
    print(f"messages per subscriber: {sum(counts) / DMS:.2f} on average, {max(counts)} at most")


async def test_a_merge_over_a_security_halt_says_so(emu: DiscordEmulator, db_path: Path) -> None:
    user = emu.add_user("kenji")
    async with fan_out_service(emu, db_path, start=False) as service:
        service.hooks.secrets["ops"] = "s3cret"
        await service.status.change(change("BTC", State.OPERATIONAL))
        await subscribe_many(
            service.db,
            [
                (TargetKind.DM, str(user), {"locale": "en"}),
                (TargetKind.WEBHOOK, service.hooks.url("ops"), {"secret": "s3cret"}),
            ],
        )
        await service.status.change(change("BTC", State.MAINTENANCE))
        await service.status.change(change("BTC", State.SUSPENDED, Reason.SECURITY_INCIDENT))
        await service.status.change(change("BTC", State.OPERATIONAL))
        await service.dispatcher.start()
        await wait_for(lambda: bool(emu.dm_messages(user)), 10, "the merged alert")
        await wait_for(lambda: bool(service.hooks.received.get("ops")), 10, "the webhook")
        await asyncio.sleep(0.5)

    [dm] = emu.dm_messages(user)
    embed = dm["embeds"][0]
    assert "In between, BTC was suspended for a security incident." in embed["description"]
    assert field(dm).startswith("Withdrawal: Operational (changed 3 times since ") and field(
        dm
    ).endswith(": Operational → Maintenance → Suspended → Operational)")
    assert dm["nonce"].startswith("dlv")
    [hook] = service.hooks.received["ops"]
    payload = hook.document["event"]["payload"]
    assert payload["merged_critical"] == ["BTC"] and len(payload["merged"]) == 2
    assert "BTCはセキュリティインシデントのため停止" in hook.document["embed"]["description"]


async def test_quiet_hours_with_four_flips_list_the_pair_once_with_its_latest_state(
    emu: DiscordEmulator, service: Service
) -> None:
    user = emu.add_user("night-owl")
    sub_id = await subscriber(service, user)
    await service.subscriptions.quiet(sub_id, "23:00", "7:00")
    for n, state in enumerate(FLIPS):
        service.clock.set(jst(1, 23, 30) + timedelta(seconds=30 * n))
        await service.status.change(change("BTC", state))
    service.clock.set(jst(2, 0, 15))
    await service.status.change(change("MONA", State.DELAYED))  # another pair, listed too
    await asyncio.sleep(0.3)
    assert emu.dm_messages(user) == []
    assert await service.db.repos.outbox.states() == {"held": 2, "merged": 3}

    service.clock.set(jst(2, 7, 0, 1))
    await wait_for(lambda: len(emu.dm_messages(user)) == 1, 3, "the summary")
    await asyncio.sleep(0.5)
    [message] = emu.dm_messages(user)
    summary = message["embeds"][0]
    assert summary["title"] == "Alerts during quiet hours (2)"
    lines = summary["description"].splitlines()
    assert [line.split("` ")[1].split(" ")[0] for line in lines] == ["BTC", "MONA"]
    assert lines[0].endswith("BTC Withdrawal: Maintenance → Operational (Maintenance)")
    assert await service.db.repos.outbox.states() == {"sent": 1, "summarised": 2, "merged": 3}
