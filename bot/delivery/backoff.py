"""How long a failed send waits before its next try: what the server asked for, else
exponential with jitter. The dispatcher and the welcomer use it."""

from __future__ import annotations

import random

BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 300.0


def backoff(attempts: int, retry_after: float | None = None) -> float:
    """Seconds until the next try: what the server asked for, else exponential with jitter."""
    if retry_after is not None and retry_after > 0:
        return retry_after + random.uniform(0, 0.5)
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    return random.uniform(ceiling / 2, ceiling)  # jitter spreads out a burst of failures
