"""Subscriptions: one per target, merged when the same target subscribes again."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot.clock import utcnow
from bot.domain import EventFilter, NotFound, Subscription, TargetKind
from bot.store import Database

log = logging.getLogger(__name__)


def _merge_events(old: EventFilter, new: EventFilter) -> EventFilter:
    if EventFilter.OPERATOR in (old, new):
        return EventFilter.OPERATOR  # the operators' channel keeps getting everything
    return old if old is new else EventFilter.ALL


class SubscriptionService:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

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
    ) -> Subscription:
        """Add to what the target already gets (assets=None: all assets); re-enables it too."""
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
        log.info("subscription %d for %s %s by %s", saved.id, kind, target, created_by)
        return saved

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

    async def find(self, kind: TargetKind, target: str) -> Subscription | None:
        return await self._db.repos.subscriptions.find(kind, target)

    async def list(
        self,
        kind: TargetKind | None = None,
        targets: list[str] | None = None,
        guild_id: str | None = None,
    ) -> list[Subscription]:
        return await self._db.repos.subscriptions.list(kind, targets, guild_id)
