"""The lanes without I/O: which lane a delivery takes, how many of each lane a round claims, and
the per-host limit on webhook sends."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.delivery.hosts import HostLimited, host_of
from bot.delivery.lanes import ROUTINE, URGENT, WEBHOOKS, LanePolicy
from bot.delivery.transport import Outgoing
from bot.domain import EventFilter, Subscription, TargetKind
from bot.domain.lanes import Lane, lane_of, lane_table


def test_each_delivery_takes_the_lane_of_its_target_and_alert() -> None:
    assert lane_of(TargetKind.CHANNEL, EventFilter.OPERATOR, False) is Lane.OPERATORS
    assert lane_of(TargetKind.CHANNEL, EventFilter.ALL, True) is Lane.CHANNELS
    assert lane_of(TargetKind.DM, EventFilter.STATUS, True) is Lane.CRITICAL_DMS
    assert lane_of(TargetKind.DM, EventFilter.STATUS, False) is Lane.DMS
    assert lane_of(TargetKind.WEBHOOK, EventFilter.OPERATOR, True) is Lane.WEBHOOKS
    table = lane_table(critical=True)
    assert len(table) == len(TargetKind) * len(EventFilter)
    assert table["dm:all"] == Lane.CRITICAL_DMS and lane_table(False)["dm:all"] == Lane.DMS


def test_urgent_lanes_are_claimed_into_any_free_sender_routine_dms_leave_a_reserve() -> None:
    policy = LanePolicy(concurrency=32, webhook_concurrency=16)
    idle: dict[Lane, int] = {}
    assert policy.limit(URGENT, idle) == 32
    assert policy.limit(ROUTINE, idle) == 28  # 4 senders kept for what is urgent
    assert policy.limit(WEBHOOKS, idle) == 16
    # A pool full of routine DMs: no more routine DMs, but urgent ones get the free senders.
    busy = {Lane.DMS: 28}
    assert policy.limit(ROUTINE, busy) == 0
    assert policy.limit(URGENT, busy) == 4
    # Webhooks have a pool of their own, whatever Discord's senders do.
    assert policy.limit(WEBHOOKS, {Lane.DMS: 32}) == 16
    assert policy.limit(URGENT, {Lane.DMS: 28, Lane.CHANNELS: 4}) == 0


def test_refills_come_in_batches_not_one_per_finished_send() -> None:
    policy = LanePolicy(concurrency=32, webhook_concurrency=16)
    assert policy.limit(ROUTINE, {Lane.DMS: 26}) == 0  # 2 free after the reserve: wait
    assert policy.limit(ROUTINE, {Lane.DMS: 20}) == 8
    assert policy.limit(URGENT, {Lane.DMS: 30}) == 0  # 2 free, less than 32 / 8
    assert policy.limit(WEBHOOKS, {Lane.WEBHOOKS: 14}) == 0
    assert policy.limit(WEBHOOKS, {Lane.WEBHOOKS: 12}) == 4
    # A pool of one still sends.
    assert LanePolicy(concurrency=1).limit(ROUTINE, {}) == 1


def hook(sub_id: int, url: str) -> Outgoing:
    sub = Subscription(
        id=sub_id,
        target_kind=TargetKind.WEBHOOK,
        target=url,
        guild_id=None,
        all_assets=True,
        assets=frozenset(),
        events=EventFilter.ALL,
        locale="en",
        created_by="test",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        secret="s",
    )
    return Outgoing(sub_id, sub, None, {}, {})


class Slow:
    """A webhook transport whose sends to `slow.example` hang until released."""

    name = "webhook"

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.open: dict[str, int] = {}
        self.most: dict[str, int] = {}

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, outgoing: Outgoing) -> str:
        host = host_of(outgoing.subscription.target)
        self.open[host] = self.open.get(host, 0) + 1
        self.most[host] = max(self.most.get(host, 0), self.open[host])
        try:
            if host.startswith("slow"):
                await self.release.wait()
            else:
                await asyncio.sleep(0.01)
            return "ok"
        finally:
            self.open[host] -= 1


async def test_one_slow_host_takes_at_most_its_share_and_holds_back_no_other() -> None:
    inner = Slow()
    limited = HostLimited(inner, per_host=2)
    slow = [asyncio.create_task(limited.send(hook(n, "https://slow.example/h"))) for n in range(6)]
    await asyncio.sleep(0.05)
    assert inner.most == {"slow.example": 2}
    assert limited.crowded() == set(range(6))  # the dispatcher leaves these unclaimed
    fast = [limited.send(hook(100 + n, f"https://fast.example:8443/{n}")) for n in range(4)]
    assert await asyncio.wait_for(asyncio.gather(*fast), 2) == ["ok"] * 4
    assert inner.most["fast.example:8443"] == 2
    inner.release.set()
    assert await asyncio.wait_for(asyncio.gather(*slow), 2) == ["ok"] * 6
    assert limited.crowded() == set()
    with pytest.raises(ValueError, match="at least one"):
        HostLimited(inner, per_host=0)
