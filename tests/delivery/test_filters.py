"""An operator change reaches every matching subscriber and no other, in each one's language."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.app import Application
from bot.domain import (
    Direction,
    EventFilter,
    NewOrder,
    OrderAction,
    Reason,
    Source,
    State,
    StatusRequest,
    Target,
    TargetKind,
)
from tests.delivery.support import (
    WebhookReceiver,
    service_settings,
    subscribe_many,
    wait_for,
)
from tests.discord_emulator import DiscordEmulator


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    server = WebhookReceiver()
    await server.start()
    yield server
    await server.stop()


def request(*targets: Target, note: str = "", reason: Reason = Reason.MAINTENANCE) -> StatusRequest:
    return StatusRequest(targets, reason, note, "ops:test", Source.DISCORD)


async def test_each_subscriber_gets_what_it_asked_for_in_its_language(
    emu: DiscordEmulator, receiver: WebhookReceiver, db_path: Path
) -> None:
    guild = emu.add_guild("Zaif Community")
    ja_all = emu.add_user("kenji", locale="ja")
    en_btc = emu.add_user("alice", locale="en-US")
    en_bch = emu.add_user("bob", locale="en-US")
    mona_channel = emu.add_channel(guild, "mona-alerts")
    orders_channel = emu.add_channel(guild, "regulator")
    receiver.secrets["btc"] = "s3cret-btc"
    app = await Application.open(service_settings(db_path, emu))
    await subscribe_many(
        app.db,
        [
            (TargetKind.DM, str(ja_all), {"locale": "ja"}),
            (TargetKind.DM, str(en_btc), {"locale": "en-US", "assets": ["BTC"]}),
            (TargetKind.DM, str(en_bch), {"locale": "en-US", "assets": ["BCH"]}),
            (
                TargetKind.CHANNEL,
                str(mona_channel),
                {"locale": "en", "assets": ["MONA"], "events": EventFilter.STATUS},
            ),
            (TargetKind.CHANNEL, str(orders_channel), {"events": EventFilter.ORDERS}),
            (
                TargetKind.WEBHOOK,
                receiver.url("btc"),
                {"locale": "en", "assets": ["BTC"], "secret": "s3cret-btc"},
            ),
        ],
    )
    await app.start()
    try:
        result = await app.services.status.change(
            request(
                Target("BTC", Direction.DEPOSIT, State.OPERATIONAL),
                Target("MONA", Direction.WITHDRAWAL, State.MAINTENANCE),
                note="@everyone wallet check",
            )
        )
        assert result.deliveries == 4  # kenji, alice, the MONA channel, the webhook
        await wait_for(
            lambda: bool(
                emu.dm_messages(ja_all)
                and emu.dm_messages(en_btc)
                and emu.messages(mona_channel)
                and receiver.received.get("btc")
            ),
            5,
            "the four deliveries",
        )
        # Japanese, both changes, one message.
        [ja_message] = emu.dm_messages(ja_all)
        [embed] = ja_message["embeds"]
        assert embed["title"] == "入出金状況のお知らせ"
        assert [f["name"] for f in embed["fields"]] == ["BTC ビットコイン", "MONA モナコイン"]
        assert embed["fields"][0]["value"] == "入金: 停止中 → 稼働中"
        assert "理由: メンテナンス" in embed["description"]
        assert embed["footer"]["text"].endswith("JST")
        assert ja_message["allowed_mentions"] == {"parse": []}
        assert ja_message["nonce"].startswith("dlv")
        # English, only the asset asked for.
        [en_message] = emu.dm_messages(en_btc)
        [en_embed] = en_message["embeds"]
        assert en_embed["title"] == "Deposit/withdrawal status update"
        assert [f["name"] for f in en_embed["fields"]] == ["BTC Bitcoin"]
        assert en_embed["fields"][0]["value"] == "Deposit: Suspended → Operational"
        assert "Note: @everyone wallet check" in en_embed["description"]
        [mona] = emu.messages(mona_channel)
        assert [f["name"] for f in mona["embeds"][0]["fields"]] == ["MONA Monacoin"]
        assert mona["allowed_mentions"] == {"parse": []}
        # The webhook: signed (the receiver refuses bad signatures), BTC only.
        [hook] = receiver.received["btc"]
        assert receiver.bad_signatures == 0
        assert [c["asset"] for c in hook.document["event"]["payload"]["changes"]] == ["BTC"]
        assert hook.document["embed"]["fields"][0]["name"] == "BTC Bitcoin"
        assert hook.headers["X-Delivery-Id"] == str(hook.document["delivery_id"])
        # No one else heard anything.
        assert emu.dm_messages(en_bch) == []
        assert emu.messages(orders_channel) == []

        # An order: only the subscriptions that want orders.
        await app.services.orders.add(
            NewOrder(
                issuer="近畿財務局",
                action=OrderAction.BUSINESS_IMPROVEMENT,
                issued_on=date(2018, 9, 25),
                report_due=date(2018, 9, 27),
                url="https://lfb.mof.go.jp/kinki/",
                summary_ja="資金決済法に基づく業務改善命令",
            ),
            actor="ops:test",
            source=Source.DISCORD,
        )
        await wait_for(lambda: bool(emu.messages(orders_channel)), 5, "the order alert")
        await wait_for(lambda: len(emu.dm_messages(en_bch)) == 1, 5, "the order alert by DM")
        [order] = emu.messages(orders_channel)
        fields = {f["name"]: f["value"] for f in order["embeds"][0]["fields"]}
        assert fields["処分庁"] == "近畿財務局"
        assert fields["報告期限"].startswith("2018-09-27")
        assert fields["詳細"] == "https://lfb.mof.go.jp/kinki/"
        assert emu.dm_messages(en_bch)[0]["embeds"][0]["title"] == (
            "Regulatory action: Business improvement order"
        )
        assert len(emu.messages(mona_channel)) == 1  # status only: no order
        await wait_for(lambda: len(receiver.received["btc"]) == 2, 5, "the order webhook")
        assert receiver.received["btc"][1].document["event"]["kind"] == "order"
    finally:
        await app.stop()


async def test_all_assets_at_once_is_one_message_per_subscriber(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = emu.add_guild("Zaif Community")
    users = [emu.add_user(f"user{i}", locale="ja" if i % 2 else "en-GB") for i in range(6)]
    channel = emu.add_channel(guild, "all-alerts")
    app = await Application.open(service_settings(db_path, emu))
    await subscribe_many(
        app.db,
        [
            (TargetKind.DM, str(u), {"locale": "ja" if i % 2 else "en-GB"})
            for i, u in enumerate(users)
        ]
        + [(TargetKind.CHANNEL, str(channel), {"assets": ["BTC", "ZAIF"]})],
    )
    await app.start()
    stopped = False
    try:
        codes = [a.code for a in await app.services.status.assets()]
        targets = [
            Target(code, direction, State.OPERATIONAL) for code in codes for direction in Direction
        ]
        result = await app.services.status.change(
            request(*targets, note="x" * 500, reason=Reason.BUSINESS_TRANSFER)
        )
        assert len(result.changes) == 22
        await wait_for(
            lambda: all(emu.dm_messages(u) for u in users) and bool(emu.messages(channel)),
            5,
            "one alert each",
        )
        await app.stop()  # nothing more may come: every subscriber has its one message
        stopped = True
        for user in users:
            [message] = emu.dm_messages(user)
            [embed] = message["embeds"]
            assert len(embed["fields"]) == 11
            assert sum(f["value"].count("\n") + 1 for f in embed["fields"]) == 22
            assert len(json.dumps(embed, ensure_ascii=False)) < 6000
        [in_channel] = emu.messages(channel)
        names = [f["name"].split()[0] for f in in_channel["embeds"][0]["fields"]]
        assert names == ["BTC", "ZAIF"]
    finally:
        if not stopped:
            await app.stop()
