"""Idempotent writes: the same key and the same request within a day get the first answer again.

A key is claimed (with a fingerprint of the request) in its own transaction before the write,
and the answer is recorded after it. The services each write in one transaction of their own, so
the answer cannot join the write's transaction; a process that dies between the two leaves a
claim without an answer. Such a key is never run again: a retry with it is refused (409) with the
advice to look at what happened, since the write may or may not have been made; so is a retry
after an unexpected failure (500). A write the
service refuses records its refusal, so a retry gets the same refusal.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import utcnow
from bot.domain import DomainError, InvalidInput
from bot.store import Database

log = logging.getLogger(__name__)

KEEP = timedelta(hours=24)
MAX_KEY_LENGTH = 255


class KeyInUse(DomainError):
    """The key's first request has no recorded answer: under way, or cut short."""

    category = "conflict"

    def __init__(self) -> None:
        super().__init__(
            "idempotency_key_in_use",
            "the first request with this Idempotency-Key has no recorded answer",
        )


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256(f"{method} {path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def check_key(key: str) -> str:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all(" " <= c <= "~" for c in key):
        raise InvalidInput(
            "bad_idempotency_key", "an Idempotency-Key is 1-255 printable ASCII characters",
            limit=MAX_KEY_LENGTH,
        )  # fmt: skip
    return key


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: str


class IdempotencyService:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    async def claim(self, token_id: int, key: str, print_: str) -> Answer | None:
        """None: the key is now this request's, go on and write. An answer: replay it.
        Refused: the key came with another request, or its first request has no answer."""
        now = self._clock()
        async with self._db.transaction() as repos:
            held = await repos.idempotency.claim(token_id, check_key(key), print_, now, now - KEEP)
        if held is None:
            return None
        if held.fingerprint != print_:
            raise InvalidInput(
                "idempotency_key_reused", "this Idempotency-Key came with another request"
            )
        if held.status is None or held.body is None:
            raise KeyInUse()
        return Answer(held.status, held.body)

    async def answer(self, token_id: int, key: str, answer: Answer) -> None:
        async with self._db.transaction() as repos:
            await repos.idempotency.answer(token_id, key, answer.status, answer.body)
