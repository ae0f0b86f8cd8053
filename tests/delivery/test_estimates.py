"""Reopening estimates end to end: an operator moves a halted pair's estimate twice from Discord,
its subscribers hear of each slip once, and the estimates keep their history."""

from __future__ import annotations

import functools
from pathlib import Path

from bot.domain import Direction
from tests.delivery.support import bot_settings, dm_alerts, operated_guild, serving, wait_for
from tests.discord_emulator import DiscordEmulator


async def test_two_revisions_are_two_notices_and_the_history_is_kept(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = operated_guild(emu)
    aiko = emu.add_user("aiko", locale="ja")
    ben = emu.add_user("ben", locale="en-US")
    for member in (aiko, ben):
        emu.add_member(guild.id, member)
    halt = {"asset": "btc", "direction": "withdrawal", "state": "suspended"}

    def notices_each(count: int) -> bool:
        return len(dm_alerts(emu, aiko)) == len(dm_alerts(emu, ben)) == count

    async with serving(bot_settings(db_path, emu, guild), emu, guild) as app:
        await emu.invoke("subscribe", {"asset": "btc"}, user=aiko, guild=guild.id, locale="ja")
        await emu.invoke("subscribe", {"asset": "mona"}, user=ben, guild=guild.id, locale="en-US")
        await emu.invoke("subscribe", {"asset": "btc"}, user=ben, guild=guild.id, locale="en-US")
        # BTC withdrawals are already suspended (the seed): a first estimate, then two slips.
        # Each is sent before the next: a notice still waiting would be merged into the next.
        for n, when in enumerate(("2026-12-01 10:00", "2026-12-03 10:00", "2026-12-10 18:00")):
            done = await emu.invoke(
                "operator set-status",
                {**halt, "reason": "security_incident", "expected_reopen": when},
                user=guild.duty,
                guild=guild.id,
                locale="en-US",
            )
            assert done.content is not None and "→" in done.content
            await wait_for(functools.partial(notices_each, n + 1), 5, "the estimate notices")
        # The same estimate again is no change: nobody hears of it.
        again = await emu.invoke(
            "operator set-status",
            {**halt, "reason": "security_incident", "expected_reopen": "2026-12-10 18:00"},
            user=guild.duty,
            guild=guild.id,
            locale="en-US",
        )
        assert again.content == "Nothing changed: already in that state."
        estimates = await app.services.status.estimates("BTC")
        statuses = {s.direction: s for s in await app.services.status.current("BTC")}
    first, second, third = (m["embeds"][0] for m in dm_alerts(emu, ben))
    assert first["title"] == "Expected reopening revised"
    assert first["fields"][0]["value"] == "Withdrawal: expected to reopen 2026-12-01 10:00 JST"
    assert second["fields"][0]["value"] == (
        "Withdrawal: expected reopening 2026-12-01 10:00 JST → 2026-12-03 10:00 JST (revision 1)"
    )
    assert third["fields"][0]["value"].endswith("2026-12-10 18:00 JST (revision 2)")
    to_aiko = dm_alerts(emu, aiko)[2]["embeds"][0]
    assert to_aiko["title"] == "再開見込みの変更"
    assert "(2回目の変更)" in to_aiko["fields"][0]["value"]
    history = estimates[Direction.WITHDRAWAL]
    assert [e.new_estimate is not None for e in history] == [True, True, True]
    assert [e.old_estimate is None for e in history] == [True, False, False]
    assert all(e.actor == f"discord:{guild.duty}" for e in history)
    assert estimates[Direction.DEPOSIT] == []
    assert statuses[Direction.WITHDRAWAL].estimate_revisions == 2
    assert statuses[Direction.DEPOSIT].expected_reopen is None
