"""The outbox: one delivery row per (event, matching subscription), written with the event."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import JST, from_db, to_db
from bot.domain import PER_ASSET_KINDS, Event, EventFilter, is_critical
from bot.domain.lanes import Lane, lane_table
from bot.store.events import EventRepo
from bot.store.outbox_backlog import DmBacklog
from bot.store.outbox_held import HeldAlerts, Summarised, lane_of_row
from bot.store.outbox_merge import EVERY_ID, MergedAlerts
from bot.store.sql import Sql

__all__ = ["Delivery", "DeliveryRecord", "OutboxRepo", "Summarised"]

# Whether the local HH:MM (the parameter) is inside the subscription's quiet window.
_IN_QUIET = (
    "(CASE WHEN s.quiet_from <= s.quiet_until THEN ? >= s.quiet_from AND ? < s.quiet_until"
    " ELSE ? >= s.quiet_from OR ? < s.quiet_until END)"
)


@dataclass(frozen=True, slots=True)
class Delivery:
    """A delivery the dispatcher holds a lease on; `attempts` counts this one."""

    id: int
    event_id: int | None  # None for a summary
    subscription_id: int
    attempts: int
    created_at: datetime
    window_end: datetime | None = None  # a summary: the end of the window it tells
    claim: str = ""  # the token of the claim that holds it: every mark must show it
    lane: Lane = Lane.DMS
    merged: int = 0  # how many superseded alerts it tells besides its own


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    id: int
    event_id: int
    subscription_id: int
    state: str
    attempts: int
    last_error: str | None
    message_id: str | None


class OutboxRepo(HeldAlerts, MergedAlerts, DmBacklog):
    """The whole outbox: fan-out, the dispatcher's claims and marks; held rows and their
    summaries come from `HeldAlerts`, the merging of superseded alerts from `MergedAlerts`,
    the DM rows of a large fan-out left for later transactions from `DmBacklog`."""

    def __init__(self, connection: Sql) -> None:
        self._conn = connection

    async def fan_out(self, event: Event, zone: ZoneInfo = JST) -> int:
        """Queue the event for every active subscription that wants it; return how many.

        A subscriber in quiet hours or on a daily digest has the event held (unless it is
        critical) until the end of its window: the row waits as `held`, due then. When there
        are many DM subscribers, only the other rows are written here and the DMs are left to
        `fan_out_more`, in later transactions (see `DmBacklog`): the channels and webhooks
        need not wait for 100,000 DM rows to be written before they can be sent.
        """
        defer = await self._defers()
        newer_than = await self._last_id()
        count = await self._insert(event, zone, dms=False if defer else None)
        if count:
            await self._merge(event, newer_than)
        if is_critical(event.kind, event.payload) and event.assets and not defer:
            await self._promote(event)
        if defer:
            count += await self._defer(event, self._matching(event))
        return count

    def _matching(self, event: Event) -> tuple[str, tuple[object, ...]]:
        """The WHERE clause on subscriptions `s` that want the event, and its parameters."""
        # The filters that want this kind of event (EventFilter.wants, in SQL).
        wanted = [f.value for f in EventFilter if f.wants(event.kind)]
        any_asset = 0 if event.kind in PER_ASSET_KINDS else 1
        return (
            " WHERE s.active = 1 AND s.events IN (SELECT value FROM json_each(?) AS j)"
            " AND (? = 1 OR s.all_assets = 1 OR EXISTS ("
            "   SELECT 1 FROM subscription_assets sa WHERE sa.subscription_id = s.id"
            "   AND sa.asset IN (SELECT value FROM json_each(?) AS j)))",
            (json.dumps(wanted), any_asset, json.dumps(list(event.assets))),
        )

    async def _insert(
        self,
        event: Event,
        zone: ZoneInfo,
        *,
        dms: bool | None = None,
        ids: tuple[int, int] = EVERY_ID,
    ) -> int:
        """Write the event's rows for the subscriptions lo < id <= hi: for DM subscriptions
        only (`dms`), for the others only, or for all (None)."""
        now = to_db(event.created_at)
        critical = is_critical(event.kind, event.payload)
        hhmm = event.created_at.astimezone(zone).strftime("%H:%M")
        windows = {} if critical else await self._windows(event.created_at, hhmm, zone)
        # When an alert held now is told: the next moment the clock shows the HH:MM in the
        # column, looked up in a JSON map {HH:MM: stored time} computed once per fan-out.
        dialect = self._conn.dialect
        lane, lanes = lane_of_row(self._conn), json.dumps(lane_table(critical))
        matching, who = self._matching(event)
        matching += " AND s.id > ? AND s.id <= ?"
        who = (*who, *ids)
        if dms is not None:
            matching += " AND s.target_kind " + ("=" if dms else "<>") + " 'dm'"
        if not windows:
            # Nobody holds this alert: the plain insert, as fast as before modes existed.
            sql = (
                "INSERT INTO deliveries (event_id, subscription_id, next_attempt_at,"
                f" created_at, lane) SELECT ?, s.id, ?, ?, {lane} FROM subscriptions s{matching}"
                " ON CONFLICT DO NOTHING"
            )
            params: tuple[object, ...] = (event.id, now, now, lanes, *who)
        else:
            due = (
                f"CASE WHEN s.alert_mode = 'digest' THEN {dialect.json_get('?', 's.digest_at')}"
                f" WHEN s.alert_mode = 'quiet' AND {_IN_QUIET}"
                f" THEN {dialect.json_get('?', 's.quiet_until')} END"
            )
            sql = (
                "INSERT INTO deliveries (event_id, subscription_id, state,"
                " next_attempt_at, created_at, lane)"
                " SELECT ?, id, CASE WHEN due IS NULL THEN 'pending' ELSE 'held' END,"
                f" COALESCE(due, ?), ?, lane FROM (SELECT s.id, {due} AS due, {lane} AS lane"
                f" FROM subscriptions s{matching}) AS held WHERE true ON CONFLICT DO NOTHING"
            )
            table = json.dumps(windows)
            params = (event.id, now, now, table, hhmm, hhmm, hhmm, hhmm, table, lanes, *who)
        cursor = await self._conn.execute(sql, params)
        count = cursor.rowcount
        await cursor.close()
        return count

    async def _promote(self, event: Event, ids: tuple[int, int] = EVERY_ID) -> None:
        """A critical DM overtakes the routine ones, but not one of its own subscriber's about
        the same asset: those move up to the critical lane with it, keeping their order (for
        the subscriptions lo < id <= hi)."""
        async with self._conn.execute(
            "SELECT e.id, e.assets FROM events e WHERE e.id < ? AND e.id IN"
            " (SELECT DISTINCT event_id FROM deliveries WHERE state = 'pending' AND lane = ?"
            "   AND subscription_id > ? AND subscription_id <= ?)",
            (event.id, int(Lane.DMS), *ids),
        ) as cursor:
            rows = await cursor.fetchall()
        assets = set(event.assets)
        earlier = [int(r[0]) for r in rows if assets & set(json.loads(r[1]))]
        if not earlier:
            return
        await self._conn.execute(
            "UPDATE deliveries SET lane = ? WHERE state = 'pending' AND lane = ?"
            " AND event_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?) AS j)"
            " AND subscription_id > ? AND subscription_id <= ?"
            " AND subscription_id IN (SELECT subscription_id FROM deliveries"
            "   WHERE event_id = ? AND lane = ?)",
            (
                int(Lane.CRITICAL_DMS),
                int(Lane.DMS),
                json.dumps(earlier),
                *ids,
                event.id,
                int(Lane.CRITICAL_DMS),
            ),
        )

    async def fan_out_more(self, zone: ZoneInfo = JST) -> int | None:
        """Write the next batch of DM rows of the oldest fan-out that left some for later, with
        their merges and promotions; return how many rows, or None when none is left."""
        backlog = await self._backlog()
        if backlog is None:
            return None
        event = await EventRepo(self._conn).get(backlog.event_id)
        ids = backlog.next_batch()
        count = 0
        if event is not None:
            newer_than = await self._last_id()
            count = await self._insert(event, zone, dms=True, ids=ids)
            if count:
                await self._merge(event, newer_than, ids)
            if is_critical(event.kind, event.payload) and event.assets:
                await self._promote(event, ids)
        await self._advance(backlog, ids[1] if event is not None else backlog.last_id)
        return count

    async def _last_id(self) -> int:
        """The newest delivery's id: the rows written next are those above it (writes are
        serialised on both engines)."""
        async with self._conn.execute("SELECT COALESCE(MAX(id), 0) FROM deliveries") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def count(self, state: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM deliveries" + (" WHERE state = ?" if state else "")
        async with self._conn.execute(sql, (state,) if state else ()) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    # -- the dispatcher's side -------------------------------------------------------------

    async def claim(
        self,
        now: datetime,
        lease_until: datetime,
        limit: int,
        exclude: Iterable[int] = (),
        kinds: Iterable[str] | None = None,
        lanes: Iterable[int] | None = None,
    ) -> list[Delivery]:
        """Lease up to `limit` due deliveries, highest lane first and oldest first within a
        lane, skipping the `exclude`d subscriptions (those with a send in flight), with `lanes`
        the rows of other lanes, and with `kinds` targets of other kinds (no transport for
        them); a crashed holder's lease runs out."""
        moment = to_db(now)
        only_kinds = ""
        claim = secrets.token_hex(8)
        params: list[object] = [
            to_db(lease_until),
            claim,
            moment,
            moment,
            json.dumps(sorted(exclude)),
        ]
        if kinds is not None:
            only_kinds = (
                "   AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = subscription_id"
                "     AND s.target_kind IN (SELECT value FROM json_each(?) AS j))"
            )
            params.append(json.dumps(sorted(kinds)))
        only_lanes = ""
        if lanes is not None:
            only_lanes = "   AND lane IN (SELECT CAST(value AS INTEGER) FROM json_each(?) AS j)"
            params.append(json.dumps(sorted(int(lane) for lane in lanes)))
        params.append(limit)
        cursor = await self._conn.execute(
            "UPDATE deliveries SET claimed_until = ?, claim_token = ?, attempts = attempts + 1"
            " WHERE id IN (SELECT id FROM deliveries"
            "   WHERE state = 'pending' AND next_attempt_at <= ?"
            "   AND (claimed_until IS NULL OR claimed_until <= ?)"
            "   AND subscription_id NOT IN (SELECT CAST(value AS INTEGER) FROM json_each(?) AS j)"
            f"{only_kinds}{only_lanes}"
            f"   ORDER BY lane, next_attempt_at, id LIMIT ?{self._conn.dialect.skip_locked})"
            " RETURNING id, event_id, subscription_id, attempts, created_at, window_end, lane,"
            " merged",
            params,
        )
        rows = await cursor.fetchall()
        await cursor.close()
        found = [
            Delivery(
                r[0],
                r[1],
                r[2],
                r[3],
                from_db(r[4]),
                from_db(r[5]) if r[5] else None,
                claim,
                Lane(r[6]),
                r[7],
            )
            for r in rows
        ]
        return sorted(found, key=lambda d: d.id)

    async def release_claims(self) -> int:
        """Drop every lease: at start-up, what a killed process held is due again at once."""
        cursor = await self._conn.execute(
            "UPDATE deliveries SET claimed_until = NULL, claim_token = NULL"
            " WHERE state = 'pending' AND claimed_until IS NOT NULL"
        )
        count = cursor.rowcount
        await cursor.close()
        return count

    # The marks below change a delivery only under the claim that holds it ("fencing"): a
    # process paused past its lease, whose rows were claimed again since, changes nothing.

    async def mark_sent_many(self, sent: Iterable[tuple[Delivery, str, datetime]]) -> None:
        """(delivery, message id, when) for each delivery sent."""
        await self._conn.executemany(
            "UPDATE deliveries SET state = 'sent', message_id = ?, sent_at = ?,"
            " claimed_until = NULL, claim_token = NULL, last_error = NULL"
            " WHERE id = ? AND claim_token = ?",
            [(message_id, to_db(at), d.id, d.claim) for d, message_id, at in sent],
        )

    async def retry(self, delivery: Delivery, error: str, at: datetime) -> bool:
        cursor = await self._conn.execute(
            "UPDATE deliveries SET next_attempt_at = ?, claimed_until = NULL, claim_token = NULL,"
            " last_error = ? WHERE id = ? AND state = 'pending' AND claim_token = ?",
            (to_db(at), error[:500], delivery.id, delivery.claim),
        )
        changed = cursor.rowcount == 1
        await cursor.close()
        return changed

    async def fail(self, delivery: Delivery, error: str) -> bool:
        cursor = await self._conn.execute(
            "UPDATE deliveries SET state = 'failed', claimed_until = NULL, claim_token = NULL,"
            " last_error = ? WHERE id = ? AND claim_token = ?",
            (error[:500], delivery.id, delivery.claim),
        )
        changed = cursor.rowcount == 1
        await cursor.close()
        return changed

    async def fail_pending_of(self, subscription_id: int, error: str) -> int:
        """A disabled subscription's queue is dropped, so that it is never tried again."""
        cursor = await self._conn.execute(
            "UPDATE deliveries SET state = 'failed', claimed_until = NULL, last_error = ?"
            " WHERE subscription_id = ? AND state = 'pending'",
            (error[:500], subscription_id),
        )
        count = cursor.rowcount
        await cursor.close()
        return count

    async def expire(self, created_before: datetime) -> int:
        """Mark pending deliveries older than the cut-off expired: a late alert misleads."""
        cursor = await self._conn.execute(
            "UPDATE deliveries SET state = 'expired', claimed_until = NULL"
            " WHERE state = 'pending' AND created_at < ?",
            (to_db(created_before),),
        )
        count = cursor.rowcount
        await cursor.close()
        return count

    async def expire_one(self, delivery: Delivery) -> None:
        await self._conn.execute(
            "UPDATE deliveries SET state = 'expired', claimed_until = NULL, claim_token = NULL"
            " WHERE id = ? AND claim_token = ?",
            (delivery.id, delivery.claim),
        )

    async def get(self, delivery_id: int) -> DeliveryRecord | None:
        async with self._conn.execute(
            "SELECT id, event_id, subscription_id, state, attempts, last_error, message_id"
            " FROM deliveries WHERE id = ?",
            (delivery_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return DeliveryRecord(*row) if row else None

    async def states(self) -> dict[str, int]:
        """How many deliveries are in each state."""
        async with self._conn.execute(
            "SELECT state, COUNT(*) FROM deliveries GROUP BY state"
        ) as cursor:
            return {row[0]: int(row[1]) for row in await cursor.fetchall()}
