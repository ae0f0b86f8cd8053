"""Leadership by lease: the leader renews every third of the lease; a standby takes over once
the lease has run out; a leader that cannot renew stops its leader-only parts before its lease
can run out, by its own monotonic clock, so that two leaders never send at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bot.domain import Lease
from bot.store import ConnectionLost, Database

log = logging.getLogger(__name__)

LEASE = "leader"
LEADER = "leader"
STANDBY = "standby"
# A leader stops leading this far into a lease it could not renew (measured from before it asked
# for the renewal, so always earlier than the database's expiry): the rest is time to stop.
STEP_DOWN_AT = 0.8
# A standby tries again just after the lease it saw runs out.
AFTER_EXPIRY = 0.05

Transition = Callable[[], Awaitable[None]]


def default_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Leadership:
    """A component of every process: it starts the leader-only parts when this process wins the
    lease (`lead`) and stops them when it loses it (`follow`)."""

    name = "cluster"

    def __init__(
        self,
        db: Database,
        lease_seconds: float,
        *,
        lead: Transition,
        follow: Transition,
        identity: str | None = None,
        on_change: Callable[[Leadership], None] | None = None,
    ) -> None:
        self._db = db
        self._seconds = lease_seconds
        self._interval = lease_seconds / 3
        self._lead = lead
        self._follow = follow
        self._on_change = on_change
        self._token = secrets.token_hex(16)
        self.identity = identity or default_identity()
        self.role = STANDBY
        self.term = 0
        self.leader: str | None = None
        self._deadline = 0.0
        # After standing down for a lost connection: not a candidate again before this moment
        # (monotonic), so that a healthy standby takes over rather than this process again.
        self._resting_until = 0.0
        self._loop: asyncio.Task[None] | None = None
        self._watchdog: asyncio.Task[None] | None = None
        self._switch = asyncio.Lock()

    @property
    def leading(self) -> bool:
        return self.role == LEADER

    async def start(self) -> None:
        # One try at once: a process alone on its database leads from its first moment.
        first = await self.attempt()
        self._loop = asyncio.get_running_loop().create_task(self._run(first))

    async def stop(self) -> None:
        for task in (self._loop, self._watchdog):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self.leading:
            await self._step_down("stopping")
            await self._release()

    async def _release(self) -> None:
        try:
            async with self._db.lease_transaction() as repos:
                await repos.leases.release(LEASE, self._token)
        except Exception as exc:  # the standby waits the lease out instead
            log.warning("could not release the lease: %s", exc)

    def health(self) -> dict[str, Any]:
        return {
            "ok": True,
            "role": self.role,
            "term": self.term,
            "leader": self.leader,
            "identity": self.identity,
        }

    async def _run(self, delay: float) -> None:
        while True:
            await asyncio.sleep(delay)
            delay = await self.attempt()

    async def attempt(self) -> float:
        """Renew (leader) or try to take over (standby); return the seconds until the next try."""
        asked = time.monotonic()
        seen: Lease | None = None
        if not self.leading and asked < self._resting_until:
            return min(self._interval, self._resting_until - asked)
        try:
            async with self._db.lease_transaction() as repos:
                if self.leading:
                    won = await repos.leases.renew(LEASE, self._token, self._seconds)
                else:
                    won = await repos.leases.acquire(
                        LEASE, self.identity, self._token, self._seconds
                    )
                if won is None:
                    seen = await repos.leases.current(LEASE)
        except ConnectionLost as exc:
            # Whatever else this process was doing on that connection is gone too: stand down
            # now, hand the lease on if the database answers again, and rest for one lease.
            log.warning("lease %s failed: %s", "renewal" if self.leading else "check", exc)
            if self.leading:
                await self._step_down("the database connection was lost")
                self._resting_until = time.monotonic() + self._seconds
                await self._release()
            return self._interval
        except Exception as exc:
            # The watchdog steps a leader down in time; a standby simply tries again.
            log.warning("lease %s failed: %s", "renewal" if self.leading else "check", exc)
            return self._interval
        if won is not None:
            self._deadline = asked + self._seconds * STEP_DOWN_AT
            self._arm(self._deadline)
            self.term, self.leader = won.term, won.holder
            if not self.leading:
                await self._take_over()
            return self._interval
        if self.leading:
            await self._step_down("the lease was lost")
        if seen is None:
            return self._interval
        if (self.term, self.leader) != (seen.term, seen.holder):
            self.term, self.leader = seen.term, seen.holder
            self._changed()  # a standby's view of who leads, for /metrics
        return min(self._interval, max(seen.remaining, 0.0) + AFTER_EXPIRY)

    def _arm(self, deadline: float) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        self._watchdog = asyncio.get_running_loop().create_task(self._watch(deadline))

    async def _watch(self, deadline: float) -> None:
        await asyncio.sleep(max(deadline - time.monotonic(), 0.0))
        if self.leading and self._deadline == deadline:
            # Shielded: a renewal that lands meanwhile re-arms (cancels) this task, and must not
            # cut a step-down in half.
            await asyncio.shield(self._step_down("the lease could not be renewed in time"))

    async def _take_over(self) -> None:
        async with self._switch:
            if self.leading:
                return
            self.role = LEADER
            self.leader = self.identity
            log.info("leading as %s, term %d", self.identity, self.term)
            self._changed()
            await self._lead()

    async def _step_down(self, why: str) -> None:
        async with self._switch:
            if not self.leading:
                return
            self.role = STANDBY
            self.leader = None
            log.log(
                logging.INFO if why == "stopping" else logging.WARNING,
                "standing down (%s): term %d",
                why,
                self.term,
            )
            self._changed()
            await self._follow()

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change(self)
