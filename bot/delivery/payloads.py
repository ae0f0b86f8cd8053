"""What a delivery carries besides its embed: the event cut to one subscriber, and the notice
that a channel's subscription was switched off."""

from __future__ import annotations

from typing import Any

from bot.delivery import maintenance_render
from bot.delivery.render import cut_to
from bot.domain import Event, EventKind, Subscription


def payload_for(event: Event, sub: Subscription) -> dict[str, Any]:
    """The event's payload cut down to what concerns the subscriber (what a webhook gets)."""
    if event.kind is EventKind.STATUS:
        return cut_to(event.payload, sub)
    if event.kind is EventKind.MAINTENANCE:
        return maintenance_render.cut_to(event.payload, sub)
    return dict(event.payload)


def disabled_payload(sub: Subscription, error: str) -> dict[str, Any]:
    return {
        "topic": "subscription_disabled",
        "subscription_id": sub.id,
        "target_kind": sub.target_kind.value,
        "target": sub.target,
        "guild_id": sub.guild_id,
        "reason": error,
    }
