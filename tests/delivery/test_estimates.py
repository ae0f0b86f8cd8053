"""Reopening estimates end to end: an operator moves a halted pair's estimate twice from Discord,
its subscribers hear of each slip once, and the estimates keep their history."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from bot.app import Application
from bot.chat.component import DiscordFrontEnd
from bot.domain import Direction
from bot.settings import DatabaseSettings, DiscordSettings, Settings, WebSettings
from tests.chat.conftest import wait_for_guild
from tests.delivery.support import wait_for
from tests.discord_emulator import DiscordEmulator


async def test_two_revisions_are_two_notices_and_the_history_is_kept(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = emu.add_guild("Zaif Community", locale="ja")
    operators = emu.add_role(guild, "operators")
    emu.add_channel(guild, "general")
    aiko = emu.add_user("aiko", locale="ja")
    ben = emu.add_user("ben", locale="en-US")
    duty = emu.add_user("duty", locale="ja")
    for member in (aiko, ben):
        emu.add_member(guild, member)
    emu.add_member(guild, duty, roles=[operators])
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database=DatabaseSettings(path=db_path),
        discord=DiscordSettings(
            token=SecretStr(emu.token),
            api_base=emu.api_base,
            gateway_url=emu.gateway_url,
            guild_ids=[guild],
            operator_role_ids=[operators],
        ),
        web=WebSettings(enabled=False),
    )
    app = await Application.open(settings)
    await app.start()
    halt = {"asset": "btc", "direction": "withdrawal", "state": "suspended"}
    try:
        await emu.wait_ready(timeout=10)
        await emu.wait_commands(guild, timeout=10)
        front = next(c for c in app.components if isinstance(c, DiscordFrontEnd))
        await wait_for_guild(front, guild)
        await emu.invoke("subscribe", {"asset": "btc"}, user=aiko, guild=guild, locale="ja")
        await emu.invoke("subscribe", {"asset": "mona"}, user=ben, guild=guild, locale="en-US")
        await emu.invoke("subscribe", {"asset": "btc"}, user=ben, guild=guild, locale="en-US")
        # BTC withdrawals are already suspended (the seed): a first estimate, then two slips.
        for when in ("2026-12-01 10:00", "2026-12-03 10:00", "2026-12-10 18:00"):
            done = await emu.invoke(
                "operator set-status",
                {**halt, "reason": "security_incident", "expected_reopen": when},
                user=duty,
                guild=guild,
                locale="en-US",
            )
            assert done.content is not None and "→" in done.content
        await wait_for(
            lambda: len(emu.dm_messages(aiko)) == 3 and len(emu.dm_messages(ben)) == 3,
            5,
            "three estimate notices each",
        )
        # The same estimate again is no change: nobody hears of it.
        again = await emu.invoke(
            "operator set-status",
            {**halt, "reason": "security_incident", "expected_reopen": "2026-12-10 18:00"},
            user=duty,
            guild=guild,
            locale="en-US",
        )
        assert again.content == "Nothing changed: already in that state."
        estimates = await app.services.status.estimates("BTC")
        statuses = {s.direction: s for s in await app.services.status.current("BTC")}
    finally:
        await app.stop()
    first, second, third = (m["embeds"][0] for m in emu.dm_messages(ben))
    assert first["title"] == "Expected reopening revised"
    assert first["fields"][0]["value"] == "Withdrawal: expected to reopen 2026-12-01 10:00 JST"
    assert second["fields"][0]["value"] == (
        "Withdrawal: expected reopening 2026-12-01 10:00 JST → 2026-12-03 10:00 JST (revision 1)"
    )
    assert third["fields"][0]["value"].endswith("2026-12-10 18:00 JST (revision 2)")
    to_aiko = emu.dm_messages(aiko)[2]["embeds"][0]
    assert to_aiko["title"] == "再開見込みの変更"
    assert "(2回目の変更)" in to_aiko["fields"][0]["value"]
    history = estimates[Direction.WITHDRAWAL]
    assert [e.new_estimate is not None for e in history] == [True, True, True]
    assert [e.old_estimate is None for e in history] == [True, False, False]
    assert all(e.actor == f"discord:{duty}" for e in history)
    assert estimates[Direction.DEPOSIT] == []
    assert statuses[Direction.WITHDRAWAL].estimate_revisions == 2
    assert statuses[Direction.DEPOSIT].expected_reopen is None
