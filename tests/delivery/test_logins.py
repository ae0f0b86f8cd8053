"""The transport logs in to Discord once: its further REST clients (channels are spread over
several) take the first login's answer instead of spending a request each of the shared budget."""

from __future__ import annotations

from pathlib import Path

from bot.delivery.discord_transport import SHARDS
from bot.domain import Direction, Reason, Source, State, StatusRequest, Target, TargetKind
from tests.delivery.support import bot_settings, operated_guild, serving, subscribe_many, wait_for
from tests.discord_emulator import DiscordEmulator


async def test_one_login_serves_every_client(emu: DiscordEmulator, db_path: Path) -> None:
    guild = operated_guild(emu)
    channels = [emu.add_channel(guild.id, f"alerts-{n}") for n in range(40)]
    assert len({c % SHARDS for c in channels}) > 4  # the alerts go out on several clients
    async with serving(bot_settings(db_path, emu, guild), emu, guild) as app:
        await subscribe_many(app.db, [(TargetKind.CHANNEL, str(c), {}) for c in channels])
        before = emu.stats.logins
        await app.services.status.change(
            StatusRequest(
                (Target("BTC", Direction.DEPOSIT, State.MAINTENANCE),),
                Reason.MAINTENANCE,
                "",
                "ops",
                Source.CLI,
            )
        )
        await wait_for(lambda: all(emu.messages(c) for c in channels), 20, "every channel")
    assert emu.stats.logins == before + 1
