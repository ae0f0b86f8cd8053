"""Bearer tokens for the back office: issued once, kept as a hash, scoped, revocable, rate-limited.

A token is `esb_` and 32 random bytes (URL-safe base64). Only its SHA-256 is stored, and a
request's token is found by that hash: no comparison of secrets that could leak by its timing,
and a copy of the database grants nothing. A write looks its token up in the database, in the
transaction that takes from its cluster-wide bucket, so a revocation holds on every replica from
its commit on. A beat, too frequent for a write each, uses `quick_access`: the token from this
process's cache of at most `CACHE_SECONDS` (a revocation holds everywhere within that), a bucket
in this process's memory, and its use written with the next batch of beats.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.clock import utcnow
from bot.domain import InvalidInput, NotFound
from bot.services.rate_limit import LocalBuckets, TokenBucket
from bot.store import Database
from bot.store.tokens import ApiToken

log = logging.getLogger(__name__)

PREFIX = "esb_"
SECRET_BYTES = 32
NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
# How long a process trusts a token it looked up for a beat: a revocation must hold on every
# replica within 2 s. Only live tokens are kept (an unknown one costs a read each time), so a
# flood of made-up tokens cannot grow the cache.
CACHE_SECONDS = 1.0


class Scope(StrEnum):
    STATUS = "status"
    INCIDENTS = "incidents"
    MAINTENANCE = "maintenance"
    ORDERS = "orders"
    TRANSLATIONS = "translations"
    HEARTBEATS = "heartbeats"
    REPORTS = "reports"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_scopes(given: str | Iterable[str]) -> frozenset[str]:
    """`status,incidents` (or a list of names): each a known scope, at least one."""
    names = given.split(",") if isinstance(given, str) else list(given)
    cleaned = {name.strip().lower() for name in names if name.strip()}
    if not cleaned:
        raise InvalidInput("no_scopes", "give at least one scope with --scopes")
    known = {scope.value for scope in Scope}
    for name in sorted(cleaned):
        if name not in known:
            raise InvalidInput(
                "unknown_scope",
                f"unknown scope {name!r}; known: {', '.join(sorted(known))}",
                value=name,
                known=", ".join(sorted(known)),
            )
    return frozenset(cleaned)


@dataclass(frozen=True, slots=True)
class Access:
    """A request's token, and whether its bucket had room for this write."""

    token: ApiToken
    allowed: bool
    retry_after: float

    @property
    def actor(self) -> str:
        return f"api:{self.token.name}"


class TokenService:
    def __init__(
        self,
        db: Database,
        bucket: TokenBucket | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._bucket = bucket or TokenBucket()
        self._clock = clock
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, ApiToken]] = {}  # hash: (good until, token)
        self._lookups: dict[str, asyncio.Future[ApiToken | None]] = {}  # hash: the read under way
        self._local = LocalBuckets(self._bucket, monotonic)
        self._used: dict[int, datetime] = {}  # token id: last quick access, not yet written

    async def create(self, name: str, scopes: str | Iterable[str]) -> tuple[ApiToken, str]:
        """A new token and its secret, which is shown this once and never stored."""
        name = name.strip()
        if not NAME.fullmatch(name):
            raise InvalidInput(
                "bad_token_name",
                "a token's name is 1 to 64 of a-z, 0-9, '_', '.', '-', starting with a letter"
                " or digit",
                value=name[:64],
            )
        wanted = parse_scopes(scopes)
        secret = PREFIX + secrets.token_urlsafe(SECRET_BYTES)
        async with self._db.transaction() as repos:
            token = await repos.tokens.add(name, digest(secret), wanted, self._clock())
        if token is None:
            raise InvalidInput(
                "token_name_taken", f"a token named {name!r} exists (or existed)", name=name
            )
        log.info("API token %s created with scopes %s", name, ",".join(sorted(wanted)))
        return token, secret

    async def list(self) -> list[ApiToken]:
        return await self._db.repos.tokens.all()

    async def revoke(self, name: str) -> ApiToken:
        async with self._db.transaction() as repos:
            token = await repos.tokens.revoke(name.strip(), self._clock())
        if token is None:
            raise NotFound("token", name)
        # At once in this process; other processes within CACHE_SECONDS.
        self._cache = {h: kept for h, kept in self._cache.items() if kept[1].id != token.id}
        log.info("API token %s revoked", token.name)
        return token

    async def access(self, secret: str) -> Access | None:
        """The live token `secret` names, with one write taken from its bucket; None for an
        unknown or revoked token (deliberately the same)."""
        if not secret.startswith(PREFIX):
            return None
        async with self._db.touch_transaction() as repos:
            found = await repos.tokens.use(digest(secret), self._clock())
            if found is None:
                return None
            token, bucket = found
            verdict = self._bucket.take(bucket.level, bucket.at, bucket.now)
            if verdict.allowed:
                await repos.tokens.set_bucket(token.id, verdict.level, bucket.now)
        return Access(token, verdict.allowed, verdict.retry_after)

    async def quick_access(self, secret: str) -> Access | None:
        """As `access`, without a write: the token as this process saw it at most CACHE_SECONDS
        ago, one take from its bucket in this process's memory, its use kept for `take_uses`."""
        if not secret.startswith(PREFIX):
            return None
        hashed = digest(secret)
        kept = self._cache.get(hashed)
        if kept is not None and kept[0] > self._monotonic():
            token = kept[1]
        else:
            found = await self._look_up(hashed)
            if found is None:
                return None
            token = found
        self._used[token.id] = self._clock()
        verdict = self._local.take(token.id)
        return Access(token, verdict.allowed, verdict.retry_after)

    async def _look_up(self, hashed: str) -> ApiToken | None:
        """One read for every beat that finds the token's cache run out at the same moment:
        at 50 connections, 50 reads in a row once a second made the slowest beats wait."""
        pending = self._lookups.get(hashed)
        if pending is None:
            pending = asyncio.ensure_future(self._read(hashed))
            self._lookups[hashed] = pending
            pending.add_done_callback(lambda _: self._lookups.pop(hashed, None))
        return await asyncio.shield(pending)  # a beat cut short leaves the read to the others

    async def _read(self, hashed: str) -> ApiToken | None:
        found = await self._db.repos.tokens.find(hashed)
        if found is None:
            self._cache.pop(hashed, None)
        else:
            self._cache[hashed] = (self._monotonic() + CACHE_SECONDS, found)
        return found

    def take_uses(self) -> dict[int, datetime]:
        """When each token was last quickly accessed since the last call, to be written."""
        uses, self._used = self._used, {}
        return uses

    def keep_uses(self, uses: dict[int, datetime]) -> None:
        """Uses that could not be written: kept for the next batch, unless a later one came."""
        for token_id, at in uses.items():
            self._used[token_id] = max(at, self._used.get(token_id, at))
