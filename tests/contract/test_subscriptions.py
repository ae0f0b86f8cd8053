"""Subscriptions on both engines: saved with their assets and modes, found by id lists."""

from __future__ import annotations

from dataclasses import replace

from bot.domain import AlertMode, EventFilter, TargetKind
from bot.store import Database
from tests.contract.support import T0, subscription


async def test_subscribe_saves_assets_and_replaces_by_target(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        saved = await repos.subscriptions.save(
            subscription("42", assets=["BTC", "MONA"], events=EventFilter.STATUS)
        )
        again = await repos.subscriptions.save(subscription("42", assets=["XCP"]))
    assert type(saved.id) is int
    assert again.id == saved.id
    assert saved.assets == frozenset({"BTC", "MONA"}) and saved.all_assets is False
    assert again.assets == frozenset({"XCP"}) and again.events is EventFilter.ALL
    found = await engine_db.repos.subscriptions.find(TargetKind.DM, "42")
    assert found == again
    assert found.created_at == T0 and found.active is True
    assert found.secret is None and found.guild_id is None
    assert await engine_db.repos.subscriptions.find(TargetKind.CHANNEL, "42") is None
    async with engine_db.transaction() as repos:
        everything = await repos.subscriptions.save(subscription("42"))
    assert everything.all_assets is True and everything.assets == frozenset()


async def test_modes_are_stored_with_their_times(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        sub = await repos.subscriptions.save(
            subscription("1", mode=AlertMode.QUIET, quiet=("23:00", "07:00"))
        )
        digest = replace(sub, mode=AlertMode.DIGEST, quiet_from=None, quiet_until=None)
        await repos.subscriptions.set_mode(replace(digest, digest_at="21:00"))
    assert sub.mode is AlertMode.QUIET and (sub.quiet_from, sub.quiet_until) == ("23:00", "07:00")
    stored = await engine_db.repos.subscriptions.get(sub.id)
    assert stored is not None and stored.mode is AlertMode.DIGEST
    assert (stored.quiet_from, stored.quiet_until, stored.digest_at) == (None, None, "21:00")


async def test_lookups_by_id_list_kind_targets_and_guild(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        dm = await repos.subscriptions.save(subscription("1", assets=["BTC"]))
        channel = await repos.subscriptions.save(
            subscription("2", kind=TargetKind.CHANNEL, guild_id="g1")
        )
        other = await repos.subscriptions.save(
            subscription("3", kind=TargetKind.CHANNEL, guild_id="g2")
        )
    many = await engine_db.repos.subscriptions.get_many([other.id, dm.id, dm.id, 10**9])
    assert many == {dm.id: dm, other.id: other}
    assert all(type(key) is int for key in many)
    assert await engine_db.repos.subscriptions.get_many([]) == {}
    listed = engine_db.repos.subscriptions.list
    assert [s.id for s in await listed()] == [dm.id, channel.id, other.id]
    assert [s.id for s in await listed(TargetKind.CHANNEL)] == [channel.id, other.id]
    assert [s.id for s in await listed(targets=["3", "1"])] == [dm.id, other.id]
    assert await listed(targets=[]) == []
    assert [s.id for s in await listed(guild_id="g1")] == [channel.id]
    assert await engine_db.repos.subscriptions.get(10**9) is None


async def test_add_many_disable_delete_and_counts(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        added = await repos.subscriptions.add_many(
            [subscription("1", assets=["BTC", "BCH"]), subscription("2"), subscription("1")]
        )
        assert (added, type(added)) == (2, int)
        first = await repos.subscriptions.find(TargetKind.DM, "1")
        second = await repos.subscriptions.find(TargetKind.DM, "2")
        assert first is not None and second is not None
        assert first.assets == frozenset({"BTC", "BCH"})
        await repos.subscriptions.disable(first.id, "403 Forbidden")
        await repos.subscriptions.set_last_error(second.id, "timeout")
    disabled = await engine_db.repos.subscriptions.get(first.id)
    assert disabled is not None and disabled.active is False
    assert (disabled.disabled_reason, disabled.last_error) == ("403 Forbidden", "403 Forbidden")
    erring = await engine_db.repos.subscriptions.get(second.id)
    assert erring is not None and erring.last_error == "timeout" and erring.active
    counts = (
        await engine_db.repos.subscriptions.count(),
        await engine_db.repos.subscriptions.count(active_only=True),
    )
    assert counts == (2, 1) and all(type(n) is int for n in counts)
    async with engine_db.transaction() as repos:
        await repos.subscriptions.delete(first.id)
    assert await engine_db.repos.subscriptions.get(first.id) is None
    assert await engine_db.repos.subscriptions.count() == 1
