"""One message telling what was held for a subscriber in quiet hours or for a daily digest:
a line per alert, oldest first; what does not fit is counted, with a link to the page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot import i18n
from bot.clock import show
from bot.delivery.render import MAX_DESCRIPTION, Embed, _change_line, concerning, fit, render
from bot.domain import AlertMode, Event, EventKind, Subscription
from bot.i18n import Lang, t
from bot.i18n import alerts as _texts  # noqa: F401 - registers the strings

COLOUR_SUMMARY = 0x5865F2
TITLES = {
    AlertMode.QUIET: "alerts.summary.quiet_title",
    AlertMode.DIGEST: "alerts.summary.digest_title",
}
# Room kept at the end of the description for "and N more" and the page's address.
TAIL_ROOM = 600


def line(event: Event, sub: Subscription, language: Lang, zone: ZoneInfo) -> str | None:
    """One alert in a line, or None when nothing in it concerns the subscriber any more."""
    payload = event.payload
    if event.kind is EventKind.STATUS:
        rows = concerning(payload, sub) + concerning(payload, sub, "estimates")
        if not rows:
            return None
        text = "; ".join(f"{row['asset']} {_change_line(language, row, zone)}" for row in rows)
        reason = t(language, f"reason.{payload.get('reason', 'other')}")
        text += f" ({reason})"
    else:
        # Any other alert is told by the title its own message would have had.
        embed = render(event.kind, payload, event.created_at, sub, zone)
        if embed is None:
            return None
        text = str(embed.get("title") or str(embed.get("description", ""))[:100])
    when = event.created_at.astimezone(zone).strftime("%m-%d %H:%M")
    return f"`{when}` {text}"


def summary(
    sub: Subscription,
    events: list[Event],
    total: int,
    window_end: datetime,
    zone: ZoneInfo,
    public_url: str = "",
) -> Embed | None:
    """The summary embed; `total` counts every held alert, `events` the first of them."""
    language = i18n.lang(sub.locale)
    lines = [found for e in events if (found := line(e, sub, language, zone)) is not None]
    if not lines:
        return None
    left_out = total - len(events)
    kept: list[str] = []
    used = 0
    for text in lines:
        if used + len(text) + 1 > MAX_DESCRIPTION - TAIL_ROOM:
            break
        kept.append(text)
        used += len(text) + 1
    left_out += len(lines) - len(kept)
    tail = []
    if left_out > 0:
        tail.append(t(language, "alerts.summary.more", count=left_out))
        if public_url:
            tail.append(t(language, "alerts.summary.page", url=public_url))
    title = TITLES.get(sub.mode, "alerts.summary.held_title")
    first = min(e.created_at for e in events)
    embed: Embed = {
        "title": t(language, title, count=len(kept) + left_out),
        "description": "\n".join(kept + tail),
        "color": COLOUR_SUMMARY,
        "fields": [],
        "footer": {
            "text": t(
                language,
                "alerts.summary.footer",
                start=show(first, zone, with_zone=False),
                end=show(window_end, zone, with_zone=False),
            )
        },
        "timestamp": window_end.isoformat(),
    }
    return fit(embed)
