"""Two `python -m bot run` processes on one PostgreSQL database and the Discord emulator: one
gateway session at any time; the leader SIGKILLed, or cut off from the database, in the middle
of a fan-out, and the standby finishes it with every message sent exactly once; a CLI change
reaches subscribers at once (NOTIFY), not at the next poll."""

from __future__ import annotations

import asyncio
import gc
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import psycopg
import pytest

from bot.domain import TargetKind
from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.settings import DatabaseSettings
from bot.store import connect_database
from tests.delivery.support import (
    emulated_discord,
    service_env,
    start_service,
    subscribe_many,
    wait_for,
)
from tests.delivery.test_service import BUDGET, GLOBAL_LIMIT, cli, fan_out_world, stop
from tests.discord_emulator import DiscordEmulator

LEASE = 2.0


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    async with emulated_discord() as emulator:
        yield emulator
    gc.unfreeze()


def pg_env(url: str, folder: Path, emu: DiscordEmulator, **delivery: object) -> dict[str, str]:
    env = service_env(folder / "unused.sqlite3", emu, **delivery)
    env["BOT_DATABASE__URL"] = url
    env["BOT_CLUSTER__LEASE_SECONDS"] = str(LEASE)
    return env


async def prepare(url: str, subs: list[tuple[TargetKind, str, dict[str, object]]]) -> None:
    db = await connect_database(DatabaseSettings(url=url))
    try:
        await seed(db, shipped_reference())
        await subscribe_many(db, subs)
    finally:
        await db.close()


async def outbox_states(url: str) -> dict[str, int]:
    db = await connect_database(DatabaseSettings(url=url))
    try:
        return await db.repos.outbox.states()
    finally:
        await db.close()


async def two_processes(
    env: dict[str, str], folder: Path, emu: DiscordEmulator
) -> tuple[asyncio.subprocess.Process, asyncio.subprocess.Process, list[str]]:
    """The first leads (its dispatcher started); the second stands by (its lease loop runs)."""
    leader = await start_service(env, folder)
    standby_log: list[str] = []
    standby = await start_service(env, folder, ready="cluster started", log=standby_log)
    await emu.wait_ready()
    await asyncio.sleep(LEASE / 2)  # the standby has seen the lease held, and waits
    assert emu.gateway.connected == 1
    assert not any("delivery started" in line for line in standby_log)
    return leader, standby, standby_log


def first_send_after(emu: DiscordEmulator, moment: float) -> float:
    """Seconds from `moment` to the first message created after it."""
    return min(t for t in emu.stats.created_at if t > moment) - moment


async def test_sigkill_of_the_leader_mid_fan_out_the_standby_finishes_exactly_once(
    emu: DiscordEmulator, pg_url: str, tmp_path: Path
) -> None:
    channels, users, subs = fan_out_world(emu, 1_800, 200)
    await prepare(pg_url, subs)
    emu.global_limit_per_second = GLOBAL_LIMIT
    emu.faults.latency = 0.05  # many sends in flight when the kill lands
    env = pg_env(pg_url, tmp_path, emu, rate_per_second=BUDGET, concurrency=64)
    leader, standby, standby_log = await two_processes(env, tmp_path, emu)
    try:
        await cli(tmp_path / "x", env, "status", "set", "all", "--deposit", "operational",
                  "--reason", "maintenance")  # fmt: skip
        await wait_for(lambda: emu.stats.messages_created >= 600, 20, "600 messages")
        leader.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        await leader.wait()
        at_kill = emu.stats.messages_created
        assert 600 <= at_kill < 1_900, "the kill must land in the middle of the fan-out"
        await wait_for(lambda: emu.stats.messages_created >= 2_000, 40, "2,000 messages")
        await asyncio.sleep(1.0)  # anything doubled would show up now
        assert emu.stats.messages_created == 2_000
        assert all(len(emu.messages(c)) == 1 for c in channels)
        assert all(len(emu.dm_messages(u)) == 1 for u in users)
        assert emu.stats.global_429s == 0
        assert emu.gateway.most_connected == 1
        assert any("delivery started" in line for line in standby_log)
        # Sends still in flight at the kill land within its latency; the new leader's later.
        takeover = first_send_after(emu, killed + 0.5) + 0.5
        assert takeover < LEASE + 2.0
        print(f"\ntakeover (kill -> first send by the new leader): {takeover:.2f} s")
    finally:
        await stop(standby)
    assert await outbox_states(pg_url) == {"sent": 2_000}


