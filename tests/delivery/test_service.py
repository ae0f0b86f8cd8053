"""The service as it runs in production, `python -m bot run` in its own process, against the
emulator in this one: a CLI change reaches subscribers; a SIGKILL mid fan-out loses and doubles
nothing; a 5,000-delivery fan-out meets no global 429."""

from __future__ import annotations

import asyncio
import gc
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain import TargetKind
from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.store import open_database
from tests.delivery.support import (
    emulated_discord,
    service_env,
    start_service,
    subscribe_many,
    wait_for,
)
from tests.discord_emulator import DiscordEmulator

# The emulator's global limit and the dispatcher's budget, scaled up together (same 90% ratio
# as Discord's 50/s and the default 45/s) so that thousands of deliveries take seconds.
GLOBAL_LIMIT = 250
BUDGET = 225


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    async with emulated_discord() as emulator:
        yield emulator
    gc.unfreeze()


async def cli(db_path: Path, env: dict[str, str], *args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=db_path.parent,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


async def prepare(db_path: Path, subs: list[tuple[TargetKind, str, dict[str, object]]]) -> None:
    db = await open_database(db_path)
    try:
        await seed(db, shipped_reference())
        await subscribe_many(db, subs)
    finally:
        await db.close()


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 15)


async def test_a_cli_change_reaches_subscribers_through_the_running_service(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = emu.add_guild("Zaif Community")
    user = emu.add_user("kenji", locale="ja")
    channel = emu.add_channel(guild, "alerts")
    await prepare(
        db_path,
        [(TargetKind.DM, str(user), {}), (TargetKind.CHANNEL, str(channel), {"locale": "en"})],
    )
    env = service_env(db_path, emu)  # the default poll interval: 2 s
    service = await start_service(env, db_path.parent)
    try:
        started = time.monotonic()
        out = await cli(
            db_path,
            env,
            "status",
            "set",
            "mona",
            "--deposit",
            "operational",
            "--reason",
            "maintenance",
            "--note",
            "wallet checked",
        )
        assert "MONA deposit: suspended -> operational" in out
        await wait_for(
            lambda: bool(emu.dm_messages(user)) and bool(emu.messages(channel)),
            5 - (time.monotonic() - started),
            "the CLI change reaching both subscribers",
        )
        [dm] = emu.dm_messages(user)
        assert dm["embeds"][0]["fields"][0]["value"] == "入金: 停止中 → 稼働中"
        [posted] = emu.messages(channel)
        assert posted["embeds"][0]["fields"][0]["value"] == "Deposit: Suspended → Operational"
    finally:
        await stop(service)


def fan_out_world(
    emu: DiscordEmulator, channels: int, dms: int
) -> tuple[list[int], list[int], list[tuple[TargetKind, str, dict[str, object]]]]:
    guilds = [emu.add_guild(f"guild-{g}") for g in range(10)]
    chan_ids = [emu.add_channel(guilds[i % 10], f"alerts-{i}") for i in range(channels)]
    users = [emu.add_user(f"user-{i}") for i in range(dms)]
    subs: list[tuple[TargetKind, str, dict[str, object]]] = [
        (TargetKind.CHANNEL, str(c), {"locale": "en"}) for c in chan_ids
    ]
    subs += [(TargetKind.DM, str(u), {}) for u in users]
    # The emulator counts the global limit when it handles a request; a long garbage-collector
    # pause in this process would bunch requests the service sent evenly. Real Discord has no
    # such pause, so the world built here is kept out of the collector's way.
    gc.collect()
    gc.freeze()
    return chan_ids, users, subs


async def test_sigkill_in_the_middle_of_a_fan_out_loses_and_doubles_nothing(
    emu: DiscordEmulator, db_path: Path
) -> None:
    channels, users, subs = fan_out_world(emu, 1_800, 200)
    await prepare(db_path, subs)
    emu.global_limit_per_second = GLOBAL_LIMIT
    emu.faults.latency = 0.05  # many sends in flight when the kill lands
    env = service_env(db_path, emu, rate_per_second=BUDGET, concurrency=64)
    service = await start_service(env, db_path.parent)
    try:
        await cli(
            db_path,
            env,
            "status",
            "set",
            "all",
            "--deposit",
            "operational",
            "--reason",
            "maintenance",
        )
        await wait_for(lambda: emu.stats.messages_created >= 600, 20, "600 messages")
        service.send_signal(signal.SIGKILL)
        await service.wait()
        at_kill = emu.stats.messages_created
        assert 600 <= at_kill < 1_900, "the kill must land in the middle of the fan-out"
        service = await start_service(env, db_path.parent)
        await wait_for(lambda: emu.stats.messages_created >= 2_000, 40, "2,000 messages")
        await asyncio.sleep(1.0)  # anything doubled would show up now
        assert emu.stats.messages_created == 2_000
        assert all(len(emu.messages(c)) == 1 for c in channels)
        assert all(len(emu.dm_messages(u)) == 1 for u in users)
    finally:
        await stop(service)
    db = await open_database(db_path)
    try:
        assert await db.repos.outbox.states() == {"sent": 2_000}
    finally:
        await db.close()


async def test_a_5000_delivery_fan_out_meets_no_global_429(
    emu: DiscordEmulator, db_path: Path
) -> None:
    channels, users, subs = fan_out_world(emu, 4_800, 200)
    await prepare(db_path, subs)
    emu.global_limit_per_second = GLOBAL_LIMIT
    emu.faults.latency = 0.02
    env = service_env(db_path, emu, rate_per_second=BUDGET, concurrency=64)
    service = await start_service(env, db_path.parent)
    try:
        await cli(
            db_path,
            env,
            "status",
            "set",
            "all",
            "--withdrawal",
            "operational",
            "--reason",
            "maintenance",
        )
        started = time.monotonic()
        await wait_for(lambda: emu.stats.messages_created >= 5_000, 60, "5,000 messages")
        elapsed = time.monotonic() - started
    finally:
        await stop(service)
    print(f"5,000 deliveries in {elapsed:.1f}s; {emu.stats}")
    assert emu.stats.global_429s == 0
    assert emu.stats.messages_created == 5_000
    # 5,200 requests (200 DM channels opened) at 225/s: close to the budget, never above.
    assert 5_200 / elapsed <= BUDGET * 1.05
    assert all(len(emu.messages(c)) == 1 for c in channels)
    assert all(len(emu.dm_messages(u)) == 1 for u in users)
