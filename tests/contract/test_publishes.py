"""Publishes per announcement channel and the role a channel pings, on both engines."""

from __future__ import annotations

from bot.delivery.publish_budget import PublishBudget
from bot.domain import TargetKind
from bot.store import Database
from bot.store.mentions import Mention, MentionWhen
from bot.store.publishes import PublishLedger
from tests.contract.support import T0, subscription


async def test_the_ledger_counts_publishes_in_the_window_and_the_unpublished(
    engine_db: Database,
) -> None:
    assert await engine_db.repos.publishes.ledger("77", 0.0) == PublishLedger((), 0, None)
    async with engine_db.transaction() as repos:
        await repos.publishes.published("77", 1000.5, forget_before=0.0)
        await repos.publishes.published("77", 2000.25, forget_before=0.0)
        await repos.publishes.published("78", 2100.0, forget_before=0.0)
        await repos.publishes.unpublished("77")
        await repos.publishes.unpublished("77")
    ledger = await engine_db.repos.publishes.ledger("77", 1500.0)
    assert ledger == PublishLedger((2000.25,), 2, None)
    async with engine_db.transaction() as repos:
        await repos.publishes.blocked("77", 9000.0)
        await repos.publishes.published("77", 3000.0, forget_before=1500.0)  # drops 1000.5
    ledger = await engine_db.repos.publishes.ledger("77", 0.0)
    assert ledger == PublishLedger((2000.25, 3000.0), 0, 9000.0)


async def test_the_budget_keeps_two_for_critical_alerts_and_never_an_eleventh(
    engine_db: Database,
) -> None:
    now = [10_000.0]
    budget = PublishBudget(engine_db, clock=lambda: now[0])
    routine = [await budget.take("55", critical=False) for _ in range(10)]
    assert [d.publish for d in routine] == [True] * 8 + [False] * 2
    critical = [await budget.take("55", critical=True) for _ in range(3)]
    assert [d.publish for d in critical] == [True, True, False]
    assert critical[0].missed == 2  # the two routine alerts posted unpublished before it
    now[0] += 3601.0  # an hour on, the window is free again
    later = await budget.take("55", critical=False)
    assert later.publish and later.missed == 1
    await budget.failed("55", retry_after=600.0)
    assert await budget.blocked("55")
    assert not (await budget.take("55", critical=True)).publish


async def test_a_channel_pings_one_role_until_it_is_cleared(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        await repos.subscriptions.add_many([subscription("900", kind=TargetKind.CHANNEL)])
    [sub] = await engine_db.repos.subscriptions.list()
    assert await engine_db.repos.mentions.of(sub.id) is None
    async with engine_db.transaction() as repos:
        await repos.mentions.set(sub.id, Mention("4242", MentionWhen.CRITICAL))
        await repos.mentions.set(sub.id, Mention("4243", MentionWhen.ALL))
    assert await engine_db.repos.mentions.of(sub.id) == Mention("4243", MentionWhen.ALL)
    async with engine_db.transaction() as repos:
        await repos.mentions.set(sub.id, None)
    assert await engine_db.repos.mentions.of(sub.id) is None


async def test_channel_types_are_kept_for_subscribed_channels_only(engine_db: Database) -> None:
    assert await engine_db.repos.channel_types.of("900") is None
    async with engine_db.transaction() as repos:
        await repos.subscriptions.add_many(
            [
                subscription("900", kind=TargetKind.CHANNEL),
                subscription("901", kind=TargetKind.CHANNEL),
                subscription("902"),  # a user's DMs, with the same kind of id
            ]
        )
        await repos.channel_types.record("901", 5, T0)
    # The gateway shows a server's channels: only subscribed channels are kept, and only
    # what is new or changed is written.
    seen = {"900": 0, "901": 5, "902": 0, "903": 5}
    async with engine_db.transaction() as repos:
        assert await repos.channel_types.record_subscribed(seen, T0) == 1
        assert await repos.channel_types.record_subscribed(seen, T0) == 0
        assert await repos.channel_types.record_subscribed({"901": 0}, T0) == 1  # made plain
        assert await repos.channel_types.record_subscribed({}, T0) == 0
    found = {c: await engine_db.repos.channel_types.of(c) for c in ("900", "901", "902", "903")}
    assert found == {"900": 0, "901": 0, "902": None, "903": None}
