"""A per-host limit on webhook sends, so that one slow endpoint cannot hold back the others.

It wraps the webhook transport (whose timeouts, retries and Retry-After stay as they are): a send
to a host that already has `per_host` sends open waits for one of them. The dispatcher asks which
subscriptions it knows to sit on a crowded host and leaves their deliveries unclaimed, so that
the webhook lane's senders go to the other hosts instead of queueing here.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from urllib.parse import urlsplit

from bot.delivery.transport import Outgoing, Transport

PER_HOST = 4
KNOWN_LIMIT = 10_000  # subscription -> host entries remembered (only bounds memory)


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.hostname or "").lower() + (f":{parts.port}" if parts.port else "")


class HostLimited:
    """A transport whose sends are limited per host of the subscription's URL."""

    def __init__(self, inner: Transport, per_host: int = PER_HOST) -> None:
        if per_host < 1:
            raise ValueError("at least one send per host")
        self.name = inner.name
        self._inner = inner
        self._per_host = per_host
        self._open: Counter[str] = Counter()
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._hosts: dict[int, str] = {}

    async def start(self) -> None:
        await self._inner.start()

    async def stop(self) -> None:
        await self._inner.stop()

    def crowded(self) -> set[int]:
        """The subscriptions known to be on a host with all its sends taken."""
        full = {host for host, count in self._open.items() if count >= self._per_host}
        return {sub for sub, host in self._hosts.items() if host in full} if full else set()

    async def send(self, outgoing: Outgoing) -> str:
        sub = outgoing.subscription
        host = host_of(sub.target)
        if len(self._hosts) >= KNOWN_LIMIT:
            self._hosts.clear()
        self._hosts[sub.id] = host
        slot = self._slots.setdefault(host, asyncio.Semaphore(self._per_host))
        self._open[host] += 1  # counted while waiting too: the host is as crowded as that
        try:
            async with slot:
                return await self._inner.send(outgoing)
        finally:
            self._open[host] -= 1
            if self._open[host] <= 0:
                del self._open[host]
                self._slots.pop(host, None)
