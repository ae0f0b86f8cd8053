"""The outbox on both engines: fan-out, held windows and summaries, claims and their fencing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain import AlertMode, EventFilter, EventKind, Subscription, TargetKind
from bot.store import Database
from bot.store.outbox import Delivery
from bot.store.repos import Repos
from tests.contract.support import T0, add_event, subscription

LEASE = timedelta(seconds=60)
QUIET_END = datetime(2024, 3, 1, 4, 0, tzinfo=UTC)  # 13:00 JST, the day of T0
DIGEST = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)  # 21:00 JST
SECURITY_HALT = {
    "reason": "security_incident",
    "changes": [{"asset": "BTC", "new_state": "suspended"}],
}


async def subscribe(db: Database, *subs: Subscription) -> list[int]:
    async with db.transaction() as repos:
        return [(await repos.subscriptions.save(sub)).id for sub in subs]


async def claim_all(repos: Repos, now: datetime = T0, **how: object) -> list[Delivery]:
    return await repos.outbox.claim(now, now + LEASE, 100, **how)  # type: ignore[arg-type]


async def test_fan_out_follows_asset_and_event_filters(engine_db: Database) -> None:
    everything, mona, btc, orders, disabled = await subscribe(
        engine_db,
        subscription("1"),
        subscription("2", assets=["MONA"], events=EventFilter.STATUS),
        subscription("3", assets=["BTC", "XCP"], events=EventFilter.STATUS),
        subscription("4", assets=["MONA"], events=EventFilter.ORDERS),
        subscription("5"),
    )
    async with engine_db.transaction() as repos:
        await repos.subscriptions.disable(disabled, "gone")
        status = await add_event(repos, EventKind.STATUS, assets=["BTC"])
        order = await add_event(repos, EventKind.ORDER, assets=[])
        operator = await add_event(repos, EventKind.OPERATOR, assets=[])
        for_status = await repos.outbox.fan_out(status)
        for_order = await repos.outbox.fan_out(order)
        for_operator = await repos.outbox.fan_out(operator)
        again = await repos.outbox.fan_out(status)  # one row per (event, subscription)
        claimed = await claim_all(repos)
    assert (for_status, for_order, for_operator, again) == (2, 2, 0, 0)
    assert type(for_status) is int
    by_event = {
        event_id: sorted(d.subscription_id for d in claimed if d.event_id == event_id)
        for event_id in (status.id, order.id)
    }
    assert by_event == {status.id: [everything, btc], order.id: [everything, orders]}
    assert mona not in {d.subscription_id for d in claimed}
    for delivery in claimed:
        assert type(delivery.id) is int and type(delivery.event_id) is int
        assert type(delivery.subscription_id) is int and type(delivery.attempts) is int
        assert delivery.created_at == T0
        assert delivery.window_end is None


async def test_quiet_and_digest_subscribers_have_alerts_held(engine_db: Database) -> None:
    instant, quiet, asleep_later, digest = await subscribe(
        engine_db,
        subscription("1"),
        subscription("2", mode=AlertMode.QUIET, quiet=("12:00", "13:00")),
        subscription("3", mode=AlertMode.QUIET, quiet=("01:00", "02:00")),
        subscription("4", mode=AlertMode.DIGEST, digest_at="21:00"),
    )
    async with engine_db.transaction() as repos:
        plain = await add_event(repos, EventKind.STATUS, payload={"reason": "maintenance"})
        critical = await add_event(repos, EventKind.STATUS, payload=SECURITY_HALT)
        assert await repos.outbox.fan_out(plain) == 4
        assert await repos.outbox.fan_out(critical) == 4
        claimed = await claim_all(repos)
        held_quiet = await repos.outbox.told(quiet, QUIET_END, 10)
        held_digest = await repos.outbox.told(digest, DIGEST, 10)
        next_release = await repos.outbox.next_release()
    assert sorted((d.event_id, d.subscription_id) for d in claimed) == sorted(
        [(plain.id, instant), (plain.id, asleep_later)]
        + [(critical.id, sub) for sub in (instant, quiet, asleep_later, digest)]
    )
    assert (held_quiet.event_ids, held_quiet.total) == ([plain.id], 1)
    assert (held_digest.event_ids, held_digest.total) == ([plain.id], 1)
    assert type(held_quiet.total) is int and type(held_quiet.event_ids[0]) is int
    assert next_release == QUIET_END
    states = await engine_db.repos.outbox.states()
    assert states == {"pending": 6, "held": 2}
    assert all(type(n) is int for n in states.values())


async def test_an_ended_window_releases_one_summary_per_holder(engine_db: Database) -> None:
    [quiet, other] = await subscribe(
        engine_db,
        subscription("1", mode=AlertMode.QUIET, quiet=("12:00", "13:00")),
        subscription("2", mode=AlertMode.QUIET, quiet=("12:00", "13:00"), assets=["BTC"]),
    )
    async with engine_db.transaction() as repos:
        events = [await add_event(repos, at=T0 + timedelta(minutes=n)) for n in range(3)]
        for event in events:
            assert await repos.outbox.fan_out(event) == 2
        assert await repos.outbox.release_held(QUIET_END - timedelta(seconds=1)) == 0
        assert await repos.outbox.release_held(QUIET_END) == 2
        assert await repos.outbox.release_held(QUIET_END) == 0  # released once
        assert await repos.outbox.next_release() is None
        told = await repos.outbox.told(quiet, QUIET_END, 2)
        summaries = await claim_all(repos, QUIET_END)
    assert told.event_ids == [events[0].id, events[1].id]
    assert told.total == 3
    assert sorted(d.subscription_id for d in summaries) == [quiet, other]
    assert all(d.event_id is None for d in summaries)
    assert all(d.window_end == QUIET_END for d in summaries)
    assert all(d.created_at == QUIET_END for d in summaries)
    async with engine_db.transaction() as repos:
        await repos.outbox.mark_told(quiet, QUIET_END)
        assert (await repos.outbox.told(quiet, QUIET_END, 10)).total == 0
        assert (await repos.outbox.told(other, QUIET_END, 10)).total == 3
    assert await engine_db.repos.outbox.count("summarised") == 3
    assert await engine_db.repos.outbox.count("held") == 3
    total = await engine_db.repos.outbox.count()
    assert total == 3 + 3 + 2
    assert type(total) is int


async def test_an_alert_written_after_its_window_was_released_is_not_held(
    engine_db: Database,
) -> None:
    [quiet] = await subscribe(
        engine_db, subscription("1", mode=AlertMode.QUIET, quiet=("12:00", "13:00"))
    )
    async with engine_db.transaction() as repos:
        first = await add_event(repos, at=T0)
        assert await repos.outbox.fan_out(first) == 1
        assert await repos.outbox.release_held(QUIET_END) == 1
    # Stamped a second before the window's end, written after its summary was queued.
    async with engine_db.transaction() as repos:
        late = await add_event(repos, at=QUIET_END - timedelta(seconds=1))
        assert await repos.outbox.fan_out(late) == 1
        assert await repos.outbox.next_release() is None
        due = await claim_all(repos, QUIET_END)
    assert sorted((d.event_id or 0, d.subscription_id) for d in due) == [
        (0, quiet),
        (late.id, quiet),
    ]
    assert (await engine_db.repos.outbox.told(quiet, QUIET_END, 10)).event_ids == [first.id]


async def test_reschedule_moves_what_is_held_for_windows_ahead(engine_db: Database) -> None:
    [quiet] = await subscribe(
        engine_db, subscription("1", mode=AlertMode.QUIET, quiet=("12:00", "13:00"))
    )
    later = QUIET_END + timedelta(hours=5)
    async with engine_db.transaction() as repos:
        await repos.outbox.fan_out(await add_event(repos))
        assert await repos.outbox.reschedule_held(quiet, later, T0) == 1
        assert (await repos.outbox.told(quiet, later, 10)).total == 1
        assert await repos.outbox.next_release() == QUIET_END  # that window is still recorded
        assert await repos.outbox.release_held(QUIET_END) == 0  # nothing is held for it now
        assert await repos.outbox.next_release() == later
        assert await repos.outbox.release_held(later) == 1


async def test_claim_skips_excluded_subscriptions_and_other_kinds(engine_db: Database) -> None:
    dm, channel, webhook = await subscribe(
        engine_db,
        subscription("1"),
        subscription("2", kind=TargetKind.CHANNEL, guild_id="9"),
        subscription("https://example.org/hook", kind=TargetKind.WEBHOOK),
    )
    async with engine_db.transaction() as repos:
        await repos.outbox.fan_out(await add_event(repos))
        only_dm = await claim_all(repos, kinds=["dm"])
        not_channel = await claim_all(repos, exclude=[channel])
        rest = await claim_all(repos)
        nothing = await claim_all(repos, kinds=[])
    assert [d.subscription_id for d in only_dm] == [dm]
    assert [d.subscription_id for d in not_channel] == [webhook]
    assert [d.subscription_id for d in rest] == [channel]
    assert nothing == []


async def test_claim_takes_the_oldest_first_up_to_the_limit(engine_db: Database) -> None:
    await subscribe(engine_db, subscription("1"))
    async with engine_db.transaction() as repos:
        events = [await add_event(repos, at=T0 + timedelta(seconds=n)) for n in (2, 0, 1)]
        for event in events:
            await repos.outbox.fan_out(event)
        first = await repos.outbox.claim(T0 + timedelta(seconds=5), T0 + LEASE, 2)
        not_yet = await repos.outbox.claim(T0 + timedelta(seconds=1), T0 + LEASE, 10)
        last = await repos.outbox.claim(T0 + timedelta(seconds=5), T0 + LEASE, 10)
    assert sorted(d.event_id for d in first) == sorted([events[1].id, events[2].id])  # type: ignore[type-var]
    assert not_yet == []
    assert [d.event_id for d in last] == [events[0].id]
    assert len({d.claim for d in first}) == 1 and first[0].claim != last[0].claim


async def test_marks_land_only_under_the_claim_that_holds_the_row(engine_db: Database) -> None:
    await subscribe(engine_db, *(subscription(str(n)) for n in range(4)))
    async with engine_db.transaction() as repos:
        await repos.outbox.fan_out(await add_event(repos))
        stale = await repos.outbox.claim(T0, T0 + timedelta(seconds=1), 10)
        later = T0 + timedelta(seconds=2)
        fresh = await repos.outbox.claim(later, later + LEASE, 10)
        assert [d.id for d in fresh] == [d.id for d in stale]
        assert [d.attempts for d in fresh] == [2, 2, 2, 2]
        await repos.outbox.mark_sent_many([(stale[0], "late", later)])
        assert await repos.outbox.retry(stale[1], "late", later) is False
        assert await repos.outbox.fail(stale[2], "late") is False
        await repos.outbox.expire_one(stale[3])
        assert await repos.outbox.states() == {"pending": 4}
        await repos.outbox.mark_sent_many([(fresh[0], "m-1", later)])
        assert await repos.outbox.retry(fresh[1], "x" * 600, later + LEASE) is True
        assert await repos.outbox.fail(fresh[2], "403") is True
        await repos.outbox.expire_one(fresh[3])
        assert await repos.outbox.retry(fresh[1], "again", later) is False  # its claim is gone
    sent, retried, failed, expired = [await engine_db.repos.outbox.get(d.id) for d in fresh]
    assert sent is not None and (sent.state, sent.message_id, sent.last_error) == (
        "sent",
        "m-1",
        None,
    )
    assert retried is not None and retried.state == "pending"
    assert retried.last_error == "x" * 500 and retried.attempts == 2
    assert type(retried.attempts) is int and type(retried.id) is int
    assert failed is not None and (failed.state, failed.last_error) == ("failed", "403")
    assert expired is not None and expired.state == "expired"
    assert await engine_db.repos.outbox.get(10**9) is None


async def test_release_claims_and_expire(engine_db: Database) -> None:
    await subscribe(engine_db, *(subscription(str(n)) for n in range(3)))
    async with engine_db.transaction() as repos:
        old = await add_event(repos, at=T0 - timedelta(hours=2))
        await repos.outbox.fan_out(old)
        held = await claim_all(repos)
        assert len(held) == 3
        assert await claim_all(repos) == []
        released = await repos.outbox.release_claims()
        assert (released, type(released)) == (3, int)
        assert len(await claim_all(repos)) == 3
        await repos.outbox.fan_out(await add_event(repos))
        expired = await repos.outbox.expire(T0 - timedelta(hours=1))
        assert (expired, type(expired)) == (3, int)
        failed = await repos.outbox.fail_pending_of(held[0].subscription_id, "disabled")
        assert failed == 1
    assert await engine_db.repos.outbox.states() == {"expired": 3, "failed": 1, "pending": 2}
