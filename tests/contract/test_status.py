"""Status changes and reopening estimates, on both engines."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain import Direction, Source, State
from bot.store import Database
from tests.contract.support import T0, add_event, change

SEEDED_PAIRS = 22  # eleven assets, two directions


async def test_record_sets_the_current_status_and_appends_history(engine_db: Database) -> None:
    reopen = T0 + timedelta(days=2, microseconds=7)
    async with engine_db.transaction() as repos:
        event = await add_event(repos)
        recorded = await repos.status.record(
            change(
                "BTC",
                State.MAINTENANCE,
                T0,
                note="点検中",
                expected_reopen=reopen,
                event_id=event.id,
            )
        )
    assert isinstance(recorded.id, int)
    [btc_deposit, btc_withdrawal] = await engine_db.repos.status.current("BTC")
    assert btc_deposit.direction is Direction.DEPOSIT
    assert btc_deposit.state is State.MAINTENANCE
    assert btc_deposit.note == "点検中"
    assert btc_deposit.since == T0
    assert btc_deposit.expected_reopen == reopen
    assert btc_deposit.updated_by == "tester"
    assert btc_deposit.estimate_revisions == 0
    assert type(btc_deposit.estimate_revisions) is int
    assert btc_withdrawal.state is State.SUSPENDED
    [latest] = await engine_db.repos.status.history("BTC", limit=1)
    assert latest.id == recorded.id
    assert type(latest.id) is int
    assert latest.old_state is State.SUSPENDED
    assert latest.new_state is State.MAINTENANCE
    assert latest.changed_at == T0
    assert latest.expected_reopen == reopen
    assert latest.event_id == event.id
    assert type(latest.event_id) is int
    assert latest.source is Source.CLI
    count = await engine_db.repos.status.count_history()
    assert count == SEEDED_PAIRS + 1
    assert type(count) is int


async def test_current_lists_every_pair_in_the_assets_order(engine_db: Database) -> None:
    statuses = await engine_db.repos.status.current()
    assets = await engine_db.repos.assets.all()
    assert len(statuses) == SEEDED_PAIRS
    assert [s.asset for s in statuses[::2]] == [a.code for a in assets]
    assert [s.direction for s in statuses[:2]] == [Direction.DEPOSIT, Direction.WITHDRAWAL]
    assert all(s.state is State.SUSPENDED for s in statuses)


async def test_history_is_newest_first_and_limited(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        for n, asset in enumerate(["BTC", "MONA", "BTC"]):
            await repos.status.record(change(asset, State.OPERATIONAL, T0 + timedelta(minutes=n)))
    newest = await engine_db.repos.status.history(limit=3)
    assert [c.asset for c in newest] == ["BTC", "MONA", "BTC"][::-1]
    assert [c.changed_at for c in newest] == [T0 + timedelta(minutes=n) for n in (2, 1, 0)]
    ids = [c.id for c in newest]
    assert ids == sorted(ids, reverse=True)  # type: ignore[type-var]
    assert len(await engine_db.repos.status.history("BTC", limit=20)) == 2 + 2


async def test_recent_per_asset_takes_the_newest_of_each(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        for n in range(3):
            await repos.status.record(change("BTC", State.OPERATIONAL, T0 + timedelta(minutes=n)))
            await repos.status.record(change("MONA", State.DELAYED, T0 + timedelta(minutes=n)))
    recent = await engine_db.repos.status.recent_per_asset(["BTC", "MONA", "XCP"], 2)
    assert [(c.asset, c.changed_at) for c in recent] == [
        ("MONA", T0 + timedelta(minutes=2)),
        ("BTC", T0 + timedelta(minutes=2)),
        ("MONA", T0 + timedelta(minutes=1)),
        ("BTC", T0 + timedelta(minutes=1)),
        ("XCP", recent[4].changed_at),
        ("XCP", recent[5].changed_at),
    ]
    assert {c.direction for c in recent[4:]} == {Direction.DEPOSIT, Direction.WITHDRAWAL}
    assert await engine_db.repos.status.recent_per_asset([], 5) == []


async def test_changes_since_and_states_before_split_at_a_moment(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        await repos.status.record(change("BTC", State.OPERATIONAL, T0))
        await repos.status.record(change("BTC", State.DELAYED, T0 + timedelta(hours=1)))
        await repos.status.record(change("MONA", State.OPERATIONAL, T0 + timedelta(hours=2)))
    cut = T0 + timedelta(hours=1)
    since = await engine_db.repos.status.changes_since(cut)
    assert [(c.asset, c.new_state, c.changed_at) for c in since] == [
        ("BTC", State.DELAYED, cut),
        ("MONA", State.OPERATIONAL, T0 + timedelta(hours=2)),
    ]
    before = await engine_db.repos.status.states_before(cut)
    assert len(before) == SEEDED_PAIRS
    assert before[("BTC", Direction.DEPOSIT)] is State.OPERATIONAL
    assert before[("MONA", Direction.DEPOSIT)] is State.SUSPENDED
    assert before[("BTC", Direction.WITHDRAWAL)] is State.SUSPENDED


async def test_set_estimate_and_translations_of_the_note(engine_db: Database) -> None:
    when = T0 + timedelta(days=1)
    async with engine_db.transaction() as repos:
        await repos.status.record(change("BTC", State.SUSPENDED, T0, note="停止"))
        await repos.status.record(change("MONA", State.SUSPENDED, T0, note="停止"))
        await repos.status.set_estimate("BTC", Direction.DEPOSIT, when)
        await repos.status.translate_note("BTC", Direction.DEPOSIT, "Halted")
        await repos.status.fill_note_en("停止", "Stopped")
    [btc, _] = await engine_db.repos.status.current("BTC")
    assert (btc.expected_reopen, btc.note_en) == (when, "Halted")
    [mona, _] = await engine_db.repos.status.current("MONA")
    assert mona.note_en == "Stopped"
    [latest] = await engine_db.repos.status.history("BTC", limit=1)
    assert latest.note_en == "Halted"
    async with engine_db.transaction() as repos:
        await repos.status.set_estimate("BTC", Direction.DEPOSIT, None)
    [btc, _] = await engine_db.repos.status.current("BTC")
    assert btc.expected_reopen is None


async def test_estimates_count_slips_of_the_current_halt(engine_db: Database) -> None:
    first, second, third = (T0 + timedelta(days=n) for n in (1, 2, 3))

    async def estimate(asset: str, old: datetime | None, new: datetime | None) -> int:
        async with engine_db.transaction() as repos:
            recorded = await repos.estimates.record(
                asset,
                Direction.DEPOSIT,
                old,
                new,
                actor="tester",
                source=Source.CLI,
                changed_at=T0,
                event_id=None,
            )
        return recorded.id

    await estimate("BTC", None, first)
    await estimate("BTC", first, None)  # withdrawn: the next halt's estimates start after this
    await estimate("BTC", None, second)
    await estimate("BTC", second, third)
    other = await estimate("MONA", None, first)
    assert type(other) is int
    halt = await engine_db.repos.estimates.current_halt("BTC", Direction.DEPOSIT)
    assert [(e.old_estimate, e.new_estimate) for e in halt] == [(None, second), (second, third)]
    assert all(type(e.id) is int and e.changed_at == T0 for e in halt)
    assert await engine_db.repos.estimates.revisions("BTC", Direction.DEPOSIT) == 1
    [btc, _] = await engine_db.repos.status.current("BTC")
    assert btc.estimate_revisions == 1
    assert type(btc.estimate_revisions) is int
    every = await engine_db.repos.estimates.current_halts()
    assert [(e.asset, e.new_estimate) for e in every] == [
        ("BTC", second),
        ("BTC", third),
        ("MONA", first),
    ]
