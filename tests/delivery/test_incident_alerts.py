"""From /subscribe and /operator incident to subscribers' DMs: each step alerts each `incidents`
subscriber once, in its language, cut to its assets; a later translation alerts nobody."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.domain import EventFilter
from bot.settings import DeliverySettings
from tests.delivery.support import bot_settings, dm_alerts, operated_guild, serving, wait_for
from tests.discord_emulator import DiscordEmulator

UNTRANSLATED_EN = "(Not yet translated: shown in the original Japanese)"


async def test_each_step_alerts_each_subscriber_once_in_its_language(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = operated_guild(emu)
    aiko = emu.add_user("aiko", locale="ja")  # incidents, all assets, Japanese
    ben = emu.add_user("ben", locale="en-US")  # incidents, all assets, English
    carol = emu.add_user("carol", locale="ja")  # incidents, MONA only
    dave = emu.add_user("dave", locale="ja")  # every kind of alert, all assets
    erin = emu.add_user("erin", locale="ja")  # status changes only
    for member in (aiko, ben, carol, dave, erin):
        emu.add_member(guild.id, member)
    settings = bot_settings(
        db_path, emu, guild, delivery=DeliverySettings(poll_seconds=0.2, dm_opens_per_minute=6000)
    )
    async with serving(settings, emu, guild) as app:
        for user, locale, options in (
            (aiko, "ja", {"events": "incidents"}),
            (ben, "en-US", {"events": "incidents"}),
            (carol, "ja", {"asset": "mona", "events": "incidents"}),
            (dave, "ja", {"events": "all"}),
            (erin, "ja", {"events": "status"}),
        ):
            subscribed = await emu.invoke(
                "subscribe", options, user=user, guild=guild.id, locale=locale
            )
            assert subscribed.content is not None
        subscriptions = {s.target: s for s in await app.services.subscriptions.list()}
        assert subscriptions[str(carol)].assets == frozenset({"MONA"})
        assert subscriptions[str(ben)].events is EventFilter.INCIDENTS
        hearing = (aiko, ben, dave)

        async def step(name: str, options: dict[str, object], count: int) -> None:
            done = await emu.invoke(name, options, user=guild.duty, guild=guild.id)
            assert done.content is not None and "お知らせを送りました" in done.content
            await wait_for(
                lambda: all(len(dm_alerts(emu, u)) >= count for u in hearing), 5, f"alert {count}"
            )

        await step(
            "operator incident open",
            {"title": "BTC出金の遅延", "message": "BTCの出金が遅れています。", "assets": "BTC"},
            1,
        )
        await step(
            "operator incident update",
            {
                "incident": 2,
                "stage": "identified",
                "message": "ノードの同期遅れが原因です。",
                "message_en": "A node fell behind.",
            },
            2,
        )
        await step("operator incident resolve", {"incident": 2, "message": "解決しました。"}, 3)
        await step(
            "operator incident update",
            {"incident": 2, "stage": "postmortem", "message": "事後報告です。"},
            4,
        )
        deliveries = await app.db.repos.outbox.count()
        incident = await app.services.incidents.get(2)
        first = incident.updates[0].id
        translated = await emu.invoke(
            "operator incident translate",
            {
                "update": first,
                "message_en": "BTC withdrawals are delayed.",
                "title_en": "BTC withdrawals delayed",
            },
            user=guild.duty,
            guild=guild.id,
        )
        assert translated.content is not None and "お知らせは送っていません" in translated.content
        await asyncio.sleep(0.6)  # three polls of the dispatcher: nothing new may go out
        assert await app.db.repos.outbox.count() == deliveries
        shown = await emu.invoke("incident", {"incident": 2}, user=ben, guild=guild.id)

    titles = [m["embeds"][0]["title"] for m in dm_alerts(emu, aiko)]
    assert titles == [
        "障害発生 #2: BTC出金の遅延",
        "障害の続報 #2: BTC出金の遅延",
        "障害の解決 #2: BTC出金の遅延",
        "障害の事後報告 #2: BTC出金の遅延",
    ]
    assert dm_alerts(emu, aiko)[0]["embeds"][0]["description"] == "BTCの出金が遅れています。"
    to_ben = [m["embeds"][0] for m in dm_alerts(emu, ben)]
    assert [e["title"].split(" #")[0] for e in to_ben] == [
        "New incident",
        "Incident update",
        "Incident resolved",
        "Incident postmortem",
    ]
    assert to_ben[0]["description"] == f"BTCの出金が遅れています。\n{UNTRANSLATED_EN}"
    assert to_ben[1]["description"] == "A node fell behind."
    assert {f["name"]: f["value"] for f in to_ben[1]["fields"]} == {
        "Stage": "Identified",
        "Impact": "Major",
        "Assets": "BTC",
    }
    assert len(dm_alerts(emu, dave)) == 4
    assert dm_alerts(emu, carol) == []  # MONA only: the incident is about BTC
    assert dm_alerts(emu, erin) == []  # status changes only
    assert shown.embeds[0]["title"] == "#2 BTC withdrawals delayed"
    timeline = shown.embeds[0]["description"]
    assert "BTC withdrawals are delayed." in timeline
    assert "BTCの出金が遅れています。" not in timeline
