"""Outgoing webhooks: a JSON body POSTed to the subscriber's URL, signed with its own secret.

The receiver checks `X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` and can drop
repeats by `X-Delivery-Id` (a delivery interrupted by a crash may arrive twice).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import aiohttp

from bot.delivery.transport import Outgoing, Permanent, Rejected, Transient
from bot.domain import Event

TIMEOUT_SECONDS = 10.0
SIGNATURE_HEADER = "X-Signature-256"
USER_AGENT = "exchange-status-bot webhook"
GONE = (401, 403, 404, 410)
RETRY = (408, 425, 429)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _event(event: Event, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": event.id,
        "kind": event.kind.value,
        "created_at": event.created_at.isoformat(),
        "payload": payload,
    }


def body_of(outgoing: Outgoing) -> bytes:
    document: dict[str, Any] = {
        "delivery_id": outgoing.delivery_id,
        "subscription_id": outgoing.subscription.id,
    }
    if outgoing.event is not None:
        document["event"] = _event(outgoing.event, outgoing.payload)
    if outgoing.held is not None:
        # Quiet hours or a digest: the held events, told at once.
        document["summary"] = {
            "window_end": outgoing.held.window_end.isoformat(),
            "total": outgoing.held.total,
            "events": [_event(e, e.payload) for e in outgoing.held.events],
        }
    document["locale"] = outgoing.subscription.locale
    document["embed"] = outgoing.embed
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


class WebhookTransport:
    name = "webhook"

    def __init__(self, timeout: float = TIMEOUT_SECONDS) -> None:
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self._timeout),
            headers={"User-Agent": USER_AGENT},
        )

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(self, outgoing: Outgoing) -> str:
        sub = outgoing.subscription
        if self._session is None:
            raise Transient("webhook transport not started")
        if not sub.secret:
            raise Permanent("no signing secret")
        body = body_of(outgoing)
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(sub.secret, body),
            "X-Delivery-Id": str(outgoing.delivery_id),
            "X-Event-Kind": "summary" if outgoing.event is None else outgoing.event.kind.value,
        }
        try:
            async with self._session.post(
                sub.target, data=body, headers=headers, allow_redirects=False
            ) as response:
                status = response.status
                retry_after = response.headers.get("Retry-After")
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise Transient(f"network: {type(exc).__name__}: {exc}"[:300]) from None
        if 200 <= status < 300:
            return f"http {status}"
        if status in GONE:
            raise Permanent(f"webhook answered {status}")
        if status in RETRY or status >= 500:
            wait = float(retry_after) if retry_after and retry_after.isdigit() else None
            raise Transient(f"webhook answered {status}", wait)
        raise Rejected(f"webhook answered {status}")
