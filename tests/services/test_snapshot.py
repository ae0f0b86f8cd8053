"""The read model: one consistent snapshot, rebuilt after changes here and in other processes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.clock import JST
from bot.domain import (
    Direction,
    NotFound,
    OrderStatus,
    Reason,
    Source,
    State,
    StatusRequest,
    Target,
    UnknownAsset,
)
from bot.reference import shipped_reference
from bot.services.snapshot import HISTORY_PER_ASSET, ReadModel
from bot.services.status import StatusService
from bot.store import Database, open_database

SEEDED_PAIRS = 22


def _all(state: State, note: str) -> StatusRequest:
    """The same state for every seeded pair: one action, one transaction, 22 rows."""
    codes = [a.code for a in shipped_reference().assets.assets()]
    return StatusRequest(
        targets=tuple(Target(code, d, state) for code in codes for d in Direction),
        reason=Reason.MAINTENANCE,
        note=note,
        actor="ops",
        source=Source.CLI,
    )


@pytest.fixture
def model(db: Database) -> ReadModel:
    return ReadModel(db, shipped_reference(), JST)


async def test_first_read_builds_and_later_reads_share_it(model: ReadModel) -> None:
    first = await model.get()
    assert len(first.assets) == 11 and len(first.current) == SEEDED_PAIRS
    assert {row.state for row in first.current} == {State.SUSPENDED}
    assert await model.get() is first
    assert model.builds == 1
    assert first.asset("pepecash").code == "pepecash"
    assert first.asset(" BTC ").code == "BTC"
    with pytest.raises(UnknownAsset):
        first.asset("DOGE")
    with pytest.raises(NotFound):
        first.order(9999)


async def test_a_change_in_this_process_is_read_at_once(db: Database, model: ReadModel) -> None:
    service = StatusService(db, on_event=model.on_event)
    before = await model.get()
    await service.change(_all(State.MAINTENANCE, "planned"))
    after = await model.get()
    assert after.version == before.version + 1
    assert {row.state for row in after.current} == {State.MAINTENANCE}
    assert after.latest[0].note == "planned"
    assert [c.note for c in after.recent["BTC"][:2]] == ["planned", "planned"]


async def test_another_connections_commit_is_found_by_the_check(
    db: Database, db_path: Path, model: ReadModel
) -> None:
    """As the CLI writes: another connection, no event reaches this process."""
    before = await model.get()
    other = await open_database(db_path)
    try:
        await StatusService(other).change(_all(State.DELAYED, "from the command line"))
    finally:
        await other.close()
    assert await model.get() is before  # nothing tells this process until it checks
    after = await model.refresh()
    assert {row.state for row in after.current} == {State.DELAYED}


async def test_writes_it_does_not_show_cost_no_rebuild(
    db: Database, db_path: Path, model: ReadModel
) -> None:
    """The leader renews its lease every few seconds and the dispatcher marks its sends: none of
    that is on the page, so none of it makes the next check rebuild."""
    await model.get()
    builds = model.builds
    other = await open_database(db_path)
    try:
        async with other.transaction() as repos:
            await repos.leases.acquire("leader", "elsewhere:1", "token", 10)
        assert await model.refresh() is not None
        assert model.builds == builds
        async with other.transaction() as repos:
            await repos.orders.set_status(1, OrderStatus.CLOSED)  # no event: still shown
    finally:
        await other.close()
    after = await model.refresh()
    assert model.builds == builds + 1
    assert next(o for o in after.orders if o.id == 1).status is OrderStatus.CLOSED


async def test_a_check_without_changes_keeps_the_snapshot(model: ReadModel) -> None:
    first = await model.get()
    assert await model.refresh() is first
    model.mark_stale()  # asked to rebuild, but the data are the same: same snapshot, same bytes
    assert await model.get() is first
    assert model.builds == 2


async def test_fifty_readers_after_a_change_share_one_build(db: Database, model: ReadModel) -> None:
    service = StatusService(db, on_event=model.on_event)
    await model.get()
    for n in range(5):  # a burst of changes before anyone reads
        await service.change(_all((State.MAINTENANCE, State.DELAYED)[n % 2], f"burst {n}"))
    builds = model.builds
    seen = await asyncio.gather(*(model.get() for _ in range(50)))
    assert model.builds == builds + 1
    assert len({id(s) for s in seen}) == 1
    assert seen[0].latest[0].note == "burst 4"


async def test_history_beyond_what_the_snapshot_keeps_is_refused(
    db: Database, model: ReadModel
) -> None:
    service = StatusService(db, on_event=model.on_event)
    snapshot = await model.get()
    assert snapshot.history("BTC", 100) is not None  # the seeded rows are all there is
    for n in range(HISTORY_PER_ASSET):
        state = (State.MAINTENANCE, State.SUSPENDED)[n % 2]
        await service.change(
            StatusRequest(
                targets=(Target("BTC", Direction.DEPOSIT, state),),
                reason=Reason.MAINTENANCE,
                note=f"step {n}",
                actor="ops",
                source=Source.CLI,
            )
        )
    snapshot = await model.get()
    assert snapshot.history("BTC", HISTORY_PER_ASSET + 1) is None  # the caller asks the database
    kept = snapshot.history("btc", 3)
    assert kept is not None and [c.note for c in kept] == ["step 24", "step 23", "step 22"]


async def test_a_reader_never_sees_half_of_an_all_change(db: Database, model: ReadModel) -> None:
    """Readers rebuild as fast as they can while 22-pair changes are written: each snapshot has
    either none or all of a change's pairs, and its history agrees with its current status."""
    service = StatusService(db)  # no event: the reader does not wait for the commit
    await model.get()
    done = asyncio.Event()
    seen: list[tuple[State, ...]] = []

    async def reader() -> None:
        while not done.is_set():
            model.mark_stale()
            snapshot = await model.get()
            states = tuple(row.state for row in snapshot.current)
            seen.append(states)
            assert len(set(states)) == 1, states
            newest = snapshot.latest[:SEEDED_PAIRS]
            assert {c.new_state for c in newest} == {states[0]}
            assert len({c.event_id for c in newest}) == 1

    readers = [asyncio.create_task(reader()) for _ in range(3)]
    for n in range(12):
        await service.change(_all((State.MAINTENANCE, State.OPERATIONAL)[n % 2], f"round {n}"))
        await asyncio.sleep(0)
    done.set()
    await asyncio.gather(*readers)
    assert len(seen) > 12  # the readers really ran during the writes
    assert {s[0] for s in seen} >= {State.MAINTENANCE, State.OPERATIONAL}


async def test_a_failing_database_leaves_the_last_snapshot_served(
    db: Database, model: ReadModel
) -> None:
    before = await model.get()
    await db.close()
    model.mark_stale()
    assert await model.get() is before
    assert await model.get() is before  # one failed attempt, not one per reader


async def test_the_poll_picks_up_another_process_within_its_interval(
    db: Database, db_path: Path
) -> None:
    model = ReadModel(db, shipped_reference(), JST, poll_seconds=0.2)
    await model.start()
    try:
        other = await open_database(db_path)
        try:
            await StatusService(other).change(_all(State.OPERATIONAL, "all open"))
        finally:
            await other.close()
        loop = asyncio.get_running_loop()
        started = loop.time()
        while {row.state for row in (await model.get()).current} != {State.OPERATIONAL}:
            assert loop.time() - started < 0.2 + 1.0
            await asyncio.sleep(0.02)
        assert model.health()["ok"] is True
    finally:
        await model.stop()
