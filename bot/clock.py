"""Time in one place: UTC inside, the configured zone (JST by default) when shown."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain import InvalidInput

JST = ZoneInfo("Asia/Tokyo")


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_db(moment: datetime) -> str:
    """A fixed-width UTC text, so that stored times sort as text."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def maybe_from_db(text: str | None) -> datetime | None:
    return None if text is None else from_db(text)


def start_of_day(day: date, zone: ZoneInfo = JST) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def end_of_day(day: date, zone: ZoneInfo = JST) -> datetime:
    """The last moment of a day in `zone`: a report due "by the 27th" is due at 24:00 that day."""
    return start_of_day(day, zone) + timedelta(days=1)


def show(moment: datetime | None, zone: ZoneInfo = JST, with_zone: bool = True) -> str:
    """'2018-09-25 14:30 JST' in the display zone."""
    if moment is None:
        return "-"
    local = moment.astimezone(zone)
    text = local.strftime("%Y-%m-%d %H:%M")
    return f"{text} {local.tzname()}" if with_zone else text


def parse_date(text: str) -> date:
    """A date as YYYY-MM-DD (also YYYY/MM/DD), with a polite error."""
    cleaned = text.strip().replace("/", "-")
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidInput("bad_date", f"not a date (YYYY-MM-DD): {text!r}", value=text) from None


def parse_moment(text: str, zone: ZoneInfo = JST) -> datetime:
    """A date or a date and time; with no zone given it is read in the display zone."""
    cleaned = text.strip().replace("/", "-")
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise InvalidInput(
            "bad_moment",
            f"not a date or time (YYYY-MM-DD or YYYY-MM-DD HH:MM): {text!r}",
            value=text,
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def parse_hhmm(text: str) -> str:
    """A time of day as H:MM or HH:MM (00:00-23:59), returned as HH:MM."""
    hours, _, minutes = text.strip().replace("：", ":").partition(":")
    if hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) <= 2:
        if int(hours) < 24 and int(minutes) < 60:
            return f"{int(hours):02d}:{minutes}"
    raise InvalidInput("bad_time", f"not a time of day (HH:MM): {text!r}", value=text)


def next_local(hhmm: str, after: datetime, zone: ZoneInfo = JST) -> datetime:
    """The first moment strictly after `after` when the clock in `zone` shows `hhmm`."""
    local = after.astimezone(zone)
    hours, minutes = (int(part) for part in hhmm.split(":"))
    candidate = local.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    if candidate <= local:
        candidate = datetime.combine(
            local.date() + timedelta(days=1), time(hours, minutes), tzinfo=zone
        )
    return candidate.astimezone(UTC)


def in_window(hhmm: str, start: str, end: str) -> bool:
    """Whether the time of day `hhmm` is in [start, end); a window may run over midnight."""
    if start <= end:
        return start <= hhmm < end
    return hhmm >= start or hhmm < end
