"""Events and which subscribers want them; what is critical."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain.status import Source


class EventKind(StrEnum):
    STATUS = "status"
    ORDER = "order"
    NOTICE = "notice"
    OPERATOR = "operator"  # for the operators only: deadline reminders, delivery problems
    INCIDENT = "incident"  # an incident opened, updated, resolved or given its postmortem
    MAINTENANCE = "maintenance"  # a window's reminder, start, end, extension or cancellation


class EventFilter(StrEnum):
    """Which events a subscription wants: one family of them, or all.

    OPERATOR is the operators' channel: every event, and the operator-only ones too.
    """

    STATUS = "status"
    ORDERS = "orders"
    INCIDENTS = "incidents"
    MAINTENANCE = "maintenance"
    ALL = "all"
    OPERATOR = "operator"

    def wants(self, kind: EventKind) -> bool:
        if self is EventFilter.OPERATOR:
            return True
        if kind is EventKind.OPERATOR:
            return False
        if self is EventFilter.ALL:
            return True
        return kind in _FAMILIES[self]


# A maintenance window is a story about status: whoever follows an asset's status hears of its
# windows too (reminders, start, end); `maintenance` subscribers hear of the windows alone.
_FAMILIES: dict[EventFilter, frozenset[EventKind]] = {
    EventFilter.STATUS: frozenset({EventKind.STATUS, EventKind.MAINTENANCE}),
    EventFilter.ORDERS: frozenset({EventKind.ORDER, EventKind.NOTICE}),
    EventFilter.INCIDENTS: frozenset({EventKind.INCIDENT}),
    EventFilter.MAINTENANCE: frozenset({EventKind.MAINTENANCE}),
}


# Events cut to a subscriber's assets; the others (orders, notices) concern every asset.
PER_ASSET_KINDS = frozenset({EventKind.STATUS, EventKind.INCIDENT, EventKind.MAINTENANCE})


def is_critical(kind: EventKind, payload: dict[str, Any]) -> bool:
    """What goes at once whatever the subscriber's mode: a pair suspended for a security
    incident, a critical incident opened or updated, and everything for the operators."""
    if kind is EventKind.OPERATOR:
        return True
    if kind is EventKind.STATUS:
        return payload.get("reason") == "security_incident" and any(
            c.get("new_state") == "suspended" for c in payload.get("changes", [])
        )
    if kind is EventKind.INCIDENT:
        return payload.get("impact") == "critical"
    return False


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    kind: EventKind
    created_at: datetime
    actor: str
    source: Source
    payload: dict[str, Any]
    assets: tuple[str, ...] = ()
