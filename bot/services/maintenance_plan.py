"""What a maintenance window calls for: its checks, its timed steps and its notices' payloads.

Pure functions over the domain models; `bot/services/maintenance.py` runs them in transactions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot import i18n
from bot.clock import JST, show, to_db
from bot.domain import (
    Asset,
    DomainError,
    Maintenance,
    MaintenanceState,
    StatusChange,
)
from bot.i18n import Lang
from bot.i18n import maintenance as _texts  # noqa: F401 - registers the words used

JOB_PREFIX = "maintenance:"
PAST_GRACE = timedelta(minutes=5)  # a start typed a little late is still taken as "now"

# The steps of a window, each one notice.
SCHEDULED = "scheduled"
REMINDER = "reminder"
STARTED = "started"
COMPLETED = "completed"
EXTENDED = "extended"
CANCELLED = "cancelled"
TOOK_PLACE = "took_place"  # started and ended while the service was down: one notice, no flip

REMIND, START, END = "remind", "start", "end"
_ORDER = {END: 0, START: 1, REMIND: 2}  # at one moment, a window ends before the next starts


@dataclass(frozen=True, slots=True)
class Due:
    """One timed step of a window: a reminder, its start or its end."""

    maintenance_id: int
    action: str
    at: datetime
    lead_hours: float | None = None

    @property
    def job_id(self) -> str:
        if self.action == REMIND:
            return f"{JOB_PREFIX}{self.maintenance_id}:{REMIND}:{self.lead_hours:g}"
        return f"{JOB_PREFIX}{self.maintenance_id}:{self.action}"

    @property
    def sort_key(self) -> tuple[datetime, int, int, float]:
        return (self.at, _ORDER[self.action], self.maintenance_id, -(self.lead_hours or 0))


def reminder_leads(window: Maintenance, leads: Iterable[float]) -> list[float]:
    """The lead times that were still ahead when the window was scheduled, longest first."""
    return sorted(
        {lead for lead in leads if window.starts_at - timedelta(hours=lead) > window.created_at},
        reverse=True,
    )


def steps(
    window: Maintenance, leads: Iterable[float], reminded: set[tuple[int, float]]
) -> list[Due]:
    """The steps still ahead of an active window."""
    found = []
    if window.state is MaintenanceState.SCHEDULED:
        for lead in reminder_leads(window, leads):
            if (window.id, lead) not in reminded:
                at = window.starts_at - timedelta(hours=lead)
                found.append(Due(window.id, REMIND, at, lead))
        found.append(Due(window.id, START, window.starts_at))
    if window.state.active:
        found.append(Due(window.id, END, window.ends_at))
    return found


def superseded(window: Maintenance, lead: float, leads: Iterable[float], now: datetime) -> bool:
    """A late reminder not worth sending: the start has come, or a nearer reminder is due too."""
    if now >= window.starts_at:
        return True
    return any(
        other < lead and now >= window.starts_at - timedelta(hours=other)
        for other in reminder_leads(window, leads)
    )


def check_times(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    if ends_at <= starts_at:
        raise DomainError(
            "maintenance_ends_before_start",
            f"the end {show(ends_at)} is not after the start {show(starts_at)}",
            starts=show(starts_at, JST),
            ends=show(ends_at, JST),
        )
    if starts_at < now - PAST_GRACE:
        raise DomainError(
            "maintenance_starts_in_past",
            f"the start {show(starts_at)} is more than 5 minutes in the past",
            starts=show(starts_at, JST),
        )


def direction_key(direction: str) -> str:
    return "maintenance.direction.both" if direction == "both" else f"direction.{direction}"


def overlap_error(existing: Maintenance) -> DomainError:
    return DomainError(
        "maintenance_overlap",
        f"overlaps maintenance #{existing.id} ({', '.join(existing.assets)} {existing.direction},"
        f" {show(existing.starts_at)} to {show(existing.ends_at)})",
        id=existing.id,
        assets=", ".join(existing.assets),
        direction=existing.direction,
        starts=show(existing.starts_at, JST),
        ends=show(existing.ends_at, JST),
        direction_ja=i18n.t(Lang.JA, direction_key(existing.direction)),
        direction_en=i18n.t(Lang.EN, direction_key(existing.direction)),
    )


def not_active_error(window: Maintenance) -> DomainError:
    return DomainError(
        "maintenance_not_active",
        f"maintenance #{window.id} is {window.state.value}; only a scheduled or in-progress"
        " window can be changed",
        id=window.id,
        state=window.state.value,
        state_ja=i18n.t(Lang.JA, f"maintenance.state.{window.state.value}"),
        state_en=i18n.t(Lang.EN, f"maintenance.state.{window.state.value}"),
    )


def payload(
    window: Maintenance,
    step: str,
    names: dict[str, Asset],
    *,
    changes: Sequence[StatusChange] = (),
    left: Sequence[dict[str, str]] = (),
    **extra: Any,
) -> dict[str, Any]:
    """What every maintenance notice renders: the window, the step, and what it changed."""
    return {
        "maintenance_id": window.id,
        "step": step,
        "direction": window.direction,
        "all_assets": window.all_assets,
        "assets": [
            {"code": code, "name_ja": names[code].name_ja, "name_en": names[code].name_en}
            for code in window.assets
            if code in names
        ],
        "starts_at": to_db(window.starts_at),
        "ends_at": to_db(window.ends_at),
        "reason": window.reason.value,
        "note_ja": window.note_ja,
        "note_en": window.note_en,
        "changes": [
            {
                "asset": c.asset,
                "direction": c.direction.value,
                "old_state": c.old_state.value if c.old_state else None,
                "new_state": c.new_state.value,
            }
            for c in changes
        ],
        "left": list(left),
        **extra,
    }
