"""Subscriptions: one per target, merged when the same target subscribes again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import i18n
from bot.clock import JST, in_window, next_local, parse_hhmm, utcnow
from bot.domain import (
    AlertMode,
    DomainError,
    EventFilter,
    EventKind,
    InvalidInput,
    NotFound,
    Source,
    Subscription,
    TargetKind,
)
from bot.i18n import welcome as _texts  # noqa: F401 - registers the strings
from bot.store import Database
from bot.store.budgets import DM_OPENS
from bot.store.mentions import NOTIFY_BUTTON, NOTIFY_PATTERN, Mention, MentionWhen
from bot.store.welcomes import DM_CLOSED, WelcomeState

log = logging.getLogger(__name__)

WELCOME_POLL_SECONDS = 0.2
__all__ = [
    "DM_CLOSED",
    "NOTIFY_BUTTON",
    "NOTIFY_PATTERN",
    "Mention",
    "MentionWhen",
    "SubscriptionService",
    "WelcomeState",
]


def _merge_events(old: EventFilter, new: EventFilter) -> EventFilter:
    if EventFilter.OPERATOR in (old, new):
        return EventFilter.OPERATOR  # the operators' channel keeps getting everything
    return old if old is new else EventFilter.ALL


class SubscriptionGone(DomainError):
    """A button under an alert whose subscription no longer exists."""

    category = "not_found"


class SubscriptionService:
    def __init__(
        self, db: Database, *, clock: Callable[[], datetime] = utcnow, zone: ZoneInfo = JST
    ) -> None:
        self._db = db
        self._clock = clock
        self._zone = zone

    async def subscribe(
        self,
        kind: TargetKind,
        target: str,
        *,
        assets: frozenset[str] | None,
        events: EventFilter,
        locale: str,
        created_by: str,
        guild_id: str | None = None,
        secret: str | None = None,
        channel_type: int | None = None,
    ) -> Subscription:
        """Add to what the target already gets (assets=None: all assets); re-enables it too.
        A channel's Discord type, when the caller knows it, is kept for the transport."""
        async with self._db.transaction() as repos:
            old = await repos.subscriptions.find(kind, target)
            if old is None:
                sub = Subscription(
                    id=0,
                    target_kind=kind,
                    target=target,
                    guild_id=guild_id,
                    all_assets=assets is None,
                    assets=assets or frozenset(),
                    events=events,
                    locale=locale,
                    created_by=created_by,
                    created_at=self._clock(),
                    secret=secret,
                )
            else:
                all_assets = old.all_assets or assets is None
                sub = replace(
                    old,
                    guild_id=guild_id or old.guild_id,
                    all_assets=all_assets,
                    assets=frozenset() if all_assets else old.assets | (assets or frozenset()),
                    events=_merge_events(old.events, events) if old.active else events,
                    locale=locale,
                    secret=secret or old.secret,
                    active=True,
                    disabled_reason=None,
                    last_error=None,
                )
            saved = await repos.subscriptions.save(sub)
            if kind is TargetKind.DM:
                # The welcome opens the DM channel now, while the user is here.
                await repos.welcomes.queue(saved.id, self._clock())
            if kind is TargetKind.CHANNEL and channel_type is not None:
                await repos.channel_types.record(target, channel_type, self._clock())
        log.info("subscription %d for %s %s by %s", saved.id, kind, target, created_by)
        return saved

    async def channel_types_seen(self, types: Mapping[str, int]) -> int:
        """Channels' Discord types as the gateway shows them (channel id -> type): those of
        subscribed channels are kept, so that no alert waits for Discord to be asked."""
        async with self._db.transaction() as repos:
            changed = await repos.channel_types.record_subscribed(types, self._clock())
        if changed:
            log.info("channel types: %d subscribed channel(s) new or changed", changed)
        return changed

    async def unsubscribe(
        self, kind: TargetKind, target: str, *, assets: frozenset[str] | None, all_codes: list[str]
    ) -> Subscription | None:
        """Remove some assets (or, with assets=None, the whole subscription).

        Returns what is left, None when nothing is left. Removing one asset from an all-assets
        subscription leaves the other assets.
        """
        async with self._db.transaction() as repos:
            old = await repos.subscriptions.find(kind, target)
            if old is None:
                return None
            remaining = (
                frozenset()
                if assets is None
                else ((frozenset(all_codes) if old.all_assets else old.assets) - assets)
            )
            if not remaining:
                await repos.subscriptions.delete(old.id)
                return None
            kept = replace(old, all_assets=False, assets=remaining)
            return await repos.subscriptions.save(kept)

    async def remove(self, subscription_id: int) -> Subscription:
        """Delete a subscription by id; its queued deliveries go with it."""
        async with self._db.transaction() as repos:
            old = await repos.subscriptions.get(subscription_id)
            if old is None:
                raise NotFound("subscription", subscription_id)
            await repos.subscriptions.delete(subscription_id)
        log.info("subscription %d (%s %s) removed", old.id, old.target_kind, old.target)
        return old

    async def get(self, subscription_id: int) -> Subscription | None:
        return await self._db.repos.subscriptions.get(subscription_id)

    async def drop(self, subscription_id: int) -> Subscription:
        """The Unsubscribe button: the whole subscription goes, with what it had held."""
        async with self._db.transaction() as repos:
            old = await repos.subscriptions.get(subscription_id)
            if old is None:
                raise SubscriptionGone("subscription_gone", "that subscription no longer exists")
            await repos.subscriptions.delete(subscription_id)
        log.info("subscription %d (%s %s) dropped", old.id, old.target_kind, old.target)
        return old

    async def mute(
        self, subscription_id: int, asset: str, all_codes: list[str]
    ) -> Subscription | None:
        """The Mute button: one asset leaves the subscription; None when nothing is left."""
        async with self._db.transaction() as repos:
            old = await repos.subscriptions.get(subscription_id)
            if old is None:
                raise SubscriptionGone("subscription_gone", "that subscription no longer exists")
            remaining = (frozenset(all_codes) if old.all_assets else old.assets) - {asset}
            if not remaining:
                await repos.subscriptions.delete(old.id)
                return None
            return await repos.subscriptions.save(replace(old, all_assets=False, assets=remaining))

    async def quiet(self, subscription_id: int, start: str, end: str) -> Subscription:
        """Hold non-critical alerts between two JST times (over midnight when end < start)."""
        first, last = parse_hhmm(start), parse_hhmm(end)
        if first == last:
            raise InvalidInput(
                "quiet_window_empty", "the quiet window starts and ends at the same time"
            )
        return await self._set_mode(
            subscription_id, AlertMode.QUIET, quiet_from=first, quiet_until=last
        )

    async def digest(self, subscription_id: int, at: str) -> Subscription:
        """Hold every non-critical alert and tell them in one summary a day at `at` (JST)."""
        return await self._set_mode(subscription_id, AlertMode.DIGEST, digest_at=parse_hhmm(at))

    async def instant(self, subscription_id: int) -> Subscription:
        """Everything at once again; what was held is summarised now."""
        return await self._set_mode(subscription_id, AlertMode.INSTANT)

    async def _set_mode(
        self,
        subscription_id: int,
        mode: AlertMode,
        *,
        quiet_from: str | None = None,
        quiet_until: str | None = None,
        digest_at: str | None = None,
    ) -> Subscription:
        now = self._clock()
        async with self._db.transaction() as repos:
            old = await repos.subscriptions.get(subscription_id)
            if old is None:
                raise NotFound("subscription", subscription_id)
            sub = replace(
                old, mode=mode, quiet_from=quiet_from, quiet_until=quiet_until, digest_at=digest_at
            )
            await repos.subscriptions.set_mode(sub)
            # Held alerts wait for the new mode's next summary (quiet: the new window's end).
            due = self._release(sub, now)
            held = await repos.outbox.reschedule_held(sub.id, due, now)
        log.info("subscription %d now %s (%d held)", sub.id, mode.value, held)
        return sub

    def _release(self, sub: Subscription, now: datetime) -> datetime:
        """When alerts held now would be told: the digest's hour, the quiet window's end, or
        at once (instant, or outside the quiet window)."""
        if sub.digest_at is not None:
            return next_local(sub.digest_at, now, self._zone)
        if sub.quiet_from is not None and sub.quiet_until is not None:
            local = now.astimezone(self._zone).strftime("%H:%M")
            if in_window(local, sub.quiet_from, sub.quiet_until):
                return next_local(sub.quiet_until, now, self._zone)
        return now

    async def find(self, kind: TargetKind, target: str) -> Subscription | None:
        return await self._db.repos.subscriptions.find(kind, target)

    async def list(
        self,
        kind: TargetKind | None = None,
        targets: list[str] | None = None,
        guild_id: str | None = None,
    ) -> list[Subscription]:
        return await self._db.repos.subscriptions.list(kind, targets, guild_id)

    async def dms_state(self) -> str:
        """ "restricted" while Discord refuses the bot's DMs to new users (its anti-spam
        quarantine), else "ok"."""
        budget = await self._db.repos.budgets.get(DM_OPENS)
        return "ok" if budget.restricted_at is None else "restricted"

    async def welcome_outcome(self, subscription_id: int, within: float) -> WelcomeState | None:
        """How the subscription's welcome went, waiting up to `within` seconds for it to leave
        `pending` (the leader sends it; this may be another process)."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            welcome = await self._db.repos.welcomes.of(subscription_id)
            state = None if welcome is None else welcome.state
            if state is not WelcomeState.PENDING or asyncio.get_running_loop().time() > deadline:
                return state
            await asyncio.sleep(WELCOME_POLL_SECONDS)

    async def set_mention(self, subscription_id: int, mention: Mention | None) -> None:
        """The role the channel subscription pings (and when); None pings nobody."""
        async with self._db.transaction() as repos:
            await repos.mentions.set(subscription_id, mention)

    async def mention(self, subscription_id: int) -> Mention | None:
        return await self._db.repos.mentions.of(subscription_id)

    async def role_refused(self, sub: Subscription, role_id: str) -> None:
        """ "Notify me" could not change the role: the operators' channel gets the exact fix."""
        params = {"channel": sub.target, "role": f"<@&{role_id}>"}
        payload = {
            "topic": "role_refused",
            "subscription_id": sub.id,
            **{f"title_{lang}": i18n.t(lang, "mention.operators_title") for lang in ("ja", "en")},
            **{
                f"text_{lang}": i18n.t(lang, "mention.operators_text", **params)
                for lang in ("ja", "en")
            },
        }
        async with self._db.transaction() as repos:
            event = await repos.events.add(
                EventKind.OPERATOR,
                actor="system",
                source=Source.SYSTEM,
                payload=payload,
                created_at=self._clock(),
            )
            await repos.outbox.fan_out(event)
