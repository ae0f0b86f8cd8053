"""The outbox, merge and lane contracts again, on both engines, with every fan-out's DM rows
left to the backlog and written one subscription per batch, as a fan-out to many DM subscribers
is: what is queued, merged, promoted and claimed must not differ from a fan-out written in one go.
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from bot.clock import JST
from bot.domain import Event, EventFilter, TargetKind
from bot.domain.lanes import DISCORD_LANES, Lane
from bot.store import Database, outbox_backlog
from bot.store.outbox import OutboxRepo
from tests.contract.support import T0, add_event, subscription
from tests.contract.test_lanes import *  # noqa: F403
from tests.contract.test_merge import *  # noqa: F403
from tests.contract.test_outbox import *  # noqa: F403
from tests.contract.test_outbox import LEASE, SECURITY_HALT, claim_all, subscribe

# Compares claims in the order of the rows' ids: replaced below by a version for this mode.
del test_each_row_takes_its_lane_and_claims_go_highest_lane_first  # noqa: F821


@pytest.fixture(autouse=True)
def dm_rows_written_later(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every fan-out defers its DM rows, and the backlog is written out before it returns."""
    monkeypatch.setattr(outbox_backlog, "INLINE_DMS", 0)
    monkeypatch.setattr(outbox_backlog, "BATCH_IDS", 1)
    original = OutboxRepo.fan_out
    batches: list[int] = []

    async def fan_out(self: OutboxRepo, event: Event, zone: ZoneInfo = JST) -> int:
        count = await original(self, event, zone)
        while (written := await self.fan_out_more(zone)) is not None:
            batches.append(written)
        return count

    monkeypatch.setattr(OutboxRepo, "fan_out", fan_out)
    yield batches


async def test_each_row_takes_its_lane_when_dm_rows_come_later(
    engine_db: Database,
) -> None:
    """As in test_lanes, but a DM row is written after the channels' rows of its event, so
    claims are compared per subscription rather than in the order of the rows' ids."""
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
    assert [d.lane for d in webhooks] == [Lane.WEBHOOKS, Lane.WEBHOOKS]
    assert {(d.subscription_id, d.lane) for d in first_two} == {(ops, Lane.OPERATORS)}
    assert len(first_two) == 2
    assert [(d.event_id, d.lane) for d in rest if d.subscription_id == dm] == [
        (routine.id, Lane.DMS),
        (critical.id, Lane.CRITICAL_DMS),
    ]
    assert [(d.event_id, d.lane) for d in rest if d.subscription_id == channel] == [
        (routine.id, Lane.CHANNELS),
        (critical.id, Lane.CHANNELS),
    ]
    assert {d.subscription_id for d in [*webhooks, *first_two, *rest]} == {dm, channel, ops, hook}
