"""/orders: the regulator's orders, listed and one by one."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services.reminders import ReminderService
from tests.chat.conftest import Chat


async def test_the_seeded_orders_newest_first(chat: Chat) -> None:
    result = await chat.emu.invoke("orders", user=chat.aiko, guild=chat.guild)
    embed = result.embeds[0]
    assert embed["title"] == "行政処分の一覧(新しい順)"
    names = [f["name"] for f in embed["fields"]]
    assert [n.split()[1] for n in names] == ["2018-09-25", "2018-06-22", "2018-03-08"]
    assert all(n.endswith("業務改善命令") for n in names)
    assert "報告期限: 2018-09-27" in embed["fields"][0]["value"]


async def test_one_order_with_its_items_and_deadline_in_english(chat: Chat) -> None:
    third = max(await chat.db.repos.orders.list(None), key=lambda o: o.issued_on)
    result = await chat.emu.invoke("orders", {"order": third.id}, user=chat.ben, guild=chat.guild)
    embed = result.embeds[0]
    assert embed["title"] == f"#{third.id} 2018-09-25 Business improvement order"
    description = embed["description"]
    assert description.startswith("3rd business improvement order")
    assert "5. Report on (1)–(4) in writing by 2018-09-27." in description
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Issued by"] == "Kinki Local Finance Bureau"
    assert fields["Status"] == "Open"
    # Due by the end of 2018-09-27 in Japan: 2018-09-27T15:00Z.
    assert fields["Report due"] == "2018-09-27 <t:1538060400:R>"


async def test_an_unknown_order_is_refused(chat: Chat) -> None:
    result = await chat.emu.invoke("orders", {"order": 999}, user=chat.ben, guild=chat.guild)
    assert result.ephemeral
    assert result.content == "There is no regulatory order #999."


async def test_orders_autocomplete(chat: Chat) -> None:
    choices = await chat.emu.autocomplete(
        "orders", {"order": ""}, focused="order", user=chat.ben, guild=chat.guild
    )
    assert len(choices) == 3
    assert choices[0]["name"].endswith("Business improvement order (Kinki Local Finance Bureau)")


async def test_one_order_shows_the_reminders_not_sent(chat: Chat) -> None:
    orders = await chat.db.repos.orders.list(None)
    seeded = max(orders, key=lambda o: o.issued_on)  # the 2018-09-25 order, report due 09-27
    await ReminderService(
        chat.db, clock=lambda: datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    ).skip_missed()

    result = await chat.emu.invoke("orders", {"order": seeded.id}, user=chat.aiko, guild=chat.guild)
    fields = {f["name"]: f["value"] for f in result.embeds[0]["fields"]}
    assert fields["送らなかったリマインダー"] == (
        "期限24時間前のリマインダー: 遅すぎたため送信せず(2026-11-27 21:00 JST に記録)\n"
        "期限当日のリマインダー: 遅すぎたため送信せず(2026-11-27 21:00 JST に記録)"
    )
    english = await chat.emu.invoke("orders", {"order": seeded.id}, user=chat.ben, guild=chat.guild)
    fields = {f["name"]: f["value"] for f in english.embeds[0]["fields"]}
    assert fields["Reminders not sent"].startswith(
        "24-hour warning: not sent, too late (recorded 2026-11-27 21:00 JST)"
    )
    other = min(orders, key=lambda o: o.issued_on)
    plain = await chat.emu.invoke("orders", {"order": other.id}, user=chat.ben, guild=chat.guild)
    assert "Reminders not sent" not in {f["name"] for f in plain.embeds[0]["fields"]}
