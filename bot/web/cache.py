"""Responses rendered once per snapshot and variant, then served as bytes.

Each variant (the page in one language, a JSON document, the feed for one language and address)
is rendered the first time it is asked for after a new snapshot, and its gzip twin the first time
a client accepts gzip. Rendering is synchronous, so however many requests arrive together after
a change, the first renders and the rest find its bytes. Every cacheable response carries an
ETag (a hash of its bytes, so replicas with the same data agree), answers a matching
If-None-Match with 304, and tells a CDN in front how long it may keep it.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import lru_cache

from aiohttp import web

from bot.services.snapshot import Snapshot

MAX_AGE_SECONDS = 2  # the poll interval: a CDN adds at most this much to what the origin shows
STALE_WHILE_REVALIDATE_SECONDS = 30
STALE_IF_ERROR_SECONDS = 86_400  # if the origin falls over, a CDN may keep showing the last page
CACHE_CONTROL = (
    f"public, max-age={MAX_AGE_SECONDS},"
    f" stale-while-revalidate={STALE_WHILE_REVALIDATE_SECONDS},"
    f" stale-if-error={STALE_IF_ERROR_SECONDS}"
)
VARY_LANGUAGE = "Accept-Language, Accept-Encoding"
VARY_ENCODING = "Accept-Encoding"
MAX_VARIANTS = 128  # per snapshot; past it (odd Host headers, many limits) render without keeping
GZIP_LEVEL = 6
GZIP_MIN_BYTES = 256  # below this, gzip's own header and trailer eat the gain


@dataclass(frozen=True, slots=True)
class Body:
    data: bytes
    etag: str


def _etag(data: bytes, suffix: str = "") -> str:
    return f'"{hashlib.blake2b(data, digest_size=12).hexdigest()}{suffix}"'


@dataclass(slots=True)
class Rendered:
    """One variant's bytes, with its gzip twin made on first demand."""

    content_type: str
    identity: Body
    _gzip: Body | None = field(default=None, repr=False)

    @classmethod
    def of(cls, data: bytes, content_type: str) -> Rendered:
        return cls(content_type, Body(data, _etag(data)))

    def gzipped(self) -> Body:
        if self._gzip is None:
            # mtime=0: the same bytes give the same gzip, so its ETag is stable too.
            packed = gzip.compress(self.identity.data, compresslevel=GZIP_LEVEL, mtime=0)
            self._gzip = Body(packed, self.identity.etag[:-1] + '-gz"')
        return self._gzip


class RenderCache:
    """The rendered variants of the current snapshot; a new snapshot starts an empty set."""

    def __init__(self) -> None:
        self._version = -1
        self._entries: dict[Hashable, Rendered] = {}
        self.renders = 0  # how many variants were rendered (tests count them)

    def get(self, snapshot: Snapshot, key: Hashable, render: Callable[[], Rendered]) -> Rendered:
        if snapshot.version != self._version:
            self._version = snapshot.version
            self._entries = {}
        found = self._entries.get(key)
        if found is None:
            found = render()
            self.renders += 1
            if len(self._entries) < MAX_VARIANTS:
                self._entries[key] = found
        return found


@lru_cache(maxsize=256)
def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header takes gzip (`gzip;q=0` refuses it; `*` takes it)."""
    wildcard = False
    for part in header.split(","):
        coding, _, params = part.partition(";")
        coding = coding.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding in ("gzip", "x-gzip"):
            return quality > 0
        if coding == "*":
            wildcard = quality > 0
    return wildcard


def matches(header: str | None, etag: str) -> bool:
    """If-None-Match's weak comparison: `*`, or any listed tag equal to ours, W/ or not."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))


def serve(request: web.Request, rendered: Rendered, *, vary_language: bool) -> web.Response:
    """The variant's bytes (gzipped when accepted), or 304 when the client has them already."""
    packed = len(rendered.identity.data) >= GZIP_MIN_BYTES and accepts_gzip(
        request.headers.get("Accept-Encoding", "")
    )
    body = rendered.gzipped() if packed else rendered.identity
    headers = {
        "ETag": body.etag,
        "Cache-Control": CACHE_CONTROL,
        "Vary": VARY_LANGUAGE if vary_language else VARY_ENCODING,
    }
    if matches(request.headers.get("If-None-Match"), body.etag):
        return web.Response(status=304, headers=headers)
    headers["Content-Type"] = rendered.content_type
    if packed:
        headers["Content-Encoding"] = "gzip"
    return web.Response(body=body.data, headers=headers)
