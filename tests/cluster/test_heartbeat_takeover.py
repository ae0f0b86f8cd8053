"""A heartbeat with a 3 s grace on two `python -m bot run` processes on one PostgreSQL database
and the Discord emulator, across a SIGKILL of the leader: beats keep BTC deposit as it is, silence
makes it delayed (one alert), beats put it back (one alert); after the kill the new leader neither
trips a heartbeat that keeps beating nor forgets it, trips it on silence, and leaves alone the
operator's change made during that silence."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.domain import EventKind, TargetKind
from bot.settings import DatabaseSettings
from bot.store import connect_database
from tests.cluster.test_api_replicas import page_url
from tests.cluster.test_postgres_cluster import LEASE, pg_env, prepare
from tests.delivery.support import emulated_discord, start_service, wait_for
from tests.delivery.test_service import cli, stop
from tests.discord_emulator import DiscordEmulator

GRACE = 3.0
BEAT_EVERY = 0.5


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    async with emulated_discord() as emulator:
        yield emulator
    gc.unfreeze()


class Node:
    """The wallet node's monitor: beats to a replica while told to."""

    def __init__(self, http: aiohttp.ClientSession, token: str) -> None:
        self._http, self._token = http, token
        self.url = ""
        self._task: asyncio.Task[None] | None = None

    def start(self, url: str) -> None:
        self.url = url
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._beat())

    async def _beat(self) -> None:
        headers = {"Authorization": f"Bearer {self._token}"}
        while True:
            with contextlib.suppress(aiohttp.ClientError):  # a killed replica
                async with self._http.post(
                    self.url + "api/v1/heartbeats/btc-node", headers=headers
                ) as response:
                    assert response.status == 200, await response.text()
            await asyncio.sleep(BEAT_EVERY)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


async def deposit(http: aiohttp.ClientSession, url: str) -> str:
    async with http.get(url + "api/v1/assets/BTC") as response:
        return str((await response.json())["deposit"]["state"])


async def until(http: aiohttp.ClientSession, url: str, state: str, within: float) -> None:
    started = time.monotonic()
    while await deposit(http, url) != state:
        assert time.monotonic() - started < within, f"BTC deposit not {state} in {within} s"
        await asyncio.sleep(0.1)


async def test_a_heartbeat_across_a_leader_sigkill(
    emu: DiscordEmulator, pg_url: str, tmp_path: Path
) -> None:
    user = emu.add_user("kenji", locale="en-US")
    await prepare(pg_url, [(TargetKind.DM, str(user), {"assets": ["BTC"]})])
    env = pg_env(pg_url, tmp_path, emu)
    here = tmp_path / "x"
    await cli(here, env, "status", "set", "btc", "--deposit", "operational", "--reason", "other")
    await cli(
        here,
        env,
        "heartbeats",
        "add",
        "btc-node",
        "--assets",
        "btc",
        "--direction",
        "deposit",
        "--grace",
        str(GRACE),
        "--reason",
        "server_failure",
    )
    created = await cli(here, env, "tokens", "create", "node", "--scopes", "heartbeats")
    token = created.split("token (shown only now): ")[1].split()[0]
    leader_log: list[str] = []
    standby_log: list[str] = []
    leader = await start_service(env, tmp_path, log=leader_log)
    standby = await start_service(env, tmp_path, ready="cluster started", log=standby_log)
    async with aiohttp.ClientSession() as http:
        node = Node(http, token)
        first, second = page_url(leader_log), page_url(standby_log)
        try:
            await wait_for(lambda: len(emu.dm_messages(user)) == 1, 10, "the reopening alert")
            node.start(first)
            await asyncio.sleep(2 * GRACE)
            assert await deposit(http, second) == "operational"
            await node.stop()  # silence
            await until(http, second, "delayed", GRACE + 4)
            await wait_for(lambda: len(emu.dm_messages(user)) == 2, 10, "the delay's alert")
            node.start(second)
            await until(http, second, "operational", 4)
            await wait_for(lambda: len(emu.dm_messages(user)) == 3, 10, "the restoring alert")

            leader.send_signal(signal.SIGKILL)  # beats go on, to the standby
            await leader.wait()
            await wait_for(
                lambda: any("delivery started" in line for line in standby_log),
                LEASE + 5,
                "the standby taking over",
            )
            await asyncio.sleep(2 * GRACE)  # the new leader judges, and the node is beating
            assert await deposit(http, second) == "operational"
            assert len(emu.dm_messages(user)) == 3

            await node.stop()  # silence under the new leader
            await until(http, second, "delayed", GRACE + 4)
            await wait_for(lambda: len(emu.dm_messages(user)) == 4, 10, "the delay's alert")
            await cli(
                here,
                env,
                "status",
                "set",
                "btc",
                "--deposit",
                "suspended",
                "--reason",
                "security_incident",
            )
            await wait_for(lambda: len(emu.dm_messages(user)) == 5, 10, "the operator's alert")
            node.start(second)
            await asyncio.sleep(2.5)  # beats are back: the operator's halt stands
            assert await deposit(http, second) == "suspended"
            await asyncio.sleep(1.0)
            assert len(emu.dm_messages(user)) == 5
        finally:
            await node.stop()
            await stop(standby)
    db = await connect_database(DatabaseSettings(url=pg_url))
    try:
        [notice] = await db.repos.events.latest(1, [EventKind.OPERATOR])
        heartbeat_changes = [
            c for c in await db.repos.status.history("BTC", 20) if c.actor == "heartbeat:btc-node"
        ]
    finally:
        await db.close()
    assert notice.payload["heartbeat"] == "btc-node"
    assert [c.new_state.value for c in heartbeat_changes] == ["delayed", "operational", "delayed"]
