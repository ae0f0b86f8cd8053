"""A heartbeat with a 3 s grace against the running service (SQLite, Discord emulator): beats keep
BTC deposit as it is, silence makes it delayed (one alert), beats again put it back (one alert),
an operator's change during a silence is left alone and the operators told; /metrics shows each
heartbeat's age and state. The same across a leader SIGKILL on PostgreSQL: tests/cluster. On both
engines, a beat's token is refused as any write's is (401, 403, 429 with Retry-After), with the
token cached and its rate counted in the process, and a revocation elsewhere holds within 1 s."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain import Direction, EventKind, Reason, Source, State, StatusRequest, Target
from bot.services.tokens import TokenService
from tests.delivery.support import emulated_discord, wait_for
from tests.discord_emulator import DiscordEmulator
from tests.web.back_office import Live, live_service
from tests.web.test_write_status import ENGINES, assert_problem

GRACE = 3.0


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    async with emulated_discord() as emulator:
        yield emulator
    gc.unfreeze()


async def deposit(live: Live) -> State:
    [row] = [r for r in await live.app.services.status.current("BTC")
             if r.direction is Direction.DEPOSIT]  # fmt: skip
    return row.state


async def beats(live: Live, token: str, seconds: float, every: float = 0.5) -> None:
    for _ in range(round(seconds / every)):
        status, body, _ = await live.post("api/v1/heartbeats/btc-node", token=token)
        assert status == 200, body
        await asyncio.sleep(every)


async def until_state(live: Live, wanted: State, within: float) -> None:
    for _ in range(round(within / 0.1)):
        if await deposit(live) is wanted:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"BTC deposit did not become {wanted} within {within} s")


async def test_silence_delays_beats_restore_and_an_operators_change_stands(
    tmp_path: Path, emu: DiscordEmulator
) -> None:
    user = emu.add_user("kenji", locale="en-US")
    async with live_service("sqlite", tmp_path, emu, dm_users=[user]) as live:
        status = live.app.services.status
        await status.change(
            StatusRequest((Target("BTC", Direction.DEPOSIT, State.OPERATIONAL),),
                          Reason.OTHER, "", "ops", Source.CLI)
        )  # fmt: skip
        await wait_for(lambda: len(emu.dm_messages(user)) == 1, 10, "the reopening alert")
        await live.app.services.heartbeats.add(
            "btc-node", "btc", "deposit", GRACE, Reason.SERVER_FAILURE
        )
        token = await live.token("node", ["heartbeats"])
        status_only = await live.token("ops", ["status"])
        refused = await live.post("api/v1/heartbeats/btc-node", token=status_only)
        assert (refused[0], refused[1]["code"]) == (403, "missing_scope")
        unknown = await live.post("api/v1/heartbeats/eth-node", token=token)
        assert (unknown[0], unknown[1]["code"]) == (404, "heartbeat_not_found")
        assert "eth-node" in unknown[1]["detail_ja"] and "eth-node" in unknown[1]["detail_en"]
        with_body = await live.post("api/v1/heartbeats/btc-node", {"height": 850000}, token=token)
        assert with_body[0] == 200  # a monitor that always sends JSON is welcome
        await beats(live, token, 2 * GRACE)  # longer than the grace: beats keep it as it is
        assert await deposit(live) is State.OPERATIONAL
        assert len(emu.dm_messages(user)) == 1

        await until_state(live, State.DELAYED, GRACE + 3)  # silence
        [change] = await status.history("BTC", 1)
        assert (change.actor, change.reason) == ("heartbeat:btc-node", Reason.SERVER_FAILURE)
        assert change.note_en.startswith("BTC deposits are delayed: our node has not reported")
        assert change.note_en.endswith(" JST.") and "JST 以降ありません" in change.note
        await wait_for(lambda: len(emu.dm_messages(user)) == 2, 10, "the delay's alert")
        async with live.http.get(live.url + "metrics") as response:
            metrics = await response.text()
        assert 'bot_heartbeat_tripped{name="btc-node"} 1.0' in metrics
        assert 'bot_heartbeat_age_seconds{name="btc-node"}' in metrics

        await beats(live, token, 1.0)  # two in a row
        await until_state(live, State.OPERATIONAL, 3)
        await wait_for(lambda: len(emu.dm_messages(user)) == 3, 10, "the restoring alert")
        await beats(live, token, 2.0)
        await asyncio.sleep(1.0)
        assert len(emu.dm_messages(user)) == 3  # one alert each way, no more

        await until_state(live, State.DELAYED, GRACE + 3)  # silent again
        await status.change(
            StatusRequest((Target("BTC", Direction.DEPOSIT, State.SUSPENDED),),
                          Reason.SECURITY_INCIDENT, "調査中", "cli:ops", Source.CLI)
        )  # fmt: skip
        await beats(live, token, 2.0)
        assert await deposit(live) is State.SUSPENDED  # the operator's halt stands
        [latest] = await status.history("BTC", 1)
        assert latest.actor == "cli:ops"
        [notice] = await live.app.db.repos.events.latest(1, [EventKind.OPERATOR])
        assert notice.payload["heartbeat"] == "btc-node"
        assert "BTC deposit" in notice.payload["text_en"]
        async with live.http.get(live.url + "metrics") as response:
            assert 'bot_heartbeat_tripped{name="btc-node"} 0.0' in await response.text()


@pytest.mark.parametrize("engine", ENGINES)
async def test_a_beats_token_is_refused_as_any_writes_and_limited_per_process(
    engine: str, tmp_path: Path
) -> None:
    async with live_service(engine, tmp_path, rate_per_second=1, burst=3) as live:
        await live.app.services.heartbeats.add("btc-node", "btc", "deposit", 60, Reason.OTHER)
        path = "api/v1/heartbeats/btc-node"
        status, none, headers = await live.post(path)
        assert status == 401 and headers["WWW-Authenticate"] == "Bearer"
        write = await live.post("api/v1/status/changes", {})
        assert (await live.post(path, token="esb_" + "x" * 43))[:2] == write[:2] == (401, none)
        gone = await live.token("gone", ["heartbeats"])
        assert (await live.post(path, token=gone))[0] == 200
        await live.app.services.tokens.revoke("gone")
        assert (await live.post(path, token=gone))[:2] == (401, none)  # this process: at once
        status_only = await live.token("ops", ["status"])
        _, body, _ = await live.post(path, token=status_only)
        assert_problem(body, 403, "missing_scope")
        assert "heartbeats" in body["detail_en"]

        token = await live.token("node", ["heartbeats"])
        answers = [await live.post(path, token=token) for _ in range(4)]
        assert [a[0] for a in answers] == [200, 200, 200, 429]
        _, body, headers = answers[3]
        assert_problem(body, 429, "rate_limited")
        assert int(headers["Retry-After"]) >= 1
        await asyncio.sleep(1.1)  # one beat drained
        assert (await live.post(path, token=token))[0] == 200
        # A status change takes from the token's other bucket, the cluster's: still full.
        ops = await live.token("both", ["heartbeats", "status"])
        for _ in range(3):
            assert (await live.post(path, token=ops))[0] == 200
        change = {"assets": ["btc"], "deposit": "delayed", "reason": "other"}
        assert (await live.post("api/v1/status/changes", change, token=ops))[0] == 201

        await asyncio.sleep(0.5)  # a batch: the uses are written with the beats
        used = {t.name: t.last_used_at for t in await live.app.services.tokens.list()}
        assert used["node"] is not None and used["gone"] is not None

        elsewhere = TokenService(live.app.db)  # another replica, or the CLI
        await asyncio.sleep(1.0)  # the bucket again
        assert (await live.post(path, token=token))[0] == 200  # and now cached
        await elsewhere.revoke("node")
        revoked = time.monotonic()
        while (await live.post(path, token=token))[0] != 401:
            assert time.monotonic() - revoked <= 1.0 + 0.2, "still taken after the cache's 1 s"
            await asyncio.sleep(0.05)
