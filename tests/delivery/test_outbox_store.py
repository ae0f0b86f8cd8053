"""The outbox queries on a real SQLite file: leases, retries, expiry, one in flight per target."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import utcnow
from bot.domain import Direction, Reason, Source, State, StatusRequest, Target, TargetKind
from bot.services.status import StatusService
from bot.store import Database
from tests.delivery.support import subscribe_many


async def queue(db: Database, subscribers: int, events: int = 1) -> None:
    await subscribe_many(db, [(TargetKind.DM, str(1000 + i), {}) for i in range(subscribers)])
    service = StatusService(db)
    # One pair per event: alerts about one pair would be merged while they wait (test_merge).
    for asset in ("BTC", "MONA", "XCP")[:events]:
        await service.change(
            StatusRequest(
                (Target(asset, Direction.DEPOSIT, State.OPERATIONAL),),
                Reason.MAINTENANCE,
                "",
                "t",
                Source.CLI,
            )
        )


async def test_a_lease_hides_a_delivery_until_it_runs_out(db: Database) -> None:
    await queue(db, 3)
    now = utcnow()
    async with db.transaction() as repos:
        first = await repos.outbox.claim(now, now + timedelta(seconds=60), 10)
        again = await repos.outbox.claim(now, now + timedelta(seconds=60), 10)
        later = now + timedelta(seconds=61)
        after_lease = await repos.outbox.claim(later, later + timedelta(seconds=60), 10)
    assert [d.attempts for d in first] == [1, 1, 1]
    assert again == []
    assert [d.id for d in after_lease] == [d.id for d in first]
    assert [d.attempts for d in after_lease] == [2, 2, 2]


async def test_a_restart_releases_what_a_killed_process_held(db: Database) -> None:
    await queue(db, 2)
    now = utcnow()
    async with db.transaction() as repos:
        held = await repos.outbox.claim(now, now + timedelta(seconds=600), 10)
        assert await repos.outbox.release_claims() == 2
        assert len(await repos.outbox.claim(now, now + timedelta(seconds=600), 10)) == len(held)


async def test_busy_targets_are_skipped_and_retries_wait(db: Database) -> None:
    await queue(db, 2, events=2)  # two deliveries for each of two subscribers
    now = utcnow()
    async with db.transaction() as repos:
        first = await repos.outbox.claim(now, now + timedelta(seconds=60), 1)
        [busy] = {d.subscription_id for d in first}
        others = await repos.outbox.claim(now, now + timedelta(seconds=60), 10, exclude=[busy])
        assert {d.subscription_id for d in others} == {busy + 1}
        await repos.outbox.retry(first[0], "503", now + timedelta(seconds=30))
        waiting = await repos.outbox.claim(now, now + timedelta(seconds=60), 10)
        assert waiting and first[0].id not in [d.id for d in waiting]
        due = await repos.outbox.claim(now + timedelta(seconds=31), now + timedelta(seconds=90), 10)
        assert [d.id for d in due] == [first[0].id]
        record = await repos.outbox.get(first[0].id)
    assert record is not None and record.last_error == "503" and record.attempts == 2


async def test_old_deliveries_expire_instead_of_going_out_late(db: Database) -> None:
    await queue(db, 4)
    async with db.transaction() as repos:
        assert await repos.outbox.expire(utcnow() - timedelta(hours=1)) == 0
        assert await repos.outbox.expire(utcnow() + timedelta(seconds=1)) == 4
        assert await repos.outbox.claim(utcnow(), utcnow(), 10) == []
    assert await db.repos.outbox.states() == {"expired": 4}


async def test_marks_only_land_under_the_claim_that_holds_the_row(db: Database) -> None:
    """A sender paused past its lease (a leader that lost the cluster's lease, say) finds its
    rows claimed again by another: its late marks change nothing."""
    await queue(db, 2)
    now = utcnow()
    async with db.transaction() as repos:
        stale = await repos.outbox.claim(now, now + timedelta(seconds=1), 10)
        later = now + timedelta(seconds=2)
        fresh = await repos.outbox.claim(later, later + timedelta(seconds=60), 10)
        assert [d.id for d in fresh] == [d.id for d in stale]
        assert {d.claim for d in fresh}.isdisjoint({d.claim for d in stale})
        await repos.outbox.mark_sent_many([(stale[0], "late-message", later)])
        assert not await repos.outbox.fail(stale[1], "late failure")
        assert not await repos.outbox.retry(stale[1], "late retry", later)
        assert await repos.outbox.states() == {"pending": 2}
        await repos.outbox.mark_sent_many([(fresh[0], "message-1", later)])
        assert await repos.outbox.fail(fresh[1], "403")
        first = await repos.outbox.get(fresh[0].id)
    assert first is not None and first.message_id == "message-1"
    assert await db.repos.outbox.states() == {"sent": 1, "failed": 1}
