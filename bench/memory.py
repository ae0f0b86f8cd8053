"""Peak memory of the service (`python -m bot run`) with 100,000 subscriptions, while it works
through the 100,000-delivery fan-out of one status change.

Run: .venv/bin/python -m bench.memory [SUBSCRIPTIONS] [SECONDS] [DM_SHARE]
DM_SHARE (default 0.9) of the subscribers are DMs, the rest channels; a first DM to a user opens
its DM channel, a route Discord (and the emulator) limits to about 50 a second.
The emulator (in this process) has no global limit here and the service's budget is raised, so
that the dispatcher is as busy as it can be; peak RSS (VmHWM) is read from /proc.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import tempfile
import time
from pathlib import Path

from bench.send_rate import cli
from bot.domain import TargetKind
from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.store import open_database
from tests.delivery.support import emulated_discord, service_env, start_service, subscribe_many


def memory(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS) in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024


async def main(count: int, seconds: float, dm_share: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="memory-bench-"))
    db_path = folder / "bench.sqlite3"
    async with emulated_discord() as emu:
        emu.global_limit_per_second = None
        guild = emu.add_guild("Zaif Community")
        dms = int(count * dm_share)
        users = [emu.add_user(f"u{i}") for i in range(dms)]
        channels = [emu.add_channel(guild, f"c{i}") for i in range(count - dms)]
        db = await open_database(db_path)
        await seed(db, shipped_reference())
        await subscribe_many(
            db,
            [(TargetKind.DM, str(u), {}) for u in users]
            + [(TargetKind.CHANNEL, str(c), {"assets": ["BTC"]}) for c in channels],
        )
        await db.close()
        env = service_env(db_path, emu, rate_per_second=1000, concurrency=128)
        service = await start_service(env, folder)
        try:
            rss, peak = memory(service.pid)
            print(f"{count:,} subscriptions; service started: RSS {rss} MiB (peak {peak} MiB)")
            started = time.monotonic()
            await cli(
                env,
                folder,
                "status",
                "set",
                "btc",
                "--deposit",
                "operational",
                "--reason",
                "maintenance",
            )
            print(f"outbox of {count:,} written by the CLI in {time.monotonic() - started:.1f}s")
            await asyncio.sleep(seconds)
            rss, peak = memory(service.pid)
            sent = emu.stats.messages_created
            print(
                f"after {seconds:.0f}s of sending ({sent:,} messages, "
                f"{sent / seconds:.0f}/s): RSS {rss} MiB, peak {peak} MiB"
            )
        finally:
            service.send_signal(signal.SIGTERM)
            await service.wait()


if __name__ == "__main__":
    asyncio.run(
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
            float(sys.argv[2]) if len(sys.argv) > 2 else 60.0,
            float(sys.argv[3]) if len(sys.argv) > 3 else 0.9,
        )
    )
