"""`python -m tests.delivery.clocked ARGS...`: the service's command line on a driven clock.

TEST_CLOCK="<real epoch> <driven epoch> <speed>": the clock shows the driven moment at the real
one and runs `speed` times as fast, the same in every process given the same value. Every part
of the service reads `bot.clock.utcnow` (as a default argument bound at import), so it is
replaced before anything else of the service is imported.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

import bot.clock


def driven(spec: str) -> Callable[[], datetime]:
    real, start, speed = (float(part) for part in spec.split())

    def now() -> datetime:
        return datetime.fromtimestamp(start + (time.time() - real) * speed, UTC)

    return now


if __name__ == "__main__":
    bot.clock.utcnow = driven(os.environ["TEST_CLOCK"])
    from bot.__main__ import main  # imported only now: its modules bind the driven clock

    sys.exit(main(sys.argv[1:]))
