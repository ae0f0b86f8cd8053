"""One HTTP GET of a feed: browser-like headers, a timeout, a size cap and conditional GET."""

from __future__ import annotations

import asyncio
import logging
import socket
from dataclasses import dataclass

import aiohttp

from bot.feeds.errors import FeedError

log = logging.getLogger(__name__)

# Government sites may refuse clients that do not look like a browser.
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/126.0.0.0 Safari/537.36"
)
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9,"
    " application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
)
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Fetched:
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def new_session(timeout_seconds: float) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Language": "ja,en;q=0.8"},
        timeout=aiohttp.ClientTimeout(total=timeout_seconds),
    )


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    *,
    etag: str | None,
    last_modified: str | None,
    max_bytes: int,
) -> Fetched:
    """GET the feed; raise FeedError for anything but a 2xx body within `max_bytes`, or a 304."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with session.get(url, headers=headers) as response:
            if response.status == 304:
                return Fetched(304, b"", None, etag, last_modified)
            _check_status(response.status, response.reason)
            body = await _read_capped(response, max_bytes)
            return Fetched(
                response.status,
                body,
                response.headers.get("Content-Type"),
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            )
    except FeedError:
        raise
    except TimeoutError as exc:
        raise FeedError("timeout", f"no complete answer from {url} in time") from exc
    except aiohttp.ClientConnectorError as exc:
        if isinstance(exc.os_error, socket.gaierror):
            raise FeedError("dns", f"cannot resolve {exc.host}: {exc.os_error}") from exc
        raise FeedError("connect", f"cannot connect to {exc.host}:{exc.port}: {exc}") from exc
    except (aiohttp.ClientError, asyncio.IncompleteReadError, ValueError) as exc:
        raise FeedError("connect", f"{type(exc).__name__}: {exc}") from exc


def _check_status(status: int, reason: str | None) -> None:
    if 200 <= status < 300:
        return
    text = f"HTTP {status} {reason or ''}".strip()
    if 400 <= status < 500:
        raise FeedError("http_4xx", text)
    if status >= 500:
        raise FeedError("http_5xx", text)
    raise FeedError("http_other", text)


async def _read_capped(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    """Read at most `max_bytes` (after decompression), stopping as soon as the cap is passed."""
    declared = response.content_length
    if declared is not None and declared > max_bytes:
        raise FeedError("too_large", f"the body is {declared} bytes; at most {max_bytes} allowed")
    parts: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise FeedError("too_large", f"the body passed {max_bytes} bytes; stopped reading")
        parts.append(chunk)
    return b"".join(parts)
