"""/support: the shipped facts, in both languages."""

from __future__ import annotations

from tests.chat.conftest import Chat


async def test_support_desk(chat: Chat) -> None:
    japanese = await chat.emu.invoke("support", user=chat.aiko, guild=chat.guild)
    embed = japanese.embeds[0]
    assert embed["title"] == "Zaifサポートセンター"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["電話"] == "03-6629-2471 / 03-6629-2842"
    assert fields["受付時間"] == "10:00〜17:30(土日祝含む)"
    assert fields["お問い合わせフォーム"] == "https://zaif.jp/contact"
    english = await chat.emu.invoke("support", user=chat.ben, guild=chat.guild)
    assert english.embeds[0]["title"] == "Zaif Support Center"
