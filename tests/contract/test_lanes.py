"""Lanes in the outbox on both engines: each row's lane from its target and alert, claims by
lane highest first, and a critical DM taking its subscriber's earlier alerts about the same
asset along with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain import AlertMode, EventFilter, EventKind, TargetKind
from bot.domain.lanes import DISCORD_LANES, Lane
from bot.store import Database
from tests.contract.support import T0, add_event, subscription
from tests.contract.test_outbox import LEASE, SECURITY_HALT, claim_all, subscribe

QUIET_END = datetime(2024, 3, 1, 4, 0, tzinfo=UTC)


async def test_each_row_takes_its_lane_and_claims_go_highest_lane_first(
    engine_db: Database,
) -> None:
    dm, channel, ops, hook = await subscribe(
        engine_db,
        subscription("1"),
        subscription("2", kind=TargetKind.CHANNEL, guild_id="9"),
        subscription("3", kind=TargetKind.CHANNEL, guild_id="9", events=EventFilter.OPERATOR),
        subscription("https://example.org/hook", kind=TargetKind.WEBHOOK),
    )
    async with engine_db.transaction() as repos:
        routine = await add_event(repos, assets=["MONA"])
        critical = await add_event(repos, assets=["BTC"], payload=SECURITY_HALT)
        await repos.outbox.fan_out(routine)
        await repos.outbox.fan_out(critical)
        webhooks = await claim_all(repos, lanes=[Lane.WEBHOOKS])
        first_two = await repos.outbox.claim(T0, T0 + LEASE, 2, lanes=DISCORD_LANES)
        rest = await claim_all(repos, lanes=DISCORD_LANES)
    assert [(d.subscription_id, d.lane) for d in webhooks] == [
        (hook, Lane.WEBHOOKS),
        (hook, Lane.WEBHOOKS),
    ]
    assert sorted((d.subscription_id, d.lane) for d in first_two) == [
        (ops, Lane.OPERATORS),
        (ops, Lane.OPERATORS),
    ]
    # Per subscription, in the order of its events (a large fan-out writes its DM rows after
    # the channels' rows, so the rows' ids do not interleave the same way).
    assert [(d.event_id, d.lane) for d in rest if d.subscription_id == dm] == [
        (routine.id, Lane.DMS),
        (critical.id, Lane.CRITICAL_DMS),
    ]
    assert [(d.event_id, d.lane) for d in rest if d.subscription_id == channel] == [
        (routine.id, Lane.CHANNELS),
        (critical.id, Lane.CHANNELS),
    ]
    assert len(rest) == 4
    assert type(rest[0].lane) is Lane


async def test_a_critical_dm_overtakes_other_assets_but_not_its_own_asset(
    engine_db: Database,
) -> None:
    first, second = await subscribe(engine_db, subscription("1"), subscription("2"))
    async with engine_db.transaction() as repos:
        btc = await add_event(repos, assets=["BTC"])
        mona = await add_event(repos, assets=["MONA"])
        halt = await add_event(repos, assets=["BTC"], payload=SECURITY_HALT)
        for event in (btc, mona, halt):
            await repos.outbox.fan_out(event)
        urgent = await claim_all(repos, lanes=[Lane.CRITICAL_DMS])
        routine = await claim_all(repos, lanes=[Lane.DMS])
    # The halt goes first, with each subscriber's earlier BTC alert just before it.
    assert [(d.subscription_id, d.event_id) for d in urgent] == [
        (first, btc.id),
        (second, btc.id),
        (first, halt.id),
        (second, halt.id),
    ]
    assert [(d.subscription_id, d.event_id) for d in routine] == [
        (first, mona.id),
        (second, mona.id),
    ]


async def test_a_summary_takes_the_lane_of_its_target(engine_db: Database) -> None:
    dm, channel = await subscribe(
        engine_db,
        subscription("1", mode=AlertMode.QUIET, quiet=("12:00", "13:00")),
        subscription(
            "2",
            kind=TargetKind.CHANNEL,
            guild_id="9",
            mode=AlertMode.QUIET,
            quiet=("12:00", "13:00"),
        ),
    )
    async with engine_db.transaction() as repos:
        await repos.outbox.fan_out(await add_event(repos, EventKind.STATUS))
        assert await repos.outbox.release_held(QUIET_END) == 2
        later = QUIET_END + timedelta(seconds=1)
        summaries = await repos.outbox.claim(later, later + LEASE, 10)
    assert [(d.subscription_id, d.lane) for d in summaries] == [
        (dm, Lane.DMS),
        (channel, Lane.CHANNELS),
    ]
    assert all(d.window_end == QUIET_END for d in summaries)
