"""What a merged alert tells: the latest state of each pair, and the way it got there.

The outbox merges a subscriber's superseded alerts into the newest one (`bot.store.outbox_merge`);
here the newest event's payload learns, for each pair the merged alerts changed, the states it
went through (`path`) and since when, and which assets were suspended for a security incident
in between, so that a critical alert is never dropped silently. Pure: events in, payload out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.clock import to_db
from bot.domain import Event, EventKind, State, is_critical

Pair = tuple[str, str]


def merged_payload(final: Event, earlier: Sequence[Event]) -> dict[str, Any]:
    """The final event's payload with the story of what it superseded (oldest first)."""
    paths: dict[Pair, list[str | None]] = {}
    since: dict[Pair, datetime] = {}
    rows: dict[Pair, dict[str, Any]] = {}
    halted: list[str] = []
    for event in sorted(earlier, key=lambda e: e.id):
        if event.kind is not EventKind.STATUS:
            continue
        critical = is_critical(event.kind, event.payload)
        for change in event.payload.get("changes", []):
            pair = (str(change["asset"]), str(change["direction"]))
            paths.setdefault(pair, [change.get("old_state")]).append(change["new_state"])
            since.setdefault(pair, event.created_at)
            rows.setdefault(pair, change)
            if critical and change["new_state"] == State.SUSPENDED and pair[0] not in halted:
                halted.append(pair[0])
    payload = dict(final.payload)
    changes = []
    for change in final.payload.get("changes", []):
        pair = (str(change["asset"]), str(change["direction"]))
        if pair in paths:
            change = _told(change, [*paths.pop(pair), change["new_state"]], since[pair])
        changes.append(change)
    # A pair whose state changed in between, which the final alert only re-estimates.
    for pair, path in paths.items():
        changes.append(_told({**rows[pair], "old_state": path[0]}, path, since[pair]))
    payload["changes"] = changes
    payload["merged"] = [event.id for event in earlier]
    if halted:
        payload["merged_critical"] = halted
    return payload


def _told(change: dict[str, Any], path: list[str | None], first: datetime) -> dict[str, Any]:
    return {**change, "new_state": path[-1], "path": path, "since": to_db(first)}
