"""A fan-out's progress, from the outbox's counts: per lane how many were reached out of how
many, what failed and why, what is still queued, the rate and the time to the last recipient.

Pure: counts and a moment in, figures and their rendering out. The same figures are shown in
the operators' channel (one message per fan-out, edited as it goes), by `/operator delivery`
and by the CLI's `deliveries`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.deliveries import FanOutCounts
from bot.domain.lanes import Lane
from bot.i18n import Lang, t
from bot.i18n import progress as _texts  # noqa: F401  (registers the texts)

HANDFUL = 10  # a fan-out to more recipients than this gets a progress message
EDIT_EVERY_SECONDS = 5.0  # Discord's budget is for alerts: the message is edited at most this often
COLOUR_GOING = 0x3498DB
COLOUR_DONE = 0x2ECC71
REASONS = ("dm_closed", "unknown_channel", "webhook", "disabled", "expired", "network", "other")


def reason_of(error: str | None, state: str = "failed") -> str:
    """Why a delivery failed, in a few words an operator can act on, from its last error."""
    text = (error or "").lower()
    if state == "expired":
        return "expired"
    if "50007" in text:  # Discord: cannot send messages to this user
        return "dm_closed"
    if "10003" in text or "unknown channel" in text:
        return "unknown_channel"
    if text.startswith("webhook"):
        return "webhook"
    if text.startswith("subscription disabled"):
        return "disabled"
    if text.startswith("network"):
        return "network"
    return "other"


@dataclass(frozen=True, slots=True)
class LaneTally:
    lane: Lane
    reached: int = 0
    failed: int = 0
    queued: int = 0
    held: int = 0
    merged: int = 0  # told by a newer alert's message instead

    @property
    def total(self) -> int:
        return self.reached + self.failed + self.queued + self.held


@dataclass(frozen=True, slots=True)
class Progress:
    event_id: int
    lanes: tuple[LaneTally, ...]
    failures: dict[str, int]  # reason -> deliveries
    elapsed: float  # seconds since the event; when done, until the last send
    done: bool

    @property
    def reached(self) -> int:
        return sum(lane.reached for lane in self.lanes)

    @property
    def total(self) -> int:
        return sum(lane.total for lane in self.lanes)

    @property
    def queued(self) -> int:
        return sum(lane.queued for lane in self.lanes)

    @property
    def held(self) -> int:
        return sum(lane.held for lane in self.lanes)

    @property
    def merged(self) -> int:
        return sum(lane.merged for lane in self.lanes)

    @property
    def rate(self) -> float | None:
        """Deliveries reached per second since the fan-out began."""
        return self.reached / self.elapsed if self.elapsed > 0 and self.reached else None

    @property
    def eta(self) -> float | None:
        """Seconds until the last queued recipient at the rate so far; 0 once done."""
        if self.done or not self.queued:
            return 0.0
        rate = self.rate
        return self.queued / rate if rate else None


# Each state of a delivery row, as the figures count it.
_COLUMN = {
    "sent": "reached",
    "summarised": "reached",  # held, then told in a summary that was sent
    "failed": "failed",
    "expired": "failed",
    "pending": "queued",
    "held": "held",
    "merged": "merged",
}


def progress(counts: FanOutCounts, now: datetime) -> Progress:
    tallies: dict[Lane, dict[str, int]] = {}
    for (lane, state), rows in counts.states.items():
        column = _COLUMN[state]
        tally = tallies.setdefault(Lane(lane), {})
        tally[column] = tally.get(column, 0) + rows
    lanes = tuple(LaneTally(lane, **tallies[lane]) for lane in sorted(tallies))
    failures: dict[str, int] = {}
    for (error, state), rows in counts.errors.items():
        reason = reason_of(error, state)
        failures[reason] = failures.get(reason, 0) + rows
    done = not any(lane.queued for lane in lanes)
    end = counts.last_sent_at if done and counts.last_sent_at else now
    elapsed = max((end - counts.started_at).total_seconds(), 0.0)
    return Progress(counts.event_id, lanes, failures, elapsed, done)


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m {secs:02d}s"
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


def lines(p: Progress, language: Lang) -> list[tuple[str, str]]:
    """(label, value) for each figure, in the order they are shown."""
    rows = [
        (t(language, f"progress.lane.{lane.lane.name.lower()}"), f"{lane.reached}/{lane.total}")
        for lane in p.lanes
    ]
    failed = ", ".join(
        f"{t(language, f'progress.reason.{reason}')} {p.failures[reason]}"
        for reason in REASONS
        if p.failures.get(reason)
    )
    rows.append((t(language, "progress.failed"), failed or t(language, "progress.none")))
    if p.held:
        rows.append((t(language, "progress.held"), str(p.held)))
    if p.merged:
        rows.append((t(language, "progress.merged"), str(p.merged)))
    if p.done:
        rows.append((t(language, "progress.took"), duration(p.elapsed)))
    else:
        rows.append((t(language, "progress.queued"), str(p.queued)))
    rate = p.rate
    shown = t(language, "progress.rate_value", rate=rate) if rate else "-"
    rows.append((t(language, "progress.rate"), shown))
    if not p.done:
        rows.append((t(language, "progress.eta"), duration(p.eta)))
    return rows


def embed(p: Progress, language: Lang) -> dict[str, Any]:
    """The progress message's embed; its last edit (`done`) gives the totals and duration."""
    title = "progress.title_done" if p.done else "progress.title"
    return {
        "title": t(language, title, event=p.event_id),
        "description": t(language, "progress.reached", reached=p.reached, total=p.total),
        "color": COLOUR_DONE if p.done else COLOUR_GOING,
        "fields": [
            {"name": name, "value": value, "inline": True} for name, value in lines(p, language)
        ],
    }


def text(p: Progress, language: Lang = Lang.EN) -> str:
    """The same figures as plain lines, for a terminal."""
    title = t(language, "progress.title_done" if p.done else "progress.title", event=p.event_id)
    reached = t(language, "progress.reached", reached=p.reached, total=p.total)
    figures = [f"  {name}: {value}" for name, value in lines(p, language)]
    return "\n".join([title, reached, *figures])


def edit_due(now: datetime, last_edit: datetime | None) -> bool:
    """Whether the message may be edited now: never twice within a few seconds, the last edit
    (the totals) included."""
    return last_edit is None or (now - last_edit).total_seconds() >= EDIT_EVERY_SECONDS


def figures(p: Progress) -> dict[str, Any]:
    """The same figures as data, for the API (`FanOutProgress` in the OpenAPI document)."""
    return {
        "event_id": p.event_id,
        "done": p.done,
        "reached": p.reached,
        "total": p.total,
        "queued": p.queued,
        "held": p.held,
        "merged": p.merged,
        "failed": sum(p.failures.values()),
        "failures": {reason: p.failures[reason] for reason in REASONS if p.failures.get(reason)},
        "lanes": [
            {
                "lane": lane.lane.name.lower(),
                "reached": lane.reached,
                "failed": lane.failed,
                "queued": lane.queued,
                "held": lane.held,
                "merged": lane.merged,
                "total": lane.total,
            }
            for lane in p.lanes
        ],
        "elapsed_seconds": round(p.elapsed, 3),
        "rate_per_second": None if p.rate is None else round(p.rate, 3),
        "eta_seconds": None if p.eta is None else round(p.eta, 3),
    }
