"""Incidents: stages, impact, updates and losses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.status import Source

MAX_MESSAGE_LENGTH = 2000  # an incident update's message, in either language


MAX_TITLE_LENGTH = 200


class IncidentStage(StrEnum):
    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"
    POSTMORTEM = "postmortem"

    @property
    def closed(self) -> bool:
        return self in (IncidentStage.RESOLVED, IncidentStage.POSTMORTEM)


class Impact(StrEnum):
    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True)
class IncidentUpdate:
    id: int
    incident_id: int
    stage: IncidentStage
    message_ja: str
    message_en: str  # empty until translated
    actor: str
    source: Source
    posted_at: datetime
    event_id: int | None = None
    translated_by: str | None = None
    translated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class IncidentLoss:
    asset: str
    stolen: str  # the published figure, as given
    stolen_jpy: int
    customers: str
    customers_jpy: int


@dataclass(frozen=True, slots=True)
class Incident:
    id: int
    slug: str | None
    title_ja: str
    title_en: str  # empty until translated
    impact: Impact
    stage: IncidentStage
    all_assets: bool
    assets: tuple[str, ...]  # empty when all_assets
    created_by: str
    source: Source
    started_at: datetime
    updated_at: datetime
    resolved_at: datetime | None = None
    updates: tuple[IncidentUpdate, ...] = ()  # oldest first
    losses: tuple[IncidentLoss, ...] = ()


@dataclass(frozen=True, slots=True)
class NewIncident:
    title_ja: str
    message_ja: str
    impact: Impact = Impact.MAJOR
    stage: IncidentStage = IncidentStage.INVESTIGATING
    assets: tuple[str, ...] = ()  # empty: all assets
    title_en: str = ""
    message_en: str = ""
    slug: str | None = None
