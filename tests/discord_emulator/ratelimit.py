"""Discord-shaped rate limits: per-route buckets and the per-token global limit."""

from __future__ import annotations

import collections
import hashlib
import math
import time
from dataclasses import dataclass


@dataclass
class BucketState:
    limit: int
    window: float
    remaining: int
    reset_at: float  # monotonic


@dataclass
class Verdict:
    """Outcome of taking one request from a bucket, with the headers Discord would send."""

    allowed: bool
    headers: dict[str, str]
    retry_after: float


def bucket_hash(name: str) -> str:
    # Discord's bucket ids are opaque hex strings; derive a stable one per route template.
    return hashlib.sha1(name.encode()).hexdigest()[:32]


def _fmt(value: float) -> str:
    return f"{value:.3f}"


class RouteLimiter:
    """Fixed-window buckets keyed by (route template, major parameter)."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[str, str], BucketState] = {}

    def reset(self) -> None:
        self._buckets.clear()

    def take(self, route: str, major: str, limit: int, window: float) -> Verdict:
        now = time.monotonic()
        key = (route, major)
        state = self._buckets.get(key)
        if state is None or now >= state.reset_at or state.limit != limit:
            state = BucketState(limit, window, limit, now + window)
            self._buckets[key] = state
        reset_after = max(state.reset_at - now, 0.0)
        allowed = state.remaining > 0
        if allowed:
            state.remaining -= 1
        headers = {
            "X-RateLimit-Limit": str(state.limit),
            "X-RateLimit-Remaining": str(state.remaining),
            "X-RateLimit-Reset": _fmt(time.time() + reset_after),
            "X-RateLimit-Reset-After": _fmt(reset_after),
            "X-RateLimit-Bucket": bucket_hash(route),
        }
        if not allowed:
            headers["X-RateLimit-Scope"] = "user"
        return Verdict(allowed, headers, reset_after)


class GlobalLimiter:
    """At most `per_second` requests per token in any rolling second."""

    def __init__(self) -> None:
        self._seen: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)

    def reset(self) -> None:
        self._seen.clear()

    def take(self, token: str, per_second: int) -> float | None:
        """None when the request may proceed, else the seconds until it could."""
        now = time.monotonic()
        seen = self._seen[token]
        while seen and now - seen[0] >= 1.0:
            seen.popleft()
        if len(seen) >= per_second:
            return max(seen[0] + 1.0 - now, 0.001)
        seen.append(now)
        return None


def global_429_headers(retry_after: float) -> dict[str, str]:
    return {
        "X-RateLimit-Global": "true",
        "X-RateLimit-Scope": "global",
        "Retry-After": str(max(1, math.ceil(retry_after))),
    }


def limited_body(retry_after: float, *, is_global: bool) -> dict[str, object]:
    return {
        "message": "You are being rate limited.",
        "retry_after": round(retry_after, 3),
        "global": is_global,
    }