async def test_a_leader_cut_off_from_the_database_stands_down_and_nothing_is_sent_twice(
    emu: DiscordEmulator, pg_url: str, tmp_path: Path
) -> None:
    channels, users, subs = fan_out_world(emu, 900, 100)
    await prepare(pg_url, subs)
    emu.global_limit_per_second = GLOBAL_LIMIT
    emu.faults.latency = 0.05
    env = pg_env(pg_url, tmp_path, emu, rate_per_second=BUDGET, concurrency=64)
    leader_log: list[str] = []
    leader = await start_service(env, tmp_path, log=leader_log)
    standby_log: list[str] = []
    standby = await start_service(env, tmp_path, ready="cluster started", log=standby_log)
    try:
        await emu.wait_ready()
        await cli(tmp_path / "x", env, "status", "set", "all", "--deposit", "operational",
                  "--reason", "maintenance")  # fmt: skip
        await wait_for(lambda: emu.stats.messages_created >= 300, 20, "300 messages")
        async with await psycopg.AsyncConnection.connect(pg_url, autocommit=True) as admin:
            cursor = await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name LIKE %s",
                (f"exchange-status-bot %:{leader.pid} %",),
            )
            assert len(await cursor.fetchall()) >= 4  # writer, reader, lease, listener...
        await wait_for(
            lambda: any("standing down" in line for line in leader_log), LEASE, "the stand-down"
        )
        await wait_for(
            lambda: any("delivery started" in line for line in standby_log),
            LEASE * 2,
            "the takeover",
        )
        await wait_for(lambda: emu.stats.messages_created >= 1_000, 40, "1,000 messages")
        await asyncio.sleep(1.0)
        assert emu.stats.messages_created == 1_000
        assert all(len(emu.messages(c)) == 1 for c in channels)
        assert all(len(emu.dm_messages(u)) == 1 for u in users)
        assert emu.stats.global_429s == 0
        assert emu.gateway.most_connected == 1
        # The old leader came back as a standby: no second dispatcher started.
        assert sum("delivery started" in line for line in leader_log) == 1
    finally:
        await stop(standby)
        await stop(leader)
    assert await outbox_states(pg_url) == {"sent": 1_000}


async def test_a_cli_change_reaches_subscribers_at_once_not_at_the_next_poll(
    emu: DiscordEmulator, pg_url: str, tmp_path: Path
) -> None:
    guild = emu.add_guild("Zaif Community")
    user = emu.add_user("kenji", locale="ja")
    channel = emu.add_channel(guild, "alerts")
    await prepare(
        pg_url,
        [(TargetKind.DM, str(user), {}), (TargetKind.CHANNEL, str(channel), {"locale": "en"})],
    )
    # A poll this slow would take half a minute: only the database's notice can be this quick.
    env = pg_env(pg_url, tmp_path, emu, poll_seconds=30)
    service = await start_service(env, tmp_path)
    try:
        await emu.wait_ready()
        started = time.monotonic()
        out = await cli(tmp_path / "x", env, "status", "set", "mona", "--deposit", "operational",
                        "--reason", "maintenance", "--note", "wallet checked")  # fmt: skip
        assert "MONA deposit: suspended -> operational" in out
        await wait_for(
            lambda: bool(emu.dm_messages(user)) and bool(emu.messages(channel)),
            5 - (time.monotonic() - started),
            "the CLI change reaching both subscribers",
        )
        print(f"\nCLI change -> both messages: {time.monotonic() - started:.2f} s")
        [dm] = emu.dm_messages(user)
        assert dm["embeds"][0]["fields"][0]["value"] == "入金: 停止中 → 稼働中"
    finally:
        await stop(service)
