"""The DM channel cache on both engines."""

from __future__ import annotations

from bot.store import Database
from tests.contract.support import T0


async def test_put_replaces_get_and_forget(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        await repos.dm_channels.put("1001", "5001", T0)
        await repos.dm_channels.put("1002", "5002", T0)
        await repos.dm_channels.put("1001", "5003", T0)
    assert await engine_db.repos.dm_channels.get("1001") == "5003"
    assert await engine_db.repos.dm_channels.get("1003") is None
    count = await engine_db.repos.dm_channels.count()
    assert (count, type(count)) == (2, int)
    async with engine_db.transaction() as repos:
        await repos.dm_channels.forget("1001")
    assert await engine_db.repos.dm_channels.get("1001") is None
    assert await engine_db.repos.dm_channels.count() == 1
