"""What is critical (always sent at once), and the JST times of quiet hours and digests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import JST, in_window, next_local, parse_hhmm
from bot.domain import Event, EventKind, InvalidInput, Source, is_critical


def event(kind: EventKind, payload: dict[str, object]) -> Event:
    return Event(1, kind, datetime(2026, 12, 1, tzinfo=UTC), "ops", Source.CLI, payload)


def status(reason: str, *states: str) -> dict[str, object]:
    return {"reason": reason, "changes": [{"asset": "BTC", "new_state": s} for s in states]}


@pytest.mark.parametrize(
    ("kind", "payload", "critical"),
    [
        (EventKind.STATUS, status("security_incident", "operational", "suspended"), True),
        (EventKind.STATUS, status("security_incident", "delayed"), False),
        (EventKind.STATUS, status("maintenance", "suspended"), False),
        (EventKind.INCIDENT, {"impact": "critical", "stage": "investigating"}, True),
        (EventKind.INCIDENT, {"impact": "critical", "stage": "identified"}, True),
        (EventKind.INCIDENT, {"impact": "major", "stage": "investigating"}, False),
        (EventKind.MAINTENANCE, {"topic": "start"}, False),
        (EventKind.ORDER, {"action": "business_suspension"}, False),
        (EventKind.NOTICE, {"title": "x"}, False),
        (EventKind.OPERATOR, {"topic": "subscription_disabled"}, True),
    ],
)
def test_what_is_critical(kind: EventKind, payload: dict[str, object], critical: bool) -> None:
    assert is_critical(kind, payload) is critical
    assert is_critical(event(kind, payload).kind, payload) is critical


def test_times_of_day_are_read_in_a_few_shapes_and_refused_politely() -> None:
    assert parse_hhmm("7:05") == "07:05"
    assert parse_hhmm(" 23:00 ") == "23:00"
    assert parse_hhmm("０:00".replace("０", "0")) == "00:00"
    for bad in ("24:00", "7", "07:5", "12:60", "noon", ""):
        with pytest.raises(InvalidInput) as refused:
            parse_hhmm(bad)
        assert refused.value.code == "bad_time"


def test_windows_over_midnight_and_the_next_time_the_clock_shows_an_hour() -> None:
    assert in_window("23:30", "23:00", "07:00") and in_window("06:59", "23:00", "07:00")
    assert not in_window("07:00", "23:00", "07:00") and not in_window("22:59", "23:00", "07:00")
    assert in_window("12:00", "12:00", "13:00") and not in_window("13:00", "12:00", "13:00")
    evening = datetime(2026, 12, 1, 23, 30, tzinfo=JST)
    assert next_local("07:00", evening) == datetime(2026, 12, 2, 7, tzinfo=JST)
    assert next_local("23:45", evening) == datetime(2026, 12, 1, 23, 45, tzinfo=JST)
    on_the_dot = datetime(2026, 12, 1, 8, tzinfo=JST)
    assert next_local("08:00", on_the_dot) == datetime(2026, 12, 2, 8, tzinfo=JST)
