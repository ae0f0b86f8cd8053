"""Maintenance windows on both engines: scheduling, overlaps, reminders and state changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain import (
    Direction,
    Maintenance,
    MaintenancePair,
    MaintenanceState,
    NewMaintenance,
    Reason,
    Source,
    State,
)
from bot.store import Database
from tests.contract.support import T0, change

BTC_BOTH = [("BTC", Direction.DEPOSIT), ("BTC", Direction.WITHDRAWAL)]


def window(
    starts_at: datetime, hours: float = 2, assets: tuple[str, ...] = ("BTC",)
) -> NewMaintenance:
    return NewMaintenance(
        assets=assets,
        direction="both",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        reason=Reason.WALLET_UPGRADE,
        note_ja="ウォレットの更新",
        note_en="",
    )


async def schedule(
    db: Database, new: NewMaintenance, pairs: list[tuple[str, Direction]] = BTC_BOTH
) -> Maintenance:
    async with db.transaction() as repos:
        return await repos.maintenances.add(new, pairs, actor="tester", source=Source.CLI, now=T0)


async def test_a_window_is_scheduled_with_its_pairs(engine_db: Database) -> None:
    starts = T0 + timedelta(days=1)
    created = await schedule(engine_db, window(starts))
    assert type(created.id) is int and type(created.sequence) is int
    assert created.state is MaintenanceState.SCHEDULED
    assert (created.starts_at, created.ends_at) == (starts, starts + timedelta(hours=2))
    assert (created.created_at, created.updated_at) == (T0, T0)
    assert created.assets == ("BTC",) and created.all_assets is False
    assert created.reason is Reason.WALLET_UPGRADE and created.note_ja == "ウォレットの更新"
    assert [(p.asset, p.direction) for p in created.pairs] == BTC_BOTH
    assert all(p.prior_state is None and p.outcome is None for p in created.pairs)
    assert await engine_db.repos.maintenances.get(created.id) == created
    assert await engine_db.repos.maintenances.get(10**9) is None


async def test_an_overlap_names_the_other_window(engine_db: Database) -> None:
    starts = T0 + timedelta(days=1)
    first = await schedule(engine_db, window(starts))
    mona = await schedule(
        engine_db, window(starts, assets=("MONA",)), [("MONA", Direction.DEPOSIT)]
    )
    lookup = engine_db.repos.maintenances.overlapping
    inside = starts + timedelta(hours=1)
    found = await lookup([("BTC", Direction.WITHDRAWAL)], inside, inside + timedelta(hours=3))
    assert found is not None and found.id == first.id and found.pairs == first.pairs
    found = await lookup([("MONA", Direction.DEPOSIT)], starts - timedelta(hours=1), inside)
    assert found is not None and found.id == mona.id
    # Touching ends do not overlap: windows are [start, end).
    assert await lookup(BTC_BOTH, starts + timedelta(hours=2), starts + timedelta(hours=3)) is None
    assert await lookup(BTC_BOTH, starts - timedelta(hours=1), starts) is None
    assert await lookup([("MONA", Direction.WITHDRAWAL)], starts, inside) is None
    assert await lookup(BTC_BOTH, starts, inside, exclude=first.id) is None
    async with engine_db.transaction() as repos:
        await repos.maintenances.cancel_scheduled(first.id, T0)
    assert await lookup(BTC_BOTH, starts, inside) is None  # a cancelled window is no obstacle


async def test_each_reminder_is_claimed_once(engine_db: Database) -> None:
    created = await schedule(engine_db, window(T0 + timedelta(days=1)))
    async with engine_db.transaction() as repos:
        assert await repos.maintenances.claim_reminder(created.id, 24, T0) is True
        assert await repos.maintenances.claim_reminder(created.id, 24.0, T0) is False
        assert await repos.maintenances.claim_reminder(created.id, 0.5, T0) is True
    done = await engine_db.repos.maintenances.reminders_done()
    assert done == {(created.id, 24.0), (created.id, 0.5)}
    assert all(type(i) is int and type(h) is float for i, h in done)


async def test_start_end_extend_translate_and_list(engine_db: Database) -> None:
    starts = T0 + timedelta(hours=1)
    created = await schedule(engine_db, window(starts))
    later = await schedule(engine_db, window(starts + timedelta(days=3)))
    async with engine_db.transaction() as repos:
        recorded = await repos.status.record(change("BTC", State.MAINTENANCE, starts))
        ids = await repos.maintenances.latest_history_ids(BTC_BOTH)
        prior = MaintenancePair(
            "BTC",
            Direction.DEPOSIT,
            State.SUSPENDED,
            Reason.SECURITY_INCIDENT,
            "停止",
            T0 + timedelta(days=9),
            "Halted",
            recorded.id,
        )
        await repos.maintenances.mark_started(created.id, [prior], starts)
        await repos.maintenances.extend(created.id, starts + timedelta(hours=4), starts)
        await repos.maintenances.translate_note(created.id, "Wallet upgrade", starts)
    assert ids[("BTC", Direction.DEPOSIT)] == recorded.id
    assert type(ids[("BTC", Direction.WITHDRAWAL)]) is int
    running = await engine_db.repos.maintenances.get(created.id)
    assert running is not None and running.state is MaintenanceState.IN_PROGRESS
    assert running.started_at == starts and running.ends_at == starts + timedelta(hours=4)
    assert running.note_en == "Wallet upgrade" and running.sequence == 2
    assert running.pairs[0] == prior
    assert running.pairs[1].prior_state is None
    ended_at = starts + timedelta(hours=4)
    async with engine_db.transaction() as repos:
        await repos.maintenances.mark_ended(
            created.id,
            MaintenanceState.COMPLETED,
            {("BTC", Direction.DEPOSIT): "restored", ("BTC", Direction.WITHDRAWAL): "left"},
            ended_at,
        )
        await repos.maintenances.mark_ended(
            later.id, MaintenanceState.CANCELLED, {}, ended_at, started_at=starts
        )
    done = await engine_db.repos.maintenances.get(created.id)
    assert done is not None and done.state is MaintenanceState.COMPLETED
    assert (done.ended_at, done.cancelled_at, done.sequence) == (ended_at, None, 2)
    assert [p.outcome for p in done.pairs] == ["restored", "left"]
    cancelled = await engine_db.repos.maintenances.get(later.id)
    assert cancelled is not None and cancelled.cancelled_at == ended_at
    assert cancelled.started_at == starts and cancelled.sequence == 1
    listed = engine_db.repos.maintenances.list
    assert [m.id for m in await listed()] == [created.id, later.id]
    assert [m.id for m in await listed([MaintenanceState.CANCELLED])] == [later.id]
    assert await listed([MaintenanceState.SCHEDULED, MaintenanceState.IN_PROGRESS]) == []
