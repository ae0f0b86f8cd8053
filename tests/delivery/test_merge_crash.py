"""A SIGKILL while superseded alerts are being merged, with `python -m bot run` in its own
process and the CLI changing one pair again and again: nothing lost, nothing doubled. A row the
dead process had claimed may have reached Discord, so it is never merged: it is sent again with
its own nonce, which Discord answers with the message it already has."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path
from typing import Any

from bot.domain import TargetKind
from tests.delivery.support import service_env, start_service, wait_for
from tests.delivery.test_service import BUDGET, GLOBAL_LIMIT, cli, prepare, stop
from tests.discord_emulator import DiscordEmulator

CHANNELS = 1_000
DMS = 200


def final(message: dict[str, Any]) -> bool:
    value = str(message["embeds"][0]["fields"][0]["value"])
    return value.endswith("→ Operational") or value.startswith("Withdrawal: Operational (")


async def flip(db_path: Path, env: dict[str, str], state: str) -> None:
    await cli(db_path, env, "status", "set", "btc", "--withdrawal", state, "--reason", "other")


async def test_a_sigkill_while_alerts_are_merged_loses_and_doubles_nothing(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guilds = [emu.add_guild(f"guild-{g}") for g in range(10)]
    channels = [emu.add_channel(guilds[n % 10], f"alerts-{n}") for n in range(CHANNELS)]
    users = [emu.add_user(f"user-{n}") for n in range(DMS)]
    english: dict[str, object] = {"locale": "en"}
    await prepare(
        db_path,
        [(TargetKind.CHANNEL, str(c), english) for c in channels]
        + [(TargetKind.DM, str(u), english) for u in users],
    )
    emu.global_limit_per_second = GLOBAL_LIMIT
    emu.faults.latency = 0.05  # many sends in flight when the kill lands
    env = service_env(db_path, emu, rate_per_second=BUDGET, concurrency=64)
    service = await start_service(env, db_path.parent)
    try:
        for state in ("maintenance", "delayed", "maintenance"):
            await flip(db_path, env, state)
        service.send_signal(signal.SIGKILL)
        await service.wait()
        with sqlite3.connect(db_path) as raw:
            at_kill = dict(raw.execute("SELECT state, COUNT(*) FROM deliveries GROUP BY state"))
        assert at_kill.get("pending", 0) > 0, "the kill must land before the fan-out ends"
        assert at_kill.get("merged", 0) > 0, "and after merges began"
        await flip(db_path, env, "operational")  # merged with the service down
        service = await start_service(env, db_path.parent)

        def everyone_told() -> bool:
            told = [emu.messages(c) for c in channels] + [emu.dm_messages(u) for u in users]
            return all(messages and final(messages[-1]) for messages in told)

        await wait_for(everyone_told, 60, "the final state reaching everyone")
        await asyncio.sleep(1.0)  # anything doubled would show up now
    finally:
        await stop(service)

    with sqlite3.connect(db_path) as raw:
        states = dict(raw.execute("SELECT state, COUNT(*) FROM deliveries GROUP BY state"))
        sent = dict(
            raw.execute(
                "SELECT s.target, COUNT(*) FROM deliveries d JOIN subscriptions s"
                " ON s.id = d.subscription_id WHERE d.state = 'sent' GROUP BY s.target"
            )
        )
        rows = {
            int(r[0]): (str(r[1]), r[2])
            for r in raw.execute("SELECT id, state, merged_into FROM deliveries")
        }

    def told_by(row: int) -> str:
        """The state of the delivery at the end of a merged row's chain."""
        state, into = rows[row]
        return told_by(into) if state == "merged" else state

    orphans = sum(
        1 for row, (state, _) in rows.items() if state == "merged" and told_by(row) != "sent"
    )
    assert set(states) == {"sent", "merged"}
    assert states["sent"] + states["merged"] == 4 * (CHANNELS + DMS)  # nothing lost
    assert orphans == 0  # every merged alert was told by a message that went out
    targets = [emu.messages(c) for c in channels] + [emu.dm_messages(u) for u in users]
    names = [str(c) for c in channels] + [str(u) for u in users]
    for name, messages in zip(names, targets, strict=True):
        nonces = [m["nonce"] for m in messages]
        assert len(nonces) == len(set(nonces)) == sent[name]  # nothing doubled
    print(f"at the kill: {at_kill}; in the end: {states}; {emu.stats}")
