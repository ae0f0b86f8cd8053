"""Subscriptions: where alerts go, how they arrive, and their buttons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.domain.events import EventFilter


class TargetKind(StrEnum):
    DM = "dm"
    CHANNEL = "channel"
    WEBHOOK = "webhook"


class AlertMode(StrEnum):
    """When a subscriber's non-critical alerts go: at once, after quiet hours, or once a day."""

    INSTANT = "instant"
    QUIET = "quiet"  # held between quiet_from and quiet_until (JST), then one summary
    DIGEST = "digest"  # all held, one summary a day at digest_at (JST)


# The buttons under an alert name what they act on in their custom id, so that they keep
# working after a restart: `alerts:unsubscribe:<subscription id>`, `alerts:mute:<id>:<asset>`.
UNSUBSCRIBE_BUTTON = "alerts:unsubscribe:{subscription_id}"


MUTE_BUTTON = "alerts:mute:{subscription_id}:{asset}"


UNSUBSCRIBE_PATTERN = r"alerts:unsubscribe:(?P<subscription_id>[0-9]+)"


MUTE_PATTERN = r"alerts:mute:(?P<subscription_id>[0-9]+):(?P<asset>[A-Za-z0-9_-]{1,20})"


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    target_kind: TargetKind
    target: str  # user id, channel id or webhook URL
    guild_id: str | None
    all_assets: bool
    assets: frozenset[str]
    events: EventFilter
    locale: str
    created_by: str
    created_at: datetime
    active: bool = True
    disabled_reason: str | None = None
    last_error: str | None = None
    secret: str | None = field(default=None, repr=False)
    mode: AlertMode = AlertMode.INSTANT
    quiet_from: str | None = None  # HH:MM, JST
    quiet_until: str | None = None
    digest_at: str | None = None
