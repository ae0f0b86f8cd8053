"""The regulator's orders and their items."""

from __future__ import annotations

from datetime import date, datetime

from bot.clock import from_db, to_db
from bot.domain import NewOrder, Order, OrderAction, OrderItem, OrderStatus, Source
from bot.store.sql import Row, Sql

_COLUMNS = (
    "id, slug, issuer, action, legal_basis, issued_on, report_due, url, summary_ja, summary_en,"
    " source, status, created_at, issuer_en"
)


class OrderRepo:
    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def _items(self, order_id: int) -> tuple[OrderItem, ...]:
        async with self._conn.execute(
            "SELECT position, text_ja, text_en FROM order_items WHERE order_id = ?"
            " ORDER BY position",
            (order_id,),
        ) as cursor:
            return tuple(OrderItem(r[0], r[1], r[2]) for r in await cursor.fetchall())

    async def _build(self, row: Row) -> Order:
        return Order(
            id=row[0],
            slug=row[1],
            issuer=row[2],
            action=OrderAction(row[3]),
            legal_basis=row[4],
            issued_on=date.fromisoformat(row[5]),
            report_due=date.fromisoformat(row[6]) if row[6] else None,
            url=row[7],
            summary_ja=row[8],
            summary_en=row[9],
            source=Source(row[10]),
            status=OrderStatus(row[11]),
            created_at=from_db(row[12]),
            issuer_en=row[13],
            items=await self._items(row[0]),
        )

    async def get(self, order_id: int) -> Order | None:
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM orders WHERE id = ?", (order_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return await self._build(row) if row else None

    async def find_slug(self, slug: str) -> Order | None:
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM orders WHERE slug = ?", (slug,)
        ) as cursor:
            row = await cursor.fetchone()
        return await self._build(row) if row else None

    async def list(self, status: OrderStatus | None = None) -> list[Order]:
        where, params = ("WHERE status = ?", (status.value,)) if status else ("", ())
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM orders {where} ORDER BY issued_on, id", params
        ) as cursor:
            rows = await cursor.fetchall()
        return [await self._build(row) for row in rows]

    async def add(self, order: NewOrder, *, slug: str, source: Source, now: datetime) -> Order:
        order_id = await self._conn.insert(
            "INSERT INTO orders (slug, issuer, action, legal_basis, issued_on, report_due, url,"
            " summary_ja, summary_en, source, status, created_at, issuer_en)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
            (
                slug,
                order.issuer,
                order.action.value,
                order.legal_basis,
                order.issued_on.isoformat(),
                order.report_due.isoformat() if order.report_due else None,
                order.url,
                order.summary_ja,
                order.summary_en,
                source.value,
                to_db(now),
                order.issuer_en,
            ),
        )
        await self._conn.executemany(
            "INSERT INTO order_items (order_id, position, text_ja, text_en) VALUES (?, ?, ?, ?)",
            [(order_id, item.position, item.text_ja, item.text_en) for item in order.items],
        )
        saved = await self.get(order_id)
        assert saved is not None
        return saved

    async def translate(self, order_id: int, summary_en: str, issuer_en: str) -> None:
        await self._conn.execute(
            "UPDATE orders SET summary_en = ?, issuer_en = ? WHERE id = ?",
            (summary_en, issuer_en, order_id),
        )

    async def set_status(self, order_id: int, status: OrderStatus) -> None:
        await self._conn.execute(
            "UPDATE orders SET status = ? WHERE id = ?", (status.value, order_id)
        )
