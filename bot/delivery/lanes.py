"""Which lanes the dispatcher claims from, and how many deliveries at a time.

Discord's lanes share the one budget (the pacer) and one pool of senders. The pacer serves its
waiters in arrival order, so what decides the order of sends is the order of claims: the urgent
lanes (the operators' channel, channels, critical DMs) are claimed before routine DMs, and a few
senders are kept from routine DMs so that an urgent delivery queued in the middle of a long DM
fan-out waits for one round of the pool at most, never for the queue behind it.

Webhooks do not touch Discord: their lane has a pool of its own and is claimed beside the
others, so that a webhook never waits for a DM.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.lanes import DISCORD_LANES, Lane

URGENT = (Lane.OPERATORS, Lane.CHANNELS, Lane.CRITICAL_DMS)
ROUTINE = (Lane.DMS,)
WEBHOOKS = (Lane.WEBHOOKS,)
# The order a round of the dispatcher claims in; each group is one claim.
GROUPS = (URGENT, ROUTINE, WEBHOOKS)
WEBHOOK_CONCURRENCY = 16  # webhook senders at once, whatever Discord's pool is doing
RESERVE_SHARE = 8  # 1/8 of Discord's senders are never given to routine DMs
BATCH_SHARE = 4  # a routine refill waits for a quarter of the pool: fewer, larger claims


@dataclass(frozen=True, slots=True)
class LanePolicy:
    """How many deliveries of a group of lanes to claim now, given the senders busy per lane."""

    concurrency: int  # Discord's senders
    webhook_concurrency: int = WEBHOOK_CONCURRENCY

    def limit(self, group: tuple[Lane, ...], busy: Mapping[Lane, int]) -> int:
        if group == WEBHOOKS:
            taken = busy.get(Lane.WEBHOOKS, 0)
            return _batched(self.webhook_concurrency - taken, taken, self.webhook_concurrency)
        taken = sum(busy.get(lane, 0) for lane in DISCORD_LANES)
        free = self.concurrency - taken
        if group == URGENT:
            # Smaller batches than routine DMs: these are worth a claim more often.
            return _batched(free, taken, self.concurrency // 2)
        return _batched(free - self.concurrency // RESERVE_SHARE, taken, self.concurrency)


def _batched(free: int, taken: int, pool: int) -> int:
    """`free` senders when there are enough of them to be worth a claim, else 0."""
    if free <= 0:
        return 0
    return free if taken == 0 or free >= max(1, pool // BATCH_SHARE) else 0
