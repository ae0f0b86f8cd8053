"""Events on both engines: added, read back whole, listed by kind."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import EventKind, Source
from bot.store import Database
from tests.contract.support import T0, add_event


async def test_an_event_comes_back_as_it_went_in(engine_db: Database) -> None:
    payload = {"reason": "maintenance", "note": "点検", "n": 3, "x": 1.5, "ok": True, "none": None}
    async with engine_db.transaction() as repos:
        added = await add_event(repos, EventKind.NOTICE, assets=["BTC", "MONA"], payload=payload)
    assert type(added.id) is int
    found = await engine_db.repos.events.get(added.id)
    assert found == added
    assert found.payload == payload and type(found.payload["x"]) is float
    assert found.assets == ("BTC", "MONA") and found.created_at == T0
    assert found.source is Source.CLI
    assert await engine_db.repos.events.get(10**9) is None


async def test_latest_is_newest_first_by_kind(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        kinds = [EventKind.STATUS, EventKind.ORDER, EventKind.STATUS, EventKind.MAINTENANCE]
        added = [
            await add_event(repos, kind, at=T0 + timedelta(minutes=n))
            for n, kind in enumerate(kinds)
        ]
    latest = engine_db.repos.events.latest
    assert [e.id for e in await latest()] == [e.id for e in reversed(added)]
    assert [e.id for e in await latest(2)] == [added[3].id, added[2].id]
    assert [e.id for e in await latest(kinds=[EventKind.STATUS])] == [added[2].id, added[0].id]
    both = await latest(kinds=[EventKind.ORDER, EventKind.MAINTENANCE])
    assert [e.kind for e in both] == [EventKind.MAINTENANCE, EventKind.ORDER]
    count = await engine_db.repos.events.count()
    assert (count, type(count)) == (4, int)
