"""The DM channel cache on both engines."""

from __future__ import annotations

from bot.domain import TargetKind
from bot.store import Database
from tests.contract.support import T0, subscription


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


async def test_unopened_lists_active_dm_subscribers_without_a_channel(
    engine_db: Database,
) -> None:
    async with engine_db.transaction() as repos:
        await repos.subscriptions.add_many(
            [
                subscription("2001"),
                subscription("2002"),
                subscription("2003"),
                subscription("2004"),
                subscription("3001", kind=TargetKind.CHANNEL, guild_id="9"),
            ]
        )
        await repos.dm_channels.put("2002", "6002", T0)
    subs = {s.target: s.id for s in await engine_db.repos.subscriptions.list()}
    async with engine_db.transaction() as repos:
        await repos.subscriptions.disable(subs["2004"], "403 50007: closed")
    found = await engine_db.repos.dm_channels.unopened(0, 10)
    assert found == [(subs["2001"], "2001"), (subs["2003"], "2003")]
    assert await engine_db.repos.dm_channels.unopened(subs["2001"], 10) == [(subs["2003"], "2003")]
    assert await engine_db.repos.dm_channels.unopened(0, 1) == [(subs["2001"], "2001")]
