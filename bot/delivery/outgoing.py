"""A claimed delivery rendered for its subscriber: one alert, or the summary of held ones."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from bot.delivery.buttons import components
from bot.delivery.merge import merged_payload
from bot.delivery.payloads import payload_for
from bot.delivery.render import render
from bot.delivery.summary import summary
from bot.delivery.transport import Held, Outgoing
from bot.domain import Event, EventKind, Subscription
from bot.store import Database
from bot.store.outbox import Delivery

SUMMARY_EVENTS = 200  # a summary loads at most this many of its alerts; it counts the rest


class Composer:
    def __init__(self, db: Database, zone: ZoneInfo, public_url: str = "") -> None:
        self._db = db
        self._zone = zone
        self._public_url = public_url  # the status page, linked from alerts when set

    async def outgoing(
        self, sub: Subscription, delivery: Delivery, event: Event | None
    ) -> Outgoing | None:
        """The delivery rendered for its subscriber; None when nothing in it concerns them."""
        public_url = self._public_url
        if delivery.window_end is not None:
            window_end = delivery.window_end
            told = await self._db.repos.outbox.told(sub.id, window_end, SUMMARY_EVENTS)
            events = [e for i in told.event_ids if (e := await self._db.repos.events.get(i))]
            embed = summary(sub, events, told.total, window_end, self._zone, public_url)
            if embed is None:
                return None
            # A webhook reads each held event cut to the subscriber, as it would have alone.
            cut = tuple(replace(e, payload=payload_for(e, sub)) for e in events)
            held = Held(window_end, cut, told.total)
            buttons = components(sub, None, public_url)
            return Outgoing(delivery.id, sub, None, embed, {}, buttons, held)
        if event is None:
            return None
        if delivery.merged and event.kind is EventKind.STATUS:
            ids = await self._db.repos.outbox.merged_events(delivery.id)
            earlier = [e for i in ids if (e := await self._db.repos.events.get(i))]
            event = replace(event, payload=merged_payload(event, earlier))
        embed = render(event.kind, event.payload, event.created_at, sub, self._zone)
        if embed is None:
            return None
        buttons = components(sub, event, public_url)
        return Outgoing(delivery.id, sub, event, embed, payload_for(event, sub), buttons)
