"""/incident: the open incidents, or one with its whole timeline and losses, in both languages."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain import IncidentStage, NewIncident, Source
from bot.services.incidents import IncidentService
from tests.chat.conftest import Chat

SEEDED_TIMES = [
    "2018-09-14 17:00 JST",
    "2018-09-17 00:00 JST",
    "2018-09-18 00:00 JST",
    "2018-09-20 00:00 JST",
    "2018-09-25 00:00 JST",
]


def _times(description: str) -> list[str]:
    return [line.split("**")[1] for line in description.splitlines() if line.startswith("**")]


async def test_the_outflow_is_incident_1_with_its_timeline_in_japanese(chat: Chat) -> None:
    result = await chat.emu.invoke("incident", {"incident": 1}, user=chat.aiko, guild=chat.guild)
    head, losses = result.embeds
    assert head["title"] == "#1 Zaif 仮想通貨不正流出(BTC・MONA・BCH)"
    fields = {f["name"]: f["value"] for f in head["fields"]}
    assert fields["段階"] == "原因特定"
    assert fields["影響"] == "深刻"
    assert fields["対象銘柄"] == "全銘柄"
    assert fields["発生"] == "2018-09-14 17:00 JST"
    assert _times(head["description"]) == SEEDED_TIMES
    stages = [line.split(" · ")[1] for line in head["description"].splitlines() if "**" in line]
    assert stages == ["調査中", "調査中", "調査中", "原因特定", "原因特定"]
    assert "報告徴求命令" in head["description"]
    assert "11銘柄すべての入出金が停止" in head["description"]
    lines = losses["description"].splitlines()
    assert lines[0] == ("**BTC** 流出 5,966.1 BTC(約42.5億円)/ うち顧客分 2,723.4 BTC(約19.4億円)")
    assert "6,236,810.1 MONA(約6.72億円)" in lines[1]
    totals = {f["name"]: f["value"] for f in losses["fields"]}
    assert totals == {"流出総額": "70.3億円", "うち顧客資産": "45.87億円"}


async def test_the_outflow_in_english(chat: Chat) -> None:
    result = await chat.emu.invoke("incident", {"incident": 1}, user=chat.ben, guild=chat.guild)
    head, losses = result.embeds
    assert head["title"] == "#1 Zaif crypto-asset outflow (BTC, MONA, BCH)"
    fields = {f["name"]: f["value"] for f in head["fields"]}
    assert (fields["Stage"], fields["Impact"], fields["Assets"]) == (
        "Identified",
        "Critical",
        "all assets",
    )
    assert _times(head["description"]) == SEEDED_TIMES
    assert "Payment Services Act" in head["description"]
    assert "(Not yet translated" not in head["description"]
    assert (
        "**BCH** stolen 42,327.1 BCH (≈¥2.108bn); customers' 40,360 BCH (≈¥2.01bn)"
        in losses["description"]
    )


async def test_without_an_option_the_open_incidents_newest_first(chat: Chat) -> None:
    service = IncidentService(chat.db)
    await service.open(
        NewIncident(
            title_ja="MONA送金遅延", message_ja="MONAの出金が遅れています。", assets=("MONA",)
        ),
        actor="ops",
        source=Source.CLI,
    )
    result = await chat.emu.invoke("incident", user=chat.ben, guild=chat.guild)
    [embed] = result.embeds
    assert embed["title"] == "Open incidents"
    names = [f["name"] for f in embed["fields"]]
    assert names == ["#2 MONA送金遅延", "#1 Zaif crypto-asset outflow (BTC, MONA, BCH)"]
    mona = embed["fields"][0]["value"]
    assert mona.startswith("Investigating · Major · MONA")
    assert "MONAの出金が遅れています。\n(Not yet translated" in mona
    outflow = embed["fields"][1]["value"]
    assert "**2018-09-25 00:00 JST** · Identified" in outflow  # the latest update only
    assert "2018-09-14" not in outflow


async def test_the_only_open_incident_is_shown_whole_with_its_losses(chat: Chat) -> None:
    # The seeded outflow is the one open incident: without an option it comes as with one.
    alone = await chat.emu.invoke("incident", user=chat.aiko, guild=chat.guild)
    named = await chat.emu.invoke("incident", {"incident": 1}, user=chat.aiko, guild=chat.guild)
    assert alone.embeds == named.embeds
    head, losses = alone.embeds
    assert head["title"] == "#1 Zaif 仮想通貨不正流出(BTC・MONA・BCH)"
    assert _times(head["description"]) == SEEDED_TIMES
    assert losses["description"].startswith("**BTC** 流出 5,966.1 BTC(約42.5億円)")
    assert {f["name"]: f["value"] for f in losses["fields"]}["流出総額"] == "70.3億円"


async def test_no_open_incidents(chat: Chat) -> None:
    await IncidentService(chat.db).resolve(1, "解決", actor="ops", source=Source.CLI)
    result = await chat.emu.invoke("incident", user=chat.aiko, guild=chat.guild)
    assert result.embeds[0]["description"] == "現在、対応中の障害はありません。"


async def test_an_unknown_incident_is_refused_in_the_users_language(chat: Chat) -> None:
    ja = await chat.emu.invoke("incident", {"incident": 99}, user=chat.aiko, guild=chat.guild)
    assert ja.ephemeral and ja.content == "障害 #99 は見つかりません。"
    en = await chat.emu.invoke("incident", {"incident": 99}, user=chat.ben, guild=chat.guild)
    assert en.ephemeral and en.content == "There is no incident #99."


async def test_a_long_timeline_keeps_the_newest_updates_within_discords_limits(chat: Chat) -> None:
    service = IncidentService(chat.db, clock=lambda: datetime(2026, 11, 30, tzinfo=UTC))
    for n in range(12):
        stage = IncidentStage.MONITORING if n % 2 else IncidentStage.IDENTIFIED
        await service.update(1, stage, f"続報{n}" + "い" * 1990, actor="ops", source=Source.CLI)
    # The emulator refuses what Discord would: a description over 4,096 characters, or more
    # than 6,000 over both embeds (the timeline and the losses).
    result = await chat.emu.invoke("incident", {"incident": 1}, user=chat.ben, guild=chat.guild)
    head, losses = result.embeds
    description = head["description"]
    assert len(description) <= 4096
    assert description.startswith("(")  # how many older updates were left out
    assert "続報11" in description  # the newest is kept
    assert "Between 17:00 and 19:00" not in description
    assert losses["title"] == "Losses (estimates)"


async def test_incident_autocomplete_offers_open_incidents_first(chat: Chat) -> None:
    service = IncidentService(chat.db)
    await service.open(
        NewIncident(title_ja="BTC遅延", message_ja="遅延"), actor="ops", source=Source.CLI
    )
    await service.resolve(2, "解決", actor="ops", source=Source.CLI)
    choices = await chat.emu.autocomplete(
        "incident", {"incident": ""}, focused="incident", user=chat.aiko, guild=chat.guild
    )
    assert [c["value"] for c in choices] == [1, 2]
    typed = await chat.emu.autocomplete(
        "incident", {"incident": "遅延"}, focused="incident", user=chat.aiko, guild=chat.guild
    )
    assert [c["value"] for c in typed] == [2]
