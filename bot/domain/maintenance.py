"""Maintenance windows and the pairs they hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.status import Direction, Reason, Source, State


class MaintenanceState(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def active(self) -> bool:
        return self in (MaintenanceState.SCHEDULED, MaintenanceState.IN_PROGRESS)


@dataclass(frozen=True, slots=True)
class MaintenancePair:
    asset: str
    direction: Direction
    prior_state: State | None = None
    prior_reason: Reason | None = None
    prior_note: str | None = None
    prior_expected_reopen: datetime | None = None
    prior_note_en: str | None = None
    start_history_id: int | None = None
    outcome: str | None = None  # "restored", or "left" where an operator changed it meanwhile


@dataclass(frozen=True, slots=True)
class Maintenance:
    id: int
    state: MaintenanceState
    direction: str  # deposit, withdrawal or both
    all_assets: bool
    assets: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime
    reason: Reason
    note_ja: str
    note_en: str
    created_by: str
    source: Source
    created_at: datetime
    updated_at: datetime
    sequence: int = 0
    started_at: datetime | None = None
    ended_at: datetime | None = None
    cancelled_at: datetime | None = None
    pairs: tuple[MaintenancePair, ...] = ()


@dataclass(frozen=True, slots=True)
class NewMaintenance:
    """A window as an operator asks for it: the asset codes already checked, times in UTC."""

    assets: tuple[str, ...]
    direction: str  # deposit, withdrawal or both
    starts_at: datetime
    ends_at: datetime
    reason: Reason
    note_ja: str = ""
    note_en: str = ""
    all_assets: bool = False
