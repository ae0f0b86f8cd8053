"""Building the notification report from the store: one consistent read of the period."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import i18n
from bot.clock import JST, parse_moment, utcnow
from bot.delivery.render import render
from bot.domain import (
    AlertMode,
    Event,
    EventFilter,
    EventKind,
    InvalidInput,
    Subscription,
    TargetKind,
)
from bot.i18n import Lang
from bot.services.report.model import (
    DisabledSummary,
    IncidentSummary,
    LateTranslation,
    NotificationReport,
    Reach,
    ReportEvent,
    Slowest,
    TimelineEntry,
)
from bot.store import Database
from bot.store.report import EventDeliveries

# Identities that may stand in an error text or an operator notice: URLs (a webhook's), Discord
# ids (a user's or a channel's, 17 to 20 digits) and mentions. The report shows counts only.
_IDENTITY = re.compile(r"https?://\S+|<[@#][!&]?\d+>|\b\d{15,21}\b")
# A period longer than this is refused: the report is read whole, by people.
MAX_DAYS = 366


def period(start: str, end: str, zone: ZoneInfo = JST) -> tuple[datetime, datetime]:
    """A period as operators type it (dates or times in `zone`); a date alone as its end
    includes that whole day, so "from the 1st to the 6th" has all of the 6th."""
    until = parse_moment(end, zone)
    if len(end.strip()) == len("YYYY-MM-DD"):
        until += timedelta(days=1)
    return parse_moment(start, zone), until


def redact(text: str) -> str:
    return _IDENTITY.sub("…", text)


def _reader(lang: Lang) -> Subscription:
    """Who reads every event in full: the words subscribers saw, all assets, in `lang`."""
    return Subscription(
        id=0,
        target_kind=TargetKind.CHANNEL,
        target="",
        guild_id=None,
        all_assets=True,
        assets=frozenset(),
        events=EventFilter.OPERATOR,
        locale=lang.value,
        created_by="",
        created_at=utcnow(),
        mode=AlertMode.INSTANT,
    )


def words(event: Event, lang: Lang, zone: ZoneInfo) -> str:
    """The alert's title, text and fields as lines (the footer's time is the event's own)."""
    embed = render(event.kind, event.payload, event.created_at, _reader(lang), zone)
    if embed is None:
        return ""
    lines = [str(embed.get("title") or ""), str(embed.get("description") or "")]
    for item in embed.get("fields", []):
        lines.append(f"{item['name']}: {item['value']}")
    return redact("\n".join(line for line in lines if line.strip()))


def _reach(at: datetime, counted: EventDeliveries) -> Reach:
    if not counted.marks:
        return Reach(None, None, None, None, None)
    total = counted.marks[0][1]
    by_rank = {n: when for n, _, when in counted.marks}

    def after(share: int) -> float:
        return (by_rank[math.ceil(total * share / 100)] - at).total_seconds()

    return Reach(by_rank[1], by_rank[total], after(50), after(95), after(100))


def _event(event: Event, counted: EventDeliveries, lang: Lang, zone: ZoneInfo) -> ReportEvent:
    states = counted.by_state
    return ReportEvent(
        id=event.id,
        at=event.created_at,
        kind=event.kind.value,
        actor=event.actor,
        source=event.source.value,
        assets=event.assets,
        words=words(event, lang, zone),
        targeted=sum(states.values()),
        by_kind={k.value: counted.by_kind.get(k.value, 0) for k in TargetKind},
        by_language=_languages(counted.by_language),
        reached=states.get("sent", 0) + states.get("summarised", 0),
        failed=states.get("failed", 0),
        failures=_reasons(counted.failures),
        expired=states.get("expired", 0),
        held=states.get("held", 0),
        # A state another part of the outbox may add; none until then.
        merged=states.get("merged", 0),
        pending=states.get("pending", 0),
        reach=_reach(event.created_at, counted),
    )


def _languages(locales: dict[str, int]) -> dict[str, int]:
    """Locales counted as the languages alerts are written in (en-US reads English)."""
    found = {language.value: 0 for language in Lang}
    for locale, count in locales.items():
        found[i18n.lang(locale).value] += count
    return found


def _reasons(failures: dict[str, int]) -> dict[str, int]:
    found: Counter[str] = Counter()
    for reason, count in failures.items():
        found[redact(reason) or "-"] += count
    return dict(found.most_common())


class ReportService:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    async def notifications(
        self, start: datetime, end: datetime, lang: Lang = Lang.JA, zone: ZoneInfo = JST
    ) -> NotificationReport:
        """Every event of [start, end), oldest first, with its deliveries counted."""
        if end <= start:
            raise InvalidInput(
                "report_range_order", "the end of the period must come after its start"
            )
        if (end - start).days > MAX_DAYS:
            raise InvalidInput("report_range_too_long", f"a report covers {MAX_DAYS} days at most")
        async with self._db.read() as repos:
            events = await repos.report.events(start, end)
            counted = await repos.report.deliveries(start, end)
            reached_recipients = await repos.report.recipients_reached(start, end)
            disabled = await repos.report.disabled(start, end)
            translations = await repos.report.translations(start, end)
            head = await repos.audit.head()
            incident_ids = list(
                dict.fromkeys(
                    int(e.payload["incident_id"])
                    for e in events
                    if e.kind is EventKind.INCIDENT and "incident_id" in e.payload
                )
            )
            incidents = [i for n in incident_ids if (i := await repos.incidents.get(n))]
        rows = tuple(_event(e, counted.get(e.id) or EventDeliveries(), lang, zone) for e in events)
        timed = [r for r in rows if r.reach.to_100 is not None]
        slowest = max(timed, key=lambda r: r.reach.to_100 or 0.0, default=None)
        return NotificationReport(
            start=start,
            end=end,
            generated_at=self._clock(),
            lang=lang,
            audit_events=head.entries,
            audit_head=head.hash,
            events=rows,
            events_by_kind=dict(Counter(r.kind for r in rows).most_common()),
            incidents=tuple(
                IncidentSummary(
                    id=i.id,
                    title=i18n.written(lang, i.title_ja, i.title_en),
                    impact=i.impact.value,
                    stage=i.stage.value,
                    timeline=tuple(
                        TimelineEntry(
                            u.posted_at,
                            u.stage.value,
                            i18n.written(lang, u.message_ja, u.message_en),
                        )
                        for u in i.updates
                    ),
                )
                for i in incidents
            ),
            deliveries_reached=sum(r.reached for r in rows),
            recipients_reached=reached_recipients,
            slowest=(
                Slowest(slowest.id, slowest.kind, slowest.at, slowest.reach.to_100 or 0.0)
                if slowest
                else None
            ),
            disabled=tuple(
                DisabledSummary(d.target_kind, redact(d.reason) or "-", d.count) for d in disabled
            ),
            translations=tuple(
                LateTranslation(t.subject, t.subject_key, t.field, t.new_text, t.translated_at)
                for t in translations
            ),
        )
