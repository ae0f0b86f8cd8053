"""A note without English, end to end: the English DM, page, API and feed mark it; the operator
adds the English from Discord; nobody is alerted again and all four show it. An estimate given
with `operational` is refused."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import feedparser

from bot.settings import WebSettings
from bot.web import WebServer
from tests.delivery.support import bot_settings, dm_alerts, operated_guild, serving, wait_for
from tests.discord_emulator import DiscordEmulator

NOTE = "新ウォレットへの移行が完了しました"
NOTE_EN = "The move to the new wallet is complete"
MARK = "(Not yet translated: shown in the original Japanese)"


async def _untranslated(url: str) -> str:
    async with aiohttp.ClientSession() as session:
        async with session.get(url + "metrics") as response:
            text = await response.text()
    return next(line for line in text.splitlines() if line.startswith("bot_untranslated_texts "))


async def _read(url: str) -> tuple[str, dict[str, object], str]:
    async with aiohttp.ClientSession() as session:
        async with session.get(url + "?lang=en") as page:
            html = await page.text()
        async with session.get(url + "api/v1/assets/XCP") as api:
            asset = await api.json()
        async with session.get(url + "feed.atom?lang=en") as feed:
            atom = await feed.text()
    return html, asset, atom


async def test_a_note_is_marked_until_translated_and_the_translation_alerts_nobody(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = operated_guild(emu)
    ben = emu.add_user("ben", locale="en-US")
    emu.add_member(guild.id, ben)
    settings = bot_settings(db_path, emu, guild, web=WebSettings(port=0))
    async with serving(settings, emu, guild) as app:
        url = next(c for c in app.components if isinstance(c, WebServer)).url
        await emu.invoke("subscribe", {"asset": "xcp"}, user=ben, guild=guild.id, locale="en-US")
        refused = await emu.invoke(
            "operator set-status",
            {
                "asset": "xcp",
                "direction": "both",
                "state": "operational",
                "reason": "wallet_upgrade",
                "expected_reopen": "2026-12-01 10:00",
            },
            user=guild.duty,
            guild=guild.id,
            locale="en-US",
        )
        assert refused.ephemeral and refused.content == (
            "An expected reopening is only for a halted pair: leave it out when setting"
            " operational."
        )
        await emu.invoke(
            "operator set-status",
            {
                "asset": "xcp",
                "direction": "both",
                "state": "operational",
                "reason": "wallet_upgrade",
                "note": NOTE,
            },
            user=guild.duty,
            guild=guild.id,
        )
        await wait_for(lambda: len(dm_alerts(emu, ben)) == 1, 5, "the alert")
        [alert] = dm_alerts(emu, ben)
        assert f"Note: {NOTE}\n{MARK}" in alert["embeds"][0]["description"]
        assert "Expected to reopen" not in alert["embeds"][0]["description"]
        html, asset, atom = await _read(url)
        assert f"{NOTE}\n{MARK}" in html
        deposit = asset["deposit"]
        assert isinstance(deposit, dict)
        assert deposit["note"] == NOTE and deposit["note_en"] == ""
        assert deposit["translated"] is False
        entry = feedparser.parse(atom).entries[0]
        assert NOTE in entry.summary and MARK in entry.summary
        assert await _untranslated(url) == "bot_untranslated_texts 2.0"  # both directions

        done = await emu.invoke(
            "operator translate status",
            {"asset": "xcp", "direction": "both", "note_en": NOTE_EN},
            user=guild.duty,
            guild=guild.id,
            locale="en-US",
        )
        assert done.ephemeral and done.content is not None
        assert done.content.startswith("English added (XCP Deposit, XCP Withdrawal)")
        html, asset, atom = await _read(url)
        untranslated = await app.services.translations.untranslated()
        assert await _untranslated(url) == "bot_untranslated_texts 0.0"
    assert len(dm_alerts(emu, ben)) == 1  # the translation alerted nobody
    assert NOTE_EN in html and f"{NOTE}\n{MARK}" not in html
    deposit = asset["deposit"]
    assert isinstance(deposit, dict)
    assert deposit["note_en"] == NOTE_EN and deposit["translated"] is True
    entry = feedparser.parse(atom).entries[0]
    assert NOTE_EN in entry.summary and MARK not in entry.summary
    assert not [u for u in untranslated if u.subject_key.startswith("XCP/")]
