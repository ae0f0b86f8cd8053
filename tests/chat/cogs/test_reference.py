"""/incident and /support: the shipped facts, in both languages."""

from __future__ import annotations

from tests.chat.conftest import Chat


async def test_incident_timeline_and_losses_in_japanese(chat: Chat) -> None:
    result = await chat.emu.invoke("incident", user=chat.aiko, guild=chat.guild)
    head, timeline, losses = result.embeds
    assert head["title"] == "Zaif 仮想通貨不正流出事件"
    assert "テックビューロ株式会社" in head["fields"][0]["value"]
    dates = [line.split("**")[1] for line in timeline["description"].splitlines()]
    assert dates == [
        "2018-03-08",
        "2018-06-22",
        "2018-09-14",
        "2018-09-17",
        "2018-09-18",
        "2018-09-20",
        "2018-09-25",
    ]
    lines = losses["description"].splitlines()
    assert lines[0] == ("**BTC** 流出 5,966.1 BTC(約42.5億円)/ うち顧客分 2,723.4 BTC(約19.4億円)")
    assert "6,236,810.1 MONA(約6.72億円)" in lines[1]
    fields = {f["name"]: f["value"] for f in losses["fields"]}
    assert fields == {"流出総額": "70億円", "うち顧客資産": "45.87億円"}


async def test_incident_in_english(chat: Chat) -> None:
    result = await chat.emu.invoke("incident", user=chat.ben, guild=chat.guild)
    losses = result.embeds[2]
    assert (
        "**BCH** stolen 42,327.1 BCH (≈¥2.108bn); customers' 40,360 BCH (≈¥2.01bn)"
        in (losses["description"])
    )
    assert {f["value"] for f in losses["fields"]} == {"¥7bn", "¥4.587bn"}


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
