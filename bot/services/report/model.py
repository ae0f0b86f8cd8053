"""The notification report as data: what every front end renders (HTML, CSV, JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.i18n import Lang


@dataclass(frozen=True, slots=True)
class Reach:
    """Seconds from the event until the first, half, 95% and all of those reached were."""

    first_at: datetime | None
    last_at: datetime | None
    to_50: float | None
    to_95: float | None
    to_100: float | None


@dataclass(frozen=True, slots=True)
class ReportEvent:
    id: int
    at: datetime
    kind: str
    actor: str
    source: str
    assets: tuple[str, ...]
    words: str  # what changed, as subscribers read it, in the report's language
    targeted: int
    by_kind: dict[str, int]  # dm, channel, webhook
    by_language: dict[str, int]
    reached: int
    failed: int
    failures: dict[str, int]  # reason (identities removed) -> count
    expired: int
    held: int  # still held for quiet hours or a digest
    merged: int  # merged into a later alert
    pending: int  # queued, not sent yet
    reach: Reach


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    stage: str
    message: str


@dataclass(frozen=True, slots=True)
class IncidentSummary:
    id: int
    title: str
    impact: str
    stage: str
    timeline: tuple[TimelineEntry, ...]


@dataclass(frozen=True, slots=True)
class DisabledSummary:
    target_kind: str
    reason: str
    count: int


@dataclass(frozen=True, slots=True)
class LateTranslation:
    """English added after the Japanese went out: what, and when it came."""

    subject: str
    subject_key: str
    field: str
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Slowest:
    event_id: int
    kind: str
    at: datetime
    seconds: float  # to reach all of those reached


@dataclass(frozen=True, slots=True)
class NotificationReport:
    start: datetime
    end: datetime
    generated_at: datetime
    lang: Lang
    audit_events: int
    audit_head: str
    events: tuple[ReportEvent, ...]
    events_by_kind: dict[str, int]
    incidents: tuple[IncidentSummary, ...]
    deliveries_reached: int
    recipients_reached: int  # distinct subscriptions reached at least once
    slowest: Slowest | None
    disabled: tuple[DisabledSummary, ...]
    translations: tuple[LateTranslation, ...] = field(default=())
