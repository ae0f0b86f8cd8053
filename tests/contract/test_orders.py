"""The regulator's orders on both engines."""

from __future__ import annotations

from datetime import date

from bot.domain import NewOrder, OrderAction, OrderItem, OrderStatus, Source
from bot.store import Database
from tests.contract.support import T0

NEW = NewOrder(
    issuer="関東財務局",
    action=OrderAction.REPORT_ORDER,
    issued_on=date(2024, 2, 29),
    legal_basis="資金決済法第63条の15",
    report_due=date(2024, 3, 15),
    url="https://example.org/order",
    summary_ja="報告を求める",
    items=(OrderItem(1, "一つ目"), OrderItem(2, "二つ目", "second")),
)


async def test_an_order_is_added_with_its_items_and_read_back(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        seeded = await repos.orders.list()
        added = await repos.orders.add(NEW, slug="2024-report", source=Source.CLI, now=T0)
    assert type(added.id) is int and added.id not in {o.id for o in seeded}
    found = await engine_db.repos.orders.get(added.id)
    assert found == added
    assert found.slug == "2024-report"
    assert found.issued_on == date(2024, 2, 29) and found.report_due == date(2024, 3, 15)
    assert found.status is OrderStatus.OPEN
    assert found.created_at == T0
    assert found.items == (OrderItem(1, "一つ目", ""), OrderItem(2, "二つ目", "second"))
    assert type(found.items[0].position) is int
    assert await engine_db.repos.orders.find_slug("2024-report") == added
    assert await engine_db.repos.orders.find_slug("nope") is None
    assert await engine_db.repos.orders.get(10**9) is None


async def test_status_translation_and_listing(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        seeded = await repos.orders.list()
        added = await repos.orders.add(NEW, slug="s", source=Source.CLI, now=T0)
        await repos.orders.set_status(added.id, OrderStatus.REPORTED)
        await repos.orders.translate(added.id, "Report requested", "Kanto Finance Bureau")
    assert seeded, "the shipped orders are seeded"
    every = await engine_db.repos.orders.list()
    assert [o.id for o in every] == [o.id for o in seeded] + [added.id]  # by issued_on, id
    assert [o.issued_on for o in every] == sorted(o.issued_on for o in every)
    reported = await engine_db.repos.orders.list(OrderStatus.REPORTED)
    assert added.id in {o.id for o in reported}
    assert all(o.status is OrderStatus.REPORTED for o in reported)
    found = await engine_db.repos.orders.get(added.id)
    assert found is not None
    assert (found.summary_en, found.issuer_en) == ("Report requested", "Kanto Finance Bureau")
