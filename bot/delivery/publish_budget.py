"""The publish budget of announcement channels: at most 10 publishes per rolling hour each.

A message posted in an announcement channel reaches only that server; published (crossposted),
Discord copies it into every server following the channel, at no cost to our request budget.
Discord allows 10 publishes per channel per hour and answers an 11th with a 429 that can ask to
wait most of an hour, so the count is kept in the database (it survives restarts and every
process sees it) and an 11th is never tried. The last `CRITICAL_RESERVE` publishes of an hour
are kept for critical alerts. An alert that is not published is still posted in the channel;
the next published one says how many were not.

The policy is pure: the ledger and the time in, a decision out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bot import i18n
from bot.i18n import welcome as _texts  # noqa: F401 - registers the strings
from bot.store import Database
from bot.store.publishes import PublishLedger

LIMIT = 10
WINDOW_SECONDS = 3600.0
CRITICAL_RESERVE = 2


@dataclass(frozen=True, slots=True)
class Decision:
    publish: bool
    missed: int  # alerts posted unpublished since the last published one (told when publishing)


def decide(ledger: PublishLedger, now: float, critical: bool) -> Decision:
    if ledger.blocked_until is not None and now < ledger.blocked_until:
        return Decision(False, ledger.unpublished)
    used = sum(1 for at in ledger.recent if at > now - WINDOW_SECONDS)
    left = LIMIT - used
    return Decision(left > (0 if critical else CRITICAL_RESERVE), ledger.unpublished)


def missed_note(locale: str, count: int, public_url: str = "") -> str:
    """The line a published alert starts with when others were posted unpublished before it."""
    language = i18n.lang(locale)
    text = i18n.t(language, "publish.missed", count=count)
    if public_url:
        text += " " + i18n.t(language, "publish.page", url=public_url)
    return text


class PublishBudget:
    """The policy over the database: the decision and its count are one transaction."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self.now = clock

    async def take(self, channel_id: str, critical: bool) -> Decision:
        """Whether to publish the alert about to be posted; a yes counts as a publish now."""
        now = self.now()
        async with self._db.transaction() as repos:
            ledger = await repos.publishes.ledger(channel_id, now - WINDOW_SECONDS)
            decision = decide(ledger, now, critical)
            if decision.publish:
                await repos.publishes.published(channel_id, now, now - 2 * WINDOW_SECONDS)
            else:
                await repos.publishes.unpublished(channel_id)
        return decision

    async def blocked(self, channel_id: str) -> bool:
        """Discord asked us to wait (a 429) and the wait is not over."""
        now = self.now()
        ledger = await self._db.repos.publishes.ledger(channel_id, now)
        return ledger.blocked_until is not None and now < ledger.blocked_until

    async def failed(self, channel_id: str, retry_after: float | None) -> None:
        """The publish did not happen: the alert counts as unpublished; a 429's wait is kept."""
        async with self._db.transaction() as repos:
            await repos.publishes.unpublished(channel_id)
            if retry_after is not None:
                await repos.publishes.blocked(channel_id, self.now() + retry_after)
