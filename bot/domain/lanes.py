"""The lanes a delivery travels in, highest first: what reaches the most people, or matters most,
goes first within the one Discord budget.

A delivery's lane is decided when it is queued (by the store, from the event and the
subscription) and kept on its row, so that a claim can pick by lane with an index. Webhooks do
not spend Discord's budget: their lane runs beside the others, not after them.
"""

from __future__ import annotations

from enum import IntEnum

from bot.domain.events import EventFilter
from bot.domain.subscriptions import TargetKind


class Lane(IntEnum):
    OPERATORS = 0  # the operators' channel
    CHANNELS = 1  # one request reaches a whole server
    CRITICAL_DMS = 2  # critical as for quiet hours (bot.domain.is_critical)
    DMS = 3
    WEBHOOKS = 4


DISCORD_LANES = (Lane.OPERATORS, Lane.CHANNELS, Lane.CRITICAL_DMS, Lane.DMS)


def lane_of(kind: TargetKind, events: EventFilter, critical: bool) -> Lane:
    """The lane of one delivery: by its target, and for a DM by whether its alert is critical."""
    if kind is TargetKind.WEBHOOK:
        return Lane.WEBHOOKS
    if events is EventFilter.OPERATOR:
        return Lane.OPERATORS
    if kind is TargetKind.CHANNEL:
        return Lane.CHANNELS
    return Lane.CRITICAL_DMS if critical else Lane.DMS


def lane_table(critical: bool) -> dict[str, int]:
    """{"<target kind>:<events filter>": lane} for every subscription there can be: the store
    looks a row's lane up in it, in SQL, rather than spelling the rules out a second time."""
    return {
        f"{kind.value}:{events.value}": int(lane_of(kind, events, critical))
        for kind in TargetKind
        for events in EventFilter
    }
